// SPDX-License-Identifier: MIT
// "My calendar" for the logged-in student: the private feed URL (GET /me/calendar,
// shown absolute, with a copy button and a webcal: link for calendar apps), the
// one-off download of /api/v1/me/calendar.ics, and a new link on request (POST
// /me/calendar/rotate, asked once more inline, because the old link stops working
// at once). Hidden for visitors and for staff.
import { get, post } from '../api.js';
import { h, fill } from '../dom.js';
import { errorText, t } from '../i18n.js';
import { failedInto, loadingInto, session } from '../shell.js';
import { forLearner, learnerBody } from './state.js';
import { tx } from './ui.js';

const DOWNLOAD = '/api/v1/me/calendar.ics';
const view = { url: null, error: null, asking: false, rotating: false, status: null, seq: 0 };
let root = null;
let body = null;

/** The feed's absolute https?: URL and its webcal: twin. */
function urls(path) {
  const absolute = new URL(path, window.location.origin);
  return { http: absolute.href, webcal: `webcal://${absolute.host}${absolute.pathname}` };
}

// "copied", "copy failed", a new link made or a failure to make it: one live line,
// updated in place so screen readers announce it. view.status = {key | text, kind}.
function statusLine() {
  const line = h('p', { class: 'small copy-status', id: 'calendar-status', role: 'status' });
  paintStatus(line);
  return line;
}

function paintStatus(line) {
  const status = view.status;
  line.className = `small copy-status${status ? ` ${status.kind}` : ''}`;
  line.textContent = !status ? '' : status.key ? t(status.key) : status.text;
}

function setStatus(status) {
  view.status = status;
  const line = body && body.querySelector('#calendar-status');
  if (line) paintStatus(line);
}

async function copy(input) {
  let done = false;
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(input.value);
      done = true;
    }
  } catch { /* refused: fall back below */ }
  if (!done) {
    input.focus();
    input.select();
    try { done = document.execCommand('copy'); } catch { done = false; }
  }
  setStatus(done ? { key: 'book.calendar.copied', kind: 'ok' } : { key: 'book.calendar.copy_failed', kind: 'bad' });
}

function rotateBox() {
  if (view.asking) {
    return h('div', { class: 'rotate-ask', role: 'group', 'aria-labelledby': 'calendar-rotate-ask' },
      tx('p', 'book.calendar.rotate_ask', { id: 'calendar-rotate-ask', class: 'ask' }),
      h('div', { class: 'row' },
        h('button', {
          type: 'button', class: 'danger', 'data-action': 'rotate-yes', disabled: view.rotating,
          'aria-busy': view.rotating ? 'true' : null, onclick: rotate,
        }, t('book.calendar.rotate_yes')),
        h('button', {
          type: 'button', class: 'secondary', 'data-action': 'rotate-no', disabled: view.rotating,
          onclick: () => { view.asking = false; renderBody('[data-action=rotate]'); },
        }, t('book.calendar.rotate_no'))));
  }
  return h('button', {
    type: 'button', class: 'secondary', 'data-action': 'rotate', 'aria-describedby': 'calendar-rotate-intro',
    onclick: () => { view.asking = true; renderBody('[data-action=rotate-no]'); },
  }, t('book.calendar.rotate'));
}

function renderBody(focusSelector) {
  if (!body) return;
  root.dataset.state = view.error ? 'error' : view.url ? 'ready' : 'loading';
  if (view.error) {
    failedInto(body, view.error, () => load());
    return;
  }
  if (!view.url) {
    loadingInto(body);
    return;
  }
  const { http, webcal } = urls(view.url);
  const input = h('input', {
    id: 'calendar-url', type: 'text', readonly: true, value: http, spellcheck: 'false',
    autocomplete: 'off', 'aria-describedby': 'calendar-url-hint',
    onfocus: (event) => event.currentTarget.select(),
  });
  fill(body,
    h('div', { class: 'field' },
      tx('label', 'book.calendar.url_label', { for: 'calendar-url' }),
      h('div', { class: 'copy-row' }, input,
        h('button', {
          type: 'button', class: 'secondary', id: 'calendar-copy', onclick: () => copy(input),
        }, t('book.calendar.copy'))),
      tx('span', 'book.calendar.url_hint', { class: 'hint', id: 'calendar-url-hint' }),
      statusLine()),
    h('p', { class: 'calendar-links' },
      h('a', { class: 'button', id: 'calendar-webcal', href: webcal }, t('book.calendar.subscribe')),
      h('a', {
        id: 'calendar-download', href: forLearner(DOWNLOAD), download: 'harreman.ics', 'aria-describedby': 'calendar-download-hint',
      }, t('book.calendar.download'))),
    tx('p', 'book.calendar.download_hint', { class: 'small muted', id: 'calendar-download-hint' }),
    h('div', { class: 'rotate' },
      tx('h3', 'book.calendar.rotate_title', { id: 'calendar-rotate-title' }),
      tx('p', 'book.calendar.rotate_intro', { class: 'small', id: 'calendar-rotate-intro' }),
      rotateBox()));
  if (focusSelector) {
    const target = body.querySelector(focusSelector);
    if (target) target.focus();
  }
}

async function rotate() {
  view.rotating = true;
  renderBody('[data-action=rotate-yes]');
  try {
    const answer = await post('/me/calendar/rotate', learnerBody());
    view.url = answer.url;
    view.asking = false;
    view.rotating = false;
    view.status = null;
    renderBody('#calendar-url');
    setStatus({ key: 'book.calendar.rotated', kind: 'ok' });
  } catch (err) {
    view.rotating = false;
    renderBody('[data-action=rotate-yes]');
    setStatus({ text: errorText(err), kind: 'bad' });
  }
}

/** Draws the card (also after a language change). */
export function render() {
  if (!root) return;
  root.hidden = !session.client;
  if (!session.client) return;
  if (!body) {
    body = h('div', { id: 'calendar-body' });
    fill(root,
      tx('h2', 'book.calendar.title', { id: 'calendar-title' }),
      tx('p', 'book.calendar.intro', { class: 'small' }),
      body);
  }
  renderBody();
}

/** Reads the feed URL (the first read makes it). */
export async function load() {
  const seq = ++view.seq;
  view.url = null;
  view.error = null;
  view.asking = false;
  view.status = null;
  render();
  if (!session.client) return;
  try {
    const answer = await get(forLearner('/me/calendar'));
    if (seq !== view.seq) return;
    view.url = answer.url;
  } catch (err) {
    if (seq !== view.seq) return;
    view.error = err;
  }
  renderBody();
}

export function mount(element) { root = element; }
