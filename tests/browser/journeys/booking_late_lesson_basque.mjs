// SPDX-License-Identifier: MIT
// Issue 13, item 7, in Basque at 390 px: a lesson that starts in less than the
// cancel notice (GET /limits, 24 h) is said so before confirming, and the
// confirmation does not promise a cancellation the server will refuse; a lesson
// further ahead keeps the usual rule. The page's clock is set 3 hours before a
// slot of next week (the server's is not: the booking itself is real).
import assert from 'node:assert/strict';
import { apiCall } from '../lib.mjs';
import { chooseService, dictionary, norm, privateService, slotSelector } from '../booking.mjs';

function isoDay(ms) { return new Date(ms).toISOString().slice(0, 10); }

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const { cancel_notice_hours: hours } = (await apiCall(url, 'GET', '/limits')).json;
  const svc = await privateService(url);
  const email = 'unai.zabala@example.com';
  const password = 'berandu-2026-unai';
  assert.equal((await apiCall(url, 'POST', '/auth/register', {
    body: { email, password, full_name: 'Unai Zabala', locale: 'eu' },
  })).status, 201);
  const slots = (await apiCall(url, 'GET', `/slots?service_id=${svc.id}`
    + `&from=${isoDay(Date.now() + 8 * 86400000)}&to=${isoDay(Date.now() + 14 * 86400000)}`)).json.items;
  assert.ok(slots.length > 1, 'next week has slots');
  const late = { startsAt: slots[0].starts_at, tutorId: String(slots[0].tutor_id) };
  const fakeNow = Date.parse(late.startsAt) - 3 * 3600 * 1000;
  // A slot of the same week (Monday to Sunday, as the page shows it) a day or more later.
  const sunday = fakeNow + ((7 - new Date(fakeNow).getUTCDay()) % 7) * 86400000;
  const far = slots.find((s) => Date.parse(s.starts_at) - fakeNow > (hours + 24) * 3600 * 1000
    && isoDay(Date.parse(s.starts_at)) <= isoDay(sunday));

  const page = await newPage({ width: 390, height: 844 });
  await page.clock.setFixedTime(new Date(fakeNow));
  const login = await page.context().request.post('/api/v1/auth/login', { data: { email, password } });
  assert.equal(login.status(), 200);
  await page.goto('/');
  await page.waitForSelector('body:not(.loading)');
  await chooseService(page, svc);

  // Before confirming: said plainly, next to a confirm button in view.
  await page.click(slotSelector(late));
  await page.waitForSelector('#confirm-late');
  assert.equal(norm(await page.textContent('#confirm-late')), t('book.confirm.late', { hours }));
  const box = await page.locator('#confirm-book').boundingBox();
  assert.ok(box.y + box.height <= 844, 'the confirm button is in view');
  await page.click('#confirm-book');
  await page.waitForSelector('#confirm .done');
  assert.equal(norm(await page.textContent('#done-cancel-rule')), t('book.done.no_cancel', { hours }));
  assert.ok(!norm(await page.textContent('#confirm')).includes(t('book.done.cancel_rule')),
    'no promise of cancelling online');
  await page.click(`#confirm .dialog-actions button:has-text("${t('common.close')}")`);

  // In "my lessons": no cancel button to press.
  const item = `#upcoming-lessons li[data-starts-at="${late.startsAt}"]`;
  await page.waitForSelector(item);
  assert.equal(await page.locator(`${item} .cancel-box button.danger`).isDisabled(), true);

  // A lesson further ahead: the usual rule, no warning.
  if (far) {
    await page.click(slotSelector({ startsAt: far.starts_at, tutorId: String(far.tutor_id) }));
    await page.waitForSelector('#confirm-book');
    assert.equal(await page.locator('#confirm-late').count(), 0);
    await page.click('#confirm-book');
    await page.waitForSelector('#confirm .done');
    assert.equal(norm(await page.textContent('#done-cancel-rule')), t('book.done.cancel_rule'));
  }
}
