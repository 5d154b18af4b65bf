// SPDX-License-Identifier: MIT
// Who is using the booking page: the header's #who (name and logout, or a way to
// log in), the account card, and the login and register forms (also shown inside
// the confirmation for a visitor who picked a slot first). Announces every
// change of session with the "session" event.
import { post } from '../api.js';
import { h, fill } from '../dom.js';
import { currentLanguage, t } from '../i18n.js';
import {
  adoptSession, logout, notify, renderLoginForm, session, submitting,
} from '../shell.js';
import { emit, tabs, tx } from './ui.js';

let card = null;
let who = null;

/** The code a shared link brought (/?ref=<code>): sent with the registration. */
function refCode() {
  const code = new URLSearchParams(window.location.search).get('ref');
  return code && /^[A-Za-z0-9_-]{3,40}$/.test(code) ? code : null;
}

function field(id, labelKey, input, hintKey) {
  const hint = hintKey ? tx('span', hintKey, { class: 'hint', id: `${id}-hint` }) : null;
  if (hint) input.setAttribute('aria-describedby', hint.id);
  return h('div', { class: 'field' }, tx('label', labelKey, { for: id }), input, hint);
}

function registerForm(prefix, onEmailTaken) {
  const form = h('form', { class: 'register-form', novalidate: true },
    h('div', { class: 'form-error', 'data-role': 'form-error', role: 'alert', hidden: true }),
    field(`${prefix}-reg-name`, 'book.account.full_name',
      h('input', { id: `${prefix}-reg-name`, name: 'full_name', autocomplete: 'name', required: true }),
      'book.account.full_name_hint'),
    field(`${prefix}-reg-email`, 'common.email',
      h('input', { id: `${prefix}-reg-email`, name: 'email', type: 'email', autocomplete: 'email', required: true })),
    refCode() ? h('p', { class: 'small ref-note' }, t('book.referral.registering', { code: refCode() })) : null,
    field(`${prefix}-reg-password`, 'common.password',
      h('input', {
        id: `${prefix}-reg-password`, name: 'password', type: 'password',
        autocomplete: 'new-password', required: true, minlength: 10,
      }), 'book.account.password_hint'),
    tx('button', 'book.account.register', { type: 'submit' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    let failure = null;
    const answer = await submitting(form, (values) => post('/auth/register', {
      full_name: values.full_name || '', email: values.email || '',
      password: values.password || '', locale: currentLanguage(),
      ...(refCode() ? { ref: refCode() } : {}),
    }).catch((err) => { failure = err; throw err; }));
    if (answer) {
      await adoptSession(answer);
      notify(t('book.account.welcome', { name: answer.user.full_name }), 'success');
      emit('session');
    } else if (failure && failure.code === 'email_taken') {
      const box = form.querySelector('[data-role=form-error]');
      box.append(' ', h('button', {
        type: 'button', class: 'link', onclick: () => onEmailTaken(form.elements.email.value),
      }, t('book.account.login_instead')));
    }
  });
  return form;
}

/**
 * The login and register forms as two tabs; prefix keeps ids unique. After either
 * succeeds the session is adopted and "session" is emitted.
 */
export function authForms(prefix) {
  const loginBox = h('div');
  const loginForm = renderLoginForm(loginBox, () => {
    notify(t('book.account.hello', { name: session.user.full_name }), 'success');
    emit('session');
  });
  loginForm.querySelector('h2').classList.add('visually-hidden');
  const set = tabs(prefix, [
    { id: 'login', labelKey: 'common.login', panel: loginBox },
    {
      id: 'register', labelKey: 'book.account.register_tab',
      panel: registerForm(prefix, (email) => {
        set.select('login', true);
        loginForm.elements.email.value = email;
        loginForm.elements.password.focus();
      }),
    },
  ]);
  return set.element;
}

function renderWho() {
  if (session.user) {
    fill(who,
      h('span', { class: 'who-name' }, t('common.logged_in_as', { name: session.user.full_name })),
      h('button', { type: 'button', class: 'link', onclick: doLogout }, t('common.logout')));
  } else {
    fill(who, h('a', { href: '#account' }, t('book.account.login_link')));
  }
}

async function doLogout() {
  await logout();
  notify(t('book.account.logged_out'), 'info');
  emit('session');
}

/** Draws the header and the card for the current session (also after a language change). */
export function render() {
  renderWho();
  if (!session.user) {
    if (card.dataset.state === 'anonymous') return; // keep what is being typed
    card.dataset.state = 'anonymous';
    fill(card,
      tx('h2', 'book.account.title', { id: 'account-title' }),
      tx('p', 'book.account.intro', { class: 'muted' }),
      authForms('account'));
    return;
  }
  card.dataset.state = 'user';
  const first = session.user.full_name.split(/\s+/)[0];
  if (!session.client) {
    fill(card,
      h('h2', { id: 'account-title' }, t('book.account.hi', { name: first })),
      h('p', {}, t('book.account.not_student')),
      h('p', {}, h('a', { href: session.user.role === 'admin' ? '/admin' : '/staff' },
        t(session.user.role === 'admin' ? 'nav.admin' : 'nav.staff'))),
      h('button', { type: 'button', class: 'secondary', onclick: doLogout }, t('common.logout')));
    return;
  }
  fill(card,
    h('h2', { id: 'account-title' }, t('book.account.hi', { name: first })),
    h('p', { class: 'muted small' }, session.user.email),
    h('p', {}, t('book.account.signed_in_intro')),
    h('p', { class: 'account-links' },
      h('a', { href: '#lessons' }, t('book.lessons.title')),
      h('a', { href: '#calendar' }, t('book.calendar.title')),
      h('a', { href: '#events' }, t('book.community.events.title'))),
    h('button', { type: 'button', class: 'secondary', onclick: doLogout }, t('common.logout')));
}

/** Mounts the header's #who and the account card. */
export function mount(cardElement, whoElement) {
  card = cardElement;
  who = whoElement;
  render();
}

/** Forces the next render to rebuild the forms (after a language change). */
export function rebuild() {
  if (card) card.dataset.state = '';
  render();
}
