// Keyboard only, contrast and the phone: the skip link, a nomination done without a mouse, a
// dialog that gives the focus back, visible focus, AA contrast of every text on the main
// screens (the case registry's and the meetings' too), an attendance sheet kept with the
// keyboard, and the same screens on a phone without sideways scrolling.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, go, login, logout, settled, PHONE, notice } from './lib/browser.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';
import { caseScreens, meetingScreens } from './lib/screens.mjs';
import { importCases } from './lib/figures.mjs';
import { contrastFailures } from './lib/contrast.mjs';

let srv, b, page;
let ids;
before(async () => ({ srv, b, page, ids } = await openSuite({ ids: true })));
after(() => closeSuite({ b, srv }));

const active = () => page.evaluate(() => {
  const e = document.activeElement;
  return { tag: e.tagName, id: e.id, name: e.getAttribute('name'), text: e.textContent.trim(), cls: e.className, inDialog: !!e.closest('dialog') };
});

// Tabs forward until the focused element's text matches `re` (at most `max` presses).
async function tabTo(re, max = 120) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const a = await active();
    if (re.test(a.text)) return a;
  }
  throw new Error(`no focusable element matching ${re}`);
}

test('the skip link is the first stop and leads to the content', async () => {
  await login(page, srv.url, 'fier.secretariat');
  await page.goto(`${srv.url}/bodies/${ids.krat}`);
  await settled(page);
  await page.keyboard.press('Tab');
  const a = await active();
  assert.equal(a.text, 'Kalo te përmbajtja');
  assert.ok(await page.locator('.skip-link').evaluate((e) => e.getBoundingClientRect().top >= 0), 'visible when focused');
  await page.keyboard.press('Enter');
  assert.equal((await active()).id, 'main');
  await page.keyboard.press('Tab');
  const next = await active();
  assert.equal(next.tag, 'A', 'then into the page');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle + ' ' + getComputedStyle(document.activeElement).outlineWidth);
  assert.match(outline, /^solid [3-9]px$/, 'the focus is visible');
});

test('a nomination with the keyboard alone', async () => {
  await go(page, srv.url, `/bodies/${ids.krat}?show=vacant`);
  await tabTo(/^Emëro/);
  await page.keyboard.press('Enter');
  await page.waitForURL(/do=nominate/);
  await settled(page);
  assert.equal((await active()).name, 'name', 'the first field has the focus');
  await page.keyboard.type('Mirela Dervishi');
  await page.keyboard.press('Enter');
  await notice(page, /Mirela Dervishi u emërua/);
  assert.match((await active()).text, /Mirela Dervishi u emërua/, 'the confirmation has the focus');
  assert.match(await page.locator('.seat-status').innerText(), /I plotësuar/);
});

test('a dialog keeps the focus inside and gives it back', async () => {
  await tabTo(/^Përfundo anëtarësinë$/);
  await page.keyboard.press('Enter');
  await page.locator('dialog[open]').waitFor();
  const inside = await active();
  assert.ok(inside.inDialog, 'focus moved into the dialog');
  // The page behind a modal dialog is inert: Tab cycles through the dialog (and the browser's
  // own controls, where document.activeElement is the body), never the page.
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    const a = await active();
    assert.ok(a.inDialog || a.tag === 'BODY', `focus stays in the dialog, not on ${a.tag} ${a.text}`);
  }
  await page.keyboard.press('Escape');
  await page.locator('dialog').waitFor({ state: 'detached' });
  assert.equal((await active()).text, 'Përfundo anëtarësinë', 'focus back on the button');
});

test('AA contrast on the main screens', async () => {
  const screens = ['/', '/counties/fier', `/bodies/${ids.krat}`, `/seats/${ids.filledSeat}`, '/agreements', `/agreements/${ids.agreement}`, '/overview'];
  for (const path of screens) {
    await go(page, srv.url, `${path}`);
    await page.mouse.move(0, 0);
    assert.deepEqual(await contrastFailures(page), [], `contrast on ${path}`);
  }
  await go(page, srv.url, `/seats/${ids.overdueSeat}?do=nominate`);
  await page.getByLabel('Fillimi').fill('x');
  await page.getByRole('button', { name: 'Regjistro emërimin' }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.deepEqual(await contrastFailures(page), [], 'contrast of form errors');
});

test('on a phone: no sideways scrolling, a menu button, tables as cards', async () => {
  const phone = await launch({ viewport: PHONE });
  try {
    const m = phone.page;
    await login(m, srv.url, 'fier.secretariat');
    for (const path of ['/counties/fier', `/bodies/${ids.krat}`, `/seats/${ids.overdueSeat}?do=nominate`, '/agreements', `/agreements/${ids.agreement}`, '/counties']) {
      await go(m, srv.url, `${path}`);
      const over = await m.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(over <= 0, `${path} is wider than the phone by ${over}px`);
      assert.deepEqual(await contrastFailures(m), [], `contrast on ${path} (phone)`);
    }
    await go(m, srv.url, `/bodies/${ids.krat}`);
    const toggle = m.getByRole('button', { name: 'Menuja' });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(await m.getByRole('link', { name: 'Marrëveshjet' }).isVisible(), false);
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.equal(await m.getByRole('link', { name: 'Marrëveshjet' }).isVisible(), true);
    assert.equal(await m.locator('table.data thead').first().evaluate((e) => e.getBoundingClientRect().height <= 1), true, 'column heads hidden');
    const labels = await m.locator('table.data tbody tr').first().evaluate((tr) => [...tr.querySelectorAll('td')].map((td) => getComputedStyle(td, '::before').content));
    assert.deepEqual(labels, ['"Anëtari"', '"Gjendja"', '"Veprime"'], 'each cell says what it is');
    const small = await m.evaluate(() => [...document.querySelectorAll('main .btn')].filter((e) => e.getClientRects().length && e.getBoundingClientRect().height < 32).length);
    assert.equal(small, 0, 'buttons large enough to tap');
  } finally {
    await phone.close();
  }
});

test('the case screens: AA contrast, a reason asked with the keyboard, and a phone without sideways scrolling', async () => {
  const data = await caseScreens(srv);
  importCases(srv);
  await logout(page);
  await login(page, srv.url, 'authority.member');
  for (const path of ['/cases', '/cases/new', `/cases/${data.girl}`, `/cases/${data.girl}/edit`, '/duplicates', '/figures',
    '/figures?view=tables', '/figures?view=tables&table=by_county&audience=public', '/figures?view=twoway&cols=county']) {
    await go(page, srv.url, path);
    await page.mouse.move(0, 0);
    assert.deepEqual(await contrastFailures(page), [], `contrast on ${path}`);
  }
  // Personal data with the keyboard alone: the dialog takes the focus, and gives it back.
  await go(page, srv.url, `/cases/${data.girl}`);
  await tabTo(/^Shfaq të dhënat personale$/);
  await page.keyboard.press('Enter');
  await page.locator('dialog[open]').waitFor();
  assert.equal((await active()).name, 'purpose', 'the first purpose has the focus');
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  assert.equal((await active()).name, 'reason', 'then the reason');
  await page.keyboard.type('Shqyrtimi i dyfishimit');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.locator('[data-field="prs_FirstName"] dd', { hasText: 'Elona' }).waitFor();
  assert.equal((await active()).text, 'Fshih të dhënat personale', 'focus back on the button, which now hides them');
  assert.deepEqual(await contrastFailures(page), [], 'contrast with personal data shown');
  await logout(page);

  const phone = await launch({ viewport: PHONE });
  try {
    const m = phone.page;
    await login(m, srv.url, 'fier.caseworker');
    for (const path of ['/cases', '/cases/new', '/referrals?direction=out', `/cases/${data.girl}`]) {
      await go(m, srv.url, path);
      const over = await m.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(over <= 0, `${path} is wider than the phone by ${over}px`);
      assert.deepEqual(await contrastFailures(m), [], `contrast on ${path} (phone)`);
    }
    await m.locator('.workflow-actions button').first().click();
    await m.locator('dialog[open]').waitFor();
    const wide = await m.locator('dialog[open]').evaluate((d) => d.scrollWidth - d.clientWidth);
    assert.ok(wide <= 0, `the transition dialog is wider than the phone by ${wide}px`);
    await m.keyboard.press('Escape');
    await m.locator('dialog').waitFor({ state: 'detached' });
    await logout(m);
    // The figures on a phone: the period picker and the tables of figures as cards.
    await login(m, srv.url, 'authority.member');
    for (const path of ['/figures', '/figures?view=tables', '/figures?view=twoway&cols=county']) {
      await go(m, srv.url, path);
      const over = await m.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(over <= 0, `${path} is wider than the phone by ${over}px`);
      assert.deepEqual(await contrastFailures(m), [], `contrast on ${path} (phone)`);
    }
  } finally {
    await phone.close();
  }
});

test('the meeting screens: AA contrast, the attendance sheet with the keyboard, and a phone without sideways scrolling', async () => {
  const data = await meetingScreens(srv);
  await login(page, srv.url, 'fier.secretariat');
  // The notifications in the header: reached with the keyboard, their count in their name.
  await go(page, srv.url, '/counties/fier');
  await page.locator('.topbar a.notif-link .notif-count').waitFor();
  await page.locator('.skip-link').focus();
  const bell = await tabTo(/^Njoftimet/, 10);
  assert.equal(bell.tag, 'A');
  const name = await page.evaluate(() => document.activeElement.textContent.replace(/\s+/g, ' ').trim());
  assert.match(name, /^Njoftimet \d+ \(\d+ (i palexuar|të palexuara)\)$/);
  assert.equal(await page.locator('.topbar .notif-count').getAttribute('aria-hidden'), 'true', 'the figure is read once, in words');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/notifications$/);
  await settled(page);
  for (const [, path] of data.paths) {
    await go(page, srv.url, path);
    await page.mouse.move(0, 0);
    assert.deepEqual(await contrastFailures(page), [], `contrast on ${path}`);
  }
  // The attendance of today's meeting with the keyboard: the arrows choose, the quorum follows.
  await go(page, srv.url, `/meetings/${data.next}`);
  const live = () => page.locator('.quorum-live').innerText();
  const before = await live();
  await page.locator('.attendance-sheet input[type="radio"]').first().focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.locator('.attendance-sheet input[type="radio"]:checked').first().evaluate((e) => e.value), 'represented');
  assert.notEqual(await live(), before, 'the quorum counts the change');
  await page.keyboard.press('Tab');
  const a = await active();
  assert.equal(a.name, 'substitute', 'the substitute comes next');
  assert.deepEqual(await contrastFailures(page), [], 'contrast with a represented seat open');
  await page.locator('main form button[type="submit"]').first().click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.deepEqual(await contrastFailures(page), [], 'contrast of the sheet with errors');
  await logout(page);

  const phone = await launch({ viewport: PHONE });
  try {
    const m = phone.page;
    await login(m, srv.url, 'fier.secretariat');
    for (const [, path] of data.paths) {
      await go(m, srv.url, path);
      const over = await m.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(over <= 0, `${path} is wider than the phone by ${over}px`);
      assert.deepEqual(await contrastFailures(m), [], `contrast on ${path} (phone)`);
    }
    await logout(m);
    await login(m, srv.url, 'fier.caseworker');
    for (const [, path] of data.caseworkerPaths) {
      await go(m, srv.url, path);
      const over = await m.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(over <= 0, `${path} is wider than the phone by ${over}px`);
      assert.deepEqual(await contrastFailures(m), [], `contrast on ${path} (phone)`);
    }
  } finally {
    await phone.close();
  }
});

test('no script errors', () => {
  assert.deepEqual(b.errors.filter((e) => !/status of 401/.test(e)), []);
});
