// SPDX-License-Identifier: MIT
// A parent in Basque (API.md v2 "Families"): adds two children on the booking page,
// each becoming the learner the page acts for; with one contract for each child
// made through the API, the second child's booking is the family's third contract
// and shows the 5 % tier; its lesson is the child's, not the parent's; the page
// says it all in Basque and passes axe.
import assert from 'node:assert/strict';
import { apiCall, apiLogin, assertAccessible } from '../lib.mjs';
import {
  assertNoEnglish, chooseService, dictionary, loginOnPage, nextWeekSlots, norm, openPage,
  privateService, slotSelector,
} from '../booking.mjs';

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const svc = await privateService(url);
  const email = 'amaia.gurasoa@example.com';
  const password = 'familia-osoa-2026';
  const reg = await apiCall(url, 'POST', '/auth/register', {
    body: { email, password, full_name: 'Amaia Gurasoa', locale: 'eu' },
  });
  assert.equal(reg.status, 201);

  const page = await openPage(newPage);
  await loginOnPage(page, email, password);
  await page.waitForSelector('#family-choice');
  assert.equal(await page.locator('#family-choice input[name=learner]').count(), 1);

  // Two children, added on the page: each becomes the chosen learner.
  const children = [];
  for (const name of ['Mikel Txikia', 'Irati Txikia']) {
    await page.click('#family .family-more summary');
    await page.fill('#family-child-name', name);
    await page.click('#family-add button[type=submit]');
    await page.waitForFunction((n) => [...document.querySelectorAll('#family-choice label')]
      .some((l) => l.textContent === n), name);
    const checked = await page.locator('#family-choice input:checked + label').textContent();
    assert.equal(checked, name, 'the new child is the learner now');
    children.push(name);
  }
  assert.equal(await page.locator('#family-choice input[name=learner]').count(), 3);

  // One contract for each child, through the API, as the parent.
  const me = await apiLogin(url, email, password);
  const family = (await apiCall(url, 'GET', '/me/clients', { cookie: me.cookie })).json.items;
  assert.equal(family.length, 3);
  for (const child of family.slice(1)) {
    const res = await apiCall(url, 'POST', '/me/contracts', {
      cookie: me.cookie, csrf: me.csrf,
      body: { service_id: svc.id, kind: 'one_off', client_id: child.id },
    });
    assert.equal(res.status, 201, JSON.stringify(res.json));
  }
  // The page learns of them when the learner changes: back to the parent, then Irati.
  await page.click('#family-choice input[value="' + family[0].id + '"]');
  await page.click('#family-choice input[value="' + family[2].id + '"]');
  await page.waitForFunction((text) => {
    const el = document.querySelector('#loyalty-next');
    return el && el.textContent.replace(/\s+/g, ' ') === text;
  }, norm(t('book.loyalty.next', { percent: 5 })));

  // Irati's booking: the family's third contract, 5 %, and the summary names her.
  await chooseService(page, svc);
  const slots = await nextWeekSlots(page, t);
  assert.ok(slots.length > 0);
  await page.click(slotSelector(slots[Math.floor(slots.length / 2)]));
  await page.waitForSelector('#quote [data-field=percent]');
  assert.equal(await page.textContent('#quote [data-field=percent]'), '5');
  assert.match(norm(await page.textContent('#confirm .summary')), /Irati Txikia/);
  await page.click('#confirm-book');
  await page.waitForSelector('#booked-contract');
  assert.equal(await page.textContent('#booked-contract [data-field=percent]'), '5');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#confirm', { state: 'hidden' });
  await page.waitForSelector('#upcoming-lessons li');
  assert.equal(await page.locator('#upcoming-lessons li').count(), 1);

  // The lesson is Irati's: the parent's own list has none.
  const lessons = (await apiCall(url, 'GET', `/me/lessons?client_id=${family[2].id}`, { cookie: me.cookie })).json.items;
  assert.equal(lessons.length, 1);
  assert.equal(lessons[0].client_id, family[2].id);
  await page.click('#family-choice input[value="' + family[0].id + '"]');
  await page.waitForSelector('#upcoming-lessons', { state: 'detached' });

  await assertNoEnglish(page, web, 'a parent with two children');
  await assertAccessible(page, 'the booking page of a family');
}
