// SPDX-License-Identifier: MIT
// A client's money on the desk's client record: the balance (GET
// /clients/{id}/balance: invoiced, paid, due, overdue invoices), taking a payment
// (POST /payments: amount and method, the oldest unpaid invoices first unless one
// is picked), the payments taken (GET /payments?client_id=) and the SEPA mandates
// (GET|POST /clients/{id}/mandates, POST /mandates/{id}/revoke). IBANs come back
// masked from the server; the page never keeps the one typed in after sending it.
import { get, post, withQuery } from '../api.js';
import { h, fill, t, notify, loadingInto, failedInto } from '../shell.js';
import { businessDate, money } from '../format.js';
import { shortDate } from '../desk/format.js';
import { badge, confirmAction, facts, field, formError, selectBox, submitForm } from '../desk/common.js';

const METHODS = ['cash', 'card', 'transfer'];

/** The card; onPaid runs after a payment (the record reloads its invoices). */
export function paymentsCard(client, invoices, onPaid) {
  const card = h('section', { class: 'card', id: 'payments-card', 'aria-labelledby': 'payments-title' });
  const body = h('div', {});
  fill(card, h('h3', { id: 'payments-title' }, t('staff.payments.title')), body);
  const load = async () => {
    loadingInto(body);
    try {
      const [balance, payments, mandates] = await Promise.all([
        get(`/clients/${client.id}/balance`),
        get(withQuery('/payments', { client_id: client.id, limit: 200 })),
        get(`/clients/${client.id}/mandates`),
      ]);
      show(body, client, invoices, { balance, payments: payments.items, mandates: mandates.items },
        { reload: load, onPaid });
    } catch (err) {
      failedInto(body, err, load);
    }
  };
  load();
  return card;
}

function show(body, client, invoices, data, ctx) {
  const { balance } = data;
  const byId = new Map(invoices.map((inv) => [inv.id, inv]));
  const number = (id) => (byId.has(id) ? `${byId.get(id).series}-${byId.get(id).number}` : `#${id}`);
  fill(body,
    facts([
      [t('staff.payments.invoiced'), money(balance.invoiced_cents)],
      [t('staff.payments.paid'), money(balance.paid_cents)],
      [t('staff.payments.due'), h('strong', { id: 'balance-due' }, money(balance.due_cents))],
      [t('staff.payments.overdue'), balance.overdue.length
        ? h('span', { id: 'balance-overdue' }, badge(balance.overdue.map(number).join(', '), 'warn'))
        : null],
    ]),
    balance.due_cents > 0 ? payForm(client, invoices, balance, ctx) : null,
    data.payments.length
      ? h('ul', { class: 'plain items payments' }, [...data.payments].reverse().map((p) => h('li', { 'data-payment-id': p.id },
        h('strong', {}, money(p.amount_cents)), ' · ', t(`staff.payments.method.${p.method}`), ' · ',
        shortDate(p.paid_at), ' · ',
        h('span', { class: 'small muted' }, p.allocations.map((a) => `${number(a.invoice_id)} ${money(a.amount_cents)}`).join(', ')))))
      : h('p', { class: 'empty' }, t('staff.payments.none')),
    h('h4', {}, t('staff.mandates.title')),
    mandatesList(data.mandates, ctx),
    data.mandates.some((m) => m.status === 'active') ? null : mandateForm(client, ctx));
}

function payForm(client, invoices, balance, ctx) {
  const open = invoices.filter((inv) => inv.total_cents > inv.paid_cents);
  const form = h('form', { class: 'pay-form', novalidate: true },
    formError(),
    h('div', { class: 'form-grid' },
      field('pay-amount', t('staff.payments.amount'),
        h('input', { name: 'amount', id: 'pay-amount', type: 'number', min: 0.01, step: 0.01, required: true,
          inputmode: 'decimal', value: (balance.due_cents / 100).toFixed(2) })),
      field('pay-method', t('staff.payments.method'),
        selectBox({ name: 'method', id: 'pay-method' },
          METHODS.map((m) => ({ value: m, label: t(`staff.payments.method.${m}`) })), 'cash')),
      field('pay-invoice', t('staff.payments.invoice'),
        selectBox({ name: 'invoice_id', id: 'pay-invoice' },
          [{ value: '', label: t('staff.payments.oldest_first') },
            ...open.map((inv) => ({ value: String(inv.id),
              label: `${inv.series}-${inv.number} · ${money(inv.total_cents - inv.paid_cents)}` }))], ''))),
    h('button', { type: 'submit', id: 'pay-submit' }, t('staff.payments.take')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const done = await submitForm(form, (v) => post('/payments', {
      client_id: client.id,
      method: v.method,
      amount_cents: Math.round(Number(v.amount) * 100),
      ...(v.invoice_id ? { invoice_id: Number(v.invoice_id) } : {}),
    }));
    if (done) {
      notify(t('staff.payments.taken'), 'success');
      if (ctx.onPaid) await ctx.onPaid();
      else await ctx.reload();
    }
  });
  return form;
}

function mandatesList(mandates, ctx) {
  if (!mandates.length) return h('p', { class: 'empty' }, t('staff.mandates.none'));
  return h('ul', { class: 'plain items mandates' }, mandates.map((m) => h('li', { 'data-mandate-id': m.id },
    h('p', {}, h('span', { class: 'iban' }, m.iban_masked), ' · ', m.holder_name, ' ',
      badge(t(`staff.mandates.status.${m.status}`), m.status === 'active' ? 'ok' : '')),
    h('p', { class: 'small muted' }, `${m.reference} · ${t('staff.mandates.signed_on')} ${m.signed_on}`),
    m.status === 'active'
      ? h('button', { type: 'button', class: 'secondary small', onclick: async () => {
        if (!await confirmAction(t('staff.mandates.revoke'), t('staff.mandates.revoke_question'), t('staff.mandates.revoke'), { danger: true })) return;
        try {
          await post(`/mandates/${m.id}/revoke`, {});
          notify(t('staff.mandates.revoked'), 'success');
          await ctx.reload();
        } catch (err) {
          notify(err.message, 'error');
        }
      } }, t('staff.mandates.revoke'))
      : null)));
}

function mandateForm(client, ctx) {
  const form = h('form', { class: 'mandate-form', novalidate: true },
    formError(),
    h('div', { class: 'form-grid' },
      field('mandate-iban', t('staff.mandates.iban'),
        h('input', { name: 'iban', id: 'mandate-iban', maxlength: 50, required: true, autocomplete: 'off', spellcheck: 'false' })),
      field('mandate-holder', t('staff.mandates.holder'),
        h('input', { name: 'holder_name', id: 'mandate-holder', maxlength: 70, required: true, value: client.full_name })),
      field('mandate-signed', t('staff.mandates.signed_on'),
        h('input', { name: 'signed_on', id: 'mandate-signed', type: 'date', required: true, value: businessDate(Date.now()) }))),
    h('button', { type: 'submit', id: 'mandate-submit' }, t('staff.mandates.add')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const done = await submitForm(form, (v) => post(`/clients/${client.id}/mandates`, {
      iban: v.iban ?? '', holder_name: v.holder_name ?? '', signed_on: v.signed_on ?? '',
    }));
    if (done) {
      form.reset();
      notify(t('staff.mandates.added'), 'success');
      await ctx.reload();
    }
  });
  return form;
}
