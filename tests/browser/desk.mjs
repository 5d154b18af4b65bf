// SPDX-License-Identifier: MIT
// Helpers the staff desk and admin journeys share: the page's own sentences from
// web/i18n (so a journey asserts what a Basque user reads), logging in through the
// page's form or through the API into a page's cookie jar, API calls as a user,
// and setting up a lesson that has already started.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiCall, apiLogin } from './lib.mjs';

/** The dictionary of `lang` with t(key, params) as the pages use it. */
export function dictionary(web, lang) {
  const d = JSON.parse(readFileSync(join(web, 'i18n', `${lang}.json`), 'utf8'));
  const t = (key, params = {}) => {
    let entry = d[key];
    assert.ok(entry !== undefined, `no ${lang} sentence for ${key}`);
    if (typeof entry === 'object') {
      entry = entry[new Intl.PluralRules(lang).select(Number(params.count ?? 0))] ?? entry.other;
    }
    return entry.replace(/\{(\w+)\}/g, (whole, name) => (params[name] === undefined ? whole : String(params[name])));
  };
  return { t, d };
}

/** Whitespace (non-breaking spaces included) collapsed, ends trimmed. */
export const norm = (s) => String(s ?? '').replace(/[\s\u00a0\u202f]+/g, ' ').trim();

/** A percentage as the Basque page writes it ("% 5"). */
export const pct = (n) => `% ${n}`;

/** Logs in through the page's login form and waits for the desk's tabs. */
export async function loginOnPage(page, { email, password }) {
  const form = page.locator('form.login-form');
  await form.locator('input[name=email]').fill(email);
  await form.locator('input[name=password]').fill(password);
  await form.locator('button[type=submit]').click();
}

/** Logs `who` in through the API inside the page's own cookie jar. */
export async function loginInto(page, url, { email, password }) {
  const res = await page.request.post(`${url}/api/v1/auth/login`, { data: { email, password } });
  assert.equal(res.status(), 200, `login ${email}`);
}

/** API calls as a user: {call(method, path, body) -> {status, json}, user}. */
export async function apiAs(url, { email, password }) {
  const s = await apiLogin(url, email, password);
  return {
    user: s.user,
    call: (method, path, body) => apiCall(url, method, path, { body, cookie: s.cookie, csrf: s.csrf }),
  };
}

/** Waits until the desk's tab panel has finished loading (no loading note, nothing busy). */
export async function settled(page) {
  await page.waitForSelector('#tab-panel');
  await page.waitForFunction(() => !document.querySelector('#app .loading-note, #app [aria-busy=true]'));
}

/** YYYY-MM-DD in Europe/Madrid of an instant (as the pages group days). */
export function businessDay(instant) {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Madrid', year: 'numeric', month: '2-digit', day: '2-digit',
  }).format(new Date(instant));
}

/**
 * A walk-in lesson for client that started a minute ago, recorded as a no-show
 * (the API logs a walk-in when it is made): the first tutor free now for a
 * private service in one of the tutor's subjects. Resolves to the lesson.
 */
export async function startedWalkIn(staff, clientId, attendance = 'no_show') {
  const tutors = (await staff.call('GET', '/tutors')).json.items;
  const services = (await staff.call('GET', '/services')).json.items
    .filter((s) => s.kind === 'private' && s.active);
  const startsAt = new Date(Math.floor((Date.now() - 60e3) / 60e3) * 60e3).toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
  for (const tutor of tutors) {
    for (const service of services.filter((s) => tutor.subjects.includes(s.subject))) {
      const res = await staff.call('POST', '/lessons', {
        client_id: clientId, service_id: service.id, tutor_id: tutor.id, starts_at: startsAt, attendance,
      });
      if (res.status === 201) return res.json;
      assert.equal(res.status, 409, `walk-in: ${res.status} ${JSON.stringify(res.json)}`);
    }
  }
  throw new Error('no tutor was free for a walk-in');
}
