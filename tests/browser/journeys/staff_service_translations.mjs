// SPDX-License-Identifier: MIT
// Content in three languages (API.md v2): a tutor opens the desk's Services tab,
// gives a service a Spanish name and description and an English name, and saves;
// the booking page then shows the service in Spanish on the Spanish page, in
// English on the English page (its description in Basque, as no English one was
// written), and in Basque on the Basque page. The desk's own tab stays Basque-based.
import assert from 'node:assert/strict';
import { DEMO } from '../lib.mjs';
import { dictionary, loginOnPage, norm, settled } from '../desk.mjs';
import { openPage, privateService } from '../booking.mjs';

async function switchTo(page, lang) {
  await page.selectOption('#language', lang);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

export default async function ({ newPage, url, web }) {
  const { t } = dictionary(web, 'eu');
  const svc = await privateService(url);

  const desk = await newPage({ width: 1280 });
  await desk.goto('/staff#services');
  await desk.waitForSelector('form.login-form');
  await loginOnPage(desk, DEMO.staff);
  await desk.waitForSelector('#tab-services[aria-selected=true]');
  await settled(desk);
  const card = desk.locator(`li.service[data-service-id="${svc.id}"]`);
  await card.waitFor();
  assert.equal(norm(await card.locator('h3').textContent()), svc.name);
  await card.getByRole('button', { name: new RegExp(`^${t('staff.services.edit')}`) }).click();
  const form = card.locator('form.service-form');
  await form.waitFor();
  const label = (field, locale) => t(`staff.translations.field_${field}`, { language: t(`staff.translations.in_${locale}`) });
  await form.getByLabel(t('staff.services.field_description'), { exact: true }).fill('Ordubete tutorearekin bakarrik.');
  await form.getByLabel(label('name', 'es'), { exact: true }).fill('Matemáticas — clase particular');
  await form.getByLabel(label('description', 'es'), { exact: true }).fill('Una hora a solas con el tutor.');
  await form.getByLabel(label('name', 'en'), { exact: true }).fill('Maths — private lesson');
  await form.getByRole('button', { name: t('staff.services.save') }).click();
  await desk.waitForSelector('#notice:not([hidden])');
  assert.equal(norm(await desk.textContent('#notice')), t('staff.services.saved', { name: svc.name }));
  await card.locator('form.service-form').waitFor({ state: 'detached' });
  assert.match(norm(await card.textContent()), /Gaztelania, Ingelesa/);

  // The booking page in each language.
  const page = await openPage(newPage, { width: 390 });
  const shown = async () => ({
    name: norm(await page.textContent(`label[for="service-${svc.id}"] .service-name`)),
    description: norm(await page.textContent(`label[for="service-${svc.id}"] .service-description`)),
  });
  await page.selectOption('#subject', svc.subject);
  assert.deepEqual(await shown(), { name: svc.name, description: 'Ordubete tutorearekin bakarrik.' });
  await switchTo(page, 'es');
  await page.waitForFunction((id) => document.querySelector(`label[for="service-${id}"] .service-name`)
    ?.textContent.startsWith('Matemáticas'), svc.id);
  assert.deepEqual(await shown(), { name: 'Matemáticas — clase particular', description: 'Una hora a solas con el tutor.' });
  await switchTo(page, 'en');
  await page.waitForFunction((id) => document.querySelector(`label[for="service-${id}"] .service-name`)
    ?.textContent.startsWith('Maths'), svc.id);
  assert.deepEqual(await shown(), { name: 'Maths — private lesson', description: 'Ordubete tutorearekin bakarrik.' });
  await switchTo(page, 'eu');
  await page.waitForFunction(([id, name]) => document.querySelector(`label[for="service-${id}"] .service-name`)
    ?.textContent === name, [svc.id, svc.name]);
}
