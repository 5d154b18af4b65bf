// SPDX-License-Identifier: MIT
// Co-creation on the booking page: a student's empty submission shows an error
// next to each field; a contribution whose text holds markup
// (<script>alert(1)</script><b>bold</b>) is sent, listed as waiting for review,
// approved by staff through the API and then published as the exact text — the
// literal characters, no bold element, no script run — to the student and to a
// visitor, with its credit name. A rejected one shows its status and the
// reviewer's comment in the student's own list only. A long text is collapsed
// behind "read more".
import assert from 'node:assert/strict';
import { apiCall, apiLogin, DEMO } from '../lib.mjs';
import {
  apiAsPage, communityReady, dictionary, loginOnPage, norm, openPage, withLink,
} from '../booking.mjs';

const BODY = 'Ariketak egiteko trikimailua: <script>alert(1)</script><b>bold</b>\n\n'
  + 'Bigarren paragrafoa: x < y && y > z, eta "komatxoak" & \'apostrofoak\'.';
const TITLE = 'Zatikiak <i>erraz</i> & azkar';
const CREDIT = 'Ane E. <b>ikaslea</b>';

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const dialogs = [];
  const page = await openPage(newPage);
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await loginOnPage(page, DEMO.student.email, DEMO.student.password);
  await page.waitForSelector('#contributions-tab-write');
  await communityReady(page, { student: true });

  // A long published text is collapsed; "read more" shows all of it.
  const published = (await apiCall(url, 'GET', '/contributions?status=approved')).json.items;
  const long = published.find((c) => c.body.split('\n').length > 6);
  assert.ok(long, 'the demo has a long contribution');
  const longBody = `#contribution-published-${long.id}-body`;
  const toggle = `button[aria-controls="contribution-published-${long.id}-body"]`;
  assert.notEqual(await page.textContent(longBody), long.body);
  assert.ok(long.body.startsWith((await page.textContent(longBody)).replace(/…$/, '')));
  assert.equal(await page.getAttribute(toggle, 'aria-expanded'), 'false');
  assert.equal(norm(await page.textContent(toggle)), t('book.community.read_more'));
  await page.click(toggle);
  assert.equal(await page.textContent(longBody), long.body);
  assert.equal(await page.getAttribute(toggle, 'aria-expanded'), 'true');
  assert.equal(norm(await page.textContent(toggle)), t('book.community.read_less'));

  // An empty form: the server's errors next to each field, in Basque.
  await page.click('#contributions-tab-write');
  await page.click('#contribution-form button[type=submit]');
  await page.waitForSelector('#contribution-body-error');
  assert.equal(await page.textContent('#contribution-kind-error'), t('field.choose'));
  assert.equal(await page.textContent('#contribution-title-error'), t('field.required'));
  assert.equal(await page.textContent('#contribution-body-error'), t('field.required'));
  assert.equal(await page.getAttribute('#contribution-title', 'aria-invalid'), 'true');
  // The error is read with the field, and so is its hint.
  assert.equal(await page.getAttribute('#contribution-body', 'aria-describedby'),
    'contribution-body-error contribution-body-hint');
  assert.equal(norm(await page.textContent('#contribution-form [data-role=form-error]')), t('error.validation_failed'));
  assert.equal(await page.evaluate(() => document.activeElement.id), 'contribution-kind');

  // Send one whose text holds markup.
  await page.selectOption('#contribution-kind', 'method');
  await page.fill('#contribution-title', TITLE);
  await page.fill('#contribution-body', BODY);
  await page.fill('#contribution-credit_name', CREDIT);
  await page.click('#contribution-form button[type=submit]');
  await page.waitForSelector('#contribution-sent');
  assert.equal(await page.getAttribute('#contributions-tab-mine', 'aria-selected'), 'true');
  assert.equal(norm(await page.textContent('#contribution-sent')), norm(t('book.community.form.sent', { title: TITLE })));
  const sentId = await page.getAttribute('#contributions-mine li:first-child', 'data-contribution-id');
  const sent = `#contributions-mine li[data-contribution-id="${sentId}"]`;
  assert.equal(await page.textContent(`${sent} [data-field=status]`), t('book.community.status.submitted'));
  assert.equal(await page.textContent(`${sent} [data-field=title]`), TITLE);
  assert.equal(await page.textContent(`${sent} [data-field=body]`), BODY);
  // The form is empty again for the next one, without errors, its hints in place.
  assert.equal(await page.inputValue('#contribution-title'), '');
  assert.equal(await page.locator('#contribution-form .field-error, #contribution-form [aria-invalid]').count(), 0);
  assert.equal(await page.getAttribute('#contribution-body', 'aria-describedby'), 'contribution-body-hint');

  // Staff approve it; the student's published list shows the exact text.
  const staff = await apiLogin(url, DEMO.staff.email, DEMO.staff.password);
  const review = (id, decision, comment) => apiCall(url, 'POST', `/contributions/${id}/review`, {
    cookie: staff.cookie, csrf: staff.csrf, body: { decision, comment },
  });
  assert.equal((await review(sentId, 'approved', '')).status, 200);
  await page.reload();
  await communityReady(page, { student: true });
  const shown = `#contributions-published li[data-contribution-id="${sentId}"]`;
  await page.waitForSelector(shown);
  // Newest first.
  assert.equal(await page.getAttribute('#contributions-published li:first-child', 'data-contribution-id'), sentId);
  const checkShown = async (p, label) => {
    assert.equal(await p.textContent(`${shown} [data-field=body]`), BODY, label);
    assert.equal(await p.textContent(`${shown} [data-field=title]`), TITLE, label);
    assert.equal(await p.textContent(`${shown} [data-field=credit]`), t('book.community.contrib.by', { name: CREDIT }), label);
    assert.equal(await p.textContent(`${shown} [data-field=kind]`), t('book.community.contrib.kind.method'), label);
    assert.equal(await p.locator(`${shown} b, ${shown} i, ${shown} script`).count(), 0, label);
    assert.equal(await p.locator('#contributions script, #contributions b').count(), 0, label);
  };
  await checkShown(page, 'the author');
  assert.equal(norm(await page.textContent(`${shown} .badge`)), t('book.community.contrib.yours'));

  // A visitor sees it too, with its credit name, and is asked to log in to write.
  const visitor = await openPage(newPage, { width: 390 });
  visitor.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  await communityReady(visitor);
  await checkShown(visitor, 'a visitor');
  assert.equal(await visitor.locator('#contribution-form, #contributions [role=tab]').count(), 0);
  assert.equal(norm(await visitor.textContent('#contributions .login-prompt')),
    withLink(t, 'book.community.contrib.login', 'book.community.login_link'));

  // A second one, rejected with a comment: in the student's own list only, with the comment.
  const me = await apiLogin(url, DEMO.student.email, DEMO.student.password);
  const second = await apiCall(url, 'POST', '/contributions', {
    cookie: me.cookie, csrf: me.csrf,
    body: { kind: 'blog_post', title: 'Nire lehen sarrera', body: 'Testu laburregia.' },
  });
  assert.equal(second.status, 201);
  const comment = 'Eskerrik asko! Luzatu pixka bat, mesedez:\nadibide bat edo bi gehitu.';
  assert.equal((await review(second.json.id, 'rejected', comment)).status, 200);
  await page.reload();
  await communityReady(page, { student: true });
  await page.click('#contributions-tab-mine');
  const rejected = `#contributions-mine li[data-contribution-id="${second.json.id}"]`;
  await page.waitForSelector(rejected);
  assert.equal(await page.textContent(`${rejected} [data-field=status]`), t('book.community.status.rejected'));
  assert.equal(await page.textContent(`${rejected} [data-field=comment]`), comment);
  assert.equal(await page.textContent(`${rejected} [data-field=credit]`),
    t('book.community.contrib.by', { name: me.client.full_name }));
  assert.equal(await page.textContent(`#contributions-mine li[data-contribution-id="${sentId}"] [data-field=status]`),
    t('book.community.status.approved'));
  assert.equal(await page.locator(`#contributions-published li[data-contribution-id="${second.json.id}"]`).count(), 0);
  const visible = (await apiAsPage(visitor, url, 'GET', '/contributions')).json.items.map((c) => c.id);
  assert.ok(!visible.includes(second.json.id), 'a visitor never gets the rejected one');

  assert.deepEqual(dialogs, [], 'no script ran');
}
