// SPDX-License-Identifier: MIT
// Invoices on the three pages (issue 14), on the demo's TEST business. The student
// sees its invoices on the booking page (one row per invoice of GET /me/invoices,
// newest first, each with a print link) and opens one: a printable page in its
// language naming the TEST business and the invoice's number, signed by the
// demo's TEST certificate (said on the page) with its TicketBAI identifier and a
// QR code that zbarimg, reading a screenshot of the page, decodes to the
// invoice's tbai.qr_url. The staff desk shows the same invoices on the student's record and
// saves a tax id (a wrong one is refused with the server's message). The admin's
// Business tab shows the settings and saves a new series, which the API returns.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO } from '../lib.mjs';
import { apiAsPage, communityReady, loginOnPage, norm, openPage } from '../booking.mjs';
import { apiAs, dictionary, loginOnPage as deskLogin, settled } from '../desk.mjs';

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');

  // The booking page: the student's invoices card.
  const page = await openPage(newPage, { width: 1280 });
  await communityReady(page);
  assert.equal(await page.isVisible('#invoices'), false);
  await loginOnPage(page, DEMO.student.email, DEMO.student.password);
  await page.waitForSelector('#invoice-list li');
  assert.equal(norm(await page.textContent('#invoices h2')), t('book.invoices.title'));
  const mine = (await apiAsPage(page, url, 'GET', '/me/invoices?limit=200')).json.items;
  assert.ok(mine.length > 0, 'the demo student has invoices');
  const rows = page.locator('#invoice-list li');
  assert.equal(await rows.count(), mine.length);
  const newest = [...mine].sort((a, b) => b.id - a.id)[0];
  const first = rows.first();
  assert.equal(await first.getAttribute('data-invoice-id'), String(newest.id));
  assert.equal(norm(await first.locator('.invoice-number').textContent()), `${newest.series}-${newest.number}`);
  const href = await first.locator('a.invoice-print').getAttribute('href');
  assert.equal(href, `/api/v1/invoices/${newest.id}/print`);

  // The demo signs with a TEST certificate at start: wait until it is signed.
  let signed = null;
  for (let i = 0; i < 100; i++) {
    signed = (await apiAsPage(page, url, 'GET', `/invoices/${newest.id}`)).json;
    if (signed.tbai.status !== 'pending') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(signed.tbai.status, 'signed', 'the demo signs its invoices');
  assert.match(signed.tbai.id, /^TBAI-[0-9A-Z]{9}-\d{6}-.{13}-\d{3}$/);

  // Its printable page, in the student's language (Basque), signed.
  const print = await newPage({ width: 900 });
  await page.context().cookies().then((c) => print.context().addCookies(c));
  const answer = await print.goto(href);
  assert.equal(answer.status(), 200);
  assert.match(answer.headers()['content-type'], /^text\/html/);
  assert.equal(await print.getAttribute('html', 'lang'), 'eu');
  const text = norm(await print.textContent('body'));
  assert.ok(text.includes('PROBA / TEST'), 'the TEST business is named');
  assert.ok(text.includes(`${newest.series}-${newest.number}`));
  assert.ok(!text.includes('sinatzeko zain'), 'not pending any more');
  assert.ok(text.includes(signed.tbai.id), 'the TicketBAI identifier is shown');
  assert.ok(text.includes('TEST certificate'), 'the TEST certificate is said');
  assert.equal(await print.locator('.qr svg').count(), 1);
  // The QR code, read back from a screenshot of the page by zbarimg.
  const shots = mkdtempSync(join(tmpdir(), 'hm-qr-'));
  try {
    const png = join(shots, 'qr.png');
    await print.locator('.qr svg').screenshot({ path: png });
    const decoded = execFileSync('zbarimg', ['-q', '--raw', png], { encoding: 'utf8' }).trim();
    assert.equal(decoded, signed.tbai.qr_url, 'the QR code holds the invoice\'s address');
  } finally {
    rmSync(shots, { recursive: true, force: true });
  }
  // Its stylesheet loads under the pages' policy.
  assert.notEqual(await print.evaluate(() => getComputedStyle(document.body).maxWidth), 'none');

  // The desk: the same invoices on the student's record; a tax id.
  const staff = await apiAs(url, DEMO.staff);
  const desk = await newPage({ width: 1280 });
  await desk.goto(`/staff#clients/${newest.client_id}`);
  await desk.waitForSelector('form.login-form');
  await deskLogin(desk, DEMO.staff);
  await desk.waitForSelector('section[aria-labelledby=invoices-title]');
  await settled(desk);
  assert.equal(await desk.locator('section[aria-labelledby=invoices-title] li[data-invoice-id]').count(),
    (await staff.call('GET', `/invoices?client_id=${newest.client_id}&limit=200`)).json.items.length);
  await desk.getByRole('button', { name: t('staff.client.edit') }).click();
  const taxId = desk.getByLabel(t('staff.client.tax_id'));
  await taxId.fill('12345678A');
  await desk.locator('form.client-form button[type=submit]').click();
  await desk.waitForSelector('form.client-form [aria-invalid=true]');
  await taxId.fill('12345678Z');
  await desk.locator('form.client-form button[type=submit]').click();
  await desk.waitForFunction(() => !document.querySelector('form.client-form'));
  assert.equal((await staff.call('GET', `/clients/${newest.client_id}`)).json.tax_id, '12345678Z');

  // The admin's Business tab.
  const admin = await apiAs(url, DEMO.admin);
  const adm = await newPage({ width: 1280 });
  await adm.goto('/admin#business');
  await adm.waitForSelector('form.login-form');
  await deskLogin(adm, DEMO.admin);
  await adm.waitForSelector('form.business-form');
  await settled(adm);
  assert.equal(await adm.inputValue('#business-legal-name'), (await admin.call('GET', '/business')).json.legal_name);
  await adm.fill('#business-series', 'PROBA-2');
  await adm.locator('form.business-form button[type=submit]').click();
  await adm.waitForFunction(() => document.querySelector('#business-series')?.value === 'PROBA-2'
    && !document.querySelector('form.business-form [aria-busy=true]'));
  await settled(adm);
  assert.equal((await admin.call('GET', '/business')).json.invoice_series, 'PROBA-2');
}
