// SPDX-License-Identifier: MIT
// The student's invoices (GET /me/invoices): one row per invoice, newest first,
// with its number, date, kind, total and TicketBAI state, and a link to its
// printable page (GET /invoices/{id}/print, opened in a new tab). Every contract
// is invoiced by the server when it is made; nothing is computed here. Above the
// list, the balance (GET /me/balance): what is due and paid, and the overdue ones.
import { get, withQuery } from '../api.js';
import { h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { longDate, money } from '../format.js';
import { failedInto, loadingInto, session } from '../shell.js';
import { tx } from './ui.js';

const view = { items: null, balance: null, error: null, seq: 0 };
let root = null;
let body = null;

function row(inv) {
  return h('li', { 'data-invoice-id': inv.id },
    h('p', {},
      h('strong', { class: 'invoice-number' }, `${inv.series}-${inv.number}`), ' · ',
      longDate(inv.issued_at), ' · ', h('span', { class: 'invoice-total' }, money(inv.total_cents))),
    h('p', { class: 'small muted' },
      t(`invoice.kind.${inv.kind}`), ' · ', t(`invoice.tbai.${inv.tbai.status}`), ' · ',
      h('a', {
        href: `/api/v1/invoices/${inv.id}/print`, target: '_blank', rel: 'noopener',
        class: 'invoice-print',
      }, t('invoice.print'))));
}

function renderBody() {
  if (view.error) {
    failedInto(body, view.error, () => load());
    return;
  }
  if (!view.items) {
    loadingInto(body);
    return;
  }
  const items = [...view.items].sort((a, b) => b.id - a.id);
  const b = view.balance;
  const numberOf = (id) => {
    const inv = items.find((i) => i.id === id);
    return inv ? `${inv.series}-${inv.number}` : `#${id}`;
  };
  const balance = b ? h('div', { class: 'balance', id: 'my-balance' },
    h('p', {}, t('book.balance.due'), ' ', h('strong', { id: 'my-balance-due' }, money(b.due_cents)),
      ' · ', t('book.balance.paid'), ' ', money(b.paid_cents)),
    b.overdue.length
      ? h('p', { class: 'notice', id: 'my-balance-overdue', role: 'status' },
        t('book.balance.overdue'), ' ', b.overdue.map(numberOf).join(', '))
      : null) : null;
  fill(body, balance, items.length
    ? h('ul', { class: 'plain items invoices', id: 'invoice-list' }, items.map(row))
    : h('p', { class: 'empty' }, t('book.invoices.none')));
}

/** Draws the card (also after a language change). */
export function render() {
  if (!root) return;
  root.hidden = !session.client;
  if (!session.client) return;
  if (!body) {
    body = h('div', { id: 'invoices-body' });
    fill(root, tx('h2', 'book.invoices.title', { id: 'invoices-title' }), body);
  }
  renderBody();
}

export async function load() {
  if (!session.client) {
    view.items = null;
    render();
    return;
  }
  const seq = ++view.seq;
  view.items = null;
  view.error = null;
  render();
  try {
    const [page, balance] = await Promise.all([
      get(withQuery('/me/invoices', { limit: 200 })),
      get('/me/balance'),
    ]);
    if (seq !== view.seq) return;
    view.items = page.items;
    view.balance = balance;
  } catch (err) {
    if (seq !== view.seq) return;
    view.error = err;
  }
  renderBody();
}

export function mount(element) { root = element; }
