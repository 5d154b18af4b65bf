// SPDX-License-Identifier: MIT
// Step 2 of the booking page: one week of free slots (GET /slots) for the chosen
// service and tutor, day by day, with previous and next week. Choosing a slot
// hands it to the confirmation (onChoose); a date field jumps to any week up to
// the booking horizon. A group service's full sessions are
// shown too (GET /slots?full=true): a student may join their waiting list there.
// Owns the shown week and its slots.
import { get, withQuery } from '../api.js';
import { h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { addDays, businessDate, dayLabel, mondayOf, time } from '../format.js';
import { errorText } from '../i18n.js';
import { failedInto, loadingInto, notify, session } from '../shell.js';
import { state, service, tutorName } from './state.js';
import { today, tx } from './ui.js';
import { joinSession } from './waitlist.js';

const view = { week: null, slots: null, error: null, advanced: false, retryAdvance: false, seq: 0 };
let root = null;
let grid = null;
let onChoose = () => {};

const thisMonday = () => mondayOf(today());
// The last week shown holds the last day a lesson may be booked (GET /limits).
const lastMonday = () => mondayOf(addDays(today(), state.limits.booking_horizon_days));

/** A full group session: "full" for a visitor, its waiting list for a student. */
function fullSlot(slot, svc) {
  const startsAt = slot.starts_at;
  const parts = [h('span', { class: 'visually-hidden' }, `${dayLabel(businessDate(startsAt))}, `),
    h('span', { class: 'slot-time' }, time(startsAt)),
    h('span', { class: 'who' }, tutorName(slot.tutor_id)),
    h('span', { class: 'seats' }, t(session.client ? 'book.waitlist.join_session' : 'book.week.full'))];
  if (!session.client) {
    return h('p', { class: 'slot full', 'data-starts-at': startsAt, 'data-tutor-id': slot.tutor_id }, parts);
  }
  return h('button', {
    type: 'button', class: 'slot full', 'data-starts-at': startsAt, 'data-tutor-id': slot.tutor_id,
    'data-action': 'join-waitlist',
    onclick: async (event) => {
      const button = event.currentTarget;
      button.disabled = true;
      try {
        const answer = await joinSession(svc.id, slot);
        notify(t('book.waitlist.joined_notice', { title: svc.name, position: answer.position }), 'success');
      } catch (err) {
        notify(errorText(err), 'error');
        button.disabled = false;
      }
    },
  }, parts);
}

function slotButton(slot, svc) {
  const startsAt = slot.starts_at;
  const name = tutorName(slot.tutor_id);
  if (slot.seats_left === 0) return fullSlot(slot, svc);
  return h('button', {
    type: 'button', class: 'slot', 'data-starts-at': startsAt, 'data-tutor-id': slot.tutor_id,
    onclick: (event) => onChoose(slot, event.currentTarget),
  },
  h('span', { class: 'visually-hidden' }, `${dayLabel(businessDate(startsAt))}, `),
  h('span', { class: 'slot-time' }, time(startsAt)),
  h('span', { class: 'who' }, name),
  svc.capacity > 1 ? h('span', { class: 'seats' }, t('book.week.seats', { count: slot.seats_left })) : null);
}

function renderDays() {
  const svc = service();
  if (view.error) {
    failedInto(grid, view.error, () => load({ advance: view.retryAdvance }));
    return;
  }
  if (!view.slots) {
    loadingInto(grid);
    return;
  }
  const byDay = new Map();
  for (const slot of view.slots) {
    const d = businessDate(slot.starts_at);
    if (!byDay.has(d)) byDay.set(d, []);
    byDay.get(d).push(slot);
  }
  const days = [];
  for (let i = 0; i < 7; i++) {
    const d = addDays(view.week, i);
    if (d < today()) continue;
    const slots = byDay.get(d) || [];
    days.push(h('section', { class: 'day', 'aria-labelledby': `day-${d}` },
      h('h3', { id: `day-${d}` }, dayLabel(d)),
      slots.length
        ? h('ul', {}, slots.map((slot) => h('li', {}, slotButton(slot, svc))))
        : h('p', { class: 'muted small no-slots' }, t('book.week.day_empty'))));
  }
  const notes = [];
  if (view.advanced)
    notes.push(h('p', { class: 'notice info' }, t('book.week.advanced')));
  if (!view.slots.length) {
    notes.push(h('div', { class: 'empty-week' },
      h('p', {}, t('book.week.empty')),
      view.week < lastMonday()
        ? h('button', { type: 'button', class: 'secondary', onclick: () => go(7) }, t('book.week.next'))
        : null));
  }
  fill(grid, notes, h('div', { class: 'week agenda' }, days));
}

/** Draws the navigation and the days from what is loaded (also after a language change). */
export function render() {
  if (!root || !view.week) return;
  const first = view.week;
  const last = addDays(first, 6);
  const atStart = first <= thisMonday();
  const atEnd = first >= lastMonday();
  fill(root,
    h('h2', { id: 'week-title' }, h('span', { class: 'step', 'aria-hidden': 'true' }, '2'),
      tx('span', 'book.week.title')),
    h('div', { class: 'week-nav' },
      h('button', {
        type: 'button', class: 'secondary', disabled: atStart, onclick: () => go(-7),
      }, h('span', { 'aria-hidden': 'true' }, '‹ '), t('book.week.previous')),
      h('p', { class: 'range', id: 'week-range', 'aria-live': 'polite' },
        t('book.week.range', { from: dayLabel(first), to: dayLabel(last) })),
      h('button', {
        type: 'button', class: 'secondary', disabled: atEnd, onclick: () => go(7),
      }, t('book.week.next'), h('span', { 'aria-hidden': 'true' }, ' ›')),
      atStart ? null : h('button', {
        type: 'button', class: 'link', onclick: () => { view.week = thisMonday(); load(); },
      }, t('book.week.this_week')),
      h('div', { class: 'week-jump' },
        h('label', { for: 'week-jump' }, t('book.week.jump')),
        h('input', {
          type: 'date', id: 'week-jump', value: first < today() ? today() : first,
          min: today(), max: addDays(today(), state.limits.booking_horizon_days),
          onchange: (event) => jump(event.target.value),
        }))),
    tx('p', 'book.week.hint', { class: 'muted small' }),
    grid);
  renderDays();
}

/** Shows the week of day (YYYY-MM-DD), kept between this week and the last one. */
function jump(day) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return;
  const monday = mondayOf(day);
  view.week = monday < thisMonday() ? thisMonday() : monday > lastMonday() ? lastMonday() : monday;
  load().then(() => document.getElementById('week-jump')?.focus());
}

function go(days) {
  view.week = addDays(view.week, days);
  load();
}

/**
 * Loads the shown week's slots. With advance, an empty current week moves on to
 * the next one by itself (late on a Friday nothing is left to book this week). With
 * keep, the slots shown stay until the new ones arrive (nothing below moves).
 */
export async function load({ advance = false, advanced = false, keep = false } = {}) {
  const svc = service();
  if (!svc) return;
  if (!view.week || view.week < thisMonday()) view.week = thisMonday();
  const seq = ++view.seq;
  view.retryAdvance = advance;
  view.advanced = advanced;
  if (!keep || !view.slots) {
    view.slots = null;
    view.error = null;
    render();
  }
  grid.setAttribute('aria-busy', 'true');
  try {
    const answer = await get(withQuery('/slots', {
      service_id: svc.id, tutor_id: state.tutorId, from: view.week, to: addDays(view.week, 6),
      full: svc.capacity > 1 ? 'true' : undefined,
    }));
    if (seq !== view.seq) return;
    if (advance && !answer.items.length && view.week === thisMonday()) {
      view.week = addDays(view.week, 7);
      await load({ advanced: true });
      return;
    }
    view.slots = answer.items;
  } catch (err) {
    if (seq !== view.seq) return;
    view.error = err;
  }
  grid.removeAttribute('aria-busy');
  renderDays();
}

/** Mounts the step; onSlot(slot, button) is called when a slot is chosen. */
export function mount(element, onSlot) {
  root = element;
  grid = h('div', { id: 'week' });
  onChoose = onSlot;
}
