// SPDX-License-Identifier: MIT
// The desk's community tab and the admin's outbox and privacy tabs, logged in, at
// phone and desktop width, in every state a user meets there (lists, empty lists,
// forms with their field errors, an opened message, a client before and after
// erasure): no English-only sentence of en.json on the Basque page, no serious or
// critical violation found by axe-core, nothing wider than the window. The
// community's parts are links the keyboard reaches, and the outbox's state filter
// works from the keyboard.
import assert from 'node:assert/strict';
import { apiCall, apiLogin, assertAccessible, DEMO, englishOnlySentences, visibleTexts } from '../lib.mjs';
import { apiAs, businessDay, dictionary, loginInto, norm, settled } from '../desk.mjs';

async function noEnglish(page, english, label) {
  assert.equal(await page.getAttribute('html', 'lang'), 'eu');
  const texts = (await visibleTexts(page)).map(norm);
  const found = [];
  for (const text of texts) {
    for (const s of english) {
      if (text === s || (s.length >= 12 && text.includes(s))) found.push(`"${text}" (en: "${s}")`);
    }
  }
  assert.deepEqual(found, [], `English on the Basque ${label}`);
}

async function check(page, english, label) {
  await settled(page);
  await noEnglish(page, english, label);
  await assertAccessible(page, label);
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(scroll <= width, `${label}: the page is ${scroll}px wide in a ${width}px window`);
}

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const english = englishOnlySentences(web).map(norm);

  // Something in the outbox: a new student's booking (the student erased later);
  // and a long contribution from another.
  const email = 'garazi.lizarraga@example.com';
  const password = 'garazi-lizarraga-2026';
  const reg = await apiCall(url, 'POST', '/auth/register', {
    body: { email, password, full_name: 'Garazi Lizarraga', locale: 'eu' },
  });
  assert.equal(reg.status, 201);
  const student = await apiLogin(url, email, password);
  const service = (await apiCall(url, 'GET', '/services')).json.items.find((s) => s.kind === 'private' && s.active);
  const slot = (await apiCall(url, 'GET', `/slots?service_id=${service.id}&from=${businessDay(Date.now() + 2 * 864e5)}`
    + `&to=${businessDay(Date.now() + 9 * 864e5)}`)).json.items[0];
  assert.equal((await apiCall(url, 'POST', '/lessons', {
    cookie: student.cookie, csrf: student.csrf,
    body: { service_id: service.id, tutor_id: slot.tutor_id, starts_at: slot.starts_at },
  })).status, 201);
  const irati = await apiLogin(url, 'irati@demo.harreman.eus', DEMO.student.password);
  assert.equal((await apiCall(url, 'POST', '/contributions', {
    cookie: irati.cookie, csrf: irati.csrf,
    body: { kind: 'blog_post', title: 'Nire lehen hilabetea', body: 'Egunero ordu erdi. '.repeat(60) },
  })).status, 201);
  const admin = await apiAs(url, DEMO.admin);
  const erasedId = reg.json.client.id;

  for (const width of [390, 1280]) {
    // The staff desk: events (with the new-event form and its errors), contributions.
    const staff = await newPage({ width });
    await loginInto(staff, url, DEMO.staff);
    await staff.goto('/staff#community');
    await staff.waitForSelector('#tab-community[aria-selected=true]');
    await staff.waitForSelector('.event-list');
    await check(staff, english, `/staff community events at ${width}px`);
    await staff.getByRole('button', { name: t('staff.events.new') }).click();
    await staff.waitForSelector('#event-create form');
    await staff.fill('#event-new-starts', '2020-01-10T18:00');
    await staff.click('#event-create button[type=submit]');
    await staff.waitForSelector('#event-new-title-error');
    assert.equal(norm(await staff.textContent('#event-new-starts-error')), t('staff.events.err_past'));
    await check(staff, english, `/staff new event with errors at ${width}px`);
    await staff.getByRole('button', { name: t('staff.events.past') }).click();
    await staff.waitForSelector('.event-results .empty');
    await check(staff, english, `/staff past events at ${width}px`);

    // The parts are links in the tab order.
    await staff.focus('a.subnav-link[aria-current=page]');
    await staff.keyboard.press('Tab');
    assert.equal(await staff.evaluate(() => document.activeElement.getAttribute('href')), '#community/contributions');
    await staff.keyboard.press('Enter');
    await staff.waitForSelector('ul.contributions');
    await staff.waitForSelector('button[aria-expanded=false][aria-controls^=contribution-]');
    await check(staff, english, `/staff contributions queue at ${width}px`);
    await staff.click('button[aria-controls^=contribution-]');
    await staff.locator('.review-form').first()
      .getByRole('button', { name: new RegExp(`^${t('staff.contributions.do_rejected')}`) }).click();
    await staff.waitForSelector('.review-form .field-error');
    await check(staff, english, `/staff contribution with a field error at ${width}px`);
    for (const status of ['approved', 'rejected']) {
      await staff.getByRole('button', { name: t(`staff.contributions.show_${status}`) }).click();
      await staff.waitForSelector(status === 'approved' ? 'ul.contributions' : '.contribution-results .empty');
      await check(staff, english, `/staff contributions ${status} at ${width}px`);
    }
    await staff.close();

    // The admin page: the outbox, one message open; privacy, before and after erasure.
    const page = await newPage({ width });
    await loginInto(page, url, DEMO.admin);
    await page.goto('/admin#outbox');
    await page.waitForSelector('table.outbox');
    await check(page, english, `/admin outbox at ${width}px`);
    await page.focus('#outbox-state');
    await page.keyboard.press('ArrowDown');
    await page.waitForFunction(() => document.querySelector('#outbox-state').value !== '');
    await page.waitForSelector('table.outbox, .tab-panel .empty');
    await check(page, english, `/admin outbox filtered at ${width}px`);
    await page.selectOption('#outbox-state', '');
    await page.waitForSelector('table.outbox button.message-open');
    await settled(page);
    await page.locator('button.message-open').first().click();
    await page.waitForSelector('dialog[open] pre.message-body, dialog[open] p.empty');
    await check(page, english, `/admin outbox message at ${width}px`);
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog', { state: 'detached' });

    await page.getByRole('tab', { name: t('admin.privacy.tab') }).click();
    await page.waitForSelector('#privacy-q');
    await check(page, english, `/admin privacy search at ${width}px`);
    await page.fill('#privacy-q', 'demo.harreman.eus');
    await page.press('#privacy-q', 'Enter');
    await page.waitForSelector('ul.privacy-clients');
    await check(page, english, `/admin privacy results at ${width}px`);
    await page.goto(`/admin#privacy/${erasedId}`);
    await page.waitForSelector('#privacy-client-name');
    if (width === 390) {
      await page.getByLabel(t('admin.privacy.confirm_label'), { exact: true }).fill('ez');
      await page.getByRole('button', { name: t('admin.privacy.erase') }).click();
      await page.waitForSelector('#privacy-confirm-error');
      await check(page, english, `/admin privacy, a client, wrong confirmation at ${width}px`);
      await page.getByLabel(t('admin.privacy.confirm_label'), { exact: true }).fill(t('admin.privacy.confirm_word'));
      await page.getByRole('button', { name: t('admin.privacy.erase') }).click();
      await page.waitForFunction(() => document.querySelector('#privacy-client-name')?.textContent === 'erased');
      assert.equal((await admin.call('GET', `/clients/${erasedId}`)).json.full_name, 'erased',
        'the word for "erase" confirms as well as the name');
    }
    await check(page, english, `/admin privacy, an erased client at ${width}px`);
    await page.close();
  }
}
