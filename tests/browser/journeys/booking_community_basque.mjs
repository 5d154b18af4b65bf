// SPDX-License-Identifier: MIT
// The booking page's community panels in Basque: no English-only sentence of
// en.json, no English day or month names, and no serious or critical axe-core
// violation, at 1280 and 390 px — for a visitor (events and contributions with
// their prompts to log in) and for a student (events with a registration, the
// published contributions, the form with its field errors, their own
// contributions with the reviewer's comment, and "my calendar" asking before
// making a new link).
import assert from 'node:assert/strict';
import { assertAccessible, DEMO, visibleTexts } from '../lib.mjs';
import { assertNoEnglish, communityReady, dictionary, loginOnPage, openPage } from '../booking.mjs';

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
      const english = (await visibleTexts(page)).filter((text) => ENGLISH_FORMATS.test(text));
      assert.deepEqual(english, [], `English dates or money on the Basque page (${label})`);
      await assertAccessible(page, label);
    };

    await communityReady(page);
    await page.waitForSelector('#events .login-prompt');
    await page.click('#contributions .read-more');
    await check('the community panels for a visitor');

    await loginOnPage(page, DEMO.student.email, DEMO.student.password);
    await communityReady(page, { student: true });
    await page.waitForSelector('#events [data-field=registered]');
    await page.waitForSelector('#contributions-published li');
    await page.waitForSelector('#upcoming-lessons li');
    await check('the community panels for a student');

    await page.click('#contributions-tab-write');
    await page.click('#contribution-form button[type=submit]');
    await page.waitForSelector('#contribution-body-error');
    await check('the contribution form with its errors');

    await page.click('#contributions-tab-mine');
    await page.waitForSelector('#contributions-mine [data-field=comment]');
    assert.equal(await page.isVisible('#contributions-mine [data-field=status]'), true);
    await page.click('#calendar [data-action=rotate]');
    await page.waitForSelector('#calendar-rotate-ask');
    assert.equal(await page.textContent('#calendar-rotate-ask'), t('book.calendar.rotate_ask'));
    await check('my contributions and the calendar asking before a new link');
    await page.close();
  }
}
