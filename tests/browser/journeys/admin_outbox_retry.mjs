// SPDX-License-Identifier: MIT
// Sending again from the outbox, in Basque. A server of this journey's own delivers
// to a small SMTP sink that refuses a new student's address once (550, permanent)
// and accepts it afterwards. The admin sees the confirmation failed, with the
// relay's refusal in its delivery log, sends it again from the message's dialog,
// and the outbox then shows it sent, with both attempts in the log.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { apiCall, apiLogin, DEMO, newPage, startServer } from '../lib.mjs';
import { businessDay, dictionary, loginInto, norm, settled } from '../desk.mjs';

/** A minimal SMTP relay on 127.0.0.1: refuses RCPT `refuse` the first time only. */
async function smtpSink(refuse) {
  const received = [];
  let refused = 0;
  const server = createServer((socket) => {
    let buffer = '';
    let inData = false;
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
        if (verb === 'EHLO') reply('250-sink.test\r\n250 8BITMIME');
        else if (verb === 'RCPT' && line.toLowerCase().includes(refuse) && refused++ === 0)
          reply('550 5.1.1 mailbox unavailable');
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

export default async function ({ browser, web, binary }) {
  const { t } = dictionary(web, 'eu');
  const email = 'peru.agirrezabal@example.com';
  const sink = await smtpSink(email);
  const own = await startServer({
    binary, web, extraArgs: ['--smtp-url', `smtp://127.0.0.1:${sink.port}`, '--smtp-from', 'harreman@example.com'],
  });
  const pages = [];
  try {
    const url = own.url;
    const password = 'peru-agirrezabal-2026';
    const reg = await apiCall(url, 'POST', '/auth/register', {
      body: { email, password, full_name: 'Peru Agirrezabal', locale: 'eu' },
    });
    assert.equal(reg.status, 201);
    const student = await apiLogin(url, email, password);
    const service = (await apiCall(url, 'GET', '/services')).json.items.find((s) => s.kind === 'private' && s.active);
    const slot = (await apiCall(url, 'GET', `/slots?service_id=${service.id}&from=${businessDay(Date.now() + 2 * 864e5)}`
      + `&to=${businessDay(Date.now() + 9 * 864e5)}`)).json.items[0];
    assert.equal((await apiCall(url, 'POST', '/lessons', {
      cookie: student.cookie, csrf: student.csrf,
      body: { service_id: service.id, tutor_id: slot.tutor_id, starts_at: slot.starts_at },
    })).status, 201);
    const admin = await apiLogin(url, DEMO.admin.email, DEMO.admin.password);
    const queued = (await apiCall(url, 'GET', '/outbox?limit=200', { cookie: admin.cookie })).json.items
      .find((m) => m.to === email && m.kind === 'lesson_booked');
    assert.ok(queued, 'the confirmation was written');
    const failed = await untilState(url, admin, queued.id, 'failed');
    assert.equal(failed.log.length, 1);
    assert.equal(failed.log[0].smtp_code, 550);

    // The admin finds it among the failed ones and sends it again.
    const page = await newPage(browser, url, { width: 1280 });
    pages.push(page);
    await loginInto(page, url, DEMO.admin);
    await page.goto('/admin#outbox');
    await page.waitForSelector('table.outbox');
    await page.getByLabel(t('admin.outbox.state'), { exact: true }).selectOption('failed');
    await settled(page);
    const row = page.locator(`tr[data-message-id="${queued.id}"]`);
    await row.waitFor();
    assert.equal(norm(await row.locator('[data-field=state]').textContent()), t('admin.outbox.state_failed'));
    await row.locator('button.message-open').click();
    const dialog = page.locator('dialog[open]');
    await dialog.locator('table.delivery-log').waitFor();
    assert.equal(await dialog.locator('table.delivery-log tbody tr').count(), 1);
    const log = norm(await dialog.locator('table.delivery-log tbody').textContent());
    assert.ok(log.includes(t('admin.outbox.outcome_failed')) && log.includes('550'), `the log says why: ${log}`);
    assert.equal(norm(await dialog.locator('.retry-area .notice').textContent()), t('admin.outbox.retry_failed'));
    await dialog.getByRole('button', { name: t('admin.outbox.retry'), exact: true }).click();
    await dialog.locator('p.notice.success').waitFor();
    assert.equal(norm(await dialog.locator('p.notice.success').textContent()),
      t('admin.outbox.retried', { subject: queued.subject }));

    // It goes out this time; the outbox says so, with both attempts.
    const sent = await untilState(url, admin, queued.id, 'sent');
    assert.equal(sent.log.length, 2);
    assert.ok(sink.received.some((m) => m.includes(queued.message_id)), 'the relay has the message');
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog', { state: 'detached' });
    await page.getByLabel(t('admin.outbox.state'), { exact: true }).selectOption('sent');
    await settled(page);
    await row.waitFor();
    assert.equal(norm(await row.locator('[data-field=state]').textContent()), t('admin.outbox.state_sent'));
    await row.locator('button.message-open').click();
    await dialog.locator('table.delivery-log').waitFor();
    assert.equal(await dialog.locator('table.delivery-log tbody tr').count(), 2);
    assert.equal(await dialog.getByRole('button', { name: t('admin.outbox.retry'), exact: true }).count(), 0,
      'a sent message is not sent again');
  } finally {
    const problems = pages.flatMap((p) => p.problems());
    for (const p of pages) await p.context().close();
    await own.stop();
    await sink.close();
    assert.deepEqual(problems, [], 'problems seen by the page');
  }
}
