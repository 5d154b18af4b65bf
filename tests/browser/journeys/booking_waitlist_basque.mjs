// SPDX-License-Identifier: MIT
// Waiting lists in Basque. Ane (the demo student) leaves and joins again the line of
// the demo's full physics workshop from the events panel and sees her place; a maths group session
// next week is filled by two other students, shown to Ane as full with its waiting
// list, and she joins it from the week; "Itxaron-zerrendak" lists both. One of the
// two cancels: the seat is offered to Ane with its deadline, she accepts it in one
// click, and the session is among her lessons — a contract like a booking's. No
// English on the Basque page, no serious axe-core violation.
import assert from 'node:assert/strict';
import { apiCall, apiLogin, assertAccessible, DEMO } from '../lib.mjs';
import { apiAs, businessDay } from '../desk.mjs';
import {
  assertNoEnglish, chooseService, dictionary, loginOnPage, nextWeekSlots, norm, openPage, slotSelector,
} from '../booking.mjs';

const PHYSICS_WORKSHOP = 'Fisika tailerra: esperimentuak sukaldean';

function addDays(isoDate, n) {
  const d = new Date(`${isoDate}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

async function student(url, name, email) {
  const password = `${email.split('@')[0]}-2026-pasahitza`;
  const reg = await apiCall(url, 'POST', '/auth/register', { body: { email, password, full_name: name, locale: 'eu' } });
  assert.equal(reg.status, 201, `register ${email}`);
  const s = await apiLogin(url, email, password);
  return (method, path, body) => apiCall(url, method, path, { body, cookie: s.cookie, csrf: s.csrf });
}

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const check = async (page, what) => {
    await assertNoEnglish(page, web, what);
    await assertAccessible(page, what);
  };

  // A maths group session next week, filled by two students.
  const staff = await apiAs(url, DEMO.staff);
  const made = await staff.call('POST', '/services', {
    name: 'Matematika taldean (itxaron-zerrenda)', subject: 'maths', kind: 'group',
    duration_min: 60, price_cents: 1800, capacity: 2,
  });
  assert.equal(made.status, 201);
  const svc = made.json;
  const today = businessDay(Date.now());
  const monday = addDays(today, 7 - ((new Date(`${today}T12:00:00Z`).getUTCDay() + 6) % 7));
  const slots = (await apiCall(url, 'GET', `/slots?service_id=${svc.id}&from=${monday}&to=${addDays(monday, 6)}`)).json.items;
  // More than a day ahead, so that a student may still cancel it (late on a Sunday
  // next Monday's first sessions are not).
  const session = slots.find((x) => Date.parse(x.starts_at) > Date.now() + 36 * 3600e3);
  assert.ok(session, 'the group service has sessions next week');
  const body = { service_id: svc.id, tutor_id: session.tutor_id, starts_at: session.starts_at };
  const first = await student(url, 'Jone Arrieta', 'jone.arrieta@example.com');
  const second = await student(url, 'Eneko Sarasola', 'eneko.sarasola@example.com');
  const firstLesson = await first('POST', '/lessons', body);
  assert.equal(firstLesson.status, 201);
  assert.equal((await second('POST', '/lessons', body)).status, 201);

  const page = await openPage(newPage, { width: 1280 });
  await loginOnPage(page, DEMO.student.email, DEMO.student.password);
  await page.waitForSelector('#events[data-state=ready]:not([aria-busy])');

  // The full workshop's line, from the events panel: the demo has Ane first in it;
  // she leaves, and joining again puts her behind Garazi.
  const workshop = page.locator('#events li.event', { hasText: PHYSICS_WORKSHOP });
  await workshop.locator('[data-field=full]').waitFor();
  const placeIn = async () => norm(await workshop.locator('[data-field=waitlist-position]').textContent());
  await workshop.locator('[data-field=waitlist-position]').waitFor();
  assert.equal(await placeIn(), t('book.waitlist.position', { position: 1 }));
  await workshop.locator('[data-action=leave-waitlist]').click();
  await workshop.locator('[data-action=join-waitlist]').waitFor();
  assert.equal(norm(await page.textContent('#notice')), t('book.waitlist.left_notice', { title: PHYSICS_WORKSHOP }));
  await workshop.locator('[data-action=join-waitlist]').click();
  await workshop.locator('[data-field=waitlist-position]').waitFor();
  assert.equal(await placeIn(), t('book.waitlist.position', { position: 2 }));
  await page.waitForSelector('#waitlist:not([hidden]) [data-waitlist^=event-]');
  await check(page, 'a place in the workshop\'s line');

  // The full session, from the week: "full" with its waiting list.
  await chooseService(page, svc);
  await nextWeekSlots(page, t);
  const full = page.locator(`${slotSelector({ startsAt: session.starts_at, tutorId: session.tutor_id })}.full`);
  assert.equal(norm(await full.locator('.seats').textContent()), t('book.waitlist.join_session'));
  await full.click();
  await page.waitForSelector('#waitlist [data-waitlist^=slot-]');
  assert.equal(norm(await page.textContent('#notice')),
    t('book.waitlist.joined_notice', { title: svc.name, position: 1 }));
  const entry = page.locator('#waitlist [data-waitlist^=slot-]');
  assert.equal(norm(await entry.locator('[data-field=place]').textContent()),
    t('book.waitlist.position', { position: 1 }));
  assert.equal(await page.locator('#waitlist li').count(), 2);
  await check(page, 'two places in line');

  // A seat frees: it is offered to Ane, who accepts it.
  assert.equal((await first('POST', `/lessons/${firstLesson.json.id}/cancel`)).status, 200);
  await page.reload();
  await page.waitForSelector('#waitlist [data-waitlist^=slot-].offered');
  const offered = page.locator('#waitlist [data-waitlist^=slot-]');
  const offerHead = t('book.waitlist.offer', { until: '\u0000' }).split('\u0000')[0].trim();
  assert.ok(norm(await offered.locator('[data-field=place]').textContent()).startsWith(offerHead));
  await check(page, 'an offer with its deadline');
  await offered.locator('[data-action=accept]').click();
  await page.waitForSelector(`#upcoming-lessons li[data-starts-at="${session.starts_at}"]`);
  assert.equal(norm(await page.textContent('#notice')), t('book.waitlist.accepted_notice', { title: svc.name }));
  assert.equal(await page.locator('#waitlist [data-waitlist^=slot-]').count(), 0);
  const ane = await apiLogin(url, DEMO.student.email, DEMO.student.password);
  const lessons = (await apiCall(url, 'GET', '/me/lessons?limit=200', { cookie: ane.cookie })).json.items;
  const lesson = lessons.find((l) => l.starts_at === session.starts_at && l.service_id === svc.id);
  assert.ok(lesson && lesson.contract_id, 'the accepted seat is a lesson with its contract');
  await check(page, 'the accepted seat among the lessons');
}
