// SPDX-License-Identifier: MIT
// Every page opens in Basque by default, switches language and remembers it, and
// axe-core finds no serious or critical violation on any page at phone or desktop width.
import assert from 'node:assert/strict';
import { assertAccessible } from '../lib.mjs';

export default async function ({ newPage }) {
  for (const path of ['/', '/staff', '/admin']) {
    for (const width of [390, 1280]) {
      const page = await newPage({ width });
      await page.goto(path);
      await page.waitForSelector('body:not(.loading)');
      assert.equal(await page.getAttribute('html', 'lang'), 'eu', `${path} starts in Basque`);
      assert.equal(await page.textContent('.site-nav a[href="/"]'), 'Erreserbak');
      await assertAccessible(page, `${path} at ${width}px`);
      await page.close();
    }
  }
  // The choice of language survives a reload.
  const page = await newPage();
  await page.goto('/');
  await page.waitForSelector('body:not(.loading)');
  await page.selectOption('#language', 'es');
  await page.waitForFunction(() => document.documentElement.lang === 'es');
  assert.equal(await page.textContent('.site-nav a[href="/"]'), 'Reservas');
  await page.reload();
  await page.waitForSelector('body:not(.loading)');
  assert.equal(await page.getAttribute('html', 'lang'), 'es');
  assert.equal(await page.textContent('h1'), 'Reserva una clase');
}
