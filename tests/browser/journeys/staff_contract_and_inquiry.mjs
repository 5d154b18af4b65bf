// SPDX-License-Identifier: MIT
// At the desk, in Basque: a tutor creates a phone client, takes three phone
// contracts for them and sees, before confirming, the server's quote, and after
// it the discount and gift the server gave (0 %, 0 %, then 5 % on the third);
// then answers a new inquiry, which leaves the open queue and shows it was
// answered on time.
import assert from 'node:assert/strict';
import { apiCall, DEMO } from '../lib.mjs';
import { apiAs, dictionary, loginOnPage, norm, pct, settled } from '../desk.mjs';

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const staff = await apiAs(url, DEMO.staff);
  const service = (await staff.call('GET', '/services')).json.items
    .find((s) => s.kind === 'private' && s.subject === 'maths');
  const inquiry = await apiCall(url, 'POST', '/inquiries', {
    body: {
      channel: 'email', full_name: 'Nahia Etxebeste', email: 'nahia.etxebeste@example.com',
      subject: 'Kimika Batxilergoan', message: 'Kimikan laguntza behar dut ostegunetan. Tokirik ba al dago?',
    },
  });
  assert.equal(inquiry.status, 201);

  const page = await newPage({ width: 1280 });
  await page.goto('/staff#clients');
  await page.waitForSelector('form.login-form');
  await loginOnPage(page, DEMO.staff);
  await page.waitForSelector('#tab-clients[aria-selected=true]');
  await settled(page);

  // A new phone client.
  await page.getByRole('button', { name: t('staff.clients.new') }).click();
  await page.fill('#new-client-name', 'Xabier Otegi');
  await page.fill('#new-client-phone', '+34 688 123 456');
  await page.getByRole('button', { name: t('staff.clients.create') }).click();
  await page.waitForSelector('#record-title');
  await settled(page);
  assert.equal(norm(await page.textContent('#record-title')), 'Xabier Otegi');
  assert.equal(norm(await page.textContent('#notice')), t('staff.clients.created', { name: 'Xabier Otegi' }));
  assert.ok((await page.textContent('.record-badges')).includes(t('staff.clients.no_login')));
  const clientId = Number(/#clients\/(\d+)/.exec(page.url())[1]);

  // Three phone contracts; the quote comes first, then what the server gave.
  const take = async (ordinal, kind, sessions) => {
    await page.getByRole('button', { name: t('staff.contract.open') }).click();
    const panel = page.locator('.contract-form');
    await panel.waitFor();
    await panel.getByLabel(t('staff.contract.service')).selectOption(String(service.id));
    assert.equal(await panel.getByLabel(t('staff.contract.channel')).inputValue(), 'phone');
    await panel.getByLabel(t(`staff.contract.kind_${kind}`)).check();
    if (sessions) await panel.getByLabel(t('staff.contract.sessions')).fill(String(sessions));
    const list = service.price_cents * (sessions || 1);
    await page.waitForFunction(([text, list]) => {
      const box = document.querySelector('#contract-quote .quote-box');
      return box && box.querySelector('.quote-ordinal').textContent === text
        && box.querySelector('[data-field=list_price]').textContent.replace(/\D/g, '') === String(list);
    }, [t('staff.contract.ordinal', { ordinal }), list]);
    const quoted = {
      percent: norm(await page.textContent('#contract-quote [data-field=percent]')),
      gift: norm(await page.textContent('#contract-quote [data-field=gift]')),
    };
    await panel.getByRole('button', { name: t('staff.contract.confirm') }).click();
    await page.waitForSelector('#contract-result');
    const contracts = (await staff.call('GET', `/contracts?client_id=${clientId}`)).json.items;
    const made = contracts.find((c) => c.ordinal === ordinal);
    assert.ok(made, `contract no. ${ordinal} was made`);
    assert.equal(made.channel, 'phone');
    const shown = {
      percent: norm(await page.textContent('#contract-result [data-field=percent]')),
      gift: norm(await page.textContent('#contract-result [data-field=gift]')),
      price: norm(await page.textContent('#contract-result [data-field=price]')),
    };
    assert.equal(shown.percent, pct(made.discount_percent), 'the page shows the discount the server gave');
    assert.equal(shown.gift, made.gift ? made.gift.name : t('staff.contract.no_gift'), 'and its gift');
    assert.equal(shown.price.replace(/\D/g, ''), String(made.price_cents));
    assert.deepEqual(quoted, { percent: shown.percent, gift: shown.gift }, 'the quote said the same');
    await settled(page);
    return made;
  };
  const first = await take(1, 'one_off');
  assert.equal(first.discount_percent, 0);
  assert.ok(first.gift, 'the demo has gifts in stock');
  await take(2, 'subscription', 4);
  const third = await take(3, 'one_off');
  assert.equal(third.discount_percent, 5, 'the third contract earns the first tier');
  assert.equal(norm(await page.textContent('#contract-result [data-field=percent]')), pct(5));
  // The record follows: three contracts, and the next one earns 10 %.
  assert.equal(await page.locator('.contracts > li').count(), 3);
  assert.equal(norm(await page.textContent('.loyalty .next-stage')), t('staff.loyalty.next', { ordinal: 4, percent: pct(10) }));

  // The inquiry queue: answer the new inquiry.
  await page.getByRole('tab', { name: t('staff.tab.inquiries') }).click();
  await settled(page);
  const item = page.locator(`li[data-inquiry-id="${inquiry.json.id}"]`);
  await item.waitFor();
  assert.equal(norm(await item.locator('.badge').textContent()), t('staff.inquiries.open'));
  // Overdue first: the demo's overdue inquiry leads the queue.
  assert.equal(norm(await page.locator('ul.inquiries > li').first().locator('.badge').textContent()),
    t('staff.inquiries.overdue'));
  await item.getByLabel(t('staff.inquiries.reply')).fill('Kaixo Nahia: bai, ostegunetan 17:00etan. Deitu eta zehaztuko dugu.');
  await item.getByRole('button', { name: new RegExp(`^${t('staff.inquiries.send')}`) }).click();
  await page.waitForFunction((text) => {
    const n = document.querySelector('#notice');
    return n && !n.hidden && n.textContent.trim() === text;
  }, t('staff.inquiries.sent_on_time', { subject: 'Kimika Batxilergoan' }));
  await settled(page);
  await page.waitForSelector('ul.inquiries, .inquiry-list .empty');
  assert.equal(await page.locator(`li[data-inquiry-id="${inquiry.json.id}"]`).count(), 0, 'it left the open queue');

  // Among the answered ones it says "on time".
  await page.getByLabel(t('staff.inquiries.status')).selectOption('answered');
  await settled(page);
  const answered = page.locator(`li[data-inquiry-id="${inquiry.json.id}"]`);
  await answered.waitFor();
  assert.equal(norm(await answered.locator('.badge').textContent()), t('staff.inquiries.answered_on_time'));
  assert.ok((await answered.textContent()).includes('Kaixo Nahia'));
}
