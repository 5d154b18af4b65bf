// SPDX-License-Identifier: MIT
// What the booking page knows: the catalogue read once (services, tutors, discount
// tiers, the server's limits), the visitor's choice (service, tutor filter, week)
// and the contact channels. Panels read it; only the module that owns a part
// writes it. The tiers are only shown: what a contract gets is the server's to say
// (GET /me/loyalty, GET /quote).
import { get, withQuery } from '../api.js';
import { currentLanguage } from '../i18n.js';

export const state = {
  services: [],        // GET /services, active ones
  tutors: new Map(),   // id -> {id, full_name, subjects, bio}
  tiers: [],           // GET /discount-tiers items, rising (shown, never priced)
  limits: null,        // GET /limits: repeat_weeks_min/max, booking_horizon_days, ...
  channels: null,      // GET /channels items (contact panel)
  serviceId: null,     // the chosen service
  tutorId: '',         // '' = any tutor
  family: [],          // GET /me/clients items: the account's family (its own record first)
  learner: null,       // the family member the page acts for (a client id); null = the account's own
};

/** The services in the page's language (names and descriptions; Basque where untranslated). */
export async function loadServices() {
  const services = await get(`/services?limit=200&locale=${currentLanguage()}`);
  state.services = services.items.filter((s) => s.active);
}

/**
 * path with the learner's client_id added to params (API.md v2 "Families": every
 * student route about a learner takes it; without it, the account's own record).
 */
export function forLearner(path, params = {}) {
  return withQuery(path, { ...params, client_id: state.learner ?? undefined });
}

/** body with the learner's client_id when a family member other than the account is chosen. */
export function learnerBody(body = {}) {
  return state.learner ? { ...body, client_id: state.learner } : body;
}

/** The chosen learner's client record (from the family list), or null. */
export function learnerRecord() {
  return state.family.find((c) => c.id === state.learner) || null;
}

/** Loads services, tutors, tiers and limits (all public). Rejects with an ApiError. */
export async function loadCatalogue() {
  const [services, tutors, tiers, limits] = await Promise.all([
    get(`/services?limit=200&locale=${currentLanguage()}`), get('/tutors?limit=200'),
    get('/discount-tiers'), get('/limits'),
  ]);
  state.services = services.items.filter((s) => s.active);
  state.tutors = new Map(tutors.items.map((tutor) => [tutor.id, tutor]));
  state.tiers = tiers.items;
  state.limits = limits;
}

export function service(id = state.serviceId) {
  return state.services.find((s) => s.id === Number(id)) || null;
}

/** The tutors who teach a service (its subject is among theirs). */
export function tutorsFor(svc) {
  return [...state.tutors.values()].filter((tutor) => tutor.subjects.includes(svc.subject));
}

export function tutorName(id) {
  const tutor = state.tutors.get(Number(id));
  return tutor ? tutor.full_name : '';
}

/** The phone channel, when the business has one. */
export function phoneChannel() {
  return (state.channels || []).find((c) => c.kind === 'phone') || null;
}
