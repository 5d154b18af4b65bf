// SPDX-License-Identifier: MIT
// Asking in Basque. A tutor adds an answer on the desk (Erantzunak tab); a visitor
// of the booking page types a question with other words and inflections and sees
// it, and the demo's price answer, while typing; "Galdetu" adds the live facts
// (prices, and the phone line open or closed with its next change); the answers do
// not settle it, so "write to us" carries the question into the inquiry form, which
// is sent. Back on the desk, the inquiry shows the answers that were suggested to
// the visitor, and one click puts one into the reply. No English on the Basque
// page, no serious axe-core violation, at 1280 and 390 px.
import assert from 'node:assert/strict';
import { assertAccessible, DEMO } from '../lib.mjs';
import { assertNoEnglish, dictionary, norm, openPage } from '../booking.mjs';
import { loginOnPage as deskLogin, settled } from '../desk.mjs';

const QUESTION = 'Nola prestatu azterketa ofizialak?';
const ANSWER = 'Azterketa ofizialetarako prestaketa: bi hilabete lehenago hasten gara, simulakroekin.';

export default async function ({ newPage, web }) {
  const { t } = dictionary(web, 'eu');

  // The tutor writes a new answer on the desk.
  const desk = await newPage({ width: 1280 });
  await desk.goto('/staff#answers');
  await desk.waitForSelector('form.login-form');
  await deskLogin(desk, DEMO.staff);
  await desk.waitForSelector('#tab-answers[aria-selected=true]');
  await settled(desk);
  assert.equal(await desk.inputValue('#answers-locale'), 'eu');
  const before = await desk.locator('ul.answers > li').count();
  assert.ok(before >= 20, `the demo's Basque answers are listed (${before})`);
  await desk.click('#answer-new-button');
  await desk.fill('#answer-new-question', QUESTION);
  await desk.fill('#answer-new-answer', ANSWER);
  await desk.click('#answer-new button[type=submit]');
  await desk.waitForSelector(`ul.answers h3:text-is("${QUESTION}")`);
  await settled(desk);
  assert.equal(await desk.locator('ul.answers > li').count(), before + 1);
  assert.equal(norm(await desk.textContent('#notice')), t('staff.answers.added', { question: QUESTION }));
  await assertAccessible(desk, 'the answers tab with a new answer');

  for (const width of [1280, 390]) {
    const page = await openPage(newPage, { width });
    const label = (what) => `${what} at ${width}px`;
    assert.equal(await page.getAttribute('html', 'lang'), 'eu');
    assert.equal(norm(await page.textContent('#ask-title')), t('book.ask.title'));

    // Typing: other words, inflected ("azterketetarako"), found as you type.
    await page.fill('#ask-input', 'azterketetarako prestatzen');
    await page.waitForSelector('#ask-answers li');
    const found = await page.$$eval('#ask-answers h3', (hs) => hs.map((x) => x.textContent));
    assert.equal(found[0], QUESTION, label('the new answer comes first while typing'));
    assert.equal(await page.isVisible('#ask-facts'), false, label('typing shows no facts'));

    // Asking: the price question gets the demo's answer and the live facts.
    await page.fill('#ask-input', 'zenbat balio dute eskolek? telefonoz deitu daiteke?');
    await page.click('#ask-form button[type=submit]');
    await page.waitForSelector('#ask-facts [data-fact=prices]');
    await page.waitForSelector('#ask-facts [data-fact=phone]');
    const answers = await page.$$eval('#ask-answers h3', (hs) => hs.map((x) => x.textContent));
    assert.ok(answers.includes('Zenbat balio du eskola partikular batek?'), label(`the price answer (${answers})`));
    const phone = norm(await page.textContent('#ask-facts [data-fact=phone]'));
    assert.ok(phone.startsWith('Telefonoa'), label(`the phone fact in Basque: ${phone}`));
    await assertNoEnglish(page, web, label('answers and facts'));
    await assertAccessible(page, label('answers and facts'));

    // Not settled: the question goes to a person.
    await page.fill('#ask-input', 'Gurasoek ikus al dezakete eskolaren grabazioa?');
    await page.click('#ask-form button[type=submit]');
    await page.waitForSelector('#ask-results[aria-busy=false] #ask-write');
    await page.click('#ask-write');
    assert.equal(await page.inputValue('#inquiry-message'), 'Gurasoek ikus al dezakete eskolaren grabazioa?');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'inquiry-full_name',
      label('the first empty field of the inquiry has the focus'));
    if (width === 1280) {
      await page.fill('#inquiry-full_name', 'Irati Zubia');
      await page.fill('#inquiry-email', 'irati.zubia@example.com');
      await page.fill('#inquiry-message', 'Nola prestatzen dituzue azterketa ofizialak? Grabaziorik ba al dago?');
      await page.click('#inquiry-form button[type=submit]');
      await page.waitForSelector('#inquiry .sent');
    }
    await page.close();
  }

  // The desk's queue shows what was suggested; one click puts it in the reply.
  await desk.click('#tab-inquiries');
  await settled(desk);
  const item = desk.locator('li.inquiry', { hasText: 'Irati Zubia' });
  await item.locator('[data-role=suggested] summary').click();
  const suggested = await item.locator('[data-role=suggested] li strong').allTextContents();
  assert.ok(suggested.includes(QUESTION), `the new answer was suggested (${suggested})`);
  await item.locator(`[data-role=suggested] li:has(strong:text-is("${QUESTION}")) [data-action=use-answer]`).click();
  assert.equal(await item.locator('textarea[name=reply]').inputValue(), ANSWER);
  await assertAccessible(desk, 'the inquiry with its suggested answers');
}
