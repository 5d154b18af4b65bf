// SPDX-License-Identifier: MIT
// A new student registers on the booking page, picks a service and a slot, sees the
// price, the discount (0 % for a first contract) and the gift before confirming,
// confirms, finds the lesson in "my lessons", cancels it, and the slot is free
// again in the week view.
import assert from 'node:assert/strict';
import {
  apiAsPage, chooseService, dictionary, euros, nextWeekSlots, norm, openPage,
  privateService, registerOnPage, slotSelector,
} from '../booking.mjs';

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const svc = await privateService(url);
  const page = await openPage(newPage);

  // Register: the header says who is logged in; nothing is booked yet.
  const name = 'Miren Urkiola';
  await registerOnPage(page, { name, email: 'miren.urkiola@example.com', password: 'ikasten-2026-urkiola' });
  await page.waitForSelector('#who .who-name');
  assert.equal(await page.textContent('#who .who-name'), t('common.logged_in_as', { name }));
  await page.waitForSelector('#loyalty-next');
  assert.equal(norm(await page.textContent('#loyalty-next')), norm(t('book.loyalty.next_none')));

  // Pick the service and a slot of next week.
  await chooseService(page, svc);
  const slots = await nextWeekSlots(page, t);
  assert.ok(slots.length > 0, 'next week has free slots');
  const slot = slots[slots.length - 1];
  await page.click(slotSelector(slot));

  // Before confirming: base price, 0 % discount, final price and the gift.
  await page.waitForSelector('#quote [data-field=percent]');
  const quote = (await apiAsPage(page, url, 'GET', `/quote?service_id=${svc.id}&kind=one_off&sessions=1`)).json;
  assert.equal(quote.discount_percent, 0);
  assert.equal(await page.textContent('#quote [data-field=percent]'), '0');
  assert.equal(norm(await page.textContent('#quote [data-field=list]')), euros(svc.price_cents));
  assert.equal(norm(await page.textContent('#quote [data-field=price]')), euros(svc.price_cents));
  assert.ok(quote.gift, 'the demo has gifts in stock');
  assert.equal(await page.textContent('#quote [data-field=gift]'), t(`book.gift.${quote.gift.key}`));
  assert.equal(norm(await page.textContent('#quote dl.prices div:nth-child(2) dt')),
    norm(t('book.quote.discount', { percent: 0 })));
  assert.equal(norm(await page.textContent('#confirm-title')), t('book.confirm.title'));

  // Confirm: the outcome shows the discount and gift actually applied.
  await page.click('#confirm-book');
  await page.waitForSelector('#booked-contract');
  assert.equal(await page.textContent('#booked-contract [data-field=percent]'), '0');
  assert.equal(await page.textContent('#confirm .done [data-field=gift]'), t(`book.gift.${quote.gift.key}`));
  assert.equal(norm(await page.textContent('#confirm-title')), t('book.done.title'));
  await page.click(`#confirm .dialog-actions button:has-text("${t('common.close')}")`);
  await page.waitForSelector('#confirm', { state: 'hidden' });

  // The slot is gone from the week, and the lesson is in "my lessons".
  await page.waitForSelector(slotSelector(slot), { state: 'detached' });
  const lesson = `#upcoming-lessons li[data-starts-at="${slot.startsAt}"]`;
  await page.waitForSelector(lesson);
  assert.match(await page.textContent(lesson), new RegExp(svc.name));
  assert.equal(norm(await page.textContent('#loyalty-next')), norm(t('book.loyalty.next_none')));

  // Cancel it (asked once more), and the slot is free again.
  await page.click(`${lesson} [data-action=cancel]`);
  await page.click(`${lesson} [data-action=cancel-yes]`);
  await page.waitForSelector(lesson, { state: 'detached' });
  await page.waitForSelector('#lessons-done.notice.success');
  await page.waitForSelector(`#past-lessons li[data-starts-at="${slot.startsAt}"] .badge.danger`);
  await page.waitForSelector(slotSelector(slot));
  const mine = (await apiAsPage(page, url, 'GET', '/me/lessons')).json.items;
  assert.deepEqual(mine.map((l) => l.status), ['cancelled']);
}
