// SPDX-License-Identifier: MIT
// The loyalty review: GET /reports/loyalty (every page) as a table sortable by any
// column (header buttons, so mouse and keyboard alike; aria-sort on the sorted
// column), the totals of discounts granted, and the report's own CSV download
// (a plain link: the browser sends the session cookie with it).
import { h, fill, t, loadingInto, failedInto } from '../shell.js';
import { currentLanguage } from '../i18n.js';
import { money } from '../format.js';
import { percent, shortDate } from '../desk/format.js';
import { fetchAll } from '../desk/common.js';

const COLUMNS = [
  { key: 'full_name', type: 'text' },
  { key: 'contracts', type: 'number' },
  { key: 'current_percent', type: 'number' },
  { key: 'next_percent', type: 'number' },
  { key: 'discount_total_cents', type: 'number' },
  { key: 'last_contract_at', type: 'text' },
  { key: 'family_id', type: 'number' }, // contracts and percents are the family's
];
const sort = { key: 'discount_total_cents', dir: 'descending' };

export function renderLoyalty(panel) {
  const body = h('div', {});
  fill(panel,
    h('div', { class: 'section-head' },
      h('h2', {}, t('admin.loyalty.title')),
      h('a', { class: 'button secondary', href: '/api/v1/reports/loyalty?format=csv', download: 'loyalty.csv' },
        t('admin.loyalty.csv'))),
    h('p', { class: 'muted' }, t('admin.loyalty.intro')),
    body);
  const load = async () => {
    loadingInto(body);
    try {
      const rows = await fetchAll('/reports/loyalty');
      show(body, rows);
    } catch (err) {
      failedInto(body, err, load);
    }
  };
  load();
}

function cell(row, key) {
  switch (key) {
    case 'full_name': return row.full_name;
    case 'contracts': return String(row.contracts);
    case 'current_percent': return row.current_percent ? percent(row.current_percent) : '—';
    case 'next_percent': return row.next_percent === null ? t('admin.loyalty.at_cap') : percent(row.next_percent);
    case 'discount_total_cents': return money(row.discount_total_cents);
    case 'family_id': return `#${row.family_id}`;
    default: return shortDate(row.last_contract_at);
  }
}

function compare(a, b) {
  const col = COLUMNS.find((c) => c.key === sort.key);
  let d;
  if (col.key === 'full_name') d = a.full_name.localeCompare(b.full_name, currentLanguage());
  else if (col.type === 'number') {
    // At the cap (null) sorts above every next percent.
    const v = (r) => (r[col.key] === null ? Infinity : r[col.key]);
    d = v(a) - v(b);
  } else d = String(a[col.key]).localeCompare(String(b[col.key]));
  if (d === 0) d = a.client_id - b.client_id;
  return sort.dir === 'ascending' ? d : -d;
}

function show(body, rows) {
  if (!rows.length) {
    fill(body, h('p', { class: 'empty' }, t('admin.loyalty.none')));
    return;
  }
  const sum = (k) => rows.reduce((s, r) => s + r[k], 0);
  const withDiscount = rows.filter((r) => r.current_percent > 0).length;
  const table = h('table', { class: 'report' });
  const draw = () => {
    const sorted = [...rows].sort(compare);
    fill(table,
      h('caption', { class: 'visually-hidden' }, t('admin.loyalty.caption')),
      h('thead', {}, h('tr', {}, COLUMNS.map((c) => {
        const active = sort.key === c.key;
        return h('th', {
          scope: 'col', class: c.type === 'number' && c.key !== 'full_name' ? 'num' : null,
          'aria-sort': active ? sort.dir : null,
        }, h('button', {
          type: 'button', class: 'sort', 'data-sort': c.key,
          onclick: () => {
            sort.dir = active ? (sort.dir === 'ascending' ? 'descending' : 'ascending')
              : (c.type === 'number' ? 'descending' : 'ascending');
            sort.key = c.key;
            draw();
            table.querySelector(`button[data-sort="${c.key}"]`).focus();
          },
        }, t(`admin.loyalty.col.${c.key}`),
        h('span', { class: 'sort-mark', 'aria-hidden': 'true' },
          active ? (sort.dir === 'ascending' ? ' ▲' : ' ▼') : ' ↕')));
      }))),
      h('tbody', {}, sorted.map((r) => h('tr', { 'data-client-id': r.client_id },
        COLUMNS.map((c) => (c.key === 'full_name'
          ? h('th', { scope: 'row' }, r.full_name)
          : h('td', { class: c.type === 'number' ? 'num' : null }, cell(r, c.key))))))),
      h('tfoot', {}, h('tr', {},
        h('th', { scope: 'row' }, t('admin.loyalty.total')),
        h('td', { class: 'num' }, String(sum('contracts'))),
        h('td', {}), h('td', {}),
        h('td', { class: 'num', 'data-field': 'discount_total' }, money(sum('discount_total_cents'))),
        h('td', {}))));
  };
  draw();
  fill(body,
    h('div', { class: 'stats' },
      stat(t('admin.loyalty.stat_discounts'), money(sum('discount_total_cents')), 'discounts'),
      stat(t('admin.loyalty.stat_clients'), String(rows.length), 'clients'),
      stat(t('admin.loyalty.stat_contracts'), String(sum('contracts')), 'contracts'),
      stat(t('admin.loyalty.stat_with_discount'), String(withDiscount), 'with_discount')),
    h('p', { class: 'small muted' }, t('admin.loyalty.sort_hint')),
    h('div', { class: 'table-wrap', role: 'region', tabindex: '0', 'aria-label': t('admin.loyalty.caption') }, table));
}

function stat(label, value, name) {
  return h('div', { class: 'stat card' },
    h('p', { class: 'stat-value', 'data-stat': name }, value),
    h('p', { class: 'stat-label' }, label));
}
