// SPDX-License-Identifier: MIT
// Two formats the desk needs besides web/js/format.js: a short date with its year
// (contracts, records and users reach back over months) and a percentage. Intl in
// the page's language and the business time zone; where the browser's Intl has no
// Basque (Debian's chromium), the Basque forms are written out here.
import { currentLanguage } from '../i18n.js';
import { BUSINESS_TIME_ZONE, businessDate } from '../format.js';

const MONTHS_EU = ['urt.', 'ots.', 'mar.', 'api.', 'mai.', 'eka.', 'uzt.', 'abu.', 'ira.', 'urr.', 'aza.', 'abe.'];
const cache = new Map();
let basqueKnown = null;

function basqueMissing() {
  if (currentLanguage() !== 'eu') return false;
  if (basqueKnown === null) basqueKnown = Intl.DateTimeFormat.supportedLocalesOf(['eu']).length > 0;
  return !basqueKnown;
}

function cached(kind, make) {
  const key = `${currentLanguage()}|${kind}`;
  if (!cache.has(key)) cache.set(key, make(currentLanguage()));
  return cache.get(key);
}

/** An instant -> its day with the year: "2026 aza. 24", "24 nov 2026", "Nov 24, 2026". */
export function shortDate(instant) {
  if (basqueMissing()) {
    const [y, m, d] = businessDate(instant).split('-').map(Number);
    return `${y} ${MONTHS_EU[m - 1]} ${d}`;
  }
  return cached('shortdate', (lang) => new Intl.DateTimeFormat(lang, {
    timeZone: BUSINESS_TIME_ZONE, year: 'numeric', month: 'short', day: 'numeric',
  })).format(new Date(instant));
}

/** An integer percentage -> "% 5" (Basque), "5 %" (Spanish), "5%" (English). */
export function percent(n) {
  if (basqueMissing()) return `%\u00a0${Number(n)}`;
  return cached('percent', (lang) => new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 2 }))
    .format(Number(n) / 100);
}

// Wall-clock reading of an instant in the business time zone, as a UTC millisecond
// count ("18:30 on 3 December" -> Date.UTC(2026, 11, 3, 18, 30)). h23: never "24:00".
let wallParts = null;
function wallOf(ms) {
  wallParts ??= new Intl.DateTimeFormat('en-US', {
    timeZone: BUSINESS_TIME_ZONE, hourCycle: 'h23', year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  const p = Object.fromEntries(wallParts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour) % 24,
    Number(p.minute), Number(p.second));
}

/**
 * A local date and time in the business time zone ("2026-12-03T18:30", as a
 * datetime-local control gives it) -> the RFC 3339 UTC instant the API takes
 * ("2026-12-03T17:30:00Z"). null when it is not a date and time, or when that
 * wall-clock time does not exist (the hour skipped when the clocks go forward); a
 * time that happens twice (the hour repeated when they go back) is the first one.
 */
export function instantFromBusiness(local) {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(String(local ?? ''));
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]),
    Number(m[6] ?? 0));
  if (Number.isNaN(wall) || new Date(wall).getUTCDate() !== Number(m[3])) return null;
  // The zone's offsets a day either side cover any change of the clocks in between.
  const offsets = new Set([wall - 864e5, wall, wall + 864e5].map((t) => wallOf(t) - t));
  const found = [...offsets].map((o) => wall - o).filter((t) => wallOf(t) === wall).sort((a, b) => a - b);
  return found.length ? new Date(found[0]).toISOString().replace(/\.\d{3}Z$/, 'Z') : null;
}

/** An instant -> its "YYYY-MM-DDTHH:MM" in the business time zone (for datetime-local). */
export function businessLocal(instant) {
  return new Date(wallOf(Date.parse(instant))).toISOString().slice(0, 16);
}
