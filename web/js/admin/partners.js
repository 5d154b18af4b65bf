// SPDX-License-Identifier: MIT
// Third parties (API.md v2): partner organisations (GET /partners, a row each with
// its percent and active switch saved by PATCH /partners/{id}, a new one by POST
// /partners), the referral reward (GET|PUT /referral-policy), and what partners and
// referring families brought (GET /reports/partners and /reports/referrals, with
// their CSV downloads), each row with a bar (<meter>) of its revenue.
import { get, patch, post, put } from '../api.js';
import { h, fill, t, notify, loadingInto, failedInto } from '../shell.js';
import { money } from '../format.js';
import { percent } from '../desk/format.js';
import { fetchAll, field, formError, selectBox, submitForm } from '../desk/common.js';

const KINDS = ['school', 'company', 'association', 'public', 'other'];

export function renderPartners(panel) {
  const body = h('div', {});
  fill(panel,
    h('h2', {}, t('admin.partners.title')),
    h('p', { class: 'muted' }, t('admin.partners.intro')),
    body);
  const load = async () => {
    loadingInto(body);
    try {
      const [partners, policy, byPartner, byFamily] = await Promise.all([
        fetchAll('/partners'), get('/referral-policy'),
        fetchAll('/reports/partners'), fetchAll('/reports/referrals'),
      ]);
      fill(body,
        h('ul', { class: 'plain partner-list' }, partners.map((p) => h('li', {}, partnerRow(p, load)))),
        addForm(load),
        policyForm(policy, load),
        report('partners', byPartner, (r) => r.name, '/api/v1/reports/partners?format=csv'),
        report('referrals', byFamily, (r) => r.full_name || r.code, '/api/v1/reports/referrals?format=csv'));
    } catch (err) {
      failedInto(body, err, load);
    }
  };
  load();
}

function partnerRow(partner, reload) {
  const p = `partner-${partner.id}`;
  const form = h('form', { class: 'card partner-row', novalidate: true, 'data-partner-code': partner.code },
    h('h3', {}, partner.name, ' ', h('code', {}, partner.code)),
    h('p', { class: 'small muted' }, t(`admin.partners.kind.${partner.kind}`), ' · ',
      t('admin.partners.families', { count: partner.families })),
    h('div', { class: 'form-grid' },
      field(`${p}-percent`, t('admin.partners.percent'), h('input', {
        name: 'discount_percent', type: 'number', min: 0, max: 100, step: 1, inputmode: 'numeric',
        value: partner.discount_percent, required: true,
      })),
      h('div', { class: 'check' },
        h('input', { type: 'checkbox', name: 'active', id: `${p}-active`, checked: partner.active }),
        h('label', { for: `${p}-active` }, t('admin.partners.active')))),
    formError(),
    h('button', { type: 'submit', class: 'secondary' }, t('common.save'),
      h('span', { class: 'visually-hidden' }, ` — ${partner.name}`)));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const saved = await submitForm(form, (v) => patch(`/partners/${partner.id}`, {
      discount_percent: Number(v.discount_percent), active: form.elements.active.checked,
    }));
    if (saved) {
      notify(t('common.saved'), 'success');
      await reload();
    }
  });
  return form;
}

function addForm(reload) {
  const form = h('form', { class: 'card add-partner', id: 'add-partner', novalidate: true },
    h('h3', {}, t('admin.partners.add_title')),
    formError(),
    h('div', { class: 'form-grid' },
      field('partner-new-name', t('admin.partners.name'), h('input', { name: 'name', maxlength: 200, required: true })),
      field('partner-new-kind', t('admin.partners.kind_label'),
        selectBox({ name: 'kind' }, KINDS.map((k) => ({ value: k, label: t(`admin.partners.kind.${k}`) })), 'school')),
      field('partner-new-code', t('admin.partners.code'), h('input', {
        name: 'code', maxlength: 40, pattern: '[A-Za-z0-9_-]+', autocomplete: 'off', required: true,
      }), t('admin.partners.code_hint')),
      field('partner-new-percent', t('admin.partners.percent'), h('input', {
        name: 'discount_percent', type: 'number', min: 0, max: 100, step: 1, inputmode: 'numeric', value: 10,
      })),
      field('partner-new-email', t('admin.partners.contact_email'), h('input', { name: 'contact_email', type: 'email', maxlength: 254 }))),
    h('button', { type: 'submit' }, t('admin.partners.add')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const made = await submitForm(form, (v) => post('/partners', {
      name: v.name ?? '', kind: v.kind, code: v.code ?? '',
      discount_percent: Number(v.discount_percent ?? 0),
      ...(v.contact_email ? { contact_email: v.contact_email } : {}),
    }), { conflict: 'admin.partners.code_taken' });
    if (made) {
      notify(t('admin.partners.added', { name: made.name }), 'success');
      await reload();
    }
  });
  return form;
}

function policyForm(policy, reload) {
  const form = h('form', { class: 'card referral-policy', id: 'referral-policy', novalidate: true },
    h('h3', {}, t('admin.referrals.title')),
    h('p', { class: 'small muted' }, t('admin.referrals.intro')),
    formError(),
    h('div', { class: 'form-grid' },
      field('policy-percent', t('admin.referrals.percent'), h('input', {
        name: 'reward_percent', type: 'number', min: 0, max: 15, step: 1, inputmode: 'numeric',
        value: policy.reward_percent, required: true,
      })),
      h('div', { class: 'check' },
        h('input', { type: 'checkbox', name: 'gift', id: 'policy-gift', checked: policy.gift }),
        h('label', { for: 'policy-gift' }, t('admin.referrals.gift')))),
    h('button', { type: 'submit', class: 'secondary' }, t('common.save')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const saved = await submitForm(form, (v) => put('/referral-policy', {
      reward_percent: Number(v.reward_percent), gift: form.elements.gift.checked,
    }));
    if (saved) {
      notify(t('common.saved'), 'success');
      await reload();
    }
  });
  return form;
}

/* A report as a table with a bar per row (its revenue against the largest). */
function report(kind, rows, name, csv) {
  const top = Math.max(1, ...rows.map((r) => r.revenue_cents));
  return h('section', { class: 'card report', id: `report-${kind}`, 'aria-labelledby': `report-${kind}-title` },
    h('div', { class: 'section-head' },
      h('h3', { id: `report-${kind}-title` }, t(`admin.report.${kind}`)),
      h('a', { class: 'button secondary', href: csv, download: `${kind}.csv` }, t('admin.loyalty.csv'))),
    rows.length ? h('table', {},
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, t('admin.report.name')),
        h('th', { scope: 'col' }, t('admin.report.families')),
        h('th', { scope: 'col' }, t('admin.report.contracts')),
        h('th', { scope: 'col' }, t('admin.report.revenue')),
        h('th', { scope: 'col' }, t('admin.report.discount')))),
      h('tbody', {}, rows.map((r) => h('tr', {},
        h('th', { scope: 'row' }, name(r)),
        h('td', {}, String(r.families)),
        h('td', {}, String(r.contracts)),
        h('td', {},
          h('meter', { class: 'bar', min: 0, max: top, value: r.revenue_cents, 'aria-hidden': 'true' }),
          ' ', money(r.revenue_cents)),
        h('td', {}, money(r.discount_cents), r.discount_cents && r.revenue_cents
          ? h('span', { class: 'small muted' }, ` (${percent(Math.round((100 * r.discount_cents) / (r.revenue_cents + r.discount_cents)))})`)
          : null)))))
      : h('p', { class: 'empty' }, t('admin.report.none')));
}
