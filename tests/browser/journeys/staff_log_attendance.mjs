// SPDX-License-Identifier: MIT
// A student who logs in on /staff is told the page is for staff. A tutor logs in,
// finds today's lesson that has started (a walk-in first recorded as a no-show),
// logs it as attended with notes, level B2 and a fast pace, sees the lesson change
// on the board, and then finds the new level and pace on the client's record,
// also after a reload.
import assert from 'node:assert/strict';
import { DEMO } from '../lib.mjs';
import {
  apiAs, businessDay, dictionary, loginOnPage, norm, settled, startedWalkIn,
} from '../desk.mjs';

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');

  // A student is turned away, in Basque.
  const student = await newPage({ width: 390 });
  await student.goto('/staff');
  await student.waitForSelector('form.login-form');
  await loginOnPage(student, DEMO.student);
  await student.waitForSelector('.desk-door[role=alert]');
  assert.equal(norm(await student.textContent('.desk-door p')), t('login.staff_only'));
  assert.equal(await student.locator('[role=tablist]').count(), 0, 'no desk for a student');
  await student.close();

  // Setup: a phone client whose lesson started a minute ago, marked as a no-show.
  const staff = await apiAs(url, DEMO.staff);
  const made = await staff.call('POST', '/clients', {
    full_name: 'Oihana Zubizarreta', phone: '+34 600 111 222', preferred_channel: 'phone', level: 'B1',
  });
  assert.equal(made.status, 201);
  const client = made.json;
  const lesson = await startedWalkIn(staff, client.id);

  const page = await newPage({ width: 1280 });
  await page.goto('/staff');
  await page.waitForSelector('form.login-form');
  await loginOnPage(page, DEMO.staff);
  await page.waitForSelector('#tab-lessons[aria-selected=true]');
  await settled(page);
  // The day shown is today; a lesson that started before midnight is on the day before.
  if (businessDay(lesson.starts_at) !== businessDay(Date.now())) {
    await page.getByRole('button', { name: t('staff.lessons.previous_day') }).click();
    await settled(page);
  }

  const row = page.locator(`li[data-lesson-id="${lesson.id}"]`);
  await row.waitFor();
  assert.equal(norm(await row.locator('.client-link').textContent()), client.full_name);
  assert.equal(norm(await row.locator('.badge').textContent()), t('staff.lesson.no_show'));

  // Log it: attended, notes, level and pace, in the dialog.
  await row.getByRole('button', { name: new RegExp(`^${t('staff.log.edit')}`) }).click();
  const dialog = page.locator('dialog[open]');
  await dialog.waitFor();
  assert.equal(norm(await dialog.locator('h2').textContent()), t('staff.log.title', { name: client.full_name }));
  assert.equal(await dialog.getByLabel(t('staff.client.level')).inputValue(), 'B1', 'the current level is offered');
  await dialog.getByLabel(t('staff.lesson.attended')).check();
  await dialog.getByLabel(t('staff.log.notes')).fill('Berandu iritsi da. Iraganeko aditzak landu ditugu.');
  await dialog.getByLabel(t('staff.client.level')).fill('B2');
  await dialog.getByLabel(t('staff.client.pace')).selectOption({ label: t('staff.pace.fast') });
  await dialog.getByRole('button', { name: t('staff.log.save') }).click();
  await page.waitForSelector('dialog', { state: 'detached' });
  await page.waitForSelector('#notice:not([hidden])');
  assert.equal(norm(await page.textContent('#notice')), t('staff.log.saved', { name: client.full_name }));

  // The board now shows the lesson as attended, with its notes.
  await settled(page);
  await page.waitForFunction(([id, text]) => {
    const badge = document.querySelector(`li[data-lesson-id="${id}"] .badge`);
    return badge && badge.textContent.trim() === text;
  }, [lesson.id, t('staff.lesson.attended')]);
  assert.equal(norm(await row.locator('.log-notes').textContent()), 'Berandu iritsi da. Iraganeko aditzak landu ditugu.');

  // The client's record shows the new level and pace.
  await row.locator('.client-link').click();
  await page.waitForSelector('#record-title');
  await settled(page);
  assert.equal(norm(await page.textContent('#record-title')), client.full_name);
  assert.equal(norm(await page.textContent('[data-field=level]')), 'B2');
  assert.equal(norm(await page.textContent('[data-field=pace]')), t('staff.pace.fast'));
  assert.equal(norm(await page.locator(`.record li[data-lesson-id="${lesson.id}"] .badge`).textContent()),
    t('staff.lesson.attended'));

  // And after a reload (the record comes from the server again, #clients/<id>).
  await page.reload();
  await page.waitForSelector('#record-title');
  await settled(page);
  assert.equal(norm(await page.textContent('[data-field=level]')), 'B2');
  assert.equal(norm(await page.textContent('[data-field=pace]')), t('staff.pace.fast'));
}
