// SPDX-License-Identifier: MIT
// Direct debits (admin): make a run for a collection date (POST /direct-debits; the
// server checks the two TARGET2 business days and says when nothing is due), the
// runs newest first (GET /direct-debits) with their collections, the pain.008 file
// to download (GET /direct-debits/{id}/pain.008.xml, a plain link), settling
// (POST .../settle) and recording returns with their ISO reason codes
// (POST .../returns). The creditor's IBAN and identifier are set on the Business tab.
import { get, post } from '../api.js';
import { h, fill, t, notify, loadingInto, failedInto } from '../shell.js';
import { addDays, businessDate, money } from '../format.js';
import { badge, confirmAction, field, formError, selectBox, submitForm } from '../desk/common.js';

const REASONS = ['AM04', 'MS02', 'AC01', 'AC04', 'AC06', 'MD01', 'MD06', 'MS03', 'SL01'];

export function renderDirectDebits(panel) {
  const body = h('div', {});
  const load = async () => {
    loadingInto(body);
    try {
      const runs = await get('/direct-debits');
      fill(body, runs.items.length
        ? h('div', { class: 'stack', id: 'dd-runs' }, runs.items.map((run) => runCard(run, load)))
        : h('p', { class: 'empty' }, t('admin.dd.none')));
    } catch (err) {
      failedInto(body, err, load);
    }
  };
  fill(panel,
    h('h2', {}, t('admin.dd.title')),
    h('p', { class: 'muted' }, t('admin.dd.intro')),
    newRunForm(load),
    body);
  load();
}

function newRunForm(reload) {
  const form = h('form', { class: 'card dd-form', novalidate: true },
    formError(),
    field('dd-date', t('admin.dd.collection_date'),
      h('input', { name: 'collection_date', id: 'dd-date', type: 'date', required: true,
        value: addDays(businessDate(Date.now()), 3) }),
      t('admin.dd.date_hint')),
    h('button', { type: 'submit', id: 'dd-make' }, t('admin.dd.make')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const run = await submitForm(form, (v) => post('/direct-debits', { collection_date: v.collection_date ?? '' }),
      { conflict: 'admin.dd.nothing' });
    if (run) {
      notify(t('admin.dd.made', { count: run.count, total: money(run.total_cents) }), 'success');
      await reload();
    }
  });
  return form;
}

function runCard(run, reload) {
  const settle = async () => {
    if (!await confirmAction(t('admin.dd.settle'), t('admin.dd.settle_question'), t('admin.dd.settle'))) return;
    try {
      await post(`/direct-debits/${run.id}/settle`, {});
      notify(t('admin.dd.settled'), 'success');
      await reload();
    } catch (err) {
      notify(err.message, 'error');
    }
  };
  const open = run.items.filter((it) => !it.returned_reason);
  return h('section', { class: 'card', 'data-run-id': run.id },
    h('div', { class: 'card-head' },
      h('h3', {}, `${t('admin.dd.run')} ${run.id} · ${run.collection_date}`),
      badge(t(`admin.dd.status.${run.status}`), run.status === 'settled' ? 'ok' : '')),
    h('p', {}, t('admin.dd.summary', { count: run.count, total: money(run.total_cents) })),
    h('ul', { class: 'plain items dd-items' }, run.items.map((it) => h('li', { 'data-invoice-id': it.invoice_id },
      `#${it.invoice_id} · ${it.mandate_reference} · ${it.sequence} · ${money(it.amount_cents)}`,
      it.returned_reason ? [' ', badge(`${t('admin.dd.returned')} ${it.returned_reason}`, 'warn')] : null))),
    h('p', { class: 'record-actions' },
      run.count ? h('a', { class: 'button secondary', href: `/api/v1/direct-debits/${run.id}/pain.008.xml`,
        download: `pain008-${run.id}.xml` }, t('admin.dd.download')) : null, ' ',
      run.status === 'open' ? h('button', { type: 'button', class: 'dd-settle', onclick: settle }, t('admin.dd.settle')) : null),
    open.length ? returnForm(run, open, reload) : null);
}

function returnForm(run, open, reload) {
  const form = h('form', { class: 'dd-return', novalidate: true },
    formError(),
    h('div', { class: 'form-grid' },
      field(`dd-return-invoice-${run.id}`, t('admin.dd.return_invoice'),
        selectBox({ name: 'invoice_id' }, open.map((it) => ({ value: String(it.invoice_id),
          label: `#${it.invoice_id} · ${money(it.amount_cents)}` })), String(open[0].invoice_id))),
      field(`dd-return-reason-${run.id}`, t('admin.dd.return_reason'),
        selectBox({ name: 'reason' }, REASONS.map((r) => ({ value: r, label: `${r} · ${t(`admin.dd.reason.${r}`)}` })), 'AM04'))),
    h('button', { type: 'submit', class: 'secondary' }, t('admin.dd.record_return')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const done = await submitForm(form, (v) => post(`/direct-debits/${run.id}/returns`,
      { items: [{ invoice_id: Number(v.invoice_id), reason: v.reason }] }));
    if (done) {
      notify(t('admin.dd.return_recorded'), 'success');
      await reload();
    }
  });
  return form;
}
