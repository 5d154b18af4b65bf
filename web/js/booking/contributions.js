// SPDX-License-Identifier: MIT
// Co-creation on the booking page: the students' contributions the academy has
// published (GET /contributions?status=approved: title, kind, credit name, body),
// newest first; and for a logged-in student a form to send a blog post, a material
// or a method for review (POST /contributions, errors next to each field) and the
// list of their own with its status and the reviewer's comment. Every text from
// the API is shown as text (community-ui.js), never as markup.
import { get, post, withQuery } from '../api.js';
import { h, fill } from '../dom.js';
import { t } from '../i18n.js';
import { businessDate, dayLabel } from '../format.js';
import { failedInto, loadingInto, session, submitting } from '../shell.js';
import { collapsibleText, loginPrompt } from './community-ui.js';
import { label, tabs, tx } from './ui.js';

const KINDS = ['blog_post', 'material', 'method'];
const STATUS_BADGE = { submitted: 'warn', approved: 'ok', rejected: 'danger' };
const SHOWN = 5;

const view = {
  published: null, publishedError: null, shown: SHOWN,
  mine: null, mineError: null, sent: null, seq: 0,
};
let root = null;
let mode = null;       // 'student' or 'other': what the card is built for
let parts = null;      // {published, write, mine, set, form, creditHint}

/** Every contribution the query gives, following next_after (bounded). */
async function fetchAll(params) {
  const items = [];
  let after = null;
  for (let page = 0; page < 20; page++) {
    const answer = await get(withQuery('/contributions', { ...params, limit: 200, after }));
    items.push(...answer.items);
    if (answer.next_after === null || answer.next_after === undefined) break;
    after = answer.next_after;
  }
  return items;
}

function shortDay(instant) { return dayLabel(businessDate(instant)); }

function contributionItem(c, where) {
  const titleId = `contribution-${where}-${c.id}-title`;
  const badges = [h('span', { class: 'eyebrow', 'data-field': 'kind' }, label('book.community.contrib.kind', c.kind))];
  if (where === 'mine') {
    badges.push(h('span', { class: `badge ${STATUS_BADGE[c.status] || ''}`, 'data-field': 'status' },
      label('book.community.status', c.status)));
  } else if (c.own) {
    badges.push(h('span', { class: 'badge ok' }, t('book.community.contrib.yours')));
  }
  const meta = [h('span', { 'data-field': 'credit' }, t('book.community.contrib.by', { name: c.credit_name }))];
  if (where === 'mine') meta.push(' · ', t('book.community.mine.sent_at', { when: shortDay(c.submitted_at) }));
  return h('li', { class: 'contribution', 'data-contribution-id': c.id, 'aria-labelledby': titleId },
    h('div', { class: 'contribution-tags' }, badges),
    h('h3', { id: titleId, class: 'contribution-title', 'data-field': 'title' }, c.title),
    h('p', { class: 'small muted contribution-meta' }, meta),
    collapsibleText(c.body, `contribution-${where}-${c.id}-body`, 'contribution-body'),
    where === 'mine' && c.review_comment ? h('div', { class: 'review-comment' },
      tx('p', 'book.community.mine.comment', { class: 'small review-label' }),
      h('p', { class: 'api-text', 'data-field': 'comment' }, c.review_comment)) : null);
}

function renderPublished() {
  const box = parts.published;
  if (view.publishedError) {
    failedInto(box, view.publishedError, () => load());
    return;
  }
  if (!view.published) {
    loadingInto(box);
    return;
  }
  const items = view.published.slice(0, view.shown);
  const left = view.published.length - items.length;
  fill(box,
    items.length
      ? h('ul', { class: 'plain items contributions', id: 'contributions-published' },
        items.map((c) => contributionItem(c, 'published')))
      : tx('p', 'book.community.contrib.empty', { class: 'muted empty' }),
    left > 0 ? h('button', {
      type: 'button', class: 'secondary', onclick: () => {
        const first = view.published[view.shown];
        view.shown += SHOWN * 2;
        renderPublished();
        const title = first && box.querySelector(`#contribution-published-${first.id}-title`);
        if (title) { title.tabIndex = -1; title.focus(); }
      },
    }, t('book.community.contrib.more', { count: left })) : null,
    mode !== 'student' && !session.user ? loginPrompt('book.community.contrib.login') : null,
    session.user && mode !== 'student' ? tx('p', 'book.community.contrib.staff', { class: 'small muted' }) : null);
}

function renderMine() {
  const box = parts.mine;
  if (!box) return;
  if (view.mineError) {
    failedInto(box, view.mineError, () => load());
    return;
  }
  if (!view.mine) {
    loadingInto(box);
    return;
  }
  const sent = view.sent ? h('div', { class: 'notice success sent', role: 'status', tabindex: '-1', id: 'contribution-sent' },
    h('p', {}, t('book.community.form.sent', { title: view.sent.title }))) : null;
  const mine = [...view.mine].reverse();
  fill(box, sent,
    mine.length
      ? h('ul', { class: 'plain items contributions', id: 'contributions-mine' },
        mine.map((c) => contributionItem(c, 'mine')))
      : h('p', { class: 'muted empty' }, t('book.community.mine.empty'), ' ',
        h('button', { type: 'button', class: 'link', onclick: () => parts.set.select('write', true) },
          t('book.community.contrib.tab.write'))));
}

function field(name, labelKey, control, hint) {
  const id = `contribution-${name}`;
  Object.assign(control, { id, name });
  if (hint) {
    hint.id = `${id}-hint`;
    control.setAttribute('aria-describedby', hint.id);
  }
  return h('div', { class: 'field' }, tx('label', labelKey, { for: id }), control, hint);
}

function creditHintText() {
  return t('book.community.form.credit_hint', { name: (session.client && session.client.full_name) || '' });
}

function buildForm() {
  const kind = h('select', { required: true },
    tx('option', 'book.community.form.kind_choose', { value: '' }),
    KINDS.map((k) => tx('option', `book.community.contrib.kind.${k}`, { value: k })));
  const creditHint = h('span', { class: 'hint' }, creditHintText());
  const form = h('form', { id: 'contribution-form', class: 'contribution-form', novalidate: true },
    tx('p', 'book.community.form.intro', { class: 'small muted' }),
    h('div', { class: 'form-error', 'data-role': 'form-error', role: 'alert', hidden: true }),
    field('kind', 'book.community.form.kind', kind,
      tx('span', 'book.community.form.kind_hint', { class: 'hint' })),
    field('title', 'book.community.form.title', h('input', { maxlength: 200, required: true })),
    field('body', 'book.community.form.body', h('textarea', { rows: 8, maxlength: 50000, required: true }),
      tx('span', 'book.community.form.body_hint', { class: 'hint' })),
    field('credit_name', 'book.community.form.credit', h('input', { maxlength: 200, autocomplete: 'name' }), creditHint),
    tx('button', 'book.community.form.submit', { type: 'submit' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const answer = await submitting(form, (values) => post('/contributions', {
      kind: values.kind || '', title: values.title || '', body: values.body || '',
      credit_name: values.credit_name || null,
    }));
    if (!answer) {
      const first = form.querySelector('[aria-invalid=true]') || form.querySelector('[data-role=form-error]');
      if (first) { if (!first.matches('input, select, textarea')) first.tabIndex = -1; first.focus(); }
      return;
    }
    form.reset();
    view.sent = answer;
    view.mine = [...(view.mine || []), answer];
    parts.set.select('mine');
    renderMine();
    parts.mine.querySelector('#contribution-sent').focus();
  });
  parts.form = form;
  parts.creditHint = creditHint;
  return form;
}

function build() {
  mode = session.client ? 'student' : 'other';
  parts = { published: h('div', { id: 'contributions-published-box' }) };
  const head = [
    tx('h2', 'book.community.contrib.title', { id: 'contributions-title' }),
    tx('p', 'book.community.contrib.intro', { class: 'muted' }),
  ];
  if (mode !== 'student') {
    fill(root, head, parts.published);
    return;
  }
  parts.mine = h('div', { id: 'contributions-mine-box' });
  parts.write = buildForm();
  parts.set = tabs('contributions', [
    { id: 'published', labelKey: 'book.community.contrib.tab.published', panel: parts.published },
    { id: 'write', labelKey: 'book.community.contrib.tab.write', panel: parts.write },
    { id: 'mine', labelKey: 'book.community.contrib.tab.mine', panel: parts.mine },
  ]);
  fill(root, head, parts.set.element);
}

/** Draws the card (also after a language change or a login). */
export function render() {
  if (!root) return;
  root.dataset.state = view.publishedError ? 'error' : view.published === null ? 'loading' : 'ready';
  if (!parts || mode !== (session.client ? 'student' : 'other')) build();
  if (parts.creditHint) parts.creditHint.textContent = creditHintText();
  renderPublished();
  renderMine();
}

/** Reads the published contributions, and the student's own. */
export async function load() {
  const seq = ++view.seq;
  view.published = null;
  view.publishedError = null;
  view.mine = null;
  view.mineError = null;
  view.sent = null;
  view.shown = SHOWN;
  render();
  const mine = session.client ? fetchAll({ mine: 'true' }) : Promise.resolve(null);
  const [published, own] = await Promise.allSettled([fetchAll({ status: 'approved' }), mine]);
  if (seq !== view.seq) return;
  if (published.status === 'fulfilled') view.published = [...published.value].reverse();
  else view.publishedError = published.reason;
  if (own.status === 'fulfilled') view.mine = own.value;
  else view.mineError = own.reason;
  render();
}

export function mount(element) { root = element; }
