// SPDX-License-Identifier: MIT
// The pages' languages: Basque first, then Spanish and English. Loads
// /i18n/<lang>.json, translates every element marked with data-i18n (text) or
// data-i18n-<attr> (placeholder, aria-label, title), remembers the choice in
// localStorage and turns API error codes into sentences. Everything a user reads
// goes through t(); nothing visible is written in the HTML or JS in one language.

export const LANGUAGES = ['eu', 'es', 'en'];
const STORAGE_KEY = 'harreman.lang';
const listeners = new Set();
let dictionary = {};
let language = 'eu';

/** The language to start with: the remembered choice, else Basque. */
export function rememberedLanguage() {
  let stored = null;
  try { stored = localStorage.getItem(STORAGE_KEY); } catch { /* private mode */ }
  return LANGUAGES.includes(stored) ? stored : 'eu';
}

export function currentLanguage() { return language; }

/** Loads and applies `lang`; remembers it unless told not to. */
export async function setLanguage(lang, { remember = true } = {}) {
  if (!LANGUAGES.includes(lang)) lang = 'eu';
  const response = await fetch(`/i18n/${lang}.json`, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`i18n ${lang}: ${response.status}`);
  dictionary = await response.json();
  language = lang;
  if (remember) {
    try { localStorage.setItem(STORAGE_KEY, lang); } catch { /* private mode */ }
  }
  document.documentElement.lang = lang;
  translateTree(document);
  for (const fn of listeners) fn(lang);
}

/** Calls fn(lang) after every language change (to re-render dynamic parts). */
export function onLanguageChange(fn) { listeners.add(fn); }

/**
 * The sentence for `key` with {name} placeholders filled from params. An entry may
 * be {"one": "...", "other": "..."}, chosen by params.count with Intl.PluralRules.
 */
export function t(key, params = {}) {
  let entry = dictionary[key];
  if (entry === undefined) {
    console.warn(`i18n: missing ${language}:${key}`);
    return key;
  }
  if (typeof entry === 'object') {
    const rule = new Intl.PluralRules(language).select(Number(params.count ?? 0));
    entry = entry[rule] ?? entry.other;
  }
  return entry.replace(/\{(\w+)\}/g, (whole, name) =>
    params[name] === undefined || params[name] === null ? whole : String(params[name]));
}

/** True when the dictionary has `key` (for optional, data-driven keys). */
export function hasKey(key) { return Object.prototype.hasOwnProperty.call(dictionary, key); }

const ATTRIBUTES = ['placeholder', 'aria-label', 'title', 'alt', 'content'];

/** Translates root and everything under it. */
export function translateTree(root) {
  const scope = root.querySelectorAll ? root : document;
  const elements = [...scope.querySelectorAll('[data-i18n]')];
  if (root.dataset && root.dataset.i18n) elements.push(root);
  for (const el of elements) el.textContent = t(el.dataset.i18n);
  for (const attr of ATTRIBUTES) {
    for (const el of scope.querySelectorAll(`[data-i18n-${attr}]`))
      el.setAttribute(attr, t(el.getAttribute(`data-i18n-${attr}`)));
  }
}

/** The sentence for an API error (an ApiError from api.js, or anything thrown). */
export function errorText(err) {
  const code = err && err.code ? err.code : 'network';
  return hasKey(`error.${code}`) ? t(`error.${code}`) : t('error.internal');
}

// The server's per-field messages are English sentences meant for developers; the
// pages show a translated sentence chosen by what the message says.
const FIELD_MESSAGES = [
  ['is required', 'field.required'],
  ['must not be empty', 'field.required'],
  ['valid e-mail', 'field.email'],
  ['at least 10 characters', 'field.password_short'],
  ['too long', 'field.too_long'],
  ['at most', 'field.too_long'],
  ['not an open slot', 'field.not_open_slot'],
  ['too far', 'field.out_of_range'],
  ['out of range', 'field.out_of_range'],
  ['one of', 'field.choose'],
];

/** The translated sentence for one entry of an error's `fields`. */
export function fieldText(message) {
  const text = String(message || '');
  for (const [needle, key] of FIELD_MESSAGES)
    if (text.includes(needle)) return t(key);
  return t('field.invalid');
}

/**
 * Wires a <select> as the language switcher: shows the current language, and on
 * change loads the new one and calls afterChange(lang) (e.g. to save the client's
 * locale on the server).
 */
export function bindLanguageSwitcher(select, afterChange) {
  select.value = language;
  onLanguageChange((lang) => { select.value = lang; });
  select.addEventListener('change', async () => {
    await setLanguage(select.value);
    if (afterChange) await afterChange(select.value);
  });
}
