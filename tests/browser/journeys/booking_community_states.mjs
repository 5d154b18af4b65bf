// SPDX-License-Identifier: MIT
// The community panels' loading, empty and error states, with the network answers
// shaped by the test: events that fail to load say so in Basque and load on "try
// again"; no events and no published contributions say so; a calendar URL that
// fails to load offers a retry and then shows the link; a new link that cannot be
// made says why and keeps the old one.
import assert from 'node:assert/strict';
import { DEMO } from '../lib.mjs';
import { communityReady, dictionary, loginOnPage, norm } from '../booking.mjs';

const fail = (route) => route.fulfill({
  status: 429, contentType: 'application/json', headers: { 'Retry-After': '1' },
  body: '{"error":{"code":"rate_limited","message":"test"}}',
});
const empty = (route) => route.fulfill({
  status: 200, contentType: 'application/json', body: '{"items":[],"next_after":null}',
});

export default async function ({ newPage, web }) {
  const { t } = dictionary(web, 'eu');
  const page = await newPage({ width: 390 });

  // Events: the first answer fails, the retry gets an empty list. Contributions: none published.
  let eventsAnswers = 0;
  await page.route('**/api/v1/events?*', (route) => (eventsAnswers++ === 0 ? fail(route) : empty(route)));
  await page.route('**/api/v1/contributions?*', empty);
  await page.goto('/');
  await page.waitForSelector('#events[data-state=error] .load-error');
  assert.equal(norm(await page.textContent('#events .load-error p')), t('error.rate_limited'));
  await page.click(`#events .load-error button:has-text("${t('common.retry')}")`);
  await page.waitForSelector('#events[data-state=ready]');
  assert.equal(norm(await page.textContent('#events .empty')), t('book.community.events.empty'));
  await page.waitForSelector('#contributions[data-state=ready]');
  assert.equal(norm(await page.textContent('#contributions .empty')), t('book.community.contrib.empty'));
  await page.unroute('**/api/v1/events?*');
  await page.unroute('**/api/v1/contributions?*');

  // The calendar URL: the first read fails, the retry shows it.
  let calendarAnswers = 0;
  await page.route('**/api/v1/me/calendar', (route) => (calendarAnswers++ === 0 ? fail(route) : route.continue()));
  await loginOnPage(page, DEMO.student.email, DEMO.student.password);
  await page.waitForSelector('#calendar[data-state=error] .load-error');
  assert.equal(norm(await page.textContent('#calendar .load-error p')), t('error.rate_limited'));
  await page.click(`#calendar .load-error button:has-text("${t('common.retry')}")`);
  await communityReady(page, { student: true });
  const feed = await page.inputValue('#calendar-url');

  // A new link that cannot be made: the reason, the old link kept, and the question still open.
  await page.route('**/api/v1/me/calendar/rotate', fail);
  await page.click('#calendar [data-action=rotate]');
  await page.click('#calendar [data-action=rotate-yes]');
  await page.waitForFunction(() => document.querySelector('#calendar-status').textContent !== '');
  assert.equal(norm(await page.textContent('#calendar-status')), t('error.rate_limited'));
  assert.equal(await page.inputValue('#calendar-url'), feed);
  await page.waitForSelector('#calendar [data-action=rotate-yes]:not([disabled])');
}
