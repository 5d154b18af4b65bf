// SPDX-License-Identifier: MIT
// Issue 13, item 6, in Basque as the demo student: on a phone (390×844) the
// secondary panels fold — each a <details> whose summary names it in Basque; the
// student closes the events and the contact panels, the page gets shorter and
// their contents are hidden, and on the next visit they are still closed; opened
// again with the keyboard, the contents are back. At 1280 px there are no
// summaries and every panel is open, whatever was folded on the phone. The page
// loads without moving either way and axe finds nothing serious.
import assert from 'node:assert/strict';
import { assertAccessible, DEMO } from '../lib.mjs';
import { dictionary, norm } from '../booking.mjs';

async function loggedInPage(newPage, size) {
  const page = await newPage(size);
  const login = await page.context().request.post('/api/v1/auth/login', {
    data: { email: DEMO.student.email, password: DEMO.student.password },
  });
  assert.equal(login.status(), 200);
  return page;
}

async function loaded(page) {
  await page.waitForSelector('body:not(.loading)');
  await page.waitForSelector('#upcoming-lessons, #lessons-list .lessons-part');
  await page.waitForLoadState('networkidle');
}

const height = (page) => page.evaluate(() => document.documentElement.scrollHeight);

export default async function ({ newPage, web }) {
  const { t } = dictionary(web, 'eu');
  const page = await loggedInPage(newPage, { width: 390, height: 844 });
  await page.goto('/');
  await loaded(page);

  // Every secondary panel folds, named in Basque; the booking steps do not.
  const names = {
    events: 'book.community.events.title', contributions: 'book.community.contrib.title',
    contact: 'book.contact.title', ask: 'book.ask.title', loyalty: 'book.loyalty.title',
  };
  for (const [id, key] of Object.entries(names)) {
    const summary = page.locator(`details.fold[data-fold="${id}"] > summary`);
    assert.ok(await summary.isVisible(), `${id} has a summary on a phone`);
    assert.equal(norm(await summary.textContent()), t(key));
    assert.equal(await page.locator(`details.fold[data-fold="${id}"]`).getAttribute('open'), '');
  }
  for (const id of ['choose', 'week-card', 'lessons'])
    assert.equal(await page.locator(`details.fold > #${id}`).count(), 0, `${id} never folds`);
  await assertAccessible(page, 'folds open, 390 px');

  // Closing two panels: their contents hidden, the page shorter.
  const before = await height(page);
  await page.click('details.fold[data-fold="events"] > summary');
  await page.locator('details.fold[data-fold="contact"] > summary').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => !document.querySelector('details.fold[data-fold="contact"]').open);
  assert.equal(await page.locator('#events').isVisible(), false);
  assert.equal(await page.locator('#contact').isVisible(), false);
  const after = await height(page);
  assert.ok(after < before - 300, `the page got shorter (${before} → ${after} px)`);
  await assertAccessible(page, 'folds closed, 390 px');

  // The next visit keeps them closed (and still loads without a jump).
  await page.reload();
  await loaded(page);
  assert.equal(await page.locator('details.fold[data-fold="events"]').getAttribute('open'), null);
  assert.equal(await page.locator('details.fold[data-fold="contact"]').getAttribute('open'), null);
  assert.equal(await page.locator('details.fold[data-fold="ask"]').getAttribute('open'), '');
  const cls = await page.evaluate(() => new Promise((resolve) => {
    let sum = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) sum += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
    setTimeout(() => resolve(sum), 200);
  }));
  assert.ok(cls <= 0.05, `layout shifts ${cls.toFixed(3)} with folded panels`);

  // Opened again with the keyboard: the contents are back.
  await page.locator('details.fold[data-fold="events"] > summary').focus();
  await page.keyboard.press('Space');
  await page.waitForSelector('#events', { state: 'visible' });

  // A wide screen: no summaries, every panel open, the contact one too.
  const wide = await newPage({ width: 1280, height: 800 });
  await wide.context().request.post('/api/v1/auth/login', {
    data: { email: DEMO.student.email, password: DEMO.student.password },
  });
  await wide.goto('/');
  await loaded(wide);
  await wide.evaluate(() => localStorage.setItem('harreman.folded', JSON.stringify(['contact', 'events'])));
  await wide.reload();
  await loaded(wide);
  assert.equal(await wide.locator('details.fold > summary:visible').count(), 0);
  assert.ok(await wide.locator('#contact').isVisible());
  assert.ok(await wide.locator('#events').isVisible());
  assert.ok(await wide.locator('#contact-title').isVisible(), 'the panel keeps its heading');
}
