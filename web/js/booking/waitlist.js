// SPDX-License-Identifier: MIT
// The student's places in line (GET /me/waitlist): full events and full group
// sessions they queue for, with their current place, and the seats offered to them
// with the offer's deadline. An offer is accepted in one click (POST
// /waitlist/{id}/accept: a booking with its contract, discount and gift) or given
// up; any place is left (DELETE). Also the two joins the other panels call:
// joinEvent (a full event) and joinSession (a full group session), each for the
// family member the page acts for (client_id). Emits "booked"
// after an accept and "waitlist" after any change. Hidden when there is nothing.
import { del, get, post } from '../api.js';
import { h, fill } from '../dom.js';
import { errorText, t } from '../i18n.js';
import { dateTime } from '../format.js';
import { failedInto, notify, session } from '../shell.js';
import { forLearner, learnerBody, tutorName } from './state.js';
import { emit, tx, whenText } from './ui.js';

// items: GET /me/waitlist's entries (null: not loaded); busy: the entry acted on.
const view = { items: null, error: null, busy: null, messages: new Map(), seq: 0 };
let root = null;

const keyOf = (entry) => `${entry.kind}-${entry.id}`;

function placeText(entry) {
  if (entry.state === 'offered') {
    return t('book.waitlist.offer', { until: dateTime(entry.offer_expires_at) });
  }
  return t('book.waitlist.position', { position: entry.position });
}

function entryActions(entry) {
  const busy = view.busy === keyOf(entry);
  const hidden = h('span', { class: 'visually-hidden' }, `: ${entry.title}`);
  const button = (action, key, cls, run) => h('button', {
    type: 'button', class: cls, 'data-action': action, disabled: busy,
    'aria-busy': busy ? 'true' : null, onclick: () => act(entry, run, key),
  }, t(`book.waitlist.${action}`), hidden);
  const leave = entry.kind === 'event'
    ? () => del(forLearner(`/events/${entry.event_id}/waitlist`))
    : () => del(forLearner(`/waitlist/${entry.id}`));
  if (entry.state === 'offered') {
    return h('div', { class: 'actions' },
      button('accept', 'book.waitlist.accepted_notice', '', () => post(`/waitlist/${entry.id}/accept`, learnerBody())),
      button('decline', 'book.waitlist.left_notice', 'secondary', leave));
  }
  return h('div', { class: 'actions' }, button('leave', 'book.waitlist.left_notice', 'secondary', leave));
}

function entryItem(entry) {
  const titleId = `waitlist-${keyOf(entry)}-title`;
  const message = view.messages.get(keyOf(entry));
  const who = entry.kind === 'slot' && entry.tutor_id ? ` · ${tutorName(entry.tutor_id)}` : '';
  return h('li', {
    class: `waitlist-entry${entry.state === 'offered' ? ' offered' : ''}`,
    'data-waitlist': keyOf(entry), 'aria-labelledby': titleId,
  },
  h('h3', { id: titleId }, entry.title),
  h('p', { class: 'small' }, h('time', { datetime: entry.starts_at }, whenText(entry.starts_at)), who),
  h('p', { class: entry.state === 'offered' ? 'notice success' : 'small', 'data-field': 'place' },
    placeText(entry)),
  entryActions(entry),
  message ? h('p', { class: 'form-error', role: 'alert' }, message) : null);
}

/** Draws the card from what is loaded (also after a language change or a login). */
export function render() {
  if (!root) return;
  const show = Boolean(session.client) && (view.error || (view.items && view.items.length));
  root.hidden = !show;
  if (!show) return;
  if (view.error) {
    failedInto(root, view.error, () => load());
    return;
  }
  fill(root,
    tx('h2', 'book.waitlist.title', { id: 'waitlist-title' }),
    h('ul', { class: 'plain items', id: 'waitlist-list' }, view.items.map(entryItem)));
}

async function act(entry, run, noticeKey) {
  view.messages.delete(keyOf(entry));
  view.busy = keyOf(entry);
  render();
  try {
    await run();
    notify(t(noticeKey, { title: entry.title }), 'success');
    emit(noticeKey === 'book.waitlist.accepted_notice' ? 'booked' : 'waitlist');
  } catch (err) {
    view.messages.set(keyOf(entry), errorText(err));
  }
  view.busy = null;
  await load({ keepMessages: true });
}

export async function load({ keepMessages = false } = {}) {
  const seq = ++view.seq;
  if (!keepMessages) view.messages.clear();
  if (!session.client) {
    view.items = null;
    view.error = null;
    render();
    return;
  }
  try {
    const answer = await get(forLearner('/me/waitlist'));
    if (seq !== view.seq) return;
    view.items = answer.items;
    view.error = null;
  } catch (err) {
    if (seq !== view.seq) return;
    view.error = err;
  }
  render();
}

/** Queues for a full event; resolves to POST's answer ({position}), rejects with an ApiError. */
export async function joinEvent(event) {
  const answer = await post(`/events/${event.id}/waitlist`, learnerBody());
  emit('waitlist');
  return answer;
}

/** Queues for a full group session (a slot of GET /slots?full=true with no seat). */
export async function joinSession(serviceId, slot) {
  const answer = await post('/waitlist', learnerBody({
    service_id: serviceId, tutor_id: slot.tutor_id, starts_at: slot.starts_at,
  }));
  emit('waitlist');
  return answer;
}

export function mount(element) { root = element; }
