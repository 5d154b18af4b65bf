// SPDX-License-Identifier: MIT
// The admin's loyalty review in Basque, on the demo (issue 13): above the table,
// three charts drawn as SVG read at a glance — clients per discount tier, the
// discount given per month of this year, gifts handed out against the stock left —
// each a picture with a Basque title and description and the same figures in a
// table, the figures those of GET /reports/loyalty/review; on a phone the charts
// fit the screen's width; axe finds nothing serious.
import assert from 'node:assert/strict';
import { assertAccessible, DEMO } from '../lib.mjs';
import { apiAs, dictionary, loginOnPage, norm, settled } from '../desk.mjs';

const euro = (cents) => {
  const [whole, frac] = (cents / 100).toFixed(2).split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${frac} €`;
};

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const admin = await apiAs(url, DEMO.admin);
  const page = await newPage({ width: 1280 });
  await page.goto('/admin#loyalty');
  await page.waitForSelector('form.login-form');
  await loginOnPage(page, DEMO.admin);
  await page.waitForSelector('#loyalty-gifts-table');
  await settled(page);
  const year = Number(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Madrid', year: 'numeric' }).format(new Date()));
  const review = (await admin.call('GET', `/reports/loyalty/review?year=${year}`)).json;
  assert.ok(review.tiers.length >= 2 && review.gifts.length >= 1);

  // Clients per tier: one bar and one row per tier, the counts the server's.
  assert.equal(norm(await page.textContent('#loyalty-tiers-title')), t('admin.loyalty.chart.tiers_title'));
  assert.equal(await page.getAttribute('#loyalty-tiers-svg', 'role'), 'img');
  assert.equal(await page.locator('#loyalty-tiers-svg rect').count(), review.tiers.length);
  const tierRows = await page.$$eval('#loyalty-tiers-table tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent.trim())));
  assert.deepEqual(tierRows.map((r) => r[1]), review.tiers.map((tier) => String(tier.clients)));
  assert.equal(tierRows[0][0], t('admin.loyalty.chart.no_tier'));
  const clients = review.tiers.reduce((s, tier) => s + tier.clients, 0);
  assert.ok(clients > 0, 'the demo has clients with contracts');
  assert.equal(norm(await page.textContent('#loyalty-tiers-desc')),
    t('admin.loyalty.chart.tiers_desc', { clients, with_discount: clients - review.tiers[0].clients }));

  // The discount per month: twelve bars, in euros written the Basque way.
  assert.equal(await page.locator('#loyalty-months-svg g[data-key]').count(), 12);
  const monthCells = await page.$$eval('#loyalty-months-table tbody td', (tds) => tds.map((td) => td.textContent.replace(/\s+/g, ' ').trim()));
  assert.deepEqual(monthCells, review.months.map((m) => euro(m.discount_cents)));
  assert.equal(norm(await page.textContent('#loyalty-months-desc')),
    t('admin.loyalty.chart.months_desc', { total: euro(review.discount_cents), year }));

  // Gifts against stock: two bars a gift, a legend in words, the table's figures.
  assert.equal(await page.locator('#loyalty-gifts-svg rect').count(), 2 * review.gifts.length);
  assert.match(norm(await page.textContent('#loyalty-gifts .chart-legend')), new RegExp(t('admin.loyalty.chart.handed_out')));
  const giftRows = await page.$$eval('#loyalty-gifts-table tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent.trim())));
  assert.deepEqual(giftRows, review.gifts.map((g) => [g.name, String(g.handed_out), String(g.stock)]));
  // The tallest bar is the largest figure.
  const heights = await page.$$eval('#loyalty-gifts-svg rect', (rs) => rs.map((r) => Number(r.getAttribute('height'))));
  const values = review.gifts.flatMap((g) => [g.handed_out, g.stock]);
  assert.equal(heights.indexOf(Math.max(...heights)), values.indexOf(Math.max(...values)));
  await assertAccessible(page, 'admin loyalty charts');

  // On a phone the charts fit the width: no sideways scrolling of the page.
  const phone = await newPage({ width: 390, height: 844 });
  await phone.goto('/admin#loyalty');
  await phone.waitForSelector('form.login-form');
  await loginOnPage(phone, DEMO.admin);
  await phone.waitForSelector('#loyalty-months-svg');
  await settled(phone);
  const box = await phone.locator('#loyalty-months-svg').boundingBox();
  assert.ok(box && box.x >= 0 && box.x + box.width <= 390, 'the chart fits a phone');
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= 390), 'no sideways scroll');
}
