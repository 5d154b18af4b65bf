// SPDX-License-Identifier: MIT
// The admin page (/admin): admins only. Nine tabs follow the URL's #hash: the
// loyalty review (web/js/admin/loyalty.js), the discount tiers (admin/tiers.js),
// gift stock (admin/gifts.js), partners, the referral reward and their reports
// (admin/partners.js), users and roles (admin/users.js), the audit log
// (admin/audit.js), the outbox of e-mails (admin/outbox.js) and privacy: a client's
// export and erasure (admin/privacy.js), and the business settings invoices are
// issued with (admin/business.js), direct-debit runs (admin/directdebits.js), the
// TicketBAI submissions (admin/tbai.js) and the accountant's book with the year's
// chart (admin/books.js).
import { h, t } from './shell.js';
import { startDesk, deskTabs } from './desk/common.js';
import { renderLoyalty } from './admin/loyalty.js';
import { renderTiers } from './admin/tiers.js';
import { renderGifts } from './admin/gifts.js';
import { renderUsers } from './admin/users.js';
import { renderAudit } from './admin/audit.js';
import { renderOutbox } from './admin/outbox.js';
import { renderPrivacy } from './admin/privacy.js';
import { renderBusiness } from './admin/business.js';
import { renderPartners } from './admin/partners.js';
import { renderDirectDebits } from './admin/directdebits.js';
import { renderTbai } from './admin/tbai.js';
import { renderBooks } from './admin/books.js';

await startDesk({
  allowed: (user) => user.role === 'admin',
  deniedKey: 'login.admin_only',
  render(app) {
    app.replaceChildren(h('div', { id: 'desk' }));
    deskTabs(app.firstChild, [
      { id: 'loyalty', label: t('admin.tab.loyalty'), render: renderLoyalty },
      { id: 'tiers', label: t('admin.tab.tiers'), render: renderTiers },
      { id: 'gifts', label: t('admin.tab.gifts'), render: renderGifts },
      { id: 'partners', label: t('admin.tab.partners'), render: renderPartners },
      { id: 'users', label: t('admin.tab.users'), render: renderUsers },
      { id: 'audit', label: t('admin.tab.audit'), render: renderAudit },
      { id: 'outbox', label: t('admin.outbox.tab'), render: renderOutbox },
      { id: 'privacy', label: t('admin.privacy.tab'), render: renderPrivacy },
      { id: 'business', label: t('admin.business.tab'), render: renderBusiness },
      { id: 'direct-debits', label: t('admin.dd.tab'), render: renderDirectDebits },
      { id: 'tbai', label: t('admin.tbai.tab'), render: renderTbai },
      { id: 'books', label: t('admin.books.tab'), render: renderBooks },
    ], { label: t('admin.tabs_label') });
  },
});
