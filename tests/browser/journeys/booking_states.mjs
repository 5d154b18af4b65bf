// SPDX-License-Identifier: MIT
// The booking page's less common states, with the network answers shaped by the
// test: a week that fails to load says so and loads again on "try again"; an
// empty current week moves on to the next one and says so; weeks without free
// slots say so and offer the next one; the suggestions card shows
// only the items whose message the dictionaries know, and stays hidden while the
// server has no such route.
import assert from 'node:assert/strict';
import { DEMO } from '../lib.mjs';
import { apiAsPage, dictionary, loginOnPage, norm, weekLoaded } from '../booking.mjs';

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const page = await newPage();

  // The first answer for slots fails (a 4xx: the harness counts 5xx as a server
  // fault); the retry button loads the week.
  let failSlots = 1;
  let emptySlots = false;
  let currentWeek = null; // the "from" of the page's first request: this week's Monday
  await page.route('**/api/v1/slots?*', (route) => {
    const from = new URL(route.request().url()).searchParams.get('from');
    currentWeek ??= from;
    if (failSlots > 0) {
      failSlots--;
      return route.fulfill({
        status: 429, contentType: 'application/json', headers: { 'Retry-After': '1' },
        body: '{"error":{"code":"rate_limited","message":"test"}}',
      });
    }
    if (emptySlots || from === currentWeek)
      return route.fulfill({ status: 200, contentType: 'application/json', body: '{"items":[]}' });
    return route.continue();
  });
  await page.goto('/');
  await page.waitForSelector('body:not(.loading)');
  await page.waitForSelector('#week .load-error');
  assert.equal(norm(await page.textContent('#week .load-error p')), t('error.rate_limited'));
  await page.click(`#week .load-error button:has-text("${t('common.retry')}")`);
  await weekLoaded(page);
  // This week is (made) empty: the next one is shown, with a note.
  assert.equal(norm(await page.textContent('#week .notice.info')), t('book.week.advanced'));
  assert.ok(await page.locator('#week .slot').count() > 0);
  const firstShown = await page.getAttribute('#week .slot', 'data-starts-at');
  const sunday = new Date(Date.parse(`${currentWeek}T12:00:00Z`) + 6 * 86400e3).toISOString().slice(0, 10);
  assert.ok(firstShown.slice(0, 10) > sunday, 'the slots shown are after this week');
  assert.equal(await page.isDisabled(`#week-card button:has-text("${t('book.week.previous')}")`), false);

  // No free slots: the week says so and offers the next one.
  emptySlots = true;
  await page.click(`#week-card button:has-text("${t('book.week.next')}")`);
  await weekLoaded(page);
  assert.equal(norm(await page.textContent('#week .empty-week p')), t('book.week.empty'));
  assert.equal(await page.locator('#week .slot').count(), 0);
  assert.equal(await page.locator('#week .no-slots').count(), 7);
  await page.click(`#week .empty-week button:has-text("${t('book.week.next')}")`);
  await weekLoaded(page);
  emptySlots = false;

  // Suggestions: as the server answers (404 while the route is not there: hidden).
  await loginOnPage(page, DEMO.student.email, DEMO.student.password);
  await page.waitForSelector('#loyalty-next');
  const real = await apiAsPage(page, url, 'GET', '/me/suggestions');
  if (real.status === 404) {
    await page.waitForSelector('#suggestions[data-state=unavailable]', { state: 'attached' });
    assert.equal(await page.isVisible('#suggestions'), false);
  } else {
    // The demo student's real suggestions, in Basque: every sentence filled in, no
    // raw instant (dates in the business time zone), the discount as the server says.
    assert.equal(real.status, 200);
    const items = real.json.items;
    assert.ok(items.length > 0, 'the demo student has suggestions');
    await page.waitForSelector('#suggestions .suggestions li');
    const shown = await page.$$eval('#suggestions li', (lis) => lis.map((li) => li.textContent));
    assert.equal(shown.length, items.length);
    for (const text of shown) {
      assert.doesNotMatch(text, /\{\w+\}/, `placeholder left in "${text}"`);
      assert.doesNotMatch(text, /\d{4}-\d\d-\d\dT/, `raw instant in "${text}"`);
    }
    const discount = items.find((i) => i.kind === 'next_discount');
    if (discount) {
      assert.ok(shown.includes(t('suggestion.next_discount', discount.params)),
        `next_discount sentence among ${JSON.stringify(shown)}`);
    }
  }
  // Items whose key the dictionaries know are shown (with their params); others are skipped.
  await page.route('**/api/v1/me/suggestions', (route) => route.fulfill({
    status: 200, contentType: 'application/json',
    body: JSON.stringify({
      items: [
        { kind: 'known', message_key: 'common.logged_in_as', params: { name: 'Proba' } },
        { kind: 'unknown', message_key: 'suggestion.not_in_any_dictionary', params: {} },
      ],
    }),
  }));
  await page.reload();
  await page.waitForSelector('#suggestions .suggestions li');
  assert.deepEqual(await page.$$eval('#suggestions li', (lis) => lis.map((li) => li.textContent)),
    [t('common.logged_in_as', { name: 'Proba' })]);
  assert.equal(await page.textContent('#suggestions h2'), t('book.suggestions.title'));
  // Nothing known to say: no card.
  await page.route('**/api/v1/me/suggestions', (route) => route.fulfill({
    status: 200, contentType: 'application/json',
    body: '{"items":[{"kind":"x","message_key":"suggestion.not_in_any_dictionary","params":{}}]}',
  }));
  await page.reload();
  await page.waitForSelector('#suggestions[data-state=ready]', { state: 'attached' });
  assert.equal(await page.isVisible('#suggestions'), false);
}
