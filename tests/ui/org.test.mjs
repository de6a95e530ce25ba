// The organisation registry as Fier's secretariat uses it: log in, see who they are, nominate a
// person to a vacant seat and see its badge change, end and replace memberships, invite a
// guest, nominate someone from a later day (the seat stays vacant until then), switch to
// English (remembered for the user), log out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { go, login, logout, settled, tiraneDay, pageApi, notice } from './lib/browser.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

let srv, b, page;
let ids;
before(async () => ({ srv, b, page, ids } = await openSuite({ ids: true })));
after(() => closeSuite({ b, srv }));

const text = (loc) => loc.innerText();

test('fier.secretariat logs in and sees name, role and county', async () => {
  await page.goto(`${srv.url}/`);
  await page.waitForURL(/\/login/);
  await settled(page);
  assert.equal(await page.locator('html').getAttribute('lang'), 'sq');
  await login(page, srv.url, 'fier.secretariat');
  // The home page of the day's work first; the county a click away.
  assert.equal(new URL(page.url()).pathname, '/');
  await page.locator('.menu-list').getByRole('link', { name: 'Qarku im' }).click();
  await settled(page);
  assert.match(page.url(), /\/counties\/fier$/);
  const who = await text(page.locator('.userbox'));
  assert.match(who, /Sekretariati teknik Fier \(demo\)/);
  assert.match(who, /Sekretariati teknik i KRAT/);
  assert.match(who, /Qarku Fier/);
  assert.equal(await text(page.locator('main h1')), 'Qarku Fier');
  const menu = await text(page.locator('nav.menu'));
  assert.match(menu, /Qarku im/);
  assert.doesNotMatch(menu, /Përdoruesit|Gjurmët e auditimit/);
});

test('nominates a person to a vacant seat and the badge changes', async () => {
  await page.getByRole('link', { name: 'Komiteti Rajonal Antitrafikim — Fier' }).first().click();
  await settled(page);
  const { filled, vacant } = ids.kratSummary;
  assert.match(await text(page.locator('.stat-filled')), new RegExp(`\\b${filled}$`));
  await page.getByRole('link', { name: `Vakante (${vacant})` }).click();
  await settled(page);
  const row = page.locator('tbody tr').first();
  const seat = (await text(row.locator('th a'))).trim();
  assert.match(await text(row), /Emërim me vonesë/);
  await row.getByRole('link', { name: /^Emëro/ }).click();
  await settled(page);
  assert.equal(await text(page.locator('main h1')), seat);
  assert.equal(await page.evaluate(() => document.activeElement.name), 'name', 'the name field has the focus');
  await page.getByLabel('Emri dhe mbiemri').fill('Drita Kodra');
  await page.getByLabel(/^Pozicioni/).fill('Specialiste e migracionit');
  assert.equal(await page.getByLabel('Fillimi').inputValue(), tiraneDay(0).shown);
  await page.getByRole('button', { name: 'Regjistro emërimin' }).click();
  assert.equal(await notice(page, `Drita Kodra u emërua nga ${tiraneDay(0).shown}.`), `Drita Kodra u emërua nga ${tiraneDay(0).shown}.`);
  assert.match(await text(page.locator('.seat-status .badge')), /I plotësuar/);
  assert.match(await text(page.locator('table.data')), /Drita Kodra/);

  await page.locator('.breadcrumbs a', { hasText: 'Komiteti Rajonal Antitrafikim — Fier' }).click();
  await settled(page);
  const same = page.locator('tbody tr', { has: page.getByRole('link', { name: seat, exact: true }) });
  assert.match(await text(same), /I plotësuar/);
  assert.match(await text(same), /Drita Kodra/);
  assert.match(await text(page.locator('.stat-filled')), new RegExp(`\\b${filled + 1}$`));
});

test('an empty name and a wrong date are caught before anything is sent', async () => {
  await page.getByRole('link', { name: /^Vakante/ }).click();
  await settled(page);
  await page.locator('tbody tr').first().getByRole('link', { name: /^Emëro/ }).click();
  await settled(page);
  await page.getByLabel('Fillimi').fill('31.02.2025');
  await page.getByRole('button', { name: 'Regjistro emërimin' }).click();
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  assert.match(await text(summary), /Plotësoni fushën „Emri dhe mbiemri”/);
  assert.match(await text(summary), /„Fillimi”: kjo datë nuk ekziston në kalendar\./, 'a date that does not exist is not a wrongly written one');
  assert.equal(await page.getByLabel('Emri dhe mbiemri').getAttribute('aria-invalid'), 'true');
  assert.ok(await page.evaluate(() => document.activeElement.classList.contains('error-summary')), 'the summary has the focus');
  await page.getByLabel('Fillimi').fill('2025.02.01');
  await page.getByRole('button', { name: 'Regjistro emërimin' }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(summary), /„Fillimi”: shkruani datën si dd\.mm\.vvvv/);
});

test('ends a membership: the seat becomes vacant with a new deadline', async () => {
  await go(page, srv.url, `/bodies/${ids.krat}`);
  await page.locator('tbody tr').first().locator('th a').click();
  await settled(page);
  assert.match(await text(page.locator('.seat-status')), /I plotësuar/);
  const member = (await text(page.locator('table.data tbody tr').first().locator('th'))).trim();
  await page.getByRole('button', { name: 'Përfundo anëtarësinë' }).click();
  const dlg = page.locator('dialog[open]');
  await dlg.waitFor();
  await dlg.getByLabel('Mbarimi').fill(tiraneDay(-1).shown);
  await dlg.getByRole('button', { name: 'Përfundo anëtarësinë' }).click();
  assert.equal(await notice(page, `Anëtarësia e ${member} mbaron më ${tiraneDay(-1).shown}.`), `Anëtarësia e ${member} mbaron më ${tiraneDay(-1).shown}.`);
  assert.match(await text(page.locator('.seat-status .badge')), /Vakant/);
  assert.match(await text(page.locator('.facts')), new RegExp(tiraneDay(15).shown.replaceAll('.', '\\.')));
});

test('replaces a member in one step', async () => {
  await go(page, srv.url, `/bodies/${ids.krat}?show=filled`);
  const row = page.locator('tbody tr').first();
  const old = (await text(row.locator('.member-name'))).trim();
  await row.getByRole('link', { name: /^Zëvendëso/ }).click();
  await settled(page);
  assert.match(await text(page.locator('form')), new RegExp(`Anëtarësia e ${old} mbaron një ditë para kësaj date`));
  await page.getByLabel('Emri dhe mbiemri').fill('Ermal Hasani');
  await page.getByRole('button', { name: 'Regjistro zëvendësimin' }).click();
  assert.equal(await notice(page, `Ermal Hasani u emërua. Anëtarësia e ${old} mbaron më ${tiraneDay(-1).shown}.`), `Ermal Hasani u emërua. Anëtarësia e ${old} mbaron më ${tiraneDay(-1).shown}.`);
  assert.equal(await page.locator('table.data tbody tr').count(), 2);
  // Entered in error: deleted after a confirmation.
  await page.getByRole('button', { name: /^Fshi — Ermal Hasani/ }).click();
  const dlg = page.locator('dialog[open]');
  assert.match(await text(dlg), /Të fshihet emërimi i Ermal Hasani/);
  await dlg.getByRole('button', { name: 'Fshi', exact: true }).click();
  await notice(page, 'Emërimi i Ermal Hasani u fshi.');
  assert.equal(await page.locator('table.data tbody tr').count(), 1);
});

test('invites a guest to the KRAT', async () => {
  await go(page, srv.url, `/bodies/${ids.krat}`);
  await page.getByRole('button', { name: 'Shto të ftuar' }).click();
  const dlg = page.locator('dialog[open]');
  await dlg.getByLabel('Emri').fill('Avokati i Popullit');
  await dlg.getByLabel(/^Arsyeja/).fill('Mbledhja e tremujorit');
  await dlg.getByRole('button', { name: 'Shto', exact: true }).click();
  await notice(page, /Avokati i Popullit u shtua/);
  const guests = page.locator('section', { has: page.getByRole('heading', { name: 'Të ftuarit' }) });
  assert.match(await text(guests), /Avokati i Popullit/);
  assert.match(await text(guests), new RegExp(`nga ${tiraneDay(0).shown.replaceAll('.', '\\.')}`));
});

test('the same person may sit on two bodies: chosen from the registry', async () => {
  const table = (await pageApi(page, 'GET', '/bodies?kind=technical_table&county=fier')).body.items[0];
  await go(page, srv.url, `/bodies/${table.id}?show=vacant`);
  await page.locator('tbody tr').first().getByRole('link', { name: /^Emëro/ }).click();
  await settled(page);
  await page.getByText('Zgjidhni një person që është tashmë në regjistër').click();
  await page.getByLabel('Kërko sipas emrit').fill('Drita');
  await page.getByRole('button', { name: 'Kërko', exact: true }).click();
  await page.getByRole('button', { name: 'Zgjidh Drita Kodra' }).click();
  assert.equal(await page.getByLabel('Emri dhe mbiemri').inputValue(), 'Drita Kodra');
  assert.equal(await page.getByLabel(/^Pozicioni/).inputValue(), 'Specialiste e migracionit');
  await page.getByRole('button', { name: 'Regjistro emërimin' }).click();
  await notice(page, /Drita Kodra u emërua/);
  const persons = (await pageApi(page, 'GET', '/persons?q=Drita%20Kodra')).body.items;
  assert.equal(persons.length, 1, 'one person, not two');
  const memberships = (await pageApi(page, 'GET', `/persons/${persons[0].id}`)).body.memberships;
  assert.equal(memberships.length, 2);
});

test('sets up a municipal technical group and adds a seat to it', async () => {
  await go(page, srv.url, '/counties/fier');
  await page.getByRole('button', { name: 'Krijo grup teknik bashkiak' }).click();
  const dlg = page.locator('dialog[open]');
  await dlg.getByLabel('Bashkia').selectOption('divjake');
  await dlg.getByRole('button', { name: 'Krijo grupin' }).click();
  await notice(page, /Grupi teknik bashkiak u krijua/);
  assert.equal(await text(page.locator('main h1')), 'Grupi teknik antitrafik — Divjakë');
  await page.getByRole('button', { name: 'Shto vend' }).click();
  await dlg.getByLabel('Emërtimi i vendit (shqip)').fill('Përfaqësuesi i shërbimeve sociale');
  await dlg.getByLabel(/^Emërtimi i vendit \(anglisht\)/).fill('Social services representative');
  await dlg.getByRole('button', { name: 'Shto vendin' }).click();
  await notice(page, 'Vendi u shtua.');
  assert.match(await text(page.locator('table.data').first()), /Përfaqësuesi i shërbimeve sociale/);
  await go(page, srv.url, '/counties/fier');
  assert.match(await text(page.locator('main')), /Grupi teknik antitrafik — Divjakë/);
});

test('a nomination from a later day leaves the seat vacant until then', async () => {
  const later = tiraneDay(10);
  await go(page, srv.url, `/seats/${ids.overdueSeat}?do=nominate`);
  const seat = (await text(page.locator('main h1'))).trim();
  await page.getByLabel('Emri dhe mbiemri').fill('Blerina Shehu');
  // Not before the body existed: the server says so, on the field, with the body's date.
  await page.getByLabel('Fillimi').fill('01.01.2020');
  await page.getByRole('button', { name: 'Regjistro emërimin' }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(page.locator('.error-summary')), /Data në fushën „Fillimi” nuk mund të jetë para krijimit të organit \(27\.06\.2025\)\./);
  assert.equal(await page.getByLabel('Fillimi').getAttribute('aria-invalid'), 'true');
  await page.getByLabel('Fillimi').fill(later.shown);
  await page.getByRole('button', { name: 'Regjistro emërimin' }).click();
  await notice(page, `Blerina Shehu u emërua nga ${later.shown}.`);
  assert.match(await text(page.locator('.seat-status .badge')), /Emërim me vonesë/, 'not filled before that day');
  const main = await text(page.locator('main'));
  assert.match(main, new RegExp(`Askush ende — vendi është vakant[\\s\\S]*Blerina Shehu, nga ${later.shown.replaceAll('.', '\\.')}`));
  assert.match(main, new RegExp(`Blerina Shehu është emëruar dhe fillon më ${later.shown.replaceAll('.', '\\.')}\\. Deri atëherë vendi mbetet vakant\\.`));
  assert.doesNotMatch(main, /Kërkojini emërimin/, 'nobody is asked for a nomination made already');

  await go(page, srv.url, `/bodies/${ids.krat}?show=vacant`);
  const row = page.locator('tbody tr', { has: page.getByRole('link', { name: seat, exact: true }) });
  assert.match(await text(row), new RegExp(`Blerina Shehu, nga ${later.shown.replaceAll('.', '\\.')}[\\s\\S]*Deri atëherë vendi është vakant[\\s\\S]*Emërim me vonesë`));
});

test('switches to English, and the choice is remembered for the user', async () => {
  await go(page, srv.url, `/bodies/${ids.krat}`);
  await page.getByRole('button', { name: 'English' }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await settled(page);
  assert.equal(await text(page.locator('main h1')), 'Regional Anti-Trafficking Committee — Fier');
  assert.match(await text(page.locator('nav.menu')), /My county/);
  assert.match(await text(page.locator('.userbox')), /KRAT technical secretariat · Fier County/);
  assert.match(await text(page.locator('main')), /Established on\s+27\.06\.2025/);
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Shqip', 'focus stays on the language switch');
  const s = await pageApi(page, 'GET', '/session');
  assert.equal(s.body.user.lang, 'en');
  await page.reload();
  await settled(page);
  assert.equal(await text(page.locator('main h1')), 'Regional Anti-Trafficking Committee — Fier');
});

test('logs out, and logging in again keeps English', async () => {
  await logout(page);
  assert.equal(await text(page.locator('#flash')), 'You have logged out.');
  assert.equal(await text(page.locator('main h1')), 'Log in');
  await page.goto(`${srv.url}/bodies/${ids.krat}`);
  await page.waitForURL(/\/login\?next=%2Fbodies%2F7/);
  await settled(page);
  await login(page, srv.url, 'fier.secretariat');
  assert.match(page.url(), /\/bodies\/7$/);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.match(await text(page.locator('.userbox')), /Log out/);
  await logout(page);
});

test('no script errors', () => {
  assert.deepEqual(b.errors.filter((e) => !/status of (400|401)/.test(e)), []);
});
