// SPDX-License-Identifier: MIT
// Issue 13, items 1–3, in Basque at 390×844 and 1280×800 as the demo student: the
// page loads without moving (layout shifts summed ≤ 0.05, a header of one fixed
// height whatever fills it), the booking dialog's confirm button is in view for one
// lesson and for a weekly series, and after "Bai, ezeztatu" the confirmation is
// said on screen, where the user is, with the lesson among the cancelled ones;
// item 6: her lessons start within 4 screens, and no staff or admin link is shown;
// a date field jumps weeks ahead in one step.
import assert from 'node:assert/strict';
import { DEMO } from '../lib.mjs';
import {
  chooseService, dictionary, nextWeekSlots, norm, privateService, slotSelector,
} from '../booking.mjs';

const SIZES = [{ width: 390, height: 844 }, { width: 1280, height: 800 }];

/** The layout shifts the page has had (not those right after an input). */
function shifts(page) {
  return page.evaluate(() => new Promise((resolve) => {
    let sum = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) sum += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
    setTimeout(() => resolve(sum), 200);
  }));
}

/** Waits for the dialog's price (or the subscription's note) to be drawn. */
function quoteShown(page) {
  return page.waitForFunction(() => {
    const quote = document.querySelector('#quote');
    return quote && !quote.querySelector('.loading-note')
      && quote.querySelector('#subscription-note, [data-field=price], .muted');
  });
}

/** Fails unless the element is wholly inside the viewport. */
async function assertInView(page, selector, label) {
  const box = await page.locator(selector).boundingBox();
  const { height, width } = page.viewportSize();
  assert.ok(box, `${label}: ${selector} is shown`);
  assert.ok(box.y >= 0 && box.y + box.height <= height && box.x >= 0 && box.x + box.width <= width,
    `${label}: ${selector} in view (${JSON.stringify(box)} within ${width}×${height})`);
}

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const svc = await privateService(url);
  const headerHeights = [];
  for (const size of SIZES) {
    const label = `${size.width} px`;
    const page = await newPage(size);
    const login = await page.context().request.post('/api/v1/auth/login', {
      data: { email: DEMO.student.email, password: DEMO.student.password },
    });
    assert.equal(login.status(), 200);
    // The header's height as first painted, before any script filled it in.
    await page.addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        globalThis.firstHeader = document.querySelector('.site-header').getBoundingClientRect().height;
      });
    });
    await page.goto('/');
    await page.waitForSelector('body:not(.loading)');
    await page.waitForSelector('#upcoming-lessons, #lessons-list .lessons-part');
    await page.waitForSelector('#week:not([aria-busy]) .week.agenda');
    await page.waitForLoadState('networkidle');

    // Item 2: nothing moved while it loaded; the header kept its first height.
    const cls = await shifts(page);
    assert.ok(cls <= 0.05, `${label}: layout shifts while loading add up to ${cls.toFixed(3)} (> 0.05)`);
    const header = await page.evaluate(() => ({
      first: globalThis.firstHeader,
      now: document.querySelector('.site-header').getBoundingClientRect().height,
    }));
    assert.equal(header.now, header.first, `${label}: the header kept its height`);
    assert.ok(header.now <= 64, `${label}: the header is one row (${header.now} px)`);
    headerHeights.push(header.now);

    // Item 6: the student's lessons within 4 screens; no desk or admin links for her.
    const lessonsTop = await page.evaluate(() => document.querySelector('#lessons').getBoundingClientRect().top + scrollY);
    assert.ok(lessonsTop < 4 * size.height, `${label}: the lessons start ${Math.round(lessonsTop)} px down (4 screens: ${4 * size.height})`);
    for (const href of ['/staff', '/admin'])
      assert.equal(await page.locator(`.site-nav a[href="${href}"]`).isVisible(), false, `${label}: no ${href} link`);

    // Item 3: the confirm button in view, for one lesson and for a weekly series.
    await chooseService(page, svc);

    // A date jump besides next and previous week: three weeks on, in one step.
    const target = await page.evaluate(async () => {
      const f = await import('/js/format.js');
      const day = f.addDays(f.businessDate(new Date().toISOString()), 21);
      const monday = f.mondayOf(day);
      return { day, from: f.dayLabel(monday), to: f.dayLabel(f.addDays(monday, 6)) };
    });
    await page.fill('#week-jump', target.day);
    await page.waitForFunction((text) => document.querySelector('#week-range').textContent === text,
      t('book.week.range', { from: target.from, to: target.to }));
    await page.waitForSelector('#week:not([aria-busy]) .week.agenda');

    const slots = await nextWeekSlots(page, t);
    assert.ok(slots.length > 0, 'next week has free slots');
    const slot = slots[slots.length - 1];
    await page.click(slotSelector(slot));
    await quoteShown(page);
    await assertInView(page, '#confirm-book', `${label}, one lesson`);
    await page.check('#repeat');
    await page.fill('#repeat-weeks', '8');
    await quoteShown(page);
    await assertInView(page, '#confirm-book', `${label}, a weekly series`);
    await page.uncheck('#repeat');
    await quoteShown(page);

    if (size.width !== 390) {
      await page.click(`#confirm .dialog-actions button:has-text("${t('common.dismiss')}")`);
      continue;
    }
    // Item 1 (phone): book it, cancel it; the confirmation is on screen.
    await page.click('#confirm-book');
    await page.waitForSelector('#confirm .done');
    await assertInView(page, `#confirm .dialog-actions button:has-text("${t('common.close')}")`,
      `${label}, booked`);
    await page.click(`#confirm .dialog-actions button:has-text("${t('common.close')}")`);
    const lesson = `#upcoming-lessons li[data-starts-at="${slot.startsAt}"]`;
    await page.waitForSelector(lesson);
    await page.locator(`${lesson} [data-action=cancel]`).scrollIntoViewIfNeeded();
    await page.click(`${lesson} [data-action=cancel]`);
    await page.click(`${lesson} [data-action=cancel-yes]`);
    await page.waitForSelector('#lessons-done');
    await page.waitForSelector(`#past-lessons li[data-starts-at="${slot.startsAt}"] .badge.danger`);
    await page.waitForSelector(slotSelector(slot));
    await assertInView(page, '#lessons-done', `${label}, cancelled`);
    assert.equal(norm(await page.textContent('#lessons-done')),
      norm(t('book.lessons.cancelled_notice', {
        when: await page.evaluate(async (at) => (await import('/js/format.js')).dateTime(at), slot.startsAt),
      })));
  }
  assert.equal(headerHeights[0], headerHeights[1], 'the same header height on a phone and a desktop');
}
