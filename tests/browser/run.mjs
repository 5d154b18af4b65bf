// SPDX-License-Identifier: MIT
// Runs one browser journey: node run.mjs <journey.mjs> --server BIN --web DIR
// A journey module exports `default async function (t)` where t has {browser,
// url, web, newPage(opts), server, binary} (binary, for a journey that needs a
// server of its own). Fails (exit 1) on an exception, on page errors, console
// errors or 5xx answers seen by any page, or when the journey takes too long.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchBrowser, newPage, startServer } from './lib.mjs';

const argv = process.argv.slice(2);
const opt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
const journeyPath = argv[0];
const binary = opt('--server');
const web = opt('--web');
if (!journeyPath || !binary || !web) {
  console.error('usage: node run.mjs <journey.mjs> --server BIN --web DIR');
  process.exit(2);
}
const limitMs = Number(process.env.HM_JOURNEY_TIMEOUT_MS || 150000);
const watchdog = setTimeout(() => {
  console.error(`journey ${journeyPath} took more than ${limitMs} ms`);
  process.exit(1);
}, limitMs);

const journey = (await import(pathToFileURL(resolve(journeyPath)).href)).default;
const server = await startServer({ binary, web });
const browser = await launchBrowser();
const pages = [];
let failed = false;
try {
  await journey({
    browser, url: server.url, web, server, binary,
    newPage: async (o) => { const p = await newPage(browser, server.url, o); pages.push(p); return p; },
  });
  const problems = pages.flatMap((p) => p.problems());
  if (problems.length) {
    failed = true;
    console.error(`problems seen by the pages:\n  ${problems.join('\n  ')}`);
  }
} catch (err) {
  failed = true;
  console.error(err && err.stack ? err.stack : err);
  for (const p of pages) for (const line of p.problems()) console.error(`  (page) ${line}`);
} finally {
  await browser.close();
  try { await server.stop(); } catch (err) { failed = true; console.error(err.message); }
  clearTimeout(watchdog);
}
console.log(failed ? `FAIL ${journeyPath}` : `ok ${journeyPath}`);
process.exit(failed ? 1 : 0);
