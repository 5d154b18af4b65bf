// SPDX-License-Identifier: MIT
// The desk's community tab: two parts chosen by the URL (#community/events and
// #community/contributions), the events (web/js/staff/events.js) and the students'
// contributions with their review (web/js/staff/contributions.js). The part switcher
// shows how many contributions wait for a review.
import { h, fill, t } from '../shell.js';
import { renderEvents } from './events.js';
import { renderContributions, waitingCount } from './contributions.js';

const PARTS = ['events', 'contributions'];

export function renderCommunity(panel, rest) {
  const part = PARTS.includes(rest) ? rest : 'events';
  const waiting = h('span', { class: 'badge warn', id: 'community-waiting', hidden: true });
  const body = h('div', { class: 'community-part' });
  fill(panel,
    h('nav', { class: 'subnav', 'aria-label': t('staff.community.parts') },
      PARTS.map((p) => h('a', {
        href: `#community/${p}`, class: 'subnav-link', 'aria-current': p === part ? 'page' : null,
      }, t(`staff.community.part_${p}`), p === 'contributions' ? [' ', waiting] : null))),
    body);
  const showWaiting = (count) => {
    waiting.hidden = !count;
    fill(waiting, h('span', { 'aria-hidden': 'true' }, String(count)),
      h('span', { class: 'visually-hidden' }, t('staff.contributions.waiting', { count })));
  };
  if (part === 'events') {
    renderEvents(body);
    waitingCount().then(showWaiting).catch(() => showWaiting(0));
  } else {
    renderContributions(body, { onCount: showWaiting });
  }
}
