// SPDX-License-Identifier: MIT
// "My calendar" on the booking page: the student sees the private feed URL (absolute,
// with a webcal: twin and a download link), copies it, and the URL — fetched from
// Node, without any login — answers a text/calendar body with the student's
// lesson. Making a new link asks first (keeping the old one is the focused choice);
// confirmed, the page shows a new URL, the old one answers 404 and the new one works.
import assert from 'node:assert/strict';
import { DEMO } from '../lib.mjs';
import { apiAsPage, communityReady, dictionary, loginOnPage, norm, openPage } from '../booking.mjs';

const icsTime = (instant) => instant.replace(/[-:]/g, '').replace(/\.\d+/, '');

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const page = await openPage(newPage, { width: 390 });
  // A visitor has no calendar card.
  await communityReady(page);
  assert.equal(await page.isVisible('#calendar'), false);

  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await loginOnPage(page, DEMO.student.email, DEMO.student.password);
  await communityReady(page, { student: true });
  assert.equal(norm(await page.textContent('#calendar h2')), t('book.calendar.title'));

  const feed = await page.inputValue('#calendar-url');
  assert.match(feed, new RegExp(`^${url}/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
  assert.equal((await apiAsPage(page, url, 'GET', '/me/calendar')).json.url, feed.slice(url.length));
  assert.equal(await page.getAttribute('#calendar-webcal', 'href'), feed.replace(/^http:/, 'webcal:'));
  assert.equal(await page.getAttribute('#calendar-download', 'href'), '/api/v1/me/calendar.ics');
  assert.equal(await page.textContent('label[for=calendar-url]'), t('book.calendar.url_label'));

  // Copy: the link is on the clipboard and the page says so.
  await page.click('#calendar-copy');
  await page.waitForFunction(() => document.querySelector('#calendar-status').textContent !== '');
  assert.equal(await page.textContent('#calendar-status'), t('book.calendar.copied'));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), feed);

  // The feed, as a calendar app would read it: no cookie, the student's lesson in it.
  const lessons = (await apiAsPage(page, url, 'GET', '/me/lessons')).json.items;
  const lesson = lessons.find((l) => l.status === 'booked' && Date.parse(l.starts_at) > Date.now());
  assert.ok(lesson, 'the demo student has a lesson to come');
  const read = await fetch(feed);
  assert.equal(read.status, 200);
  assert.match(read.headers.get('content-type'), /^text\/calendar/);
  const ics = (await read.text()).replace(/\r\n[ \t]/g, '');
  assert.match(ics, /^BEGIN:VCALENDAR\r\n/);
  const event = ics.split('BEGIN:VEVENT').find((v) => v.includes(`UID:lesson-${lesson.id}-`));
  assert.ok(event, `lesson ${lesson.id} is in the feed`);
  assert.match(event, new RegExp(`\\r\\nDTSTART:${icsTime(lesson.starts_at)}\\r\\n`));
  assert.match(event, new RegExp(`\\r\\nDTEND:${icsTime(lesson.ends_at)}\\r\\n`));

  // The download link gives the same calendar as a file.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#calendar-download')]);
  assert.equal(download.suggestedFilename(), 'harreman.ics');
  const { readFile } = await import('node:fs/promises');
  const file = (await readFile(await download.path(), 'utf8')).replace(/\r\n[ \t]/g, '');
  assert.ok(file.includes(`UID:lesson-${lesson.id}-`), 'the downloaded file has the lesson');

  // A new link: asked first; "keep" is focused and changes nothing.
  await page.click('#calendar [data-action=rotate]');
  await page.waitForSelector('#calendar-rotate-ask');
  assert.equal(norm(await page.textContent('#calendar-rotate-ask')), t('book.calendar.rotate_ask'));
  assert.equal(await page.evaluate(() => document.activeElement.dataset.action), 'rotate-no');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#calendar [data-action=rotate]');
  assert.equal(await page.inputValue('#calendar-url'), feed);
  assert.equal((await fetch(feed)).status, 200);

  // Confirmed: a new URL, the old one is gone at once.
  await page.click('#calendar [data-action=rotate]');
  await page.click('#calendar [data-action=rotate-yes]');
  await page.waitForFunction((old) => document.querySelector('#calendar-url').value !== old, feed);
  const fresh = await page.inputValue('#calendar-url');
  assert.match(fresh, new RegExp(`^${url}/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
  assert.equal(await page.textContent('#calendar-status'), t('book.calendar.rotated'));
  assert.equal(await page.getAttribute('#calendar-webcal', 'href'), fresh.replace(/^http:/, 'webcal:'));
  assert.equal(await page.evaluate(() => document.activeElement.id), 'calendar-url');
  assert.equal((await fetch(feed)).status, 404);
  const again = await fetch(fresh);
  assert.equal(again.status, 200);
  assert.ok((await again.text()).includes(`UID:lesson-${lesson.id}-`));
  // The page shows the same URL after a reload.
  await page.reload();
  await communityReady(page, { student: true });
  assert.equal(await page.inputValue('#calendar-url'), fresh);
}
