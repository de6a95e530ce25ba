// The periodic reports in the browser (data/reports/): Fier's secretariat drafts its KRAT's
// quarterly report for the last quarter that has ended, writes the summary (saved as it types:
// a reload shows it), submits it and approves it in a meeting of the KRAT held today; the
// Ministry's monitor finds it delivered and acknowledges it. The Authority's monthly report is
// submitted by its secretariat; a member asks for changes, with a comment the secretariat reads,
// the chair's approval shows in the table of seats, and the last of the 13 seated members to
// approve signs and delivers it. A report returned by the Ministry is
// corrected with a reason, and the figures that changed are listed. The screens in English
// have every label translated, AA contrast, and are used with the keyboard and on a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, go, login, logout, settled, notice, tiraneDay, PHONE } from './lib/browser.mjs';
import { contrastFailures } from './lib/contrast.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';
import { apiAs } from './lib/server.mjs';
import { reportScreens } from './lib/screens.mjs';

const today = tiraneDay(0);
const YEAR = Number(today.iso.slice(0, 4));
const MONTH = Number(today.iso.slice(5, 7));
const NOW = Math.floor((MONTH - 1) / 3) + 1;
// The last quarter, half-year and month that have ended.
const QY = NOW === 1 ? YEAR - 1 : YEAR;
const Q = NOW === 1 ? 4 : NOW - 1;
const HALF = MONTH <= 6 ? { y: YEAR - 1, h: 2 } : { y: YEAR, h: 1 };
const LAST_MONTH = MONTH === 1 ? { y: YEAR - 1, m: 12 } : { y: YEAR, m: MONTH - 1 };
const ORDINAL = { 1: 'parë', 2: 'dytë', 3: 'tretë', 4: 'katërt' };
const MONTHS = ['Janar', 'Shkurt', 'Mars', 'Prill', 'Maj', 'Qershor', 'Korrik', 'Gusht', 'Shtator', 'Tetor', 'Nëntor', 'Dhjetor'];
const pad = (n) => String(n).padStart(2, '0');

let srv, b, page;
let krat; // Fier's KRAT
let meeting; // a meeting of Fier's KRAT held today
let kratReport; // the id of the quarterly report

before(async () => {
  ({ srv, b, page } = await openSuite());
  const sec = await apiAs(srv, 'fier.secretariat');
  krat = (await sec.get('/bodies?kind=krat&county=fier')).items[0].id;
});
after(() => closeSuite({ b, srv }));

const text = (loc) => loc.innerText();
const main = () => text(page.locator('main'));
const dlg = () => page.locator('dialog[open]');
const seatRow = (name) => page.locator('table.data tbody tr').filter({ hasText: name });

// A meeting of the body held today, every member present (tests/api/reports.c held_meeting).
async function heldMeeting(body) {
  const sec = await apiAs(srv, 'fier.secretariat');
  const m = await sec.post(`/bodies/${body}/meetings`, { date: today.iso, time: '10:00' });
  const full = await sec.get(`/meetings/${m.id}`);
  await sec.put(`/meetings/${m.id}/attendance`, { seats: full.attendance.filter((s) => s.member).map((s) => ({ seat: s.seat, status: 'present' })) });
  return m.id;
}

test("fier.secretariat drafts its KRAT's quarterly report, writes the summary, submits it and approves it in a held meeting; the Ministry acknowledges it", async () => {
  await login(page, srv.url, 'fier.secretariat');
  await page.locator('nav.menu').getByRole('link', { name: 'Raportet' }).click();
  await settled(page);
  assert.equal(await text(page.locator('main h1')), 'Raportet periodike');
  assert.match(await main(), /Nuk ka raporte\./);
  // The new report: the types the secretariat drafts, the county its own, the last quarter ended.
  const type = page.locator('.report-new [name="type"]');
  const offered = await type.locator('option').allInnerTexts();
  assert.ok(offered.includes('Raporti tremujor i KRAT-it për Ministrinë e Brendshme'));
  assert.ok(!offered.includes('Raporti mujor i Autoritetit Përgjegjës'), "not the Authority's");
  await type.selectOption({ label: 'Raporti tremujor i KRAT-it për Ministrinë e Brendshme' });
  await page.locator('.report-new [name="period"] option', { hasText: `Tremujori i ${ORDINAL[Q]} i vitit ${QY}` }).first().waitFor({ state: 'attached' });
  await page.waitForFunction((v) => document.querySelector('.report-new [name="period"]').value === v, `${QY}Q${Q}`);
  assert.match(await text(page.locator('#rp-scope')), /Për: Fier/);
  await page.getByRole('button', { name: 'Krijo raportin' }).click();
  await notice(page, 'Raporti u krijua si projekt.');
  kratReport = Number(/\/reports\/(\d+)$/.exec(page.url())[1]);
  assert.equal(await text(page.locator('main h1')), 'Raporti tremujor i KRAT-it për Ministrinë e Brendshme');
  const m = await main();
  assert.match(m, /REPUBLIKA E SHQIPËRISË\s*Komiteti Rajonal Antitrafikim — Fier/);
  assert.match(m, new RegExp(`Tremujori i ${ORDINAL[Q]} i vitit ${QY}`));
  assert.match(m, /Projekt/);
  assert.match(m, /Tabela 1\. /, 'the drafted sections as numbered tables');
  assert.match(m, /Shkarko PDF/);

  // Written, saved as it is typed; a reload shows it.
  const summary = page.locator('textarea[name="summary"]');
  await summary.fill('KRAT-i u mblodh dy herë dhe shqyrtoi rastet e reja të qarkut.');
  await page.locator('#rs-summary-status', { hasText: /U ruajt në \d\d:\d\d/ }).waitFor();
  await page.reload();
  await settled(page);
  assert.equal(await page.locator('textarea[name="summary"]').inputValue(), 'KRAT-i u mblodh dy herë dhe shqyrtoi rastet e reja të qarkut.');
  // Typed and left at once: saved on leaving the field.
  await page.locator('textarea[name="findings"]').fill('Mungojnë përfaqësuesit e arsimit.');
  await page.locator('textarea[name="recommendations"]').focus();
  await page.locator('#rs-findings-status', { hasText: /U ruajt/ }).waitFor();

  await page.getByRole('button', { name: 'Dorëzo raportin' }).click();
  await notice(page, 'Versioni 1 u dorëzua dhe pret miratimin.');
  assert.match(await main(), /Dorëzuar, në pritje të miratimit/);
  // No held meeting since: said, with the way to the meetings.
  assert.match(await main(), /Nuk ka mbledhje të zhvilluar të organit/);
  meeting = await heldMeeting(krat);
  await page.reload();
  await settled(page);
  const select = page.locator('.report-approval select[name="meeting"]');
  assert.equal(await select.inputValue(), String(meeting));
  await page.getByRole('button', { name: 'Miratoje në këtë mbledhje' }).click();
  await notice(page, 'Versioni 1 u miratua, u nënshkrua dhe u dërgua.');
  assert.match(await main(), /Miratuar dhe dërguar/);
  const version = page.locator('.report-version[data-version="1"]');
  assert.match(await text(version), /Versioni 1[\s\S]*Miratuar[\s\S]*SHA-256: [0-9a-f]{64}/);
  assert.equal(await version.getByRole('link', { name: 'Shkarko versionin e nënshkruar 1' }).count(), 1);
  await logout(page);

  await login(page, srv.url, 'ministry.monitor');
  await go(page, srv.url, '/reports');
  const inbox = page.locator('section').filter({ has: page.getByRole('heading', { name: 'Në pritje të përgjigjes suaj' }) });
  assert.match(await text(inbox), /Raporti tremujor i KRAT-it[\s\S]*Komiteti Rajonal Antitrafikim — Fier[\s\S]*Miratuar dhe dërguar/);
  await inbox.getByRole('link', { name: 'Raporti tremujor i KRAT-it për Ministrinë e Brendshme' }).click();
  await settled(page);
  assert.match(await main(), /KRAT-i u mblodh dy herë/);
  assert.equal(await page.locator('textarea').count(), 0, 'the Ministry reads, it does not write');
  assert.match(await main(), /versioni i miratuar, me bllokun e nënshkrimit/);
  await page.getByRole('button', { name: 'Pranoje raportin' }).click();
  await notice(page, 'Raporti u pranua.');
  assert.match(await main(), /Pranuar nga marrësi/);
  assert.equal(await page.getByRole('button', { name: 'Pranoje raportin' }).count(), 0);
  await go(page, srv.url, '/reports');
  assert.match(await main(), /Asnjë raport nuk pret përgjigjen tuaj\./);
  await logout(page);
});

test("the Authority's monthly report: a member asks for changes with a comment the secretariat reads, the chair's approval shows in the seats, and the thirteenth approval delivers it", async () => {
  await login(page, srv.url, 'authority.secretariat');
  await go(page, srv.url, '/reports');
  const type = page.locator('.report-new [name="type"]');
  assert.deepEqual(await type.locator('option').allInnerTexts(), ['Raporti mujor i Autoritetit Përgjegjës']);
  assert.equal(await page.locator('.report-new [name="period"]').inputValue(), `${LAST_MONTH.y}-${pad(LAST_MONTH.m)}`);
  assert.match(await text(page.locator('#rp-scope')), /Gjithë vendin/);
  await page.getByRole('button', { name: 'Krijo raportin' }).click();
  await notice(page, 'Raporti u krijua si projekt.');
  assert.match(await main(), new RegExp(`${MONTHS[LAST_MONTH.m - 1]} ${LAST_MONTH.y}`));
  await page.locator('textarea[name="summary"]').fill('Autoriteti shqyrtoi rastet e muajit.');
  await page.locator('#rs-summary-status', { hasText: /U ruajt/ }).waitFor();
  await page.getByRole('button', { name: 'Dorëzo raportin' }).click();
  await notice(page, 'Versioni 1 u dorëzua dhe pret miratimin.');
  assert.match(await main(), /e kanë miratuar 0 nga 13 anëtarë me vend/);
  assert.equal(await page.getByRole('button', { name: 'Miratoj' }).count(), 0, 'the secretariat has no seat');
  const path = new URL(page.url()).pathname;
  await logout(page);

  await login(page, srv.url, 'authority.member');
  await go(page, srv.url, path);
  assert.match(await main(), /Vendi juaj: b\) Sektori kundër Trafikeve të Paligjshme, DPPSH\. Vendimi juaj: Pa vendim ende\./);
  await page.getByRole('button', { name: 'Kërko ndryshime' }).click();
  await dlg().waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.name), 'comment', 'the comment has the focus');
  await dlg().getByRole('button', { name: 'Kërko ndryshime' }).click();
  await dlg().locator('.error-summary:not([hidden])').waitFor();
  await dlg().getByLabel(/Komenti/).fill('Shtoni rastet e referuara nga Kukësi.');
  await dlg().getByRole('button', { name: 'Kërko ndryshime' }).click();
  await notice(page, 'Kërkesa juaj për ndryshime u regjistrua.');
  assert.match(await text(seatRow('Elira Marku')), /Kërkon ndryshime/);
  await logout(page);

  await login(page, srv.url, 'authority.chair');
  await go(page, srv.url, path);
  await page.getByRole('button', { name: 'Miratoj' }).click();
  await notice(page, 'Miratimi juaj u regjistrua.');
  assert.match(await text(seatRow('Arben Shehu')), /Miratuar/);
  assert.match(await text(seatRow('Gentian Dervishi')), /Pa vendim ende/);
  assert.match(await main(), /e kanë miratuar 1 nga 13 anëtarë me vend/);
  assert.match(await main(), /Dorëzuar, në pritje të miratimit/, 'not delivered before every seat approves');
  await logout(page);

  await login(page, srv.url, 'authority.secretariat');
  await go(page, srv.url, path);
  assert.match(await text(page.locator('.report-comments')), /Elira Marku · Kërkon ndryshime[\s\S]*Shtoni rastet e referuara nga Kukësi\./);
  await logout(page);

  // Every seat approves: seat b changes its mind, eleven more members — each with an account
  // linked to the person in their seat — approve, the last of them in the browser.
  const id = path.split('/').pop();
  const admin = await apiAs(srv, 'admin');
  const linked = new Set((await admin.get('/users?limit=500')).items.map((u) => u.person).filter(Boolean));
  const authority = (await admin.get('/bodies?kind=authority')).items[0].id;
  const persons = (await admin.get(`/bodies/${authority}`)).seats.map((s) => s.member?.person).filter((p) => p && !linked.has(p));
  assert.equal(persons.length, 11, 'eleven seats without an account yet');
  const password = 'Nje-fjalekalim-i-gjate-2026';
  for (const [i, person] of persons.entries()) {
    await admin.post('/users', { username: `ui.seat.${i}`, name: `Anëtar ${i}`, role: 'authority_member', person, password });
  }
  await (await apiAs(srv, 'authority.member')).post(`/reports/${id}/approval`, { version: 1, decision: 'approve' });
  for (let i = 0; i < persons.length - 1; i++) {
    await (await apiAs(srv, `ui.seat.${i}`, password)).post(`/reports/${id}/approval`, { version: 1, decision: 'approve' });
  }
  await login(page, srv.url, `ui.seat.${persons.length - 1}`, password);
  await go(page, srv.url, path);
  assert.match(await main(), /e kanë miratuar 12 nga 13 anëtarë me vend/);
  await page.getByRole('button', { name: 'Miratoj' }).click();
  await notice(page, 'Miratimi juaj u regjistrua.');
  assert.match(await main(), /Miratuar dhe dërguar/, 'the thirteenth approval signs and delivers it');
  await logout(page);
});

test('a report returned by the Ministry is corrected with a reason, and the figures that changed are listed', async () => {
  const sec = await apiAs(srv, 'fier.secretariat');
  const period = `${HALF.y}H${HALF.h}`;
  const r = await sec.post('/reports', { type: 'krat-semiannual', scope: 'fier', period });
  const v = await sec.post(`/reports/${r.id}/submit`, {});
  await sec.post(`/reports/${r.id}/approval`, { version: v.version, meeting });

  await login(page, srv.url, 'ministry.monitor');
  await go(page, srv.url, `/reports/${r.id}`);
  await page.getByRole('button', { name: 'Ktheje për plotësim' }).click();
  await dlg().waitFor();
  await dlg().getByLabel(/Komenti/).fill('Mungojnë veprimtaritë e ndërgjegjësimit.');
  await dlg().getByRole('button', { name: 'Ktheje për plotësim' }).click();
  await notice(page, 'Raporti u kthye për plotësim.');
  assert.match(await main(), /Kthyer për plotësim/);
  await logout(page);

  // The activity that was missing, on a day of the half-year.
  const police = (await sec.get('/institutions?county=fier&limit=500')).items.find((i) => i.type === 'local_police').id;
  await sec.post('/registers/awareness/entries', { fields: {
    title: 'Takim në shkollë', activity: 'school_session', day: `${HALF.y}-${pad(HALF.h * 6 - 3)}-15`, county: 'fier', municipality: 'fier',
    organiser: police, audience: ['pupils'],
    reach: [{ sex: 'female', age_group: '14_17', count: 46 }, { sex: 'male', age_group: '14_17', count: 55 }],
  } });

  await login(page, srv.url, 'fier.secretariat');
  await go(page, srv.url, `/reports/${r.id}`);
  assert.match(await main(), /Marrësi e ktheu raportin me këtë koment:\s*Mungojnë veprimtaritë e ndërgjegjësimit\./);
  await page.getByRole('button', { name: 'Dorëzo korrigjimin' }).click();
  await dlg().waitFor();
  // A reason is required.
  await dlg().getByRole('button', { name: 'Dorëzo raportin' }).click();
  await dlg().locator('.error-summary:not([hidden])').waitFor();
  await dlg().getByLabel(/Arsyeja/).fill('U shtua veprimtaria e shkollës që mungonte.');
  await dlg().getByRole('button', { name: 'Dorëzo raportin' }).click();
  await page.locator('dialog[open]', { hasText: 'Shifrat që ndryshuan në versionin 2' }).waitFor();
  const changes = await text(dlg());
  assert.match(changes, /Veprimtaritë e ndërgjegjësimit · Veprimtari · Numri\s*0\s*1/);
  assert.match(changes, /Pjesëmarrës sipas gjinisë · Numri\s*0\s*101/);
  await dlg().getByRole('button', { name: 'Mbyll' }).click();
  await notice(page, 'Versioni 2 u dorëzua dhe pret miratimin.');
  const v2 = page.locator('.report-version[data-version="2"]');
  assert.match(await text(v2), /U shtua veprimtaria e shkollës që mungonte\.[\s\S]*Shifrat e ndryshuara në versionin 2[\s\S]*Veprimtari/);
  assert.match(await text(page.locator('.report-version[data-version="1"]')), /Kthyer[\s\S]*Mungojnë veprimtaritë e ndërgjegjësimit\./);
  await logout(page);
});

test('the report screens in English have every label translated, AA contrast, work with the keyboard and fit a phone', async () => {
  const data = await reportScreens(srv);
  await login(page, srv.url, 'fier.secretariat');
  for (const [, path] of data.paths) {
    await go(page, srv.url, path);
    await page.mouse.move(0, 0);
    assert.deepEqual(await contrastFailures(page), [], `contrast on ${path}`);
  }
  await page.locator('.topbar button[lang="en"]').click();
  await page.locator('main h1', { hasText: 'Periodic reports' }).waitFor({ state: 'attached' }).catch(() => {});
  for (const [, path] of data.paths) {
    await go(page, srv.url, path);
    const all = await page.evaluate(() => document.body.innerText);
    assert.doesNotMatch(all, /⟦/, `a label missing on ${path}`);
    assert.doesNotMatch(all, /Raport|Dorëzo|Periudha|Afati|Gjendja|Projekt|Miratuar|Shkarko|Versioni|Tabela/, `Albanian left on ${path}`);
    assert.deepEqual(await contrastFailures(page), [], `contrast on ${path} (en)`);
  }
  await go(page, srv.url, '/reports');
  assert.equal(await text(page.locator('main h1')), 'Periodic reports');
  // With the keyboard: from the heading to the report, opened with Enter.
  await page.locator('main h1').focus();
  let name = '';
  for (let i = 0; i < 40 && !/^KRAT annual report/.test(name); i++) {
    await page.keyboard.press('Tab');
    name = await page.evaluate(() => document.activeElement.textContent.trim());
  }
  assert.match(name, /^KRAT annual report/);
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/reports\/\d+$/);
  await settled(page);
  assert.match(await main(), /REPUBLIC OF ALBANIA[\s\S]*Approved and delivered/);
  const outline = await page.evaluate(() => {
    document.querySelector('a[href$="/pdf?lang=en"]').focus();
    return getComputedStyle(document.activeElement).outlineStyle;
  });
  assert.equal(outline, 'solid', 'the focus is visible');
  await page.locator('.topbar button[lang="sq"]').click();
  await page.locator('main h1', { hasText: 'Raporti vjetor' }).waitFor();
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
    await login(m, srv.url, 'ministry.monitor');
    for (const [, path] of data.monitorPaths) {
      await go(m, srv.url, path);
      const over = await m.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(over <= 0, `${path} is wider than the phone by ${over}px`);
    }
  } finally {
    await phone.close();
  }
});

test('no script errors', () => {
  assert.deepEqual(b.errors.filter((e) => !/status of (401|404|409)/.test(e)), []);
});
