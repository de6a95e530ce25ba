// Debian's chromium, headless, driven by playwright-core; a fresh profile each time, nothing
// fetched from the network. Plus the few steps every test repeats (log in, log out).
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { secrets, totp } from './totp.mjs';

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

export async function launch({ viewport = DESKTOP, locale = 'en-GB' } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'nrm-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport,
    locale,
    timezoneId: 'Europe/Tirane',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  context.setDefaultTimeout(10000);
  const errors = [];
  context.on('weberror', (e) => errors.push(String(e.error())));
  const page = context.pages()[0] || (await context.newPage());
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return {
    context,
    page,
    errors,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// Logs in through the form; `next` is the page expected afterwards (a RegExp or string). An
// account that must set up a second factor (not a demo user) sets one up on the enrolment
// screen, and one that has it gives the code (secrets kept in lib/totp.mjs); the second factor
// itself is tested in accounts.test.mjs.
export async function login(page, base, username, password = 'demo') {
  if (!page.url().includes('/login')) await page.goto(`${base}/login`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(password);
  await page.locator('form button[type="submit"]').click();
  await page.waitForFunction(() => !location.pathname.startsWith('/login') || !!document.querySelector('input[name="code"]'));
  if (new URL(page.url()).pathname.startsWith('/login')) {
    await page.locator('input[name="code"]').fill(totp(secrets.get(username), 1));
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  }
  if (new URL(page.url()).pathname === '/enrol') {
    await settled(page);
    const key = (await page.locator('.totp-key').innerText()).replace(/\s/g, '');
    secrets.set(username, key);
    await page.locator('input[name="code"]').fill(totp(key));
    await page.locator('form button[type="submit"]').click();
    await page.locator('ol.recovery-codes').waitFor();
    await page.locator('ol.recovery-codes ~ p button').click();
    await page.waitForURL((u) => u.pathname !== '/enrol');
  }
  await settled(page);
}

export async function logout(page) {
  await page.locator('.userbox-actions button:not([lang])').click();
  await page.waitForURL((u) => u.pathname === '/login');
  await settled(page);
}

// Waits until the screen has been drawn (no pending render).
export async function settled(page) {
  await page.waitForFunction(() => !document.querySelector('#view[aria-busy="true"]'));
  await page.locator('main h1').first().waitFor();
}

// Waits until `n` dialogs are left in the page. A dialog loses its `open` attribute when it
// closes but leaves the page only in its 'close' event, a task later: waiting on `dialog[open]`
// alone lets the next key reach the page before the closed dialog has gone.
export async function dialogsLeft(page, n) {
  await page.waitForFunction((k) => document.querySelectorAll('dialog').length === k, n);
}

// A day in Tirana, `offset` days from today: {iso: 'YYYY-MM-DD', shown: 'dd.mm.yyyy'}.
export function tiraneDay(offset = 0) {
  const p = {};
  for (const { type, value } of new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Tirane', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date())) p[type] = value;
  const d = new Date(Date.UTC(+p.year, +p.month - 1, +p.day + offset));
  const iso = d.toISOString().slice(0, 10);
  return { iso, shown: `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` };
}

// The API as the logged-in page sees it (its cookie, its CSRF token): {status, body}.
export async function pageApi(page, method, path, body) {
  return page.evaluate(async ({ method, path, body }) => {
    const s = await fetch('/api/v1/session').then((r) => r.json());
    const res = await fetch(`/api/v1${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  }, { method, path, body });
}

// Opens a page of the app the way a link does (no reload) when the app is already loaded,
// otherwise loads it; then waits for the screen.
export async function go(page, base, path) {
  const inApp = page.url().startsWith(base) && (await page.evaluate(() => !!document.querySelector('#app .topbar')));
  if (inApp) {
    await page.evaluate((p) => {
      history.pushState(null, '', p);
      dispatchEvent(new PopStateEvent('popstate'));
    }, path);
  } else {
    await page.goto(`${base}${path}`);
  }
  await settled(page);
}

// Waits for the confirmation (or other notice) at the top of the page to say `expected`.
export async function notice(page, expected) {
  const loc = page.locator('#flash .notice').filter({ hasText: expected });
  await loc.waitFor();
  await settled(page);
  return loc.innerText();
}
