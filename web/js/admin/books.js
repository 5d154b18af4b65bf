// SPDX-License-Identifier: MIT
// The accountant's book and the year's chart (admin, "Books" tab): a year and a
// quarter choose the four downloads of GET /reports/book.csv (issued invoices or
// payments, as RFC 4180 or as the semicolon CSV a Spanish or Basque spreadsheet
// opens in columns; plain links, the browser saves them), and the chart of what was
// invoiced and collected each month (GET /reports/monthly), drawn here as SVG: the
// picture has a title and a description for screen readers, and the same figures
// follow in a table.
import { get } from '../api.js';
import { h, fill, t, loadingInto, failedInto } from '../shell.js';
import { businessDate, money } from '../format.js';
import { field, selectBox } from '../desk/common.js';
import { svg } from '../desk/chart.js';

const BOOKS = ['invoices', 'payments'];
const DIALECTS = ['rfc4180', 'semicolon'];

export function renderBooks(panel) {
  const today = businessDate(Date.now());
  const state = { year: Number(today.slice(0, 4)), quarter: Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1 };
  const links = h('ul', { class: 'plain book-links', id: 'book-links' });
  const chart = h('div', { id: 'book-chart' });
  const yearInput = h('input', { name: 'year', type: 'number', min: 2000, max: 2999, value: state.year, inputmode: 'numeric' });
  const quarterSelect = selectBox({ name: 'quarter' },
    [1, 2, 3, 4].map((n) => ({ value: String(n), label: t('admin.books.quarter_n', { n }) })), String(state.quarter));
  const drawLinks = () => {
    fill(links, BOOKS.flatMap((book) => DIALECTS.map((dialect) => {
      const q = `year=${state.year}&quarter=${state.quarter}&book=${book}&dialect=${dialect}`;
      const name = `${book}-${state.year}-Q${state.quarter}${dialect === 'semicolon' ? '-es' : ''}.csv`;
      return h('li', {},
        h('a', { class: 'button secondary', id: `book-${book}-${dialect}`, href: `/api/v1/reports/book.csv?${q}`, download: name },
          `${t(`admin.books.${book}`)} · ${t(`admin.books.${dialect}`)}`));
    })));
  };
  const loadChart = async () => {
    loadingInto(chart);
    try {
      drawChart(chart, await get(`/reports/monthly?year=${state.year}`));
    } catch (err) {
      failedInto(chart, err, loadChart);
    }
  };
  const changed = () => {
    const y = Number(yearInput.value);
    if (!Number.isInteger(y) || y < 2000 || y > 2999) return;
    const yearChanged = y !== state.year;
    state.year = y;
    state.quarter = Number(quarterSelect.value);
    drawLinks();
    if (yearChanged) loadChart();
  };
  yearInput.addEventListener('change', changed);
  quarterSelect.addEventListener('change', changed);
  fill(panel,
    h('h2', {}, t('admin.books.title')),
    h('p', { class: 'muted' }, t('admin.books.intro')),
    h('div', { class: 'card' },
      h('div', { class: 'form-grid' },
        field('book-year', t('admin.books.year'), yearInput),
        field('book-quarter', t('admin.books.quarter'), quarterSelect)),
      links,
      h('p', { class: 'hint' }, t('admin.books.dialect_hint'))),
    h('h3', { id: 'book-chart-heading' }, t('admin.books.chart')),
    chart);
  drawLinks();
  loadChart();
}

/** Bars of invoiced and collected per month, and the same figures as a table. */
function drawChart(container, report) {
  const W = 720, H = 240, top = 16, bottom = 28, left = 8, band = (W - left * 2) / 12;
  const max = Math.max(1, ...report.months.flatMap((m) => [m.invoiced_cents, m.collected_cents]));
  const y = (cents) => Math.round((H - top - bottom) * Math.max(0, cents) / max);
  const label = (m) => t(`admin.books.month.${Number(m.month.slice(5, 7))}`);
  const bars = report.months.map((m, i) => {
    const x = left + i * band;
    const bw = band * 0.36;
    const hi = y(m.invoiced_cents), hc = y(m.collected_cents);
    return svg('g', { 'data-month': m.month },
      svg('rect', { class: 'bar-invoiced', x: x + band * 0.12, y: H - bottom - hi, width: bw, height: hi }),
      svg('rect', { class: 'bar-collected', x: x + band * 0.12 + bw, y: H - bottom - hc, width: bw, height: hc }),
      svg('text', { x: x + band / 2, y: H - 8, 'text-anchor': 'middle' }, label(m)));
  });
  const title = t('admin.books.chart_title', { year: report.year });
  const desc = t('admin.books.chart_desc', { invoiced: money(report.invoiced_cents), collected: money(report.collected_cents) });
  const picture = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'chart',
    'aria-labelledby': 'book-chart-title book-chart-desc', id: 'book-chart-svg' },
    svg('title', { id: 'book-chart-title' }, title),
    svg('desc', { id: 'book-chart-desc' }, desc),
    svg('line', { class: 'axis', x1: left, x2: W - left, y1: H - bottom, y2: H - bottom }),
    bars);
  const legend = h('p', { class: 'chart-legend' },
    h('span', { class: 'key key-invoiced' }), ` ${t('admin.books.invoiced')} `,
    h('span', { class: 'key key-collected' }), ` ${t('admin.books.collected')}`);
  const table = h('table', { class: 'data', id: 'book-chart-table' },
    h('caption', {}, title),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, t('admin.books.month')),
      h('th', { scope: 'col' }, t('admin.books.invoiced')),
      h('th', { scope: 'col' }, t('admin.books.collected')))),
    h('tbody', {}, report.months.map((m) => h('tr', { 'data-month': m.month },
      h('th', { scope: 'row' }, label(m)),
      h('td', { class: 'num' }, money(m.invoiced_cents)),
      h('td', { class: 'num' }, money(m.collected_cents))))));
  fill(container, picture, legend, h('p', {}, desc), table);
}
