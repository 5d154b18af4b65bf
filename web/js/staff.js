// SPDX-License-Identifier: MIT
// The staff page (being built): sets up language and session.
import { startPage, byId, fill, h, t } from './shell.js';

await startPage();
fill(byId('app'), h('p', { class: 'muted' }, t('common.loading')));
