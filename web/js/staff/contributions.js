// SPDX-License-Identifier: MIT
// The students' contributions at the desk: the review queue (GET /contributions
// ?status=submitted), the published ones and the rejected ones, each shown strictly
// as text (titles, bodies, credits and comments are whatever a student typed), and
// the review (POST /contributions/{id}/review): approve, reject with a comment the
// student will read, or take a published one down.
import { get, post, withQuery } from '../api.js';
import { h, fill, t, notify, loadingInto, failedInto } from '../shell.js';
import { dateTime } from '../format.js';
import { badge, fetchAll, field, formError, submitForm } from '../desk/common.js';

const STATUSES = ['submitted', 'approved', 'rejected'];
const LONG_BODY = 700;
const state = { status: 'submitted' };

/** How many contributions wait for a review (the first 200 are enough to say). */
export async function waitingCount() {
  const page = await get(withQuery('/contributions', { status: 'submitted', limit: 200 }));
  return page.items.length;
}

export function renderContributions(body, { onCount } = {}) {
  const results = h('div', { class: 'contribution-results' });
  const statusButton = (status) => h('button', {
    type: 'button', class: 'secondary', 'aria-pressed': String(state.status === status),
    onclick: () => { state.status = status; renderContributions(body, { onCount }); },
  }, t(`staff.contributions.show_${status}`));
  fill(body,
    h('div', { class: 'section-head' }, h('h2', {}, t('staff.contributions.title'))),
    h('p', { class: 'muted' }, t('staff.contributions.intro')),
    h('div', { class: 'toolbar' },
      h('div', { class: 'segmented fill', role: 'group', 'aria-label': t('staff.contributions.show') },
        STATUSES.map(statusButton))),
    results);

  async function load() {
    results.setAttribute('aria-busy', 'true');
    if (!results.firstChild) loadingInto(results);
    try {
      const items = await fetchAll('/contributions', { status: state.status });
      if (state.status === 'submitted' && onCount) onCount(items.length);
      else if (onCount) waitingCount().then(onCount).catch(() => {});
      // The newest first, except the queue, which is worked through oldest first.
      if (state.status !== 'submitted') items.reverse();
      if (!items.length) {
        fill(results, h('p', { class: 'empty', tabindex: '-1' }, t(`staff.contributions.none_${state.status}`)));
        return;
      }
      fill(results,
        h('p', { class: 'muted queue-summary', role: 'status', tabindex: '-1' },
          t(`staff.contributions.count_${state.status}`, { count: items.length })),
        h('ul', { class: 'plain contributions' }, items.map((c) => contributionItem(c, load))));
    } catch (err) {
      failedInto(results, err, () => { results.replaceChildren(); load(); });
    } finally {
      results.removeAttribute('aria-busy');
    }
  }
  load();
}

function statusBadge(c) {
  if (c.status === 'approved') return badge(t('staff.contributions.status_approved'), 'ok');
  if (c.status === 'rejected') return badge(t('staff.contributions.status_rejected'), 'danger');
  return badge(t('staff.contributions.status_submitted'), 'warn');
}

/** The text as typed: a text node, line breaks kept by CSS, long ones folded. */
function bodyText(c) {
  const text = h('p', { class: 'pre contribution-body', id: `contribution-${c.id}-body` }, c.body);
  if (c.body.length <= LONG_BODY) return text;
  text.classList.add('folded');
  const toggle = h('button', {
    type: 'button', class: 'link small', 'aria-expanded': 'false', 'aria-controls': text.id,
    onclick: () => {
      const open = toggle.getAttribute('aria-expanded') !== 'true';
      toggle.setAttribute('aria-expanded', String(open));
      text.classList.toggle('folded', !open);
      fill(toggle, t(open ? 'staff.contributions.fold' : 'staff.contributions.unfold'));
    },
  }, t('staff.contributions.unfold'));
  return [text, h('p', {}, toggle)];
}

function contributionItem(c, reload) {
  const headingId = `contribution-${c.id}-title`;
  return h('li', { class: 'card contribution', 'data-contribution-id': c.id },
    h('div', { class: 'item-head' },
      h('h3', { id: headingId }, c.title),
      h('span', {}, badge(t(`staff.contributions.kind_${c.kind}`)), ' ', statusBadge(c))),
    h('p', { class: 'small muted' },
      t('staff.contributions.by', { name: c.credit_name }),
      c.client_id ? [' (', h('a', { href: `#clients/${c.client_id}` }, t('staff.contributions.record')), ')'] : null,
      ' · ', t('staff.contributions.submitted_at', { when: dateTime(c.submitted_at) }),
      c.reviewed_at ? [' · ', t('staff.contributions.reviewed_at', { when: dateTime(c.reviewed_at) })] : null),
    bodyText(c),
    c.review_comment ? h('div', { class: 'review-comment' },
      h('p', { class: 'small muted' }, t('staff.contributions.comment_was')),
      h('p', { class: 'pre' }, c.review_comment)) : null,
    reviewForm(c, reload));
}

/** Approve or reject (with the comment the student reads); a published one can be taken down. */
function reviewForm(c, reload) {
  const id = `review-${c.id}`;
  const decisions = { submitted: ['approved', 'rejected'], approved: ['rejected'], rejected: ['approved'] }[c.status];
  const label = (d) => t(c.status === 'approved' ? 'staff.contributions.take_down' : `staff.contributions.do_${d}`);
  const form = h('form', { class: 'review-form', novalidate: true },
    formError(),
    field(id, t('staff.contributions.comment'),
      h('textarea', { name: 'comment', rows: 2, maxlength: 10000 }), t('staff.contributions.comment_hint')),
    h('div', { class: 'form-actions' }, decisions.map((d) => h('button', {
      type: 'submit', name: 'decision', value: d, class: d === 'rejected' ? 'danger' : null,
    }, label(d), h('span', { class: 'visually-hidden' }, ` — ${c.title}`)))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (form.getAttribute('aria-busy') === 'true') return;
    const decision = event.submitter && event.submitter.value ? event.submitter.value : decisions[0];
    const buttons = [...form.querySelectorAll('button[type=submit]')];
    buttons.forEach((b) => { b.disabled = true; });
    let failure = null;
    const done = await submitForm(form, async () => {
      try {
        return await post(`/contributions/${c.id}/review`, {
          decision, comment: form.elements.namedItem('comment').value.trim(),
        });
      } catch (err) {
        failure = err;
        throw err;
      }
    });
    buttons.forEach((b) => { b.disabled = false; });
    if (!done) {
      const note = form.querySelector(`#${id}-error`);
      if (failure && failure.fields && failure.fields.comment && note && decision === 'rejected')
        note.textContent = t('staff.contributions.comment_required');
      form.elements.namedItem('comment').focus();
      return;
    }
    notify(t(decision === 'approved' ? 'staff.contributions.approved_notice' : 'staff.contributions.rejected_notice',
      { title: done.title }), 'success');
    await reload();
    // The item is gone from this list: the keyboard carries on from the list's top.
    document.querySelector('.contribution-results .queue-summary, .contribution-results .empty')?.focus();
  });
  return form;
}
