// SPDX-License-Identifier: MIT
// The booking page in Basque shows no English-only sentence of en.json, and axe-core
// finds no serious or critical violation, in each state a student meets: a visitor
// with the week shown, the confirmation asking to log in, logged in with lessons
// listed and the contact panel shown, the confirmation with its quote, and a weekly
// series — at desktop and at phone width.
import assert from 'node:assert/strict';
import { assertAccessible, DEMO, visibleTexts } from '../lib.mjs';
import { assertNoEnglish, dictionary, loginOnPage, norm, openPage, weekLoaded } from '../booking.mjs';

const ENGLISH_FORMATS = new RegExp('\\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun|Monday|Friday|Jan|Feb|Mar|Apr|Jun|Jul|Aug'
  + '|Sep|Oct|Nov|Dec|January|November|December)\\b|€\\s?\\d');

export default async function ({ newPage, web }) {
  const { t } = dictionary(web, 'eu');
  for (const width of [1280, 390]) {
    const page = await openPage(newPage, { width });
    const check = async (state) => {
      const label = `${state} at ${width}px`;
      assert.equal(await page.getAttribute('html', 'lang'), 'eu', label);
      await assertNoEnglish(page, web, label);
      // Dates and money too: Chromium's Intl has no Basque and would write English.
      const english = (await visibleTexts(page)).filter((text) => ENGLISH_FORMATS.test(text));
      assert.deepEqual(english, [], `English dates or money on the Basque page (${label})`);
      await assertAccessible(page, label);
    };

    // A visitor: services, a week of slots, the contact card with its form.
    await weekLoaded(page);
    await page.waitForSelector('#channel-phone');
    await page.waitForSelector('#inquiry-form');
    await check('the visitor page');

    // A visitor who picks a slot is asked to log in or register first.
    await page.click('#week .slot');
    await page.waitForSelector('#confirm #confirm-tab-login');
    await check('the confirmation asking to log in');
    await page.keyboard.press('Escape');
    await page.waitForSelector('#confirm', { state: 'hidden' });

    // Logged in: lessons (coming and past), loyalty, contact.
    await loginOnPage(page, DEMO.student.email, DEMO.student.password);
    await page.waitForSelector('#upcoming-lessons li');
    await page.waitForSelector('#past-lessons li');
    await page.waitForSelector('#loyalty-next');
    assert.match(norm(await page.textContent('#lessons-list')), new RegExp(t('book.lessons.rule').slice(0, 30)));
    await check('the student page with lessons and contact');

    // The confirmation: Ane's subscription has sessions left, so they are chosen
    // first; then a new contract with its quote, and as a weekly series.
    await page.click('#week .slot');
    await page.waitForSelector('#pay-subscription:checked');
    await check('the confirmation paying with the subscription');
    await page.check('#pay-new');
    await page.waitForSelector('#quote [data-field=percent]');
    await check('the confirmation with its quote');
    await page.check('#repeat');
    await page.fill('#repeat-weeks', '6');
    await page.waitForFunction(() => /6 ×/.test(document.querySelector('#quote').textContent));
    await check('the confirmation of a weekly series');
    await page.keyboard.press('Escape');
    await page.close();
  }
}
