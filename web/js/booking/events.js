// SPDX-License-Identifier: MIT
// Community events on the booking page (GET /events): the workshops, talks and
// forums that have not ended, with their kind, subject, day and time in the
// business time zone, places left and description (as text). A logged-in student
// registers and withdraws (POST and DELETE /events/{id}/registration); a full
// event or one that has started is said in the page's language next to the event.
// A full event offers its waiting list (POST/DELETE /events/{id}/waitlist) and
// says the student's place in it. A visitor is asked to log in. Emits "community"
// after a change of registration, "waitlist" after a change of line.
import { del, get, post, withQuery } from '../api.js';
import { h, fill } from '../dom.js';
import { currentLanguage, errorText, t } from '../i18n.js';
import { dateTime, time, businessDate } from '../format.js';
import { failedInto, loadingInto, notify, session } from '../shell.js';
import { collapsibleText, loginPrompt } from './community-ui.js';
import { forLearner, learnerBody } from './state.js';
import { emit, label, tx } from './ui.js';
import { joinEvent } from './waitlist.js';

const PAGE = 50;
// items: the events shown; messages: event id -> the error shown next to it.
const view = { items: null, nextAfter: null, error: null, more: false, messages: new Map(), busy: null, seq: 0 };
let root = null;
let body = null;

const isStudent = () => Boolean(session.client);

function whenText(event) {
  const sameDay = businessDate(event.starts_at) === businessDate(event.ends_at);
  return `${dateTime(event.starts_at)}–${sameDay ? time(event.ends_at) : dateTime(event.ends_at)}`;
}

function started(event) { return Date.parse(event.starts_at) <= Date.now(); }

function placesText(event) {
  return event.places_left > 0 ? t('book.community.events.places', { count: event.places_left })
    : t('book.community.events.full');
}

function statusBadge(event) {
  if (event.is_registered) return h('span', { class: 'badge ok', 'data-field': 'registered' }, t('book.community.events.registered'));
  if (started(event)) return h('span', { class: 'badge' }, t('book.community.events.started'));
  if (event.places_left <= 0) return h('span', { class: 'badge danger', 'data-field': 'full' }, t('book.community.events.full'));
  return null;
}

function actions(event) {
  if (!isStudent() || started(event)) return null;
  const hidden = h('span', { class: 'visually-hidden' }, `: ${event.title}`);
  const busy = view.busy === event.id;
  if (event.is_registered) {
    return h('button', {
      type: 'button', class: 'secondary', 'data-action': 'withdraw', disabled: busy,
      'aria-busy': busy ? 'true' : null, onclick: () => change(event, 'withdraw'),
    }, t('book.community.events.withdraw'), hidden);
  }
  if (event.places_left <= 0) {
    if (event.waitlist_position) {
      return h('div', { class: 'actions' },
        h('span', { class: 'small', 'data-field': 'waitlist-position' },
          t('book.waitlist.position', { position: event.waitlist_position })),
        h('button', {
          type: 'button', class: 'secondary', 'data-action': 'leave-waitlist', disabled: busy,
          'aria-busy': busy ? 'true' : null, onclick: () => change(event, 'leave'),
        }, t('book.waitlist.leave'), hidden));
    }
    return h('button', {
      type: 'button', 'data-action': 'join-waitlist', disabled: busy,
      'aria-busy': busy ? 'true' : null, onclick: () => change(event, 'join'),
    }, t('book.waitlist.join'), hidden);
  }
  return h('button', {
    type: 'button', 'data-action': 'register', disabled: busy,
    'aria-busy': busy ? 'true' : null, onclick: () => change(event, 'register'),
  }, t('book.community.events.register'), hidden);
}

function eventItem(event) {
  const titleId = `event-${event.id}-title`;
  const message = view.messages.get(event.id);
  return h('li', { class: 'event', 'data-event-id': event.id, 'aria-labelledby': titleId },
    h('div', { class: 'event-tags' },
      h('span', { class: 'eyebrow', 'data-field': 'kind' }, label('book.community.kind', event.kind),
        event.subject ? ` · ${label('book.subject', event.subject)}` : ''),
      statusBadge(event)),
    h('h3', { id: titleId, class: 'event-title' }, event.title),
    h('p', { class: 'event-when' }, h('time', { datetime: event.starts_at }, whenText(event))),
    collapsibleText(event.description, `event-${event.id}-description`, 'event-description'),
    h('div', { class: 'event-foot' },
      h('p', { class: `places${event.places_left > 0 ? '' : ' none'}`, 'data-field': 'places' }, placesText(event)),
      actions(event)),
    message ? h('p', { class: 'form-error', role: 'alert', 'data-role': 'event-error' }, message) : null);
}

function renderBody(focus) {
  if (!body) return;
  root.dataset.state = view.error ? 'error' : view.items === null ? 'loading' : 'ready';
  if (view.error) {
    failedInto(body, view.error, () => load());
    return;
  }
  if (view.items === null) {
    loadingInto(body);
    return;
  }
  fill(body,
    !session.user ? loginPrompt('book.community.events.login') : null,
    session.user && !isStudent() ? tx('p', 'book.community.events.staff', { class: 'small muted' }) : null,
    view.items.length
      ? h('ul', { class: 'plain items events', id: 'events-list' }, view.items.map(eventItem))
      : tx('p', 'book.community.events.empty', { class: 'muted empty' }),
    view.nextAfter !== null ? h('button', {
      type: 'button', class: 'secondary', 'aria-busy': view.more ? 'true' : null, disabled: view.more,
      onclick: () => loadMore(),
    }, t('book.community.events.more')) : null);
  if (focus) {
    const item = body.querySelector(`[data-event-id="${focus}"]`);
    const target = item && (item.querySelector('[data-action]') || item.querySelector('h3'));
    if (target) {
      if (target.tagName === 'H3') target.tabIndex = -1;
      target.focus();
    }
  }
}

function replace(updated) {
  view.items = view.items.map((event) => (event.id === updated.id ? updated : event));
}

async function change(event, what) {
  view.messages.delete(event.id);
  view.busy = event.id;
  renderBody(event.id);
  try {
    if (what === 'register') {
      replace(await post(`/events/${event.id}/registration`, learnerBody()));
      notify(t('book.community.events.registered_notice', { title: event.title }), 'success');
    } else if (what === 'join') {
      const answer = await joinEvent(event);
      notify(t('book.waitlist.joined_notice', { title: event.title, position: answer.position }), 'success');
    } else if (what === 'leave') {
      await del(forLearner(`/events/${event.id}/waitlist`));
      emit('waitlist');
      notify(t('book.waitlist.left_notice', { title: event.title }), 'success');
    } else {
      await del(forLearner(`/events/${event.id}/registration`));
      notify(t('book.community.events.withdrawn_notice', { title: event.title }), 'success');
    }
    emit('community');
  } catch (err) {
    const key = `book.community.error.${err.code}`;
    view.messages.set(event.id, err.code === 'full' || err.code === 'conflict' ? t(key) : errorText(err));
  }
  view.busy = null;
  // The places left as they are now (others register too), then back to the event.
  await load({ keepMessages: true, quiet: true });
  renderBody(event.id);
}

async function fetchPage(after) {
  const params = { limit: PAGE, after, locale: currentLanguage() };
  return get(session.client ? forLearner('/events', params) : withQuery('/events', params));
}

/** Draws the card (also after a language change or a login). */
export function render() {
  if (!root) return;
  if (!body) {
    body = h('div', { id: 'events-body' });
    fill(root,
      tx('h2', 'book.community.events.title', { id: 'events-title' }),
      tx('p', 'book.community.events.intro', { class: 'muted' }),
      body);
  }
  renderBody();
}

/**
 * Reads the events again (the first page, or as many as were shown). quiet keeps
 * the current list on screen while it loads; keepMessages keeps the errors shown.
 */
export async function load({ keepMessages = false, quiet = false } = {}) {
  const seq = ++view.seq;
  const shown = view.items ? view.items.length : 0;
  if (!keepMessages) view.messages.clear();
  view.error = null;
  if (!quiet || !view.items) {
    view.items = null;
    render();
  }
  try {
    let answer = await fetchPage(null);
    const items = [...answer.items];
    while (items.length < shown && answer.next_after !== null && answer.next_after !== undefined) {
      answer = await fetchPage(answer.next_after);
      items.push(...answer.items);
    }
    if (seq !== view.seq) return;
    view.items = items;
    view.nextAfter = answer.next_after ?? null;
  } catch (err) {
    if (seq !== view.seq) return;
    view.error = err;
  }
  renderBody();
}

async function loadMore() {
  view.more = true;
  renderBody();
  const seq = view.seq;
  try {
    const answer = await fetchPage(view.nextAfter);
    if (seq !== view.seq) return;
    const first = answer.items[0];
    view.items.push(...answer.items);
    view.nextAfter = answer.next_after ?? null;
    view.more = false;
    renderBody(first && first.id);
  } catch (err) {
    view.more = false;
    renderBody();
    notify(errorText(err), 'error');
  }
}

export function mount(element) { root = element; }
