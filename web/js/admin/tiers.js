// SPDX-License-Identifier: MIT
// The discount tier editor: GET /discount-tiers, rows to change, add or remove, and
// PUT /discount-tiers. The page only checks that each box holds a whole number; the
// server decides the rest (ordinals from 2 and rising, percents 1-100 and rising),
// and its 422 for "items[i]" is shown, translated, on row i. New tiers apply to new
// contracts only, and the page says so.
import { get, put } from '../api.js';
import { h, fill, t, notify, loadingInto, failedInto, submitting } from '../shell.js';
import { fieldText } from '../i18n.js';
import { percent } from '../desk/format.js';
import { formError } from '../desk/common.js';

// The server's messages for a tier, and the sentence each one means.
const TIER_MESSAGES = [
  ['from_ordinal must be 2', 'admin.tiers.err_ordinal_min'],
  ['percent must be from 1 to 100', 'admin.tiers.err_percent_range'],
  ['from_ordinal must rise', 'admin.tiers.err_ordinal_rise'],
  ['percent must rise', 'admin.tiers.err_percent_rise'],
  ['whole numbers', 'admin.tiers.err_whole'],
  ['at most 20', 'admin.tiers.err_too_many'],
];

function tierText(message) {
  const hit = TIER_MESSAGES.find(([needle]) => String(message).includes(needle));
  return hit ? t(hit[1]) : fieldText(message);
}

export function renderTiers(panel) {
  const body = h('div', {});
  fill(panel,
    h('h2', {}, t('admin.tiers.title')),
    h('p', { class: 'notice info' }, t('admin.tiers.new_only')),
    body);
  const load = async () => {
    loadingInto(body);
    try {
      const { items } = await get('/discount-tiers');
      editor(body, items, load);
    } catch (err) {
      failedInto(body, err, load);
    }
  };
  load();
}

let rowCount = 0;

function editor(body, items, reload) {
  const rows = h('tbody', {});
  const form = h('form', { class: 'tiers-form', novalidate: true },
    formError(),
    h('div', { class: 'table-wrap' },
      h('table', { class: 'tier-table' },
        h('caption', { class: 'visually-hidden' }, t('admin.tiers.title')),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('admin.tiers.from_ordinal')),
          h('th', { scope: 'col' }, t('admin.tiers.percent')),
          h('th', { scope: 'col' }, t('admin.tiers.meaning')),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('admin.tiers.actions'))))),
        rows)),
    h('div', { class: 'form-actions split' },
      h('button', { type: 'button', class: 'secondary', onclick: () => { addRow(); focusLast(); } },
        t('admin.tiers.add')),
      h('span', {},
        h('button', { type: 'button', class: 'secondary', onclick: reload }, t('admin.tiers.reset')),
        ' ',
        h('button', { type: 'submit' }, t('admin.tiers.save')))));

  const focusLast = () => rows.lastElementChild?.querySelector('input')?.focus();
  const renumber = () => {
    [...rows.children].forEach((tr, i) => {
      tr.dataset.index = i;
      const [from, pct] = tr.querySelectorAll('input');
      tr.querySelector('.label-from').textContent = t('admin.tiers.row_from', { n: i + 1 });
      tr.querySelector('.label-percent').textContent = t('admin.tiers.row_percent', { n: i + 1 });
      tr.querySelector('.remove .visually-hidden').textContent = ` ${t('admin.tiers.row', { n: i + 1 })}`;
      const f = Number(from.value);
      const p = Number(pct.value);
      tr.querySelector('.meaning').textContent = Number.isInteger(f) && Number.isInteger(p) && from.value && pct.value
        ? t('admin.tiers.row_meaning', { ordinal: f, percent: percent(p) }) : '';
    });
  };
  function addRow(tier = { from_ordinal: '', percent: '' }) {
    const n = ++rowCount;
    const tr = h('tr', { class: 'tier-row' },
      h('td', { 'data-label': t('admin.tiers.from_ordinal') },
        h('label', { class: 'visually-hidden label-from', for: `tier-${n}-from` }),
        h('input', { id: `tier-${n}-from`, type: 'number', inputmode: 'numeric', min: 2, step: 1,
          name: 'from_ordinal', value: tier.from_ordinal, required: true })),
      h('td', { 'data-label': t('admin.tiers.percent') },
        h('label', { class: 'visually-hidden label-percent', for: `tier-${n}-percent` }),
        h('input', { id: `tier-${n}-percent`, type: 'number', inputmode: 'numeric', min: 1, max: 100, step: 1,
          name: 'percent', value: tier.percent, required: true })),
      h('td', { class: 'meaning small muted' }),
      h('td', {},
        h('button', { type: 'button', class: 'danger remove', onclick: () => {
          const next = tr.nextElementSibling || tr.previousElementSibling;
          tr.remove();
          renumber();
          (next?.querySelector('input') || form.querySelector('button'))?.focus();
        } }, t('admin.tiers.remove'), h('span', { class: 'visually-hidden' }))));
    rows.append(tr);
    renumber();
  }
  items.forEach(addRow);
  form.addEventListener('input', renumber);

  const clearRowErrors = () => {
    for (const note of form.querySelectorAll('.row-error')) note.remove();
    for (const input of rows.querySelectorAll('[aria-invalid]')) {
      input.removeAttribute('aria-invalid');
      input.removeAttribute('aria-describedby');
    }
  };
  const rowError = (index, text) => {
    const tr = rows.children[index];
    if (!tr) return false;
    const note = h('span', { class: 'field-error row-error', id: `tier-error-${index}` }, text);
    tr.querySelector('.meaning').append(note);
    for (const input of tr.querySelectorAll('input')) {
      input.setAttribute('aria-invalid', 'true');
      input.setAttribute('aria-describedby', note.id);
    }
    return true;
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearRowErrors();
    const box = form.querySelector('[data-role=form-error]');
    const tiers = [...rows.children].map((tr) => {
      const [from, pct] = tr.querySelectorAll('input');
      return { from_ordinal: from.value.trim(), percent: pct.value.trim() };
    });
    // The page's own check: whole numbers only; everything else is the server's call.
    const bad = tiers.map((x, i) => (/^-?\d+$/.test(x.from_ordinal) && /^-?\d+$/.test(x.percent) ? -1 : i))
      .filter((i) => i >= 0);
    if (bad.length) {
      for (const i of bad) rowError(i, t('admin.tiers.err_whole'));
      fill(box, t('error.validation_failed'));
      box.hidden = false;
      rows.children[bad[0]].querySelector('input').focus();
      return;
    }
    let failure = null;
    const saved = await submitting(form, async () => {
      try {
        return await put('/discount-tiers', {
          items: tiers.map((x) => ({ from_ordinal: Number(x.from_ordinal), percent: Number(x.percent) })),
        });
      } catch (err) {
        failure = err;
        throw err;
      }
    });
    if (!saved) {
      const fields = (failure && failure.fields) || {};
      const loose = [];
      for (const [name, message] of Object.entries(fields)) {
        const m = /^items\[(\d+)\]$/.exec(name);
        if (!m || !rowError(Number(m[1]), tierText(message))) loose.push(tierText(message));
      }
      if (loose.length) box.append(h('ul', {}, loose.map((x) => h('li', {}, x))));
      rows.querySelector('[aria-invalid]')?.focus();
      return;
    }
    notify(t('admin.tiers.saved'), 'success');
    editor(body, saved.items, reload);
  });
  fill(body, form);
  if (!items.length) body.prepend(h('p', { class: 'empty' }, t('admin.tiers.none')));
}
