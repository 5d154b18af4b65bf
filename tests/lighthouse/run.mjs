// SPDX-License-Identifier: MIT
// Lighthouse budgets of the pages: node run.mjs --server BIN --web DIR [--json FILE]
// Starts the real server on a temporary database with demo data (../browser/lib.mjs),
// then runs npm's lighthouse (mobile emulation, simulated throttling) in Debian's
// chromium on `/` logged out, `/` as the demo student, `/staff` as the demo staff
// member and `/admin` as the demo admin (a session cookie sent with every request).
// Fails when a page breaks a budget: CLS, accessibility, best practices, SEO, bytes
// transferred. The performance score is printed, not asserted (it follows the load
// of the machine).
import { writeFileSync } from 'node:fs';
import lighthouse from 'lighthouse';
import * as chromeLauncher from 'chrome-launcher';
import { DEMO, apiLogin, startServer } from '../browser/lib.mjs';

const argv = process.argv.slice(2);
const opt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const binary = opt('--server');
const web = opt('--web');
const jsonOut = opt('--json');
if (!binary || !web) {
  console.error('usage: node run.mjs --server BIN --web DIR [--json FILE]');
  process.exit(2);
}

// The budgets. Bytes: everything a page transfers on its first load (compressed),
// with room for growth; a page over it has grown by something worth a look.
export const BUDGET = {
  cls: 0.05,
  accessibility: 1,
  'best-practices': 1,
  seo: 0.95,
  bytes: { '/': 140 * 1024, '/staff': 140 * 1024, '/admin': 140 * 1024 },
};

const PAGES = [
  { name: '/ logged out', path: '/' },
  { name: '/ student', path: '/', login: DEMO.student },
  { name: '/staff', path: '/staff', login: DEMO.staff },
  { name: '/admin', path: '/admin', login: DEMO.admin },
];

const server = await startServer({ binary, web });
const chrome = await chromeLauncher.launch({
  chromePath: process.env.HM_CHROMIUM || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
    '--no-first-run', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--lang=eu'],
});
const failures = [];
const rows = [];
try {
  for (const spec of PAGES) {
    const extraHeaders = {};
    if (spec.login) {
      const { cookie } = await apiLogin(server.url, spec.login.email, spec.login.password);
      extraHeaders.Cookie = cookie;
    }
    const result = await lighthouse(server.url + spec.path, {
      port: chrome.port, output: 'json', logLevel: 'error', extraHeaders,
      onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
    });
    const { categories, audits } = result.lhr;
    if (result.lhr.runtimeError) failures.push(`${spec.name}: ${result.lhr.runtimeError.message}`);
    const row = {
      page: spec.name,
      performance: categories.performance.score,
      accessibility: categories.accessibility.score,
      'best-practices': categories['best-practices'].score,
      seo: categories.seo.score,
      cls: audits['cumulative-layout-shift'].numericValue,
      lcp_ms: Math.round(audits['largest-contentful-paint'].numericValue),
      bytes: audits['total-byte-weight'].numericValue,
    };
    rows.push(row);
    const failed = (cat) => Object.values(audits)
      .filter((a) => categories[cat].auditRefs.some((r) => r.id === a.id && r.weight > 0))
      .filter((a) => a.score !== null && a.score < 1).map((a) => a.id).join(', ');
    if (!(row.cls <= BUDGET.cls)) failures.push(`${spec.name}: CLS ${row.cls.toFixed(3)} > ${BUDGET.cls}`);
    for (const cat of ['accessibility', 'best-practices', 'seo']) {
      if (!(row[cat] >= BUDGET[cat]))
        failures.push(`${spec.name}: ${cat} ${row[cat]} < ${BUDGET[cat]} (${failed(cat)})`);
    }
    const bytes = BUDGET.bytes[spec.path];
    if (!(row.bytes <= bytes)) failures.push(`${spec.name}: ${row.bytes} bytes > ${bytes}`);
  }
} finally {
  await chrome.kill();
  await server.stop();
}
console.table(rows.map((r) => ({ ...r, cls: Number(r.cls.toFixed(3)) })));
if (jsonOut) writeFileSync(jsonOut, JSON.stringify(rows, null, 2));
if (failures.length) {
  console.error(`over budget:\n  ${failures.join('\n  ')}`);
  console.log('FAIL lighthouse');
  process.exit(1);
}
console.log('ok lighthouse');
