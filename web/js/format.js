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

// Chromium's own ICU data has no Basque (Firefox's has), and Intl silently falls
// back to English there. When Intl lacks 'eu', the Basque page builds the same
// formats from CLDR's Basque names; money uses the Spanish pattern, which is the
// Basque one ("45,00 €").
const BASQUE = {
  weekdays: ['igandea', 'astelehena', 'asteartea', 'asteazkena', 'osteguna', 'ostirala', 'larunbata'],
  weekdaysShort: ['ig.', 'al.', 'ar.', 'az.', 'og.', 'or.', 'lr.'],
  months: ['urtarrila', 'otsaila', 'martxoa', 'apirila', 'maiatza', 'ekaina', 'uztaila', 'abuztua',
    'iraila', 'urria', 'azaroa', 'abendua'],
  monthsShort: ['urt.', 'ots.', 'mar.', 'api.', 'mai.', 'eka.', 'uzt.', 'abu.', 'ira.', 'urr.',
    'aza.', 'abe.'],
};
let basqueIntl = null;
let basqueMoney = null;
function basqueFallback() {
  if (currentLanguage() !== 'eu') return false;
  if (basqueIntl === null) basqueIntl = Intl.DateTimeFormat.supportedLocalesOf(['eu']).length > 0;
  return !basqueIntl;
}

/** {y, m (1-12), d, wd (0 = Sunday)} of a YYYY-MM-DD day. */
function dayParts(isoDate) {
  const [y, m, d] = isoDate.split('-').map(Number);
  return { y, m, d, wd: new Date(Date.UTC(y, m - 1, d)).getUTCDay() };
}

// "2026ko": -eko after a number that is said ending in a consonant (bat, bost,
// hamar, hamabost, and so every 20 years), -ko otherwise.
function basqueYear(y) {
  return `${y}${[1, 5, 10, 15].includes(y % 20) ? 'eko' : 'ko'}`;
}

/** 4500 -> "45,00 €" in the page's language. */
export function money(cents) {
  if (basqueFallback()) {
    basqueMoney ??= new Intl.NumberFormat('es', { style: 'currency', currency: 'EUR', useGrouping: 'always' });
    return basqueMoney.format(cents / 100);
  }
  return formatter('money', { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

/** An RFC 3339 instant -> "14:30" in the business time zone. */
export function time(instant) {
  return formatter('time', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .format(new Date(instant));
}

/** An instant -> "ar., azaroa 24" (weekday, day and month). */
export function day(instant) {
  if (basqueFallback()) {
    const p = dayParts(businessDate(instant));
    return `${BASQUE.weekdaysShort[p.wd]}, ${BASQUE.months[p.m - 1]}k ${p.d}`;
  }
  return formatter('day', { weekday: 'short', day: 'numeric', month: 'long' })
    .format(new Date(instant));
}

/** An instant -> day and time together. */
export function dateTime(instant) {
  if (basqueFallback()) return `${dayLabel(businessDate(instant))}, ${time(instant)}`;
  return formatter('datetime', {
    weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(instant));
}

/** A long date, e.g. for a heading: "2026ko azaroaren 24a, asteartea". */
export function longDate(instant) {
  if (basqueFallback()) {
    const p = dayParts(businessDate(instant));
    return `${basqueYear(p.y)} ${BASQUE.months[p.m - 1]}ren ${p.d}a, ${BASQUE.weekdays[p.wd]}`;
  }
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
  if (basqueFallback()) {
    const p = dayParts(isoDate);
    return `${BASQUE.weekdaysShort[p.wd]}, ${BASQUE.monthsShort[p.m - 1]} ${p.d}`;
  }
  return formatter('daylabel', { weekday: 'short', day: 'numeric', month: 'short' })
    .format(new Date(`${isoDate}T12:00:00Z`));
}

/** The name of an ISO weekday (1 = Monday ... 7 = Sunday): "astelehena". */
export function weekdayName(isoWeekday) {
  if (basqueFallback()) return BASQUE.weekdays[isoWeekday % 7];
  // 2024-01-01 was a Monday.
  return formatter('weekday', { weekday: 'long', timeZone: 'UTC' })
    .format(new Date(Date.UTC(2024, 0, isoWeekday, 12)));
}

/** Forgets formatters (after a language change they are rebuilt lazily). */
export function resetFormatters() { cache.clear(); }
