// SPDX-License-Identifier: MIT
// Content in three languages on the desk's forms (API.md v2): the Spanish and
// English versions of a service's or an event's texts, typed beside the Basque
// ones. The controls are named as the server names their errors
// ("translations.es.title"), so a refused field is marked where it was typed. An
// empty box sends nothing: the Basque text stands in for it.
import { h, t } from '../shell.js';
import { field } from './common.js';

const LOCALES = ['es', 'en'];

/**
 * A fieldset of the translations of fields (e.g. ['title', 'description']; a
 * "description" is a text area), filled from current ({es: {...}, en: {...}}).
 * prefix makes the ids unique.
 */
export function translationFields(prefix, fields, current = {}) {
  return h('fieldset', { class: 'translations' },
    h('legend', {}, t('staff.translations.legend')),
    h('p', { class: 'hint' }, t('staff.translations.hint')),
    LOCALES.map((locale) => h('div', { class: 'translation', lang: locale },
      h('p', { class: 'translation-head' }, t(`staff.translations.${locale}`)),
      fields.map((name) => {
        const value = current?.[locale]?.[name] || '';
        const control = name === 'description'
          ? h('textarea', { name: `translations.${locale}.${name}`, rows: 3, maxlength: 10000, value })
          : h('input', { name: `translations.${locale}.${name}`, maxlength: 200, autocomplete: 'off', value });
        const language = t(`staff.translations.in_${locale}`);
        return field(`${prefix}-${locale}-${name}`, t(`staff.translations.field_${name}`, { language }), control);
      }))));
}

/** The translations object of a form's values: only what was typed, trimmed. */
export function translationsFrom(values, fields) {
  const out = {};
  for (const locale of LOCALES) {
    for (const name of fields) {
      const text = String(values[`translations.${locale}.${name}`] ?? '').trim();
      if (text) (out[locale] ||= {})[name] = text;
    }
  }
  return out;
}

/** Whether two translations objects say the same (empty texts count as absent). */
export function sameTranslations(a, b, fields) {
  const values = (obj) => Object.fromEntries(LOCALES.flatMap((l) => fields.map((f) => [
    `translations.${l}.${f}`, obj?.[l]?.[f] || ''])));
  return JSON.stringify(translationsFrom(values(a), fields)) === JSON.stringify(translationsFrom(values(b), fields));
}
