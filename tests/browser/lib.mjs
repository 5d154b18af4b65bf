// SPDX-License-Identifier: MIT
// The browser tests' harness: starts the real harreman binary on a temporary
// database (port 0, --demo), launches Debian's chromium through playwright-core
// (no browser download), collects page errors and CSP violations, and offers the
// helpers journeys share (API calls for setup, axe-core checks, Basque-only checks).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = dirname(new URL(import.meta.url).pathname);

/** Starts `harreman serve` and resolves to {url, stop()} once it listens. */
export async function startServer({ binary, web, extraArgs = [] }) {
  const dir = mkdtempSync(join(tmpdir(), 'harreman-browser-'));
  const args = ['serve', '--listen', '127.0.0.1:0', '--db', join(dir, 'test.db'),
    '--web', web, '--demo', ...extraArgs];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (chunk) => { log += chunk; });
  const url = await new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${seen}${log}`)), 30000);
    child.stdout.on('data', (chunk) => {
      seen += chunk;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(seen);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${seen}${log}`)); });
  });
  child.stdout.resume();
  return {
    url,
    log: () => log,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
        child.kill('SIGTERM');
        const { code } = await exited;
        if (code !== 0) throw new Error(`server exited with ${code} on SIGTERM:\n${log}`);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.HM_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A new page in its own context (own cookies and storage) that records uncaught
 * errors, console errors (CSP violations land there) and failed requests to the
 * server; `problems()` lists them. Options: viewport width/height, locale.
 */
export async function newPage(browser, baseURL, { width = 1280, height = 900 } = {}) {
  const context = await browser.newContext({ baseURL, viewport: { width, height } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text()))
      problems.push(`console error: ${msg.text()}`);
    if (msg.type() === 'warning' && msg.text().startsWith('i18n: missing'))
      problems.push(`console: ${msg.text()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 500) problems.push(`${res.status()} from ${res.url()}`);
  });
  page.problems = () => problems;
  return page;
}

/** Calls the API from Node (setup and checks that need no page). */
export async function apiCall(baseURL, method, path, { body, cookie, token, csrf } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (cookie) headers.Cookie = cookie;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(baseURL + '/api/v1' + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  return { status: res.status, json, headers: res.headers };
}

/** Logs in through the API; resolves to {cookie, csrf, user, client}. */
export async function apiLogin(baseURL, email, password) {
  const res = await fetch(baseURL + '/api/v1/auth/login', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status}`);
  const json = await res.json();
  const cookie = res.headers.get('set-cookie').split(';')[0];
  return { cookie, csrf: json.csrf_token, user: json.user, client: json.client };
}

/** The demo business's logins (src/db/demo.c). */
export const DEMO = {
  student: { email: 'ane@demo.harreman.eus', password: 'ikaslea-demo-2026' },
  staff: { email: 'mikel@demo.harreman.eus', password: 'irakaslea-demo-2026' },
  admin: { email: 'admin@demo.harreman.eus', password: 'kudeatzailea-demo-2026' },
};

/** Runs axe-core on the page; fails on any serious or critical violation. */
export async function assertAccessible(page, label) {
  const source = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // evaluate() runs through the DevTools protocol, so the page's CSP (which
  // forbids inline scripts) stays in force for the page's own code.
  await page.evaluate(source);
  const result = await page.evaluate(() => globalThis.axe.run(document, {
    resultTypes: ['violations'],
  }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) {
    const lines = bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n    ` +
      v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('\n    '));
    throw new Error(`axe found ${bad.length} serious/critical violation(s) on ${label}:\n${lines.join('\n')}`);
  }
}

/**
 * Every visible text and labelling attribute of the page, except the language
 * switcher's own names (endonyms) and elements marked lang other than the page's.
 */
export async function visibleTexts(page) {
  return page.evaluate(() => {
    const out = [];
    const pageLang = document.documentElement.lang;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || el.closest('#language, script, style, [hidden]')) continue;
      const lang = el.closest('[lang]');
      if (lang && lang.getAttribute('lang') !== pageLang) continue;
      if (!el.checkVisibility || el.checkVisibility()) {
        const text = node.textContent.trim();
        if (text) out.push(text);
      }
    }
    for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], [alt]')) {
      if (el.closest('#language')) continue;
      for (const attr of ['placeholder', 'aria-label', 'title', 'alt']) {
        const v = el.getAttribute(attr);
        if (v) out.push(v.trim());
      }
    }
    return out;
  });
}

/** The English dictionary's sentences that are not also Basque ones (for no-English checks). */
export function englishOnlySentences(web) {
  const en = JSON.parse(readFileSync(join(web, 'i18n', 'en.json'), 'utf8'));
  const eu = JSON.parse(readFileSync(join(web, 'i18n', 'eu.json'), 'utf8'));
  const flat = (d) => Object.values(d).flatMap((v) => (typeof v === 'object' ? Object.values(v) : [v]));
  const basque = new Set(flat(eu));
  return flat(en).filter((s) => !basque.has(s) && /[a-z]{3,}/i.test(s))
    .map((s) => s.replace(/\{\w+\}/g, '').trim()).filter((s) => s.length >= 4);
}

export { here };
