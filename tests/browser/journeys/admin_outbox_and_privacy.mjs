// SPDX-License-Identifier: MIT
// The admin page, in Basque. A new student books a lesson through the API; the demo
// server has no mail relay, so its confirmation waits in the outbox, and the admin
// sees it there (queued, to the student's address) and reads its body (with the
// price, the gift and the time zone in words: issue 13, item 10). Then, on the
// Privacy tab, the admin finds the student, downloads the export (a JSON file with
// the student's name and that message), and erases the student after typing the
// name (a wrong word first is refused): the page shows the record the server kept,
// "erased", the API agrees, and the waiting confirmation is cancelled.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { apiCall, apiLogin, DEMO } from '../lib.mjs';
import { apiAs, businessDay, dictionary, loginOnPage, norm, settled } from '../desk.mjs';

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const name = 'Oihane Urkiza';
  const email = 'oihane.urkiza@example.com';
  const password = 'oihane-urkiza-2026';

  // A student with a booking: its confirmation is queued.
  const reg = await apiCall(url, 'POST', '/auth/register', { body: { email, password, full_name: name, locale: 'eu' } });
  assert.equal(reg.status, 201);
  const clientId = reg.json.client.id;
  const student = await apiLogin(url, email, password);
  const service = (await apiCall(url, 'GET', '/services')).json.items.find((s) => s.kind === 'private' && s.active);
  const from = businessDay(Date.now() + 2 * 864e5);
  const to = businessDay(Date.now() + 9 * 864e5);
  const slot = (await apiCall(url, 'GET', `/slots?service_id=${service.id}&from=${from}&to=${to}`)).json.items[0];
  assert.ok(slot, 'a free slot in the coming week');
  const booked = await apiCall(url, 'POST', '/lessons', {
    cookie: student.cookie, csrf: student.csrf,
    body: { service_id: service.id, tutor_id: slot.tutor_id, starts_at: slot.starts_at },
  });
  assert.equal(booked.status, 201);
  const admin = await apiAs(url, DEMO.admin);
  const message = (await admin.call('GET', '/outbox?state=queued&limit=200')).json.items
    .find((m) => m.to === email && m.kind === 'lesson_booked');
  assert.ok(message, 'the confirmation is queued');
  const full = (await admin.call('GET', `/outbox/${message.id}`)).json;

  // The outbox tab: the confirmation, queued, to the student.
  const page = await newPage({ width: 1280 });
  await page.goto('/admin#outbox');
  await page.waitForSelector('form.login-form');
  await loginOnPage(page, DEMO.admin);
  await page.waitForSelector('#tab-outbox[aria-selected=true]');
  await page.waitForSelector('table.outbox');
  await settled(page);
  await page.getByLabel(t('admin.outbox.state'), { exact: true }).selectOption('queued');
  await settled(page);
  const row = page.locator(`tr[data-message-id="${message.id}"]`);
  await row.waitFor();
  assert.equal(norm(await row.locator('[data-field=to]').textContent()), email);
  assert.equal(norm(await row.locator('[data-field=state]').textContent()), t('admin.outbox.state_queued'));
  assert.ok((await row.textContent()).includes(t('admin.outbox.kind_lesson_booked')));

  // Its body, as the student will read it.
  await row.getByRole('button', { name: message.subject }).click();
  const dialog = page.locator('dialog[open]');
  await dialog.locator('pre.message-body').waitFor();
  assert.equal(await dialog.locator('pre.message-body').textContent(), full.body);
  assert.ok(full.body.includes(name), 'the body greets the student');
  // Issue 13, item 10: what it cost (her first contract, the list price), the gift
  // handed out with it, and the time zone in words, not a code.
  const contract = (await apiCall(url, 'GET', '/me/contracts', { cookie: student.cookie })).json.items[0];
  const euros = `${Math.floor(contract.price_cents / 100)},${String(contract.price_cents % 100).padStart(2, '0')} €`;
  assert.ok(full.body.includes(`Prezioa: ${euros}`), `the body gives the price ${euros}:\n${full.body}`);
  if (contract.gift) assert.ok(full.body.includes(`Oparia: ${contract.gift.name}`), 'the body names the gift');
  assert.ok(full.body.includes('(Espainia penintsularreko ordua)'), 'the zone in words');
  assert.ok(!full.body.includes('Europe/Madrid'), 'no zone code');
  assert.ok((await dialog.locator('.facts').textContent()).includes(email));
  assert.equal(norm(await dialog.locator('p.empty').textContent()), t('admin.outbox.no_attempts'));
  await dialog.getByRole('button', { name: t('common.close'), exact: true }).last().click();
  await page.waitForSelector('dialog', { state: 'detached' });

  // Privacy: find the student.
  await page.getByRole('tab', { name: t('admin.privacy.tab') }).click();
  await page.waitForSelector('#privacy-q');
  await page.fill('#privacy-q', 'Urkiza');
  await page.getByRole('button', { name: t('admin.privacy.search_button'), exact: true }).click();
  await page.getByRole('link', { name }).click();
  await page.waitForSelector('#privacy-client-name');
  await settled(page);
  assert.equal(norm(await page.textContent('#privacy-client-name')), name);

  // The export: a JSON file, not shown on the page.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: t('admin.privacy.export') }).click(),
  ]);
  assert.match(download.suggestedFilename(), new RegExp(`^harreman-client-${clientId}-\\d{4}-\\d{2}-\\d{2}\\.json$`));
  const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(exported.client.full_name, name);
  assert.equal(exported.client.email, email);
  assert.ok(exported.outbox.some((m) => m.id === message.id), 'the export holds the message to the student');
  await page.waitForFunction((text) => document.querySelector('.export-status')?.textContent === text,
    t('admin.privacy.exported', { file: download.suggestedFilename() }));
  assert.equal(await page.locator('pre, code').filter({ hasText: email }).count(), 0, 'the document is not rendered');

  // Erasing: a word that is not the name is refused, the name is accepted.
  const confirm = page.getByLabel(t('admin.privacy.confirm_label'), { exact: true });
  await confirm.fill('Oihane');
  await page.getByRole('button', { name: t('admin.privacy.erase') }).click();
  const mismatch = page.locator('#privacy-confirm-error');
  await mismatch.waitFor();
  assert.equal(norm(await mismatch.textContent()),
    t('admin.privacy.confirm_mismatch', { name, word: t('admin.privacy.confirm_word') }));
  assert.equal((await admin.call('GET', `/clients/${clientId}`)).json.full_name, name, 'nothing erased yet');

  await confirm.fill(name.toUpperCase());
  await page.getByRole('button', { name: t('admin.privacy.erase') }).click();
  await page.waitForFunction(() => document.querySelector('#privacy-client-name')?.textContent === 'erased');
  assert.equal(norm(await page.textContent('#notice')), t('admin.privacy.erased_notice'));
  assert.equal(norm(await page.textContent('.record-badges')), t('admin.privacy.erased_badge'));
  assert.equal(norm(await page.textContent('[data-field=email]')), '—');
  assert.equal(norm(await page.textContent('[data-field=phone]')), '—');
  assert.equal(await page.locator('form.erase-form').count(), 0, 'nothing more to erase');

  const after = (await admin.call('GET', `/clients/${clientId}`)).json;
  assert.equal(after.full_name, 'erased');
  assert.equal(after.email, null);
  assert.equal((await apiCall(url, 'POST', '/auth/login', { body: { email, password } })).status, 401,
    'the student can no longer log in');

  // The confirmation that was waiting is cancelled, and names nobody.
  await page.getByRole('tab', { name: t('admin.outbox.tab') }).click();
  await page.getByLabel(t('admin.outbox.state'), { exact: true }).selectOption('cancelled');
  await settled(page);
  const cancelled = page.locator(`tr[data-message-id="${message.id}"]`);
  await cancelled.waitFor();
  assert.equal(norm(await cancelled.locator('[data-field=state]').textContent()), t('admin.outbox.state_cancelled'));
  assert.equal(norm(await cancelled.locator('[data-field=to]').textContent()), t('admin.outbox.no_recipient'));
}
