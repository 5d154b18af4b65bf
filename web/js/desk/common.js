// SPDX-License-Identifier: MIT
// What the staff desk and the admin page share: the door (log in, or be told the
// page is not for you), who is logged in with a logout button, tabs that follow the
// URL's #hash and the keyboard, dialogs, a confirmation question, lists that follow
// `next_after`, cached look-ups (tutors, services, clients) and small view helpers.
import { get, withQuery } from '../api.js';
import {
  session, startPage, revealWhen, settled, renderLoginForm, logout, clearNotice, submitting, h, fill, byId, t,
} from '../shell.js';
import { fieldText, onLanguageChange } from '../i18n.js';

/**
 * Starts a desk page: logged-out visitors get the login form, users whom
 * `allowed(user)` refuses are told `deniedKey` (with a way to log out and in
 * again), the others get render(app). render runs again after a language change.
 */
export async function startDesk({ allowed, deniedKey, render }) {
  await startPage();
  const app = byId('app');
  let current = null;
  const show = async () => {
    renderWho(show);
    if (!session.user) {
      current = null;
      fill(app, h('div', { class: 'desk-door' },
        h('p', { class: 'door-lead' }, t(deniedKey)),
        h('div', { class: 'card login-card', id: 'login-card' })));
      renderLoginForm(byId('login-card'), async () => { clearNotice(); await show(); });
      return;
    }
    if (!allowed(session.user)) {
      current = null;
      fill(app, h('div', { class: 'card desk-door', role: 'alert' },
        h('p', {}, t(deniedKey)),
        h('button', {
          type: 'button', class: 'secondary',
          onclick: async () => { await logout(); await show(); },
        }, t('desk.login_other'))));
      return;
    }
    current = render;
    await render(app);
  };
  onLanguageChange(() => {
    renderWho(show);
    if (current) current(app);
    else if (!session.user || !allowed(session.user)) show();
  });
  await show();
  await revealWhen(settled(app));
}

function renderWho(onChange) {
  const who = document.getElementById('who');
  if (!who) return;
  if (!session.user) { who.replaceChildren(); return; }
  fill(who,
    h('span', { class: 'who-name' }, t('common.logged_in_as', { name: session.user.full_name }),
      ' · ', t(`role.${session.user.role}`)),
    ' ',
    h('button', {
      type: 'button', class: 'link',
      onclick: async () => { await logout(); clearNotice(); await onChange(); },
    }, t('common.logout')));
}

/**
 * Tabs bound to location.hash: items [{id, label, render(panel, rest)}], where the
 * hash "#id/rest" opens tab `id` and passes "rest" along. Arrow keys, Home and End
 * move between tabs (the WAI-ARIA tabs pattern with automatic activation).
 */
export function deskTabs(container, items, { label }) {
  const list = h('div', { class: 'tabs', role: 'tablist', 'aria-label': label });
  const panel = h('section', { class: 'tab-panel', role: 'tabpanel', tabindex: '-1' });
  const buttons = items.map((item) => h('button', {
    type: 'button', role: 'tab', id: `tab-${item.id}`, 'aria-controls': 'tab-panel',
    'aria-selected': 'false', tabindex: '-1',
    onclick: () => go(item.id),
  }, item.label));
  panel.id = 'tab-panel';
  list.append(...buttons);
  list.addEventListener('keydown', (event) => {
    const i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    const next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: buttons.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const j = (next + buttons.length) % buttons.length;
    buttons[j].focus();
    go(items[j].id);
  });
  fill(container, list, panel);

  let shown = null;
  const activate = () => {
    const [id, ...rest] = decodeURIComponent(location.hash.slice(1)).split('/');
    const index = Math.max(0, items.findIndex((item) => item.id === id));
    const item = items[index];
    buttons.forEach((b, k) => {
      b.setAttribute('aria-selected', String(k === index));
      b.tabIndex = k === index ? 0 : -1;
    });
    panel.setAttribute('aria-labelledby', buttons[index].id);
    // The chosen tab scrolled into the row's view (the row scrolls sideways on a phone).
    const b = buttons[index];
    if (b.offsetLeft < list.scrollLeft || b.offsetLeft + b.offsetWidth > list.scrollLeft + list.clientWidth)
      list.scrollLeft = Math.max(0, b.offsetLeft - 24);
    shown = `${item.id}/${rest.join('/')}`;
    item.render(panel, rest.join('/'));
  };
  const go = (id) => {
    if (location.hash === `#${id}`) activate();
    else location.hash = id;
  };
  window.removeEventListener('hashchange', deskTabs.listener || (() => {}));
  deskTabs.listener = () => {
    const wanted = decodeURIComponent(location.hash.slice(1));
    const [id, ...rest] = wanted.split('/');
    if (shown !== `${id}/${rest.join('/')}`) activate();
  };
  window.addEventListener('hashchange', deskTabs.listener);
  activate();
  return { go, refresh: activate };
}

/** Goes to "#path" (a tab and what follows it). */
export function goTo(path) { location.hash = path; }

let dialogCount = 0;

/**
 * Opens a modal dialog titled `title` holding `content` (a node, or a function
 * (close) -> node). Resolves when it closes; the dialog is removed afterwards.
 */
export function openDialog(title, content, { wide = false } = {}) {
  const n = ++dialogCount;
  return new Promise((resolve) => {
    const dialog = h('dialog', { 'aria-labelledby': `dialog-title-${n}`, class: wide ? 'wide' : null });
    const close = (value) => { dialog.returnValue = value ?? ''; dialog.close(); };
    dialog.append(
      h('div', { class: 'dialog-head' },
        h('h2', { id: `dialog-title-${n}` }, title),
        h('button', { type: 'button', class: 'link close', onclick: () => close(''),
          'aria-label': t('common.close') }, '×')),
      typeof content === 'function' ? content(close) : content);
    dialog.addEventListener('close', () => { dialog.remove(); resolve(dialog.returnValue); });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** Asks a yes/no question in a dialog; resolves true when confirmed. */
export async function confirmAction(title, question, confirmLabel, { danger = false } = {}) {
  const answer = await openDialog(title, (close) => h('div', {},
    h('p', {}, question),
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', class: 'secondary', onclick: () => close('') }, t('common.dismiss')),
      h('button', { type: 'button', class: danger ? 'danger' : null, onclick: () => close('yes') },
        confirmLabel))));
  return answer === 'yes';
}

/** Every item of a paginated list (follows next_after; at most `max` items). */
export async function fetchAll(path, params = {}, { max = 2000 } = {}) {
  const items = [];
  let after = null;
  do {
    const page = await get(withQuery(path, { ...params, limit: 200, after }));
    items.push(...page.items);
    after = page.next_after;
  } while (after && items.length < max);
  return items;
}

const cached = new Map();
/** A GET answer kept for the page's lifetime (catalogue data that rarely changes). */
export function once(key, load) {
  if (!cached.has(key)) cached.set(key, load().catch((err) => { cached.delete(key); throw err; }));
  return cached.get(key);
}
export function forget(key) { cached.delete(key); }

export const tutors = () => once('tutors', () => fetchAll('/tutors'));
export const services = () => once('services', () => fetchAll('/services'));

const clientCache = new Map();
/** Clients by id, fetched at most once each (GET /clients/{id}). */
export async function clientsById(ids) {
  const wanted = [...new Set(ids)].filter((id) => !clientCache.has(id));
  for (let i = 0; i < wanted.length; i += 8) {
    const batch = wanted.slice(i, i + 8);
    const found = await Promise.all(batch.map((id) => get(`/clients/${id}`).catch((err) => {
      if (err.code === 'not_found') return null;
      throw err;
    })));
    batch.forEach((id, k) => clientCache.set(id, found[k]));
  }
  return new Map(ids.map((id) => [id, clientCache.get(id)]));
}
/** Remembers a client just read or changed. */
export function rememberClient(client) { clientCache.set(client.id, client); }

/** A <select> with options [{value, label}] and `value` selected. */
export function selectBox(attrs, options, value) {
  return h('select', attrs, options.map((o) => h('option', {
    value: o.value, selected: String(o.value) === String(value ?? '') ? true : null,
  }, o.label)));
}

/** A labelled field: <div.field><label/>control<hint/></div>. */
export function field(id, label, control, hint) {
  control.id = id;
  if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'field' },
    h('label', { for: id }, label),
    control,
    hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null);
}

/** A badge: kind ok, warn, danger or plain. */
export function badge(text, kind = '') {
  return h('span', { class: `badge ${kind}`.trim() }, text);
}

/** The general error box a form's submitting() fills. */
export function formError() {
  return h('div', { class: 'form-error', 'data-role': 'form-error', role: 'alert', hidden: true });
}

/** A definition list from [[term, value], ...], skipping empty values. */
export function facts(rows) {
  return h('dl', { class: 'facts' }, rows.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}

/**
 * submitting() (shell.js) plus two things the desk needs: an error code can have a
 * sentence of its own here (codes: {conflict: 'staff.log.not_started'}), and field
 * errors without a control of that name are listed in the form's error box.
 * Resolves to the action's result, or undefined when it failed.
 */
export async function submitForm(form, action, codes = {}) {
  let failure = null;
  const result = await submitting(form, async (values) => {
    try {
      return await action(values);
    } catch (err) {
      failure = err;
      throw err;
    }
  });
  const box = form.querySelector('[data-role=form-error]');
  if (result !== undefined || !failure || !box) return result;
  if (codes[failure.code]) fill(box, t(codes[failure.code]));
  const loose = Object.entries(failure.fields || {}).filter(([name]) => {
    const control = form.elements.namedItem(name);
    return !control || !control.id;
  });
  if (loose.length) box.append(h('ul', {}, loose.map(([, message]) => h('li', {}, fieldText(message)))));
  return result;
}
