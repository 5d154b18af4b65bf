// SPDX-License-Identifier: MIT
// The admin's Books tab in Basque, on the demo (issue 15, items 5-6): the four
// downloads of this quarter's book are plain links; the semicolon book of issued
// invoices opens as columns (BOM, ";" between fields, decimal comma) and its totals
// add up to what the monthly report says was invoiced in the quarter's months; the
// chart draws twelve months as an SVG picture with a Basque title and description,
// and the same figures follow in a table; axe finds nothing serious. A payment
// taken at the desk leaves its receipt, in Basque, in the admin's outbox.
import assert from 'node:assert/strict';
import { assertAccessible, DEMO } from '../lib.mjs';
import { apiAs, dictionary, loginOnPage, norm, settled } from '../desk.mjs';

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const admin = await apiAs(url, DEMO.admin);
  const staff = await apiAs(url, DEMO.staff);
  const student = await apiAs(url, DEMO.student);
  const clientId = (await student.call('GET', '/me')).json.client.id;
  const paid = await staff.call('POST', '/payments', { client_id: clientId, method: 'cash', amount_cents: 1250 });
  assert.equal(paid.status, 201);

  const page = await newPage({ width: 1280 });
  await page.goto('/admin#books');
  await page.waitForSelector('form.login-form');
  await loginOnPage(page, DEMO.admin);
  await page.waitForSelector('#book-links a');
  await page.waitForSelector('#book-chart-svg');
  await settled(page);
  assert.equal(norm(await page.textContent('#tab-panel h2')), t('admin.books.title'));

  // This quarter, as the page chose it.
  const year = Number(await page.inputValue('#book-year'));
  const quarter = Number(await page.inputValue('#book-quarter'));
  const links = await page.locator('#book-links a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.equal(links.length, 4);
  for (const book of ['invoices', 'payments'])
    for (const dialect of ['rfc4180', 'semicolon'])
      assert.ok(links.includes(`/api/v1/reports/book.csv?year=${year}&quarter=${quarter}&book=${book}&dialect=${dialect}`));
  assert.equal(norm(await page.textContent('#book-invoices-semicolon')),
    `${t('admin.books.invoices')} · ${t('admin.books.semicolon')}`);

  const res = await page.request.get(`${url}/api/v1/reports/book.csv?year=${year}&quarter=${quarter}&book=invoices&dialect=semicolon`);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-type'], /^text\/csv/);
  const bytes = await res.body();
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 BOM first');
  const text = bytes.subarray(3).toString('utf8');
  const records = text.split('\r\n').filter((l) => l);
  const header = records[0].split(';');
  assert.equal(header[0], 'number');
  const total = header.indexOf('total');
  let invoiced = 0;
  for (const r of records.slice(1)) {
    const cells = r.split(';'); // the demo's names hold no separator nor quote
    assert.equal(cells.length, header.length, r);
    assert.match(cells[total], /^-?\d+,\d\d$/, 'a decimal comma');
    invoiced += Math.round(Number(cells[total].replace(',', '.')) * 100);
  }
  const report = (await admin.call('GET', `/reports/monthly?year=${year}`)).json;
  const months = report.months.slice(3 * quarter - 3, 3 * quarter);
  assert.equal(invoiced, months.reduce((s, m) => s + m.invoiced_cents, 0));

  // The chart: twelve months, a Basque title and description, the table.
  assert.equal(await page.locator('#book-chart-svg g[data-month]').count(), 12);
  assert.equal(await page.getAttribute('#book-chart-svg', 'role'), 'img');
  assert.equal(norm(await page.textContent('#book-chart-title')), t('admin.books.chart_title', { year }));
  assert.equal(await page.locator('#book-chart-table tbody tr').count(), 12);
  assert.equal(norm(await page.textContent('#book-chart-table tbody tr:nth-child(1) th')), t('admin.books.month.1'));
  const heights = await page.locator('#book-chart-svg .bar-invoiced').evaluateAll((rs) => rs.map((r) => Number(r.getAttribute('height'))));
  const biggest = report.months.reduce((b, m, i) => (m.invoiced_cents > report.months[b].invoiced_cents ? i : b), 0);
  assert.equal(Math.max(...heights), heights[biggest], 'the tallest bar is the month invoiced most');
  assert.ok(report.collected_cents > 0 && report.invoiced_cents > 0, 'the demo invoiced and collected');
  await assertAccessible(page, 'the Books tab');

  // The receipt of the desk payment, in Basque, in the outbox.
  await page.goto('/admin#outbox');
  await page.waitForSelector('tr[data-message-id]');
  await settled(page);
  const row = page.locator('tr[data-message-id]', { hasText: 'Ordainagiria: 12,50' });
  await row.first().waitFor();
  assert.ok(norm(await row.first().textContent()).includes(t('admin.outbox.kind_payment_receipt')));
}
