// SPDX-License-Identifier: MIT
// The "Galdetu" (ask) card of the booking page: answers as you type, at any hour.
// Typing searches the staff's answers in the page's language (GET /answers?q=,
// debounced, public and not counted); asking (the button or Enter) calls POST /ask,
// which adds what the server knows live: the phone open now, prices, the next free
// slot of a named subject (counted: 30 an hour per address). When nothing helps,
// "write to us" hands the question to the contact card's inquiry form, so a person
// answers it within the promised time. Owns the question box and what it shows.
import { get, post, withQuery } from '../api.js';
import { h, fill } from '../dom.js';
import { currentLanguage, errorText, t } from '../i18n.js';
import { money } from '../format.js';
import { state, tutorName } from './state.js';
import { tx, whenText } from './ui.js';

// Milliseconds of quiet typing before a search; the shortest question searched.
const DEBOUNCE_MS = 300;
const MIN_CHARS = 3;
const SHOWN = 3;

// answers: what is shown; facts: POST /ask's live facts (null after typing);
// asked: the text the shown answers are for; seq: drops answers that come late.
const view = { answers: null, facts: null, asked: '', error: null, busy: false, seq: 0 };
let root = null;
let input = null;
let results = null;
let timer = null;
let onWrite = () => {};

function answerItem(answer) {
  const id = `ask-answer-${answer.id}`;
  return h('li', { class: 'ask-answer', 'data-answer-id': answer.id, 'aria-labelledby': id },
    h('h3', { id, class: 'ask-question' }, answer.question),
    h('p', { class: 'ask-text' }, answer.answer));
}

function phoneFact(channels) {
  const phone = (channels || []).find((c) => c.kind === 'phone');
  if (!phone) return null;
  const when = phone.next_change_at ? whenText(phone.next_change_at) : null;
  const key = phone.open_now ? 'book.ask.fact_phone_open' : 'book.ask.fact_phone_closed';
  return h('li', { 'data-fact': 'phone' }, t(key, { phone: phone.value, when: when || '' }));
}

function priceFacts(services) {
  if (!services || !services.length) return [];
  return [h('li', { 'data-fact': 'prices' }, tx('span', 'book.ask.fact_prices'),
    h('ul', { class: 'plain small' }, services.slice(0, 8).map((s) => h('li', {},
      `${s.name}: ${money(s.price_cents)}`))))];
}

function slotFact(slot) {
  if (!slot) return null;
  const svc = state.services.find((s) => s.id === slot.service_id);
  return h('li', { 'data-fact': 'next-slot' }, t('book.ask.fact_next_slot', {
    service: svc ? svc.name : '', tutor: tutorName(slot.tutor_id), when: whenText(slot.starts_at),
  }));
}

function factsList(facts) {
  if (!facts) return null;
  const items = [phoneFact(facts.channels), ...priceFacts(facts.services), slotFact(facts.next_free_slot)]
    .filter(Boolean);
  return items.length ? h('ul', { class: 'plain ask-facts', id: 'ask-facts' }, items) : null;
}

function render() {
  if (!results) return;
  results.setAttribute('aria-busy', view.busy ? 'true' : 'false');
  if (view.error) {
    fill(results, h('p', { class: 'form-error', role: 'alert' }, view.error));
    return;
  }
  if (view.answers === null) {
    fill(results);
    return;
  }
  const none = !view.answers.length && !(view.facts && factsList(view.facts));
  fill(results,
    factsList(view.facts),
    view.answers.length
      ? h('ol', { class: 'plain items ask-answers', id: 'ask-answers' }, view.answers.map(answerItem))
      : none ? tx('p', 'book.ask.none', { class: 'muted', id: 'ask-none' }) : null,
    h('p', { class: 'small ask-write' }, tx('span', 'book.ask.not_helpful'), ' ',
      h('button', {
        type: 'button', class: 'link', id: 'ask-write',
        onclick: () => onWrite(view.asked || input.value.trim()),
      }, t('book.ask.write'))));
}

async function search(text) {
  const seq = ++view.seq;
  try {
    const answer = await get(withQuery('/answers', { q: text, locale: currentLanguage(), limit: SHOWN }));
    if (seq !== view.seq) return;
    view.answers = answer.items.slice(0, SHOWN);
    view.facts = null;
    view.asked = text;
    view.error = null;
  } catch (err) {
    if (seq !== view.seq) return;
    view.error = errorText(err);
  }
  render();
}

async function ask(text) {
  const seq = ++view.seq;
  view.busy = true;
  render();
  try {
    const answer = await post('/ask', { question: text, locale: currentLanguage() });
    if (seq !== view.seq) return;
    view.answers = answer.answers;
    view.facts = answer.facts;
    view.asked = text;
    view.error = null;
  } catch (err) {
    if (seq !== view.seq) return;
    view.error = errorText(err);
  }
  view.busy = false;
  render();
}

function typed() {
  clearTimeout(timer);
  const text = input.value.trim();
  if (text.length < MIN_CHARS) {
    view.seq++;
    view.answers = null;
    view.facts = null;
    view.error = null;
    render();
    return;
  }
  timer = setTimeout(() => search(text), DEBOUNCE_MS);
}

function draw() {
  input = h('input', {
    type: 'search', id: 'ask-input', name: 'question', autocomplete: 'off',
    maxlength: '500', 'aria-describedby': 'ask-hint', 'aria-controls': 'ask-results',
  });
  input.addEventListener('input', typed);
  results = h('div', { id: 'ask-results', 'aria-live': 'polite' });
  const form = h('form', { id: 'ask-form', role: 'search' },
    h('div', { class: 'field' }, tx('label', 'book.ask.label', { for: 'ask-input' }),
      h('div', { class: 'ask-row' }, input, tx('button', 'book.ask.button', { type: 'submit' })),
      tx('span', 'book.ask.hint', { class: 'hint', id: 'ask-hint' })));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    const text = input.value.trim();
    if (text) ask(text);
  });
  fill(root, tx('h2', 'book.ask.title', { id: 'ask-title' }),
    tx('p', 'book.ask.intro', { class: 'small muted' }), form, results);
  render();
}

/** Draws what is shown again (after a language change: the facts' sentences). */
export { render };

/** Mounts the card; write(question) opens the inquiry form with the question in it. */
export function mount(element, write) {
  root = element;
  onWrite = write;
  draw();
}
