// The second factor as a case worker meets it: added with `nrm user add` (on a demo database
// only the demo users are exempt), the first login leads to the enrolment screen alone, with a
// QR code the server draws and the key to type; the app's code confirms it, the recovery codes
// are shown once; from then on the login asks for the code (or a recovery code) after the
// password, and tells of failed attempts since the last login. Codes are computed here as an
// authenticator app does (RFC 6238).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { launch, settled, logout, notice, PHONE } from './lib/browser.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';
import { nrmBin } from './lib/server.mjs';
import { contrastFailures } from './lib/contrast.mjs';
import { totp } from './lib/totp.mjs';

let srv, b, page;
before(async () => {
  ({ srv, b, page } = await openSuite());
  execFileSync(nrmBin, ['user', 'add', '--db', srv.db, '--username', 'new.caseworker', '--role', 'caseworker',
    '--institution', '2', '--name', 'Arta Hoxha'], { input: `${PW}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
});
after(() => closeSuite({ b, srv }));

const PW = 'a-correct-horse-battery';
let secret = '';
let recovery = [];

async function password(username, pw) {
  await page.goto(`${srv.url}/login`);
  await settled(page);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(pw);
  await page.locator('form button[type="submit"]').click();
}

test('a case worker added to a demo database must set up the second factor first', async () => {
  await password('new.caseworker', PW);
  await page.waitForURL(/\/enrol$/);
  // The address changes before the enrolment screen replaces the login form (a moment on a
  // loaded machine): wait for the screen itself, then look at it.
  await page.locator('main h1', { hasText: 'Konfiguroni faktorin e dytë të hyrjes' }).waitFor();
  await settled(page);
  assert.equal(await page.locator('main h1').innerText(), 'Konfiguroni faktorin e dytë të hyrjes');
  assert.equal(await page.locator('nav.menu').count(), 0, 'no menu: nothing else is open yet');
  const img = page.locator('img.totp-qr');
  assert.equal(await img.getAttribute('alt'), 'Kodi QR për aplikacionin e vërtetimit');
  await page.waitForFunction(() => document.querySelector('img.totp-qr')?.naturalWidth > 0);
  secret = (await page.locator('.totp-key').innerText()).replace(/\s/g, '');
  assert.match(secret, /^[A-Z2-7]{32}$/);
  // Another page of the app leads back here.
  await page.goto(`${srv.url}/cases`);
  await page.waitForURL(/\/enrol$/);
  await settled(page);
  secret = (await page.locator('.totp-key').innerText()).replace(/\s/g, '');
  assert.deepEqual(await contrastFailures(page), [], 'contrast of the enrolment screen');
});

test('a wrong code is refused, the right one shows the recovery codes once', async () => {
  const field = page.locator('input[name="code"]');
  await field.fill(totp(secret, 20));
  await page.locator('form button[type="submit"]').click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await page.locator('.error-summary').innerText(), /është i gabuar/);
  await field.fill(totp(secret));
  await page.locator('form button[type="submit"]').click();
  await page.locator('ol.recovery-codes').waitFor();
  recovery = await page.locator('ol.recovery-codes code').allInnerTexts();
  assert.equal(recovery.length, 10);
  assert.match(await page.locator('main').innerText(), /tregohen vetëm tani/);
  await page.locator('button', { hasText: 'I ruajta kodet, vazhdo' }).click();
  await notice(page, /Faktori i dytë u konfigurua/);
  assert.equal(new URL(page.url()).pathname, '/');
  assert.equal(await page.locator('nav.menu').count(), 1);
});

test('the login then asks for the code after the password, and tells of failed attempts', async () => {
  await logout(page);
  await password('new.caseworker', 'not-the-password');
  await page.locator('.error-summary:not([hidden])').waitFor();
  await password('new.caseworker', PW);
  await page.locator('main h1', { hasText: 'Verifikimi me dy hapa' }).waitFor();
  await page.locator('input[name="code"]').fill(totp(secret, 15));
  await page.locator('form button[type="submit"]').click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await page.locator('.error-summary').innerText(), /Kodi në fushën „Kodi nga aplikacioni” është i gabuar/);
  await page.locator('input[name="code"]').fill(totp(secret, 1));
  await page.locator('form button[type="submit"]').click();
  const said = await notice(page, /përpjekje/);
  assert.match(said, /ka pasur 2 përpjekje të dështuara/, 'the wrong password and the wrong code');
  assert.match(said, /nga adresa 127\.0\.0\.1/);
  assert.equal(new URL(page.url()).pathname, '/');
});

test('a recovery code logs in when the phone is lost', async () => {
  await logout(page);
  await password('new.caseworker', PW);
  await page.locator('main h1', { hasText: 'Verifikimi me dy hapa' }).waitFor();
  await page.locator('button', { hasText: 'Përdor një kod rezervë' }).click();
  await page.locator('input[name="recovery_code"]').fill(recovery[0]);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((u) => u.pathname === '/');
  await settled(page);
});

test('the enrolment screen fits a phone', async () => {
  execFileSync(nrmBin, ['user', 'add', '--db', srv.db, '--username', 'phone.caseworker', '--role', 'caseworker',
    '--institution', '2'], { input: `${PW}\n`, stdio: ['pipe', 'pipe', 'pipe'] });
  const phone = await launch({ viewport: PHONE });
  try {
    const p = phone.page;
    await p.goto(`${srv.url}/login`);
    await settled(p);
    await p.locator('input[name="username"]').fill('phone.caseworker');
    await p.locator('input[name="password"]').fill(PW);
    await p.locator('form button[type="submit"]').click();
    await p.waitForURL(/\/enrol$/);
    await settled(p);
    const over = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(over <= 0, `no sideways scrolling (${over}px)`);
    assert.deepEqual(phone.errors.filter((e) => !/status of 401/.test(e)), [], 'only the login page asking for a session');
  } finally {
    await phone.close();
  }
});

test('no script errors', () => {
  assert.deepEqual(b.errors.filter((e) => !/status of (400|401)/.test(e)), []);
});
