// SPDX-License-Identifier: MIT
// What every page shares: the language set up before anything renders, the
// switcher in the header, who is logged in (GET /me), the login form, logout, a
// live region for messages, and field errors shown next to their controls.
import { api, get, post, setCsrfToken } from './api.js';
import { h, byId, fill, formValues } from './dom.js';
import {
  bindLanguageSwitcher, errorText, fieldText, rememberedLanguage, setLanguage, t,
} from './i18n.js';
import { resetFormatters } from './format.js';
import { onLanguageChange } from './i18n.js';

export const session = { user: null, client: null };

/** Loads the language and the session; call once at the top of each page. */
export async function startPage() {
  onLanguageChange(() => resetFormatters());
  await setLanguage(rememberedLanguage(), { remember: false });
  const switcher = document.getElementById('language');
  if (switcher) bindLanguageSwitcher(switcher, saveLocaleOfClient);
  await refreshSession();
  showNavFor(session.user);
}

/**
 * Shows the page in one pass (no layout shift while it loads): the header's words,
 * main and the footer stay hidden (body.loading, style.css) until every promise of
 * `ready` has settled, or `limitMs` passed.
 */
export async function revealWhen(ready, limitMs = 5000) {
  let timer;
  const limit = new Promise((resolve) => { timer = setTimeout(resolve, limitMs); });
  await Promise.race([Promise.allSettled([].concat(ready)), limit]);
  clearTimeout(timer);
  document.body.classList.remove('loading');
}

/** Resolves once root holds no "loading…" placeholder (see loadingInto). */
export function settled(root) {
  return new Promise((resolve) => {
    const observer = new MutationObserver(() => check());
    function check() {
      if (root.querySelector('.loading-note')) return;
      observer.disconnect();
      resolve();
    }
    observer.observe(root, { childList: true, subtree: true });
    check();
  });
}

/**
 * The header's links to the desk and the admin page, for those who may use them: a
 * student sees neither, staff the desk, an admin both; a visitor sees both (staff
 * log in there).
 */
export function showNavFor(user) {
  const role = user ? user.role : null;
  const hide = (selector, hidden) => {
    for (const link of document.querySelectorAll(selector)) link.hidden = hidden;
  };
  hide('.site-nav a[href="/staff"]', role === 'student');
  hide('.site-nav a[href="/admin"]', role === 'student' || role === 'staff');
}

/** Re-reads GET /auth/session; a logged-out visitor gets {user: null} (no 401 logged). */
export async function refreshSession() {
  try {
    const me = await get('/auth/session');
    session.user = me.user;
    session.client = me.client;
    setCsrfToken(me.csrf_token);
  } catch (err) {
    session.user = null;
    session.client = null;
    setCsrfToken(null);
    if (err.code !== 'unauthenticated') throw err;
  }
  return session;
}

// A student who switches language also changes the language of their e-mails.
async function saveLocaleOfClient(lang) {
  if (!session.client || session.client.locale === lang) return;
  try {
    session.client = await api('PATCH', '/me/client', { locale: lang });
  } catch (err) {
    notify(errorText(err), 'error');
  }
}

/** After login or register: remember who it is and follow their saved language. */
export async function adoptSession(answer) {
  session.user = answer.user;
  showNavFor(session.user);
  session.client = answer.client;
  setCsrfToken(answer.csrf_token);
  const locale = answer.client && answer.client.locale;
  if (locale && locale !== document.documentElement.lang) await setLanguage(locale);
}

export async function logout() {
  try { await post('/auth/logout'); } catch { /* the session is gone either way */ }
  session.user = null;
  session.client = null;
  setCsrfToken(null);
  showNavFor(null);
}

/** Shows a message in the page's live region (kind: info, success, error). */
export function notify(message, kind = 'info') {
  const region = byId('notice');
  fill(region, h('p', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : null },
    message));
  region.hidden = false;
}

export function clearNotice() {
  const region = document.getElementById('notice');
  if (region) { region.replaceChildren(); region.hidden = true; }
}

/**
 * Shows an API error on a form: each field's message next to its control
 * (aria-invalid + aria-describedby), the general sentence in the form's
 * [data-role=form-error] element. Returns true when something was shown.
 */
export function showFormError(form, err) {
  clearFormErrors(form);
  const box = form.querySelector('[data-role=form-error]');
  for (const [field, message] of Object.entries(err.fields || {})) {
    const control = form.elements.namedItem(field);
    if (!control || !control.id) continue;
    const note = h('span', { class: 'field-error', id: `${control.id}-error` }, fieldText(message));
    // The error first, then the control's own hint (kept, and given back on clear).
    const hint = control.dataset.describedby ?? control.getAttribute('aria-describedby') ?? '';
    control.dataset.describedby = hint;
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', `${note.id} ${hint}`.trim());
    control.insertAdjacentElement('afterend', note);
  }
  if (box) {
    fill(box, errorText(err));
    box.hidden = false;
  }
  return true;
}

export function clearFormErrors(form) {
  for (const note of form.querySelectorAll('.field-error')) note.remove();
  for (const control of form.querySelectorAll('[aria-invalid]')) {
    control.removeAttribute('aria-invalid');
    if (control.dataset.describedby) control.setAttribute('aria-describedby', control.dataset.describedby);
    else control.removeAttribute('aria-describedby');
    delete control.dataset.describedby;
  }
  const box = form.querySelector('[data-role=form-error]');
  if (box) { box.replaceChildren(); box.hidden = true; }
}

/**
 * Runs an async action for a form submit: disables the submit button and marks the
 * form busy while it runs, shows errors on the form. Resolves to the action's
 * result, or undefined when it failed.
 */
export async function submitting(form, action) {
  const button = form.querySelector('[type=submit]');
  clearFormErrors(form);
  form.setAttribute('aria-busy', 'true');
  if (button) button.disabled = true;
  try {
    return await action(formValues(form));
  } catch (err) {
    showFormError(form, err);
    return undefined;
  } finally {
    form.removeAttribute('aria-busy');
    if (button) button.disabled = false;
  }
}

/** A "loading…" placeholder for a region while its data arrives. */
export function loadingInto(el) {
  fill(el, h('p', { class: 'loading-note', role: 'status' }, t('common.loading')));
}

/** An error placeholder with a retry button for a region whose data failed. */
export function failedInto(el, err, retry) {
  fill(el, h('div', { class: 'load-error', role: 'alert' },
    h('p', {}, errorText(err)),
    retry ? h('button', { type: 'button', class: 'secondary', onclick: retry }, t('common.retry'))
      : null));
}

export { h, fill, byId, t };

let loginFormCount = 0;

/**
 * Renders a login form into container; on success adopts the session and calls
 * onLoggedIn(answer). Errors (wrong password, too many attempts) show on the form.
 */
export function renderLoginForm(container, onLoggedIn) {
  const n = ++loginFormCount;
  const form = h('form', { class: 'login-form', novalidate: true },
    h('h2', { 'data-i18n': 'login.title' }, t('login.title')),
    h('div', { class: 'form-error', 'data-role': 'form-error', role: 'alert', hidden: true }),
    h('div', { class: 'field' },
      h('label', { for: `login-email-${n}`, 'data-i18n': 'common.email' }, t('common.email')),
      h('input', { id: `login-email-${n}`, name: 'email', type: 'email', autocomplete: 'username', required: true })),
    h('div', { class: 'field' },
      h('label', { for: `login-password-${n}`, 'data-i18n': 'common.password' }, t('common.password')),
      h('input', { id: `login-password-${n}`, name: 'password', type: 'password', autocomplete: 'current-password', required: true })),
    h('button', { type: 'submit', 'data-i18n': 'common.login' }, t('common.login')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const answer = await submitting(form, (values) => post('/auth/login', {
      email: values.email || '', password: values.password || '',
    }));
    if (answer) {
      await adoptSession(answer);
      await onLoggedIn(answer);
    }
  });
  fill(container, form);
  return form;
}
