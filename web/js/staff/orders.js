// SPDX-License-Identifier: MIT
// Orders taken at the desk for one client: a phone or walk-in contract (the server's
// quote with discount and gift shown before confirming: GET /quote, POST /contracts),
// and a lesson booked in a free slot (GET /slots, POST /lessons with client_id), paid
// by a subscription's session or by a one-off contract made on the spot.
import { get, post, withQuery } from '../api.js';
import { h, fill, t, notify, loadingInto, failedInto } from '../shell.js';
import { errorText, fieldText } from '../i18n.js';
import { addDays, businessDate, dateTime, dayLabel, money, mondayOf, time } from '../format.js';
import { percent } from '../desk/format.js';
import { field, formError, selectBox, submitForm, tutors } from '../desk/common.js';

const ORDER_CHANNELS = ['phone', 'in_person', 'email'];

/** A work panel at the top of the record, closed by its button; returns its body. */
function workPanel(work, titleKey, client) {
  const body = h('div', {});
  const heading = h('h3', { id: 'work-title', tabindex: '-1' }, t(titleKey, { name: client.full_name }));
  fill(work, h('section', { class: 'card work-panel', 'aria-labelledby': 'work-title' },
    h('div', { class: 'card-head' }, heading,
      h('button', { type: 'button', class: 'link', onclick: () => work.replaceChildren() }, t('common.close'))),
    body));
  heading.focus();
  return body;
}

/** The quote (or contract) as a price box; data-field hooks name each figure. */
function priceBox(q, { made = false } = {}) {
  return h('div', { class: `quote-box${made ? ' made' : ''}` },
    h('p', { class: 'quote-ordinal' }, t('staff.contract.ordinal', { ordinal: q.ordinal })),
    h('dl', { class: 'facts' },
      h('dt', {}, t('staff.contract.list_price')), h('dd', { 'data-field': 'list_price' }, money(q.list_price_cents)),
      h('dt', {}, t('staff.contract.discount')),
      h('dd', {}, h('span', { 'data-field': 'percent' }, percent(q.discount_percent)),
        q.discount_cents ? ` (−${money(q.discount_cents)})` : ''),
      h('dt', {}, t('staff.contract.price')), h('dd', { class: 'price', 'data-field': 'price' }, money(q.price_cents)),
      h('dt', {}, t('staff.contract.gift')),
      h('dd', { 'data-field': 'gift' }, q.gift ? q.gift.name : t('staff.contract.no_gift'))));
}

/** Opens the "new contract" panel for client in the record's work area. */
export function openContract(work, client, allServices, { onDone }) {
  const body = workPanel(work, 'staff.contract.title', client);
  const active = allServices.filter((s) => s.active !== false);
  const quote = h('div', { class: 'quote-area', id: 'contract-quote', 'aria-live': 'polite' });
  const sessions = h('input', { type: 'number', name: 'sessions', min: 2, max: 200, value: 8, inputmode: 'numeric' });
  const sessionsField = field('contract-sessions', t('staff.contract.sessions'), sessions);
  sessionsField.hidden = true;
  const form = h('form', { class: 'contract-form', novalidate: true },
    formError(),
    h('div', { class: 'form-grid' },
      field('contract-service', t('staff.contract.service'),
        selectBox({ name: 'service_id' }, active.map((s) => ({ value: s.id, label: `${s.name} · ${money(s.price_cents)}` })))),
      field('contract-channel', t('staff.contract.channel'),
        selectBox({ name: 'channel' }, ORDER_CHANNELS.map((c) => ({ value: c, label: t(`desk.channel.${c}`) })), 'phone'))),
    h('fieldset', { class: 'choices' },
      h('legend', {}, t('staff.contract.kind')),
      ['one_off', 'subscription'].map((kind) => h('label', { class: 'choice' },
        h('input', { type: 'radio', name: 'kind', value: kind, checked: kind === 'one_off' ? true : null }),
        ' ', t(`staff.contract.kind_${kind}`)))),
    sessionsField,
    h('h4', {}, t('staff.contract.quote')),
    quote,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit' }, t('staff.contract.confirm'))));
  fill(body, form);

  const values = () => {
    const kind = form.elements.namedItem('kind').value;
    return {
      service_id: Number(form.elements.namedItem('service_id').value),
      kind,
      sessions: kind === 'subscription' ? Number(sessions.value) : 1,
      channel: form.elements.namedItem('channel').value,
    };
  };
  let asked = 0;
  let lastKey = '';
  const requote = async () => {
    const v = values();
    sessionsField.hidden = v.kind !== 'subscription';
    const key = `${v.service_id}|${v.kind}|${v.sessions}`;
    if (key === lastKey) return;
    lastKey = key;
    const n = ++asked;
    // The previous quote stays in place (busy) while the new one comes: no jump.
    if (quote.querySelector('.quote-box')) quote.setAttribute('aria-busy', 'true');
    else loadingInto(quote);
    try {
      const q = await get(withQuery('/quote', {
        client_id: client.id, service_id: v.service_id, kind: v.kind, sessions: v.sessions,
      }));
      if (n === asked) fill(quote, priceBox(q), h('p', { class: 'small muted' }, t('staff.contract.quote_hint')));
    } catch (err) {
      if (n !== asked) return;
      lastKey = '';
      const fields = Object.values(err.fields || {});
      fill(quote, h('p', { class: 'load-error', role: 'alert' }, fields.length ? fieldText(fields[0]) : errorText(err)));
    } finally {
      if (n === asked) quote.removeAttribute('aria-busy');
    }
  };
  form.addEventListener('change', requote);
  sessions.addEventListener('input', requote);
  requote();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const made = await submitForm(form, () => post('/contracts', { client_id: client.id, ...values() }));
    if (!made) return;
    notify(t('staff.contract.made', { name: client.full_name, percent: percent(made.discount_percent) }), 'success');
    fill(body, h('div', { id: 'contract-result', class: 'result' },
      h('p', { class: 'result-title' }, t('staff.contract.done')),
      priceBox(made, { made: true }),
      h('p', { class: 'small muted' }, t('staff.contract.server_gave'))));
    await onDone();
  });
}

/** Opens the "book a lesson" panel: free slots of a week, then how it is paid. */
export async function openBooking(work, client, data, { onDone }) {
  const body = workPanel(work, 'staff.book.title', client);
  const active = data.allServices.filter((s) => s.active !== false);
  const allTutors = await tutors();
  const state = { week: mondayOf(businessDate(Date.now())), slot: null };
  const serviceSelect = selectBox({ name: 'service_id' }, active.map((s) => ({ value: s.id, label: s.name })),
    client.tutor_id ? preferredService(active, allTutors, client.tutor_id) : null);
  const tutorSelect = selectBox({ name: 'tutor_id' }, [], '');
  const range = h('p', { class: 'range' });
  const slots = h('div', { class: 'slots', 'aria-live': 'polite' });
  const chosen = h('p', { class: 'chosen', 'aria-live': 'polite' });
  const payment = h('fieldset', { class: 'choices', name: 'contract_id', id: 'book-payment' });
  const form = h('form', { class: 'book-form', novalidate: true },
    formError(),
    h('div', { class: 'form-grid' },
      field('book-service', t('staff.contract.service'), serviceSelect),
      field('book-tutor', t('staff.lessons.tutor'), tutorSelect),
      field('book-channel', t('staff.contract.channel'),
        selectBox({ name: 'channel' }, ORDER_CHANNELS.map((c) => ({ value: c, label: t(`desk.channel.${c}`) })), 'phone'))),
    h('div', { class: 'week-nav' },
      h('button', { type: 'button', class: 'secondary', 'aria-label': t('staff.book.previous_week'),
        onclick: () => { state.week = addDays(state.week, -7); loadSlots(); } }, '‹'),
      range,
      h('button', { type: 'button', class: 'secondary', 'aria-label': t('staff.book.next_week'),
        onclick: () => { state.week = addDays(state.week, 7); loadSlots(); } }, '›')),
    slots,
    chosen,
    payment,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit' }, t('staff.book.confirm'))));
  fill(body, form);

  const service = () => active.find((s) => String(s.id) === serviceSelect.value);
  const fillTutors = () => {
    const s = service();
    const keep = tutorSelect.value;
    const teaching = allTutors.filter((tu) => !s || tu.subjects.includes(s.subject));
    fill(tutorSelect, h('option', { value: '' }, t('staff.book.any_tutor')),
      teaching.map((tu) => h('option', {
        value: tu.id, selected: String(tu.id) === keep || (!keep && tu.id === client.tutor_id) ? true : null,
      }, tu.full_name)));
  };
  const tutorName = (id) => (allTutors.find((tu) => tu.id === id) || {}).full_name || '';

  async function loadSlots() {
    state.slot = null;
    showChosen();
    const today = businessDate(Date.now());
    const from = state.week < today ? today : state.week;
    const to = addDays(state.week, 6);
    fill(range, t('staff.lessons.week_range', { from: dayLabel(state.week), to: dayLabel(to) }));
    if (to < today) { fill(slots, h('p', { class: 'empty' }, t('staff.book.past_week'))); return; }
    loadingInto(slots);
    try {
      const answer = await get(withQuery('/slots', {
        service_id: serviceSelect.value, from, to, tutor_id: tutorSelect.value || null,
      }));
      const days = [];
      for (let d = from; d <= to; d = addDays(d, 1)) days.push(d);
      const byDay = days.map((d) => [d, answer.items.filter((s) => businessDate(s.starts_at) === d)])
        .filter(([, list]) => list.length);
      if (!byDay.length) { fill(slots, h('p', { class: 'empty' }, t('staff.book.no_slots'))); return; }
      fill(slots, h('div', { class: 'week' }, byDay.map(([d, list]) => h('div', { class: 'day' },
        h('h4', {}, dayLabel(d)),
        h('ul', {}, list.map((s) => h('li', {}, h('button', {
          type: 'button', class: 'slot', 'aria-pressed': 'false',
          'data-starts-at': s.starts_at, 'data-tutor-id': s.tutor_id,
          onclick: (event) => pick(s, event.currentTarget),
        }, time(s.starts_at), tutorSelect.value ? null : h('span', { class: 'who' }, tutorName(s.tutor_id))))))))));
    } catch (err) {
      failedInto(slots, err, loadSlots);
    }
  }

  function pick(slot, button) {
    state.slot = slot;
    for (const b of slots.querySelectorAll('.slot')) b.setAttribute('aria-pressed', String(b === button));
    showChosen();
  }

  function showChosen() {
    fill(chosen, state.slot
      ? t('staff.book.chosen', { when: dateTime(state.slot.starts_at), tutor: tutorName(state.slot.tutor_id) })
      : t('staff.book.choose_slot'));
  }

  async function showPayment() {
    const s = service();
    const subs = data.contracts.filter((c) => c.kind === 'subscription' && c.status === 'active'
      && c.service_id === (s && s.id) && c.sessions_used < c.sessions_total);
    const quoteSpot = h('div', { class: 'quote-area', 'aria-live': 'polite' });
    fill(payment,
      h('legend', {}, t('staff.book.payment')),
      subs.map((c, i) => h('label', { class: 'choice' },
        h('input', { type: 'radio', name: 'payment', value: c.id, checked: i === 0 ? true : null }),
        ' ', t('staff.book.use_subscription', {
          ordinal: c.ordinal, left: c.sessions_total - c.sessions_used,
        }))),
      h('label', { class: 'choice' },
        h('input', { type: 'radio', name: 'payment', value: 'new', checked: subs.length ? null : true }),
        ' ', t('staff.book.new_one_off')),
      quoteSpot);
    // The quote is for a new one-off; a subscription's session costs nothing more.
    const showQuote = () => {
      const pay = form.elements.namedItem('payment');
      quoteSpot.hidden = !pay || pay.value !== 'new';
    };
    payment.onchange = showQuote;
    showQuote();
    if (!s) return;
    loadingInto(quoteSpot);
    try {
      const q = await get(withQuery('/quote', { client_id: client.id, service_id: s.id, kind: 'one_off', sessions: 1 }));
      fill(quoteSpot, priceBox(q));
    } catch (err) {
      failedInto(quoteSpot, err, showPayment);
    }
  }

  serviceSelect.addEventListener('change', () => { fillTutors(); loadSlots(); showPayment(); });
  tutorSelect.addEventListener('change', loadSlots);
  fillTutors();
  loadSlots();
  showPayment();

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const box = form.querySelector('[data-role=form-error]');
    if (!state.slot) {
      fill(box, t('staff.book.choose_slot'));
      box.hidden = false;
      return;
    }
    const pay = form.elements.namedItem('payment');
    const contractId = pay && pay.value !== 'new' ? Number(pay.value) : null;
    const lesson = await submitForm(form, (v) => post('/lessons', {
      client_id: client.id,
      service_id: Number(serviceSelect.value),
      tutor_id: state.slot.tutor_id,
      starts_at: state.slot.starts_at,
      channel: v.channel,
      ...(contractId ? { contract_id: contractId } : {}),
    }), { slot_taken: 'staff.book.slot_taken' });
    if (!lesson) {
      if (box.textContent === t('staff.book.slot_taken')) loadSlots();
      return;
    }
    const when = dateTime(lesson.starts_at);
    notify(t('staff.book.booked', { name: client.full_name, when }), 'success');
    fill(body, h('div', { id: 'booking-result', class: 'result' },
      h('p', { class: 'result-title' }, t('staff.book.booked', { name: client.full_name, when })),
      h('p', {}, tutorName(lesson.tutor_id)),
      lesson.contract && !contractId ? priceBox(lesson.contract, { made: true }) : null));
    await onDone();
  });
}

function preferredService(list, allTutors, tutorId) {
  const tutor = allTutors.find((tu) => tu.id === tutorId);
  const s = tutor && list.find((x) => tutor.subjects.includes(x.subject));
  return s ? s.id : null;
}
