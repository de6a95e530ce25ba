// Logging in and out: clear errors for a wrong password, a login slowed after failures and a
// disabled account; an
// expired session leads back to the login page and, after login, to the page asked for.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { go, login, logout, settled, pageApi } from './lib/browser.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';

let srv, b, page;
let ids;
before(async () => ({ srv, b, page, ids } = await openSuite({ ids: true })));
after(() => closeSuite({ b, srv }));

const text = (loc) => loc.innerText();

// The server no longer knows the browser's session (as after 30 idle minutes): every request
// now answers 401 session_expired.
async function forgetSession() {
  await b.context.addCookies([{ name: 'nrm_session', value: 'expired-token-expired-token', url: srv.url, httpOnly: true, sameSite: 'Strict' }]);
}

async function attempt(username, password) {
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  return text(page.locator('.error-summary'));
}

test('the login form asks for what is missing', async () => {
  await go(page, srv.url, `/login`);
  await page.locator('form button[type="submit"]').click();
  const s = await text(page.locator('.error-summary'));
  assert.match(s, /Plotësoni fushën „Emri i përdoruesit”/);
  assert.match(s, /Plotësoni fushën „Fjalëkalimi”/);
});

test('a wrong password says so, and empties the password field', async () => {
  assert.match(await attempt('fier.krat', 'wrong'), /Emri i përdoruesit ose fjalëkalimi është i gabuar\./);
  assert.equal(await page.locator('input[name="password"]').inputValue(), '');
  assert.match(await attempt('nobody.here', 'demo'), /Emri i përdoruesit ose fjalëkalimi është i gabuar\./);
});

test('after three failures from here the login waits, and the page says for how long', async () => {
  for (let i = 0; i < 3; i++) assert.match(await attempt('berat.krat', 'wrong'), /gabuar/);
  const msg = await attempt('berat.krat', 'demo');
  assert.match(msg, /Shumë përpjekje të gabuara për të hyrë\. Provoni përsëri pas [1-5] sekondash\./);
});

test('a disabled account is told to ask the administrator', async () => {
  await page.goto(`${srv.url}/login`);
  await login(page, srv.url, 'admin');
  const users = (await pageApi(page, 'GET', '/users?county=diber')).body.items;
  const u = users.find((x) => x.username === 'diber.table');
  assert.equal((await pageApi(page, 'PATCH', `/users/${u.id}`, { disabled: true })).status, 200);
  await logout(page);
  assert.match(await attempt('diber.table', 'demo'), /Kjo llogari është çaktivizuar\. Pyesni administratorin\./);
});

test('a page asked for before login is shown after it', async () => {
  await page.goto(`${srv.url}/overview?county=fier`);
  await page.waitForURL(/\/login\?next=%2Foverview%3Fcounty%3Dfier$/);
  await settled(page);
  assert.match(await text(page.locator('main')), /Hyni për të parë faqen që kërkuat\./);
  await login(page, srv.url, 'ministry.monitor');
  assert.match(page.url(), /\/overview\?county=fier$/);
  assert.match(await text(page.locator('main')), /Emërime të vonuara — Fier/);
});

test('an expired session goes to login with a message, then back to the page', async () => {
  await go(page, srv.url, `/bodies/${ids.krat}`);
  await forgetSession();
  await page.locator('.breadcrumbs a', { hasText: 'Fier' }).click();
  await page.waitForURL(/\/login\?next=%2Fcounties%2Ffier&expired=1$/);
  await settled(page);
  assert.match(await text(page.locator('main')), /Seanca juaj skadoi\. Hyni përsëri për të vazhduar aty ku ishit\./);
  await login(page, srv.url, 'ministry.monitor');
  assert.match(page.url(), /\/counties\/fier$/);
  assert.equal(await text(page.locator('main h1')), 'Qarku Fier');
});

test('a reload with an expired session also keeps the page', async () => {
  await forgetSession();
  await page.reload();
  await page.waitForURL(/\/login\?next=%2Fcounties%2Ffier&expired=1$/);
  await settled(page);
  assert.match(await text(page.locator('main')), /Seanca juaj skadoi/);
});

test('the login page never sends the user elsewhere', async () => {
  await page.goto(`${srv.url}/login?next=/%5Cexample.org/x`);
  await login(page, srv.url, 'fier.krat');
  assert.equal(new URL(page.url()).host, new URL(srv.url).host);
  assert.equal(new URL(page.url()).pathname, '/');
  await logout(page);
  await page.goto(`${srv.url}/counties`);
  await page.waitForURL(/\/login\?next=%2Fcounties$/);
  await settled(page);
});

test('no script errors', () => {
  assert.deepEqual(b.errors.filter((e) => !/status of (401|403|429)/.test(e)), []);
});
