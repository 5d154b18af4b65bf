// SPDX-License-Identifier: MIT
// The staff desk and the admin page, logged in, at phone and desktop width: every
// tab (and a client's record with its order panels open) shows no English-only
// sentence of en.json on the Basque page, axe-core finds no serious or critical
// violation, and nothing is wider than the window. The tabs follow the arrow keys,
// and the loyalty report's order changes when a column heading is activated from
// the keyboard.
import assert from 'node:assert/strict';
import { assertAccessible, DEMO, englishOnlySentences, visibleTexts } from '../lib.mjs';
import { dictionary, loginInto, norm, settled } from '../desk.mjs';

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

  for (const width of [390, 1280]) {
    // The staff desk: every tab, a record, and its two order panels.
    const staff = await newPage({ width });
    await loginInto(staff, url, DEMO.staff);
    await staff.goto('/staff');
    await staff.waitForSelector('#tab-lessons[aria-selected=true]');
    await staff.waitForSelector('.tutor-card');
    await check(staff, english, `/staff lessons (day) at ${width}px`);
    await staff.getByRole('button', { name: t('staff.lessons.mode_week') }).click();
    await staff.waitForSelector('.tutor-card .lessons');
    await check(staff, english, `/staff lessons (week) at ${width}px`);
    for (const tab of ['clients', 'inquiries']) {
      await staff.getByRole('tab', { name: t(`staff.tab.${tab}`) }).click();
      await staff.waitForSelector(tab === 'clients' ? '.client-list' : 'ul.inquiries');
      await check(staff, english, `/staff ${tab} at ${width}px`);
    }
    await staff.goto('/staff#clients/1');
    await staff.waitForSelector('#record-title');
    await check(staff, english, `/staff client record at ${width}px`);
    await staff.getByRole('button', { name: t('staff.contract.open') }).click();
    await staff.waitForSelector('#contract-quote .quote-box');
    await check(staff, english, `/staff new contract at ${width}px`);
    await staff.getByRole('button', { name: t('staff.book.open') }).click();
    await staff.waitForSelector('.book-form .slots .week, .book-form .slots .empty');
    await staff.getByLabel(t('staff.book.new_one_off')).check();
    await staff.waitForSelector('.book-form .quote-box');
    await check(staff, english, `/staff booking at ${width}px`);
    await staff.close();

    // The admin page: every tab.
    const admin = await newPage({ width });
    await loginInto(admin, url, DEMO.admin);
    await admin.goto('/admin');
    await admin.waitForSelector('#tab-loyalty[aria-selected=true]');
    const ready = {
      loyalty: 'table.report', tiers: 'tr.tier-row', gifts: '.gift-row', users: 'table.users', audit: 'table.audit',
    };
    for (const [tab, selector] of Object.entries(ready)) {
      if (tab !== 'loyalty') await admin.getByRole('tab', { name: t(`admin.tab.${tab}`) }).click();
      await admin.waitForSelector(selector);
      await check(admin, english, `/admin ${tab} at ${width}px`);
    }
    await admin.close();
  }

  // Keyboard: arrow keys move between tabs; a report heading sorts with Enter and Space.
  const admin = await newPage({ width: 1280 });
  await loginInto(admin, url, DEMO.admin);
  await admin.goto('/admin#loyalty');
  await admin.waitForSelector('table.report tbody tr');
  await settled(admin);
  await admin.focus('#tab-loyalty');
  await admin.keyboard.press('ArrowRight');
  await admin.waitForSelector('#tab-tiers[aria-selected=true]');
  assert.equal(await admin.evaluate(() => document.activeElement.id), 'tab-tiers');
  await admin.waitForSelector('tr.tier-row');
  await admin.keyboard.press('ArrowLeft');
  await admin.waitForSelector('#tab-loyalty[aria-selected=true]');
  await admin.waitForSelector('table.report tbody tr');

  const names = () => admin.$$eval('table.report tbody tr th', (cells) => cells.map((c) => c.textContent.trim()));
  const sortOf = (key) => admin.getAttribute(`th:has(> button[data-sort="${key}"])`, 'aria-sort');
  assert.equal(await sortOf('discount_total_cents'), 'descending', 'sorted by discount granted at first');
  assert.equal(await sortOf('full_name'), null);
  const first = await names();
  const byName = [...first].sort((a, b) => a.localeCompare(b, 'eu'));
  assert.notDeepEqual(first, byName, 'the demo report is not already in name order');

  await admin.focus('button[data-sort="full_name"]');
  await admin.keyboard.press('Enter');
  await admin.waitForFunction(() => document.querySelector('th:has(> button[data-sort="full_name"])')
    ?.getAttribute('aria-sort') === 'ascending');
  assert.deepEqual(await names(), byName, 'Enter sorts by name, A to Z');
  assert.equal(await sortOf('discount_total_cents'), null, 'only one column is sorted');
  assert.equal(await admin.evaluate(() => document.activeElement.dataset.sort), 'full_name', 'focus stays on the heading');

  await admin.keyboard.press('Space');
  await admin.waitForFunction(() => document.querySelector('th:has(> button[data-sort="full_name"])')
    ?.getAttribute('aria-sort') === 'descending');
  assert.deepEqual(await names(), [...byName].reverse(), 'Space turns it round, Z to A');

  // The CSV link is the report's own, and it downloads with the session cookie.
  const href = await admin.getAttribute('a[download]', 'href');
  assert.equal(href, '/api/v1/reports/loyalty?format=csv');
  const [download] = await Promise.all([admin.waitForEvent('download'), admin.click('a[download]')]);
  const path = await download.path();
  const { readFileSync } = await import('node:fs');
  const csv = readFileSync(path, 'utf8');
  assert.ok(csv.startsWith('\ufeffclient_id,full_name,contracts,current_percent,next_percent,discount_total_cents,last_contract_at,family_id\r\n'),
    'the CSV starts with the BOM and the header row');
  assert.equal(csv.trim().split('\r\n').length, first.length + 1, 'one line per client of the table');
}
