// SPDX-License-Identifier: MIT
// Third parties in Basque: a student's family card shows its referral link; a
// visitor who opens that link (/?ref=<code>) registers on the page, told the code
// it registers with, and its family is referred by the first; its first contract
// earns the first family a reward, which her next quote shows as its source. The admin adds an ikastola on /admin#partners,
// a family registers with its code, and the partners' and referrals' reports show
// them, with their CSV downloads. Both pages pass axe.
import assert from 'node:assert/strict';
import { apiCall, apiLogin, assertAccessible, DEMO } from '../lib.mjs';
import { dictionary, loginOnPage as deskLogin, norm, settled } from '../desk.mjs';
import {
  chooseService, nextWeekSlots, openPage, registerOnPage, privateService, slotSelector,
} from '../booking.mjs';

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const svc = await privateService(url);
  const referrer = { email: 'maite.gomendio@example.com', password: 'gomendatzailea-2026' };
  const reg = await apiCall(url, 'POST', '/auth/register', {
    body: { ...referrer, full_name: 'Maite Gomendio', locale: 'eu' },
  });
  assert.equal(reg.status, 201);
  const me = await apiLogin(url, referrer.email, referrer.password);
  const mine = (await apiCall(url, 'GET', '/me/referral', { cookie: me.cookie })).json;
  assert.match(mine.code, /^[0-9a-f]{10}$/);

  // Her family card shows the link.
  const page = await openPage(newPage);
  await page.click('#account-tab-login');
  await page.fill('#account-panel-login input[name=email]', referrer.email);
  await page.fill('#account-panel-login input[name=password]', referrer.password);
  await page.click('#account-panel-login button[type=submit]');
  await page.waitForSelector('#referral-link');
  assert.equal(await page.inputValue('#referral-link'), `${url}/?ref=${mine.code}`);
  assert.equal(norm(await page.textContent('#referral-counts')), t('book.referral.counts', { referred: 0, rewarded: 0 }));
  await assertAccessible(page, 'the family card with its referral link');

  // A visitor follows the link and registers on the page.
  const visitor = await newPage();
  await visitor.goto(`/?ref=${mine.code}`);
  await visitor.waitForSelector('body:not(.loading)');
  await visitor.click('#account-tab-register');
  assert.equal(norm(await visitor.textContent('#account-panel-register .ref-note')),
    t('book.referral.registering', { code: mine.code }));
  await registerOnPage(visitor, { name: 'Jon Gomendatua', email: 'jon.gomendatua@example.com', password: 'gomendatua-2026' });
  await visitor.waitForSelector('#family-choice');
  const jon = await apiLogin(url, 'jon.gomendatua@example.com', 'gomendatua-2026');
  const made = await apiCall(url, 'POST', '/me/contracts', {
    cookie: jon.cookie, csrf: jon.csrf, body: { service_id: svc.id, kind: 'one_off' },
  });
  assert.equal(made.status, 201);
  const after = (await apiCall(url, 'GET', '/me/referral', { cookie: me.cookie })).json;
  assert.deepEqual([after.referred, after.rewarded], [1, 1]);

  // Maite's next booking shows the reward as part of its discount.
  await chooseService(page, svc);
  const slots = await nextWeekSlots(page, t);
  assert.ok(slots.length > 0);
  await page.click(slotSelector(slots[0]));
  await page.waitForSelector('#quote-sources');
  assert.equal(norm(await page.textContent('#quote-sources')), t('book.quote.source.referral', { percent: 5 }));
  assert.equal(await page.textContent('#quote [data-field=percent]'), '5');
  await page.keyboard.press('Escape');

  // The admin adds an ikastola; a family registers with its code.
  const admin = await newPage({ width: 1280 });
  await admin.goto('/admin#partners');
  await admin.waitForSelector('form.login-form');
  await deskLogin(admin, DEMO.admin);
  await admin.waitForSelector('#add-partner');
  await settled(admin);
  await admin.fill('#partner-new-name', 'Txantxiku Ikastola');
  await admin.selectOption('#partner-new-kind', 'school');
  await admin.fill('#partner-new-code', 'TXANTXIKU');
  await admin.fill('#partner-new-percent', '10');
  await admin.click('#add-partner button[type=submit]');
  await admin.waitForSelector('[data-partner-code=TXANTXIKU]');
  assert.equal(norm(await admin.textContent('#notice')), t('admin.partners.added', { name: 'Txantxiku Ikastola' }));
  const member = await apiCall(url, 'POST', '/auth/register', {
    body: { email: 'ikaslea.txantxiku@example.com', password: 'txantxiku-ikaslea-2026', full_name: 'Ikasle Txantxiku', ref: 'txantxiku' },
  });
  assert.equal(member.status, 201);
  await admin.reload();
  await admin.waitForSelector('#report-partners');
  await settled(admin);
  const row = admin.locator('#report-partners tbody tr', { hasText: 'Txantxiku Ikastola' });
  assert.equal(norm(await row.locator('td').first().textContent()), '1', 'one family brought');
  assert.ok((await admin.locator('#report-referrals tbody tr', { hasText: 'Maite Gomendio' }).count()) === 1);
  assert.equal(await admin.getAttribute('#report-partners a[download]', 'href'), '/api/v1/reports/partners?format=csv');
  await assertAccessible(admin, 'the partners tab');
}
