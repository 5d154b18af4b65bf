// SPDX-License-Identifier: MIT
// The loyalty review: GET /reports/loyalty (every page) as a table sortable by any
// column (header buttons, so mouse and keyboard alike; aria-sort on the sorted
// column), the totals of discounts granted, and the report's own CSV download
// (a plain link: the browser sends the session cookie with it). Above it, the
// year's charts read at a glance (GET /reports/loyalty/review, drawn as SVG by
// web/js/desk/chart.js, each with its table): clients per tier, the discount given
// per month, gifts handed out against the stock left.
import { h, fill, t, loadingInto, failedInto } from '../shell.js';
import { currentLanguage } from '../i18n.js';
import { money } from '../format.js';
import { percent, shortDate } from '../desk/format.js';
import { fetchAll } from '../desk/common.js';
import { get } from '../api.js';
import { businessDate } from '../format.js';
import { barChart } from '../desk/chart.js';

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
  const charts = h('div', { class: 'loyalty-charts', id: 'loyalty-charts' });
  fill(panel,
    h('div', { class: 'section-head' },
      h('h2', {}, t('admin.loyalty.title')),
      h('a', { class: 'button secondary', href: '/api/v1/reports/loyalty?format=csv', download: 'loyalty.csv' },
        t('admin.loyalty.csv'))),
    h('p', { class: 'muted' }, t('admin.loyalty.intro')),
    charts,
    body);
  const year = Number(businessDate(Date.now()).slice(0, 4));
  const loadCharts = async () => {
    loadingInto(charts);
    try {
      drawCharts(charts, await get(`/reports/loyalty/review?year=${year}`));
    } catch (err) {
      failedInto(charts, err, loadCharts);
    }
  };
  loadCharts();
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

/** The three charts of the year's review, each with the same figures as a table. */
function drawCharts(container, review) {
  const count = (n) => String(n);
  const tierLabel = (tier) => (tier.from_ordinal === null
    ? t('admin.loyalty.chart.no_tier')
    : t('admin.loyalty.chart.tier', { percent: percent(tier.percent), ordinal: tier.from_ordinal }));
  const clients = review.tiers.reduce((s, tier) => s + tier.clients, 0);
  const handed = review.gifts.reduce((s, g) => s + g.handed_out, 0);
  const stock = review.gifts.reduce((s, g) => s + g.stock, 0);
  fill(container,
    h('h3', {}, t('admin.loyalty.chart.heading', { year: review.year })),
    barChart({
      id: 'loyalty-tiers', rowHeader: t('admin.loyalty.chart.tier_col'), format: count,
      title: t('admin.loyalty.chart.tiers_title'),
      desc: t('admin.loyalty.chart.tiers_desc', { clients, with_discount: clients - (review.tiers[0]?.clients ?? 0) }),
      series: [{ cls: 'bar-invoiced', label: t('admin.loyalty.chart.clients') }],
      groups: review.tiers.map((tier) => ({ key: String(tier.percent), label: tierLabel(tier), values: [tier.clients] })),
    }),
    barChart({
      id: 'loyalty-months', rowHeader: t('admin.books.month'), format: money,
      title: t('admin.loyalty.chart.months_title', { year: review.year }),
      desc: t('admin.loyalty.chart.months_desc', { total: money(review.discount_cents), year: review.year }),
      series: [{ cls: 'bar-invoiced', label: t('admin.loyalty.chart.discount') }],
      groups: review.months.map((m) => ({
        key: m.month, label: t(`admin.books.month.${Number(m.month.slice(5, 7))}`), values: [m.discount_cents],
      })),
    }),
    barChart({
      id: 'loyalty-gifts', rowHeader: t('admin.loyalty.chart.gift_col'), format: count,
      title: t('admin.loyalty.chart.gifts_title'),
      desc: t('admin.loyalty.chart.gifts_desc', { handed, stock }),
      series: [
        { cls: 'bar-invoiced', label: t('admin.loyalty.chart.handed_out') },
        { cls: 'bar-collected', label: t('admin.loyalty.chart.stock') }],
      groups: review.gifts.map((g) => ({ key: String(g.id), label: g.name, values: [g.handed_out, g.stock] })),
    }));
}

function stat(label, value, name) {
  return h('div', { class: 'stat card' },
    h('p', { class: 'stat-value', 'data-stat': name }, value),
    h('p', { class: 'stat-label' }, label));
}
