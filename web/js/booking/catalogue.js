// SPDX-License-Identifier: MIT
// Step 1 of the booking page: the subject, the service (price per session,
// duration, private or group) and an optional tutor. Owns state.serviceId and
// state.tutorId; tells the week view with the "choice" event.
import { h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { money } from '../format.js';
import { state, service, tutorsFor } from './state.js';
import { emit, label, tx } from './ui.js';

let root = null;

function subjects() {
  return [...new Set(state.services.map((s) => s.subject))];
}

function serviceOption(svc) {
  const id = `service-${svc.id}`;
  const kind = label('book.kind', svc.kind);
  const meta = svc.capacity > 1
    ? t('book.service.meta_group', { duration: svc.duration_min, kind, count: svc.capacity })
    : t('book.service.meta', { duration: svc.duration_min, kind });
  return h('label', { class: 'service-option', for: id },
    h('input', {
      type: 'radio', name: 'service', id, value: svc.id, checked: svc.id === state.serviceId,
      onchange: () => choose(svc.id),
    }),
    h('span', { class: 'service-text' },
      h('span', { class: 'service-name' }, svc.name),
      svc.description ? h('span', { class: 'service-description small' }, svc.description) : null,
      h('span', { class: 'service-meta' }, meta)),
    h('span', { class: 'service-price' },
      h('strong', {}, money(svc.price_cents)),
      h('span', { class: 'small muted' }, t('book.service.per_session'))));
}

function choose(serviceId) {
  state.serviceId = serviceId;
  const svc = service();
  if (state.tutorId && !tutorsFor(svc).some((tutor) => String(tutor.id) === state.tutorId))
    state.tutorId = '';
  render();
  emit('choice');
}

/** Draws the step from state (also after a language change). */
export function render() {
  if (!root) return;
  const svc = service();
  if (!svc) {
    fill(root, tx('h2', 'book.choose.title'), tx('p', 'book.choose.none', { class: 'muted' }));
    return;
  }
  const subjectSelect = h('select', {
    id: 'subject', name: 'subject',
    onchange: (event) => {
      const first = state.services.find((s) => s.subject === event.target.value);
      if (first) choose(first.id);
    },
  }, subjects().map((subject) => h('option', { value: subject, selected: subject === svc.subject },
    label('book.subject', subject))));
  const tutorSelect = h('select', {
    id: 'tutor', name: 'tutor',
    onchange: (event) => { state.tutorId = event.target.value; emit('choice'); },
  }, h('option', { value: '' }, t('book.choose.any_tutor')),
  tutorsFor(svc).map((tutor) => h('option', {
    value: tutor.id, selected: String(tutor.id) === state.tutorId,
  }, tutor.full_name)));
  fill(root,
    h('h2', { id: 'choose-title' }, h('span', { class: 'step', 'aria-hidden': 'true' }, '1'),
      tx('span', 'book.choose.title')),
    h('div', { class: 'row' },
      h('div', { class: 'field grow' }, tx('label', 'book.choose.subject', { for: 'subject' }), subjectSelect),
      h('div', { class: 'field grow' }, tx('label', 'book.choose.tutor', { for: 'tutor' }), tutorSelect)),
    h('fieldset', { class: 'service-options' },
      tx('legend', 'book.choose.service'),
      state.services.filter((s) => s.subject === svc.subject).map(serviceOption)));
}

/** Mounts the step into root; the first service is chosen. */
export function mount(element) {
  root = element;
  if (!state.serviceId && state.services.length) state.serviceId = state.services[0].id;
  render();
}
