// SPDX-License-Identifier: MIT
// Users and roles: every user (GET /users, all pages), a role changed or an account
// deactivated and reactivated (PATCH /users/{id} {role | active}), and new staff or
// admin accounts (POST /users). The server refuses to leave no active admin (409),
// and the page says so in the user's language.
import { patch, post } from '../api.js';
import { h, fill, t, notify, loadingInto, failedInto, session } from '../shell.js';
import { errorText } from '../i18n.js';
import { shortDate } from '../desk/format.js';
import { badge, confirmAction, fetchAll, field, formError, selectBox, submitForm } from '../desk/common.js';

const ROLES = ['student', 'staff', 'admin'];
const filter = { role: 'staff_admin' };

export function renderUsers(panel) {
  const body = h('div', {});
  const roleFilter = selectBox({ id: 'users-filter' },
    ['staff_admin', 'all', ...ROLES].map((r) => ({ value: r, label: t(`admin.users.filter_${r}`) })), filter.role);
  fill(panel,
    h('div', { class: 'section-head' },
      h('h2', {}, t('admin.users.title')),
      h('div', { class: 'field inline' }, h('label', { for: 'users-filter' }, t('admin.users.show')), roleFilter)),
    body);
  let users = [];
  const load = async () => {
    loadingInto(body);
    try {
      users = await fetchAll('/users');
      show();
    } catch (err) {
      failedInto(body, err, load);
    }
  };
  roleFilter.addEventListener('change', () => { filter.role = roleFilter.value; show(); });
  const show = () => {
    const shown = users.filter((u) => filter.role === 'all'
      || (filter.role === 'staff_admin' ? u.role !== 'student' : u.role === filter.role));
    fill(body,
      shown.length ? h('div', { class: 'table-wrap' }, h('table', { class: 'users stacked' },
        h('caption', { class: 'visually-hidden' }, t('admin.users.title')),
        h('thead', {}, h('tr', {},
          ['name', 'email', 'role', 'state', 'since'].map((c) => h('th', { scope: 'col' }, t(`admin.users.col.${c}`))))),
        h('tbody', {}, shown.map((u) => userRow(u, load)))))
        : h('p', { class: 'empty' }, t('admin.users.none')),
      createForm(load));
  };
  load();
}

function userRow(user, reload) {
  const me = session.user && session.user.id === user.id;
  const roleSelect = selectBox({ id: `user-${user.id}-role`, 'aria-label': t('admin.users.role_of', { name: user.full_name }) },
    ROLES.map((r) => ({ value: r, label: t(`role.${r}`) })), user.role);
  roleSelect.addEventListener('change', async () => {
    const role = roleSelect.value;
    const sure = await confirmAction(t('admin.users.role_title'),
      t('admin.users.role_question', { name: user.full_name, role: t(`role.${role}`) }), t('admin.users.change'));
    if (!sure) { roleSelect.value = user.role; return; }
    await change(user, { role }, reload, () => { roleSelect.value = user.role; });
  });
  const toggle = h('button', {
    type: 'button', class: user.active ? 'danger' : 'secondary',
    onclick: async () => {
      const active = !user.active;
      const sure = await confirmAction(t(active ? 'admin.users.activate_title' : 'admin.users.deactivate_title'),
        t(active ? 'admin.users.activate_question' : 'admin.users.deactivate_question', { name: user.full_name }),
        t(active ? 'admin.users.activate' : 'admin.users.deactivate'), { danger: !active });
      if (sure) await change(user, { active }, reload);
    },
  }, t(user.active ? 'admin.users.deactivate' : 'admin.users.activate'),
  h('span', { class: 'visually-hidden' }, ` — ${user.full_name}`));
  return h('tr', { 'data-user-id': user.id, class: user.active ? null : 'inactive' },
    h('th', { scope: 'row', 'data-label': t('admin.users.col.name') }, user.full_name,
      me ? [' ', badge(t('admin.users.you'))] : null),
    h('td', { 'data-label': t('admin.users.col.email') }, user.email),
    h('td', { 'data-label': t('admin.users.col.role') }, roleSelect),
    h('td', { 'data-label': t('admin.users.col.state') },
      user.active ? badge(t('admin.users.active'), 'ok') : badge(t('admin.users.inactive'), 'danger'),
      ' ', toggle),
    h('td', { 'data-label': t('admin.users.col.since') }, shortDate(user.created_at)));
}

async function change(user, body, reload, undo) {
  try {
    const saved = await patch(`/users/${user.id}`, body);
    // An admin who changed their own account starts the page again as who they are now.
    if (session.user && saved.id === session.user.id) { location.reload(); return; }
    notify(t('admin.users.saved', { name: saved.full_name }), 'success');
    await reload();
  } catch (err) {
    if (undo) undo();
    notify(err.code === 'conflict' ? t('admin.users.last_admin') : errorText(err), 'error');
  }
}

function createForm(reload) {
  const form = h('form', { class: 'card add-user', novalidate: true },
    h('h3', {}, t('admin.users.new_title')),
    formError(),
    h('div', { class: 'form-grid' },
      field('user-new-name', t('admin.users.full_name'), h('input', { name: 'full_name', maxlength: 200, required: true, autocomplete: 'off' })),
      field('user-new-email', t('common.email'), h('input', { name: 'email', type: 'email', maxlength: 254, required: true, autocomplete: 'off' })),
      field('user-new-password', t('common.password'), h('input', {
        name: 'password', type: 'password', minlength: 10, required: true, autocomplete: 'new-password',
      }), t('admin.users.password_hint')),
      field('user-new-role', t('admin.users.col.role'),
        selectBox({ name: 'role' }, ROLES.map((r) => ({ value: r, label: t(`role.${r}`) })), 'staff'))),
    h('button', { type: 'submit' }, t('admin.users.create')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const made = await submitForm(form, (v) => post('/users', {
      full_name: v.full_name ?? '', email: v.email ?? '', password: form.elements.namedItem('password').value, role: v.role,
    }));
    if (made) {
      notify(t('admin.users.created', { name: made.full_name, role: t(`role.${made.role}`) }), 'success');
      await reload();
    }
  });
  return form;
}
