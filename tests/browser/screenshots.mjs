// SPDX-License-Identifier: MIT
// The screenshots of scripts/screenshots: node screenshots.mjs --server BIN --web DIR
// --out DIR. One demo server on a temporary database; each page is taken logged in
// as the user it is for (the demo student, staff member, admin), in Basque, at 390
// and 1280 px, full length. Waits for the pages' own data, never for a fixed time.
import { join } from 'node:path';
import { DEMO, launchBrowser, startServer } from './lib.mjs';

const argv = process.argv.slice(2);
const opt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const binary = opt('--server');
const web = opt('--web');
const out = opt('--out');
if (!binary || !web || !out) {
  console.error('usage: node screenshots.mjs --server BIN --web DIR --out DIR');
  process.exit(2);
}

const WIDTHS = { phone: { width: 390, height: 844 }, desktop: { width: 1280, height: 900 } };

// What "ready" means on the booking page: the week, the student's lessons and loyalty,
// the community panels and the calendar link.
async function bookingReady(page) {
  await page.waitForSelector('#week:not([aria-busy]) .week.agenda');
  await page.waitForSelector('#upcoming-lessons, #lessons-list .lessons-part');
  await page.waitForSelector('#loyalty-next');
  await page.waitForSelector('#channel-phone');
  await page.waitForSelector('#events[data-state=ready]');
  await page.waitForSelector('#contributions[data-state=ready]');
  await page.waitForSelector('#calendar[data-state=ready]');
}

const PAGES = [
  { name: 'booking', path: '/', login: DEMO.student, ready: bookingReady },
  { name: 'staff', path: '/staff', login: DEMO.staff },
  { name: 'admin', path: '/admin', login: DEMO.admin },
];

const server = await startServer({ binary, web });
const browser = await launchBrowser();
let failed = false;
try {
  for (const spec of PAGES) {
    for (const [size, viewport] of Object.entries(WIDTHS)) {
      const context = await browser.newContext({ baseURL: server.url, viewport });
      await context.addInitScript(() => localStorage.setItem('harreman.lang', 'eu'));
      const login = await context.request.post('/api/v1/auth/login', {
        data: { email: spec.login.email, password: spec.login.password },
      });
      if (!login.ok()) throw new Error(`login as ${spec.login.email}: ${login.status()}`);
      const page = await context.newPage();
      await page.goto(spec.path, { waitUntil: 'networkidle' });
      await page.waitForSelector('body:not(.loading)');
      if (spec.ready) await spec.ready(page);
      await page.waitForLoadState('networkidle');
      const file = join(out, `${spec.name}-${size}.png`);
      await page.screenshot({ path: file, fullPage: true });
      console.log(`wrote ${file}`);
      if (spec.name === 'booking') {
        // The confirmation of a slot: the price with the discount and the gift.
        await page.locator('#week .slot').last().click();
        await page.waitForSelector('#quote [data-field=percent], #quote #subscription-note');
        const confirm = join(out, `booking-confirm-${size}.png`);
        await page.screenshot({ path: confirm });
        console.log(`wrote ${confirm}`);
      }
      await context.close();
    }
  }
} catch (err) {
  failed = true;
  console.error(err && err.stack ? err.stack : err);
} finally {
  await browser.close();
  await server.stop();
}
process.exit(failed ? 1 : 0);
