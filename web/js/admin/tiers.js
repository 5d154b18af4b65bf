// SPDX-License-Identifier: MIT
// The discount tier editor: GET /discount-tiers, rows to change, add or remove, and
// PUT /discount-tiers. The page checks every row before sending, with the server's
// own bounds read from GET /limits (whole numbers, ordinals from tier_ordinal_min and
// rising, percents tier_percent_min..tier_percent_max and rising), flags every row
// that breaks one, and describes only tiers that hold; a 422 for "items[i]" is still
// shown, translated, on row i. New tiers apply to new contracts only, as it says.
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

function tierText(message, limits) {
  const hit = TIER_MESSAGES.find(([needle]) => String(message).includes(needle));
  return hit ? t(hit[1], boundsOf(hit[1], limits)) : fieldText(message);
}

/** The numbers a tier message names, from GET /limits. */
function boundsOf(key, limits) {
  if (key === 'admin.tiers.err_ordinal_min') return { min: limits.tier_ordinal_min };
  if (key === 'admin.tiers.err_percent_range') return { min: limits.tier_percent_min, max: limits.tier_percent_max };
  if (key === 'admin.tiers.err_too_many') return { max: limits.tiers_max };
  return {};
}

/**
 * Every problem of the rows [{from_ordinal, percent}] (strings as typed), as
 * [{index, key}]: the server's rules with the server's numbers (limits).
 */
export function tierProblems(tiers, limits) {
  const problems = [];
  const whole = (s) => /^-?\d+$/.test(s);
  tiers.forEach((x, i) => {
    if (!whole(x.from_ordinal) || !whole(x.percent)) {
      problems.push({ index: i, key: 'admin.tiers.err_whole' });
      return;
    }
    const from = Number(x.from_ordinal);
    const pct = Number(x.percent);
    if (from < limits.tier_ordinal_min) problems.push({ index: i, key: 'admin.tiers.err_ordinal_min' });
    if (pct < limits.tier_percent_min || pct > limits.tier_percent_max)
      problems.push({ index: i, key: 'admin.tiers.err_percent_range' });
    const prev = tiers[i - 1];
    if (i > 0 && whole(prev.from_ordinal) && whole(prev.percent)) {
      if (from <= Number(prev.from_ordinal)) problems.push({ index: i, key: 'admin.tiers.err_ordinal_rise' });
      if (pct <= Number(prev.percent)) problems.push({ index: i, key: 'admin.tiers.err_percent_rise' });
    }
  });
  if (tiers.length > limits.tiers_max) problems.push({ index: -1, key: 'admin.tiers.err_too_many' });
  return problems;
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
      const [{ items }, limits] = await Promise.all([get('/discount-tiers'), get('/limits')]);
      editor(body, items, load, limits);
    } catch (err) {
      failedInto(body, err, load);
    }
  };
  load();
}

let rowCount = 0;

function editor(body, items, reload, limits) {
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
  const typed = () => [...rows.children].map((tr) => {
    const [from, pct] = tr.querySelectorAll('input');
    return { from_ordinal: from.value.trim(), percent: pct.value.trim() };
  });
  const renumber = () => {
    const wrong = new Set(tierProblems(typed(), limits).map((p) => p.index));
    [...rows.children].forEach((tr, i) => {
      tr.dataset.index = i;
      const [from, pct] = tr.querySelectorAll('input');
      tr.querySelector('.label-from').textContent = t('admin.tiers.row_from', { n: i + 1 });
      tr.querySelector('.label-percent').textContent = t('admin.tiers.row_percent', { n: i + 1 });
      tr.querySelector('.remove .visually-hidden').textContent = ` ${t('admin.tiers.row', { n: i + 1 })}`;
      const f = Number(from.value);
      const p = Number(pct.value);
      // Only a tier that holds is described (never "150 %").
      tr.querySelector('.meaning').textContent = !wrong.has(i) && Number.isInteger(f) && Number.isInteger(p)
        && from.value && pct.value ? t('admin.tiers.row_meaning', { ordinal: f, percent: percent(p) }) : '';
    });
  };
  function addRow(tier = { from_ordinal: '', percent: '' }) {
    const n = ++rowCount;
    const tr = h('tr', { class: 'tier-row' },
      h('td', { 'data-label': t('admin.tiers.from_ordinal') },
        h('label', { class: 'visually-hidden label-from', for: `tier-${n}-from` }),
        h('input', { id: `tier-${n}-from`, type: 'number', inputmode: 'numeric', min: limits.tier_ordinal_min, step: 1,
          name: 'from_ordinal', value: tier.from_ordinal, required: true })),
      h('td', { 'data-label': t('admin.tiers.percent') },
        h('label', { class: 'visually-hidden label-percent', for: `tier-${n}-percent` }),
        h('input', {
          id: `tier-${n}-percent`, type: 'number', inputmode: 'numeric',
          min: limits.tier_percent_min, max: limits.tier_percent_max, step: 1,
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
    const old = tr.querySelector('.row-error');
    if (old) { old.append(' ', text); return true; }
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
    const tiers = typed();
    // Every row that breaks the server's rules is flagged at once; nothing is sent.
    const problems = tierProblems(tiers, limits);
    if (problems.length) {
      const loose = [];
      for (const p of problems) {
        const text = t(p.key, boundsOf(p.key, limits));
        if (!rowError(p.index, text)) loose.push(text);
      }
      fill(box, t('error.validation_failed'));
      if (loose.length) box.append(h('ul', {}, loose.map((x) => h('li', {}, x))));
      box.hidden = false;
      (rows.querySelector('[aria-invalid]') || rows.querySelector('input'))?.focus();
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
        if (!m || !rowError(Number(m[1]), tierText(message, limits))) loose.push(tierText(message, limits));
      }
      if (loose.length) box.append(h('ul', {}, loose.map((x) => h('li', {}, x))));
      rows.querySelector('[aria-invalid]')?.focus();
      return;
    }
    notify(t('admin.tiers.saved'), 'success');
    editor(body, saved.items, reload, limits);
  });
  fill(body, form);
  if (!items.length) body.prepend(h('p', { class: 'empty' }, t('admin.tiers.none')));
}
