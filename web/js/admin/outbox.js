// SPDX-License-Identifier: MIT
// The outbox: every e-mail the server wrote (GET /outbox, oldest first as the server
// pages it, filtered by state; "load more" follows next_after), with its recipient,
// subject, kind, times in the business time zone and attempts. One message opens in a
// dialog (GET /outbox/{id}) with its body, shown as text, and its delivery log; a
// failed or unknown one can be sent again (POST /outbox/{id}/retry), an unknown one
// only after the admin has read why that may send a second copy.
import { get, post, withQuery } from '../api.js';
import { h, fill, t, notify, loadingInto, failedInto } from '../shell.js';
import { errorText, hasKey } from '../i18n.js';
import { dateTime } from '../format.js';
import { badge, confirmAction, facts, openDialog, selectBox } from '../desk/common.js';

const STATES = ['queued', 'sending', 'sent', 'failed', 'unknown', 'cancelled'];
const RETRYABLE = ['failed', 'unknown'];
const PAGE = 50;
const filter = { state: '' };

export function renderOutbox(panel) {
  const body = h('div', {});
  const stateSelect = selectBox({ id: 'outbox-state' },
    [{ value: '', label: t('admin.outbox.all') }, ...STATES.map((s) => ({ value: s, label: t(`admin.outbox.state_${s}`) }))],
    filter.state);
  stateSelect.addEventListener('change', () => { filter.state = stateSelect.value; load(); });
  fill(panel,
    h('div', { class: 'section-head' },
      h('h2', {}, t('admin.outbox.title')),
      h('div', { class: 'field inline' }, h('label', { for: 'outbox-state' }, t('admin.outbox.state')), stateSelect)),
    h('p', { class: 'muted' }, t('admin.outbox.intro')),
    body);

  let after = null;
  let shown = 0;
  const rows = h('tbody', {});
  const footer = h('div', { class: 'audit-footer' });
  let asked = 0; // only the answer to the latest request is shown
  const load = async (more = false) => {
    const mine = ++asked;
    if (!more) { after = null; shown = 0; loadingInto(body); } else loadingInto(footer);
    try {
      const page = await get(withQuery('/outbox', { state: filter.state, limit: PAGE, after }));
      if (mine !== asked) return;
      after = page.next_after;
      shown += page.items.length;
      if (!more) {
        if (!page.items.length) {
          fill(body, h('p', { class: 'empty' }, filter.state
            ? t('admin.outbox.none_in', { state: t(`admin.outbox.state_${filter.state}`) }) : t('admin.outbox.none')));
          return;
        }
        rows.replaceChildren();
        fill(body,
          h('div', { class: 'table-wrap' }, h('table', { class: 'outbox stacked' },
            h('caption', { class: 'visually-hidden' }, t('admin.outbox.title')),
            h('thead', {}, h('tr', {},
              ['subject', 'to', 'kind', 'state', 'created', 'next', 'attempts'].map((c) => h('th', {
                scope: 'col', class: c === 'attempts' ? 'num' : null,
              }, t(`admin.outbox.col.${c}`))))),
            rows)),
          footer);
      }
      rows.append(...page.items.map((m) => messageRow(m, () => load())));
      fill(footer,
        h('p', { class: 'small muted', role: 'status' }, t('admin.outbox.shown', { count: shown })),
        after ? h('button', { type: 'button', class: 'secondary', onclick: () => load(true) }, t('desk.more'))
          : null);
    } catch (err) {
      if (mine === asked) failedInto(more ? footer : body, err, () => load(more));
    }
  };
  load();
}

function kindText(kind) {
  return hasKey(`admin.outbox.kind_${kind}`) ? t(`admin.outbox.kind_${kind}`) : kind;
}

/** A state as a badge: sent ok, failed and unknown asking for attention. */
function stateBadge(state) {
  const kind = { sent: 'ok', failed: 'danger', unknown: 'danger', queued: 'warn', sending: 'warn' }[state] || '';
  return badge(hasKey(`admin.outbox.state_${state}`) ? t(`admin.outbox.state_${state}`) : state, kind);
}

function recipient(m) {
  return m.to ? m.to : h('span', { class: 'muted' }, t('admin.outbox.no_recipient'));
}

function messageRow(m, reload) {
  const label = (c) => t(`admin.outbox.col.${c}`);
  return h('tr', { 'data-message-id': m.id, class: `state-${m.state}` },
    h('th', { scope: 'row', 'data-label': label('subject') },
      h('button', { type: 'button', class: 'link message-open', onclick: () => openMessage(m.id, reload) }, m.subject)),
    h('td', { 'data-label': label('to'), 'data-field': 'to' }, recipient(m)),
    h('td', { 'data-label': label('kind') }, kindText(m.kind)),
    h('td', { 'data-label': label('state'), 'data-field': 'state' }, stateBadge(m.state)),
    h('td', { 'data-label': label('created') }, dateTime(m.created_at)),
    h('td', { 'data-label': label('next') }, m.next_attempt_at ? dateTime(m.next_attempt_at) : '—'),
    h('td', { 'data-label': label('attempts'), class: 'num' }, String(m.attempts)));
}

/** The message in a dialog: its facts, its body as text, its delivery log, a retry. */
async function openMessage(id, reload) {
  let changed = false;
  await openDialog(t('admin.outbox.message_title', { id }), (close) => {
    const content = h('div', { class: 'message-detail' });
    const show = async (message = null) => {
      loadingInto(content);
      try {
        const m = await get(`/outbox/${id}`);
        fill(content, message ? h('p', { class: 'notice success', role: 'status' }, message) : null,
          detail(m, { retry: () => retry(m), close }));
        content.querySelector('h3')?.focus();
      } catch (err) {
        failedInto(content, err, () => show(message));
      }
    };
    const retry = async (m) => {
      // An unknown message may have arrived: a second copy is the admin's decision.
      if (m.state === 'unknown' && !await confirmAction(t('admin.outbox.retry'),
        t('admin.outbox.retry_unknown_question', { to: m.to }), t('admin.outbox.retry'))) return;
      const area = content.querySelector('.retry-area');
      const button = area.querySelector('button');
      button.disabled = true;
      try {
        await post(`/outbox/${m.id}/retry`);
        changed = true;
        notify(t('admin.outbox.retried', { subject: m.subject }), 'success');
        await show(t('admin.outbox.retried', { subject: m.subject }));
      } catch (err) {
        button.disabled = false;
        fill(area.querySelector('.retry-error'), err.code === 'conflict' ? t('admin.outbox.retry_conflict') : errorText(err));
      }
    };
    show();
    return content;
  }, { wide: true });
  if (changed) await reload();
}

function detail(m, { retry, close }) {
  const when = (instant) => (instant ? dateTime(instant) : null);
  return [
    h('h3', { class: 'message-subject', tabindex: '-1' }, m.subject),
    facts([
      [t('admin.outbox.col.state'), stateBadge(m.state)],
      [t('admin.outbox.col.to'), recipient(m)],
      [t('admin.outbox.col.kind'), kindText(m.kind)],
      [t('admin.outbox.language'), hasKey(`desk.locale.${m.locale}`) ? t(`desk.locale.${m.locale}`) : m.locale],
      [t('admin.outbox.col.created'), when(m.created_at)],
      [t('admin.outbox.col.next'), when(m.next_attempt_at)],
      [t('admin.outbox.sent_at'), when(m.sent_at)],
      [t('admin.outbox.col.attempts'), String(m.attempts)],
      [t('admin.outbox.last_error'), m.last_error ? h('code', { class: 'detail' }, m.last_error) : null],
      [t('admin.outbox.message_id'), h('code', { class: 'detail' }, m.message_id)],
    ]),
    h('h4', {}, t('admin.outbox.body')),
    m.body ? h('pre', { class: 'message-body' }, m.body)
      : h('p', { class: 'empty' }, t('admin.outbox.no_body')),
    h('h4', {}, t('admin.outbox.log')),
    logTable(m.log),
    RETRYABLE.includes(m.state) ? h('div', { class: 'retry-area' },
      h('p', { class: m.state === 'unknown' ? 'notice error' : 'notice info' },
        t(m.state === 'unknown' ? 'admin.outbox.retry_unknown' : 'admin.outbox.retry_failed')),
      h('p', { class: 'retry-error field-error', role: 'alert' }),
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', class: 'secondary', onclick: () => close('') }, t('common.close')),
        h('button', { type: 'button', onclick: retry }, t('admin.outbox.retry'))))
      : h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', class: 'secondary', onclick: () => close('') }, t('common.close'))),
  ];
}

function logTable(log) {
  if (!log || !log.length) return h('p', { class: 'empty' }, t('admin.outbox.no_attempts'));
  const cols = ['attempt', 'started', 'outcome', 'code', 'error'];
  return h('div', { class: 'table-wrap' }, h('table', { class: 'delivery-log stacked' },
    h('caption', { class: 'visually-hidden' }, t('admin.outbox.log')),
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, t(`admin.outbox.log_${c}`))))),
    h('tbody', {}, log.map((a) => h('tr', {},
      h('td', { 'data-label': t('admin.outbox.log_attempt') }, String(a.attempt)),
      h('td', { 'data-label': t('admin.outbox.log_started') }, dateTime(a.started_at)),
      h('td', { 'data-label': t('admin.outbox.log_outcome') },
        a.outcome ? t(`admin.outbox.outcome_${a.outcome}`) : t('admin.outbox.outcome_running'),
        a.retry_at ? h('span', { class: 'small muted' }, ` · ${t('admin.outbox.retry_at', { when: dateTime(a.retry_at) })}`) : null),
      h('td', { 'data-label': t('admin.outbox.log_code') }, a.smtp_code === null ? '—' : String(a.smtp_code)),
      h('td', { 'data-label': t('admin.outbox.log_error') }, a.error ? h('code', { class: 'detail' }, a.error) : '—'))))));
}
