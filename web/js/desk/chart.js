// SPDX-License-Identifier: MIT
// Bar charts drawn by the page as SVG, for the admin's figures (the books' months,
// the loyalty review): each picture has a title and a description for screen
// readers (role=img, aria-labelledby), a legend in words, and the same figures
// follow in a table, so nothing is only in the picture.
import { h } from '../dom.js';

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes and children. */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  for (const c of children.flat(Infinity)) if (c != null) el.append(c);
  return el;
}

/**
 * A bar chart with its legend and table. groups: [{key, label, values: [n, ...]}]
 * (one value per series); series: [{cls, label}] (cls colours the bars and the
 * legend's key); format(n) writes a value. id names the figure's parts for tests
 * (#id-svg, #id-table; each group's bars and row carry data-key).
 */
export function barChart({ id, title, desc, groups, series, format, rowHeader }) {
  const W = 720, H = 240, top = 22, bottom = 28, left = 8;
  const band = (W - left * 2) / Math.max(1, groups.length);
  const max = Math.max(1, ...groups.flatMap((g) => g.values));
  const y = (v) => Math.round((H - top - bottom) * Math.max(0, v) / max);
  const bw = (band * 0.76) / series.length;
  const bars = groups.map((g, i) => {
    const x0 = left + i * band + band * 0.12;
    return svg('g', { 'data-key': g.key },
      g.values.map((v, s) => {
        const hv = y(v), x = x0 + s * bw;
        return [
          svg('rect', { class: series[s].cls, x, y: H - bottom - hv, width: Math.max(1, bw - 2), height: hv }),
          svg('text', { class: 'value', x: x + bw / 2, y: H - bottom - hv - 4, 'text-anchor': 'middle' }, format(v)),
        ];
      }),
      svg('text', { x: left + i * band + band / 2, y: H - 8, 'text-anchor': 'middle' }, g.label));
  });
  const picture = svg('svg', {
    viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'chart', id: `${id}-svg`,
    'aria-labelledby': `${id}-title ${id}-desc`,
  },
  svg('title', { id: `${id}-title` }, title),
  svg('desc', { id: `${id}-desc` }, desc),
  svg('line', { class: 'axis', x1: left, x2: W - left, y1: H - bottom, y2: H - bottom }),
  bars);
  const legend = series.length > 1
    ? h('p', { class: 'chart-legend' }, series.flatMap((s) => [h('span', { class: `key ${s.cls}` }), ` ${s.label} `]))
    : null;
  const table = h('table', { class: 'data', id: `${id}-table` },
    h('caption', {}, title),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, rowHeader),
      series.map((s) => h('th', { scope: 'col' }, s.label)))),
    h('tbody', {}, groups.map((g) => h('tr', { 'data-key': g.key },
      h('th', { scope: 'row' }, g.label),
      g.values.map((v) => h('td', { class: 'num' }, format(v)))))));
  return h('figure', { class: 'chart-figure', id },
    picture, legend, h('figcaption', { class: 'small' }, desc),
    h('div', { class: 'table-wrap', role: 'region', tabindex: '0', 'aria-label': title }, table));
}
