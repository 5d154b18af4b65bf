// SPDX-License-Identifier: MIT
// "My lessons" for the logged-in student (GET /me/lessons): the coming ones with a
// cancel button that respects the 24-hour rule (and says so), the past and
// cancelled ones most recent first. Cancelling frees the slot (POST
// /lessons/{id}/cancel) and emits "cancelled"; moving one to another open slot
// (POST /lessons/{id}/move, web/js/move.js: the server says whether it still may)
// emits "booked".
import { get, post, withQuery } from '../api.js';
import { h, fill } from '../dom.js';
import { errorText, t } from '../i18n.js';
import { dateTime, time } from '../format.js';
import { failedInto, loadingInto, notify, session } from '../shell.js';
import { forLearner, phoneChannel, service, state, tutorName } from './state.js';
import { emit, tx, whenText } from './ui.js';
import { moveForm } from '../move.js';

// A student cancels online while this many hours remain (GET /limits).
const cancelNoticeMs = () => state.limits.cancel_notice_hours * 3600 * 1000;
const PAST_SHOWN = 5;
const view = {
  lessons: null, error: null, showAllPast: false, confirming: null, moving: null, seq: 0,
  done: null, // the last cancellation's confirmation, shown atop the list
};
let root = null;
let list = null;

/** Every lesson of the student, following next_after (a student has at most hundreds). */
async function fetchAll() {
  const items = [];
  let after = null;
  for (let page = 0; page < 50; page++) {
    const answer = await get(forLearner('/me/lessons', { limit: 200, after }));
    items.push(...answer.items);
    if (answer.next_after === null || answer.next_after === undefined) break;
    after = answer.next_after;
  }
  return items;
}

function serviceName(lesson) {
  const svc = service(lesson.service_id);
  return svc ? svc.name : t('book.lessons.unknown_service');
}

function statusBadge(lesson) {
  if (lesson.status === 'cancelled') return h('span', { class: 'badge danger' }, t('book.lessons.cancelled'));
  if (lesson.attendance === 'attended') return h('span', { class: 'badge ok' }, t('book.lessons.attended'));
  if (lesson.attendance === 'no_show') return h('span', { class: 'badge warn' }, t('book.lessons.no_show'));
  return null;
}

function cancelControls(lesson) {
  const msLeft = Date.parse(lesson.starts_at) - Date.now();
  const noteId = `lesson-${lesson.id}-rule`;
  if (msLeft < cancelNoticeMs()) {
    const phone = phoneChannel();
    return h('div', { class: 'cancel-box' },
      h('button', { type: 'button', class: 'danger', disabled: true, 'aria-describedby': noteId },
        t('book.lessons.cancel')),
      h('p', { class: 'small muted', id: noteId }, phone
        ? t('book.lessons.too_late_phone', { phone: phone.value })
        : t('book.lessons.too_late')));
  }
  const deadline = new Date(Date.parse(lesson.starts_at) - cancelNoticeMs()).toISOString();
  const rule = h('p', { class: 'small muted', id: noteId }, t('book.lessons.cancel_until', { when: whenText(deadline) }));
  if (view.confirming === lesson.id) {
    return h('div', { class: 'cancel-box', role: 'group', 'aria-labelledby': `lesson-${lesson.id}-ask` },
      h('p', { id: `lesson-${lesson.id}-ask`, class: 'ask' }, t('book.lessons.cancel_ask')),
      h('div', { class: 'row' },
        h('button', {
          type: 'button', class: 'danger', 'data-action': 'cancel-yes',
          onclick: (event) => cancel(lesson, event.currentTarget),
        }, t('book.lessons.cancel_yes')),
        h('button', {
          type: 'button', class: 'secondary', onclick: () => { view.confirming = null; renderList(lesson.id); },
        }, t('book.lessons.cancel_no'))),
      rule);
  }
  return h('div', { class: 'cancel-box' },
    h('button', {
      type: 'button', class: 'danger', 'aria-describedby': noteId, 'data-action': 'cancel',
      onclick: () => { view.confirming = lesson.id; view.done = null; renderList(lesson.id); },
    }, t('book.lessons.cancel'), h('span', { class: 'visually-hidden' }, `: ${dateTime(lesson.starts_at)}`)),
    rule);
}

/** "Move" for a coming lesson, or the move form while it is open. */
function moveControls(lesson) {
  if (view.moving === lesson.id) {
    return moveForm(lesson, {
      tutorName,
      onMoved: (moved) => {
        view.moving = null;
        notify(t('move.done', { when: dateTime(moved.starts_at) }), 'success');
        emit('booked');
      },
      onCancel: () => { view.moving = null; renderList(lesson.id); },
    });
  }
  return h('button', {
    type: 'button', class: 'secondary', 'data-action': 'move',
    onclick: () => { view.moving = lesson.id; view.confirming = null; renderList(lesson.id); },
  }, t('move.button'), h('span', { class: 'visually-hidden' }, `: ${dateTime(lesson.starts_at)}`));
}

function lessonItem(lesson, upcoming) {
  return h('li', { class: 'lesson', 'data-lesson-id': lesson.id, 'data-starts-at': lesson.starts_at },
    h('div', { class: 'item-head' },
      h('div', {},
        h('p', { class: 'lesson-when' }, dateTime(lesson.starts_at), '–', time(lesson.ends_at)),
        h('p', { class: 'lesson-what' }, serviceName(lesson), ' · ', tutorName(lesson.tutor_id))),
      statusBadge(lesson)),
    !upcoming && lesson.notes && lesson.status !== 'cancelled'
      ? h('p', { class: 'small lesson-notes' }, t('book.lessons.notes', { notes: lesson.notes }))
      : null,
    upcoming ? cancelControls(lesson) : null,
    upcoming ? moveControls(lesson) : null);
}

function renderList(focusLessonId) {
  if (!list) return;
  if (view.error) {
    failedInto(list, view.error, () => load());
    return;
  }
  if (!view.lessons || !state.limits) { // the 24-hour rule comes with the catalogue
    loadingInto(list);
    return;
  }
  const now = Date.now();
  const upcoming = view.lessons
    .filter((l) => l.status === 'booked' && Date.parse(l.starts_at) > now);
  const past = view.lessons.filter((l) => !upcoming.includes(l)).reverse();
  const shownPast = view.showAllPast ? past : past.slice(0, PAST_SHOWN);
  fill(list,
    view.done ? h('p', { class: 'notice success', id: 'lessons-done', role: 'status' }, view.done) : null,
    h('section', { class: 'lessons-part', 'aria-labelledby': 'lessons-upcoming' },
      tx('h3', 'book.lessons.upcoming', { id: 'lessons-upcoming' }),
      upcoming.length
        ? h('ul', { class: 'plain items', id: 'upcoming-lessons' }, upcoming.map((l) => lessonItem(l, true)))
        : tx('p', 'book.lessons.none_upcoming', { class: 'muted' }),
      upcoming.length ? tx('p', 'book.lessons.rule', { class: 'small muted rule' }) : null),
    h('section', { class: 'lessons-part', 'aria-labelledby': 'lessons-past' },
      tx('h3', 'book.lessons.past', { id: 'lessons-past' }),
      past.length
        ? h('ul', { class: 'plain items', id: 'past-lessons' }, shownPast.map((l) => lessonItem(l, false)))
        : tx('p', 'book.lessons.none_past', { class: 'muted' }),
      past.length > PAST_SHOWN
        ? h('button', {
          type: 'button', class: 'link', 'aria-expanded': String(view.showAllPast),
          onclick: () => { view.showAllPast = !view.showAllPast; renderList(); },
        }, view.showAllPast ? t('book.lessons.show_fewer') : t('book.lessons.show_all', { count: past.length }))
        : null));
  if (focusLessonId) {
    const item = list.querySelector(`[data-lesson-id="${focusLessonId}"]`);
    const target = item && (item.querySelector('.move-form input[type=date]')
      || item.querySelector('[data-action=cancel-yes]') || item.querySelector('[data-action=cancel]'));
    if (target) target.focus();
  }
}

async function cancel(lesson, button) {
  button.disabled = true;
  try {
    await post(`/lessons/${lesson.id}/cancel`);
    view.confirming = null;
    // Said where the user is: atop their lessons, scrolled to, the page kept still.
    view.done = t('book.lessons.cancelled_notice', { when: dateTime(lesson.starts_at) });
    emit('cancelled');
    renderList();
    root.querySelector('#lessons-title').focus({ preventScroll: true });
    root.querySelector('#lessons-done').scrollIntoView({ block: 'center' });
  } catch (err) {
    button.disabled = false;
    notify(errorText(err), 'error');
    if (err.code === 'too_late_to_cancel') {
      view.confirming = null;
      load();
    }
  }
}

/** Draws the card (also after a language change). */
export function render() {
  if (!root) return;
  root.hidden = !session.client;
  if (!session.client) return;
  if (!list) {
    list = h('div', { id: 'lessons-list' });
    fill(root, tx('h2', 'book.lessons.title', { id: 'lessons-title', tabindex: '-1' }), list);
  }
  renderList();
}

/**
 * Loads the student's lessons (nothing when nobody is logged in); with keep, the
 * list shown stays until the new one arrives (a reload that moves nothing).
 */
export async function load({ keep = false } = {}) {
  if (!session.client) {
    view.lessons = null;
    render();
    return;
  }
  const seq = ++view.seq;
  if (!keep) {
    view.lessons = null;
    view.done = null;
  }
  view.error = null;
  if (!keep) render();
  try {
    const lessons = await fetchAll();
    if (seq !== view.seq) return;
    view.lessons = lessons;
  } catch (err) {
    if (seq !== view.seq) return;
    view.error = err;
  }
  renderList();
}

export function mount(element) { root = element; }
