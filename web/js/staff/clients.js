// SPDX-License-Identifier: MIT
// The desk's clients tab: search (GET /clients?q=), create a phone or walk-in client
// (POST /clients), and a client's record (#clients/<id>): the profile and its edit
// form (PATCH /clients/{id}), contracts, lessons, the loyalty stage (the client
// object's `loyalty`, GET /quote for what the server would charge), its invoices
// (GET /invoices?client_id=, each with its printable page), its balance, payments
// and mandates (web/js/staff/payments.js), the contact history (GET/POST
// /clients/{id}/interactions), and the client's family (GET /families/{id}: its
// members; POST /families joins another client's family, DELETE
// /families/{id}/members/{client_id} takes this one out). Taking a contract and
// booking a lesson live in web/js/staff/orders.js.
import { del, get, patch, post, withQuery } from '../api.js';
import { h, fill, t, notify, loadingInto, failedInto } from '../shell.js';
import { addDays, businessDate, dateTime, money } from '../format.js';
import { errorText } from '../i18n.js';
import { percent, shortDate } from '../desk/format.js';
import {
  badge, facts, fetchAll, field, formError, goTo, rememberClient, selectBox, services,
  submitForm, tutors,
} from '../desk/common.js';
import { lessonStatus, logLesson } from './lessons.js';
import { openBooking, openContract } from './orders.js';
import { paymentsCard } from './payments.js';

const search = { q: '' };
const CHANNELS = ['phone', 'email', 'web', 'in_person'];
const PACES = ['slow', 'steady', 'fast'];
const ASSISTANCE = ['personal', 'dedicated', 'self_service'];
const LOCALES = ['eu', 'es', 'en'];

export function renderClients(panel, rest) {
  const id = Number(rest);
  if (rest && Number.isInteger(id) && id > 0) renderRecord(panel, id);
  else renderSearch(panel);
}

/* ---- search and create ---------------------------------------------------- */

function renderSearch(panel) {
  const results = h('div', { class: 'client-results' });
  const createArea = h('div', { id: 'client-create' });
  const input = h('input', { type: 'search', name: 'q', id: 'client-q', value: search.q,
    placeholder: t('staff.clients.search_placeholder'), autocomplete: 'off' });
  const form = h('form', { role: 'search', class: 'search-form', 'aria-label': t('staff.clients.search') },
    h('label', { for: 'client-q' }, t('staff.clients.search')),
    h('div', { class: 'search-row' }, input,
      h('button', { type: 'submit' }, t('staff.clients.search_button'))));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    search.q = input.value.trim();
    load();
  });
  const newButton = h('button', {
    type: 'button', class: 'secondary', 'aria-expanded': 'false', 'aria-controls': 'client-create',
    onclick: () => toggleCreate(),
  }, t('staff.clients.new'));
  fill(panel,
    h('div', { class: 'section-head' },
      h('h2', {}, t('staff.tab.clients')), newButton),
    createArea,
    h('div', { class: 'card' }, form, results));

  async function toggleCreate() {
    const open = newButton.getAttribute('aria-expanded') === 'true';
    newButton.setAttribute('aria-expanded', String(!open));
    if (open) { createArea.replaceChildren(); return; }
    loadingInto(createArea);
    try {
      const list = await tutors();
      const heading = h('h3', { id: 'client-create-title', tabindex: '-1' }, t('staff.clients.new_title'));
      fill(createArea, h('section', { class: 'card work-panel', 'aria-labelledby': 'client-create-title' },
        heading,
        h('p', { class: 'muted' }, t('staff.clients.new_hint')),
        clientForm(null, list, {
          onSaved: (client) => {
            notify(t('staff.clients.created', { name: client.full_name }), 'success');
            goTo(`clients/${client.id}`);
          },
          onCancel: () => toggleCreate(),
        })));
      heading.focus();
    } catch (err) {
      failedInto(createArea, err, () => { newButton.setAttribute('aria-expanded', 'false'); toggleCreate(); });
    }
  }

  let after = null;
  async function load(more = false) {
    if (!more) { after = null; loadingInto(results); }
    try {
      const page = await get(withQuery('/clients', { q: search.q, limit: 50, after }));
      after = page.next_after;
      const list = more ? results.querySelector('ul.client-list') : null;
      const items = page.items.map(clientItem);
      if (list) {
        list.append(...items);
        results.querySelector('.more')?.remove();
      } else if (!page.items.length) {
        fill(results, h('p', { class: 'empty' }, search.q
          ? t('staff.clients.none_found', { q: search.q }) : t('staff.clients.none')));
        return;
      } else {
        fill(results,
          h('p', { class: 'muted small', role: 'status' }, search.q
            ? t('staff.clients.results_for', { q: search.q }) : t('staff.clients.all')),
          h('ul', { class: 'plain items client-list' }, items));
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

function clientItem(client) {
  rememberClient(client);
  const bits = [client.phone, client.email, client.level].filter(Boolean).join(' · ');
  return h('li', { 'data-client-id': client.id },
    h('div', { class: 'item-head' },
      h('a', { href: `#clients/${client.id}`, class: 'client-name' }, client.full_name),
      h('span', {},
        client.relationship === 'long_term' ? badge(t('staff.relationship.long_term'), 'ok') : null,
        client.user_id ? null : badge(t('staff.clients.no_login')))),
    bits ? h('p', { class: 'muted small' }, bits) : null);
}

/** The create or edit form of a client. */
function clientForm(client, tutorList, { onSaved, onCancel }) {
  const p = client ? `edit-${client.id}` : 'new-client';
  const g = (client && client.guardian) || {};
  const opt = (values, prefix, empty) => [
    ...(empty ? [{ value: '', label: empty }] : []),
    ...values.map((v) => ({ value: v, label: t(`${prefix}.${v}`) }))];
  const form = h('form', { class: 'client-form', novalidate: true },
    formError(),
    h('div', { class: 'form-grid' },
      field(`${p}-name`, t('staff.client.full_name'),
        h('input', { name: 'full_name', required: true, maxlength: 200, autocomplete: 'off', value: client?.full_name })),
      field(`${p}-phone`, t('staff.client.phone'),
        h('input', { name: 'phone', type: 'tel', maxlength: 40, autocomplete: 'off', value: client?.phone })),
      field(`${p}-email`, t('common.email'),
        h('input', { name: 'email', type: 'email', maxlength: 254, autocomplete: 'off', value: client?.email })),
      field(`${p}-assistance`, t('staff.client.assistance'),
        selectBox({ name: 'assistance' }, opt(ASSISTANCE, 'staff.assistance'), client?.assistance || 'personal')),
      field(`${p}-tutor`, t('staff.client.tutor'),
        selectBox({ name: 'tutor_id' }, [{ value: '', label: t('staff.client.no_tutor') },
          ...tutorList.map((tu) => ({ value: tu.id, label: tu.full_name }))], client?.tutor_id)),
      field(`${p}-level`, t('staff.client.level'),
        h('input', { name: 'level', maxlength: 40, autocomplete: 'off', value: client?.level })),
      field(`${p}-pace`, t('staff.client.pace'),
        selectBox({ name: 'pace' }, opt(PACES, 'staff.pace', t('desk.unset')), client?.pace)),
      field(`${p}-channel`, t('staff.client.preferred_channel'),
        selectBox({ name: 'preferred_channel' }, opt(CHANNELS, 'desk.channel', t('desk.unset')),
          client ? client.preferred_channel : 'phone')),
      field(`${p}-locale`, t('staff.client.locale'),
        selectBox({ name: 'locale' }, opt(LOCALES, 'desk.locale'), client?.locale || 'eu')),
      field(`${p}-tax-id`, t('staff.client.tax_id'),
        h('input', { name: 'tax_id', maxlength: 20, autocomplete: 'off', value: client?.tax_id }),
        t('staff.client.tax_id_hint')),
      field(`${p}-billing`, t('staff.client.billing_address'),
        h('input', { name: 'billing_address', maxlength: 200, autocomplete: 'off', value: client?.billing_address }))),
    h('fieldset', { name: 'guardian', id: `${p}-guardian`, class: 'form-grid' },
      h('legend', {}, t('staff.client.guardian')),
      field(`${p}-g-name`, t('staff.client.guardian_name'),
        h('input', { name: 'guardian_name', maxlength: 200, autocomplete: 'off', value: g.full_name })),
      field(`${p}-g-phone`, t('staff.client.phone'),
        h('input', { name: 'guardian_phone', type: 'tel', maxlength: 40, autocomplete: 'off', value: g.phone })),
      field(`${p}-g-email`, t('common.email'),
        h('input', { name: 'guardian_email', type: 'email', maxlength: 254, autocomplete: 'off', value: g.email }))),
    field(`${p}-notes`, t('staff.client.notes'),
      h('textarea', { name: 'notes', rows: 3, maxlength: 10000, value: client?.notes || '' })),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'secondary', onclick: onCancel }, t('common.dismiss')),
      h('button', { type: 'submit' }, t(client ? 'common.save' : 'staff.clients.create'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const saved = await submitForm(form, (v) => {
      const guardian = v.guardian_name || v.guardian_phone || v.guardian_email
        ? { full_name: v.guardian_name ?? null, phone: v.guardian_phone ?? null, email: v.guardian_email ?? null }
        : null;
      const body = {
        full_name: v.full_name ?? '',
        email: v.email ?? null,
        phone: v.phone ?? null,
        assistance: v.assistance,
        tutor_id: v.tutor_id ? Number(v.tutor_id) : null,
        level: v.level ?? null,
        pace: v.pace ?? null,
        preferred_channel: v.preferred_channel ?? null,
        locale: v.locale,
        notes: v.notes ?? '',
        tax_id: v.tax_id ?? null,
        billing_address: v.billing_address ?? null,
      };
      if (client) {
        if (guardian || client.guardian) body.guardian = guardian;
        return patch(`/clients/${client.id}`, body);
      }
      if (guardian) body.guardian = guardian;
      for (const k of Object.keys(body)) if (body[k] === null) delete body[k];
      return post('/clients', body);
    });
    if (saved) {
      rememberClient(saved);
      await onSaved(saved);
    }
  });
  return form;
}

/* ---- the record ------------------------------------------------------------ */

function renderRecord(panel, id) {
  const work = h('div', { class: 'work-area' });
  const content = h('div', { class: 'record' });
  fill(panel,
    h('p', { class: 'back' }, h('a', { href: '#clients' }, `‹ ${t('staff.clients.back')}`)),
    content);
  loadingInto(content);
  let data = null;

  async function refresh({ keepWork = true } = {}) {
    content.setAttribute('aria-busy', 'true');
    try {
      const today = businessDate(Date.now());
      const [client, contracts, invoices, lessons, interactions, allServices, allTutors] = await Promise.all([
        get(`/clients/${id}`),
        fetchAll('/contracts', { client_id: id }),
        fetchAll('/invoices', { client_id: id }),
        fetchAll('/lessons', { client_id: id, from: addDays(today, -300), to: addDays(today, 65) }),
        fetchAll(`/clients/${id}/interactions`),
        services(), tutors(),
      ]);
      rememberClient(client);
      data = { client, contracts, invoices, lessons, interactions, allServices, allTutors };
      showRecord(content, work, data, { refresh, editing: false });
      if (!keepWork) work.replaceChildren();
    } catch (err) {
      failedInto(content, err, () => { loadingInto(content); refresh(); });
    } finally {
      content.removeAttribute('aria-busy');
    }
  }
  refresh();
}

function showRecord(content, work, data, ctx) {
  const { client } = data;
  const serviceName = new Map(data.allServices.map((s) => [s.id, s.name]));
  const tutorName = new Map(data.allTutors.map((tu) => [tu.id, tu.full_name]));
  const actions = {
    contract: () => openContract(work, client, data.allServices, { onDone: ctx.refresh }),
    booking: () => openBooking(work, client, data, { onDone: ctx.refresh }),
  };
  fill(content,
    h('header', { class: 'record-head' },
      h('div', {},
        h('h2', { id: 'record-title' }, client.full_name),
        h('p', { class: 'record-badges' },
          badge(t(`staff.relationship.${client.relationship}`), client.relationship === 'long_term' ? 'ok' : ''),
          ' ', badge(t(`staff.assistance.${client.assistance}`)),
          ' ', client.user_id ? badge(t('staff.clients.has_login')) : badge(t('staff.clients.no_login')))),
      h('div', { class: 'record-actions' },
        h('button', { type: 'button', onclick: actions.contract }, t('staff.contract.open')),
        h('button', { type: 'button', class: 'secondary', onclick: actions.booking }, t('staff.book.open')))),
    work,
    h('div', { class: 'layout' },
      h('div', { class: 'stack' },
        profileCard(data, tutorName, ctx),
        contractsCard(data, serviceName),
        lessonsCard(data, serviceName, tutorName, ctx)),
      h('div', { class: 'stack' },
        familyCard(data, ctx),
        loyaltyCard(data, serviceName),
        invoicesCard(data),
        paymentsCard(client, data.invoices, ctx.refresh),
        interactionsCard(data, tutorName, ctx))));
}

function profileCard(data, tutorName, ctx) {
  const { client } = data;
  const card = h('section', { class: 'card', 'aria-labelledby': 'profile-title' });
  const show = () => {
    const g = client.guardian;
    fill(card,
      h('div', { class: 'card-head' },
        h('h3', { id: 'profile-title' }, t('staff.client.profile')),
        h('button', { type: 'button', class: 'secondary', onclick: edit }, t('staff.client.edit'))),
      facts([
        [t('staff.client.phone'), client.phone],
        [t('common.email'), client.email],
        [t('staff.client.guardian'), g ? [g.full_name, g.phone, g.email].filter(Boolean).join(' · ') : null],
        [t('staff.client.tutor'), client.tutor_id ? tutorName.get(client.tutor_id) || `#${client.tutor_id}` : null],
        [t('staff.client.level'), h('span', { 'data-field': 'level' }, client.level || t('desk.unset'))],
        [t('staff.client.pace'), h('span', { 'data-field': 'pace' }, client.pace ? t(`staff.pace.${client.pace}`) : t('desk.unset'))],
        [t('staff.client.preferred_channel'), client.preferred_channel ? t(`desk.channel.${client.preferred_channel}`) : null],
        [t('staff.client.locale'), t(`desk.locale.${client.locale}`)],
        [t('staff.client.tax_id'), client.tax_id],
        [t('staff.client.billing_address'), client.billing_address],
        [t('staff.client.since'), shortDate(client.created_at)],
        [t('staff.client.notes'), client.notes ? h('span', { class: 'pre' }, client.notes) : null],
      ]));
  };
  const edit = () => {
    const heading = h('h3', { id: 'profile-title', tabindex: '-1' }, t('staff.client.edit_title'));
    fill(card, heading, clientForm(client, data.allTutors, {
      onSaved: async () => { notify(t('common.saved'), 'success'); await ctx.refresh(); },
      onCancel: () => { show(); card.querySelector('button')?.focus(); },
    }));
    heading.focus();
  };
  show();
  return card;
}

/** Cancelled, used up (a subscription with no session left) or in force. */
function contractBadge(c) {
  if (c.status === 'cancelled') return badge(t('staff.contracts.cancelled'), 'danger');
  if (c.kind === 'subscription' && c.sessions_used >= c.sessions_total)
    return badge(t('staff.contracts.used_up'), 'warn');
  return badge(t('staff.contracts.active'), 'ok');
}

function contractsCard(data, serviceName) {
  const list = [...data.contracts].sort((a, b) => b.created_at.localeCompare(a.created_at));
  return h('section', { class: 'card', 'aria-labelledby': 'contracts-title' },
    h('h3', { id: 'contracts-title' }, t('staff.contracts.title'), ' ',
      h('span', { class: 'badge' }, String(list.length))),
    list.length ? h('ul', { class: 'plain items contracts' }, list.map((c) => h('li', { 'data-contract-id': c.id },
      h('div', { class: 'item-head' },
        h('strong', {}, t('staff.contracts.ordinal', { ordinal: c.ordinal }), ' · ', serviceName.get(c.service_id) || ''),
        contractBadge(c)),
      h('p', { class: 'small' },
        c.kind === 'subscription'
          ? t('staff.contracts.subscription', { used: c.sessions_used, total: c.sessions_total })
          : t('staff.contracts.one_off'),
        ' · ', t(`desk.channel.${c.channel}`), ' · ', shortDate(c.created_at)),
      h('p', { class: 'small price-line' },
        c.discount_cents ? h('span', { class: 'strike' }, money(c.list_price_cents)) : null,
        c.discount_cents ? ' ' : null,
        h('strong', {}, money(c.price_cents)),
        c.discount_percent ? [' ', badge(t('staff.contracts.discount', { percent: percent(c.discount_percent) }), 'ok')] : null,
        c.gift ? [' · ', t('staff.contracts.gift', { gift: c.gift.name })] : null))))
      : h('p', { class: 'empty' }, t('staff.contracts.none')));
}

/** The client's invoices (GET /invoices?client_id=), newest first, each with its
 * printable page; the server issues them with every contract and cancellation. */
function invoicesCard(data) {
  const list = [...data.invoices].sort((a, b) => b.id - a.id);
  return h('section', { class: 'card', 'aria-labelledby': 'invoices-title' },
    h('h3', { id: 'invoices-title' }, t('staff.invoices.title')),
    list.length ? h('ul', { class: 'plain items invoices' }, list.map((inv) => h('li', { 'data-invoice-id': inv.id },
      h('p', {},
        h('strong', {}, `${inv.series}-${inv.number}`), ' · ', shortDate(inv.issued_at), ' · ',
        money(inv.total_cents), ' ',
        badge(t(`invoice.kind.${inv.kind}`), inv.kind === 'rectifying' ? 'danger' : '')),
      h('p', { class: 'small muted' },
        t(`invoice.status.${inv.status}`), ' · ', t(`invoice.tbai.${inv.tbai.status}`), ' · ',
        h('a', { href: `/api/v1/invoices/${inv.id}/print`, target: '_blank', rel: 'noopener' },
          t('invoice.print'))))))
      : h('p', { class: 'empty' }, t('staff.invoices.none')));
}

function lessonsCard(data, serviceName, tutorName, ctx) {
  const now = Date.now();
  const live = data.lessons.filter((l) => l.status !== 'cancelled');
  const upcoming = live.filter((l) => Date.parse(l.ends_at) > now)
    .sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  const past = data.lessons.filter((l) => !upcoming.includes(l))
    .sort((a, b) => b.starts_at.localeCompare(a.starts_at));
  const item = (l) => h('li', { 'data-lesson-id': l.id },
    h('div', { class: 'item-head' },
      h('strong', {}, dateTime(l.starts_at)),
      lessonStatus(l, now)),
    h('p', { class: 'small muted' }, serviceName.get(l.service_id) || '', ' · ', tutorName.get(l.tutor_id) || ''),
    l.notes ? h('p', { class: 'small log-notes' }, l.notes) : null,
    l.status !== 'cancelled' && Date.parse(l.starts_at) <= now
      ? h('button', { type: 'button', class: l.attendance ? 'link small' : 'secondary small-button',
        onclick: () => logLesson(l, data.client, ctx.refresh) },
      t(l.attendance ? 'staff.log.edit' : 'staff.log.open'),
      h('span', { class: 'visually-hidden' }, ` — ${dateTime(l.starts_at)}`)) : null);
  const pastList = h('ul', { class: 'plain items' }, past.slice(0, 6).map(item));
  const more = past.length > 6 ? h('button', { type: 'button', class: 'link', onclick: () => {
    fill(pastList, past.map(item));
    more.remove();
  } }, t('staff.lessons.show_all', { count: past.length })) : null;
  return h('section', { class: 'card', 'aria-labelledby': 'lessons-title' },
    h('h3', { id: 'lessons-title' }, t('staff.client.lessons')),
    h('h4', {}, t('staff.client.upcoming')),
    upcoming.length ? h('ul', { class: 'plain items' }, upcoming.map(item))
      : h('p', { class: 'empty' }, t('staff.client.no_upcoming')),
    h('h4', {}, t('staff.client.past')),
    past.length ? [pastList, more] : h('p', { class: 'empty' }, t('staff.client.no_past')));
}

/**
 * The loyalty stage as the server states it (client.loyalty, the same as GET
 * /me/loyalty): the contracts that count, the current percent, and the next tier
 * (null at the cap). The next contract starts that tier when its ordinal is the
 * tier's; otherwise it stays at the current percent.
 */
function loyaltyCard(data, serviceName) {
  const { contracts: count, current_percent: current, next } = data.client.loyalty;
  const ordinal = count + 1;
  const nextPercent = next && next.ordinal === ordinal ? next.percent : current;
  const steps = next ? next.ordinal : 0;
  const quoteBox = h('p', { class: 'small', 'aria-live': 'polite' });
  const last = [...data.contracts].filter((c) => c.status !== 'cancelled')
    .sort((a, b) => b.created_at.localeCompare(a.created_at))[0];
  if (last) {
    get(withQuery('/quote', { client_id: data.client.id, service_id: last.service_id, kind: 'one_off', sessions: 1 }))
      .then((q) => fill(quoteBox, t(q.discount_cents ? 'staff.loyalty.example' : 'staff.loyalty.example_plain', {
        service: serviceName.get(last.service_id) || '', list: money(q.list_price_cents),
        price: money(q.price_cents), percent: percent(q.discount_percent),
      }))).catch(() => quoteBox.remove());
  }
  return h('section', { class: 'card loyalty', 'aria-labelledby': 'loyalty-title' },
    h('h3', { id: 'loyalty-title' }, t('staff.loyalty.title')),
    h('p', { class: 'big-number' }, h('span', { 'data-field': 'contracts' }, String(count)), ' ',
      h('span', { class: 'small muted' }, t('staff.loyalty.contracts', { count }))),
    steps ? h('div', { class: 'progress', 'aria-hidden': 'true' },
      Array.from({ length: steps }, (_, i) => h('span', { class: i < count ? 'done' : (i === count ? 'next' : null) }))) : null,
    h('p', {}, current ? t('staff.loyalty.current', { percent: percent(current) }) : t('staff.loyalty.no_current')),
    h('p', { class: 'next-stage' }, nextPercent
      ? t('staff.loyalty.next', { ordinal, percent: percent(nextPercent) })
      : t('staff.loyalty.next_none', { ordinal, first: next ? next.ordinal : '' })),
    next ? null : h('p', { class: 'small muted' }, t('staff.loyalty.at_cap')),
    quoteBox);
}

/*
 * The client's family: its members (links to their records) and the count the
 * loyalty discount reads; join it with another client's family (siblings who
 * registered apart), or take this client out. Contracts never change.
 */
function familyCard(data, ctx) {
  const { client } = data;
  const body = h('div', { id: 'family-body' });
  const card = h('section', { class: 'card family', id: 'family', 'aria-labelledby': 'family-title' },
    h('h3', { id: 'family-title' }, t('staff.family.title')), body);
  const form = h('form', { class: 'family-merge', id: 'family-merge', novalidate: true },
    formError(),
    field('family-other', t('staff.family.merge_label'),
      h('input', { name: 'other', type: 'number', inputmode: 'numeric', min: 1, required: true }),
      t('staff.family.merge_hint')),
    h('button', { type: 'submit', class: 'secondary' }, t('staff.family.merge')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const made = await submitForm(form, (v) => post('/families', {
      client_ids: [client.id, Number(v.other)],
    }));
    if (made) {
      notify(t('staff.family.merged'), 'success');
      await ctx.refresh();
    }
  });
  async function leave() {
    try {
      await del(`/families/${client.family_id}/members/${client.id}`);
      notify(t('staff.family.left'), 'success');
      await ctx.refresh();
    } catch (err) {
      notify(errorText(err), 'error');
    }
  }
  // The family's partner organisation (PATCH /clients/{id} {partner_id}).
  const partnerForm = (partners) => {
    const form = h('form', { class: 'family-partner', id: 'family-partner', novalidate: true },
      formError(),
      field('family-partner-id', t('staff.family.partner'),
        selectBox({ name: 'partner_id' }, [{ value: '', label: t('staff.family.no_partner') },
          ...partners.filter((p) => p.active || p.id === client.partner_id)
            .map((p) => ({ value: String(p.id), label: `${p.name} (${p.code})` }))],
        client.partner_id ? String(client.partner_id) : '')),
      h('button', { type: 'submit', class: 'secondary' }, t('staff.family.partner_save')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const saved = await submitForm(form, (v) => patch(`/clients/${client.id}`, {
        partner_id: v.partner_id ? Number(v.partner_id) : null,
      }));
      if (saved) {
        notify(t('staff.family.partner_saved'), 'success');
        await ctx.refresh();
      }
    });
    return form;
  };
  loadingInto(body);
  Promise.all([get(`/families/${client.family_id}`), fetchAll('/partners')]).then(async ([family, partners]) => {
    const others = family.client_ids.filter((id) => id !== client.id);
    const members = await Promise.all(others.map((id) => get(`/clients/${id}`)));
    fill(body,
      client.referred_by ? h('p', { class: 'small' }, t('staff.family.referred_by', { family: client.referred_by })) : null,
      h('p', { class: 'small muted' }, `#${family.id} · `,
        t('staff.family.contracts', { count: family.contracts })),
      members.length
        ? [h('h4', {}, t('staff.family.members')),
          h('ul', { class: 'plain family-members' }, members.map((m) => h('li', {},
            h('a', { href: `#clients/${m.id}` }, m.full_name),
            m.user_id ? null : [' ', badge(t('staff.clients.no_login'))]))),
          h('button', { type: 'button', class: 'secondary', id: 'family-leave', onclick: leave },
            t('staff.family.leave'))]
        : h('p', {}, t('staff.family.alone')),
      form,
      partnerForm(partners));
  }).catch((err) => failedInto(body, err, () => ctx.refresh()));
  return card;
}

function interactionsCard(data, tutorName, ctx) {
  const id = data.client.id;
  const list = [...data.interactions].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
  const form = h('form', { class: 'interaction-form', novalidate: true },
    formError(),
    h('div', { class: 'row' },
      h('div', { class: 'grow' }, field('interaction-channel', t('staff.interactions.channel'),
        selectBox({ name: 'channel' }, CHANNELS.map((c) => ({ value: c, label: t(`desk.channel.${c}`) })), 'phone'))),
      h('div', { class: 'grow' }, field('interaction-direction', t('staff.interactions.direction'),
        selectBox({ name: 'direction' }, ['in', 'out'].map((d) => ({ value: d, label: t(`staff.interactions.${d}`) })), 'in')))),
    field('interaction-summary', t('staff.interactions.summary'),
      h('textarea', { name: 'summary', rows: 3, maxlength: 10000, required: true })),
    h('button', { type: 'submit' }, t('staff.interactions.add')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const made = await submitForm(form, (v) => post(`/clients/${id}/interactions`, {
      channel: v.channel, direction: v.direction, summary: v.summary ?? '',
    }));
    if (made) {
      notify(t('staff.interactions.added'), 'success');
      await ctx.refresh();
    }
  });
  return h('section', { class: 'card', 'aria-labelledby': 'interactions-title' },
    h('h3', { id: 'interactions-title' }, t('staff.interactions.title')),
    list.length ? h('ul', { class: 'plain items interactions' }, list.map((n) => h('li', {},
      h('div', { class: 'item-head' },
        h('span', {}, badge(t(`staff.interactions.${n.direction}`)), ' ', t(`desk.channel.${n.channel}`)),
        h('span', { class: 'small muted' }, dateTime(n.created_at))),
      h('p', { class: 'pre' }, n.summary),
      n.user_id && tutorName.get(n.user_id) ? h('p', { class: 'small muted' },
        t('staff.interactions.by', { name: tutorName.get(n.user_id) })) : null)))
      : h('p', { class: 'empty' }, t('staff.interactions.none')),
    h('h4', {}, t('staff.interactions.new')),
    form);
}
