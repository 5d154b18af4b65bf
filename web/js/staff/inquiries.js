// SPDX-License-Identifier: MIT
// The desk's inquiry queue: GET /inquiries (overdue first, as the server orders it)
// filtered by status, each with its due time in the business time zone, and an
// answer form (POST /inquiries/{id}/answer) that says whether it was on time. The
// automatic answers suggested to the inquirer are shown with it, each one a click
// away from the reply box.
import { get, post, withQuery } from '../api.js';
import { h, fill, t, notify, loadingInto, failedInto } from '../shell.js';
import { dateTime } from '../format.js';
import { badge, field, formError, selectBox, submitForm } from '../desk/common.js';
import { answersById } from './answers.js';

const STATUSES = ['open', 'overdue', 'answered', 'all'];
const state = { status: 'open' };

export function renderInquiries(panel) {
  const results = h('div', { class: 'inquiry-list' });
  const filter = selectBox({ id: 'inquiry-status' },
    STATUSES.map((s) => ({ value: s, label: t(`staff.inquiries.filter_${s}`) })), state.status);
  filter.addEventListener('change', () => { state.status = filter.value; load(); });
  fill(panel,
    h('div', { class: 'section-head' },
      h('h2', {}, t('staff.tab.inquiries')),
      h('div', { class: 'field inline' },
        h('label', { for: 'inquiry-status' }, t('staff.inquiries.status')), filter)),
    h('p', { class: 'muted small' }, t('staff.inquiries.promise')),
    results);

  let after = null;
  async function load(more = false) {
    if (!more) { after = null; loadingInto(results); }
    try {
      const page = await get(withQuery('/inquiries', {
        status: state.status === 'all' ? null : state.status, limit: 50, after,
      }));
      after = page.next_after;
      const suggested = page.items.some((q) => (q.suggested_answers || []).length)
        ? await answersById().catch(() => new Map()) : new Map();
      const items = page.items.map((q) => inquiryItem(q, load, suggested));
      if (more) {
        results.querySelector('ul.inquiries').append(...items);
        results.querySelector('.more')?.remove();
      } else if (!items.length) {
        fill(results, h('p', { class: 'empty' }, t(`staff.inquiries.none_${state.status}`)));
        return;
      } else {
        const overdue = page.items.filter((q) => q.status === 'overdue').length;
        fill(results,
          h('p', { class: 'queue-summary', role: 'status' },
            t('staff.inquiries.count', { count: page.items.length }),
            overdue ? [' · ', h('strong', {}, t('staff.inquiries.overdue_count', { count: overdue }))] : null),
          h('ul', { class: 'plain inquiries' }, items));
      }
      if (after) {
        results.append(h('button', { type: 'button', class: 'secondary more', onclick: () => load(true) },
          t('desk.more')));
      }
    } catch (err) {
      failedInto(results, err, () => load(more));
    }
  }
  load();
}

function statusBadge(q) {
  if (q.status === 'overdue') return badge(t('staff.inquiries.overdue'), 'danger');
  if (q.status === 'answered') {
    return q.on_time === false ? badge(t('staff.inquiries.answered_late'), 'warn')
      : badge(t('staff.inquiries.answered_on_time'), 'ok');
  }
  return badge(t('staff.inquiries.open'));
}

function inquiryItem(q, reload, answers) {
  const headingId = `inquiry-${q.id}-title`;
  const contact = [q.email, q.phone].filter(Boolean).join(' · ');
  return h('li', { class: `card inquiry status-${q.status}`, 'data-inquiry-id': q.id },
    h('div', { class: 'item-head' },
      h('h3', { id: headingId }, q.subject),
      statusBadge(q)),
    h('p', { class: 'small' }, h('strong', {}, q.full_name), contact ? ` · ${contact}` : '',
      ' · ', t(`desk.channel.${q.channel}`)),
    h('p', { class: 'small muted' },
      t('staff.inquiries.received', { when: dateTime(q.received_at) }), ' · ',
      q.due_at ? h('span', { class: q.status === 'overdue' ? 'overdue-text' : null },
        t('staff.inquiries.due', { when: dateTime(q.due_at) }))
        : t('staff.inquiries.no_due')),
    h('p', { class: 'pre message' }, q.message),
    q.status === 'answered' ? [suggestions(q, answers, null), answered(q)]
      : (() => {
        const form = answerForm(q, reload);
        return [suggestions(q, answers, form), form];
      })());
}

/** The answers sent automatically with the acknowledgement; with form, "use" fills its reply. */
function suggestions(q, answers, form) {
  const shown = (q.suggested_answers || []).map((id) => answers.get(id)).filter(Boolean);
  if (!shown.length) return null;
  return h('details', { class: 'suggested', 'data-role': 'suggested' },
    h('summary', {}, t('staff.inquiries.suggested', { count: shown.length })),
    h('ul', { class: 'plain' }, shown.map((a) => h('li', { 'data-answer-id': a.id },
      h('p', {}, h('strong', {}, a.question)),
      h('p', { class: 'pre small' }, a.answer),
      form ? h('button', {
        type: 'button', class: 'secondary', 'data-action': 'use-answer',
        onclick: () => {
          const box = form.elements.reply;
          box.value = box.value ? `${box.value}\n\n${a.answer}` : a.answer;
          box.focus();
        },
      }, t('staff.inquiries.use_answer')) : null))));
}

function answered(q) {
  return h('div', { class: 'reply' },
    h('p', { class: 'small muted' }, t('staff.inquiries.answered_at', { when: dateTime(q.answered_at) })),
    q.reply ? h('p', { class: 'pre' }, q.reply) : null);
}

function answerForm(q, reload) {
  const id = `answer-${q.id}`;
  const form = h('form', { class: 'answer-form', novalidate: true },
    formError(),
    field(id, t('staff.inquiries.reply'), h('textarea', { name: 'reply', rows: 3, maxlength: 10000, required: true })),
    h('button', { type: 'submit' }, t('staff.inquiries.send'),
      h('span', { class: 'visually-hidden' }, ` — ${q.subject}`)));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const done = await submitForm(form, (v) => post(`/inquiries/${q.id}/answer`, { reply: v.reply ?? '' }));
    if (!done) return;
    notify(t(done.on_time === false ? 'staff.inquiries.sent_late' : 'staff.inquiries.sent_on_time',
      { name: done.full_name, subject: done.subject }), done.on_time === false ? 'info' : 'success');
    await reload();
  });
  return form;
}
