// SPDX-License-Identifier: MIT
// The staff desk (/staff): staff and admins only. Six tabs follow the URL's #hash:
// the lessons of the day or week per tutor (web/js/staff/lessons.js), clients with
// their records, contracts and bookings (web/js/staff/clients.js), the inquiry
// queue (web/js/staff/inquiries.js), the community: events and the review of
// students' contributions (web/js/staff/community.js), the automatic answers
// (web/js/staff/answers.js), and the services' texts in three languages
// (web/js/staff/services.js).
import { h, t } from './shell.js';
import { startDesk, deskTabs } from './desk/common.js';
import { renderLessons } from './staff/lessons.js';
import { renderClients } from './staff/clients.js';
import { renderInquiries } from './staff/inquiries.js';
import { renderCommunity } from './staff/community.js';
import { renderAnswers } from './staff/answers.js';
import { renderServices } from './staff/services.js';

await startDesk({
  allowed: (user) => user.role === 'staff' || user.role === 'admin',
  deniedKey: 'login.staff_only',
  render(app) {
    app.replaceChildren(h('div', { id: 'desk' }));
    deskTabs(app.firstChild, [
      { id: 'lessons', label: t('staff.tab.lessons'), render: renderLessons },
      { id: 'clients', label: t('staff.tab.clients'), render: renderClients },
      { id: 'inquiries', label: t('staff.tab.inquiries'), render: renderInquiries },
      { id: 'community', label: t('staff.community.tab'), render: renderCommunity },
      { id: 'answers', label: t('staff.tab.answers'), render: renderAnswers },
      { id: 'services', label: t('staff.services.tab'), render: renderServices },
    ], { label: t('staff.tabs_label') });
  },
});
