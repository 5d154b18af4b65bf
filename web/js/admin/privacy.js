// SPDX-License-Identifier: MIT
// Privacy, for admins: find a client (GET /clients?q=), and on its page
// (#privacy/<id>) download everything held on it as a JSON file (GET
// /clients/{id}/export, saved through a blob and never shown on the page), or erase
// it (POST /clients/{id}/erase) once the admin has typed the client's name or the
// word the page asks for; the anonymised record the server answers is shown then.
import { ApiError, get, post, withQuery } from '../api.js';
import { h, fill, t, notify, loadingInto, failedInto } from '../shell.js';
import { errorText } from '../i18n.js';
import { businessDate } from '../format.js';
import { shortDate } from '../desk/format.js';
import { badge, facts, field, formError, submitForm } from '../desk/common.js';

const search = { q: '' };

export function renderPrivacy(panel, rest) {
  const id = Number(rest);
  if (rest && Number.isInteger(id) && id > 0) renderClient(panel, id);
  else renderSearch(panel);
}

/** An erased record: the server's "erased" name and no way left to reach anyone. */
function isErased(c) {
  return c.full_name === 'erased' && !c.email && !c.phone && !c.guardian;
}

const squash = (s) => String(s ?? '').replace(/\s+/g, ' ').trim().toLocaleLowerCase();

/* ---- search ---------------------------------------------------------------- */

function renderSearch(panel) {
  const results = h('div', { class: 'privacy-results' });
  const input = h('input', { type: 'search', name: 'q', id: 'privacy-q', value: search.q, autocomplete: 'off',
    placeholder: t('admin.privacy.search_placeholder') });
  const form = h('form', { role: 'search', class: 'search-form', 'aria-label': t('admin.privacy.search') },
    h('label', { for: 'privacy-q' }, t('admin.privacy.search')),
    h('div', { class: 'search-row' }, input, h('button', { type: 'submit' }, t('admin.privacy.search_button'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    search.q = input.value.trim();
    load();
  });
  fill(panel,
    h('h2', {}, t('admin.privacy.title')),
    h('p', { class: 'muted' }, t('admin.privacy.intro')),
    h('div', { class: 'card' }, form, results));

  let after = null;
  let asked = 0; // only the answer to the latest search is shown
  async function load(more = false) {
    const mine = ++asked;
    if (!search.q) {
      fill(results, h('p', { class: 'muted' }, t('admin.privacy.search_first')));
      return;
    }
    if (!more) { after = null; loadingInto(results); }
    try {
      const page = await get(withQuery('/clients', { q: search.q, limit: 50, after }));
      if (mine !== asked) return;
      after = page.next_after;
      const items = page.items.map(clientItem);
      if (more) {
        results.querySelector('ul.privacy-clients').append(...items);
        results.querySelector('.more')?.remove();
      } else if (!items.length) {
        fill(results, h('p', { class: 'empty', role: 'status' }, t('admin.privacy.none_found', { q: search.q })));
        return;
      } else {
        fill(results,
          h('p', { class: 'muted small', role: 'status' }, t('admin.privacy.results', { count: page.items.length, q: search.q })),
          h('ul', { class: 'plain items privacy-clients' }, items));
      }
      if (after) {
        results.append(h('button', { type: 'button', class: 'secondary more', onclick: () => load(true) }, t('desk.more')));
      }
    } catch (err) {
      if (mine === asked) failedInto(results, err, () => load(more));
    }
  }
  load();
}

function clientItem(c) {
  const bits = [c.email, c.phone].filter(Boolean).join(' · ');
  return h('li', { 'data-client-id': c.id },
    h('div', { class: 'item-head' },
      h('a', { href: `#privacy/${c.id}`, class: 'client-name' }, c.full_name),
      isErased(c) ? badge(t('admin.privacy.erased_badge'), 'danger') : null),
    bits ? h('p', { class: 'muted small' }, bits) : null);
}

/* ---- one client ------------------------------------------------------------ */

function renderClient(panel, id) {
  const content = h('div', { class: 'privacy-record' });
  fill(panel,
    h('p', { class: 'back' }, h('a', { href: '#privacy' }, `‹ ${t('admin.privacy.back')}`)),
    content);
  const load = async () => {
    loadingInto(content);
    try {
      showClient(content, await get(`/clients/${id}`));
    } catch (err) {
      failedInto(content, err, load);
    }
  };
  load();
}

function showClient(content, client, { justErased = false } = {}) {
  const erased = isErased(client);
  const g = client.guardian;
  const heading = h('h2', { id: 'privacy-client-name', tabindex: '-1' }, client.full_name);
  fill(content,
    h('header', { class: 'record-head' },
      h('div', {},
        heading,
        h('p', { class: 'record-badges' },
          erased ? badge(t('admin.privacy.erased_badge'), 'danger')
            : badge(client.user_id ? t('admin.privacy.has_login') : t('admin.privacy.no_login'))))),
    justErased ? h('p', { class: 'notice success' }, t('admin.privacy.erased_lead')) : null,
    h('div', { class: 'privacy-grid' },
      h('section', { class: 'card', 'aria-labelledby': 'privacy-held' },
        h('h3', { id: 'privacy-held' }, t(erased ? 'admin.privacy.kept' : 'admin.privacy.held')),
        facts([
          [t('staff.client.full_name'), h('span', { 'data-field': 'full_name' }, client.full_name)],
          [t('common.email'), h('span', { 'data-field': 'email' }, client.email || '—')],
          [t('staff.client.phone'), h('span', { 'data-field': 'phone' }, client.phone || '—')],
          [t('staff.client.guardian'), g ? [g.full_name, g.phone, g.email].filter(Boolean).join(' · ') : '—'],
          [t('staff.client.notes'), client.notes ? h('span', { class: 'pre' }, client.notes) : '—'],
          [t('staff.client.since'), shortDate(client.created_at)],
        ])),
      exportCard(client),
      erased ? h('section', { class: 'card', 'aria-labelledby': 'privacy-erase' },
        h('h3', { id: 'privacy-erase' }, t('admin.privacy.erase_title')),
        h('p', {}, t('admin.privacy.already_erased')))
        : eraseCard(content, client)));
  if (justErased) heading.focus();
}

function exportCard(client) {
  const status = h('p', { class: 'small export-status', role: 'status' });
  const button = h('button', { type: 'button', class: 'secondary', id: 'privacy-export' }, t('admin.privacy.export'));
  button.addEventListener('click', async () => {
    button.disabled = true;
    status.classList.remove('field-error');
    fill(status, t('admin.privacy.exporting'));
    try {
      const data = await get(`/clients/${client.id}/export`);
      const file = `harreman-client-${client.id}-${businessDate(Date.now())}.json`;
      const url = URL.createObjectURL(new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: 'application/json' }));
      const link = h('a', { href: url, download: file, hidden: true });
      document.body.append(link);
      link.click();
      link.remove();
      // The browser has the file once the click is handled; the URL may go a little later.
      setTimeout(() => URL.revokeObjectURL(url), 60e3);
      fill(status, t('admin.privacy.exported', { file }));
    } catch (err) {
      status.classList.add('field-error');
      fill(status, errorText(err), ' ', t('admin.privacy.export_again'));
    } finally {
      button.disabled = false;
    }
  });
  return h('section', { class: 'card', 'aria-labelledby': 'privacy-export-title' },
    h('h3', { id: 'privacy-export-title' }, t('admin.privacy.export_title')),
    h('p', {}, t('admin.privacy.export_intro')),
    button, status);
}

function eraseCard(content, client) {
  const word = t('admin.privacy.confirm_word');
  const form = h('form', { class: 'erase-form', novalidate: true },
    formError(),
    field('privacy-confirm', t('admin.privacy.confirm_label'),
      h('input', { name: 'confirm', autocomplete: 'off', spellcheck: 'false' }),
      t('admin.privacy.confirm_hint', { name: client.full_name, word })),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'danger' }, t('admin.privacy.erase'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    let failure = null;
    const erased = await submitForm(form, async (v) => {
      try {
        const typed = squash(v.confirm);
        if (!typed || (typed !== squash(client.full_name) && typed !== squash(word)))
          throw new ApiError(422, 'validation_failed', '', { confirm: 'does not match' });
        return await post(`/clients/${client.id}/erase`);
      } catch (err) {
        failure = err;
        throw err;
      }
    });
    if (erased) {
      notify(t('admin.privacy.erased_notice'), 'success');
      showClient(content, erased, { justErased: true });
      return;
    }
    const box = form.querySelector('[data-role=form-error]');
    if (failure && failure.fields && failure.fields.confirm) {
      const note = form.querySelector('#privacy-confirm-error');
      if (note) note.textContent = t('admin.privacy.confirm_mismatch', { name: client.full_name, word });
      box.hidden = true;
      form.elements.namedItem('confirm').focus();
    } else if (failure && failure.code === 'conflict') {
      fill(box, t('admin.privacy.last_admin'));
    }
  });
  return h('section', { class: 'card danger-zone', 'aria-labelledby': 'privacy-erase' },
    h('h3', { id: 'privacy-erase' }, t('admin.privacy.erase_title')),
    h('p', {}, t('admin.privacy.erase_intro')),
    h('ul', { class: 'erase-effects' },
      ['gone', 'user', 'messages', 'community', 'kept'].map((k) => h('li', {}, t(`admin.privacy.erase_${k}`)))),
    form);
}
