// SPDX-License-Identifier: MIT
// The TicketBAI submissions: GET /tbai/submissions, one row per attempt to send a
// signed invoice to the treasury (when, the HTTP status, the answer's state and
// codes, or the network error), newest page last as the server lists them, and
// "send again" for an invoice (POST /invoices/{id}/tbai/retry, 202).
import { get, post, withQuery } from '../api.js';
import { h, fill, t, notify, loadingInto, failedInto } from '../shell.js';
import { errorText } from '../i18n.js';
import { dateTime } from '../format.js';

const PAGE = 50;

function stateText(s) {
  if (s.estado === '00') return t('admin.tbai.accepted');
  if (s.estado === '01') return t('admin.tbai.rejected');
  return s.http_status ? t('admin.tbai.answered', { status: s.http_status }) : t('admin.tbai.no_answer');
}

export function renderTbai(panel) {
  const body = h('div', {});
  fill(panel,
    h('h2', {}, t('admin.tbai.title')),
    h('p', { class: 'muted' }, t('admin.tbai.intro')),
    body);
  let after = null;
  const rows = h('tbody', {});
  const footer = h('div', {});
  const retry = async (button, invoiceId) => {
    button.disabled = true;
    try {
      await post(`/invoices/${invoiceId}/tbai/retry`);
      notify(t('admin.tbai.retried', { id: invoiceId }), 'success');
    } catch (err) {
      notify(errorText(err), 'error');
    }
    button.disabled = false;
  };
  const row = (s) => h('tr', { 'data-submission-id': s.id },
    h('td', { 'data-label': t('admin.tbai.col.invoice') }, `#${s.invoice_id}`),
    h('td', { 'data-label': t('admin.tbai.col.attempt') }, String(s.attempt)),
    h('td', { 'data-label': t('admin.tbai.col.sent_at') }, dateTime(s.sent_at)),
    h('td', { 'data-label': t('admin.tbai.col.state'), 'data-field': 'state' }, stateText(s)),
    h('td', { 'data-label': t('admin.tbai.col.detail') }, s.codes || s.error || ''),
    h('td', {}, h('button', {
      type: 'button', class: 'secondary', 'data-action': 'retry',
      onclick: (event) => retry(event.currentTarget, s.invoice_id),
    }, t('admin.tbai.retry'), h('span', { class: 'visually-hidden' }, ` #${s.invoice_id}`))));
  const load = async (more = false) => {
    if (!more) { after = null; loadingInto(body); } else loadingInto(footer);
    try {
      const page = await get(withQuery('/tbai/submissions', { limit: PAGE, after }));
      after = page.next_after;
      if (!more) {
        if (!page.items.length) { fill(body, h('p', { class: 'empty' }, t('admin.tbai.none'))); return; }
        rows.replaceChildren();
        fill(body,
          h('div', { class: 'table-wrap' }, h('table', { class: 'stacked', id: 'tbai-submissions' },
            h('caption', { class: 'visually-hidden' }, t('admin.tbai.title')),
            h('thead', {}, h('tr', {},
              ['invoice', 'attempt', 'sent_at', 'state', 'detail'].map((c) => h('th', { scope: 'col' }, t(`admin.tbai.col.${c}`))),
              h('td', {}))),
            rows)),
          footer);
      }
      rows.append(...page.items.map(row));
      fill(footer, after
        ? h('button', { type: 'button', class: 'secondary', onclick: () => load(true) }, t('admin.tbai.more'))
        : null);
    } catch (err) {
      failedInto(more ? footer : body, err, () => load(more));
    }
  };
  load();
}
