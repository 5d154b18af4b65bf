// SPDX-License-Identifier: MIT
// The admin raises the 3rd-contract tier from 5 % to 7 % on /admin: a tier whose
// percent does not rise is refused with a translated message on its row, the valid
// list is saved, and the booking page then quotes 7 % for a student's third
// contract (the student's first two were made through the API).
import assert from 'node:assert/strict';
import { apiCall, DEMO } from '../lib.mjs';
import { apiAs, dictionary, loginInto, loginOnPage, norm, pct, settled } from '../desk.mjs';

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const before = (await apiCall(url, 'GET', '/discount-tiers')).json.items;
  assert.deepEqual(before, [
    { from_ordinal: 3, percent: 5 }, { from_ordinal: 4, percent: 10 }, { from_ordinal: 5, percent: 15 },
  ], 'the business plan\'s tiers to start with');

  // A student with two contracts.
  const student = { email: 'amaia.goenaga@example.com', password: 'bi-kontratu-2026' };
  const reg = await apiCall(url, 'POST', '/auth/register', {
    body: { ...student, full_name: 'Amaia Goenaga', locale: 'eu' },
  });
  assert.equal(reg.status, 201);
  const staff = await apiAs(url, DEMO.staff);
  const service = (await staff.call('GET', '/services')).json.items
    .find((s) => s.kind === 'private' && s.active);
  for (let i = 0; i < 2; i++) {
    const c = await staff.call('POST', '/contracts', {
      client_id: reg.json.client.id, service_id: service.id, kind: 'one_off', sessions: 1, channel: 'phone',
    });
    assert.equal(c.status, 201);
  }

  // The admin edits the tiers.
  const admin = await newPage({ width: 1280 });
  await admin.goto('/admin#tiers');
  await admin.waitForSelector('form.login-form');
  await loginOnPage(admin, DEMO.admin);
  await admin.waitForSelector('#tab-tiers[aria-selected=true]');
  await settled(admin);
  assert.equal(norm(await admin.textContent('.tab-panel .notice')), t('admin.tiers.new_only'));
  const rows = admin.locator('tr.tier-row');
  assert.equal(await rows.count(), 3);
  const percentOf = (i) => admin.getByLabel(t('admin.tiers.row_percent', { n: i + 1 }), { exact: true });

  // First an invalid list: the 2nd tier's percent does not rise above the 1st.
  await percentOf(0).fill('7');
  await percentOf(1).fill('6');
  await admin.getByRole('button', { name: t('admin.tiers.save') }).click();
  await admin.waitForSelector('tr.tier-row .row-error');
  assert.equal(norm(await rows.nth(1).locator('.row-error').textContent()), t('admin.tiers.err_percent_rise'));
  assert.equal(await percentOf(1).getAttribute('aria-invalid'), 'true');
  assert.equal(norm(await admin.textContent('.tiers-form [data-role=form-error]')), t('error.validation_failed'));
  assert.equal(await rows.nth(0).locator('.row-error').count(), 0, 'only the wrong row is marked');
  assert.deepEqual((await apiCall(url, 'GET', '/discount-tiers')).json.items, before, 'nothing changed');

  // Then the valid one: 3rd contract 7 %.
  await percentOf(1).fill('10');
  await admin.getByRole('button', { name: t('admin.tiers.save') }).click();
  await admin.waitForFunction((text) => {
    const n = document.querySelector('#notice');
    return n && !n.hidden && n.textContent.trim() === text;
  }, t('admin.tiers.saved'));
  assert.equal(await admin.locator('.row-error').count(), 0);
  assert.equal(norm(await rows.nth(0).locator('.meaning').textContent()),
    t('admin.tiers.row_meaning', { ordinal: 3, percent: pct(7) }));
  assert.deepEqual((await apiCall(url, 'GET', '/discount-tiers')).json.items, [
    { from_ordinal: 3, percent: 7 }, { from_ordinal: 4, percent: 10 }, { from_ordinal: 5, percent: 15 },
  ]);

  // The student's third booking on the booking page is quoted 7 %.
  const page = await newPage({ width: 1280 });
  await loginInto(page, url, student);
  await page.goto('/');
  await page.waitForSelector('body:not(.loading)');
  const slot = page.locator('button.slot[data-starts-at][data-tutor-id]').first();
  await slot.waitFor({ timeout: 20000 });
  const startsAt = await slot.getAttribute('data-starts-at');
  const tutorId = await slot.getAttribute('data-tutor-id');
  await slot.click();
  await page.waitForSelector('#quote [data-field=percent]');
  assert.equal(norm(await page.textContent('#quote [data-field=percent]')), '7');

  // The server agrees: the quote for that student's next contract is 7 %.
  const me = await apiAs(url, student);
  const quote = await me.call('GET', `/quote?service_id=${service.id}&kind=one_off&sessions=1`);
  assert.equal(quote.status, 200);
  assert.equal(quote.json.ordinal, 3);
  assert.equal(quote.json.discount_percent, 7);
  assert.ok(startsAt && tutorId, 'the slot carries its start and tutor');
}
