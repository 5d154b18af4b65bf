// SPDX-License-Identifier: MIT
// The desk's community events: the coming ones (GET /events: every event not over
// yet) or those of the past year (GET /events?from=&to=), each with its places left;
// a new event (POST /events) and changes to one (PATCH /events/{id}, only the fields
// changed), the title and description in Spanish and English too (read in Basque,
// ?locale=eu, the texts the form edits). Times are typed as wall-clock times of the business time zone and sent
// as UTC instants; a capacity below the registrations already taken (409) is
// explained with their number.
import { ApiError, patch, post } from '../api.js';
import { h, fill, t, notify, loadingInto, failedInto } from '../shell.js';
import { hasKey } from '../i18n.js';
import { addDays, businessDate, longDate, time } from '../format.js';
import { businessLocal, instantFromBusiness } from '../desk/format.js';
import { badge, fetchAll, field, formError, selectBox, services, submitForm } from '../desk/common.js';
import { sameTranslations, translationFields, translationsFrom } from '../desk/translations.js';

const TEXTS = ['title', 'description']; // written in three languages

const KINDS = ['workshop', 'talk', 'forum'];
const DEFAULT_LENGTH_MIN = 90;
const NO_SUCH_TIME = 'no such local time';
const state = { when: 'upcoming' };

// What the server says about a field -> the desk's own sentence for it.
const FIELD_SENTENCES = [
  ['in the future', 'staff.events.err_past'],
  ['too far ahead', 'staff.events.err_far'],
  ['after starts_at', 'staff.events.err_order'],
  ['at most 7 days', 'staff.events.err_long'],
  [NO_SUCH_TIME, 'staff.events.err_no_such_time'],
];

export function renderEvents(body) {
  const createArea = h('div', { id: 'event-create', class: 'work-area' });
  const results = h('div', { class: 'event-results' });
  const newButton = h('button', {
    type: 'button', 'aria-expanded': 'false', 'aria-controls': 'event-create', onclick: () => toggleCreate(),
  }, t('staff.events.new'));
  const whenButton = (when) => h('button', {
    type: 'button', class: 'secondary', 'aria-pressed': String(state.when === when),
    onclick: () => { state.when = when; renderEvents(body); },
  }, t(`staff.events.${when}`));
  fill(body,
    h('div', { class: 'section-head' }, h('h2', {}, t('staff.events.title')), newButton),
    createArea,
    h('div', { class: 'toolbar' },
      h('div', { class: 'segmented fill', role: 'group', 'aria-label': t('staff.events.show') },
        whenButton('upcoming'), whenButton('past'))),
    results);

  async function toggleCreate() {
    const open = newButton.getAttribute('aria-expanded') === 'true';
    newButton.setAttribute('aria-expanded', String(!open));
    if (open) { createArea.replaceChildren(); newButton.focus(); return; }
    loadingInto(createArea);
    try {
      const subjects = await subjectList();
      const heading = h('h3', { id: 'event-create-title', tabindex: '-1' }, t('staff.events.new_title'));
      fill(createArea, h('section', { class: 'card work-panel', 'aria-labelledby': 'event-create-title' },
        heading,
        eventForm(null, subjects, {
          onSaved: async (made) => {
            notify(t('staff.events.created', { title: made.title }), 'success');
            newButton.setAttribute('aria-expanded', 'false');
            createArea.replaceChildren();
            state.when = 'upcoming';
            renderEvents(body);
          },
          onCancel: () => toggleCreate(),
        })));
      heading.focus();
    } catch (err) {
      failedInto(createArea, err, () => { newButton.setAttribute('aria-expanded', 'false'); toggleCreate(); });
    }
  }

  async function load() {
    loadingInto(results);
    try {
      const today = businessDate(Date.now());
      let events;
      if (state.when === 'upcoming') {
        events = await fetchAll('/events', { locale: 'eu' }); // the Basque base texts, to edit
      } else {
        const now = Date.now();
        events = (await fetchAll('/events', { from: addDays(today, -365), to: today, locale: 'eu' }))
          .filter((ev) => Date.parse(ev.ends_at) <= now).reverse();
      }
      const subjects = await subjectList();
      if (!events.length) {
        fill(results, h('p', { class: 'empty' }, t(`staff.events.none_${state.when}`)));
        return;
      }
      fill(results,
        h('p', { class: 'muted queue-summary', role: 'status' }, t(`staff.events.count_${state.when}`, { count: events.length })),
        h('ul', { class: 'plain event-list' }, events.map((ev) => eventCard(ev, subjects, load))));
    } catch (err) {
      failedInto(results, err, load);
    }
  }
  load();
}

/** Subject keys offered for an event: those of the services, by name. */
async function subjectList() {
  const all = await services();
  return [...new Set(all.map((s) => s.subject).filter(Boolean))];
}

function subjectLabel(key) {
  return hasKey(`book.subject.${key}`) ? t(`book.subject.${key}`) : key;
}

/** "2026ko azaroaren 26a, osteguna · 18:00–19:30", or both ends for a longer event. */
function whenText(ev) {
  if (businessDate(ev.starts_at) === businessDate(ev.ends_at))
    return `${longDate(ev.starts_at)} · ${time(ev.starts_at)}–${time(ev.ends_at)}`;
  return `${longDate(ev.starts_at)} ${time(ev.starts_at)} – ${longDate(ev.ends_at)} ${time(ev.ends_at)}`;
}

function stateBadge(ev, now = Date.now()) {
  if (Date.parse(ev.ends_at) <= now) return badge(t('staff.events.over'));
  if (Date.parse(ev.starts_at) <= now) return badge(t('staff.events.under_way'), 'warn');
  if (ev.places_left === 0) return badge(t('staff.events.full'), 'danger');
  return null;
}

function eventCard(ev, subjects, reload) {
  const headingId = `event-${ev.id}-title`;
  const li = h('li', { class: 'card event', 'data-event-id': ev.id });
  const show = () => {
    fill(li,
      h('div', { class: 'item-head' },
        h('h3', { id: headingId }, ev.title),
        h('span', { class: 'event-badges' },
          badge(t(`staff.events.kind_${ev.kind}`), 'ok'),
          ev.subject ? [' ', badge(subjectLabel(ev.subject))] : [' ', badge(t('staff.events.for_everyone'))],
          ' ', stateBadge(ev))),
      h('p', { class: 'event-when' }, whenText(ev)),
      h('p', { class: 'places' },
        h('strong', { 'data-field': 'places_left' }, t('staff.events.places_left', { count: ev.places_left })),
        ' · ',
        h('span', { 'data-field': 'registered' },
          t('staff.events.registered', { count: ev.registered_count, capacity: ev.capacity }))),
      h('p', { class: 'pre event-description' }, ev.description),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'secondary', onclick: edit }, t('staff.events.edit'),
          h('span', { class: 'visually-hidden' }, ` — ${ev.title}`))));
  };
  const edit = () => {
    const heading = h('h3', { id: headingId, tabindex: '-1' }, t('staff.events.edit_title', { title: ev.title }));
    fill(li, heading, eventForm(ev, subjects, {
      onSaved: async (saved, changed) => {
        notify(changed ? t('staff.events.saved', { title: saved.title }) : t('staff.events.unchanged'),
          changed ? 'success' : 'info');
        if (changed) {
          await reload();
          document.querySelector(`li.event[data-event-id="${ev.id}"] .form-actions button`)?.focus();
        } else { show(); li.querySelector('.form-actions button')?.focus(); }
      },
      onCancel: () => { show(); li.querySelector('.form-actions button')?.focus(); },
    }));
    heading.focus();
  };
  show();
  return li;
}

/** The create (ev null) or edit form of an event. onSaved(event, changed). */
function eventForm(ev, subjects, { onSaved, onCancel }) {
  const p = ev ? `event-${ev.id}` : 'event-new';
  const subjectKeys = ev && ev.subject && !subjects.includes(ev.subject) ? [...subjects, ev.subject] : subjects;
  const box = formError();
  box.id = `${p}-form-error`;
  const starts = h('input', { type: 'datetime-local', name: 'starts_at', value: ev ? businessLocal(ev.starts_at) : null });
  const ends = h('input', { type: 'datetime-local', name: 'ends_at', value: ev ? businessLocal(ev.ends_at) : null });
  starts.addEventListener('change', () => {
    // A new start with no end (or an end before it) gets the usual length.
    const from = instantFromBusiness(starts.value);
    const to = instantFromBusiness(ends.value);
    if (from && (!to || Date.parse(to) <= Date.parse(from)))
      ends.value = businessLocal(new Date(Date.parse(from) + DEFAULT_LENGTH_MIN * 60e3).toISOString());
  });
  const form = h('form', { class: 'event-form', novalidate: true },
    box,
    h('div', { class: 'form-grid event-grid' },
      field(`${p}-title`, t('staff.events.field_title'),
        h('input', { name: 'title', maxlength: 200, required: true, autocomplete: 'off', value: ev?.title })),
      field(`${p}-kind`, t('staff.events.field_kind'),
        selectBox({ name: 'kind' }, KINDS.map((k) => ({ value: k, label: t(`staff.events.kind_${k}`) })), ev?.kind || 'workshop')),
      field(`${p}-subject`, t('staff.events.field_subject'),
        selectBox({ name: 'subject' }, [{ value: '', label: t('staff.events.for_everyone') },
          ...subjectKeys.map((s) => ({ value: s, label: subjectLabel(s) }))], ev?.subject || ''),
        t('staff.events.subject_hint')),
      field(`${p}-starts`, t('staff.events.field_starts'), starts, t('staff.events.time_hint')),
      field(`${p}-ends`, t('staff.events.field_ends'), ends, t('staff.events.time_hint')),
      field(`${p}-capacity`, t('staff.events.field_capacity'),
        h('input', { name: 'capacity', type: 'number', min: 1, max: 1000, inputmode: 'numeric', required: true, value: ev?.capacity }),
        ev && ev.registered_count ? t('staff.events.capacity_hint', { count: ev.registered_count }) : null)),
    field(`${p}-description`, t('staff.events.field_description'),
      h('textarea', { name: 'description', rows: 4, maxlength: 10000, required: true, value: ev?.description || '' })),
    translationFields(p, TEXTS, ev?.translations),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'secondary', onclick: onCancel }, t('common.dismiss')),
      h('button', { type: 'submit' }, t(ev ? 'staff.events.save' : 'staff.events.create'))));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (form.getAttribute('aria-busy') === 'true') return;
    let failure = null;
    let changed = true;
    const saved = await submitForm(form, async (v) => {
      try {
        const body = ev ? changes(ev, v) : creation(v);
        if (ev && !Object.keys(body).length) { changed = false; return ev; }
        return await (ev ? patch(`/events/${ev.id}`, body) : post('/events', body));
      } catch (err) {
        failure = err;
        throw err;
      }
    });
    if (saved) await onSaved(saved, changed);
    else if (failure) explain(form, failure);
  });
  return form;
}

/** The instants of the two time fields; a local time that does not exist is a field error. */
function instants(v, { required }) {
  const bad = {};
  const out = {};
  for (const name of ['starts_at', 'ends_at']) {
    if (!v[name]) { if (required) bad[name] = 'is required'; continue; }
    out[name] = instantFromBusiness(v[name]);
    if (!out[name]) bad[name] = NO_SUCH_TIME;
  }
  if (Object.keys(bad).length) throw new ApiError(422, 'validation_failed', '', bad);
  return out;
}

function creation(v) {
  const body = {
    title: v.title, kind: v.kind, subject: v.subject || undefined,
    ...instants(v, { required: false }),
    capacity: v.capacity === undefined ? undefined : Number(v.capacity),
    description: v.description,
    translations: translationsFrom(v, TEXTS),
  };
  for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
  return body;
}

/** Only what differs from the event as it is (a past event keeps its times unsent). */
function changes(ev, v) {
  const body = {};
  if ((v.title ?? '') !== ev.title) body.title = v.title ?? '';
  if (v.kind !== ev.kind) body.kind = v.kind;
  if ((v.subject || null) !== ev.subject) body.subject = v.subject || null;
  const timesChanged = ['starts_at', 'ends_at'].filter((k) => (v[k] ?? '') !== businessLocal(ev[k]));
  if (timesChanged.length) {
    const at = instants(v, { required: true });
    for (const k of timesChanged) body[k] = at[k];
  }
  if (v.capacity === undefined) throw new ApiError(422, 'validation_failed', '', { capacity: 'is required' });
  if (Number(v.capacity) !== ev.capacity) body.capacity = Number(v.capacity);
  if ((v.description ?? '') !== ev.description.trim()) body.description = v.description ?? '';
  const translations = translationsFrom(v, TEXTS);
  if (!sameTranslations(translations, ev.translations, TEXTS)) body.translations = translations;
  return body;
}

/** The desk's own sentences for time errors, and the capacity conflict with its count. */
function explain(form, failure) {
  for (const [name, message] of Object.entries(failure.fields || {})) {
    const control = form.elements.namedItem(name);
    const note = control && control.id ? form.querySelector(`#${control.id}-error`) : null;
    const hit = FIELD_SENTENCES.find(([needle]) => String(message).includes(needle));
    if (note && hit) note.textContent = t(hit[1]);
  }
  const count = failure.extra ? failure.extra.registered_count : undefined;
  if (failure.code === 'conflict' && count !== undefined) {
    const box = form.querySelector('[data-role=form-error]');
    fill(box, t('staff.events.capacity_conflict', { count }));
    box.hidden = false;
    const capacity = form.elements.namedItem('capacity');
    capacity.setAttribute('aria-invalid', 'true');
    capacity.setAttribute('aria-describedby', box.id);
    capacity.focus();
  }
}
