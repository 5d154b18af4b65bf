// SPDX-License-Identifier: MIT
// The business settings every invoice is issued with (GET|PUT /business): legal
// name, NIF, address, territory (the TicketBAI treasury), the invoice series, and
// VAT (exempt by default: private tuition, cause E1). PUT replaces all of them;
// the server checks the NIF's check character and the series' characters.
import { get, put } from '../api.js';
import { h, fill, t, notify, loadingInto, failedInto } from '../shell.js';
import { field, formError, selectBox, submitForm } from '../desk/common.js';

const TERRITORIES = ['araba', 'bizkaia', 'gipuzkoa'];

export function renderBusiness(panel) {
  const body = h('div', {});
  fill(panel,
    h('h2', {}, t('admin.business.title')),
    h('p', { class: 'muted' }, t('admin.business.intro')),
    body);
  const load = async () => {
    loadingInto(body);
    try {
      show(body, await get('/business'), load);
    } catch (err) {
      failedInto(body, err, load);
    }
  };
  load();
}

function show(body, b, reload) {
  const vat = h('input', { name: 'vat_exempt', id: 'business-vat-exempt', type: 'checkbox', checked: b.vat_exempt });
  const form = h('form', { class: 'card business-form', novalidate: true },
    formError(),
    b.legal_name ? null : h('p', { class: 'notice', role: 'status' }, t('admin.business.unset')),
    h('div', { class: 'form-grid' },
      field('business-legal-name', t('admin.business.legal_name'),
        h('input', { name: 'legal_name', maxlength: 200, required: true, value: b.legal_name })),
      field('business-nif', t('admin.business.nif'),
        h('input', { name: 'nif', maxlength: 20, required: true, autocomplete: 'off', value: b.nif })),
      field('business-address', t('admin.business.address'),
        h('input', { name: 'address', maxlength: 200, required: true, value: b.address })),
      field('business-postcode', t('admin.business.postcode'),
        h('input', { name: 'postcode', maxlength: 5, pattern: '[0-9]{5}', inputmode: 'numeric', required: true, value: b.postcode })),
      field('business-city', t('admin.business.city'),
        h('input', { name: 'city', maxlength: 200, required: true, value: b.city })),
      field('business-territory', t('admin.business.territory'),
        selectBox({ name: 'territory', required: true },
          [{ value: '', label: t('desk.unset') },
            ...TERRITORIES.map((v) => ({ value: v, label: t(`admin.business.territory.${v}`) }))],
          b.territory || '')),
      field('business-series', t('admin.business.series'),
        h('input', { name: 'invoice_series', maxlength: 19, pattern: '[0-9A-Z-]+', required: true, value: b.invoice_series }),
        t('admin.business.series_hint')),
      field('business-vat-percent', t('admin.business.vat_percent'),
        h('input', { name: 'vat_percent', type: 'number', min: 0, max: 100, step: 1, inputmode: 'numeric', value: b.vat_percent })),
      field('business-creditor', t('admin.business.creditor_id'),
        h('input', { name: 'creditor_id', maxlength: 40, autocomplete: 'off', value: b.creditor_id }),
        t('admin.business.creditor_id_hint')),
      field('business-creditor-iban', t('admin.business.creditor_iban'),
        h('input', { name: 'creditor_iban', maxlength: 50, autocomplete: 'off', value: b.creditor_iban }))),
    h('p', {}, h('label', { for: 'business-vat-exempt' },
      vat, ' ', t('admin.business.vat_exempt'))),
    h('button', { type: 'submit' }, t('common.save')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const saved = await submitForm(form, (v) => put('/business', {
      legal_name: v.legal_name ?? '',
      nif: v.nif ?? '',
      address: v.address ?? '',
      postcode: v.postcode ?? '',
      city: v.city ?? '',
      territory: v.territory ?? '',
      invoice_series: v.invoice_series ?? '',
      vat_exempt: vat.checked,
      vat_percent: v.vat_percent === undefined ? 21 : Number(v.vat_percent),
      creditor_id: v.creditor_id ?? null,
      creditor_iban: v.creditor_iban ?? null,
    }));
    if (saved) {
      notify(t('admin.business.saved'), 'success');
      await reload();
    }
  });
  fill(body, form);
}
