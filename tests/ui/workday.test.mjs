// Every user's working day in the browser (issue 13): the NGO shelter notices a child's case
// referred to it — the count in the header and on its home page — opens the notification, lands
// on its inbox and accepts; the police officer who referred it is told, and marks everything
// read at once. Each role's home shows its queues with the counts the server gives, in the menu
// too. Nothing typed is lost: the case form kept as a draft survives a session that ended while
// the page was left open, comes back after logging in again and is deleted once the case is
// registered; the warning two minutes before the idle timeout keeps the session when asked;
// leaving a form with unsaved changes (a link, Back, a reload) asks first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch, go, login, logout, settled, notice, pageApi, tiraneDay } from './lib/browser.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';
import { apiAs, nrmBin, repo } from './lib/server.mjs';
import { contrastFailures } from './lib/contrast.mjs';

// A first name planted in the cases: it must never show in a notification.
const MARKER = 'Zanafilla';

let srv, b, page;
let NGO; // tirane.ngo's institution
let child; // a child's case of Fier's police

before(async () => {
  ({ srv, b, page } = await openSuite());
  NGO = (await (await apiAs(srv, 'tirane.ngo')).get('/session')).user.institution;
  const police = await apiAs(srv, 'fier.caseworker');
  child = (await police.post('/cases', { fields: {
    vic_TraffickingStatus: 'PossibleVictimOfTrafficking', prs_FirstName: MARKER, prs_SecondName: 'Provë', prs_Gender: 'Feminine',
    prs_Birthdate: `${Number(tiraneDay(0).iso.slice(0, 4)) - 15}-03-01`, al_identification_date: tiraneDay(-2).iso,
    al_identifying_institution: 41, al_identification_method: 'police', al_county: 'fier', al_municipality: 'fier',
    al_indicators_a: ['A01'], al_indicators_b: ['B02'], al_indicators_c: ['C01'], vic_TypeOfExploitation: ['SexualExploitation'],
  } })).code;
});
after(() => closeSuite({ b, srv }));

const text = (loc) => loc.innerText();
const dlg = () => page.locator('dialog[open]');
const queue = (key) => page.locator(`section.queue[data-queue="${key}"]`);
const unreadBadge = () => page.locator('a.notif-link .notif-count');

// The count the header shows (0 without a badge).
async function headerCount() {
  return (await unreadBadge().count()) ? Number(await text(unreadBadge())) : 0;
}

// The queues of the home page against GET /home: each titled with its count, its items (at most
// what the server sent) or "Nothing waiting"; the menu's entries count what waits behind them.
async function checkHome(who) {
  assert.equal(new URL(page.url()).pathname, '/', `${who} starts at the home page`);
  assert.equal(await text(page.locator('main h1')), 'Puna ime sot');
  const home = (await pageApi(page, 'GET', '/home')).body;
  assert.ok(Array.isArray(home.queues), `${who} has queues`);
  await go(page, srv.url, '/');
  if (!home.queues.length) assert.match(await text(page.locator('main')), /Roli juaj nuk ka radhë pune këtu\./);
  const byHref = new Map();
  const moreAt = new Set();
  for (const q of home.queues) {
    const sec = queue(q.key);
    assert.equal(await sec.count(), 1, `${who}: queue ${q.key}`);
    // A queue the server counted only so far says "1000+".
    assert.equal(await text(sec.locator('.queue-count')), q.more ? `${q.count}+` : String(q.count), `${who}: count of ${q.key}`);
    assert.doesNotMatch(await text(sec.locator('h2')), /home\.queue\./, `${who}: ${q.key} has a title`);
    if (q.count) {
      assert.equal(await sec.locator('li.queue-item').count(), (q.items || []).length, `${who}: items of ${q.key}`);
      for (const it of q.items || []) assert.match(await text(sec), new RegExp(it.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      assert.equal(await sec.getByRole('link', { name: /^Shikoni të gjitha/ }).getAttribute('href'), q.href);
    } else {
      assert.match(await text(sec), /Asgjë në pritje/);
    }
    byHref.set(q.href, (byHref.get(q.href) || 0) + q.count);
    if (q.more) moreAt.add(q.href);
  }
  for (const a of await page.locator('.menu-list a[data-nav]').all()) {
    const href = await a.getAttribute('href');
    const n = byHref.get(href) || 0;
    const badge = a.locator('.nav-count');
    if (n) assert.equal(await text(badge), moreAt.has(href) ? `${n}+` : String(n), `${who}: menu count of ${href}`);
    else assert.equal(await badge.count(), 0);
  }
  return home;
}

test("the shelter notices a child's case referred to it, opens the notification, accepts; the referrer is told", async () => {
  const police = await apiAs(srv, 'fier.caseworker');
  await police.post(`/cases/${child}/referrals`, { institution: NGO, reason: 'Strehim i sigurt', fields: [] });

  await login(page, srv.url, 'tirane.ngo');
  // The home page: the referral first, urgent (a child), in words.
  const home = await checkHome('tirane.ngo');
  const inbox = home.queues.find((q) => q.key === 'referrals_in');
  assert.equal(inbox.count, 1);
  const item = queue('referrals_in').locator('li.queue-item').first();
  assert.match(await text(item), new RegExp(`${child}[\\s\\S]*Urgjent`));
  assert.equal(await page.locator('section.queue').first().getAttribute('data-queue'), 'referrals_in', 'the urgent queue comes first');
  assert.ok(await headerCount() >= 1, 'the header counts the notification');
  const before = await headerCount();

  await page.locator('a.notif-link').click();
  await settled(page);
  const row = page.locator('table.data tbody tr', { hasText: child });
  assert.match(await text(row), new RegExp(`Referim i ri[\\s\\S]*Rasti ${child} iu referua institucionit tuaj nga Drejtoria Vendore e Policisë Fier`));
  // A child's case is marked urgent in words, as the server says.
  const sent = (await pageApi(page, 'GET', '/notifications')).body.items.find((n) => n.kind === 'referral_new' && n.params.code === child);
  assert.equal(await row.locator('.tag', { hasText: 'Urgjent' }).count(), sent.params.urgent ? 1 : 0);
  assert.doesNotMatch(await text(page.locator('main')), new RegExp(MARKER), 'no name in a notification');
  // The click marks it read, then goes: the page changes only after the server answered.
  await row.locator('a.notif-open').click();
  await page.waitForURL((u) => u.pathname !== '/notifications');
  await settled(page);
  assert.equal(new URL(page.url()).pathname, '/referrals', 'the notification leads to the inbox');
  assert.equal(await headerCount(), before - 1, 'opened: read');
  const ref = page.locator('tbody tr', { has: page.getByRole('link', { name: child }) });
  await ref.getByRole('button', { name: /^Prano/ }).click();
  await dlg().getByRole('button', { name: 'Prano' }).click();
  await notice(page, `Referimi i rastit ${child} u pranua.`);
  await go(page, srv.url, '/');
  assert.match(await text(queue('referrals_in')), /Asgjë në pritje/);
  await logout(page);

  await login(page, srv.url, 'fier.caseworker');
  assert.ok(await headerCount() >= 1);
  await page.locator('a.notif-link').click();
  await settled(page);
  const answer = page.locator('table.data tbody tr', { hasText: child });
  assert.match(await text(answer), /Përgjigje referimi[\s\S]*Strehëza e OJF-së "Shpresa" \(demo\), Tiranë e pranoi referimin e rastit/);
  assert.doesNotMatch(await text(page.locator('main')), new RegExp(MARKER));
  // Everything read at once.
  await page.getByRole('button', { name: 'Shëno të gjitha si të lexuara' }).click();
  await notice(page, 'Të gjitha njoftimet u shënuan si të lexuara.');
  assert.equal(await unreadBadge().count(), 0);
  assert.equal((await pageApi(page, 'GET', '/notifications?unread=1')).body.items.length, 0);
  await answer.locator('a.notif-open').click();
  await page.waitForURL((u) => u.pathname !== '/notifications');
  await settled(page);
  assert.equal(new URL(page.url()).pathname, `/cases/${child}`, 'the answer leads to the case');
  await logout(page);
});

test("each role's home shows its queues, with the counts the server gives, in the menu too", async () => {
  for (const who of ['fier.caseworker', 'authority.member', 'fier.secretariat', 'ministry.monitor', 'dpo', 'admin']) {
    await login(page, srv.url, who);
    const home = await checkHome(who);
    if (who === 'fier.secretariat') {
      const seats = home.queues.find((q) => q.key === 'seats_overdue');
      assert.ok(seats?.count > 0, "Fier's overdue seats of the demo data");
      assert.match(await text(queue('seats_overdue')), /Me vonesë|ditë/);
    }
    if (who === 'ministry.monitor') {
      // The national scorecard a click away, where this UI has the screen (never a dead link).
      const screen = await page.evaluate(async () => !!(await import('/js/routes.js')).match('/scorecard'));
      const link = page.getByRole('link', { name: 'Hapni tabelën' });
      if (screen) assert.equal(await link.getAttribute('href'), '/scorecard');
      else assert.equal(await link.count(), 0);
    }
    if (who === 'admin') assert.ok(home.queues.some((q) => q.key === 'accounts_locked'), 'the administrator sees the locked accounts');
    await logout(page);
  }
});

test("the Authority's home shows the persons identified each month below its queues, the table a click away; a case worker's does not", async () => {
  await login(page, srv.url, 'authority.member');
  await settled(page);
  const section = page.locator('main section.home-chart');
  const chart = section.locator('figure.chart[data-chart="identified"]');
  await chart.locator('svg.chart-svg').waitFor();
  assert.equal(await text(section.locator('h2')), 'Identifikimet sipas muajve');
  assert.match(await text(chart.locator('.chart-title')), /Persona të identifikuar në 12 muajt e fundit, sipas statusit/);
  // Below the queues, which were there first.
  assert.ok(await page.locator('main .queues section.queue').count() > 0, 'the queues are shown');
  assert.ok(await section.evaluate((s) => !!(document.querySelector('main .queues').compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING)),
    'the chart follows the queues');
  // The table one click away: the last twelve months, this month last, as the figures say.
  const toggle = chart.locator('.chart-toggle');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  const rows = chart.locator('.chart-table tbody tr');
  assert.equal(await rows.count(), 12);
  const month = tiraneDay(0).iso.slice(0, 7);
  const tb = (await pageApi(page, 'GET', `/stats/tables/national_annual?period=${month}&audience=authority`)).body;
  const total = tb.blocks[0].rows.find((r) => r.code === 'total' && !r.level).cells;
  const want = tb.columns.map((c, i) => (c.code === 'total' ? null : total[i])).filter((v) => v !== null).map(String);
  assert.deepEqual(await rows.last().locator('td').allInnerTexts(), want, "this month's figures");
  assert.equal(await section.getByRole('link', { name: 'Të gjithë grafikët e shifrave' }).getAttribute('href'), '/figures?view=charts');
  await logout(page);

  await login(page, srv.url, 'fier.caseworker');
  await settled(page);
  await page.locator('main section.queue').first().waitFor();
  assert.equal(await page.locator('main section.home-chart, main figure.chart').count(), 0, 'no chart for a case worker');
  await logout(page);
});

test('the home page reads well: AA contrast, and on a phone no sideways scrolling', async () => {
  await login(page, srv.url, 'fier.secretariat');
  await page.mouse.move(0, 0);
  assert.deepEqual(await contrastFailures(page), [], 'contrast of the home page');
  await logout(page);
  const phone = await launch({ viewport: { width: 390, height: 844 } });
  try {
    await login(phone.page, srv.url, 'authority.secretariat');
    const over = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(over <= 0, `the home page is wider than the phone by ${over}px`);
  } finally {
    await phone.close();
  }
});

test('leaving a form with unsaved changes asks first: a link, Back, a reload', async () => {
  await login(page, srv.url, 'tirane.ngo');
  await go(page, srv.url, '/cases');
  await go(page, srv.url, '/cases/new');
  await page.locator('[name="prs_FirstName"]').fill('Besa');
  await page.locator('.menu-list').getByRole('link', { name: 'Rastet', exact: true }).click();
  assert.match(await text(dlg()), /Të largoheni pa ruajtur\?[\s\S]*nuk janë ruajtur ende/);
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Qëndroni në faqe', 'staying is the first choice');
  await dlg().getByRole('button', { name: 'Qëndroni në faqe' }).click();
  assert.equal(new URL(page.url()).pathname, '/cases/new');
  assert.equal(await page.locator('[name="prs_FirstName"]').inputValue(), 'Besa');

  // Typed again, so that the form is unsaved whatever happened meanwhile in the page.
  await page.locator('[name="prs_FirstName"]').fill('Besa');
  await page.goBack();
  await dlg().waitFor();
  assert.equal(new URL(page.url()).pathname, '/cases/new', 'Back waits for the answer');
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('[name="prs_FirstName"]').inputValue(), 'Besa');

  const asked = new Promise((ok) => page.once('dialog', async (d) => {
    ok(d.type());
    await d.dismiss();
  }));
  page.evaluate(() => location.reload()).catch(() => null);
  assert.equal(await asked, 'beforeunload');
  assert.equal(await page.locator('[name="prs_FirstName"]').inputValue(), 'Besa');

  await page.locator('.menu-list').getByRole('link', { name: 'Rastet', exact: true }).click();
  await dlg().getByRole('button', { name: 'Largohuni pa ruajtur' }).click();
  await settled(page);
  assert.equal(new URL(page.url()).pathname, '/cases');
  // Nothing asked where nothing changed.
  await go(page, srv.url, '/cases/new');
  await page.locator('.menu-list').getByRole('link', { name: 'Rastet', exact: true }).click();
  await settled(page);
  assert.equal(new URL(page.url()).pathname, '/cases');
  await pageApi(page, 'DELETE', '/drafts/case/new');
  await logout(page);
});

test('the case form kept as a draft survives a session that ended, comes back after login, and goes once the case is saved', async () => {
  await page.clock.install();
  await page.goto(`${srv.url}/login`);
  await login(page, srv.url, 'fier.caseworker');
  await go(page, srv.url, '/cases/new');
  await page.locator('[name="prs_FirstName"]').fill('Lule');
  await page.locator('[name="prs_SecondName"]').fill(MARKER);
  await page.locator('[name="prs_Gender"]').selectOption('Feminine');
  await page.locator('[name="al_estimated_age"]').fill('24');
  await page.locator('[name="al_identification_method"]').selectOption('police');
  await page.locator('[name="al_municipality"]').selectOption('fier');
  await page.locator('[data-top="al_indicators_a"] input[value="A01"]').check();
  await page.locator('[data-top="al_indicators_b"] input[value="B02"]').check();
  await page.locator('[data-top="al_indicators_c"] input[value="C01"]').check();
  // A few seconds after the last change the draft is on the server.
  await page.clock.runFor(4000);
  await page.locator('.draft-status', { hasText: /Drafti u ruajt në orën/ }).waitFor();

  // The server forgets the session (as after 30 idle minutes); the page, left open, finds out.
  await b.context.addCookies([{ name: 'nrm_session', value: 'expired-token-expired-token', url: srv.url, httpOnly: true, sameSite: 'Strict' }]);
  await page.clock.fastForward('29:00');
  await page.waitForURL(/\/login\?next=%2Fcases%2Fnew&expired=1$/);
  await settled(page);
  assert.match(await text(page.locator('main')), /Seanca juaj skadoi/);

  await login(page, srv.url, 'fier.caseworker');
  assert.equal(new URL(page.url()).pathname, '/cases/new', 'back to the form');
  const offer = page.locator('.draft-offer');
  await offer.waitFor();
  assert.match(await text(offer), /Keni një draft të këtij formulari nga \d\d\.\d\d\.\d{4} \d\d:\d\d/);
  assert.equal(await page.locator('[name="prs_FirstName"]').inputValue(), '', 'nothing restored unasked');
  await offer.getByRole('button', { name: 'Riktheni draftin' }).click();
  assert.match(await text(page.locator('.draft-done')), /u rikthye/);
  assert.equal(await page.evaluate(() => document.activeElement.className), 'notice notice-success draft-done', 'the focus on what happened');
  assert.equal(await page.locator('[name="prs_FirstName"]').inputValue(), 'Lule');
  assert.equal(await page.locator('[name="prs_SecondName"]').inputValue(), MARKER);
  assert.equal(await page.locator('[name="al_estimated_age"]').inputValue(), '24');
  // (the form of exploitation is asked at the formal identification, not in the short first form)
  assert.equal(await page.locator('[data-top="al_indicators_a"] input[value="A01"]').isChecked(), true);
  assert.equal(await page.locator('[name="al_municipality"]').inputValue(), 'fier');

  await page.getByRole('button', { name: 'Regjistro rastin' }).click();
  // The registered case opens on the rest of its form.
  await page.waitForURL(/\/cases\/[A-Z]{2}-\d{4}-\d{4}\/edit\?section=\w+$/);
  await settled(page);
  const gone = await pageApi(page, 'GET', '/drafts/case/new');
  assert.equal(gone.status, 404, 'the draft is deleted once the case is saved');
  // A draft holds personal data: it is the user's own, sealed on the server.
  const other = await (await fetch(`${srv.url}/api/v1/drafts/case/new`)).status;
  assert.equal(other, 401);
  await logout(page);
});

// ---- the idle warning: the server's clock moved on, the page's too ----

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on('error', fail);
  });
}

// `nrm serve` on a given database and port, its clock set to `now` (an ISO time) when given.
async function serve(db, port, now) {
  const env = { ...process.env };
  if (now) env.NRM_NOW = now;
  else delete env.NRM_NOW;
  const proc = spawn(nrmBin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--web', join(repo, 'web')], { stdio: ['ignore', 'ignore', 'pipe'], env });
  await new Promise((ok, fail) => {
    let buf = '';
    proc.stderr.on('data', (c) => {
      buf += c.toString();
      if (/listening on/.test(buf)) ok();
    });
    proc.on('exit', (code) => fail(new Error(`nrm serve exited with ${code}: ${buf}`)));
  });
  proc.removeAllListeners('exit');
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      if (proc.exitCode !== null) return;
      const done = new Promise((ok) => proc.once('exit', ok));
      proc.kill('SIGTERM');
      await done;
    },
  };
}

test('two minutes before the idle timeout a warning takes the focus; "Stay logged in" keeps the session', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nrm-idle-'));
  const db = join(dir, 'nrm.db');
  execFileSync(nrmBin, ['init', '--db', db, '--demo', '--no-demo-cases', '--data', join(repo, 'data')], { stdio: 'pipe' });
  const port = await freePort();
  let server = await serve(db, port);
  const other = await launch();
  try {
    const p = other.page;
    await p.clock.install();
    await login(p, server.url, 'fier.krat');
    // 28½ minutes later, on the server and in the page: 1½ minutes are left.
    await server.stop();
    const later = new Date(Date.now() + (28 * 60 + 30) * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    server = await serve(db, port, later);
    await p.clock.fastForward('28:30');
    const warning = p.locator('dialog.idle-dialog[open]');
    await warning.waitFor();
    assert.equal(await warning.getAttribute('role'), 'alertdialog');
    assert.match(await text(warning), /Seanca juaj po mbaron[\s\S]*Seanca juaj do të mbyllet pas\s+[01]:\d\d/);
    assert.equal(await p.evaluate(() => document.activeElement.textContent), 'Qëndroni në sistem', 'the focus moves to the warning');
    const described = await warning.getAttribute('aria-describedby');
    assert.match(await p.locator(`[id="${described}"]`).innerText(), /mbyllet pas/, 'announced with its words');
    await p.keyboard.press('Enter');
    await warning.waitFor({ state: 'detached' });
    const s = await (await p.evaluate(() => fetch('/api/v1/session', { headers: { 'X-NRM-Background': '1' } }).then((r) => r.json())));
    assert.ok(s.idle_left > 25 * 60, `the session was kept (${s.idle_left} s left)`);
    // The page's own polls may meet the server while it restarts above (the socket refused).
    assert.deepEqual(other.errors.filter((e) => !/status of 401|ERR_SOCKET_NOT_CONNECTED|ERR_CONNECTION_REFUSED/.test(e)), []);
  } finally {
    await other.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

// Last: it leaves the Authority's queue long. Past a thousand a queue is counted only so far,
// and says so: "1000+" on the home page, in its link and in the menu.
test('a queue longer than a thousand shows 1000+', async () => {
  const institution = execFileSync('sqlite3', [srv.db, "SELECT institution_id FROM users WHERE username='fier.caseworker'"]).toString().trim();
  const lines = ['prs_FirstName,prs_SecondName,prs_Gender,al_estimated_age,al_identification_date,al_identifying_institution,'
    + 'al_identification_method,al_county,al_indicators_a,al_indicators_c,vic_TypeOfExploitation,prs_Citizenship'];
  for (let i = 0; i < 1001; i++) {
    const day = `2025-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    lines.push(`Radhë,Nr${i},Feminine,30,${day},${institution},police,fier,A01,C01,ForcedLabour,AL`);
  }
  const file = `${srv.db}.many.csv`;
  writeFileSync(file, `${lines.join('\n')}\n`);
  execFileSync(nrmBin, ['import', 'cases', file, '--db', srv.db, '--as', 'authority.secretariat', '--institution', institution], { stdio: 'pipe' });
  await page.context().clearCookies();
  await page.goto(`${srv.url}/login`);
  await login(page, srv.url, 'authority.secretariat');
  const home = await checkHome('authority.secretariat');
  const waiting = home.queues.find((q) => q.key === 'awaiting_decision');
  assert.ok(waiting.more, 'the server says there are more');
  const sec = queue('awaiting_decision');
  assert.equal(await text(sec.locator('.queue-count')), '1000+');
  assert.match(await sec.locator('h2').textContent(), /më shumë se 1000 në pritje/, 'said in words to a screen reader');
  assert.match(await text(sec.getByRole('link', { name: /^Shikoni të gjitha/ })), /^Shikoni të gjitha \(1000\+\)/);
});

test('no script errors', () => {
  assert.deepEqual(b.errors.filter((e) => !/status of 40[14]/.test(e)), []);
});
