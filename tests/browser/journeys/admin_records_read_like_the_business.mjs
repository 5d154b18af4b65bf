// SPDX-License-Identifier: MIT
// Issue 13, item 9, in Basque: the desk badges a subscription whose sessions are all
// used "used up", not "in force" (390 px); the admin's audit log lists newest first,
// every action in words, who did it and the record by name (1280 px); the tier form
// flags every row that breaks a rule, with the bounds GET /limits gives, describes
// no tier that does not hold, and sends nothing (390 px).
import assert from 'node:assert/strict';
import { DEMO, apiCall, apiLogin } from '../lib.mjs';
import { dictionary, norm, privateService } from '../booking.mjs';

async function loggedIn(newPage, who, size) {
  const page = await newPage(size);
  const login = await page.context().request.post('/api/v1/auth/login', {
    data: { email: who.email, password: who.password },
  });
  assert.equal(login.status(), 200);
  return page;
}

function isoDay(ms) { return new Date(ms).toISOString().slice(0, 10); }

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const limits = (await apiCall(url, 'GET', '/limits')).json;
  const svc = await privateService(url);

  // A student whose subscription of two sessions is used up (both booked).
  const name = 'Oihana Larrañaga';
  const email = 'oihana.larranaga@example.com';
  const password = 'harpidetza-2026-oihana';
  assert.equal((await apiCall(url, 'POST', '/auth/register', {
    body: { email, password, full_name: name, locale: 'eu' },
  })).status, 201);
  const me = await apiLogin(url, email, password);
  const bought = await apiCall(url, 'POST', '/me/contracts', {
    cookie: me.cookie, csrf: me.csrf, body: { service_id: svc.id, kind: 'subscription', sessions: 2 },
  });
  assert.equal(bought.status, 201, JSON.stringify(bought.json));
  const from = isoDay(Date.now() + 8 * 86400000);
  const slots = (await apiCall(url, 'GET',
    `/slots?service_id=${svc.id}&from=${from}&to=${isoDay(Date.now() + 14 * 86400000)}`)).json.items;
  const distinct = slots.filter((s, i) => i === 0 || s.starts_at !== slots[0].starts_at);
  for (const slot of distinct.slice(0, 2)) {
    const booked = await apiCall(url, 'POST', '/lessons', {
      cookie: me.cookie, csrf: me.csrf,
      body: { service_id: svc.id, tutor_id: slot.tutor_id, starts_at: slot.starts_at, contract_id: bought.json.id },
    });
    assert.equal(booked.status, 201, JSON.stringify(booked.json));
  }

  // The desk, on a phone: the subscription is "used up".
  const staff = await loggedIn(newPage, DEMO.staff, { width: 390, height: 844 });
  await staff.goto(`/staff#clients/${me.client.id}`);
  const badge = `[data-contract-id="${bought.json.id}"] .badge`;
  await staff.waitForSelector(badge);
  assert.equal(norm(await staff.textContent(badge)), t('staff.contracts.used_up'));

  // The audit log: newest first, in words, by name.
  const admin = await loggedIn(newPage, DEMO.admin, { width: 1280, height: 800 });
  const adminLogin = await apiLogin(url, DEMO.admin.email, DEMO.admin.password);
  const newest = (await apiCall(url, 'GET', '/audit?order=newest&limit=50',
    { cookie: adminLogin.cookie })).json.items;
  await admin.goto('/admin#audit');
  await admin.waitForSelector('table.audit tbody tr');
  const rows = await admin.$$eval('table.audit tbody tr', (trs) => trs.map((tr) => ({
    id: Number(tr.dataset.auditId), cells: [...tr.cells].map((td) => td.textContent.trim()),
    code: !!tr.querySelector('code'),
  })));
  const ids = rows.map((r) => r.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
  assert.ok(ids[0] >= newest[0].id, 'the newest entry leads');
  for (const row of rows) {
    assert.ok(!row.code, `entry ${row.id} shows no raw code or JSON`);
    assert.ok(!/^[a-z_]+\.[a-z_]+$/.test(row.cells[2]), `entry ${row.id}'s action in words: ${row.cells[2]}`);
    assert.ok(!/^\{/.test(row.cells[4]), `entry ${row.id}'s detail is not raw JSON`);
  }
  const booking = rows.find((r) => r.cells[2] === t('admin.audit.action.lesson.book'));
  assert.ok(booking, 'the bookings are listed');
  assert.equal(booking.cells[1], name, 'who booked, by name');
  const register = rows.find((r) => r.cells[2] === t('admin.audit.action.user.register'));
  assert.ok(register && register.cells[3].includes(name), 'the new user, by name');
  assert.ok(!rows.some((r) => new RegExp(`^${t('admin.audit.entity.user')} #\\d+$`).test(r.cells[3])),
    'no "Erabiltzailea #n" where a name is known');

  // The tier form on a phone: every broken row flagged, nothing sent.
  const tiersBefore = (await apiCall(url, 'GET', '/discount-tiers')).json.items;
  assert.ok(tiersBefore.length >= 2, 'the demo has two tiers or more');
  const phone = await loggedIn(newPage, DEMO.admin, { width: 390, height: 844 });
  let puts = 0;
  phone.on('request', (req) => { if (req.method() === 'PUT') puts++; });
  await phone.goto('/admin#tiers');
  await phone.waitForSelector('tr.tier-row');
  // Item 6: the tabs stay one row that scrolls sideways, the chosen one in view.
  const tabs = await phone.evaluate(() => {
    const list = document.querySelector('[role=tablist]');
    const tops = [...list.querySelectorAll('[role=tab]')].map((b) => b.offsetTop);
    const chosen = list.querySelector('[aria-selected=true]').getBoundingClientRect();
    const box = list.getBoundingClientRect();
    return { rows: new Set(tops).size, scrolls: list.scrollWidth > list.clientWidth,
      inView: chosen.left >= box.left - 1 && chosen.right <= box.right + 1 };
  });
  assert.deepEqual(tabs, { rows: 1, scrolls: true, inView: true }, 'the admin tabs on a phone');
  const percentOf = (i) => phone.getByLabel(t('admin.tiers.row_percent', { n: i + 1 }), { exact: true });
  const fromOf = (i) => phone.getByLabel(t('admin.tiers.row_from', { n: i + 1 }), { exact: true });
  await percentOf(0).fill(String(limits.tier_percent_max + 50));
  await fromOf(1).fill(String(limits.tier_ordinal_min - 1));
  const meaning0 = norm(await phone.locator('tr.tier-row').nth(0).locator('.meaning').textContent());
  assert.ok(!meaning0.includes(String(limits.tier_percent_max + 50)), `no ${limits.tier_percent_max + 50} % tier described`);
  await phone.getByRole('button', { name: t('admin.tiers.save') }).click();
  await phone.waitForSelector('tr.tier-row .row-error');
  const errors = await phone.$$eval('tr.tier-row', (trs) => trs.map((tr) => tr.querySelector('.row-error')?.textContent.trim() ?? ''));
  assert.ok(errors[0].includes(t('admin.tiers.err_percent_range',
    { min: limits.tier_percent_min, max: limits.tier_percent_max })), `row 1: ${errors[0]}`);
  assert.ok(errors[1].includes(t('admin.tiers.err_ordinal_min', { min: limits.tier_ordinal_min })), `row 2: ${errors[1]}`);
  assert.equal(norm(await phone.textContent('.tiers-form [data-role=form-error]')), t('error.validation_failed'));
  assert.equal(puts, 0, 'nothing was sent');
  assert.deepEqual((await apiCall(url, 'GET', '/discount-tiers')).json.items, tiersBefore, 'nothing changed');
}
