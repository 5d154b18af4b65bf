// SPDX-License-Identifier: MIT
// The student's loyalty progress as the server states it (GET /me/loyalty: the
// contracts that count, the current percent, the next tier or null at the cap):
// what the next contract gets, and a small progress indicator towards the top
// tier over the table of tiers (GET /discount-tiers, shown only: no percent or
// stage is computed from it here).
import { get } from '../api.js';
import { h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { failedInto, loadingInto, session } from '../shell.js';
import { forLearner, state } from './state.js';
import { tx } from './ui.js';

const view = { loyalty: null, error: null, seq: 0 };
let root = null;
let body = null;

function renderBody() {
  if (view.error) {
    failedInto(body, view.error, () => load());
    return;
  }
  if (!view.loyalty) {
    loadingInto(body);
    return;
  }
  const { contracts, current_percent: current, next } = view.loyalty;
  const tiers = state.tiers;
  const nextOrdinal = contracts + 1;
  // The next contract starts the server's next tier when it is that tier's first
  // ordinal; otherwise it stays at the current percent.
  const nextPercent = next && next.ordinal === nextOrdinal ? next.percent : current;
  const later = next && next.ordinal > nextOrdinal ? next : null;
  const cap = tiers.length ? tiers[tiers.length - 1] : null;
  const parts = [
    h('p', { class: 'loyalty-next', id: 'loyalty-next' }, nextPercent
      ? t('book.loyalty.next', { percent: nextPercent }) : t('book.loyalty.next_none')),
  ];
  if (cap) {
    const steps = cap.from_ordinal;
    const done = Math.min(contracts, steps);
    parts.push(h('div', {
      class: 'progress', role: 'progressbar', 'aria-label': t('book.loyalty.progress_label'),
      'aria-valuemin': 0, 'aria-valuemax': steps, 'aria-valuenow': done,
      'aria-valuetext': t('book.loyalty.progress_value', { count: done, total: steps }),
    }, Array.from({ length: steps }, (_, i) => h('span', { class: i < done ? 'done' : null }))));
    parts.push(h('p', { class: 'small muted progress-caption' },
      t('book.loyalty.progress_value', { count: done, total: steps })));
    parts.push(h('ol', { class: 'plain tiers' }, tiers.map((tier, i) => {
      const last = i === tiers.length - 1;
      const reached = !next || tier.from_ordinal < next.ordinal;
      const isNext = !reached && tier.from_ordinal === next.ordinal && next.ordinal === nextOrdinal;
      return h('li', { class: reached ? 'reached' : (isNext ? 'next' : null) },
        t(last ? 'book.loyalty.tier_last' : 'book.loyalty.tier', { ordinal: tier.from_ordinal, percent: tier.percent }),
        reached ? h('span', { class: 'badge ok' }, t('book.loyalty.reached'))
          : (isNext ? h('span', { class: 'badge warn' }, t('book.loyalty.next_badge')) : null));
    })));
  }
  if (!next && current) parts.push(h('p', { class: 'small' }, t('book.loyalty.cap', { percent: current })));
  else if (later) parts.push(h('p', { class: 'small' }, t('book.loyalty.later', { ordinal: later.ordinal, percent: later.percent })));
  parts.push(h('p', { class: 'small muted' }, t('book.loyalty.count', { count: contracts }), ' ',
    t('book.loyalty.explain')));
  fill(body, parts);
}

/** Draws the card (also after a language change). */
export function render() {
  if (!root) return;
  root.hidden = !session.client;
  if (!session.client) return;
  if (!body) {
    body = h('div', { id: 'loyalty-body' });
    fill(root, tx('h2', 'book.loyalty.title', { id: 'loyalty-title' }), body);
  }
  renderBody();
}

export async function load() {
  if (!session.client) {
    view.loyalty = null;
    render();
    return;
  }
  const seq = ++view.seq;
  view.loyalty = null;
  view.error = null;
  render();
  try {
    const loyalty = await get(forLearner('/me/loyalty'));
    if (seq !== view.seq) return;
    view.loyalty = loyalty;
  } catch (err) {
    if (seq !== view.seq) return;
    view.error = err;
  }
  renderBody();
}

export function mount(element) { root = element; }
