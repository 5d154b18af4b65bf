// SPDX-License-Identifier: MIT
// What the booking page knows: the catalogue read once (services, tutors, discount
// tiers), the visitor's choice (service, tutor filter, week) and the contact
// channels. Panels read it; only the module that owns a part writes it.
import { get } from '../api.js';

export const state = {
  services: [],        // GET /services, active ones
  tutors: new Map(),   // id -> {id, full_name, subjects, bio}
  tiers: [],           // GET /discount-tiers items, rising
  channels: null,      // GET /channels items (contact panel)
  serviceId: null,     // the chosen service
  tutorId: '',         // '' = any tutor
};

/** Loads services, tutors and tiers (all public). Rejects with an ApiError. */
export async function loadCatalogue() {
  const [services, tutors, tiers] = await Promise.all([
    get('/services?limit=200'), get('/tutors?limit=200'), get('/discount-tiers'),
  ]);
  state.services = services.items.filter((s) => s.active);
  state.tutors = new Map(tutors.items.map((tutor) => [tutor.id, tutor]));
  state.tiers = tiers.items;
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

/** The percent of the tier that applies to the n-th contract (0 below the first). */
export function tierPercent(ordinal) {
  let percent = 0;
  for (const tier of state.tiers) if (tier.from_ordinal <= ordinal) percent = tier.percent;
  return percent;
}

/** The phone channel, when the business has one. */
export function phoneChannel() {
  return (state.channels || []).find((c) => c.kind === 'phone') || null;
}
