// SPDX-License-Identifier: MIT
// Moving a lesson (POST /lessons/{id}/move), shared by the booking page and the
// staff desk: a day to look at, that day's open slots of the lesson's service with
// any tutor who teaches it (GET /slots), and the move itself. Whether the lesson may
// still be moved (the 24-hour rule for students, a taken slot, the client's other
// lessons) is the server's to say: its answer is shown as it comes.
import { get, post, withQuery } from './api.js';
import { h, fill } from './dom.js';
import { errorText, t } from './i18n.js';
import { businessDate, dayLabel, time } from './format.js';

let formCount = 0;

/**
 * A form that moves lesson. tutorName(id) names a tutor; onMoved(lesson) runs after
 * the server moved it (with the lesson as it answered); onCancel() when given up.
 */
export function moveForm(lesson, { tutorName, onMoved, onCancel }) {
  const id = `move-${lesson.id}-${++formCount}`;
  const today = businessDate(new Date().toISOString());
  const dateInput = h('input', {
    type: 'date', id: `${id}-date`, name: 'date', min: today,
    value: businessDate(lesson.starts_at) < today ? today : businessDate(lesson.starts_at),
  });
  const slots = h('div', { class: 'move-slots', 'aria-live': 'polite' });
  const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', disabled: true }, t('move.submit'));
  let seq = 0;

  function showError(err) {
    fill(error, err.code === 'too_late_to_cancel' ? t('move.too_late') : errorText(err));
    error.hidden = false;
  }

  async function findSlots() {
    const mine = ++seq;
    error.hidden = true;
    submit.disabled = true;
    fill(slots, h('p', { class: 'muted' }, t('move.loading')));
    const day = dateInput.value;
    if (!day) {
      fill(slots);
      return;
    }
    try {
      const answer = await get(withQuery('/slots', { service_id: lesson.service_id, from: day, to: day }));
      if (mine !== seq) return;
      const items = answer.items.filter((slot) => slot.starts_at !== lesson.starts_at
        || slot.tutor_id !== lesson.tutor_id);
      if (!items.length) {
        fill(slots, h('p', { class: 'muted' }, t('move.none', { day: dayLabel(day) })));
        return;
      }
      fill(slots, h('fieldset', { class: 'choices move-choices' },
        h('legend', {}, t('move.choose', { day: dayLabel(day) })),
        items.map((slot, i) => h('label', { class: 'choice' },
          h('input', {
            type: 'radio', name: 'slot', value: `${slot.tutor_id}|${slot.starts_at}`,
            'data-starts-at': slot.starts_at, id: `${id}-slot-${i}`,
            onchange: () => { submit.disabled = false; },
          }),
          ' ', time(slot.starts_at), ' · ', tutorName(slot.tutor_id)))));
    } catch (err) {
      if (mine !== seq) return;
      fill(slots);
      showError(err);
    }
  }

  const form = h('form', { class: 'move-form', novalidate: true, 'aria-labelledby': `${id}-title` },
    h('p', { class: 'move-title', id: `${id}-title` }, t('move.title')),
    h('div', { class: 'field' }, h('label', { for: `${id}-date` }, t('move.date')), dateInput),
    slots,
    error,
    h('div', { class: 'row' },
      submit,
      h('button', { type: 'button', class: 'secondary', onclick: () => onCancel && onCancel() },
        t('move.keep'))));
  dateInput.addEventListener('change', findSlots);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = form.querySelector('input[name=slot]:checked');
    if (!chosen) return;
    const [tutorId, startsAt] = chosen.value.split('|');
    submit.disabled = true;
    error.hidden = true;
    try {
      const moved = await post(`/lessons/${lesson.id}/move`, { starts_at: startsAt, tutor_id: Number(tutorId) });
      onMoved(moved);
    } catch (err) {
      submit.disabled = false;
      showError(err);
      if (err.code === 'slot_taken' || err.code === 'client_busy' || err.code === 'full') findSlots();
    }
  });
  findSlots();
  return form;
}
