// SPDX-License-Identifier: MIT
// The family on the booking page (API.md v2 "Families"): the account's family
// (GET /me/clients), the choice of whom the page acts for (its own record or a
// child: every booking, quote, lesson list, discount, suggestion, event and
// calendar below follows it through state.learner), and adding a child (POST
// /me/clients). Announces a new choice with the "learner" event.
import { get, post } from '../api.js';
import { h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { failedInto, loadingInto, notify, session, submitting } from '../shell.js';
import { state } from './state.js';
import { emit, tx } from './ui.js';

const view = { loaded: false, error: null, seq: 0 };
let root = null;

function choose(id) {
  const own = session.client && id === session.client.id;
  const next = own ? null : id;
  if (next === state.learner) return;
  state.learner = next;
  const member = state.family.find((c) => c.id === id);
  if (member) notify(t('book.family.switched', { name: member.full_name }), 'info');
  emit('learner');
}

function memberLabel(client) {
  return session.client && client.id === session.client.id
    ? t('book.family.me', { name: client.full_name }) : client.full_name;
}

function chooser() {
  const current = state.learner ?? (session.client && session.client.id);
  return h('fieldset', { class: 'family-choice', id: 'family-choice' },
    tx('legend', 'book.family.for'),
    state.family.map((client) => h('div', { class: 'check' },
      h('input', {
        type: 'radio', name: 'learner', id: `learner-${client.id}`, value: client.id,
        checked: client.id === current, onchange: () => choose(client.id),
      }),
      h('label', { for: `learner-${client.id}` }, memberLabel(client)))));
}

function addForm() {
  const form = h('form', { class: 'family-add', id: 'family-add', novalidate: true },
    h('div', { class: 'form-error', 'data-role': 'form-error', role: 'alert', hidden: true }),
    h('div', { class: 'field' },
      tx('label', 'book.family.child_name', { for: 'family-child-name' }),
      h('input', { id: 'family-child-name', name: 'full_name', maxlength: 200, autocomplete: 'off', required: true })),
    tx('button', 'book.family.add', { type: 'submit', class: 'secondary' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const child = await submitting(form, (values) => post('/me/clients', { full_name: values.full_name || '' }));
    if (!child) return;
    notify(t('book.family.added', { name: child.full_name }), 'success');
    state.family = [...state.family, child];
    choose(child.id);
    render();
  });
  return form;
}

/** Draws the card (also after a language change). */
export function render() {
  if (!root) return;
  root.hidden = !session.client;
  if (!session.client) return;
  const body = h('div', { id: 'family-body' });
  fill(root, tx('h2', 'book.family.title', { id: 'family-title' }),
    tx('p', 'book.family.intro', { class: 'small muted' }), body);
  if (view.error) failedInto(body, view.error, () => load());
  else if (!view.loaded) loadingInto(body);
  else fill(body, chooser(), h('details', { class: 'family-more' },
    tx('summary', 'book.family.add_title'), addForm()));
}

/** Reads the family (after a login); forgets the choice when logged out. */
export async function load() {
  const seq = ++view.seq;
  view.loaded = false;
  view.error = null;
  if (!session.client) {
    state.family = [];
    state.learner = null;
    render();
    return;
  }
  render();
  try {
    const answer = await get('/me/clients');
    if (seq !== view.seq) return;
    state.family = answer.items;
    if (state.learner && !state.family.some((c) => c.id === state.learner)) {
      state.learner = null;
      emit('learner');
    }
    view.loaded = true;
  } catch (err) {
    if (seq !== view.seq) return;
    view.error = err;
  }
  render();
}

export function mount(element) { root = element; }
