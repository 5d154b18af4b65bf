// SPDX-License-Identifier: MIT
// A student with two contracts (made through the API) books a third time on the
// page: the confirmation shows the 5 % tier and the reduced price before and after
// confirming, and the loyalty panel then says the next contract gets 10 %.
import assert from 'node:assert/strict';
import { apiCall, apiLogin } from '../lib.mjs';
import {
  chooseService, dictionary, euros, loginOnPage, nextWeekSlots, norm, openPage,
  privateService, slotSelector,
} from '../booking.mjs';

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const svc = await privateService(url);
  const tiers = (await apiCall(url, 'GET', '/discount-tiers')).json.items;
  const tierFor = (ordinal) => tiers.filter((x) => x.from_ordinal <= ordinal).reduce((p, x) => x.percent, 0);
  assert.equal(tierFor(3), 5, 'the default tiers: the 3rd contract gets 5 %');
  assert.equal(tierFor(4), 10, 'the default tiers: the 4th contract gets 10 %');

  // A student with two one-off lessons, booked through the API.
  const email = 'jokin.arana@example.com';
  const password = 'hiru-kontratu-2026';
  const reg = await apiCall(url, 'POST', '/auth/register', {
    body: { email, password, full_name: 'Jokin Arana', locale: 'eu' },
  });
  assert.equal(reg.status, 201);
  const me = await apiLogin(url, email, password);
  const from = new Date(Date.now() + 3 * 86400e3).toISOString().slice(0, 10);
  const to = new Date(Date.now() + 20 * 86400e3).toISOString().slice(0, 10);
  const free = (await apiCall(url, 'GET', `/slots?service_id=${svc.id}&from=${from}&to=${to}`)).json.items;
  const booked = [];
  for (const s of free) {
    if (booked.length === 2) break;
    if (booked.some((b) => b.starts_at === s.starts_at)) continue;
    const res = await apiCall(url, 'POST', '/lessons', {
      cookie: me.cookie, csrf: me.csrf,
      body: { service_id: svc.id, tutor_id: s.tutor_id, starts_at: s.starts_at },
    });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    booked.push(s);
  }
  assert.equal(booked.length, 2);

  // On the page: the loyalty panel announces 5 % for the next contract.
  const page = await openPage(newPage);
  await loginOnPage(page, email, password);
  await page.waitForSelector('#loyalty-next');
  assert.equal(norm(await page.textContent('#loyalty-next')), norm(t('book.loyalty.next', { percent: 5 })));
  assert.equal(await page.getAttribute('#loyalty .progress', 'aria-valuenow'), '2');

  // The third booking: 5 % and the reduced price before confirming.
  await chooseService(page, svc);
  const slots = (await nextWeekSlots(page, t))
    .filter((s) => !booked.some((b) => b.starts_at === s.startsAt));
  assert.ok(slots.length > 0);
  const slot = slots[Math.floor(slots.length / 2)];
  await page.click(slotSelector(slot));
  await page.waitForSelector('#quote [data-field=percent]');
  const discount = Math.floor((svc.price_cents * 5 + 50) / 100);
  assert.equal(await page.textContent('#quote [data-field=percent]'), '5');
  assert.equal(norm(await page.textContent('#quote [data-field=list]')), euros(svc.price_cents));
  assert.equal(norm(await page.textContent('#quote [data-field=discount]')), `−${euros(discount)}`);
  assert.equal(norm(await page.textContent('#quote [data-field=price]')), euros(svc.price_cents - discount));
  assert.match(norm(await page.textContent('#quote')), new RegExp(norm(t('book.quote.ordinal', { ordinal: 3 })).replace('.', '\\.')));

  // Confirmed: the contract that was made carries the same discount.
  await page.click('#confirm-book');
  await page.waitForSelector('#booked-contract');
  assert.equal(await page.textContent('#booked-contract [data-field=percent]'), '5');
  assert.match(norm(await page.textContent('#booked-contract')), new RegExp(euros(svc.price_cents - discount)));
  await page.keyboard.press('Escape');
  await page.waitForSelector('#confirm', { state: 'hidden' });

  // And the next one gets 10 %.
  await page.waitForFunction((text) => {
    const el = document.querySelector('#loyalty-next');
    return el && el.textContent.replace(/\s+/g, ' ') === text;
  }, norm(t('book.loyalty.next', { percent: 10 })));
  assert.equal(await page.getAttribute('#loyalty .progress', 'aria-valuenow'), '3');
  assert.equal(await page.locator('#upcoming-lessons li').count(), 3);
}
