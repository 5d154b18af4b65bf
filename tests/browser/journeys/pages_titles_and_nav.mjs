// SPDX-License-Identifier: MIT
// Every page says what it is in the page's language (title and description, in
// Basque before any script runs), has an icon, and shows the desk and admin links
// only to those who may use them: a visitor sees both, a student neither, staff the
// desk, an admin both.
import assert from 'node:assert/strict';
import { DEMO } from '../lib.mjs';
import { dictionary, loginOnPage, openPage } from '../booking.mjs';
import { loginOnPage as deskLogin } from '../desk.mjs';

const navShown = (page) => page.$$eval('.site-nav a[href="/staff"], .site-nav a[href="/admin"]',
  (links) => links.filter((a) => !a.hidden).map((a) => a.getAttribute('href')));
const description = (page) => page.getAttribute('meta[name=description]', 'content');

export default async function ({ newPage, url, web }) {
  const eu = dictionary(web, 'eu').t;
  const es = dictionary(web, 'es').t;

  // Without JavaScript the Basque title and description are in the HTML itself.
  const html = await (await fetch(`${url}/`)).text();
  assert.ok(html.includes(`<title data-i18n="page.booking.title">${eu('page.booking.title')}</title>`));
  assert.ok(html.includes(`content="${eu('page.booking.description')}"`));
  const icon = await fetch(`${url}/favicon.svg`);
  assert.equal(icon.status, 200);
  assert.match(icon.headers.get('content-type'), /^image\/svg\+xml/);

  const page = await openPage(newPage, { width: 1280 });
  assert.equal(await page.title(), eu('page.booking.title'));
  assert.deepEqual(await navShown(page), ['/staff', '/admin'], 'a visitor sees both links');
  await page.selectOption('#language', 'es');
  await page.waitForFunction((want) => document.title === want, es('page.booking.title'));
  assert.equal(await description(page), es('page.booking.description'));
  await page.selectOption('#language', 'eu');
  await page.waitForFunction((want) => document.title === want, eu('page.booking.title'));
  await loginOnPage(page, DEMO.student.email, DEMO.student.password);
  await page.waitForSelector('#account [data-action=logout], #who:not(:empty)');
  await page.waitForFunction(() => [...document.querySelectorAll('.site-nav a[href="/staff"], .site-nav a[href="/admin"]')]
    .every((a) => a.hidden));
  assert.deepEqual(await navShown(page), [], 'a student sees neither link');
  await page.reload();
  await page.waitForSelector('body:not(.loading)');
  assert.deepEqual(await navShown(page), [], 'nor after a reload');

  const desk = await newPage({ width: 1280 });
  await desk.goto('/staff');
  await desk.waitForSelector('form.login-form');
  assert.equal(await desk.title(), eu('page.staff.title'));
  await deskLogin(desk, DEMO.staff);
  await desk.waitForSelector('#desk');
  assert.deepEqual(await navShown(desk), ['/staff'], 'staff see the desk only');
  const admin = await newPage({ width: 1280 });
  await admin.goto('/admin');
  await admin.waitForSelector('form.login-form');
  assert.equal(await admin.title(), eu('page.admin.title'));
  await deskLogin(admin, DEMO.admin);
  await admin.waitForSelector('#desk');
  assert.deepEqual(await navShown(admin), ['/staff', '/admin'], 'an admin sees both');
}
