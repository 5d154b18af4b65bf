// SPDX-License-Identifier: MIT
// Panels that fold on a phone (issue 13, item 6): a secondary panel of the booking
// page is wrapped in <details> whose <summary> names it, so it opens and closes
// with the keyboard and says so to screen readers without any script of ours. Every
// panel starts open; one the student closes on a phone stays closed on the next
// visit (localStorage), so the page gets as short as that student wants it. On a
// wider screen the summaries are not shown and every panel is open. A panel its
// module hides (section[hidden]) hides its fold too.
import { h } from '../dom.js';
import { t } from '../i18n.js';

const PHONE = globalThis.matchMedia('(max-width: 599px)');
const KEY = 'harreman.folded';
const folds = [];

function readFolded() {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) || '[]');
    return new Set(Array.isArray(list) ? list : []);
  } catch {
    return new Set(); // storage refused (private mode): everything open
  }
}

function saveFolded(set) {
  try {
    localStorage.setItem(KEY, JSON.stringify([...set]));
  } catch {
    // not remembered: the panel still folds for this visit
  }
}

/** Opens or closes every fold for the screen's width and the student's choices. */
function apply() {
  const folded = readFolded();
  for (const f of folds) f.details.open = !PHONE.matches || !folded.has(f.id);
}

/** section wrapped in a fold named by the dictionary key titleKey. */
export function fold(section, titleKey) {
  const label = h('span', { class: 'fold-label' }, t(titleKey));
  const details = h('details', {
    class: 'fold', 'data-fold': section.id, open: true, hidden: section.hidden,
  }, h('summary', { class: 'fold-summary' }, label), section);
  new MutationObserver(() => { details.hidden = section.hidden; })
    .observe(section, { attributes: true, attributeFilter: ['hidden'] });
  details.addEventListener('toggle', () => {
    if (!PHONE.matches) {
      if (!details.open) details.open = true; // no summary to open it again
      return;
    }
    const folded = readFolded();
    if (details.open) folded.delete(section.id);
    else folded.add(section.id);
    saveFolded(folded);
  });
  folds.push({ id: section.id, details, label, titleKey });
  if (PHONE.matches && readFolded().has(section.id)) details.open = false;
  return details;
}

/** After a language change: the summaries in the new language. */
export function relabelFolds() {
  for (const f of folds) f.label.textContent = t(f.titleKey);
}

PHONE.addEventListener('change', apply);
