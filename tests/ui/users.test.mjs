// User accounts (administrator): the list and its county filter, a form that asks for a county
// or an institution as the role needs, errors in words, a new account that can log in, and an
// account disabled.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { go, login, logout, settled, pageApi, notice } from './lib/browser.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

let srv, b, page;
before(async () => ({ srv, b, page } = await openSuite()));
after(() => closeSuite({ b, srv }));

const text = (loc) => loc.innerText();

test('the list of accounts, by county', async () => {
  await login(page, srv.url, 'admin');
  await page.getByRole('link', { name: 'Përdoruesit' }).click();
  await settled(page);
  const all = (await pageApi(page, 'GET', '/users?limit=500')).body.items.length;
  assert.equal(await text(page.locator('main .page-sub')), `${all} llogari`);
  assert.equal(await page.locator('table.data tbody tr').count(), all);
  await page.getByLabel('Qarku').selectOption('fier');
  await page.getByRole('button', { name: 'Shfaq' }).click();
  await page.waitForURL(/county=fier/);
  await settled(page);
  const names = await page.locator('table.data tbody th').allInnerTexts();
  assert.deepEqual(names.sort(), ['fier.caseworker', 'fier.krat', 'fier.secretariat', 'fier.table']);
  assert.match(await text(page.locator('table.data')), /Drejtoria Vendore e Policisë Fier/);
});

test('the form asks for a county or an institution as the role needs', async () => {
  await page.getByRole('link', { name: 'Përdorues i ri' }).click();
  await settled(page);
  const role = page.getByLabel('Roli');
  await role.selectOption('caseworker');
  assert.equal(await page.getByLabel('Qarku').isVisible(), false);
  assert.equal(await page.getByLabel('Institucioni').isVisible(), true);
  await role.selectOption('ministry_monitor');
  assert.equal(await page.getByLabel('Qarku').isVisible(), false);
  assert.equal(await page.getByLabel('Institucioni').isVisible(), false);
  await role.selectOption('krat_member');
  assert.equal(await page.getByLabel('Qarku').isVisible(), true);
});

test('a username taken and a short password are explained', async () => {
  await page.getByLabel('Emri i përdoruesit').fill('admin');
  await page.getByLabel('Emri', { exact: true }).fill('Dikush');
  await page.getByLabel('Qarku').selectOption('berat');
  await page.getByLabel('Fjalëkalimi').fill('short');
  await page.getByRole('button', { name: 'Krijo llogarinë' }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(page.locator('.error-summary')), /„Fjalëkalimi” duhet të ketë të paktën 12 shenja\./);
  await page.getByLabel('Fjalëkalimi').fill('fjalekalim-i-gjate');
  // The server's sentence names the field by its label; one that does not is preceded by it.
  await page.getByLabel('Emri i përdoruesit').fill('Admin Dy');
  await page.getByRole('button', { name: 'Krijo llogarinë' }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(page.locator('.error-summary')), /Fusha „Emri i përdoruesit” mund të përmbajë vetëm shkronja të vogla a–z \(pa ë e ç\)/);
  assert.equal(await page.getByLabel('Emri i përdoruesit').getAttribute('aria-invalid'), 'true');
  await page.getByLabel('Emri i përdoruesit').fill('admin');
  await page.getByRole('button', { name: 'Krijo llogarinë' }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(page.locator('.error-summary')), /Emri i përdoruesit: Ekziston tashmë një përdorues me këtë emër\./);
});

test('a new KRAT member of Berat can log in', async () => {
  await page.getByLabel('Emri i përdoruesit').fill('berat.krat2');
  await page.getByLabel('Emri', { exact: true }).fill('Anila Hoxha');
  await page.getByRole('button', { name: 'Krijo llogarinë' }).click();
  assert.equal(await notice(page, 'Llogaria berat.krat2 u krijua.'), 'Llogaria berat.krat2 u krijua.');
  assert.equal(await text(page.locator('main h1')), 'berat.krat2');
  await logout(page);
  await login(page, srv.url, 'berat.krat2', 'fjalekalim-i-gjate');
  assert.equal(new URL(page.url()).pathname, '/');
  assert.match(await text(page.locator('.userbox')), /Anila Hoxha[\s\S]*Anëtar i KRAT · Qarku Berat/);
  // Their own account: a new password, typed twice.
  await page.getByRole('link', { name: 'Anila Hoxha' }).click();
  await settled(page);
  await page.getByLabel('Fjalëkalimi aktual').fill('fjalekalim-i-gjate');
  await page.getByLabel('Fjalëkalimi i ri').fill('edhe-me-i-gjate');
  await page.getByLabel('Përsëritni fjalëkalimin e ri').fill('edhe-me-i-gjatë');
  await page.getByRole('button', { name: 'Ndrysho fjalëkalimin' }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(page.locator('.error-summary:not([hidden])')), /Fjalëkalimet nuk përputhen\./);
  await page.getByLabel('Përsëritni fjalëkalimin e ri').fill('edhe-me-i-gjate');
  await page.getByRole('button', { name: 'Ndrysho fjalëkalimin' }).click();
  await notice(page, 'Fjalëkalimi u ndryshua.');
  await logout(page);
  await login(page, srv.url, 'berat.krat2', 'edhe-me-i-gjate');
  await logout(page);
});

test('a case worker gets an institution; a disabled account cannot log in', async () => {
  await login(page, srv.url, 'admin');
  const police = (await pageApi(page, 'GET', '/institutions?county=fier&type=local_police')).body.items[0];
  await go(page, srv.url, `/users/new`);
  await page.getByLabel('Emri i përdoruesit').fill('fier.police2');
  await page.getByLabel('Emri', { exact: true }).fill('Ilir Kola');
  await page.getByLabel('Roli').selectOption('caseworker');
  await page.getByLabel('Institucioni').selectOption(String(police.id));
  await page.getByLabel('Fjalëkalimi').fill('fjalekalim-i-gjate');
  await page.getByRole('button', { name: 'Krijo llogarinë' }).click();
  await notice(page, 'Llogaria fier.police2 u krijua.');
  assert.equal(await page.getByLabel('Institucioni').inputValue(), String(police.id));
  await page.getByLabel('Llogaria është çaktivizuar (nuk mund të hyjë)').check();
  await page.getByRole('button', { name: 'Ruaj' }).click();
  await notice(page, 'Llogaria fier.police2 u ruajt.');
  assert.match(await text(page.locator('.facts')), /Çaktivizuar/);
  await logout(page);
  await page.locator('input[name="username"]').fill('fier.police2');
  await page.locator('input[name="password"]').fill('fjalekalim-i-gjate');
  await page.locator('form button[type="submit"]').click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(page.locator('.error-summary')), /Kjo llogari është çaktivizuar/);
});

test('an account is linked to the person of the registry it belongs to', async () => {
  await login(page, srv.url, 'admin');
  const u = (await pageApi(page, 'GET', '/users?county=fier')).body.items.find((x) => x.username === 'fier.krat');
  const person = (await pageApi(page, 'GET', '/persons')).body.items[0];
  await go(page, srv.url, `/users/${u.id}`);
  await page.getByLabel('Personi në regjistër').selectOption(String(person.id));
  await page.getByRole('button', { name: 'Ruaj' }).click();
  await notice(page, 'Llogaria fier.krat u ruajt.');
  assert.equal((await pageApi(page, 'GET', `/users/${u.id}`)).body.person, person.id);
  assert.equal(await page.getByLabel('Personi në regjistër').inputValue(), String(person.id));
  await logout(page);
});

test('an API token for another system is shown once, works, and is revoked', async () => {
  await login(page, srv.url, 'admin');
  const police = (await pageApi(page, 'GET', '/institutions?county=fier&type=local_police')).body.items[0];
  await page.getByRole('link', { name: 'Përdoruesit' }).click();
  await settled(page);
  await page.getByRole('link', { name: 'Tokenat e API-së' }).click();
  await settled(page);
  assert.equal(await text(page.locator('main h1')), 'Tokenat e API-së');
  await page.getByLabel('Klienti').fill('fier-police');
  await page.getByLabel('Çfarë është').fill('Sistemi i rasteve i Policisë Fier');
  await page.getByLabel('Roli').selectOption('caseworker');
  await page.getByLabel('Institucioni').selectOption(String(police.id));
  await page.getByLabel('I vlefshëm për (ditë)').fill('30');
  await page.getByRole('button', { name: 'Krijo tokenin' }).click();
  const secret = page.getByLabel('Tokeni', { exact: true });
  await secret.waitFor();
  const token = await secret.inputValue();
  assert.match(token, /^nrm_[A-Za-z0-9_-]{43}$/);
  assert.match(await text(page.locator('main')), /nuk shfaqet më/);
  const row = page.locator('table.data tbody tr', { hasText: 'api.fier-police' });
  assert.match(await text(row), /I vlefshëm/);
  assert.match(await text(row), /Drejtoria Vendore e Policisë Fier/);
  // The other system uses it: no cookie, no CSRF token.
  const use = () => fetch(`${srv.url}/api/v1/cases?limit=1`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal((await use()).status, 200);
  // Its account is the token's: the accounts' screen says so and offers no form.
  await row.getByRole('cell', { name: 'api.fier-police' }).waitFor();
  const uid = (await pageApi(page, 'GET', '/users?limit=500')).body.items.find((u) => u.username === 'api.fier-police').id;
  await go(page, srv.url, `/users/${uid}`);
  assert.match(await text(page.locator('main')), /llogaria e një sistemi tjetër/);
  assert.equal(await page.locator('main form').count(), 0);
  await go(page, srv.url, '/tokens');
  // Shown once: not on the page again.
  await page.reload();
  await settled(page);
  assert.equal(await page.getByLabel('Tokeni', { exact: true }).count(), 0);
  assert.doesNotMatch(await page.content(), new RegExp(token.slice(4)));
  await page.locator('table.data tbody tr', { hasText: 'api.fier-police' }).getByRole('button', { name: 'Revoko' }).click();
  const dlg = page.locator('dialog[open]');
  assert.match(await text(dlg), /Sistemi i rasteve i Policisë Fier/);
  await dlg.getByRole('button', { name: 'Revoko' }).click();
  await notice(page, 'Tokeni i api.fier-police u revokua.');
  assert.match(await text(page.locator('table.data tbody tr', { hasText: 'api.fier-police' })), /I revokuar/);
  assert.equal((await use()).status, 401);
  await logout(page);
});

test('the API is browsable: every operation and who may call it', async () => {
  await login(page, srv.url, 'admin');
  await go(page, srv.url, '/tokens');
  await page.getByRole('link', { name: 'API-ja' }).click();
  await page.waitForURL(/\/api-docs$/);
  await settled(page);
  const doc = (await pageApi(page, 'GET', '/openapi.json')).body;
  const n = Object.values(doc.paths).reduce((sum, item) => sum + Object.keys(item).length, 0);
  assert.equal(await page.locator('table.data tbody tr').count(), n);
  await page.getByLabel('Gjeni një veprim').fill('tokens');
  const rows = page.locator('table.data tbody tr');
  assert.equal(await rows.count(), 3);
  assert.match(await text(rows.first()), /Administrator/);
  await page.getByLabel('Gjeni një veprim').fill('healthz');
  assert.match(await text(page.locator('table.data tbody tr')), /Kushdo, pa hyrë/);
  // /metrics answers only on the server's own address: the page says so, not "anyone".
  await page.getByLabel('Gjeni një veprim').fill('metrics');
  assert.match(await text(page.locator('table.data tbody tr')), /Vetëm nga vetë serveri/);
  // An operation opens to what it takes and answers: members, which are required, named shapes.
  await page.getByLabel('Gjeni një veprim').fill('POST /api/v1/tokens');
  const row = page.locator('table.data tbody tr').first();
  assert.match(await text(row), /Create an API token/);
  await row.locator('details.api-shapes > summary').click();
  const shapes = await text(row.locator('details.api-shapes'));
  assert.match(shapes, /Merr/);
  assert.match(shapes, /client \*: string/, 'a required member is marked');
  assert.match(shapes, /Përgjigjet 201/);
  assert.match(shapes, /Token/, 'the reply is the named shape Token');
  await page.locator('#schema-Token > summary').click();
  assert.match(await text(page.locator('#schema-Token')), /expires_at/);
  await logout(page);
});

test('no script errors', () => {
  assert.deepEqual(b.errors.filter((e) => !/status of (400|401|403|409)/.test(e)), []);
});
