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
    const basque = locale === 'eu' && !intlKnowsBasque() ? basqueFormatter(kind) : null;
    cache.set(key, basque || (kind === 'money' || kind === 'percent'
      ? new Intl.NumberFormat(locale, options)
      : new Intl.DateTimeFormat(locale, { timeZone: BUSINESS_TIME_ZONE, ...options })));
  }
  return cache.get(key);
}

// Some browsers ship Intl without Basque data (Debian's chromium among them) and
// silently answer in American English. Then the Basque page builds its dates from
// Intl's numeric parts in the business time zone and Basque month and day names,
// and its numbers from Spanish Intl, which groups and marks decimals as Basque does.
const EU_MONTHS = ['urtarrila', 'otsaila', 'martxoa', 'apirila', 'maiatza', 'ekaina',
  'uztaila', 'abuztua', 'iraila', 'urria', 'azaroa', 'abendua'];
const EU_MONTHS_SHORT = ['urt.', 'ots.', 'mar.', 'api.', 'mai.', 'eka.', 'uzt.', 'abu.', 'ira.',
  'urr.', 'aza.', 'abe.'];
const EU_DAYS = ['igandea', 'astelehena', 'asteartea', 'asteazkena', 'osteguna', 'ostirala', 'larunbata'];
const EU_DAYS_SHORT = ['ig.', 'al.', 'ar.', 'az.', 'og.', 'or.', 'lr.'];

let basqueKnown = null;
function intlKnowsBasque() {
  if (basqueKnown === null) basqueKnown = Intl.DateTimeFormat.supportedLocalesOf(['eu']).length > 0;
  return basqueKnown;
}

function localParts(instant) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: BUSINESS_TIME_ZONE, year: 'numeric', month: 'numeric', day: 'numeric',
    weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(instant);
  const get = (type) => parts.find((p) => p.type === type).value;
  return {
    year: Number(get('year')), month: Number(get('month')), day: Number(get('day')),
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(get('weekday')),
    hm: `${get('hour')}:${get('minute')}`,
  };
}

// "2026ko", "2025eko": the suffix follows how the year's last number sounds.
function yearSuffix(year) {
  const r = year % 100;
  if (r === 0) return year % 1000 === 0 ? 'ko' : 'eko';
  if (r % 20 === 10) return 'eko';
  if (r % 20 === 0 || r === 11) return 'ko';
  return r % 10 === 1 || r % 10 === 5 ? 'eko' : 'ko';
}

function basqueFormatter(kind) {
  const numbers = (options) => new Intl.NumberFormat('es', { useGrouping: 'always', ...options });
  const dates = {
    time: (p) => p.hm,
    day: (p) => `${EU_DAYS_SHORT[p.weekday]}, ${EU_MONTHS[p.month - 1]}k ${p.day}`,
    datetime: (p) => `${EU_DAYS_SHORT[p.weekday]}, ${EU_MONTHS_SHORT[p.month - 1]} ${p.day}, ${p.hm}`,
    long: (p) => `${p.year}${yearSuffix(p.year)} ${EU_MONTHS[p.month - 1]}ren ${p.day}a, ${EU_DAYS[p.weekday]}`,
    daylabel: (p) => `${EU_DAYS_SHORT[p.weekday]}, ${EU_MONTHS_SHORT[p.month - 1]} ${p.day}`,
    shortdate: (p) => `${p.year} ${EU_MONTHS_SHORT[p.month - 1]} ${p.day}`,
  };
  if (kind === 'money') return numbers({ style: 'currency', currency: 'EUR' });
  if (kind === 'percent') {
    const n = numbers({ maximumFractionDigits: 2 });
    return { format: (fraction) => `%\u00a0${n.format(fraction * 100)}` };
  }
  if (!dates[kind]) return null;
  return { format: (instant) => dates[kind](localParts(instant)) };
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

/** An instant -> a short date with the year ("2026 aza. 24"), for records and logs. */
export function shortDate(instant) {
  return formatter('shortdate', { year: 'numeric', month: 'short', day: 'numeric' })
    .format(new Date(instant));
}

/** An integer percentage -> "% 5" / "5 %" / "5%" as the page's language writes it. */
export function percent(n) {
  return formatter('percent', { style: 'percent', maximumFractionDigits: 2 }).format(Number(n) / 100);
}

/** Forgets formatters (after a language change they are rebuilt lazily). */
export function resetFormatters() { cache.clear(); }
