// SPDX-License-Identifier: MIT
// The booking page (/): students and their families (a parent acts for each child:
// booking/family.js) choose a subject and a
// service, browse a week of free slots, see the price with the loyalty discount and
// the gift before confirming, book one lesson or a weekly series, follow and cancel
// their lessons, watch their discount grow, read and print their invoices, join
// the academy's events, read and write contributions, follow their lessons in a calendar app, and contact the
// academy. This module
// lays the page out and wires the panels (web/js/booking/*.js) together: who
// reloads what after a login, a booking, a cancellation or a language change. On a
// phone the secondary panels fold (<details>/<summary>, web/js/booking/fold.js).
import { onLanguageChange } from './i18n.js';
import { byId, failedInto, fill, h, loadingInto, revealWhen, startPage } from './shell.js';
import * as account from './booking/account.js';
import * as ask from './booking/ask.js';
import * as calendar from './booking/calendar.js';
import * as catalogue from './booking/catalogue.js';
import * as confirm from './booking/confirm.js';
import * as contact from './booking/contact.js';
import * as contributions from './booking/contributions.js';
import * as events from './booking/events.js';
import * as family from './booking/family.js';
import * as invoices from './booking/invoices.js';
import * as lessons from './booking/lessons.js';
import * as loyalty from './booking/loyalty.js';
import * as suggestions from './booking/suggestions.js';
import * as waitlist from './booking/waitlist.js';
import * as week from './booking/week.js';
import { loadCatalogue, loadServices, state } from './booking/state.js';
import { on, tx } from './booking/ui.js';
import { fold, relabelFolds } from './booking/fold.js';

await startPage();

const card = (id, attrs = {}) => h('section', { class: 'card', id, 'aria-labelledby': `${id}-title`, ...attrs });
const chooseCard = card('choose');
const weekCard = card('week-card', { 'aria-labelledby': 'week-title' });
const lessonsCard = card('lessons', { hidden: true });
const accountCard = card('account');
const familyCard = card('family', { hidden: true });
const loyaltyCard = card('loyalty', { hidden: true });
const invoicesCard = card('invoices', { hidden: true });
const suggestionsCard = card('suggestions', { hidden: true });
const eventsCard = card('events');
const contributionsCard = card('contributions');
const calendarCard = card('calendar', { hidden: true });
const askCard = card('ask');
const waitlistCard = card('waitlist', { hidden: true });
const contactCard = card('contact');
const dialog = h('dialog', { id: 'confirm', 'aria-labelledby': 'confirm-title' });

fill(byId('app'),
  tx('p', 'book.lead', { class: 'lead' }),
  h('div', { class: 'layout booking' },
    h('div', { class: 'stack' }, chooseCard, weekCard, lessonsCard,
      fold(eventsCard, 'book.community.events.title'), fold(contributionsCard, 'book.community.contrib.title')),
    h('div', { class: 'stack side' }, accountCard,
      fold(familyCard, 'book.family.title'), fold(waitlistCard, 'book.waitlist.title'),
      fold(loyaltyCard, 'book.loyalty.title'), fold(invoicesCard, 'book.invoices.title'),
      fold(suggestionsCard, 'book.suggestions.title'), fold(askCard, 'book.ask.title'),
      fold(calendarCard, 'book.calendar.title'), fold(contactCard, 'book.contact.title'))),
  dialog);

account.mount(accountCard, byId('who'));
family.mount(familyCard);
lessons.mount(lessonsCard);
loyalty.mount(loyaltyCard);
invoices.mount(invoicesCard);
suggestions.mount(suggestionsCard);
contact.mount(contactCard);
ask.mount(askCard, (question) => contact.prefill(question));
waitlist.mount(waitlistCard);
events.mount(eventsCard);
contributions.mount(contributionsCard);
calendar.mount(calendarCard);
week.mount(weekCard, (slot, button) => confirm.open(slot, button));
confirm.mount(dialog, () => week.load());

function loadStudent() {
  return [lessons.load(), loyalty.load(), invoices.load(), suggestions.load(), waitlist.load()];
}

// Events (is_registered), contributions (the student's own) and the calendar
// depend on who is logged in.
function loadCommunity() {
  return [events.load(), contributions.load(), calendar.load()];
}

on('session', () => {
  state.learner = null; // a new account acts for itself until it chooses
  account.render();
  family.load();
  contact.render();
  confirm.sessionChanged();
  week.render();
  loadStudent();
  loadCommunity();
});
on('booked', () => { week.load(); loadStudent(); });
// A cancellation keeps the week and the lessons where they are while they reload.
on('cancelled', () => {
  week.load({ keep: true });
  lessons.load({ keep: true });
  loyalty.load();
  invoices.load();
  suggestions.load();
  waitlist.load();
});
on('choice', () => week.load({ advance: true }));
// Another family member chosen: everything about the learner follows.
on('learner', () => {
  family.render();
  confirm.sessionChanged();
  week.load();
  loadStudent();
  loadCommunity();
});
on('channels', () => lessons.render());
on('community', () => suggestions.load());
on('waitlist', () => waitlist.load());

// Services and events come in the page's language (?locale=): read again, then drawn.
async function reloadContent() {
  try {
    await loadServices();
  } catch {
    return; // the names already shown stay; the next load tries again
  }
  catalogue.render();
  confirm.render();
  lessons.render();
}

onLanguageChange(() => {
  relabelFolds();
  reloadContent();
  events.load({ quiet: true });
  catalogue.render();
  week.render();
  account.render();
  family.render();
  lessons.render();
  loyalty.render();
  invoices.render();
  suggestions.render();
  contact.render();
  ask.render();
  waitlist.render();
  confirm.render();
  events.render();
  contributions.render();
  calendar.render();
});

async function start() {
  loadingInto(chooseCard);
  fill(weekCard);
  try {
    await loadCatalogue();
  } catch (err) {
    failedInto(chooseCard, err, start);
    return;
  }
  catalogue.mount(chooseCard);
  lessons.render();
  loyalty.render();
  await week.load({ advance: true });
}

// Drawn in one pass: the page shows once every panel has its first data.
revealWhen([contact.load(), family.load(), ...loadStudent(), ...loadCommunity(), start()]);
