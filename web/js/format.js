// SPDX-License-Identifier: MIT
// Dates, times and money as people read them: Intl formatters in the page's
// language and the business time zone (the API speaks UTC instants and cents).
import { currentLanguage } from './i18n.js';

export const BUSINESS_TIME_ZONE = 'Europe/Madrid';

const cache = new Map();
function formatter(kind, options) {
  const key = `${currentLanguage()}|${kind}`;
  if (!cache.has(key)) {
    const locale = currentLanguage();
    cache.set(key, kind === 'money'
      ? new Intl.NumberFormat(locale, options)
      : new Intl.DateTimeFormat(locale, { timeZone: BUSINESS_TIME_ZONE, ...options }));
  }
  return cache.get(key);
}

/** 4500 -> "45,00 €" in the page's language. */
export function money(cents) {
  return formatter('money', { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

/** An RFC 3339 instant -> "14:30" in the business time zone. */
export function time(instant) {
  return formatter('time', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(new Date(instant));
}

/** An instant -> "ar., azaroa 24" (weekday, day and month). */
export function day(instant) {
  return formatter('day', { weekday: 'short', day: 'numeric', month: 'long' })
    .format(new Date(instant));
}

/** An instant -> day and time together. */
export function dateTime(instant) {
  return formatter('datetime', {
    weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(instant));
}

/** A long date, e.g. for a heading: "2026ko azaroaren 24a, asteartea". */
export function longDate(instant) {
  return formatter('long', { dateStyle: 'full' }).format(new Date(instant));
}

/** The YYYY-MM-DD day, in the business time zone, that contains `instant`. */
export function businessDate(instant) {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: BUSINESS_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit',
  }).formatToParts(new Date(instant));
  const get = (type) => parts.find((p) => p.type === type).value;
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** YYYY-MM-DD plus n days (calendar arithmetic, no time zone involved). */
export function addDays(isoDate, n) {
  const d = new Date(`${isoDate}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** The Monday (YYYY-MM-DD) of the week holding isoDate. */
export function mondayOf(isoDate) {
  const d = new Date(`${isoDate}T12:00:00Z`);
  const weekday = (d.getUTCDay() + 6) % 7; // 0 = Monday
  return addDays(isoDate, -weekday);
}

/** A YYYY-MM-DD day label ("al., aza. 23") for headings of a week grid. */
export function dayLabel(isoDate) {
  return formatter('daylabel', { weekday: 'short', day: 'numeric', month: 'short' })
    .format(new Date(`${isoDate}T12:00:00Z`));
}

/** Forgets formatters (after a language change they are rebuilt lazily). */
export function resetFormatters() { cache.clear(); }
