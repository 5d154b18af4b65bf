// SPDX-License-Identifier: MIT
// What goes wrong on the booking page is said in the page's language: a wrong
// password, an e-mail that already has an account, an inquiry with neither e-mail
// nor phone, a slot someone else took first, a weekly series with a taken week.
// Switching to Spanish or English re-renders the dynamic parts (days of
// the week view, prices) and saves a logged-in student's locale on the server.
import assert from 'node:assert/strict';
import { apiCall, apiLogin, DEMO } from '../lib.mjs';
import {
  apiAsPage, chooseService, dictionary, loginOnPage, nextWeekSlots, norm, openPage,
  privateService, registerOnPage, slotSelector, weekLoaded,
} from '../booking.mjs';

// Weekday and wall-clock time in the business time zone: a weekly series keeps it.
const localKey = (instant) => new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Madrid', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
}).format(new Date(instant));
const localTime = (instant) => localKey(instant).split(' ')[1];

async function switchTo(page, lang) {
  await page.selectOption('#language', lang);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

export default async function ({ newPage, url, web }) {
  const eu = dictionary(web, 'eu').t;
  const es = dictionary(web, 'es').t;
  const en = dictionary(web, 'en').t;
  const page = await openPage(newPage);

  // A wrong password: the translated sentence on the login form.
  await loginOnPage(page, DEMO.student.email, 'ez-da-hau-pasahitza');
  const loginError = '#account-panel-login [data-role=form-error]';
  await page.waitForSelector(`${loginError}:not([hidden])`);
  assert.equal(norm(await page.textContent(loginError)), eu('error.invalid_credentials'));
  assert.equal(await page.textContent('#who'), eu('book.account.login_link'));

  // Registering an e-mail that has an account: email_taken, next to the form,
  // with a way to log in instead.
  await registerOnPage(page, { name: 'Ane Bis', email: DEMO.student.email, password: 'beste-pasahitz-luze-bat' });
  const registerError = '#account-panel-register [data-role=form-error]';
  await page.waitForSelector(`${registerError}:not([hidden])`);
  assert.match(norm(await page.textContent(registerError)), new RegExp(`^${eu('error.email_taken')}`));
  await page.click(`${registerError} button`);
  assert.equal(await page.inputValue('#account-panel-login input[name=email]'), DEMO.student.email);

  // An inquiry with neither e-mail nor phone: the field error, nothing sent.
  await page.fill('#inquiry-full_name', 'Koldo Etxebeste');
  await page.fill('#inquiry-subject', 'Taldeko klaseak');
  await page.fill('#inquiry-message', 'Zenbat ikasle daude talde bakoitzean?');
  await page.click('#inquiry-form button[type=submit]');
  await page.waitForSelector('#inquiry-email-error');
  assert.equal(await page.textContent('#inquiry-email-error'), eu('book.contact.email_or_phone'));
  assert.equal(await page.getAttribute('#inquiry-email', 'aria-invalid'), 'true');
  assert.equal(norm(await page.textContent('#inquiry-form [data-role=form-error]')), eu('error.validation_failed'));
  // With a phone it goes through, and the answer's due date is shown.
  await page.fill('#inquiry-phone', '+34 600 111 222');
  await page.click('#inquiry-form button[type=submit]');
  await page.waitForSelector('#inquiry-due');
  assert.match(norm(await page.textContent('#inquiry-due')), new RegExp(eu('book.contact.sent_due', { when: 'X' }).split('X')[0]));

  // The language switch re-renders days and prices.
  await weekLoaded(page);
  const euDay = await page.textContent('#week .day h3');
  const euPrice = norm(await page.textContent('#choose .service-price strong'));
  assert.match(euPrice, /^\d+,\d\d €$/);
  await switchTo(page, 'en');
  assert.equal(await page.textContent('h1'), en('book.title'));
  const enDay = await page.textContent('#week .day h3');
  assert.notEqual(enDay, euDay);
  assert.match(enDay, /\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\b/);
  assert.match(norm(await page.textContent('#choose .service-price strong')), /^€\d+\.\d\d$/);
  assert.equal(norm(await page.textContent('#choose .service-price .small')), en('book.service.per_session'));
  assert.equal(await page.textContent('#week-card h2 span:not(.step)'), en('book.week.title'));
  await switchTo(page, 'es');
  assert.match(await page.textContent('#week .day h3'), /\b(lun|mar|mié|jue|vie|sáb|dom)/);
  assert.equal(norm(await page.textContent('#choose .service-price strong')), euPrice);
  assert.equal(norm(await page.textContent('#choose .service-price .small')), es('book.service.per_session'));

  // A logged-in student's choice of language is saved as the client's locale.
  await switchTo(page, 'eu');
  await registerOnPage(page, { name: 'Leire Mugika', email: 'leire.mugika@example.com', password: 'hizkuntzak-2026-leire' });
  await page.waitForSelector('#who .who-name');
  assert.equal((await apiAsPage(page, url, 'GET', '/me/client')).json.locale, 'eu');
  for (const lang of ['es', 'en']) {
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/me/client')
      && r.request().method() === 'PATCH');
    await switchTo(page, lang);
    assert.equal((await saved).status(), 200);
    assert.equal((await apiAsPage(page, url, 'GET', '/me/client')).json.locale, lang);
  }
  assert.equal(await page.textContent('#who .who-name'), en('common.logged_in_as', { name: 'Leire Mugika' }));

  // Someone else takes a week of a series while the confirmation is open: nothing is
  // booked and the taken date is listed; then the very slot: slot_taken, and the
  // week no longer offers it.
  await switchTo(page, 'eu');
  const svc = await privateService(url);
  await chooseService(page, svc);
  const shown = await nextWeekSlots(page, eu);
  const day = (n) => new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10);
  const later = (await apiCall(url, 'GET', `/slots?service_id=${svc.id}&from=${day(6)}&to=${day(22)}`)).json.items;
  const pairs = shown.map((s) => [s, later.find((l) => String(l.tutor_id) === s.tutorId
    && localKey(l.starts_at) === localKey(s.startsAt)
    && Math.abs(Date.parse(l.starts_at) - Date.parse(s.startsAt) - 7 * 86400e3) <= 3600e3)])
    .filter(([, l]) => l);
  assert.ok(pairs.length > 0, 'a slot of next week is also free the week after');
  const [slot, weekAfter] = pairs[Math.floor(pairs.length / 2)];
  const other = { email: 'oier.lasa@example.com', password: 'beste-ikasle-bat-2026' };
  assert.equal((await apiCall(url, 'POST', '/auth/register', {
    body: { ...other, full_name: 'Oier Lasa', locale: 'eu' },
  })).status, 201);
  const oier = await apiLogin(url, other.email, other.password);
  const take = (startsAt) => apiCall(url, 'POST', '/lessons', {
    cookie: oier.cookie, csrf: oier.csrf,
    body: { service_id: svc.id, tutor_id: Number(slot.tutorId), starts_at: startsAt },
  });

  await page.click(slotSelector(slot));
  await page.waitForSelector('#quote [data-field=percent]');
  await page.check('#repeat');
  await page.fill('#repeat-weeks', '3');
  await page.waitForFunction(() => /3 ×/.test(document.querySelector('#quote').textContent));
  await page.waitForSelector('#confirm-book:not([disabled])');
  assert.equal((await take(weekAfter.starts_at)).status, 201);
  await page.click('#confirm-book');
  await page.waitForSelector('#confirm .conflicts li');
  assert.match(norm(await page.textContent('#confirm [data-role=form-error]')),
    new RegExp(`^${eu('book.confirm.conflicts', { count: 1 })}`));
  assert.equal(await page.locator('#confirm .conflicts li').count(), 1);
  assert.match(await page.textContent('#confirm .conflicts li'), new RegExp(localTime(weekAfter.starts_at)));
  assert.equal((await apiAsPage(page, url, 'GET', '/me/lessons')).json.items.length, 0, 'nothing was booked');

  await page.uncheck('#repeat');
  await page.waitForSelector('#confirm-book:not([disabled])');
  assert.equal((await take(slot.startsAt)).status, 201);
  await page.click('#confirm-book');
  await page.waitForSelector('#confirm-other');
  assert.equal(norm(await page.textContent('#confirm [data-role=form-error]')), eu('error.slot_taken'));
  await page.waitForSelector(slotSelector(slot), { state: 'detached' });
  await page.click('#confirm-other');
  await page.waitForSelector('#confirm', { state: 'hidden' });
  assert.equal((await apiAsPage(page, url, 'GET', '/me/lessons')).json.items.length, 0);
}
