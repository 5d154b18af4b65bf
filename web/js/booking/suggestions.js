// SPDX-License-Identifier: MIT
// Suggestions for the logged-in student (GET /me/suggestions): each item is shown
// as t(message_key, params) when the dictionaries know its key, and skipped
// otherwise. While the server has no such route (404) the card stays hidden.
import { get } from '../api.js';
import { h, fill } from '../dom.js';
import { hasKey, t } from '../i18n.js';
import { failedInto, loadingInto, session } from '../shell.js';
import { dateTime } from '../format.js';
import { forLearner } from './state.js';
import { tx } from './ui.js';

// Which parameter decides the plural form of each suggestion's sentence.
const COUNTED_BY = {
  sessions_left: 'sessions_left',
  tutor_free_slots: 'free_slots',
  upcoming_event: 'places_left',
  book_next_lesson: 'days_since',
};

/** The item's parameters as the sentence shows them: instants in the business
 * time zone and the page's language, and the count for the plural form. */
function shownParams(item) {
  const params = { ...(item.params || {}) };
  for (const [name, value] of Object.entries(params))
    if (name.endsWith('_at') && typeof value === 'string') params[name] = dateTime(value);
  const counted = COUNTED_BY[item.kind];
  if (counted) params.count = params[counted];
  return params;
}

const view = { items: null, error: null, unavailable: false, answered: false, seq: 0 };
let root = null;
let body = null;

function known() {
  return (view.items || []).filter((item) => item && typeof item.message_key === 'string'
    && hasKey(item.message_key));
}

/** Draws the card (also after a language change). */
export function render() {
  if (!root) return;
  const items = known();
  // A hook for tests: what the last answer was (loading, ready, unavailable, error).
  root.dataset.state = !session.client ? 'none' : view.unavailable ? 'unavailable'
    : view.error ? 'error' : view.items === null ? 'loading' : 'ready';
  const show = Boolean(session.client) && !view.unavailable
    && (view.error || (view.items === null ? view.answered : items.length > 0));
  root.hidden = !show;
  if (!show) return;
  if (!body) {
    body = h('div', { id: 'suggestions-body' });
    fill(root, tx('h2', 'book.suggestions.title', { id: 'suggestions-title' }), body);
  }
  if (view.error) failedInto(body, view.error, () => load());
  else if (view.items === null) loadingInto(body);
  else {
    fill(body, h('ul', { class: 'plain items suggestions' }, items.map((item) =>
      h('li', { 'data-kind': item.kind || '' }, t(item.message_key, shownParams(item))))));
  }
}

export async function load() {
  const seq = ++view.seq;
  view.items = null;
  view.error = null;
  if (!session.client) {
    render();
    return;
  }
  render();
  try {
    const answer = await get(forLearner('/me/suggestions'));
    if (seq !== view.seq) return;
    view.unavailable = false;
    view.answered = true;
    view.items = Array.isArray(answer && answer.items) ? answer.items : [];
  } catch (err) {
    if (seq !== view.seq) return;
    if (err.status === 404) view.unavailable = true;
    else view.error = err;
  }
  render();
}

export function mount(element) { root = element; }
