// SPDX-License-Identifier: MIT
// A student with a subscription of three sessions (bought through the API) books on
// the page with it: the confirmation chooses the subscription's sessions first (paid
// already: issue 13, item 4) next to a new contract and its quote, a weekly series of two uses two of
// them and makes no new contract, and a series longer than what is left is refused
// before anything is sent.
import assert from 'node:assert/strict';
import { apiCall, apiLogin } from '../lib.mjs';
import {
  apiAsPage, chooseService, dictionary, loginOnPage, nextWeekSlots, norm, openPage,
  privateService, slotSelector,
} from '../booking.mjs';

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const svc = await privateService(url);
  const email = 'nahia.goni@example.com';
  const password = 'harpidetza-2026-nahia';
  assert.equal((await apiCall(url, 'POST', '/auth/register', {
    body: { email, password, full_name: 'Nahia Goñi', locale: 'eu' },
  })).status, 201);
  const me = await apiLogin(url, email, password);
  const bought = await apiCall(url, 'POST', '/me/contracts', {
    cookie: me.cookie, csrf: me.csrf, body: { service_id: svc.id, kind: 'subscription', sessions: 3 },
  });
  assert.equal(bought.status, 201, JSON.stringify(bought.json));

  const page = await openPage(newPage);
  await loginOnPage(page, email, password);
  await page.waitForSelector('#loyalty-next');
  await chooseService(page, svc);
  const slots = await nextWeekSlots(page, t);
  const slot = slots[0];
  await page.click(slotSelector(slot));

  // The sessions already paid for are chosen; a new contract is offered with its quote.
  await page.waitForSelector('#pay-subscription:checked');
  assert.equal(await page.isChecked('#pay-new'), false);
  assert.equal(norm(await page.textContent('label[for=pay-subscription]')), t('book.pay.subscription', { count: 3 }));
  await page.check('#pay-new');
  await page.waitForSelector('#quote [data-field=percent]');

  // Four weeks need more sessions than are left: said at once, nothing to confirm.
  await page.check('#pay-subscription');
  await page.check('#repeat');
  await page.fill('#repeat-weeks', '4');
  await page.waitForSelector('#quote .form-error');
  assert.equal(norm(await page.textContent('#quote .form-error')), t('book.pay.not_enough', { count: 3 }));
  assert.equal(await page.isDisabled('#confirm-book'), true);

  // Two weeks: two sessions, nothing more to pay.
  await page.fill('#repeat-weeks', '2');
  await page.waitForSelector('#confirm-book:not([disabled])');
  assert.equal(norm(await page.textContent('#subscription-note')), t('book.pay.sub_note', { count: 2 }));
  await page.click('#confirm-book');
  await page.waitForSelector('#booked-subscription');
  assert.equal(norm(await page.textContent('#booked-subscription')), t('book.done.from_subscription', { count: 1 }));
  assert.equal(await page.locator('#confirm .booked-dates li').count(), 2);
  await page.keyboard.press('Escape');
  await page.waitForSelector('#confirm', { state: 'hidden' });

  // No new contract was made: still one, and its sessions are used.
  const contracts = (await apiAsPage(page, url, 'GET', '/me/contracts')).json.items;
  assert.equal(contracts.length, 1);
  assert.equal(contracts[0].sessions_used, 2);
  await page.waitForSelector('#upcoming-lessons li');
  assert.equal(await page.locator('#upcoming-lessons li').count(), 2);
  const tiers = (await apiCall(url, 'GET', '/discount-tiers')).json.items;
  assert.equal(norm(await page.textContent('#loyalty .progress-caption')),
    norm(t('book.loyalty.progress_value', { count: 1, total: tiers[tiers.length - 1].from_ordinal })));
}
