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
