// Agreements of a county (Order 94 §1.3): the list, a new agreement with its errors shown on
// the right fields, the signed document uploaded and downloaded intact, an edit, a stale edit
// refused, and the read-only view of the Ministry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { go, login, logout, settled, pageApi, notice } from './lib/browser.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

let srv, b, page;
let id;
before(async () => ({ srv, b, page } = await openSuite()));
after(() => closeSuite({ b, srv }));

const text = (loc) => loc.innerText();
const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

test("the county's agreements", async () => {
  await login(page, srv.url, 'fier.secretariat');
  await page.getByRole('link', { name: 'Marrëveshjet', exact: true }).click();
  await settled(page);
  const rows = page.locator('table.data tbody tr');
  assert.equal(await rows.count(), 2);
  assert.match(await text(rows.first()), /Prokuroria pranë gjykatës së shkallës së parë/);
  assert.match(await text(rows.first()), /15\.09\.2025 – 14\.09\.2027/);
  assert.match(await text(rows.first()), /Pa dokument/);
});

test('a new agreement: missing fields, then a date the server refuses, then saved', async () => {
  await page.getByRole('link', { name: 'Marrëveshje e re' }).click();
  await settled(page);
  assert.match(await text(page.locator('form')), /Për qarkun Fier/);
  await page.getByRole('button', { name: 'Regjistro marrëveshjen' }).click();
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  for (const f of ['Titulli', 'Pala tjetër është', 'Pala tjetër', 'Nënshkruar më']) assert.match(await text(summary), new RegExp(`„${f}”`));
  await page.getByLabel('Titulli').fill('Protokoll për shkëmbimin e informacionit');
  await page.getByLabel('OJF tjetër').check();
  await page.getByLabel('Pala tjetër', { exact: true }).fill('Qendra "Hapa të Lehtë" (demo)');
  await page.getByLabel('Nënshkruar më').fill('1.10.2025');
  await page.getByLabel(/^Në fuqi deri më/).fill('30.09.2025');
  await page.getByRole('button', { name: 'Regjistro marrëveshjen' }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  // The server's sentence names both fields by their labels.
  assert.match(await text(summary), /Data në fushën „Në fuqi deri më” nuk mund të jetë para datës në fushën „Nënshkruar më”\./);
  assert.equal(await page.getByLabel(/^Në fuqi deri më/).getAttribute('aria-invalid'), 'true');
  await page.getByLabel(/^Në fuqi deri më/).fill('30.09.2027');
  await page.getByRole('button', { name: 'Regjistro marrëveshjen' }).click();
  assert.match(await notice(page, /Marrëveshja u regjistrua/), /Marrëveshja u regjistrua/);
  id = Number(page.url().split('/').pop());
  assert.ok(id > 2);
  assert.equal(await page.getByLabel('Nënshkruar më').inputValue(), '01.10.2025');
});

test('the signed document: a false PDF refused, the real one uploaded and downloaded intact', async () => {
  const input = page.getByLabel('Zgjidhni skedarin');
  await input.setInputFiles({ name: 'skanim.pdf', mimeType: 'application/pdf', buffer: Buffer.from('not a pdf') });
  await page.getByRole('button', { name: 'Ngarko' }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(page.locator('.error-summary:not([hidden])')), /Skedari nuk është dokument PDF\./);

  await page.getByLabel('Zgjidhni skedarin').setInputFiles({ name: 'protokoll i nënshkruar.pdf', mimeType: 'application/pdf', buffer: pdf });
  await page.getByRole('button', { name: 'Ngarko' }).click();
  assert.equal(await notice(page, 'Dokumenti „protokoll i nënshkruar.pdf” u ngarkua.'), 'Dokumenti „protokoll i nënshkruar.pdf” u ngarkua.');
  const facts = await text(page.locator('section', { has: page.getByRole('heading', { name: 'Dokumenti i nënshkruar' }) }));
  assert.match(facts, new RegExp(createHash('sha256').update(pdf).digest('hex')));
  assert.match(facts, /\d\d\.\d\d\.\d{4} \d\d:\d\d/);

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'protokoll i nënshkruar.pdf' }).click()]);
  assert.equal(download.suggestedFilename(), 'protokoll i nënshkruar.pdf');
  assert.deepEqual(readFileSync(await download.path()), pdf);
});

test('an edit is saved; an edit of a stale version is refused', async () => {
  await page.getByLabel('Titulli').fill('Protokoll për shkëmbimin e informacionit (2025)');
  await page.getByRole('button', { name: 'Ruaj' }).click();
  assert.equal(await notice(page, 'Ndryshimet u ruajtën.'), 'Ndryshimet u ruajtën.');
  assert.equal(await text(page.locator('main h1')), 'Protokoll për shkëmbimin e informacionit (2025)');
  // Someone else saves meanwhile.
  const current = (await pageApi(page, 'GET', `/agreements/${id}`)).body;
  assert.equal((await pageApi(page, 'PATCH', `/agreements/${id}`, { version: current.version, note: 'nga dikush tjetër' })).status, 200);
  await page.getByLabel(/^Shënim/).fill('imi');
  await page.getByRole('button', { name: 'Ruaj' }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(page.locator('.error-summary:not([hidden])')), /Dikush tjetër e ndryshoi ndërkohë\. Ringarkoni faqen/);
  await logout(page);
});

test('the Ministry sees every county, read-only, and may download', async () => {
  await login(page, srv.url, 'ministry.monitor');
  await go(page, srv.url, `/agreements`);
  // Fier's two demo agreements and the new one, and those of Durrës, Tirana and Korçë (demo).
  assert.equal(await page.locator('table.data tbody tr').count(), 6);
  assert.equal(await page.getByRole('link', { name: 'Marrëveshje e re' }).count(), 0);
  await page.getByLabel('Qarku').selectOption('vlore');
  await page.getByRole('button', { name: 'Shfaq' }).click();
  await page.waitForURL(/county=vlore/);
  await settled(page);
  assert.match(await text(page.locator('main')), /Nuk ka marrëveshje të regjistruara\./);
  await go(page, srv.url, `/agreements/${id}`);
  assert.equal(await page.locator('main form').count(), 0);
  assert.match(await text(page.locator('main')), /Vetëm sekretariati teknik i qarkut mund ta ndryshojë/);
  assert.equal(await page.getByRole('link', { name: 'protokoll i nënshkruar.pdf' }).count(), 1);
  await logout(page);
});

test('no script errors', () => {
  assert.deepEqual(b.errors.filter((e) => !/status of (400|401|409)/.test(e)), []);
});
