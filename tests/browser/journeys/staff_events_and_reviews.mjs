// SPDX-License-Identifier: MIT
// The desk's community tab, in Basque. Staff create an event typing local times
// (the API then holds the UTC instants Europe/Madrid gives them), raise its
// capacity, and when they try to lower it below the students already registered
// they are told so, with the number. A student's contribution whose title and body
// are HTML shows in the review queue as literal text (no element made from it, no
// script run); a rejection without a comment is refused on the comment field, and
// an approval with a comment publishes it and takes it out of the queue.
import assert from 'node:assert/strict';
import { apiCall, DEMO } from '../lib.mjs';
import { apiAs, businessDay, dictionary, loginOnPage, norm, settled } from '../desk.mjs';

/** The instant at which Madrid's clocks read `hhmm` on `day`, found by trying both offsets. */
function madridInstant(day, hhmm) {
  const [y, m, d] = day.split('-').map(Number);
  const [hh, mm] = hhmm.split(':').map(Number);
  const read = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Madrid', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  });
  const wanted = `${String(d).padStart(2, '0')}/${String(m).padStart(2, '0')}/${y}, ${hhmm}`;
  const found = [1, 2].map((offset) => new Date(Date.UTC(y, m - 1, d, hh - offset, mm)))
    .filter((instant) => read.format(instant) === wanted);
  assert.equal(found.length, 1, `${day} ${hhmm} is one instant in Madrid`);
  return found[0].toISOString().replace('.000Z', 'Z');
}

async function noticeIs(page, text) {
  await page.waitForFunction((want) => {
    const n = document.querySelector('#notice');
    return n && !n.hidden && n.textContent.trim() === want;
  }, text);
}

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const page = await newPage({ width: 1280 });
  const dialogs = [];
  page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });

  await page.goto('/staff#community/events');
  await page.waitForSelector('form.login-form');
  await loginOnPage(page, DEMO.staff);
  await page.waitForSelector('#tab-community[aria-selected=true]');
  await page.waitForSelector('.event-list');
  await settled(page);

  // The page's own conversion from Madrid wall-clock time: winter, summer, the hour
  // skipped when the clocks go forward (no such time) and the hour repeated when
  // they go back (the first of the two).
  const converted = await page.evaluate(async () => {
    const f = await import('/js/desk/format.js');
    return ['2027-01-15T18:30', '2027-07-15T18:30', '2027-03-28T02:30', '2027-10-31T02:30']
      .map((s) => f.instantFromBusiness(s)).concat(f.businessLocal('2027-07-15T16:30:00Z'));
  });
  assert.deepEqual(converted, ['2027-01-15T17:30:00Z', '2027-07-15T16:30:00Z', null, '2027-10-31T00:30:00Z',
    '2027-07-15T18:30']);

  // A new event, its times typed as the clocks in Madrid will read them.
  const day = businessDay(Date.now() + 20 * 864e5);
  const title = 'Tailerra: fisika sukaldean';
  await page.getByRole('button', { name: t('staff.events.new') }).click();
  const form = page.locator('#event-create form');
  await form.waitFor();
  const label = (key) => form.getByLabel(t(key), { exact: true });
  await label('staff.events.field_title').fill(title);
  await label('staff.events.field_kind').selectOption('workshop');
  await label('staff.events.field_subject').selectOption('physics');
  await label('staff.events.field_starts').fill(`${day}T18:30`);
  await label('staff.events.field_ends').fill(`${day}T20:00`);
  await label('staff.events.field_capacity').fill('10');
  await label('staff.events.field_description').fill('Fisika sukaldean: beroa, presioa eta dentsitatea, esperimentu txikiekin.');
  await form.getByRole('button', { name: t('staff.events.create') }).click();
  await noticeIs(page, t('staff.events.created', { title }));
  await settled(page);

  const made = (await apiCall(url, 'GET', `/events?from=${day}&to=${day}`)).json.items.find((e) => e.title === title);
  assert.ok(made, 'the event is in the API');
  assert.equal(made.starts_at, madridInstant(day, '18:30'), 'starts at 18:30 Madrid time, in UTC');
  assert.equal(made.ends_at, madridInstant(day, '20:00'), 'ends at 20:00 Madrid time, in UTC');
  assert.deepEqual([made.kind, made.subject, made.capacity], ['workshop', 'physics', 10]);
  const card = page.locator(`li.event[data-event-id="${made.id}"]`);
  await card.waitFor();
  assert.ok(norm(await card.locator('.event-when').textContent()).endsWith('18:30–20:00'), 'the card shows local times');
  assert.equal(norm(await card.locator('[data-field=places_left]').textContent()), t('staff.events.places_left', { count: 10 }));

  // Three students register.
  for (const email of ['ane@demo.harreman.eus', 'irati@demo.harreman.eus', 'unai@demo.harreman.eus']) {
    const student = await apiAs(url, { email, password: DEMO.student.password });
    assert.equal((await student.call('POST', `/events/${made.id}/registration`)).status, 201, email);
  }
  await page.getByRole('button', { name: t('staff.events.upcoming') }).click();
  await page.waitForSelector(`li.event[data-event-id="${made.id}"]`);
  await settled(page);
  assert.equal(norm(await card.locator('[data-field=places_left]').textContent()), t('staff.events.places_left', { count: 7 }));

  // More places: 12.
  const edit = async (capacity) => {
    await card.getByRole('button', { name: new RegExp(`^${t('staff.events.edit')}`) }).click();
    const editForm = card.locator('form.event-form');
    await editForm.waitFor();
    await editForm.getByLabel(t('staff.events.field_capacity'), { exact: true }).fill(String(capacity));
    await editForm.getByRole('button', { name: t('staff.events.save') }).click();
    return editForm;
  };
  await edit(12);
  await noticeIs(page, t('staff.events.saved', { title }));
  await settled(page);
  await card.locator('[data-field=places_left]').waitFor();
  assert.equal(norm(await card.locator('[data-field=places_left]').textContent()), t('staff.events.places_left', { count: 9 }));
  assert.equal((await apiCall(url, 'GET', `/events?from=${day}&to=${day}`)).json.items
    .find((e) => e.id === made.id).capacity, 12);

  // Fewer places than students registered: refused, and said with their number.
  const refused = await edit(2);
  const box = refused.locator('[data-role=form-error]');
  await box.waitFor({ state: 'visible' });
  assert.equal(norm(await box.textContent()), t('staff.events.capacity_conflict', { count: 3 }));
  const capacity = refused.getByLabel(t('staff.events.field_capacity'), { exact: true });
  assert.equal(await capacity.getAttribute('aria-invalid'), 'true');
  assert.equal((await apiCall(url, 'GET', `/events?from=${day}&to=${day}`)).json.items
    .find((e) => e.id === made.id).capacity, 12, 'nothing changed');
  await refused.getByRole('button', { name: t('common.dismiss') }).click();

  // A contribution that is HTML: shown as the characters the student typed.
  const lucia = await apiAs(url, { email: 'lucia@demo.harreman.eus', password: DEMO.student.password });
  const contributionTitle = 'Ariketak <b>lodiz</b>';
  const body = '<img src=x onerror=alert(1)>\nBigarren lerroa: <script>alert(2)</script>';
  const sent = await lucia.call('POST', '/contributions', { kind: 'method', title: contributionTitle, body });
  assert.equal(sent.status, 201);
  const id = sent.json.id;

  await page.getByRole('link', { name: new RegExp(`^${t('staff.community.part_contributions')}`) }).click();
  await page.waitForSelector('#tab-community[aria-selected=true]');
  const item = page.locator(`li.contribution[data-contribution-id="${id}"]`);
  await item.waitFor();
  await settled(page);
  assert.equal(await item.locator('h3').textContent(), contributionTitle);
  assert.equal(await item.locator('.contribution-body').textContent(), body, 'the body, character for character');
  assert.equal(await item.locator('img, script, b').count(), 0, 'no element was made from the text');
  assert.equal(await page.locator('#community-waiting:not([hidden])').count(), 1, 'the waiting count shows');

  // Rejecting needs a comment.
  const comment = item.getByLabel(t('staff.contributions.comment'), { exact: true });
  await item.getByRole('button', { name: new RegExp(`^${t('staff.contributions.do_rejected')}`) }).click();
  const error = item.locator(`#review-${id}-error`);
  await error.waitFor();
  assert.equal(norm(await error.textContent()), t('staff.contributions.comment_required'));
  assert.equal(await comment.getAttribute('aria-invalid'), 'true');
  const staff = await apiAs(url, DEMO.staff);
  assert.ok((await staff.call('GET', '/contributions?status=submitted')).json.items.some((c) => c.id === id),
    'still waiting');

  // Approved with a comment: published, and out of the queue.
  await comment.fill('Eskerrik asko, Lucía! Argitaratuta.');
  await item.getByRole('button', { name: new RegExp(`^${t('staff.contributions.do_approved')}`) }).click();
  await noticeIs(page, t('staff.contributions.approved_notice', { title: contributionTitle }));
  await settled(page);
  assert.equal(await page.locator(`li.contribution[data-contribution-id="${id}"]`).count(), 0, 'it left the queue');
  const published = (await apiCall(url, 'GET', '/contributions?status=approved')).json.items.find((c) => c.id === id);
  assert.ok(published, 'anyone can read it now');
  assert.equal(published.body, body);

  await page.getByRole('button', { name: t('staff.contributions.show_approved') }).click();
  const shown = page.locator(`li.contribution[data-contribution-id="${id}"]`);
  await shown.waitFor();
  assert.equal(await shown.locator('.contribution-body').textContent(), body);
  assert.equal(norm(await shown.locator('.review-comment .pre').textContent()), 'Eskerrik asko, Lucía! Argitaratuta.');
  assert.equal(await shown.locator('img, script, b').count(), 0);
  assert.deepEqual(dialogs, [], 'no script ran');
}
