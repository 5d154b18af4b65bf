// SPDX-License-Identifier: MIT
// Moving a lesson on the booking page (API.md v2, "Rescheduling"): a new student
// books a lesson next week, opens "move" on it, picks a later day, sees that day's
// free times of the same service, moves the lesson to one of them and is told so;
// the lesson keeps its id and contract and now starts at the time chosen, the old
// time is free again; giving up a move changes nothing. Then a tutor moves the
// same lesson back on the staff desk, in a dialog. All in Basque.
import assert from 'node:assert/strict';
import { DEMO } from '../lib.mjs';
import {
  apiAsPage, chooseService, dictionary, nextWeekSlots, norm, openPage, privateService,
  registerOnPage,
} from '../booking.mjs';
import { apiAs, loginOnPage as deskLogin, settled, businessDay } from '../desk.mjs';

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const page = await openPage(newPage, { width: 390 });
  await registerOnPage(page, { name: 'Maialen Mugitu', email: 'maialen.move@example.test', password: 'maialen-move-pw' });
  await page.waitForSelector('#lessons:not([hidden])');

  // A lesson next week, booked through the API as the student.
  const svc = await privateService(url);
  await chooseService(page, svc);
  const slots = await nextWeekSlots(page, t);
  assert.ok(slots.length >= 2, 'the demo tutors have free times next week');
  const first = slots[0];
  const student = await apiAs(url, { email: 'maialen.move@example.test', password: 'maialen-move-pw' });
  const booked = await student.call('POST', '/lessons', {
    service_id: svc.id, tutor_id: Number(first.tutorId), starts_at: first.startsAt,
  });
  assert.equal(booked.status, 201);
  const lesson = booked.json;
  await page.reload();
  await page.waitForSelector(`#upcoming-lessons li[data-lesson-id="${lesson.id}"]`);
  const item = page.locator(`#upcoming-lessons li[data-lesson-id="${lesson.id}"]`);

  // Open the move form, then give up: nothing changes.
  await item.locator('[data-action=move]').click();
  await item.locator('.move-form').waitFor();
  await item.getByRole('button', { name: t('move.keep') }).click();
  await item.locator('[data-action=move]').waitFor();

  // Move it to a day later: that day's free times are offered.
  await item.locator('[data-action=move]').click();
  const form = item.locator('.move-form');
  await form.waitFor();
  assert.equal(norm(await form.locator('.move-title').textContent()), t('move.title'));
  const laterDay = businessDay(Date.parse(lesson.starts_at) + 86400e3);
  await form.getByLabel(t('move.date')).fill(laterDay);
  await form.locator('input[name=slot]').first().waitFor();
  const target = await form.locator('input[name=slot]').first().getAttribute('data-starts-at');
  assert.equal(businessDay(target), laterDay);
  await form.locator('input[name=slot]').first().check();
  await form.getByRole('button', { name: t('move.submit') }).click();
  await page.waitForSelector('#notice:not([hidden])');
  assert.match(norm(await page.textContent('#notice')), new RegExp(`^${t('move.done', { when: '' }).trim()}`));

  // The same lesson and contract, at the new time; the list shows it there.
  const after = await apiAsPage(page, url, 'GET', `/lessons/${lesson.id}`);
  assert.equal(after.json.starts_at, target);
  assert.equal(after.json.contract_id, lesson.contract_id);
  assert.equal(after.json.status, 'booked');
  await page.waitForSelector(`#upcoming-lessons li[data-lesson-id="${lesson.id}"][data-starts-at="${target}"]`);
  const mine = (await apiAsPage(page, url, 'GET', '/me/lessons')).json.items;
  assert.equal(mine.length, 1, 'moving made no second lesson');

  // A tutor moves it back to the first time on the desk.
  const desk = await newPage({ width: 1280 });
  await desk.goto('/staff');
  await desk.waitForSelector('form.login-form');
  await deskLogin(desk, DEMO.staff);
  await desk.waitForSelector('#tab-lessons[aria-selected=true]');
  await settled(desk);
  const today = businessDay(Date.now());
  const days = Math.round((Date.parse(`${laterDay}T12:00:00Z`) - Date.parse(`${today}T12:00:00Z`)) / 86400e3);
  for (let i = 0; i < days; i++) {
    const range = await desk.textContent('#lessons-range');
    await desk.getByRole('button', { name: t('staff.lessons.next_day') }).click();
    await desk.waitForFunction((old) => document.querySelector('#lessons-range').textContent !== old, range);
  }
  await settled(desk);
  const row = desk.locator(`li[data-lesson-id="${lesson.id}"]`);
  await row.waitFor();
  await row.locator('[data-action=move]').click();
  const dialog = desk.locator('dialog[open]');
  await dialog.waitFor();
  await dialog.getByLabel(t('move.date')).fill(businessDay(first.startsAt));
  const back = dialog.locator(`input[name=slot][data-starts-at="${first.startsAt}"]`);
  await back.first().waitFor();
  await back.first().check();
  await dialog.getByRole('button', { name: t('move.submit') }).click();
  await desk.waitForSelector('dialog', { state: 'detached' });
  const again = await apiAsPage(page, url, 'GET', `/lessons/${lesson.id}`);
  assert.equal(again.json.starts_at, first.startsAt);
}
