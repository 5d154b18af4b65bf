// SPDX-License-Identifier: MIT
// Sending again from the outbox, in Basque. A server of this journey's own delivers
// to a small SMTP sink that refuses one new student's address once (550: failed)
// and drops the connection once after another's message data (unknown: it may have
// arrived). The admin sees each one's state and delivery log, sends the failed one
// again from its dialog, is asked before a second copy of the unknown one (and
// nothing happens on "no"), and the outbox then shows both sent, every attempt in
// their logs.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { apiCall, apiLogin, DEMO, newPage, startServer } from '../lib.mjs';
import { businessDay, dictionary, loginInto, norm, settled } from '../desk.mjs';

/**
 * A minimal SMTP relay on 127.0.0.1. The first message to `refuse` is refused at
 * RCPT (550, permanent); the first to `drop` has its data read and the connection
 * dropped without an answer (the server cannot know whether it arrived). Everything
 * else is accepted.
 */
async function smtpSink({ refuse, drop }) {
  const received = [];
  const once = new Set();
  const first = (what) => (once.has(what) ? false : once.add(what));
  const server = createServer((socket) => {
    let buffer = '';
    let inData = false;
    let dropping = false;
    let data = '';
    const reply = (line) => socket.write(`${line}\r\n`);
    reply('220 sink.test ESMTP');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          data += buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          if (dropping) { socket.destroy(); return; }
          received.push(data);
          data = '';
          reply('250 2.0.0 queued');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        const to = line.toLowerCase();
        if (verb === 'EHLO') reply('250-sink.test\r\n250 8BITMIME');
        else if (verb === 'RCPT' && to.includes(refuse) && first('refuse')) reply('550 5.1.1 mailbox unavailable');
        else if (verb === 'RCPT' && to.includes(drop) && first('drop')) { dropping = true; reply('250 2.1.5 ok'); }
        else if (verb === 'DATA') { inData = true; reply('354 go ahead'); }
        else if (verb === 'QUIT') { reply('221 2.0.0 bye'); socket.end(); return; }
        else reply('250 2.0.0 ok');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: server.address().port, received, close: () => new Promise((r) => server.close(r)) };
}

/** Polls the API (bounded) until the message is in `state`. */
async function untilState(url, admin, id, state) {
  const deadline = Date.now() + 30000;
  for (;;) {
    const m = (await apiCall(url, 'GET', `/outbox/${id}`, { cookie: admin.cookie })).json;
    if (m.state === state) return m;
    if (Date.now() > deadline) throw new Error(`message ${id} stayed ${m.state}, not ${state}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A new student books the first free slot; resolves to the confirmation in the outbox. */
async function bookingConfirmation(url, admin, service, { name, email }) {
  const password = `${email.split('@')[0]}-2026`;
  const reg = await apiCall(url, 'POST', '/auth/register', { body: { email, password, full_name: name, locale: 'eu' } });
  assert.equal(reg.status, 201);
  const student = await apiLogin(url, email, password);
  const slot = (await apiCall(url, 'GET', `/slots?service_id=${service.id}&from=${businessDay(Date.now() + 2 * 864e5)}`
    + `&to=${businessDay(Date.now() + 9 * 864e5)}`)).json.items[0];
  assert.equal((await apiCall(url, 'POST', '/lessons', {
    cookie: student.cookie, csrf: student.csrf,
    body: { service_id: service.id, tutor_id: slot.tutor_id, starts_at: slot.starts_at },
  })).status, 201);
  const message = (await apiCall(url, 'GET', '/outbox?limit=200', { cookie: admin.cookie })).json.items
    .find((m) => m.to === email && m.kind === 'lesson_booked');
  assert.ok(message, `the confirmation to ${email} was written`);
  return message;
}

export default async function ({ browser, web, binary }) {
  const { t } = dictionary(web, 'eu');
  const peru = { name: 'Peru Agirrezabal', email: 'peru.agirrezabal@example.com' };
  const nora = { name: 'Nora Elizondo', email: 'nora.elizondo@example.com' };
  const sink = await smtpSink({ refuse: peru.email, drop: nora.email });
  const own = await startServer({
    binary, web, extraArgs: ['--smtp-url', `smtp://127.0.0.1:${sink.port}`, '--smtp-from', 'harreman@example.com'],
  });
  const pages = [];
  try {
    const url = own.url;
    const admin = await apiLogin(url, DEMO.admin.email, DEMO.admin.password);
    const service = (await apiCall(url, 'GET', '/services')).json.items.find((s) => s.kind === 'private' && s.active);
    const refused = await bookingConfirmation(url, admin, service, peru);
    const failed = await untilState(url, admin, refused.id, 'failed');
    assert.equal(failed.log.length, 1);
    assert.equal(failed.log[0].smtp_code, 550);
    const cut = await bookingConfirmation(url, admin, service, nora);
    await untilState(url, admin, cut.id, 'unknown');

    const page = await newPage(browser, url, { width: 1280 });
    pages.push(page);
    await loginInto(page, url, DEMO.admin);
    await page.goto('/admin#outbox');
    await page.waitForSelector('table.outbox');
    const stateFilter = page.getByLabel(t('admin.outbox.state'), { exact: true });
    const dialog = page.locator('dialog[open]').first();
    const logRows = dialog.locator('table.delivery-log tbody tr');
    const open = async (state, message) => {
      await stateFilter.selectOption(state);
      await settled(page);
      const row = page.locator(`tr[data-message-id="${message.id}"]`);
      await row.waitFor();
      assert.equal(norm(await row.locator('[data-field=state]').textContent()), t(`admin.outbox.state_${state}`));
      await row.locator('button.message-open').click();
      await dialog.locator('table.delivery-log').waitFor();
    };
    const close = async () => {
      await page.keyboard.press('Escape');
      await page.waitForSelector('dialog', { state: 'detached' });
    };

    // The refused one: its log says why; sent again, it goes out.
    await open('failed', refused);
    assert.equal(await logRows.count(), 1);
    const log = norm(await logRows.textContent());
    assert.ok(log.includes(t('admin.outbox.outcome_failed')) && log.includes('550'), `the log says why: ${log}`);
    assert.equal(norm(await dialog.locator('.retry-area .notice').textContent()), t('admin.outbox.retry_failed'));
    await dialog.getByRole('button', { name: t('admin.outbox.retry'), exact: true }).click();
    await dialog.locator('p.notice.success').waitFor();
    assert.equal(norm(await dialog.locator('p.notice.success').textContent()),
      t('admin.outbox.retried', { subject: refused.subject }));
    const sent = await untilState(url, admin, refused.id, 'sent');
    assert.equal(sent.log.length, 2);
    assert.ok(sink.received.some((m) => m.includes(refused.message_id)), 'the relay has it now');
    await close();

    // The one cut off may have arrived: the page says so and asks before a second copy.
    await open('unknown', cut);
    assert.equal(norm(await dialog.locator('.retry-area .notice').textContent()), t('admin.outbox.retry_unknown'));
    assert.ok(norm(await logRows.textContent()).includes(t('admin.outbox.outcome_unknown')));
    await dialog.getByRole('button', { name: t('admin.outbox.retry'), exact: true }).click();
    const question = page.locator('dialog[open]').nth(1);
    await question.waitFor();
    assert.ok(norm(await question.textContent()).includes(t('admin.outbox.retry_unknown_question', { to: nora.email })));
    await question.getByRole('button', { name: t('common.dismiss') }).click();
    await page.waitForFunction(() => document.querySelectorAll('dialog[open]').length === 1);
    assert.equal((await apiCall(url, 'GET', `/outbox/${cut.id}`, { cookie: admin.cookie })).json.state, 'unknown',
      'not sent again without a yes');
    await dialog.getByRole('button', { name: t('admin.outbox.retry'), exact: true }).click();
    await question.waitFor();
    await question.getByRole('button', { name: t('admin.outbox.retry'), exact: true }).click();
    await dialog.locator('p.notice.success').waitFor();
    await untilState(url, admin, cut.id, 'sent');
    await close();

    // Both are among the sent ones, with every attempt in their logs.
    await open('sent', refused);
    assert.equal(await logRows.count(), 2);
    assert.equal(await dialog.getByRole('button', { name: t('admin.outbox.retry'), exact: true }).count(), 0,
      'a sent message is not offered again');
    await close();
    await open('sent', cut);
    assert.equal(await logRows.count(), 2);
  } finally {
    const problems = pages.flatMap((p) => p.problems());
    for (const p of pages) await p.context().close();
    await own.stop();
    await sink.close();
    assert.deepEqual(problems, [], 'problems seen by the page');
  }
}
