// SPDX-License-Identifier: MIT
// Community events on the booking page: a visitor sees the events and is asked to
// log in; a student registers for a demo workshop with the keyboard, sees its
// places left go down by one and the button become "withdraw", withdraws and sees
// the place given back. An event made full through the API (capacity =
// registrations) refuses the registration with the translated sentence and then
// shows as full, with only its waiting list to join; a refusal because the event has started is
// translated too.
import assert from 'node:assert/strict';
import { apiCall, apiLogin, DEMO } from '../lib.mjs';
import {
  apiAsPage, communityReady, dictionary, loginOnPage, norm, openPage, withLink,
} from '../booking.mjs';

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const page = await openPage(newPage);
  await communityReady(page);

  // A visitor: every upcoming event, no buttons, a prompt to log in that leads to the form.
  const publicEvents = (await apiCall(url, 'GET', '/events')).json.items;
  assert.ok(publicEvents.length >= 3, 'the demo has events');
  assert.equal(await page.locator('#events-list > li').count(), publicEvents.length);
  assert.equal(await page.locator('#events [data-action]').count(), 0);
  assert.equal(norm(await page.textContent('#events .login-prompt')),
    withLink(t, 'book.community.events.login', 'book.community.login_link'));
  await page.click('#events .login-prompt a');
  assert.equal(await page.evaluate(() => document.activeElement.name), 'email');

  await loginOnPage(page, DEMO.student.email, DEMO.student.password);
  await page.waitForSelector('#events [data-action]');
  await communityReady(page, { student: true });

  // The demo workshop the student is not registered for.
  const mine = (await apiAsPage(page, url, 'GET', '/events')).json.items;
  const workshop = mine.find((e) => e.kind === 'workshop' && !e.is_registered && e.places_left > 1);
  assert.ok(workshop, 'a workshop with places the student has not joined');
  const item = `#events-list li[data-event-id="${workshop.id}"]`;
  const places = async () => norm(await page.textContent(`${item} [data-field=places]`));
  assert.equal(norm(await page.textContent(`${item} h3`)), workshop.title);
  assert.equal(await places(), t('book.community.events.places', { count: workshop.places_left }));
  assert.match(norm(await page.textContent(`${item} .event-when`)), /\d\d:\d\d–\d\d:\d\d$/);
  assert.equal(await page.textContent(`${item} [data-field=body]`), workshop.description);
  // The talk Ane is registered for says so, with a button to withdraw.
  const talk = mine.find((e) => e.is_registered);
  assert.ok(talk, 'the demo student is registered for an event');
  await page.waitForSelector(`#events-list li[data-event-id="${talk.id}"] [data-field=registered]`);
  await page.waitForSelector(`#events-list li[data-event-id="${talk.id}"] [data-action=withdraw]`);

  // Register with the keyboard: one place fewer, the button becomes "withdraw" and keeps the focus.
  await page.focus(`${item} [data-action=register]`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`${item} [data-action=withdraw]:not([disabled])`);
  assert.equal(await places(), t('book.community.events.places', { count: workshop.places_left - 1 }));
  assert.equal(norm(await page.textContent(`${item} [data-field=registered]`)), t('book.community.events.registered'));
  assert.equal(norm(await page.textContent('#notice')),
    t('book.community.events.registered_notice', { title: workshop.title }));
  assert.equal(await page.evaluate(() => document.activeElement.dataset.action), 'withdraw');
  let now = (await apiAsPage(page, url, 'GET', '/events')).json.items.find((e) => e.id === workshop.id);
  assert.equal(now.is_registered, true);
  assert.equal(now.places_left, workshop.places_left - 1);

  // Withdraw: the place is back.
  await page.click(`${item} [data-action=withdraw]`);
  await page.waitForSelector(`${item} [data-action=register]:not([disabled])`);
  assert.equal(await places(), t('book.community.events.places', { count: workshop.places_left }));
  assert.equal(await page.locator(`${item} [data-field=registered]`).count(), 0);
  assert.equal(norm(await page.textContent('#notice')),
    t('book.community.events.withdrawn_notice', { title: workshop.title }));
  now = (await apiAsPage(page, url, 'GET', '/events')).json.items.find((e) => e.id === workshop.id);
  assert.equal(now.is_registered, false);

  // The office fills the workshop meanwhile (capacity = registrations): registering
  // is refused with the translated sentence, and the event then shows as full.
  const staff = await apiLogin(url, DEMO.staff.email, DEMO.staff.password);
  const filled = await apiCall(url, 'PATCH', `/events/${workshop.id}`, {
    cookie: staff.cookie, csrf: staff.csrf, body: { capacity: now.registered_count },
  });
  assert.equal(filled.status, 200, JSON.stringify(filled.json));
  assert.equal(filled.json.places_left, 0);
  await page.click(`${item} [data-action=register]`);
  await page.waitForSelector(`${item} [data-role=event-error]`);
  assert.equal(norm(await page.textContent(`${item} [data-role=event-error]`)), t('book.community.error.full'));
  await page.waitForSelector(`${item} [data-field=full]`);
  assert.equal(await places(), t('book.community.events.full'));
  // Full: the only thing to press is its waiting list.
  assert.deepEqual(await page.$$eval(`${item} [data-action]`, (els) => els.map((e) => e.dataset.action)),
    ['join-waitlist']);
  assert.equal((await apiAsPage(page, url, 'GET', '/events')).json.items
    .find((e) => e.id === workshop.id).is_registered, false);
  // After a reload too: full, only the waiting list to press, and the error is gone.
  await page.reload();
  await page.waitForSelector(`${item} [data-field=full]`);
  assert.deepEqual(await page.$$eval(`${item} [data-action]`, (els) => els.map((e) => e.dataset.action)),
    ['join-waitlist']);
  assert.equal(await page.locator(`${item} [data-role=event-error]`).count(), 0);

  // An event that has started by the time the student withdraws: 409 conflict,
  // said in the page's language (the answer shaped by the test: a real event
  // cannot be made to start on cue).
  const talkItem = `#events-list li[data-event-id="${talk.id}"]`;
  await page.route(`**/api/v1/events/${talk.id}/registration`, (route) => route.fulfill({
    status: 409, contentType: 'application/json',
    body: '{"error":{"code":"conflict","message":"The event has started; registrations no longer change."}}',
  }));
  await page.click(`${talkItem} [data-action=withdraw]`);
  await page.waitForSelector(`${talkItem} [data-role=event-error]`);
  assert.equal(norm(await page.textContent(`${talkItem} [data-role=event-error]`)), t('book.community.error.conflict'));
  await page.unroute(`**/api/v1/events/${talk.id}/registration`);
}
