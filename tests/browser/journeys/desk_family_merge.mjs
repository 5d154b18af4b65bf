// SPDX-License-Identifier: MIT
// At the desk, in Basque: two siblings registered apart, each with a contract; the
// tutor opens one's record, sees it alone in its family, joins it with the other's
// (by client number), then sees the other as a member and the family's two
// contracts; the contracts themselves are unchanged. Taking it out again leaves
// it alone, and the family is linked to a partner. The record passes axe.
import assert from 'node:assert/strict';
import { assertAccessible, DEMO } from '../lib.mjs';
import { apiAs, dictionary, loginOnPage, norm, settled } from '../desk.mjs';

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const staff = await apiAs(url, DEMO.staff);
  const service = (await staff.call('GET', '/services')).json.items
    .find((s) => s.kind === 'private' && s.subject === 'maths');
  const ids = [];
  for (const [name, email] of [['Jon Anaia', 'jon.anaia@example.com'], ['Ane Arreba', 'ane.arreba@example.com']]) {
    const made = await staff.call('POST', '/clients', { full_name: name, email });
    assert.equal(made.status, 201);
    ids.push(made.json.id);
    const contract = await staff.call('POST', '/contracts', {
      client_id: made.json.id, service_id: service.id, kind: 'one_off', channel: 'phone',
    });
    assert.equal(contract.status, 201);
  }
  const before = JSON.stringify((await staff.call('GET', `/contracts?client_id=${ids[0]}`)).json.items);

  const page = await newPage({ width: 1280 });
  await page.goto(`/staff#clients/${ids[0]}`);
  await page.waitForSelector('form.login-form');
  await loginOnPage(page, DEMO.staff);
  await page.waitForSelector('#family-merge');
  await settled(page);
  assert.match(norm(await page.textContent('#family-body')), new RegExp(t('staff.family.alone').replace('.', '\\.')));

  await page.getByLabel(t('staff.family.merge_label')).fill(String(ids[1]));
  await page.getByRole('button', { name: t('staff.family.merge') }).click();
  await page.waitForSelector('#family .family-members a');
  await settled(page);
  assert.equal(norm(await page.textContent('#family .family-members a')), 'Ane Arreba');
  assert.match(norm(await page.textContent('#family-body')), new RegExp(t('staff.family.contracts', { count: 2 })));
  assert.equal(norm(await page.textContent('#notice')), t('staff.family.merged'));
  const after = JSON.stringify((await staff.call('GET', `/contracts?client_id=${ids[0]}`)).json.items);
  assert.equal(after, before, 'the merge leaves contracts as they were');
  await assertAccessible(page, 'a client record with its family');

  await page.click('#family-leave');
  await page.waitForSelector('#family .family-members', { state: 'detached' });
  await settled(page);
  assert.equal(norm(await page.textContent('#notice')), t('staff.family.left'));
  const first = (await staff.call('GET', `/clients/${ids[0]}`)).json;
  const second = (await staff.call('GET', `/clients/${ids[1]}`)).json;
  assert.notEqual(first.family_id, second.family_id, 'two families again');

  // The desk links the family to a partner (the demo's ikastola).
  const axular = (await staff.call('GET', '/partners')).json.items.find((p) => p.code === 'AXULAR');
  await page.selectOption('#family-partner-id', String(axular.id));
  await page.click('#family-partner button[type=submit]');
  await page.waitForFunction(() => document.querySelector('#notice')?.textContent);
  await settled(page);
  assert.equal(norm(await page.textContent('#notice')), t('staff.family.partner_saved'));
  assert.equal((await staff.call('GET', `/clients/${ids[0]}`)).json.partner_id, axular.id);
}
