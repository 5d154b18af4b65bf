// SPDX-License-Identifier: MIT
// The desk's services tab: every service (GET /services?locale=eu, the Basque base
// texts, inactive ones too) with its texts in three languages; "Edit texts" opens a
// form for the name and description in Basque and their Spanish and English
// versions (PATCH /services/{id} {name, description, translations}). The booking
// page shows them in the visitor's language.
import { patch } from '../api.js';
import { h, fill, t, notify, loadingInto, failedInto } from '../shell.js';
import { money } from '../format.js';
import { badge, fetchAll, field, formError, forget, submitForm } from '../desk/common.js';
import { sameTranslations, translationFields, translationsFrom } from '../desk/translations.js';

const TEXTS = ['name', 'description'];

export function renderServices(panel) {
  const results = h('div', { class: 'service-results' });
  fill(panel, h('div', { class: 'section-head' }, h('h2', {}, t('staff.services.title'))),
    h('p', { class: 'muted' }, t('staff.services.intro')), results);

  async function load() {
    loadingInto(results);
    try {
      const all = await fetchAll('/services', { locale: 'eu' });
      if (!all.length) {
        fill(results, h('p', { class: 'empty' }, t('staff.services.none')));
        return;
      }
      fill(results, h('ul', { class: 'plain service-list' }, all.map((svc) => serviceCard(svc, load))));
    } catch (err) {
      failedInto(results, err, load);
    }
  }
  load();
}

function languagesDone(svc) {
  return ['es', 'en'].filter((l) => svc.translations?.[l]?.name);
}

function serviceCard(svc, reload) {
  const headingId = `service-${svc.id}-title`;
  const li = h('li', { class: 'card service', 'data-service-id': svc.id });
  const show = () => {
    const done = languagesDone(svc);
    fill(li,
      h('div', { class: 'item-head' },
        h('h3', { id: headingId }, svc.name),
        h('span', {}, svc.active ? null : badge(t('staff.services.inactive'), 'warn'))),
      h('p', { class: 'muted small' }, `${svc.subject} · ${svc.duration_min} min · ${money(svc.price_cents)}`),
      svc.description ? h('p', { class: 'pre' }, svc.description) : null,
      h('p', { class: 'small' }, done.length
        ? t('staff.services.translated', { languages: done.map((l) => t(`staff.translations.${l}`)).join(', ') })
        : t('staff.services.untranslated')),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'secondary', onclick: edit }, t('staff.services.edit'),
          h('span', { class: 'visually-hidden' }, ` — ${svc.name}`))));
  };
  const edit = () => {
    const p = `service-${svc.id}`;
    const heading = h('h3', { id: headingId, tabindex: '-1' }, t('staff.services.edit_title', { name: svc.name }));
    const form = h('form', { class: 'service-form', novalidate: true },
      formError(),
      field(`${p}-name`, t('staff.services.field_name'),
        h('input', { name: 'name', maxlength: 200, required: true, autocomplete: 'off', value: svc.name })),
      field(`${p}-description`, t('staff.services.field_description'),
        h('textarea', { name: 'description', rows: 3, maxlength: 10000, value: svc.description || '' })),
      translationFields(p, TEXTS, svc.translations),
      h('div', { class: 'form-actions' },
        h('button', { type: 'button', class: 'secondary', onclick: () => { show(); li.querySelector('.form-actions button')?.focus(); } },
          t('common.dismiss')),
        h('button', { type: 'submit' }, t('staff.services.save'))));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const saved = await submitForm(form, (v) => {
        const body = {};
        if ((v.name ?? '') !== svc.name) body.name = v.name ?? '';
        if ((v.description ?? '') !== (svc.description || '').trim()) body.description = v.description ?? '';
        const translations = translationsFrom(v, TEXTS);
        if (!sameTranslations(translations, svc.translations, TEXTS)) body.translations = translations;
        return patch(`/services/${svc.id}`, body);
      });
      if (!saved) return;
      forget('services');
      notify(t('staff.services.saved', { name: saved.name }), 'success');
      await reload();
      document.querySelector(`li.service[data-service-id="${svc.id}"] .form-actions button`)?.focus();
    });
    fill(li, heading, form);
    heading.focus();
  };
  show();
  return li;
}
