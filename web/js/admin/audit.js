// SPDX-License-Identifier: MIT
// The audit log: GET /audit?order=newest one page at a time (newest first; "load
// more" follows next_after to older ones), each entry with when, who (by name), what
// (in words) and on which record (by name), and the change's detail as "field: value".
import { get, withQuery } from '../api.js';
import { h, fill, t, loadingInto, failedInto } from '../shell.js';
import { hasKey } from '../i18n.js';
import { dateTime } from '../format.js';

const PAGE = 50;

export function renderAudit(panel) {
  const body = h('div', {});
  fill(panel,
    h('h2', {}, t('admin.audit.title')),
    h('p', { class: 'muted' }, t('admin.audit.intro')),
    body);
  let after = null;
  let shown = 0;
  const rows = h('tbody', {});
  const footer = h('div', { class: 'audit-footer' });
  const load = async (more = false) => {
    if (!more) { after = null; shown = 0; loadingInto(body); } else loadingInto(footer);
    try {
      const page = await get(withQuery('/audit', { order: 'newest', limit: PAGE, after }));
      after = page.next_after;
      shown += page.items.length;
      if (!more) {
        if (!page.items.length) { fill(body, h('p', { class: 'empty' }, t('admin.audit.none'))); return; }
        rows.replaceChildren();
        fill(body,
          h('div', { class: 'table-wrap' }, h('table', { class: 'audit stacked' },
            h('caption', { class: 'visually-hidden' }, t('admin.audit.title')),
            h('thead', {}, h('tr', {},
              ['at', 'who', 'action', 'entity', 'detail'].map((c) => h('th', { scope: 'col' }, t(`admin.audit.col.${c}`))))),
            rows)),
          footer);
      }
      rows.append(...page.items.map(entryRow));
      fill(footer,
        h('p', { class: 'small muted', role: 'status' }, t('admin.audit.shown', { count: shown })),
        after ? h('button', { type: 'button', class: 'secondary', onclick: () => load(true) }, t('admin.audit.more'))
          : h('p', { class: 'small muted' }, t('admin.audit.end')));
    } catch (err) {
      failedInto(more ? footer : body, err, () => load(more));
    }
  };
  load();
}

/** The detail as "field: value · field: value" (nested values kept short). */
function detailText(detail) {
  if (!detail || typeof detail !== 'object') return '';
  return Object.entries(detail).map(([key, value]) => {
    let shown = value;
    if (value === null) shown = '—';
    else if (Array.isArray(value)) shown = value.map((v) => (typeof v === 'object' ? JSON.stringify(v) : v)).join(', ');
    else if (typeof value === 'object') shown = JSON.stringify(value);
    return `${key.replace(/_/g, ' ')}: ${shown}`;
  }).join(' · ');
}

/** The record: its kind in words and its name (or number when it has none). */
function entityText(entry) {
  const kind = hasKey(`admin.audit.entity.${entry.entity}`) ? t(`admin.audit.entity.${entry.entity}`) : entry.entity;
  if (entry.entity_name) return `${kind}: ${entry.entity_name}`;
  return entry.entity_id ? `${kind} #${entry.entity_id}` : kind;
}

function entryRow(entry) {
  const actionKey = `admin.audit.action.${entry.action}`;
  const detail = detailText(entry.detail);
  return h('tr', { 'data-audit-id': entry.id },
    h('td', { 'data-label': t('admin.audit.col.at') }, dateTime(entry.at)),
    h('td', { 'data-label': t('admin.audit.col.who'), title: entry.actor_email || null },
      entry.actor_name || entry.actor_email || t('admin.audit.system')),
    h('td', { 'data-label': t('admin.audit.col.action') },
      hasKey(actionKey) ? t(actionKey) : h('code', {}, entry.action)),
    h('td', { 'data-label': t('admin.audit.col.entity') }, entityText(entry)),
    h('td', { 'data-label': t('admin.audit.col.detail') },
      detail ? h('span', { class: 'detail' }, detail.length > 160 ? `${detail.slice(0, 160)}…` : detail) : '—'));
}
