// SPDX-License-Identifier: MIT
// Helpers the booking page's journeys share (tests/browser/journeys/booking_*.mjs):
// the page's own dictionaries for expected sentences, logging in and registering
// through the page, reaching a week with slots far enough ahead to cancel, and
// calling the API with the browser's own session.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiCall, englishOnlySentences, visibleTexts } from './lib.mjs';

/** The dictionary of one language, with t() as the page has it. */
export function dictionary(web, lang) {
  const dict = JSON.parse(readFileSync(join(web, 'i18n', `${lang}.json`), 'utf8'));
  const t = (key, params = {}) => {
    let entry = dict[key];
    assert.ok(entry !== undefined, `${lang}.json has ${key}`);
    if (typeof entry === 'object') {
      const rule = new Intl.PluralRules(lang).select(Number(params.count ?? 0));
      entry = entry[rule] ?? entry.other;
    }
    return entry.replace(/\{(\w+)\}/g, (whole, name) => (params[name] === undefined ? whole : String(params[name])));
  };
  return { dict, t };
}

/** Text with every kind of space made one plain space (Intl uses no-break spaces). */
export const norm = (s) => String(s ?? '').replace(/\s+/g, ' ').trim();

/** Euro cents as the Basque and Spanish pages write them: "28,50 €". */
export function euros(cents) {
  const [whole, frac] = (cents / 100).toFixed(2).split('.');
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${frac} €`;
}

export async function openPage(newPage, opts) {
  const page = await newPage(opts);
  await page.goto('/');
  await page.waitForSelector('body:not(.loading)');
  await page.waitForSelector('#choose input[name=service]');
  return page;
}

/** Logs in through the account card's form. */
export async function loginOnPage(page, email, password) {
  await page.click('#account-tab-login');
  await page.fill('#account-panel-login input[name=email]', email);
  await page.fill('#account-panel-login input[name=password]', password);
  await page.click('#account-panel-login button[type=submit]');
}

/** Registers through the account card's form. */
export async function registerOnPage(page, { name, email, password }) {
  await page.click('#account-tab-register');
  await page.fill('#account-panel-register input[name=full_name]', name);
  await page.fill('#account-panel-register input[name=email]', email);
  await page.fill('#account-panel-register input[name=password]', password);
  await page.click('#account-panel-register button[type=submit]');
}

/** Waits until the week view shows a loaded week (slots or "no free times"). */
export async function weekLoaded(page) {
  await page.waitForSelector('#week:not([aria-busy]) .week.agenda');
}

/** Chooses the service with that id in step 1 (subject first) and waits for its week. */
export async function chooseService(page, svc) {
  await page.selectOption('#subject', svc.subject);
  await page.check(`#service-${svc.id}`);
  await weekLoaded(page);
}

/**
 * Moves to next week (so every slot shown is well past the 24-hour limit, even late
 * on a Sunday) and returns the slot buttons' {startsAt, tutorId}, latest last.
 */
export async function nextWeekSlots(page, t) {
  const before = await page.textContent('#week-range');
  await page.click(`#week-card button:has-text("${t('book.week.next')}")`);
  await page.waitForFunction((old) => document.querySelector('#week-range').textContent !== old, before);
  await weekLoaded(page);
  return page.$$eval('#week .slot', (buttons) => buttons.map((b) => ({
    startsAt: b.dataset.startsAt, tutorId: b.dataset.tutorId,
  })));
}

export const slotSelector = (s) => `#week .slot[data-starts-at="${s.startsAt}"][data-tutor-id="${s.tutorId}"]`;

/** The browser context's session cookie as a Cookie header, for apiCall. */
export async function cookieOf(page) {
  const cookies = await page.context().cookies();
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

/** Calls the API as the page's logged-in user. */
export async function apiAsPage(page, url, method, path, body) {
  return apiCall(url, method, path, { cookie: await cookieOf(page), body });
}

/** The private service of a subject (the demo's "Matematika — eskola partikularra"). */
export async function privateService(url, subject = 'maths') {
  const services = (await apiCall(url, 'GET', '/services')).json.items;
  const svc = services.find((s) => s.subject === subject && s.kind === 'private' && s.active);
  assert.ok(svc, `a private ${subject} service exists`);
  return svc;
}

/**
 * Fails when a visible text of the page is an English-only sentence of en.json (or
 * contains one of 8 characters or more).
 */
export async function assertNoEnglish(page, web, label) {
  const english = englishOnlySentences(web);
  const texts = await visibleTexts(page);
  const found = [];
  // A sentence inside a longer text counts only as whole words: the English
  // "Material" is not in the Basque "Materiala".
  const inside = (text, sentence) => {
    for (let at = text.indexOf(sentence); at >= 0; at = text.indexOf(sentence, at + 1)) {
      const before = text.slice(0, at), after = text.slice(at + sentence.length);
      if (!/\p{L}$/u.test(before) && !/^\p{L}/u.test(after)) return true;
    }
    return false;
  };
  for (const text of texts) {
    for (const sentence of english) {
      if (text === sentence || (sentence.length >= 8 && inside(text, sentence))) found.push(`"${text}" ~ "${sentence}"`);
    }
  }
  assert.deepEqual(found, [], `English on the Basque page (${label})`);
}

/** Waits until the community panels have their data (and "my calendar" for a student). */
export async function communityReady(page, { student = false } = {}) {
  await page.waitForSelector('#events[data-state=ready]:not([aria-busy])');
  await page.waitForSelector('#contributions[data-state=ready]');
  if (student) await page.waitForSelector('#calendar[data-state=ready]');
}

/** The text of a sentence with a {link} whose words are another key's. */
export function withLink(t, key, linkKey) {
  return t(key).replace('{link}', t(linkKey));
}
