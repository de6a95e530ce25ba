// `make screens`: screenshots of every screen into web/help/screens/, at 1366×768 (the office
// screen) and, for the main ones, at a phone's size. Runs a real nrm serve on a demo database.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, repo } from './lib/server.mjs';
import { launch, go, login, logout, settled, PHONE } from './lib/browser.mjs';
import { screenPaths, caseScreens, meetingScreens, preventionScreens } from './lib/screens.mjs';
import { importCases, YEAR } from './lib/figures.mjs';

const out = process.env.SCREENS_OUT || join(repo, 'web/help/screens');
mkdirSync(out, { recursive: true });
const written = [];

async function shot(page, name) {
  await page.evaluate(() => document.activeElement?.blur());
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(out, `${name}.png`) });
  written.push(`${name}.png`);
}

// One part of the page (a section, a dialog) rather than the screen.
async function shotOf(page, locator, name) {
  await page.evaluate(() => document.activeElement?.blur());
  await page.mouse.move(0, 0);
  await locator.screenshot({ path: join(out, `${name}.png`) });
  written.push(`${name}.png`);
}

const visit = go;

const srv = await startServer();
const desk = await launch();
const phone = await launch({ viewport: PHONE });
try {
  const p = desk.page;
  const cases = await caseScreens(srv);
  const meetings = await meetingScreens(srv);
  const prevention = await preventionScreens(srv);
  importCases(srv);
  await visit(p, srv.url, '/login');
  await shot(p, 'login');

  // Every screen, as the administrator (who may open them all).
  await login(p, srv.url, 'admin');
  const paths = await screenPaths(p);
  for (const [name, path] of paths) {
    await visit(p, srv.url, path);
    await shot(p, name);
  }
  await logout(p);

  // The main ones as the people who use them: Fier's secretariat...
  await login(p, srv.url, 'fier.secretariat');
  const byName = Object.fromEntries(paths);
  for (const name of ['county', 'body', 'seat-nominate', 'agreements-county']) {
    await visit(p, srv.url, byName[name]);
    await shot(p, name);
  }
  await visit(p, srv.url, byName.body);
  await p.getByRole('button', { name: 'English' }).click();
  await p.waitForFunction(() => document.documentElement.lang === 'en');
  await settled(p);
  await shot(p, 'body-en');
  await visit(p, srv.url, byName['seat-nominate']);
  await shot(p, 'seat-nominate-en');
  await p.getByRole('button', { name: 'Shqip' }).click();
  await p.waitForFunction(() => document.documentElement.lang === 'sq');
  await settled(p);
  await visit(p, srv.url, byName['seat-nominate']);
  await p.getByLabel('Emri dhe mbiemri').fill('Drita Kodra');
  await p.getByLabel(/^Pozicioni/).fill('Specialiste e migracionit');
  await p.getByRole('button', { name: 'Regjistro emërimin' }).click();
  await p.locator('#flash .notice').waitFor();
  await shot(p, 'seat-nominated');
  await visit(p, srv.url, byName.seat);
  await p.getByRole('button', { name: 'Përfundo anëtarësinë' }).click();
  await p.locator('dialog[open]').waitFor();
  await p.screenshot({ path: join(out, 'membership-end-dialog.png') });
  written.push('membership-end-dialog.png');
  await p.keyboard.press('Escape');
  await logout(p);

  // ...Fier's Technical Table: its meetings, a meeting's page with the attendance sheet and the
  // quorum, the scheduling form, and the minutes to print;
  await login(p, srv.url, 'fier.secretariat');
  for (const [name, path] of meetings.paths) {
    await visit(p, srv.url, path);
    await shot(p, name);
  }
  await visit(p, srv.url, `/meetings/${meetings.next}`);
  await shotOf(p, p.locator('section', { has: p.getByRole('heading', { name: 'Pjesëmarrja' }) }), 'meeting-attendance');
  await visit(p, srv.url, `/meetings/${meetings.first}`);
  await p.getByRole('button', { name: 'Regjistro një vendim' }).click();
  await p.locator('dialog[open]').waitFor();
  await p.getByRole('button', { name: 'Shto një detyrë' }).click();
  await p.screenshot({ path: join(out, 'decision-dialog.png') });
  written.push('decision-dialog.png');
  await p.keyboard.press('Escape');
  await visit(p, srv.url, `/meetings/${meetings.first}/minutes`);
  await p.emulateMedia({ media: 'print' });
  await p.screenshot({ path: join(out, 'minutes-print.png'), fullPage: true });
  written.push('minutes-print.png');
  await p.emulateMedia({ media: 'screen' });
  await logout(p);
  await login(p, srv.url, 'fier.caseworker');
  for (const [name, path] of meetings.caseworkerPaths) {
    await visit(p, srv.url, path);
    await shot(p, name);
  }
  await logout(p);

  // The registers of prevention and cooperation: Fier's police with its child at risk (the name
  // shown after a reason), Fier's secretariat with the quarter's figures, a campaign and its
  // activity, the emergency plan overdue for review, a training, the KRAT's members' training
  // and a certificate to print; the Ministry's monitor with the counts of people at risk hidden.
  await login(p, srv.url, 'fier.caseworker');
  for (const [name, path] of prevention.caseworkerPaths) {
    await visit(p, srv.url, path);
    await shot(p, name);
  }
  await visit(p, srv.url, `/registers/at_risk/${prevention.risk}`);
  await p.getByRole('button', { name: 'Shfaq të dhënat personale' }).click();
  await p.locator('dialog[open] input[name="purpose"]').first().check();
  await p.locator('dialog[open] textarea').fill('Ndjekja e masës mbrojtëse');
  await p.locator('dialog[open] button[type="submit"]').click();
  await p.locator('[data-field="first_name"] dd', { hasText: 'Arta' }).waitFor();
  await shotOf(p, p.locator('section', { has: p.getByRole('heading', { name: 'Të dhënat e regjistrimit' }) }), 'entry-at-risk-personal');
  await logout(p);
  await login(p, srv.url, 'fier.secretariat');
  for (const [name, path] of prevention.paths) {
    await visit(p, srv.url, path);
    await shot(p, name);
  }
  await visit(p, srv.url, `/trainings/${prevention.training}/certificate/0`);
  await p.emulateMedia({ media: 'print' });
  await p.screenshot({ path: join(out, 'certificate-print.png'), fullPage: true });
  written.push('certificate-print.png');
  await p.emulateMedia({ media: 'screen' });
  await logout(p);
  await login(p, srv.url, 'ministry.monitor');
  for (const [name, path] of prevention.monitorPaths) {
    await visit(p, srv.url, path);
    await shot(p, name);
  }
  await logout(p);

  // ...and the Ministry's monitor, who sees figures of cases, never cases: those of last year,
  // small counts hidden ("c").
  await login(p, srv.url, 'ministry.monitor');
  await visit(p, srv.url, '/overview');
  await shot(p, 'overview');
  await visit(p, srv.url, '/figures');
  await shot(p, 'figures');
  await visit(p, srv.url, '/figures?view=tables&table=by_county');
  await shot(p, 'figures-table-monitor');
  await logout(p);
  // The Authority's figures: the national table, a two-way table, and a month.
  await login(p, srv.url, 'authority.chair');
  await visit(p, srv.url, '/figures?view=tables');
  await shot(p, 'figures-table');
  await visit(p, srv.url, '/figures?view=twoway&cols=county');
  await shot(p, 'figures-twoway');
  await visit(p, srv.url, `/figures?period=${YEAR}-09`);
  await p.selectOption('#fg-kind', 'range');
  await shot(p, 'figures-range');
  await logout(p);

  // The case registry as Fier's police case worker uses it...
  await login(p, srv.url, 'fier.caseworker');
  await shot(p, 'cases');
  await visit(p, srv.url, '/cases/new');
  await shot(p, 'case-new');
  await p.locator('[name="prs_FirstName"]').fill('Mira');
  await p.locator('[name="prs_SecondName"]').fill('Deda');
  await p.locator('[name="prs_Birthdate"]').fill('12.03.2010');
  await p.locator('[data-top="al_indicators_a"] input[value="A01"]').check();
  await p.locator('[data-top="al_indicators_c"] input[value="C02"]').check();
  await p.evaluate(() => {
    document.querySelector('.screening').scrollIntoView({ block: 'end' });
    window.scrollBy(0, 24);
  });
  await p.screenshot({ path: join(out, 'case-new-screening.png') });
  written.push('case-new-screening.png');
  await visit(p, srv.url, `/cases/${cases.girl}`);
  // The form half filled asks before it is left (its draft is kept): left without saving.
  const leave = p.getByRole('button', { name: 'Largohuni pa ruajtur' });
  if (await leave.isVisible()) {
    await leave.click();
    await settled(p);
  }
  await shot(p, 'case');
  await shotOf(p, p.locator('section', { has: p.getByRole('heading', { name: 'Kronologjia' }) }), 'case-timeline');
  await p.getByRole('button', { name: 'Kalo në: Mbrojtja' }).click();
  await p.locator('dialog[open]').waitFor();
  await p.screenshot({ path: join(out, 'case-transition.png') });
  written.push('case-transition.png');
  await p.keyboard.press('Escape');
  await p.getByRole('button', { name: 'Shfaq të dhënat personale' }).click();
  await p.locator('dialog[open] input[name="purpose"]').first().check();
  await p.locator('dialog[open] textarea').fill('Përgatitja e planit të mbrojtjes');
  await p.screenshot({ path: join(out, 'case-personal-reason.png') });
  written.push('case-personal-reason.png');
  await p.locator('dialog[open] button[type="submit"]').click();
  await p.locator('[data-field="prs_FirstName"] dd', { hasText: 'Elona' }).waitFor();
  await shotOf(p, p.locator('section', { has: p.getByRole('heading', { name: 'Të dhënat e rastit' }) }), 'case-personal');
  await p.getByRole('button', { name: 'Fshih të dhënat personale' }).click();
  await p.getByRole('button', { name: 'English' }).click();
  await p.waitForFunction(() => document.documentElement.lang === 'en');
  await settled(p);
  await shot(p, 'case-en');
  await p.getByRole('button', { name: 'Shqip' }).click();
  await p.waitForFunction(() => document.documentElement.lang === 'sq');
  await settled(p);
  await logout(p);

  // ...the NGO shelter that receives a referral, the Authority's duplicates queue, and what a
  // KRAT member sees of a case.
  await login(p, srv.url, 'tirane.ngo');
  await visit(p, srv.url, '/referrals');
  await shot(p, 'referrals');
  await logout(p);
  await login(p, srv.url, 'authority.member');
  await visit(p, srv.url, '/duplicates');
  await shot(p, 'duplicates');
  await logout(p);
  await login(p, srv.url, 'fier.krat');
  await visit(p, srv.url, `/cases/${cases.girl}`);
  await shot(p, 'case-krat');
  await logout(p);

  // On a phone.
  const m = phone.page;
  await visit(m, srv.url, '/login');
  await shot(m, 'login-phone');
  await login(m, srv.url, 'fier.secretariat');
  await shot(m, 'county-phone');
  await visit(m, srv.url, byName.body);
  await shot(m, 'body-phone');
  await m.getByRole('button', { name: 'Menuja' }).click();
  await shot(m, 'menu-phone');
  await visit(m, srv.url, byName['seat-nominate']);
  await shot(m, 'seat-nominate-phone');
  await logout(m);
  await login(m, srv.url, 'fier.caseworker');
  await visit(m, srv.url, `/cases/${cases.girl}`);
  await shot(m, 'case-phone');
  const files = [...new Set(written)].sort();
  console.log(`web/help/screens: ${files.length} screenshots\n  ${files.join("\n  ")}`);
} finally {
  await desk.close();
  await phone.close();
  await srv.stop();
}
