// SPDX-License-Identifier: MIT
// Getting paid on the three pages (issue 15), in Basque, on the demo. The desk
// opens the demo student's record: the balance card shows what is due; staff take
// a payment of 10 € (the server's balance moves by exactly that) and add a SEPA
// mandate: the IBAN comes back masked and the full one is nowhere on the page. The
// student sees what is due on the booking page. The admin, with the creditor IBAN
// set, makes a direct-debit run on the Direct debits tab, downloads its pain.008
// (the run's collections in it) and settles it: the student's invoices are paid.
import assert from 'node:assert/strict';
import { DEMO } from '../lib.mjs';
import { communityReady, loginOnPage, openPage } from '../booking.mjs';
import { apiAs, dictionary, loginOnPage as deskLogin, settled } from '../desk.mjs';

const IBAN = 'ES91 2100 0418 4502 0005 1332';

/** A Wednesday at least 6 days ahead that is no TARGET2 holiday (YYYY-MM-DD). */
function collectionDate() {
  const d = new Date(Date.now() + 6 * 86400e3);
  while (d.getUTCDay() !== 3) d.setUTCDate(d.getUTCDate() + 1);
  const fixed = (x) => ['01-01', '05-01', '12-25', '12-26'].includes(x.toISOString().slice(5, 10));
  while (fixed(d)) d.setUTCDate(d.getUTCDate() + 7);
  return d.toISOString().slice(0, 10);
}

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const student = await apiAs(url, DEMO.student);
  const staff = await apiAs(url, DEMO.staff);
  const admin = await apiAs(url, DEMO.admin);
  const clientId = (await student.call('GET', '/me')).json.client.id;
  const before = (await staff.call('GET', `/clients/${clientId}/balance`)).json;
  assert.ok(before.due_cents > 1000, 'the demo student owes something');

  // The desk: balance, a payment, a mandate.
  const desk = await newPage({ width: 1280 });
  await desk.goto(`/staff#clients/${clientId}`);
  await desk.waitForSelector('form.login-form');
  await deskLogin(desk, DEMO.staff);
  await desk.waitForSelector('#payments-card #balance-due');
  await settled(desk);
  assert.equal(await desk.textContent('#payments-title'), t('staff.payments.title'));
  await desk.fill('#pay-amount', '10.00');
  await desk.selectOption('#pay-method', 'card');
  await desk.click('#pay-submit');
  await desk.waitForSelector('#payments-card li[data-payment-id]');
  const after = (await staff.call('GET', `/clients/${clientId}/balance`)).json;
  assert.equal(after.paid_cents, before.paid_cents + 1000);
  assert.equal(after.due_cents, before.due_cents - 1000);
  await desk.waitForSelector('#mandate-iban');
  await desk.fill('#mandate-iban', IBAN);
  await desk.click('#mandate-submit');
  await desk.waitForSelector('#payments-card .mandates .iban');
  assert.equal(await desk.textContent('#payments-card .mandates .iban'), 'ES91 **** **** **** **** 1332');
  const html = await desk.content();
  assert.ok(!html.includes('0418') && !html.includes('21000418'), 'the full IBAN is not on the page');

  // The student sees what is due.
  const page = await openPage(newPage, { width: 1280 });
  await communityReady(page);
  await loginOnPage(page, DEMO.student.email, DEMO.student.password);
  await page.waitForSelector('#my-balance-due');
  assert.ok((await page.textContent('#my-balance')).includes(t('book.balance.due')));

  // The admin: creditor IBAN, a run, its file, settled.
  // GET's read-only certificate is not part of what PUT replaces.
  const { certificate, ...business } = (await admin.call('GET', '/business')).json;
  assert.ok(certificate && certificate.test, 'the demo signs with a TEST certificate');
  const putRes = await admin.call('PUT', '/business', { ...business, creditor_iban: 'GB82WEST12345698765432' });
  assert.equal(putRes.status, 200);
  const adm = await newPage({ width: 1280 });
  await adm.goto('/admin#direct-debits');
  await adm.waitForSelector('form.login-form');
  await deskLogin(adm, DEMO.admin);
  await adm.waitForSelector('form.dd-form');
  await settled(adm);
  await adm.fill('#dd-date', collectionDate());
  await adm.click('#dd-make');
  await adm.waitForSelector('[data-run-id] .dd-items li');
  const runs = (await admin.call('GET', '/direct-debits')).json.items;
  assert.equal(runs.length, 1);
  const run = runs[0];
  assert.ok(run.items.some((it) => it.client_id === clientId), 'the student is collected');
  const link = adm.locator(`[data-run-id="${run.id}"] a[download]`);
  const href = await link.getAttribute('href');
  assert.equal(href, `/api/v1/direct-debits/${run.id}/pain.008.xml`);
  const file = await adm.request.get(`${url}${href}`);
  assert.equal(file.status(), 200);
  const xml = await file.text();
  assert.ok(xml.includes('urn:iso:std:iso:20022:tech:xsd:pain.008.001.02'));
  assert.ok(xml.includes(`<NbOfTxs>${run.count}</NbOfTxs>`));
  assert.ok(xml.includes(IBAN.replace(/ /g, '')));
  await adm.click(`[data-run-id="${run.id}"] .dd-settle`);
  await adm.click(`dialog button:has-text("${t('admin.dd.settle')}")`);
  await adm.waitForFunction((id) => document.querySelector(`[data-run-id="${id}"]`)
    && !document.querySelector(`[data-run-id="${id}"] .dd-settle`), run.id);
  const settledRun = (await admin.call('GET', '/direct-debits')).json.items[0];
  assert.equal(settledRun.status, 'settled');
  const final = (await staff.call('GET', `/clients/${clientId}/balance`)).json;
  assert.equal(final.due_cents, 0);
}
