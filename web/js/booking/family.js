// SPDX-License-Identifier: MIT
// The family on the booking page (API.md v2 "Families"): the account's family
// (GET /me/clients), the choice of whom the page acts for (its own record or a
// child: every booking, quote, lesson list, discount, suggestion, event and
// calendar below follows it through state.learner), adding a child (POST
// /me/clients), and the family's referral link to share (GET /me/referral: copy,
// or the phone's share sheet where the browser has one). Announces a new choice
// with the "learner" event.
import { get, post } from '../api.js';
import { h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { failedInto, loadingInto, notify, session, submitting } from '../shell.js';
import { state } from './state.js';
import { emit, tx } from './ui.js';

const view = { loaded: false, error: null, seq: 0, referral: null, shareStatus: null };
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

/* The family's link, absolute, with copy and share buttons and a live status line. */
function shareBox() {
  if (!view.referral) return null;
  const link = new URL(view.referral.url, window.location.origin).href;
  const status = h('p', { class: 'small copy-status', id: 'referral-status', role: 'status' },
    view.shareStatus ? t(view.shareStatus) : '');
  const say = (key) => { view.shareStatus = key; status.textContent = t(key); };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      say('book.referral.copied');
    } catch {
      say('book.referral.copy_failed');
    }
  };
  const share = async () => {
    try {
      await navigator.share({ title: 'Harreman', text: t('book.referral.share_text'), url: link });
    } catch {
      // dismissed: nothing to say
    }
  };
  return h('div', { class: 'referral', id: 'referral' },
    tx('h3', 'book.referral.title'),
    h('p', { class: 'small' }, t('book.referral.intro')),
    h('p', {}, h('input', {
      id: 'referral-link', readonly: true, value: link, 'aria-label': t('book.referral.link'),
    })),
    h('p', { class: 'row' },
      h('button', { type: 'button', class: 'secondary', id: 'referral-copy', onclick: copy }, t('book.referral.copy')),
      typeof navigator.share === 'function'
        ? h('button', { type: 'button', class: 'secondary', id: 'referral-share', onclick: share }, t('book.referral.share'))
        : null),
    h('p', { class: 'small muted', id: 'referral-counts' },
      t('book.referral.counts', { referred: view.referral.referred, rewarded: view.referral.rewarded })),
    status);
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
    tx('summary', 'book.family.add_title'), addForm()), shareBox());
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
    const [answer, referral] = await Promise.all([get('/me/clients'), get('/me/referral')]);
    if (seq !== view.seq) return;
    state.family = answer.items;
    view.referral = referral;
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
