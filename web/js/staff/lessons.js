// SPDX-License-Identifier: MIT
// The desk's lessons tab: the day's or the week's lessons per tutor (GET /lessons,
// GET /tutors), each with its client's name and a link to the tutor's calendar
// feed (GET /tutors/{id}/calendar.ics); a lesson that has started is logged in
// one dialog (attendance, notes, level, pace: POST /lessons/{id}/log) and any lesson
// not logged yet can be cancelled (POST /lessons/{id}/cancel), and one still to come
// moved to another open slot in a dialog (POST /lessons/{id}/move, web/js/move.js).
import { post } from '../api.js';
import { h, fill, t, notify, loadingInto, failedInto } from '../shell.js';
import { errorText } from '../i18n.js';
import {
  addDays, businessDate, dayLabel, longDate, mondayOf, time,
} from '../format.js';
import {
  badge, clientsById, confirmAction, fetchAll, field, formError, goTo, openDialog,
  rememberClient, selectBox, services, submitForm, tutors,
} from '../desk/common.js';
import { moveForm } from '../move.js';

const state = { mode: 'day', date: null, tutor: '' };

/** Renders the tab into panel. */
export function renderLessons(panel) {
  if (!state.date) state.date = businessDate(Date.now());
  const results = h('div', { class: 'lesson-board', 'aria-live': 'polite', 'aria-busy': 'false' });
  const tutorSelect = selectBox({ id: 'lessons-tutor' }, [{ value: '', label: t('staff.lessons.all_tutors') }], '');
  tutorSelect.addEventListener('change', () => { state.tutor = tutorSelect.value; load(); });
  const range = h('p', { class: 'date-range', id: 'lessons-range' });
  const modeButton = (mode) => h('button', {
    type: 'button', class: 'secondary', 'aria-pressed': String(state.mode === mode),
    onclick: () => { state.mode = mode; renderLessons(panel); },
  }, t(`staff.lessons.mode_${mode}`));
  const step = (n) => () => {
    state.date = addDays(state.date, n * (state.mode === 'week' ? 7 : 1));
    load();
  };
  fill(panel,
    h('h2', { class: 'visually-hidden' }, t('staff.tab.lessons')),
    h('div', { class: 'toolbar' },
      h('div', { class: 'segmented', role: 'group', 'aria-label': t('staff.lessons.view') },
        modeButton('day'), modeButton('week')),
      h('div', { class: 'date-nav' },
        h('button', { type: 'button', class: 'secondary', onclick: step(-1),
          'aria-label': t(`staff.lessons.previous_${state.mode}`) }, '‹'),
        range,
        h('button', { type: 'button', class: 'secondary', onclick: step(1),
          'aria-label': t(`staff.lessons.next_${state.mode}`) }, '›'),
        h('button', { type: 'button', class: 'link', onclick: () => {
          state.date = businessDate(Date.now()); load();
        } }, t('staff.lessons.today'))),
      h('div', { class: 'field inline' },
        h('label', { for: 'lessons-tutor' }, t('staff.lessons.tutor')), tutorSelect)),
    results);

  async function load() {
    const from = state.mode === 'week' ? mondayOf(state.date) : state.date;
    const to = state.mode === 'week' ? addDays(from, 6) : from;
    fill(range, state.mode === 'week'
      ? t('staff.lessons.week_range', { from: dayLabel(from), to: dayLabel(to) })
      : longDate(`${state.date}T12:00:00Z`));
    loadingInto(results);
    try {
      const [allTutors, allServices, lessons] = await Promise.all([
        tutors(), services(),
        fetchAll('/lessons', { from, to, tutor_id: state.tutor || null }),
      ]);
      if (tutorSelect.options.length === 1) {
        for (const tutor of allTutors)
          tutorSelect.append(h('option', { value: tutor.id, selected: String(tutor.id) === state.tutor ? true : null },
            tutor.full_name));
      }
      const clients = await clientsById(lessons.map((l) => l.client_id));
      showBoard(results, { from, to, allTutors, allServices, lessons, clients, reload: load });
    } catch (err) {
      failedInto(results, err, load);
    }
  }
  load();
}

function showBoard(results, { from, to, allTutors, allServices, lessons, clients, reload }) {
  const serviceName = new Map(allServices.map((s) => [s.id, s.name]));
  const shownTutors = allTutors.filter((tu) => !state.tutor || String(tu.id) === state.tutor);
  const known = new Set(allTutors.map((tu) => tu.id));
  const realTutors = new Set(known);
  for (const lesson of lessons) {
    if (!known.has(lesson.tutor_id)) {
      known.add(lesson.tutor_id);
      shownTutors.push({ id: lesson.tutor_id, full_name: t('staff.lessons.tutor_n', { id: lesson.tutor_id }) });
    }
  }
  const days = [];
  for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
  const tutorNames = new Map(allTutors.map((tu) => [tu.id, tu.full_name]));
  const ctx = { serviceName, clients, reload, tutorNames };
  const total = lessons.filter((l) => l.status !== 'cancelled').length;
  fill(results,
    h('p', { class: 'muted board-summary' }, t('staff.lessons.count', { count: total })),
    h('div', { class: 'tutor-grid' }, shownTutors.map((tutor) => {
      const own = lessons.filter((l) => l.tutor_id === tutor.id);
      const headingId = `tutor-${tutor.id}-heading`;
      let body;
      if (!own.length) {
        body = h('p', { class: 'muted' }, t(state.mode === 'week' ? 'staff.lessons.none_week' : 'staff.lessons.none_day'));
      } else if (state.mode === 'week') {
        body = days.map((d) => {
          const ofDay = own.filter((l) => businessDate(l.starts_at) === d);
          return ofDay.length ? h('div', { class: 'lesson-day' },
            h('h4', {}, dayLabel(d)),
            h('ul', { class: 'plain lessons' }, ofDay.map((l) => lessonItem(l, ctx)))) : null;
        });
      } else {
        body = h('ul', { class: 'plain lessons' }, own.map((l) => lessonItem(l, ctx)));
      }
      return h('section', { class: 'card tutor-card', 'aria-labelledby': headingId },
        h('div', { class: 'card-head' },
          h('h3', { id: headingId }, tutor.full_name,
            ' ', h('span', { class: 'badge' }, String(own.filter((l) => l.status !== 'cancelled').length))),
          realTutors.has(tutor.id) ? calendarLink(tutor) : null),
        body);
    })));
}

/** The tutor's lessons as an iCalendar file (GET /tutors/{id}/calendar.ics, with the session). */
function calendarLink(tutor) {
  return h('a', {
    class: 'calendar-link small', href: `/api/v1/tutors/${tutor.id}/calendar.ics`,
    download: `harreman-${tutor.id}.ics`, 'data-tutor-id': tutor.id,
  }, t('staff.community.tutor_calendar'), h('span', { class: 'visually-hidden' }, ` — ${tutor.full_name}`));
}

/** The badge saying where a lesson stands. */
export function lessonStatus(lesson, now = Date.now()) {
  if (lesson.status === 'cancelled') return badge(t('staff.lesson.cancelled'), 'danger');
  if (lesson.attendance === 'attended') return badge(t('staff.lesson.attended'), 'ok');
  if (lesson.attendance === 'no_show') return badge(t('staff.lesson.no_show'), 'danger');
  if (Date.parse(lesson.starts_at) <= now) return badge(t('staff.lesson.to_log'), 'warn');
  return badge(t('staff.lesson.booked'));
}

function lessonItem(lesson, { serviceName, clients, reload, tutorNames }) {
  const client = clients.get(lesson.client_id);
  const name = client ? client.full_name : t('staff.lessons.client_n', { id: lesson.client_id });
  const started = Date.parse(lesson.starts_at) <= Date.now();
  const cancelled = lesson.status === 'cancelled';
  const when = `${time(lesson.starts_at)}–${time(lesson.ends_at)}`;
  const context = h('span', { class: 'visually-hidden' }, ` — ${name}, ${when}`);
  return h('li', { class: `lesson${cancelled ? ' is-cancelled' : ''}`, 'data-lesson-id': lesson.id },
    h('div', { class: 'lesson-time' }, when),
    h('div', { class: 'lesson-main' },
      h('button', { type: 'button', class: 'link client-link', onclick: () => goTo(`clients/${lesson.client_id}`) }, name),
      h('span', { class: 'muted small' }, serviceName.get(lesson.service_id) || ''),
      h('span', { class: 'lesson-badges' }, lessonStatus(lesson)),
      lesson.notes ? h('p', { class: 'log-notes small' }, lesson.notes) : null),
    h('div', { class: 'lesson-actions' },
      !cancelled && started ? h('button', {
        type: 'button', class: lesson.attendance ? 'secondary small-button' : 'small-button',
        onclick: () => logLesson(lesson, client, reload),
      }, t(lesson.attendance ? 'staff.log.edit' : 'staff.log.open'), context.cloneNode(true)) : null,
      !cancelled && !started ? h('span', { class: 'muted small' }, t('staff.log.after_start')) : null,
      !cancelled && !started ? h('button', {
        type: 'button', class: 'secondary small-button', 'data-action': 'move',
        onclick: () => moveLesson(lesson, name, tutorNames, reload),
      }, t('move.button'), context.cloneNode(true)) : null,
      !cancelled && !lesson.attendance ? h('button', {
        type: 'button', class: 'danger small-button',
        onclick: () => cancelLesson(lesson, name, reload),
      }, t('staff.lesson.cancel'), context.cloneNode(true)) : null));
}

/** Opens the log dialog for a lesson; calls done() after a successful log. */
export async function logLesson(lesson, client, done) {
  const id = `log-${lesson.id}`;
  const paces = ['slow', 'steady', 'fast'];
  const attendance = lesson.attendance || 'attended';
  await openDialog(t('staff.log.title', { name: client ? client.full_name : '' }), (close) => {
    const form = h('form', { class: 'log-form', novalidate: true },
      h('p', { class: 'muted' }, `${longDate(lesson.starts_at)} · ${time(lesson.starts_at)}`),
      formError(),
      h('fieldset', { class: 'choices' },
        h('legend', {}, t('staff.log.attendance')),
        ['attended', 'no_show'].map((value) => h('label', { class: 'choice' },
          h('input', { type: 'radio', name: 'attendance', value, checked: value === attendance ? true : null }),
          ' ', t(`staff.lesson.${value}`)))),
      field(`${id}-notes`, t('staff.log.notes'),
        h('textarea', { name: 'notes', rows: 4, value: lesson.notes || '' }), t('staff.log.notes_hint')),
      h('div', { class: 'row' },
        h('div', { class: 'grow' }, field(`${id}-level`, t('staff.client.level'),
          h('input', { name: 'level', maxlength: 40, value: client && client.level ? client.level : '' }),
          t('staff.log.level_hint'))),
        h('div', { class: 'grow' }, field(`${id}-pace`, t('staff.client.pace'),
          selectBox({ name: 'pace' }, [{ value: '', label: t('staff.log.pace_keep') },
            ...paces.map((p) => ({ value: p, label: t(`staff.pace.${p}`) }))], client ? client.pace : '')))),
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', class: 'secondary', onclick: () => close('') }, t('common.dismiss')),
        h('button', { type: 'submit' }, t('staff.log.save'))));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const notes = form.elements.namedItem('notes').value;
      const saved = await submitForm(form, (values) => post(`/lessons/${lesson.id}/log`, {
        attendance: values.attendance || 'attended',
        notes,
        level: values.level,
        pace: values.pace,
      }), { conflict: lesson.status === 'cancelled' ? 'staff.log.cancelled' : 'staff.log.not_started' });
      if (!saved) return;
      if (client) {
        rememberClient({ ...client, level: form.elements.namedItem('level').value.trim() || client.level,
          pace: form.elements.namedItem('pace').value || client.pace });
      }
      notify(t('staff.log.saved', { name: client ? client.full_name : '' }), 'success');
      close('saved');
      await done();
    });
    return form;
  });
}

/** Moves a lesson to another open slot in a dialog, then reads the board again. */
async function moveLesson(lesson, name, tutorNames, reload) {
  const answer = await openDialog(t('move.dialog_title', { name }), (close) => moveForm(lesson, {
    tutorName: (id) => tutorNames.get(id) || t('staff.lessons.tutor_n', { id }),
    onMoved: (moved) => {
      notify(t('move.done', { when: `${longDate(moved.starts_at)} ${time(moved.starts_at)}` }), 'success');
      close('moved');
    },
    onCancel: () => close(''),
  }));
  if (answer === 'moved') await reload();
}

async function cancelLesson(lesson, name, reload) {
  const sure = await confirmAction(t('staff.lesson.cancel_title'),
    t('staff.lesson.cancel_question', { name, when: `${longDate(lesson.starts_at)} ${time(lesson.starts_at)}` }),
    t('staff.lesson.cancel'), { danger: true });
  if (!sure) return;
  try {
    await post(`/lessons/${lesson.id}/cancel`);
    notify(t('staff.lesson.cancelled_notice', { name }), 'success');
  } catch (err) {
    notify(errorText(err), 'error');
  }
  await reload();
}
