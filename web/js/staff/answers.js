// SPDX-License-Identifier: MIT
// The desk's automatic answers: the question–answer pairs the booking page's ask box
// and POST /ask find, one language at a time (GET /answers?locale=), each changed in
// place (PATCH /answers/{id}) or deleted after a confirmation; a new pair (POST
// /answers) in the shown language. The same answers are suggested on inquiries
// (web/js/staff/inquiries.js reads them through answersById).
import { del, patch, post } from '../api.js';
import { h, fill, t, notify, loadingInto, failedInto } from '../shell.js';
import { confirmAction, fetchAll, field, forget, formError, once, selectBox, submitForm } from '../desk/common.js';

const LOCALES = ['eu', 'es', 'en'];
const state = { locale: 'eu' };

/** Every answer by id (kept for the page's lifetime, read again after a change). */
export const answersById = () => once('answers', async () =>
  new Map((await fetchAll('/answers')).map((a) => [a.id, a])));

function answerForm(idPrefix, answer, onSaved, onCancel) {
  const form = h('form', { class: 'answer-edit', novalidate: true },
    formError(),
    field(`${idPrefix}-question`, t('staff.answers.question'),
      h('input', { name: 'question', maxlength: 500, required: true, value: answer ? answer.question : '' })),
    field(`${idPrefix}-answer`, t('staff.answers.answer'),
      h('textarea', { name: 'answer', rows: 4, maxlength: 4000, required: true }, answer ? answer.answer : '')),
    h('div', { class: 'actions' },
      h('button', { type: 'submit' }, t(answer ? 'staff.answers.save' : 'staff.answers.add')),
      onCancel ? h('button', { type: 'button', class: 'secondary', onclick: onCancel }, t('common.dismiss')) : null));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const done = await submitForm(form, (v) => (answer
      ? patch(`/answers/${answer.id}`, { question: v.question ?? '', answer: v.answer ?? '' })
      : post('/answers', { locale: state.locale, question: v.question ?? '', answer: v.answer ?? '' })));
    if (!done) return;
    forget('answers');
    notify(t(answer ? 'staff.answers.saved' : 'staff.answers.added', { question: done.question }), 'success');
    await onSaved(done);
  });
  return form;
}

export function renderAnswers(panel) {
  const results = h('div', { class: 'answer-list' });
  const newArea = h('div', { id: 'answer-new', class: 'work-area' });
  const filter = selectBox({ id: 'answers-locale' },
    LOCALES.map((l) => ({ value: l, label: t(`staff.answers.locale_${l}`) })), state.locale);
  filter.addEventListener('change', () => { state.locale = filter.value; newArea.replaceChildren(); load(); });
  const newButton = h('button', {
    type: 'button', 'aria-controls': 'answer-new', id: 'answer-new-button',
    onclick: () => {
      const heading = h('h3', { tabindex: '-1', id: 'answer-new-title' }, t('staff.answers.new_title'));
      fill(newArea, h('section', { class: 'card work-panel', 'aria-labelledby': 'answer-new-title' },
        heading,
        answerForm('answer-new', null, async () => { newArea.replaceChildren(); await load(); },
          () => { newArea.replaceChildren(); newButton.focus(); })));
      heading.focus();
    },
  }, t('staff.answers.new'));
  fill(panel,
    h('div', { class: 'section-head' },
      h('h2', {}, t('staff.answers.title')),
      h('div', { class: 'field inline' }, h('label', { for: 'answers-locale' }, t('staff.answers.language')), filter),
      newButton),
    h('p', { class: 'muted small' }, t('staff.answers.intro')),
    newArea,
    results);

  function item(answer) {
    const headingId = `answer-${answer.id}-title`;
    const li = h('li', { class: 'card answer', 'data-answer-id': answer.id, 'aria-labelledby': headingId });
    const show = () => fill(li,
      h('h3', { id: headingId }, answer.question),
      h('p', { class: 'pre' }, answer.answer),
      h('div', { class: 'actions' },
        h('button', {
          type: 'button', class: 'secondary', 'data-action': 'edit',
          onclick: () => {
            fill(li, answerForm(`answer-${answer.id}`, answer, async (saved) => {
              answer = saved;
              show();
              li.querySelector('[data-action=edit]').focus();
            }, () => show()));
            li.querySelector('input').focus();
          },
        }, t('staff.answers.edit'), h('span', { class: 'visually-hidden' }, ` — ${answer.question}`)),
        h('button', {
          type: 'button', class: 'danger', 'data-action': 'delete',
          onclick: async () => {
            if (!await confirmAction(t('staff.answers.delete_title'), answer.question,
              t('staff.answers.delete'), { danger: true })) return;
            try {
              await del(`/answers/${answer.id}`);
              forget('answers');
              notify(t('staff.answers.deleted', { question: answer.question }), 'success');
              await load();
            } catch (err) {
              failedInto(li, err, () => show());
            }
          },
        }, t('staff.answers.delete'), h('span', { class: 'visually-hidden' }, ` — ${answer.question}`))));
    show();
    return li;
  }

  async function load() {
    loadingInto(results);
    try {
      const items = await fetchAll('/answers', { locale: state.locale });
      fill(results, items.length
        ? [h('p', { class: 'queue-summary', role: 'status' }, t('staff.answers.count', { count: items.length })),
          h('ul', { class: 'plain answers' }, items.map(item))]
        : h('p', { class: 'empty' }, t('staff.answers.none')));
    } catch (err) {
      failedInto(results, err, () => load());
    }
  }
  load();
}
