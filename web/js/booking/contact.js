// SPDX-License-Identifier: MIT
// The contact card: whether the phone line is open now and when it opens or closes
// next (GET /channels, times in the business time zone), its weekly hours, the
// e-mail address with the promised answer time, and the inquiry form (POST
// /inquiries) whose success shows when the answer is due.
import { get, post } from '../api.js';
import { h, fill } from '../dom.js';
import { currentLanguage, t } from '../i18n.js';
import { dateTime, weekdayName } from '../format.js';
import { failedInto, loadingInto, session, submitting } from '../shell.js';
import { state } from './state.js';
import { emit, tx, whenText } from './ui.js';

const view = { error: null, sent: null, seq: 0 };
let channelsBox = null;
let formBox = null;
let form = null;

/** "Monday–Friday: 08:30–14:30, 16:00–20:00", consecutive days with equal hours grouped. */
function hoursLines(hours) {
  const perDay = new Map();
  for (const w of hours) {
    if (!perDay.has(w.weekday)) perDay.set(w.weekday, []);
    perDay.get(w.weekday).push(`${w.opens}–${w.closes}`);
  }
  const lines = [];
  let run = null;
  for (let day = 1; day <= 8; day++) {
    const text = perDay.has(day) ? perDay.get(day).join(', ') : null;
    if (run && text === run.text && day <= 7) {
      run.to = day;
      continue;
    }
    if (run && run.text) {
      const days = run.from === run.to ? weekdayName(run.from)
        : `${weekdayName(run.from)}–${weekdayName(run.to)}`;
      lines.push(t('book.contact.hours_line', { days, hours: run.text }));
    }
    run = { from: day, to: day, text };
  }
  return lines;
}

function answerPromise(hours) {
  if (hours % 24 === 0) return t('book.contact.answer_days', { count: hours / 24 });
  return t('book.contact.answer_hours', { count: hours });
}

function phoneBlock(channel) {
  const open = channel.open_now;
  const status = [h('span', { class: `dot ${open ? 'open' : 'closed'}`, 'aria-hidden': 'true' }),
    h('strong', {}, t(open ? 'book.contact.open_now' : 'book.contact.closed_now'))];
  if (channel.next_change_at) {
    status.push(' · ', t(open ? 'book.contact.closes' : 'book.contact.opens',
      { when: whenText(channel.next_change_at) }));
  }
  return h('div', { class: 'channel', id: 'channel-phone', 'data-open': String(open) },
    tx('h3', 'book.contact.phone'),
    h('p', { class: 'channel-status' }, status),
    h('p', { class: 'channel-value' },
      h('a', { href: `tel:${channel.value.replace(/[^+\d]/g, '')}` }, channel.value)),
    channel.hours.length
      ? h('ul', { class: 'plain small muted hours' }, hoursLines(channel.hours).map((line) => h('li', {}, line)))
      : null);
}

function emailBlock(channel) {
  return h('div', { class: 'channel', id: 'channel-email' },
    tx('h3', 'book.contact.email'),
    h('p', { class: 'channel-value' }, h('a', { href: `mailto:${channel.value}` }, channel.value)),
    channel.response_hours
      ? h('p', { class: 'small', id: 'email-promise' }, answerPromise(channel.response_hours)) : null);
}

function renderChannels() {
  if (view.error) {
    failedInto(channelsBox, view.error, () => load());
    return;
  }
  if (!state.channels) {
    loadingInto(channelsBox);
    return;
  }
  const phone = state.channels.find((c) => c.kind === 'phone');
  const email = state.channels.find((c) => c.kind === 'email');
  fill(channelsBox, phone ? phoneBlock(phone) : null, email ? emailBlock(email) : null);
}

function field(name, labelKey, input, hintKey) {
  const id = `inquiry-${name}`;
  const hint = hintKey ? tx('span', hintKey, { class: 'hint', id: `${id}-hint` }) : null;
  return h('div', { class: 'field' }, tx('label', labelKey, { for: id }),
    Object.assign(input, { id, name }), hint);
}

function buildForm() {
  form = h('form', { id: 'inquiry-form', novalidate: true },
    h('div', { class: 'form-error', 'data-role': 'form-error', role: 'alert', hidden: true }),
    field('full_name', 'book.contact.name', h('input', { autocomplete: 'name' })),
    tx('p', 'book.contact.reach_hint', { class: 'small muted', id: 'inquiry-reach-hint' }),
    field('email', 'common.email', h('input', { type: 'email', autocomplete: 'email', 'aria-describedby': 'inquiry-reach-hint' })),
    field('phone', 'book.contact.phone_field', h('input', { type: 'tel', autocomplete: 'tel', 'aria-describedby': 'inquiry-reach-hint' })),
    field('subject', 'book.contact.subject', h('input', {})),
    field('message', 'book.contact.message', h('textarea', { rows: 4 })),
    tx('button', 'book.contact.send', { type: 'submit' }));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    let failure = null;
    const answer = await submitting(form, (values) => post('/inquiries', {
      channel: 'web', full_name: values.full_name || '', email: values.email || null,
      phone: values.phone || null, subject: values.subject || '', message: values.message || '',
      locale: currentLanguage(),
    }).catch((err) => { failure = err; throw err; }));
    if (answer) {
      view.sent = answer;
      form.reset();
      renderForm();
      formBox.querySelector('.sent').focus();
    } else if (failure && failure.fields && /phone/.test(failure.fields.email || '')) {
      // "an e-mail address or a phone number is required": say which two fields.
      const note = form.querySelector('#inquiry-email-error');
      if (note) note.textContent = t('book.contact.email_or_phone');
    }
  });
}

function renderForm() {
  if (view.sent) {
    fill(formBox, h('div', { class: 'sent notice success', role: 'status', tabindex: '-1' },
      h('p', {}, h('strong', {}, t('book.contact.sent_title'))),
      h('p', { id: 'inquiry-due' }, view.sent.due_at
        ? t('book.contact.sent_due', { when: dateTime(view.sent.due_at) }) : t('book.contact.sent')),
      h('button', {
        type: 'button', class: 'secondary', onclick: () => {
          view.sent = null;
          renderForm();
          form.elements.full_name.focus();
        },
      }, t('book.contact.send_another'))));
    return;
  }
  if (session.client) {
    if (!form.elements.full_name.value) form.elements.full_name.value = session.client.full_name || '';
    if (!form.elements.email.value) form.elements.email.value = session.client.email || '';
  }
  fill(formBox, form);
}

/**
 * Opens the inquiry form with a question the answers did not settle (from the ask
 * card): the question as the message, the form scrolled to and its first empty
 * field focused.
 */
export function prefill(question) {
  view.sent = null;
  renderForm();
  if (question && !form.elements.message.value) form.elements.message.value = question;
  if (question && !form.elements.subject.value) form.elements.subject.value = question.slice(0, 80);
  const empty = ['full_name', 'email', 'message'].map((n) => form.elements[n]).find((el) => !el.value);
  (empty || form.elements.message).focus();
}

/** Draws the card from what is loaded (also after a language change or a login). */
export function render() {
  renderChannels();
  renderForm();
}

export async function load() {
  const seq = ++view.seq;
  view.error = null;
  state.channels = null;
  renderChannels();
  try {
    const answer = await get('/channels');
    if (seq !== view.seq) return;
    state.channels = answer.items;
    emit('channels');
  } catch (err) {
    if (seq !== view.seq) return;
    view.error = err;
  }
  renderChannels();
}

export function mount(root) {
  channelsBox = h('div', { id: 'channels' });
  formBox = h('div', { id: 'inquiry' });
  buildForm();
  fill(root,
    tx('h2', 'book.contact.title', { id: 'contact-title' }),
    channelsBox,
    tx('h3', 'book.contact.form_title', { id: 'inquiry-title' }),
    tx('p', 'book.contact.form_intro', { class: 'small muted' }),
    formBox);
  renderForm();
}
