// SPDX-License-Identifier: MIT
// The admin's TicketBAI tab in Basque: with no --tbai-url nothing is sent, and the
// tab says so (the demo's invoices stay signed); no English, no serious axe-core
// violation. (Rows and "send again" against a treasury stand-in are checked by
// tests/api/test_tbai_send.c.)
import assert from 'node:assert/strict';
import { assertAccessible, DEMO } from '../lib.mjs';
import { assertNoEnglish, dictionary } from '../booking.mjs';
import { loginOnPage, norm, settled } from '../desk.mjs';

export default async function ({ newPage, web }) {
  const { t } = dictionary(web, 'eu');
  const page = await newPage({ width: 1280 });
  await page.goto('/admin#tbai');
  await page.waitForSelector('form.login-form');
  await loginOnPage(page, DEMO.admin);
  await page.waitForSelector('#tab-tbai[aria-selected=true]');
  await settled(page);
  assert.equal(norm(await page.textContent('#tab-panel h2')), t('admin.tbai.title'));
  assert.equal(norm(await page.textContent('#tab-panel .empty')), t('admin.tbai.none'));
  await assertNoEnglish(page, web, 'the TicketBAI tab');
  await assertAccessible(page, 'the TicketBAI tab');
}
