// SPDX-License-Identifier: MIT
// A weekly series on a phone, in Basque (issue 13, items 8 and "after booking"):
// before anything is booked the dialog lists each week — free, taken by someone
// else, or the student's own lesson — and will not book the taken weeks until the
// student chooses "book only the free weeks"; the price follows that choice and
// only the free weeks are booked, on one subscription. The confirmation then offers,
// for each lesson, its calendar file (a valid iCalendar event of that lesson) and
// "move", which moves it right there.
import assert from 'node:assert/strict';
import { apiCall, apiLogin } from '../lib.mjs';
import {
  apiAsPage, chooseService, dictionary, nextWeekSlots, norm, openPage, privateService,
  registerOnPage, slotSelector,
} from '../booking.mjs';

// Weekday and wall-clock time in the business time zone: a weekly series keeps it.
const localKey = (instant) => new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Madrid', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
}).format(new Date(instant));

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const page = await openPage(newPage, { width: 390, height: 844 });
  const me = { email: 'garazi.asteak@example.test', password: 'garazi-asteak-2026' };
  await registerOnPage(page, { name: 'Garazi Asteak', ...me });
  await page.waitForSelector('#who .who-name');

  // A slot next week whose time is also free the three weeks after.
  const svc = await privateService(url);
  await chooseService(page, svc);
  const shown = await nextWeekSlots(page, t);
  const day = (n) => new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10);
  const later = (await apiCall(url, 'GET', `/slots?service_id=${svc.id}&from=${day(6)}&to=${day(36)}`)).json.items;
  const weekOf = (s, k) => later.find((l) => String(l.tutor_id) === s.tutorId
    && localKey(l.starts_at) === localKey(s.startsAt)
    && Math.abs(Date.parse(l.starts_at) - Date.parse(s.startsAt) - k * 7 * 86400e3) <= 3600e3);
  const slot = shown.find((s) => [1, 2, 3].every((k) => weekOf(s, k)));
  assert.ok(slot, 'a slot of next week is free four weeks in a row');
  const [w1, w2] = [weekOf(slot, 1), weekOf(slot, 2)];

  // Week 2 someone else's; week 3 the student's own lesson (same tutor).
  const other = { email: 'peio.asteak@example.test', password: 'peio-asteak-2026' };
  assert.equal((await apiCall(url, 'POST', '/auth/register', {
    body: { ...other, full_name: 'Peio Asteak', locale: 'eu' },
  })).status, 201);
  const peio = await apiLogin(url, other.email, other.password);
  const body = (startsAt) => ({ service_id: svc.id, tutor_id: Number(slot.tutorId), starts_at: startsAt });
  assert.equal((await apiCall(url, 'POST', '/lessons', { cookie: peio.cookie, csrf: peio.csrf, body: body(w1.starts_at) })).status, 201);
  const garazi = await apiLogin(url, me.email, me.password);
  assert.equal((await apiCall(url, 'POST', '/lessons', { cookie: garazi.cookie, csrf: garazi.csrf, body: body(w2.starts_at) })).status, 201);

  // Four weeks asked: the weeks are named before anything is booked.
  await page.click(slotSelector(slot));
  await page.waitForSelector('#quote [data-field=percent]');
  await page.check('#repeat');
  await page.fill('#repeat-weeks', '4');
  await page.waitForSelector('#series-weeks [data-role=weeks-lead]');
  assert.equal(norm(await page.textContent('#series-weeks [data-role=weeks-lead]')),
    t('book.weeks.lead', { count: 2, total: 4 }));
  const states = await page.$$eval('#series-weeks li.week', (li) => li.map((l) => l.dataset.status));
  assert.deepEqual(states, ['free', 'slot_taken', 'client_busy', 'free']);
  assert.match(norm(await page.textContent('#series-weeks li[data-status=slot_taken] strong')),
    new RegExp(`^${t('book.weeks.status.slot_taken')}$`));
  assert.equal(norm(await page.textContent('#series-weeks li[data-status=client_busy] strong')),
    t('book.weeks.status.client_busy'));
  assert.ok(await page.isDisabled('#confirm-book'), 'taken weeks are not booked by accident');

  // "Only the free weeks": two lessons priced, then booked on one subscription.
  assert.equal(norm(await page.textContent('label[for=only-free]')), t('book.weeks.only_free', { count: 2 }));
  await page.check('#only-free');
  await page.waitForFunction(() => /2 ×/.test(document.querySelector('#quote').textContent));
  await page.waitForSelector('#confirm-book:not([disabled])');
  const button = await page.locator('#confirm-book').boundingBox();
  assert.ok(button && button.y + button.height <= 844, 'the confirm button is in view on a phone');
  await page.click('#confirm-book');
  await page.waitForSelector('#confirm .done');
  const booked = await page.$$eval('#confirm .booked-dates li', (li) => li.map((l) => Number(l.dataset.lessonId)));
  assert.equal(booked.length, 2);
  const mine = (await apiAsPage(page, url, 'GET', '/me/lessons')).json.items;
  const starts = mine.filter((l) => booked.includes(l.id)).map((l) => l.starts_at).sort();
  assert.deepEqual(starts, [slot.startsAt, weekOf(slot, 3).starts_at].sort());
  const contracts = new Set(mine.filter((l) => booked.includes(l.id)).map((l) => l.contract_id));
  assert.equal(contracts.size, 1, 'one subscription for the free weeks');

  // "Add to my calendar": that lesson's own .ics.
  const first = page.locator(`#confirm .booked-dates li[data-lesson-id="${booked[0]}"]`);
  const ics = first.locator('[data-action=ics]');
  assert.equal(norm(await ics.evaluate((a) => a.firstChild.textContent)), t('book.done.add_calendar'));
  const file = await page.evaluate(async (href) => {
    const r = await fetch(href);
    return { status: r.status, type: r.headers.get('Content-Type'), text: await r.text() };
  }, await ics.getAttribute('href'));
  assert.equal(file.status, 200);
  assert.match(file.type, /^text\/calendar/);
  assert.equal((file.text.match(/BEGIN:VEVENT/g) || []).length, 1);
  assert.match(file.text, new RegExp(`UID:lesson-${booked[0]}-`));
  assert.match(file.text, /^BEGIN:VCALENDAR\r\n/);

  // "Move" right in the confirmation: to the next day's first free time.
  await first.locator('[data-action=move]').click();
  const form = first.locator('.move-form');
  await form.waitFor();
  const lesson = mine.find((l) => l.id === booked[0]);
  const next = new Date(Date.parse(lesson.starts_at) + 86400e3);
  const nextDay = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Madrid' }).format(next);
  await form.getByLabel(t('move.date')).fill(nextDay);
  await form.locator('input[name=slot]').first().waitFor();
  const target = await form.locator('input[name=slot]').first().getAttribute('data-starts-at');
  await form.locator('input[name=slot]').first().check();
  await form.getByRole('button', { name: t('move.submit') }).click();
  await page.waitForSelector(`#confirm .booked-dates li[data-lesson-id="${booked[0]}"] [data-action=move]`);
  const moved = await apiAsPage(page, url, 'GET', `/lessons/${booked[0]}`);
  assert.equal(moved.json.starts_at, target);
  assert.equal(moved.json.status, 'booked');
}
