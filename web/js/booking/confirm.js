// SPDX-License-Identifier: MIT
// The confirmation of a chosen slot, in a modal <dialog>: the class, then — before
// anything is booked — the server's quote (base price, loyalty discount, final
// price, the gift the contract earns), one lesson or a weekly series, and the
// booking itself (POST /lessons) with its outcome: the discount and gift actually
// applied, or why it failed (slot taken, taken weeks of a series). A weekly series
// is asked week by week before confirming (POST /lessons/check): each week free,
// taken by someone else, or the student's own lesson, with "book only the free
// weeks" (skip_weeks). After booking: each lesson's calendar file and "move" right
// there (web/js/move.js). A student with
// an active subscription of the service may use its sessions instead of a new
// contract. A visitor who is not logged in logs in or registers inside the dialog
// first.
import { get, post } from '../api.js';
import { h, fill } from '../dom.js';
import { errorText, t } from '../i18n.js';
import { addDays, businessDate, dateTime, dayLabel, longDate, money, time } from '../format.js';
import { clearFormErrors, failedInto, loadingInto, notify, session, showFormError } from '../shell.js';
import { authForms } from './account.js';
import { moveForm } from '../move.js';
import { forLearner, learnerBody, learnerRecord, service, state, tutorName } from './state.js';
import { emit, giftName, tNodes, tx } from './ui.js';

// A weekly series' length, as the server allows it (GET /limits).
const minWeeks = () => state.limits.repeat_weeks_min;
// A student cancels online while this many hours remain (GET /limits).
const noticeHours = () => state.limits.cancel_notice_hours;
const tooLateToCancel = (startsAt) => Date.parse(startsAt) - Date.now() < noticeHours() * 3600 * 1000;

/** What is true about cancelling the lessons just booked (issue 13, item 7). */
function cancelRule(items) {
  const hours = noticeHours();
  if (items.length && tooLateToCancel(items[0].starts_at)) {
    return h('p', { class: 'notice warn', id: 'done-cancel-rule' },
      t(items.length > 1 ? 'book.done.no_cancel_first' : 'book.done.no_cancel', { hours }));
  }
  return tx('p', 'book.done.cancel_rule', { class: 'small muted', id: 'done-cancel-rule' });
}
const maxWeeks = () => state.limits.repeat_weeks_max;

const dlg = {
  slot: null, svc: null, repeat: false, weeks: 4,
  quote: null, quoteError: null, quoteSeq: 0,
  busy: false, done: null, failure: null,
  subscription: null, pay: 'new', payChosen: false, paidFromSubscription: false,
  weekStates: null, weeksSeq: 0, weeksError: false, onlyFree: false, moving: null,
};
let dialog = null;
let weeksBox = null;
let quoteBox = null;
let debounce = null;
let onRefreshWeek = () => {};

// The weeks of the series the server named not free (indexes, 0 the first).
const busyWeeks = () => (dlg.weekStates || []).flatMap((w, i) => (w.status === 'free' ? [] : [i]));
const skipping = () => dlg.repeat && dlg.onlyFree && busyWeeks().length > 0;
const sessionsWanted = () => {
  if (!dlg.repeat) return 1;
  return skipping() ? dlg.weeks - busyWeeks().length : dlg.weeks;
};
const usingSubscription = () => dlg.pay === 'subscription' && Boolean(dlg.subscription);
const sessionsLeft = (contract) => contract.sessions_total - contract.sessions_used;

function weeksValid() {
  return Number.isInteger(dlg.weeks) && dlg.weeks >= minWeeks() && dlg.weeks <= maxWeeks();
}

function summary() {
  const { slot, svc } = dlg;
  const row = (key, value) => h('div', {}, tx('dt', key), h('dd', {}, value));
  return h('dl', { class: 'summary' },
    learnerRecord() ? row('book.confirm.learner', learnerRecord().full_name) : null,
    row('book.confirm.service', svc.name),
    row('book.confirm.tutor', tutorName(slot.tutor_id)),
    row('book.confirm.day', longDate(slot.starts_at)),
    row('book.confirm.time', t('book.confirm.time_value', {
      from: time(slot.starts_at), to: time(slot.ends_at), duration: svc.duration_min,
    })));
}

// The price summary: a stable hook for tests (#quote, [data-field=percent]).
function renderQuote() {
  if (!quoteBox) return;
  if (dlg.repeat && !weeksValid()) {
    fill(quoteBox, h('p', { class: 'muted' }, t('book.confirm.weeks_range', { min: minWeeks(), max: maxWeeks() })));
    return;
  }
  if (usingSubscription()) {
    const left = sessionsLeft(dlg.subscription);
    fill(quoteBox,
      tx('h3', 'book.pay.sub_title'),
      h('p', { id: 'subscription-note' }, t('book.pay.sub_note', { count: sessionsWanted() })),
      sessionsWanted() > left
        ? h('p', { class: 'form-error', role: 'alert' }, t('book.pay.not_enough', { count: left }))
        : null);
    return;
  }
  if (dlg.quoteError) {
    failedInto(quoteBox, dlg.quoteError, () => loadQuote());
    return;
  }
  const q = dlg.quote;
  if (!q) {
    loadingInto(quoteBox);
    return;
  }
  const sessions = sessionsWanted();
  const percent = h('span', { 'data-field': 'percent' }, String(q.discount_percent));
  const row = (labelNodes, value, cls) => h('div', { class: cls },
    h('dt', {}, labelNodes), h('dd', {}, value));
  const gift = q.gift
    ? h('p', { class: 'gift' }, h('span', { class: 'gift-mark', 'aria-hidden': 'true' }),
      h('span', {}, tNodes('book.quote.gift', {}, { gift: h('strong', { 'data-field': 'gift' }, giftName(q.gift)) })))
    : h('p', { class: 'gift none' }, t('book.quote.no_gift'));
  const firstTier = state.tiers[0];
  fill(quoteBox,
    tx('h3', 'book.quote.title'),
    h('dl', { class: 'prices' },
      row(sessions > 1 ? t('book.quote.base_series', { count: sessions, price: money(dlg.svc.price_cents) })
        : t('book.quote.base'), h('span', { 'data-field': 'list' }, money(q.list_price_cents))),
      row(tNodes('book.quote.discount', {}, { percent }),
        h('span', { 'data-field': 'discount' }, q.discount_cents ? `−${money(q.discount_cents)}` : money(0)),
        q.discount_percent ? 'discount' : null),
      row(t('book.quote.total'), h('span', { 'data-field': 'price' }, money(q.price_cents)), 'total')),
    h('p', { class: 'small' }, t('book.quote.ordinal', { ordinal: q.ordinal })),
    // How the discount is made up, when a partner or a referral reward is part of it.
    (q.discounts || []).some((d) => d.source !== 'loyalty')
      ? h('p', { class: 'small', id: 'quote-sources' },
        q.discounts.map((d) => t(`book.quote.source.${d.source}`, { percent: d.percent })).join(' + '))
      : null,
    !q.discount_percent && firstTier
      ? h('p', { class: 'small muted' }, t('book.quote.first_tier', { ordinal: firstTier.from_ordinal, percent: firstTier.percent }))
      : null,
    gift);
}

async function loadQuote() {
  clearTimeout(debounce);
  const seq = ++dlg.quoteSeq;
  dlg.quote = null;
  dlg.quoteError = null;
  updateConfirmButton();
  if ((dlg.repeat && !weeksValid()) || usingSubscription()) {
    renderQuote();
    updateConfirmButton();
    return;
  }
  renderQuote();
  try {
    const quote = await get(forLearner('/quote', {
      service_id: dlg.svc.id, kind: sessionsWanted() > 1 ? 'subscription' : 'one_off',
      sessions: sessionsWanted(),
    }));
    if (seq !== dlg.quoteSeq) return;
    dlg.quote = quote;
  } catch (err) {
    if (seq !== dlg.quoteSeq) return;
    dlg.quoteError = err;
  }
  renderQuote();
  updateConfirmButton();
}

function updateConfirmButton() {
  const button = dialog.querySelector('#confirm-book');
  if (!button) return;
  const ready = usingSubscription()
    ? (!dlg.repeat || weeksValid()) && sessionsWanted() <= sessionsLeft(dlg.subscription)
    : Boolean(dlg.quote);
  // A series waits for its weeks' answer, and books with taken weeks only once the
  // student chose to leave them out (a failed check leaves it to the server).
  const weeksReady = !dlg.repeat || dlg.weeksError
    || (dlg.weekStates && (busyWeeks().length === 0 || (dlg.onlyFree && sessionsWanted() > 0)));
  button.disabled = dlg.busy || !ready || !weeksReady;
}

function seriesText() {
  if (!dlg.repeat || !weeksValid()) return '';
  const lastDay = addDays(businessDate(dlg.slot.starts_at), 7 * (dlg.weeks - 1));
  return t('book.confirm.series_summary', {
    count: dlg.weeks, first: dayLabel(businessDate(dlg.slot.starts_at)), last: dayLabel(lastDay),
    time: time(dlg.slot.starts_at),
  });
}

const weekStatusKey = (status) => `book.weeks.status.${status}`;

// Week by week, what a booking would meet (#series-weeks): a stable hook for tests.
function renderWeeks() {
  if (!weeksBox) return;
  if (!dlg.repeat || !weeksValid() || dlg.weeksError) {
    fill(weeksBox);
    return;
  }
  if (!dlg.weekStates) {
    fill(weeksBox, h('p', { class: 'small muted' }, t('book.weeks.checking')));
    return;
  }
  const busy = busyWeeks();
  if (!busy.length) {
    fill(weeksBox, h('p', { class: 'small ok', 'data-role': 'weeks-free' }, t('book.weeks.all_free')));
    return;
  }
  const free = dlg.weeks - busy.length;
  const list = h('ul', { class: 'week-states' }, dlg.weekStates.map((w) => h('li', {
    class: `week ${w.status}`, 'data-status': w.status,
  }, h('span', {}, dateTime(w.starts_at)), ' — ', h('strong', {}, t(weekStatusKey(w.status))))));
  const only = free > 0
    ? h('div', { class: 'check' },
      h('input', {
        type: 'checkbox', id: 'only-free', checked: dlg.onlyFree,
        onchange: (event) => { dlg.onlyFree = event.target.checked; loadQuote(); },
      }),
      h('label', { for: 'only-free' }, t('book.weeks.only_free', { count: free })))
    : h('p', { class: 'small' }, t('book.weeks.none_free'));
  fill(weeksBox,
    h('p', { 'data-role': 'weeks-lead' }, t('book.weeks.lead', { count: busy.length, total: dlg.weeks })),
    list, only);
}

/** Asks the server, week by week, what booking the series would meet. */
async function loadWeeks() {
  const seq = ++dlg.weeksSeq;
  dlg.weekStates = null;
  dlg.weeksError = false;
  dlg.onlyFree = false;
  renderWeeks();
  updateConfirmButton();
  if (!dlg.repeat || !weeksValid()) return;
  try {
    const answer = await post('/lessons/check', learnerBody({
      service_id: dlg.svc.id, tutor_id: dlg.slot.tutor_id, starts_at: dlg.slot.starts_at,
      repeat_weeks: dlg.weeks,
    }));
    if (seq !== dlg.weeksSeq) return;
    dlg.weekStates = answer.items;
  } catch {
    if (seq !== dlg.weeksSeq) return;
    dlg.weeksError = true; // the booking itself still says what is taken
  }
  renderWeeks();
  updateConfirmButton();
}

// A new choice of weeks makes the last failure's list of taken dates stale.
function clearFailure() {
  if (!dlg.failure || dlg.failure.taken) return;
  dlg.failure = null;
  const box = dialog.querySelector('#confirm-form [data-role=form-error]');
  if (box) box.replaceWith(failureBox());
}

// Paying with a subscription the student already has, or with a new contract.
function payFields() {
  const choice = (value, id, text) => h('div', { class: 'check' },
    h('input', {
      type: 'radio', name: 'pay', id, value, checked: dlg.pay === value,
      onchange: () => { dlg.pay = value; dlg.payChosen = true; clearFailure(); loadQuote(); },
    }),
    h('label', { for: id }, text));
  return h('fieldset', { class: 'pay', id: 'pay' },
    h('legend', {}, t('book.pay.legend')),
    choice('subscription', 'pay-subscription', t('book.pay.subscription', { count: sessionsLeft(dlg.subscription) })),
    choice('new', 'pay-new', t('book.pay.new')));
}

/** Finds an active subscription of the service with sessions left (the oldest). */
async function loadSubscription() {
  const slot = dlg.slot;
  try {
    const contracts = await get(forLearner('/me/contracts', { limit: 200 }));
    if (dlg.slot !== slot || dlg.done) return;
    dlg.subscription = contracts.items.find((c) => c.status === 'active' && c.kind === 'subscription'
      && c.service_id === dlg.svc.id && sessionsLeft(c) > 0) || null;
    // Sessions already paid for come first: a hurried student must not pay twice.
    if (dlg.subscription && !dlg.payChosen) {
      dlg.pay = 'subscription';
      loadQuote();
    }
  } catch {
    dlg.subscription = null; // the new-contract quote is still there
  }
  const form = dialog.querySelector('#confirm-form');
  if (form && dlg.subscription && !form.querySelector('#pay'))
    form.querySelector('fieldset.repeat').before(payFields());
}

function repeatFields() {
  const seriesNote = h('p', { class: 'small muted', id: 'series-note', 'aria-live': 'polite' }, seriesText());
  const weeksInput = h('input', {
    id: 'repeat-weeks', name: 'repeat_weeks', type: 'number', inputmode: 'numeric',
    min: minWeeks(), max: maxWeeks(), step: 1, value: dlg.weeks, 'aria-describedby': 'series-note',
    oninput: (event) => {
      dlg.weeks = Number(event.target.value);
      clearFailure();
      seriesNote.textContent = seriesText();
      clearTimeout(debounce);
      dlg.quoteSeq++;
      dlg.quote = null;
      updateConfirmButton();
      renderQuote();
      dlg.weeksSeq++;
      dlg.weekStates = null;
      dlg.onlyFree = false;
      renderWeeks();
      if (weeksValid()) debounce = setTimeout(() => { loadQuote(); loadWeeks(); }, 300);
    },
  });
  const weeksField = h('div', { class: 'field weeks', hidden: !dlg.repeat },
    h('label', { for: 'repeat-weeks' }, t('book.confirm.weeks')), weeksInput);
  const checkbox = h('input', {
    type: 'checkbox', id: 'repeat', name: 'repeat', checked: dlg.repeat,
    onchange: (event) => {
      dlg.repeat = event.target.checked;
      clearFailure();
      weeksField.hidden = !dlg.repeat;
      seriesNote.textContent = seriesText();
      loadWeeks();
      loadQuote();
    },
  });
  return h('fieldset', { class: 'repeat' },
    h('legend', {}, t('book.confirm.repeat_legend')),
    h('div', { class: 'check' }, checkbox, h('label', { for: 'repeat' }, t('book.confirm.repeat'))),
    weeksField, seriesNote, weeksBox);
}

function failureBox() {
  const f = dlg.failure;
  if (!f) return h('div', { class: 'form-error', 'data-role': 'form-error', role: 'alert', hidden: true });
  const list = f.code === 'client_busy' ? 'book.confirm.busy_conflicts' : 'book.confirm.conflicts';
  const children = [h('p', {}, f.conflicts.length
    ? t(list, { count: f.conflicts.length }) : errorText({ code: f.code }))];
  if (f.conflicts.length) {
    children.push(h('ul', { class: 'conflicts' }, f.conflicts.map((c) => h('li', {}, dateTime(c)))));
    children.push(h('p', { class: 'small' }, t('book.confirm.conflicts_hint')));
  }
  return h('div', { class: 'form-error', 'data-role': 'form-error', role: 'alert', tabindex: '-1' }, children);
}

function bookingForm() {
  quoteBox = h('div', { id: 'quote', class: 'quote', 'aria-live': 'polite' });
  weeksBox = h('div', { id: 'series-weeks', class: 'series-weeks', 'aria-live': 'polite' });
  const form = h('form', { id: 'confirm-form', novalidate: true, onsubmit: book },
    failureBox(),
    tooLateToCancel(dlg.slot.starts_at)
      ? h('p', { class: 'notice warn', id: 'confirm-late' }, t('book.confirm.late', { hours: noticeHours() }))
      : null,
    dlg.subscription ? payFields() : null,
    repeatFields(),
    quoteBox,
    h('div', { class: 'dialog-actions' }, dlg.failure && dlg.failure.taken
      ? h('button', { type: 'button', id: 'confirm-other', onclick: close }, t('book.confirm.choose_other'))
      : [h('button', { type: 'button', class: 'secondary', onclick: close }, t('common.dismiss')),
        h('button', { type: 'submit', id: 'confirm-book' }, t('book.confirm.book'))]));
  return form;
}

// One booked lesson in the confirmation: its calendar file and "move", or the move
// form while it is open.
function bookedLesson(lesson) {
  const when = dateTime(lesson.starts_at);
  if (dlg.moving === lesson.id) {
    return h('li', { 'data-lesson-id': lesson.id }, h('span', {}, when), moveForm(lesson, {
      tutorName,
      onMoved: (moved) => {
        dlg.moving = null;
        dlg.done.items = dlg.done.items.map((l) => (l.id === moved.id ? { ...l, ...moved } : l));
        render();
        notify(t('move.done', { when: dateTime(moved.starts_at) }), 'success');
        emit('booked');
        const item = dialog.querySelector(`[data-lesson-id="${moved.id}"] [data-action=move]`);
        if (item) item.focus();
      },
      onCancel: () => { dlg.moving = null; render(); },
    }));
  }
  const hidden = h('span', { class: 'visually-hidden' }, `: ${when}`);
  return h('li', { 'data-lesson-id': lesson.id },
    h('span', { class: 'booked-when' }, when),
    h('span', { class: 'booked-actions' },
      h('a', {
        class: 'button secondary', 'data-action': 'ics', download: `harreman-${lesson.id}.ics`,
        href: `/api/v1${forLearner(`/me/lessons/${lesson.id}/calendar.ics`)}`,
      }, t('book.done.add_calendar'), hidden.cloneNode(true)),
      h('button', {
        type: 'button', class: 'secondary', 'data-action': 'move',
        onclick: () => { dlg.moving = lesson.id; render(); },
      }, t('move.button'), hidden)));
}

function doneView() {
  const { items, contract } = dlg.done;
  const lessons = items.map(bookedLesson);
  if (dlg.paidFromSubscription) {
    return h('div', { class: 'done', role: 'status' },
      h('p', { class: 'done-lead' }, t('book.done.lead', { count: items.length })),
      h('ul', { class: 'booked-dates' }, lessons),
      h('p', { id: 'booked-subscription' }, t('book.done.from_subscription', { count: sessionsLeft(contract) })),
      cancelRule(items),
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', onclick: close, autofocus: true }, t('common.close'))));
  }
  const percent = h('span', { 'data-field': 'percent' }, String(contract.discount_percent));
  return h('div', { class: 'done', role: 'status' },
    h('p', { class: 'done-lead' }, t('book.done.lead', { count: items.length })),
    h('ul', { class: 'booked-dates' }, lessons),
    h('dl', { class: 'prices', id: 'booked-contract' },
      h('div', {}, h('dt', {}, t('book.quote.base')), h('dd', {}, money(contract.list_price_cents))),
      h('div', { class: contract.discount_percent ? 'discount' : null },
        h('dt', {}, tNodes('book.done.discount', {}, { percent })),
        h('dd', {}, contract.discount_cents ? `−${money(contract.discount_cents)}` : money(0))),
      h('div', { class: 'total' }, h('dt', {}, t('book.done.total')), h('dd', {}, money(contract.price_cents)))),
    contract.gift
      ? h('p', { class: 'gift' }, h('span', { class: 'gift-mark', 'aria-hidden': 'true' }),
        h('span', {}, tNodes('book.done.gift', {}, { gift: h('strong', { 'data-field': 'gift' }, giftName(contract.gift)) })))
      : h('p', { class: 'gift none' }, t('book.done.no_gift')),
    cancelRule(items),
    h('div', { class: 'dialog-actions' },
      h('button', { type: 'button', onclick: close, autofocus: true }, t('common.close'))));
}

/** Draws the whole dialog from its state (on open, session change, language change). */
export function render() {
  if (!dialog || !dlg.slot) return;
  const title = h('h2', { id: 'confirm-title', tabindex: '-1' },
    t(dlg.done ? 'book.done.title' : 'book.confirm.title'));
  let body;
  if (dlg.done) {
    quoteBox = null;
    body = doneView();
  } else if (!session.user) {
    quoteBox = null;
    body = h('div', { class: 'confirm-auth' },
      tx('p', 'book.confirm.login_first'),
      authForms('confirm'),
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', class: 'secondary', onclick: close }, t('common.dismiss'))));
  } else if (!session.client) {
    quoteBox = null;
    body = h('div', {},
      h('p', {}, t('book.account.not_student')),
      h('div', { class: 'dialog-actions' },
        h('button', { type: 'button', class: 'secondary', onclick: close }, t('common.close'))));
  } else {
    body = bookingForm();
  }
  fill(dialog,
    h('div', { class: 'dialog-head' }, title,
      h('button', {
        type: 'button', class: 'icon-close', onclick: close, 'aria-label': t('common.close'),
      }, h('span', { 'aria-hidden': 'true' }, '×'))),
    dlg.done ? null : summary(),
    body);
  if (quoteBox) {
    renderQuote();
    renderWeeks();
    updateConfirmButton();
  }
}

async function book(event) {
  event.preventDefault();
  const form = event.currentTarget;
  if (dlg.busy || (!dlg.quote && !usingSubscription())) return;
  dlg.busy = true;
  dlg.failure = null;
  clearFormErrors(form);
  form.setAttribute('aria-busy', 'true');
  updateConfirmButton();
  const body = { service_id: dlg.svc.id, tutor_id: dlg.slot.tutor_id, starts_at: dlg.slot.starts_at };
  if (dlg.repeat) body.repeat_weeks = dlg.weeks;
  if (skipping()) body.skip_weeks = busyWeeks();
  if (usingSubscription()) body.contract_id = dlg.subscription.id;
  try {
    const answer = await post('/lessons', learnerBody(body));
    const items = answer.items || [answer];
    dlg.paidFromSubscription = usingSubscription();
    dlg.done = { items, contract: items[0].contract };
    dlg.busy = false;
    render();
    dialog.querySelector('#confirm-title').focus();
    notify(t('book.done.notice', { when: dateTime(items[0].starts_at) }), 'success');
    emit('booked');
  } catch (err) {
    dlg.busy = false;
    form.removeAttribute('aria-busy');
    const refused = ['slot_taken', 'full', 'client_busy'];
    if (refused.includes(err.code) || (err.fields && err.fields.starts_at)) {
      const conflicts = err.extra && Array.isArray(err.extra.conflicts) ? err.extra.conflicts : [];
      // A series can be tried again with fewer weeks; a single taken slot cannot.
      const code = refused.includes(err.code) ? err.code : 'slot_taken';
      dlg.failure = { code, conflicts, taken: !conflicts.length };
      onRefreshWeek();
      render();
      const focus = dialog.querySelector('#confirm-other') || dialog.querySelector('[data-role=form-error]');
      focus.focus();
    } else {
      showFormError(form, err);
      updateConfirmButton();
    }
  }
}

/** Opens the dialog for a slot of the chosen service; trigger gets focus back. */
export function open(slot, trigger) {
  Object.assign(dlg, {
    slot, svc: service(), repeat: false, weeks: 4, quote: null, quoteError: null,
    weekStates: null, weeksError: false, onlyFree: false, moving: null,
    busy: false, done: null, failure: null,
    subscription: null, pay: 'new', payChosen: false, paidFromSubscription: false,
  });
  dlg.trigger = trigger;
  render();
  dialog.showModal();
  dialog.querySelector('#confirm-title').focus();
  if (session.client) {
    loadQuote();
    loadSubscription();
  }
}

export function close() {
  if (dialog && dialog.open) dialog.close();
}

/** After a login or logout: the dialog follows (a new login sees its quote). */
export function sessionChanged() {
  if (!dialog || !dialog.open || dlg.done) return;
  dlg.subscription = null;
  dlg.pay = 'new';
  dlg.payChosen = false;
  render();
  if (session.client) {
    loadQuote();
    loadSubscription();
  }
}

export function isOpen() { return Boolean(dialog && dialog.open); }

/** Mounts the dialog; refreshWeek() is called when a slot turned out to be taken. */
export function mount(element, refreshWeek) {
  dialog = element;
  onRefreshWeek = refreshWeek;
  dialog.addEventListener('close', () => {
    const trigger = dlg.trigger;
    dlg.slot = null;
    quoteBox = null;
    weeksBox = null;
    if (trigger && trigger.isConnected) trigger.focus();
  });
}
