// The registers of prevention and cooperation in the browser, each drawn from its definition in
// data/registers/: Fier's police case worker records a child at risk (two risk factors, a
// protective action decided by Fier's Technical Table), whose name shows only after a purpose and a reason;
// Fier's secretariat sees the entry without any name and cannot open the personal data; the case
// worker turns the entry into a case through the new-case screen and lands on the case, which
// links back. Fier's secretariat records an awareness activity with its participants by sex and
// age group, and the figures of the quarter add them up. The Ministry's monitor records a
// national training with a member of Fier's KRAT; the KRAT's training page lists who was trained
// and who never was, and the certificate prints on A4. The monitor's figures of people at risk
// are hidden as "c". A marker name planted in the at-risk entry never reaches a page of someone
// who may not see it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, go, login, logout, settled, pageApi, notice, tiraneDay, PHONE } from './lib/browser.mjs';
import { contrastFailures } from './lib/contrast.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';
import { apiAs, repo } from './lib/server.mjs';

const MARKER = 'MARKERZANA';
// Everything happens in the last quarter that has ended (the one the figures show first, and
// one whose figures may leave the county): QUARTER, its year Y and number Q.
const today = tiraneDay(0);
const NOW = Math.floor((Number(today.iso.slice(5, 7)) - 1) / 3) + 1;
const Y = NOW === 1 ? Number(today.iso.slice(0, 4)) - 1 : Number(today.iso.slice(0, 4));
const Q = NOW === 1 ? 4 : NOW - 1;
const QUARTER = `${Y}Q${Q}`;
const OPEN = `${today.iso.slice(0, 4)}Q${NOW}`; // this quarter: not ended
const BEFORE = Q === 1 ? `${Y - 1}Q4` : `${Y}Q${Q - 1}`;
const ORDINAL = { 1: 'parë', 2: 'dytë', 3: 'tretë', 4: 'katërt' };
const pad = (n) => String(n).padStart(2, '0');
// A day of the quarter: its month (1, 2, 3) and day, as typed (dd.mm.yyyy) and as a pattern.
const qday = (month, d) => `${pad(d)}.${pad(3 * Q - 3 + month)}.${Y}`;
const qre = (month, d) => qday(month, d).replace(/\./g, '\\.');
const FIRST = qday(1, 1);
const LAST = `${pad(new Date(Date.UTC(Y, 3 * Q, 0)).getUTCDate())}.${pad(3 * Q)}.${Y}`;
let srv, b, page;
let table; // Fier's Technical Table
let krat; // Fier's KRAT
let member; // a member of Fier's KRAT: {person, name, seat}
let others; // the KRAT's other members
let entry; // the at-risk entry's code
let caseCode; // the case it became
let activity; // the awareness activity's code
let training; // the training's code

before(async () => {
  ({ srv, b, page } = await openSuite());
  const monitor = await apiAs(srv, 'ministry.monitor');
  table = (await monitor.get('/bodies?kind=technical_table&county=fier')).items[0].id;
  krat = (await monitor.get('/bodies?kind=krat&county=fier')).items[0].id;
  const seats = (await monitor.get(`/bodies/${krat}`)).seats.filter((s) => s.member);
  const m = seats.find((s) => s.member.person) || seats[0];
  member = { person: m.member.person, name: m.member.name, seat: m.id };
  others = seats.filter((s) => s !== m).map((s) => s.member.name);
  assert.ok(others.length > 0, 'the KRAT has other members');
});
after(() => closeSuite({ b, srv }));

const text = (loc) => loc.innerText();
const main = () => text(page.locator('main'));
const field = (name) => page.locator(`[data-top="${name}"]`);
const dlg = () => page.locator('dialog[open]');
// The Albanian label of a code, as data/codes has it.
const codes = {};
function label(list, code) {
  codes[list] ||= JSON.parse(readFileSync(join(repo, 'data/codes', `${list}.json`), 'utf8')).items;
  return codes[list].find((i) => i.code === code).label.sq;
}
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Every page a user sees, its text and the values of its controls, free of the marker.
async function noMarker(who) {
  const seen = await page.evaluate(() => [document.body.innerText,
    ...[...document.querySelectorAll('input, textarea, select')].map((e) => e.value)].join('\n'));
  assert.doesNotMatch(seen, new RegExp(MARKER, 'i'), `${who} sees the marker on ${page.url()}`);
}

test("fier.caseworker records an at-risk child with two risk factors and a protective action decided by Fier's Technical Table", async () => {
  await login(page, srv.url, 'fier.caseworker');
  await page.locator('nav.menu').getByRole('link', { name: 'Parandalimi' }).click();
  await settled(page);
  assert.equal(await text(page.locator('main h1')), 'Parandalimi dhe bashkëpunimi');
  // A case worker records people at risk only, and sees no figures.
  assert.equal(await page.getByRole('link', { name: /^Regjistrim i ri/ }).count(), 1);
  assert.equal(await page.locator('.figure-block').count(), 0);
  await page.getByRole('link', { name: 'Regjistrim i ri: Persona në rrezik' }).click();
  await settled(page);
  assert.equal(await text(page.locator('main h1')), 'Regjistrim i ri — Persona në rrezik');
  // Drawn from the definition: its sections, personal fields marked, required ones without "optional".
  assert.match(await main(), /Gjetja[\s\S]*Të dhënat personale[\s\S]*Masat mbrojtëse/);
  assert.match(await text(field('first_name').locator('label')), /Emri[\s\S]*të dhëna personale/);
  assert.doesNotMatch(await text(field('subject').locator('label')), /opsionale|të dhëna personale/);
  assert.match(await text(field('group_size').locator('label')), /opsionale/);
  assert.equal(await page.locator('[name="county"]').inputValue(), 'fier', 'the county is the user\'s');

  // Nothing filled in: what is missing is said before anything is sent.
  await page.getByRole('button', { name: 'Ruaj regjistrimin' }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(page.locator('.error-summary')), /Plotësoni fushën „Kush është në rrezik”/);
  assert.equal(await page.locator('[name="subject"]').getAttribute('aria-invalid'), 'true');

  await page.locator('[name="subject"]').selectOption('person');
  // A person's first name becomes required (required_when), a group's size does not.
  assert.doesNotMatch(await text(field('first_name').locator('label')), /opsionale/);
  await page.locator('[name="child"]').selectOption('true');
  await page.locator('[name="found_on"]').fill(qday(2, 10));
  await page.locator('[name="found_by"]').selectOption({ label: 'Tryeza Teknike Antitrafikim — Fier' });
  const municipalities = await page.locator('[name="municipality"] option').allInnerTexts();
  assert.ok(municipalities.includes('Divjakë') && !municipalities.includes('Vlorë'), "only Fier's municipalities");
  await page.locator('[name="municipality"]').selectOption('fier');
  await field('risk_factors').getByLabel(label('risk_factors', 'school_dropout')).check();
  await field('risk_factors').getByLabel(label('risk_factors', 'child_labour')).check();
  await page.locator('[name="status"]').selectOption('open');
  await page.locator('[name="first_name"]').fill(MARKER);
  await page.locator('[name="last_name"]').fill('Dervishi');
  await page.locator('[name="birth_date"]').fill(`04.03.${Y - 14}`);
  await page.locator('[name="sex"]').selectOption('Feminine');
  await page.locator('[name="situation"]').fill('Ka braktisur shkollën dhe punon në treg me të atin.');

  await page.getByRole('button', { name: 'Shto: Masat' }).click();
  const row = field('actions').locator('.group-row').first();
  await row.getByLabel('Masa', { exact: true }).selectOption('school_reintegration');
  // A row half filled: its missing sub-field is named, in the row.
  await page.getByRole('button', { name: 'Ruaj regjistrimin' }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(page.locator('.error-summary')), /Plotësoni fushën „Masat 1: Vendosur nga \(organi\)”/);
  assert.equal(await row.getByLabel(/^Vendosur nga \(organi\)/).getAttribute('aria-invalid'), 'true');
  await row.getByLabel(/^Vendosur nga \(organi\)/).selectOption({ label: 'Tryeza Teknike Antitrafikim — Fier' });
  await row.getByLabel(/^Data e vendimit/).fill(qday(2, 12));
  await row.getByLabel(/^Institucioni përgjegjës/).selectOption({ label: 'Drejtoria Rajonale e Arsimit Parauniversitar Fier' });
  await row.getByLabel(/^Ecuria/).selectOption('planned');

  // The server's refusal that names a sub-field ("actions.0.decided_by") lands on it, in words.
  await page.route('**/api/v1/registers/at_risk/entries', (route) => route.fulfill({
    status: 400, contentType: 'application/json',
    body: JSON.stringify({ error: { code: 'invalid', key: 'reference_other_county', field: 'actions.0.decided_by', params: { kind: 'body' },
      message: 'actions.0.decided_by: that body belongs to another county' } }),
  }), { times: 1 });
  await page.getByRole('button', { name: 'Ruaj regjistrimin' }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(page.locator('.error-summary')), /Vlera në fushën „Vendosur nga \(organi\)” i përket një qarku tjetër \(organi\)\./);
  assert.equal(await row.getByLabel(/^Vendosur nga \(organi\)/).getAttribute('aria-invalid'), 'true');

  await page.getByRole('button', { name: 'Ruaj regjistrimin' }).click();
  const msg = await notice(page, /Regjistrimi \S+ u ruajt\./);
  entry = /Regjistrimi (\S+) u ruajt/.exec(msg)[1];
  assert.match(entry, new RegExp(`^RR-FR-${Y}-\\d{4}$`));
  assert.equal(await text(page.locator('main h1')), entry);
  // The name stays hidden until a reason is given.
  const m = await main();
  assert.doesNotMatch(m, new RegExp(MARKER));
  assert.match(await text(page.locator('[data-field="first_name"]')), /Emri[\s\S]*të dhëna personale[\s\S]*e fshehur/);
  assert.match(await text(page.locator('[data-field="risk_factors"]')), new RegExp(`${label('risk_factors', 'school_dropout')}[\\s\\S]*${label('risk_factors', 'child_labour')}`));
  assert.match(await text(page.locator('[data-field="found_by"]')), /Tryeza Teknike Antitrafikim — Fier/);
  assert.match(await text(page.locator('[data-field="actions"]')), new RegExp(`Rikthim në shkollë[\\s\\S]*Tryeza Teknike Antitrafikim — Fier[\\s\\S]*${qre(2, 12)}[\\s\\S]*Drejtoria Rajonale e Arsimit Parauniversitar Fier[\\s\\S]*E planifikuar`));
  assert.match(m, /Institucioni që e mban\s*Drejtoria Vendore e Policisë Fier/);
  await page.getByRole('button', { name: 'Shfaq të dhënat personale' }).click();
  await dlg().waitFor();
  assert.match(await text(dlg()), /Të dhënat personale të regjistrimit/);
  // A purpose and a reason are required, as for a case: the reason of at least 10 characters,
  // counted as one types; a shorter one is refused by the dialog and by the server.
  await dlg().getByRole('button', { name: 'Shfaq të dhënat personale' }).click();
  await dlg().locator('.error-summary:not([hidden])').waitFor();
  assert.ok(await dlg().locator('input[name="purpose"]').count() >= 2, 'a list of purposes');
  assert.match(await text(dlg()), /Të paktën 10 shenja/);
  await dlg().locator('input[name="purpose"][value="case_work"]').check();
  await dlg().getByLabel(/^Pse ju duhen/).fill('Ndjekja');
  assert.match(await text(dlg().locator('.char-count')), /7 shenja nga të paktën 10/);
  await dlg().getByRole('button', { name: 'Shfaq të dhënat personale' }).click();
  await dlg().locator('.error-summary:not([hidden])', { hasText: /të paktën 10 shenja/ }).waitFor();
  const short = await pageApi(page, 'POST', `/registers/at_risk/entries/${entry}/personal`, { purpose: 'case_work', reason: 'Ndjekja' });
  assert.equal(short.status, 400, 'the server refuses a short reason too');
  assert.doesNotMatch(JSON.stringify(short.body), new RegExp(MARKER));
  await dlg().getByLabel(/^Pse ju duhen/).fill('Ndjekja e masës mbrojtëse');
  await dlg().getByRole('button', { name: 'Shfaq të dhënat personale' }).click();
  await page.locator('[data-field="first_name"] dd', { hasText: MARKER }).waitFor();
  assert.match(await text(page.locator('[data-field="situation"]')), /braktisur shkollën/);
  assert.match(await text(page.locator('.personal-status')), /Leximi u regjistrua/);
  await page.getByRole('button', { name: 'Fshih të dhënat personale' }).click();
  assert.doesNotMatch(await main(), new RegExp(MARKER));
  // In the register's list: no name, the risk factors by their labels.
  await page.getByRole('link', { name: 'Persona në rrezik' }).first().click();
  await settled(page);
  assert.match(await text(page.locator('table.data tbody')), new RegExp(`${entry}[\\s\\S]*Person[\\s\\S]*Po[\\s\\S]*${qre(2, 10)}[\\s\\S]*Braktisje e shkollës, Punë e fëmijëve[\\s\\S]*Në ndjekje`));
  await noMarker('fier.caseworker on the list');
  await logout(page);
});

test('fier.secretariat sees the at-risk entry without any name and cannot open its personal data', async () => {
  await login(page, srv.url, 'fier.secretariat');
  await go(page, srv.url, '/registers/at_risk');
  assert.match(await text(page.locator('table.data tbody')), new RegExp(entry));
  assert.equal(await page.getByRole('link', { name: 'Regjistrim i ri' }).count(), 0, 'the secretariat does not record people at risk');
  await noMarker('fier.secretariat');
  await page.getByRole('link', { name: entry }).click();
  await settled(page);
  assert.match(await text(page.locator('[data-field="first_name"]')), /e fshehur/);
  assert.equal(await page.getByRole('button', { name: 'Shfaq të dhënat personale' }).count(), 0);
  assert.equal(await page.getByRole('link', { name: 'Ndrysho' }).count(), 0);
  assert.match(await main(), /i sheh vetëm institucioni që e mban \(Drejtoria Vendore e Policisë Fier\)/);
  await noMarker('fier.secretariat');
  // Asked for all the same, the server refuses.
  const forged = await pageApi(page, 'POST', `/registers/at_risk/entries/${entry}/personal`, { reason: 'Kureshtje' });
  assert.equal(forged.status, 403);
  assert.equal(forged.body.error.key, 'entry_by_holder');
  // The export holds no personal field.
  const csv = await page.evaluate(async () => {
    const a = [...document.querySelectorAll('a[download]')];
    return a.length;
  });
  assert.equal(csv, 0, 'no export links on an entry');
  await go(page, srv.url, '/registers/at_risk');
  const href = await page.getByRole('link', { name: 'Shkarko CSV' }).getAttribute('href');
  assert.match(href, /^\/api\/v1\/registers\/at_risk\/export\?format=csv/);
  const file = await page.evaluate(async (u) => (await fetch(u)).text(), href);
  assert.match(file, new RegExp(entry));
  assert.doesNotMatch(file, new RegExp(`${MARKER}|Dervishi|braktisur`, 'i'));
  assert.match(await page.getByRole('link', { name: 'Shkarko XLSX' }).getAttribute('href'), /format=xlsx/);
  await logout(page);
});

test('the case worker turns the entry into a case through the new-case screen and lands on the case, which links back', async () => {
  await login(page, srv.url, 'fier.caseworker');
  await go(page, srv.url, `/registers/at_risk/${entry}`);
  await page.getByRole('link', { name: 'Bëje rast (VMT)' }).click();
  await settled(page);
  assert.equal(await text(page.locator('main h1')), `Bëje rast regjistrimin ${entry}`);
  // The banner names what the case takes from the entry; the form does not ask for it again.
  const banner = await text(page.locator('.from-entry'));
  assert.match(banner, /Nga regjistrimi merren: Emri, Mbiemri, Datëlindja, Gjinia, Qarku i identifikimit, Bashkia e identifikimit\./);
  for (const n of ['prs_FirstName', 'prs_SecondName', 'prs_Birthdate', 'prs_Gender', 'al_county', 'al_municipality']) {
    assert.equal(await field(n).count(), 0, `${n} is taken from the entry`);
  }
  assert.match(await text(page.locator('.age-line')), /Sipas regjistrimit, personi është fëmijë/);
  await noMarker('fier.caseworker on the new-case screen');
  await page.locator('[name="al_identification_method"]').selectOption('police');
  await field('al_indicators_a').locator('input[value="A01"]').check();
  await field('al_indicators_c').locator('input[value="C01"]').check();
  // The screening follows the rule for a child (A and C).
  assert.match(await text(page.locator('.screening')), /Për një fëmijë[\s\S]*Treguesit e zgjedhur e plotësojnë këtë rregull/);
  await page.getByRole('button', { name: 'Hap rastin' }).click();
  await dlg().waitFor();
  assert.match(await text(dlg()), /kopjohen në rast/);
  await dlg().getByLabel(/Pse ju duhen/).fill('Shenja trafikimi gjatë ndjekjes');
  await dlg().getByRole('button', { name: 'Hap rastin' }).click();
  const msg = await notice(page, /u hap nga regjistrimi/);
  caseCode = /Rasti (\S+) u hap/.exec(msg)[1];
  assert.match(caseCode, new RegExp(`^FR-${today.iso.slice(0, 4)}-\\d{4}$`));
  assert.match(page.url(), new RegExp(`/cases/${caseCode}$`));
  assert.match(await text(page.locator('.case-tags')), /Identifikimi fillestar[\s\S]*Fëmijë/);
  // The case holds the person's data copied from the entry, behind a reason as always.
  await page.getByRole('button', { name: 'Shfaq të dhënat personale' }).click();
  await dlg().locator('input[name="purpose"][value="case_work"]').check();
  await dlg().getByLabel(/Pse ju duhen/).fill('Kontroll i rastit të ri');
  await dlg().getByRole('button', { name: 'Shfaq të dhënat personale' }).click();
  await page.locator('[data-field="prs_FirstName"] dd', { hasText: MARKER }).waitFor();
  assert.match(await text(page.locator('[data-field="prs_SecondName"] dd')), /Dervishi/);
  // And links back to the entry, which now names the case and is kept as it was.
  const back = page.locator('main .facts').getByRole('link', { name: entry });
  assert.equal(await back.getAttribute('href'), `/registers/at_risk/${entry}`);
  await back.click();
  await settled(page);
  assert.match(await text(page.locator('.case-tags')), /U bë rast/);
  assert.equal(await page.locator('main .facts').getByRole('link', { name: caseCode }).getAttribute('href'), `/cases/${caseCode}`);
  assert.equal(await page.getByRole('link', { name: 'Bëje rast (VMT)' }).count(), 0);
  assert.equal(await page.getByRole('link', { name: 'Ndrysho' }).count(), 0, 'kept as it was');
  assert.match(await text(page.locator('[data-field="status"]')), /U bë rast/);
  assert.match(await text(page.locator('.timeline')), /U bë rast nga fier\.caseworker[\s\S]*U bë rasti/);
  await logout(page);
  // Fier's secretariat: the entry became a case, by code only, still without a name.
  await login(page, srv.url, 'fier.secretariat');
  await go(page, srv.url, `/registers/at_risk/${entry}`);
  assert.match(await main(), /Ky regjistrim u bë rast i Bazës Kombëtare të të Dhënave/);
  await noMarker('fier.secretariat');
  await go(page, srv.url, `/cases/${caseCode}`);
  await noMarker('fier.secretariat on the case');
  assert.equal(await page.locator('main .facts').getByRole('link', { name: entry }).count(), 0, 'the link back is for full readers');
  await logout(page);
});

test('fier.secretariat records an awareness activity with participants by sex and age group, and the figures of the quarter add them up', async () => {
  await login(page, srv.url, 'fier.secretariat');
  await page.locator('nav.menu').getByRole('link', { name: 'Parandalimi' }).click();
  await settled(page);
  await page.getByRole('link', { name: 'Regjistrim i ri: Veprimtaritë e ndërgjegjësimit' }).click();
  await settled(page);
  await page.locator('[name="title"]').fill('Takim me nxënësit e shkollës “Çajupi”');
  await page.locator('[name="activity"]').selectOption('school_session');
  await page.locator('[name="day"]').fill(qday(3, 15));
  await page.locator('[name="municipality"]').selectOption('lushnje');
  await page.locator('[name="place"]').fill('Shkolla 9-vjeçare “Çajupi”, Lushnjë');
  await page.locator('[name="organiser"]').selectOption({ label: 'Drejtoria Rajonale e Arsimit Parauniversitar Fier' });
  await field('audience').getByLabel(label('awareness_audience', 'pupils'), { exact: true }).check();
  await field('audience').getByLabel(label('awareness_audience', 'teachers'), { exact: true }).check();
  const reach = [['female', '14_17', 40], ['male', '14_17', 35], ['female', '25_64', 6]];
  for (const [i, [sex, age, n]] of reach.entries()) {
    await page.getByRole('button', { name: 'Shto: Pjesëmarrësit' }).click();
    const r = field('reach').locator('.group-row').nth(i);
    await r.getByLabel('Gjinia', { exact: true }).selectOption(sex);
    await r.getByLabel('Grupmosha', { exact: true }).selectOption(age);
    await r.getByLabel('Numri', { exact: true }).fill(String(n));
  }
  // A row added by mistake is removed again.
  await page.getByRole('button', { name: 'Shto: Pjesëmarrësit' }).click();
  assert.equal(await field('reach').locator('.group-row').count(), 4);
  await page.getByRole('button', { name: 'Hiq Pjesëmarrësit 4' }).click();
  assert.equal(await field('reach').locator('.group-row').count(), 3);
  await page.getByRole('button', { name: 'Ruaj regjistrimin' }).click();
  const msg = await notice(page, /Regjistrimi \S+ u ruajt\./);
  activity = /Regjistrimi (\S+) u ruajt/.exec(msg)[1];
  assert.match(activity, new RegExp(`^ND-FR-${Y}-\\d{4}$`));
  const shown = await text(page.locator('[data-field="reach"]'));
  assert.match(shown, /Femra\s+14–17 vjeç\s+40/);
  assert.match(shown, /Meshkuj\s+14–17 vjeç\s+35/);
  assert.match(await text(page.locator('[data-field="audience"]')), /Nxënës[\s\S]*Mësues/);

  // The figures of the third quarter (the last one ended, offered first).
  await page.getByRole('link', { name: 'Parandalimi dhe bashkëpunimi' }).click();
  await settled(page);
  assert.equal(await page.locator('#pv-period').inputValue(), QUARTER);
  assert.ok((await main()).includes(`Tremujori i ${ORDINAL[Q]} i vitit ${Y} (${FIRST} – ${LAST}) · Fier`));
  const block = page.locator('.figure-block[data-register="awareness"]');
  assert.match(await text(block.locator('[data-figure="activities"]')), /Veprimtari\s+1/);
  const bySex = await text(block.locator('[data-figure="reach"]'));
  assert.match(bySex, /Femra\s+46/);
  assert.match(bySex, /Meshkuj\s+35/);
  assert.match(bySex, /Gjithsej\s+81/);
  const byAge = await text(block.locator('[data-figure="reach_age"]'));
  assert.match(byAge, /14–17 vjeç\s+75/);
  assert.match(byAge, /25–64 vjeç\s+6/);
  // The county's own figures of people at risk are not hidden from its secretariat.
  assert.match(await text(page.locator('.figure-block[data-register="at_risk"] [data-figure="found"]')), /Regjistruar në periudhë\s+1/);
  assert.match(await text(page.locator('.figure-block[data-register="at_risk"] [data-figure="by_factor"]')), /Braktisje e shkollës\s+1[\s\S]*Punë e fëmijëve\s+1/);
  // Another quarter: nothing in it.
  await page.locator('#pv-period').selectOption(BEFORE);
  await page.getByRole('button', { name: 'Shfaq' }).click();
  await settled(page);
  assert.match(page.url(), new RegExp(`period=${BEFORE}`));
  assert.match(await text(block.locator('[data-figure="activities"]')), /Veprimtari\s+0/);
  await noMarker('fier.secretariat on the figures');
  await logout(page);
});

test("ministry.monitor records a national training with a member of Fier's KRAT, whose training page lists who was trained and who never was", async () => {
  await login(page, srv.url, 'ministry.monitor');
  await page.locator('nav.menu').getByRole('link', { name: 'Parandalimi' }).click();
  await settled(page);
  // The monitor does not read people at risk.
  assert.doesNotMatch(await text(page.locator('.register-cards')), /Persona në rrezik/);
  await page.getByRole('link', { name: 'Regjistrim i ri: Trajnimet dhe shkëmbimet e përvojës' }).click();
  await settled(page);
  assert.equal(await page.locator('[name="county"]').inputValue(), '', 'national: no county');
  await page.locator('[name="title"]').fill('Identifikimi i hershëm i viktimave të trafikimit');
  await page.locator('[name="kind"]').selectOption('training');
  await field('topics').getByLabel(label('training_topic', 'identification')).check();
  await field('topics').getByLabel(label('training_topic', 'child_protection')).check();
  await page.locator('[name="organiser"]').selectOption('ministry_interior');
  await page.locator('[name="place"]').fill('Tiranë, Ministria e Brendshme');
  await page.locator('[name="start"]').fill(qday(3, 14));
  await page.locator('[name="end"]').fill(qday(3, 12));
  await page.locator('[name="hours"]').fill('12');
  await page.getByRole('button', { name: 'Shto: Pjesëmarrësit' }).click();
  const p1 = field('participants').locator('.group-row').nth(0);
  // A long list of persons: searched, then chosen.
  await p1.getByLabel(/^Kërko në listën „Personi/).fill(member.name);
  const persons = await p1.getByLabel(/^Personi/).locator('option').allInnerTexts();
  assert.ok(persons.length <= 3 && persons.some((o) => o.startsWith(`${member.name} — `)), `the search finds ${member.name}: ${persons}`);
  await p1.getByLabel(/^Personi/).selectOption(String(member.person));
  await p1.getByLabel('Gjinia', { exact: true }).selectOption('male');
  await p1.getByLabel(/^Certifikatë/).selectOption('true');
  await page.getByRole('button', { name: 'Shto: Pjesëmarrësit' }).click();
  const p2 = field('participants').locator('.group-row').nth(1);
  // Without a registered person, a name is needed (required_when).
  assert.doesNotMatch(await text(p2.locator('label', { hasText: /^Emri/ })), /opsionale/);
  await p2.getByLabel(/^Emri/).fill('Ana Lala');
  await p2.getByLabel('Gjinia', { exact: true }).selectOption('female');
  // The end before the start: the server's words, on the field it names.
  await page.getByRole('button', { name: 'Ruaj regjistrimin' }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(page.locator('.error-summary')), /Data në fushën „Mbarimi” nuk mund të jetë para datës në fushën „Fillimi”\./);
  assert.equal(await page.locator('[name="end"]').getAttribute('aria-invalid'), 'true');
  await page.locator('[name="end"]').fill(qday(3, 15));
  await page.getByRole('button', { name: 'Ruaj regjistrimin' }).click();
  const msg = await notice(page, /Regjistrimi \S+ u ruajt\./);
  training = /Regjistrimi (\S+) u ruajt/.exec(msg)[1];
  assert.match(training, new RegExp(`^TR-AL-${Y}-\\d{4}$`));
  assert.match(await text(page.locator('main .page-sub')), /Kombëtar/);
  const parts = await text(page.locator('[data-field="participants"]'));
  assert.match(parts, new RegExp(`${esc(member.name)}[\\s\\S]*Meshkuj[\\s\\S]*Certifikata[\\s\\S]*Ana Lala[\\s\\S]*Femra`));
  assert.equal(await page.locator('[data-field="participants"]').getByRole('link', { name: /^Certifikata/ }).count(), 1,
    'a certificate for the participant marked as earning one only');

  // The KRAT's members: the one trained, the others never.
  await go(page, srv.url, `/bodies/${krat}`);
  await page.getByRole('link', { name: 'Trajnimet e anëtarëve' }).click();
  await settled(page);
  assert.equal(await text(page.locator('main h1')), 'Trajnimet e anëtarëve — Komiteti Rajonal Antitrafikim — Fier');
  const row = page.locator('table.data tbody tr', { hasText: member.name });
  assert.match(await text(row), new RegExp(`1\\s+12\\s+${qre(3, 14)}`));
  const never = await text(page.locator('.never-trained'));
  assert.doesNotMatch(never, new RegExp(esc(member.name)));
  for (const name of others) assert.match(never, new RegExp(esc(name)));
  assert.match(await text(page.locator('.stats')), new RegExp(`Të trajnuar\\s+1[\\s\\S]*Pa asnjë trajnim\\s+${others.length}`));
  // The member's history, and the certificate.
  await row.getByRole('link', { name: new RegExp(`^${esc(member.name)}`) }).click();
  await settled(page);
  assert.equal(await text(page.locator('main h1')), `Trajnimet: ${member.name}`);
  assert.match(await text(page.locator('table.data tbody')), new RegExp(`Identifikimi i hershëm i viktimave të trafikimit[\\s\\S]*Trajnim[\\s\\S]*${qre(3, 14)} – ${qre(3, 15)}[\\s\\S]*12[\\s\\S]*Ministria e Brendshme`));
  await page.getByRole('link', { name: /^Certifikata/ }).click();
  await settled(page);
  const cert = await text(page.locator('.cert-doc'));
  assert.match(cert, /REPUBLIKA E SHQIPËRISË[\s\S]*MINISTRIA E BRENDSHME[\s\S]*CERTIFIKATË/);
  assert.match(cert, new RegExp(`Nr\\. ${training}/1[\\s\\S]*Vërtetohet se[\\s\\S]*${esc(member.name)}`));
  assert.match(cert, /„Identifikimi i hershëm i viktimave të trafikimit”/);
  assert.match(cert, new RegExp(`nga ${qre(3, 14)} deri më ${qre(3, 15)}[\\s\\S]*12 orë`));
  assert.equal(await page.getByRole('button', { name: 'Printo' }).count(), 1);
  // On paper only the certificate, on one A4 page.
  await page.emulateMedia({ media: 'print' });
  const shown = await page.evaluate(() => ['.topbar', '.menu', '.breadcrumbs', '.page-header', '.footer', '.cert-doc']
    .map((s) => [s, !!document.querySelector(s)?.getClientRects().length]));
  const pdf = await page.pdf({ format: 'A4' });
  await page.emulateMedia({ media: 'screen' });
  assert.deepEqual(Object.fromEntries(shown), { '.topbar': false, '.menu': false, '.breadcrumbs': false, '.page-header': false, '.footer': false, '.cert-doc': true });
  assert.equal((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length, 1, 'one A4 page');
  // The English copy.
  await page.getByRole('link', { name: 'Kopja në anglisht' }).click();
  await settled(page);
  assert.match(await text(page.locator('.cert-doc')), /REPUBLIC OF ALBANIA[\s\S]*CERTIFICATE[\s\S]*took part in the training[\s\S]*12 hours/);
  await logout(page);
});

test("the Ministry's monitor sees the figures of people at risk hidden as c, and nothing of the entry", async () => {
  await login(page, srv.url, 'ministry.monitor');
  await go(page, srv.url, '/prevention');
  assert.equal(await page.locator('#pv-period').inputValue(), QUARTER);
  const atRisk = page.locator('.figure-block[data-register="at_risk"]');
  const found = atRisk.locator('[data-figure="found"] td');
  assert.equal(await text(found.locator('.cell-hidden [aria-hidden="true"]')), 'c');
  assert.match(await text(found), /shifër e fshehur/);
  assert.match(await text(atRisk.locator('[data-figure="by_factor"]')), /Braktisje e shkollës\s+c(\s+shifër e fshehur)?/);
  assert.match(await main(), /c: shifër e fshehur për të mbrojtur personat[\s\S]*k = 5/);
  // Figures that are not about people are not hidden: the national training is counted.
  assert.match(await text(page.locator('.figure-block[data-register="trainings"] [data-figure="trainings"]')), /Trajnime\s+1/);
  assert.match(await text(page.locator('.figure-block[data-register="trainings"] [data-figure="hours"]')), /Orë trajnimi\s+12/);
  // A county chosen: still hidden.
  await page.locator('#pv-county').selectOption('fier');
  await page.getByRole('button', { name: 'Shfaq' }).click();
  await settled(page);
  assert.match(await main(), new RegExp(`Tremujori i ${ORDINAL[Q]} i vitit ${Y}[\\s\\S]*· Fier`));
  assert.equal(await text(atRisk.locator('[data-figure="found"] .cell-hidden [aria-hidden="true"]')), 'c');
  // A quarter that has not ended: the block is withheld, and why is said.
  await go(page, srv.url, `/prevention?period=${OPEN}`);
  assert.match(await text(atRisk), /nuk jepen për këtë periudhë[\s\S]*nuk ka mbaruar/);
  await noMarker('ministry.monitor');
  // The entry itself is not the monitor's to read.
  await go(page, srv.url, `/registers/at_risk/${entry}`);
  assert.equal(await text(page.locator('main h1')), 'Nuk keni leje');
  await noMarker('ministry.monitor');
  await logout(page);
});

test("fier.secretariat keeps Fier's emergency plan, overdue for review, and records an activation dealt with in an extraordinary meeting of the KRAT", async () => {
  const sec = await apiAs(srv, 'fier.secretariat');
  await sec.post(`/bodies/${krat}/meetings`, { date: `${Y}-${pad(3 * Q)}-10`, time: '10:00', location: 'Prefektura Fier' });
  await sec.post(`/bodies/${krat}/meetings`, { date: `${Y}-${pad(3 * Q)}-20`, kind: 'extraordinary', time: '16:00', location: 'Prefektura Fier', title: 'Grup fëmijësh të gjetur në port' });
  await login(page, srv.url, 'fier.secretariat');
  await go(page, srv.url, '/prevention');
  await page.getByRole('link', { name: 'Regjistrim i ri: Planet e emergjencës' }).click();
  await settled(page);
  await page.locator('[name="title"]').fill('Plani i emergjencës së Qarkut Fier');
  await page.locator('[name="adopted_on"]').fill(`01.01.${Y}`);
  await page.locator('[name="review_by"]').fill(qday(3, 25));
  // A repeating group that is required: said before anything is sent.
  await page.getByRole('button', { name: 'Ruaj regjistrimin' }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(page.locator('.error-summary')), /Plotësoni fushën „Kontaktet”[\s\S]*Plotësoni fushën „Hapat”/);
  await page.getByRole('button', { name: 'Shto: Kontaktet' }).click();
  const contact = field('contacts').locator('.group-row').first();
  await contact.getByLabel(/^Roli/).fill('Koordinatori i emergjencës');
  await contact.getByLabel(/^Telefoni/).fill('034 222 333');
  await contact.getByLabel(/^Institucioni/).selectOption({ label: 'Institucioni i Prefektit të Qarkut Fier' });
  await page.getByRole('button', { name: 'Shto: Hapat' }).click();
  const step = field('steps').locator('.group-row').first();
  await step.getByLabel(/^Hapi/).fill('Njoftohen anëtarët e KRAT-it dhe thirret mbledhja e jashtëzakonshme');
  await step.getByLabel(/^Përgjegjës/).selectOption({ label: 'Institucioni i Prefektit të Qarkut Fier' });
  await step.getByLabel(/^Brenda \(orë\)/).fill('24');
  await page.getByRole('button', { name: 'Ruaj regjistrimin' }).click();
  const msg = await notice(page, /Regjistrimi \S+ u ruajt\./);
  const plan = /Regjistrimi (\S+) u ruajt/.exec(msg)[1];
  // The review date passed: the plan says so, on its page and in the list.
  assert.match(await text(page.locator('.case-tags')), /Rishikimi i vonuar/);
  assert.match(await main(), new RegExp(`Rishikohet deri më\\s*${qre(3, 25)}\\s*Rishikimi i vonuar`));
  assert.match(await text(page.locator('[data-field="steps"]')), /Njoftohen anëtarët[\s\S]*Institucioni i Prefektit të Qarkut Fier[\s\S]*24/);

  // An activation, from the plan's page: the plan is named already, and only the county's
  // extraordinary meetings are offered.
  await page.getByRole('link', { name: 'Shto: Aktivizimet e planit të emergjencës' }).click();
  await settled(page);
  assert.match(await page.locator('[name="plan"] option:checked').innerText(), new RegExp(`^${plan} — Plani i emergjencës`));
  const meetings = await page.locator('[name="meeting"] option').allInnerTexts();
  assert.ok(meetings.some((o) => o.startsWith(qday(3, 20))), `the extraordinary meeting is offered: ${meetings}`);
  assert.ok(!meetings.some((o) => o.startsWith(qday(3, 10))), 'an ordinary meeting is not');
  await page.locator('[name="kind"]').selectOption('children_group');
  await page.locator('[name="activated_on"]').fill(qday(3, 20));
  await page.locator('[name="meeting"]').selectOption({ index: 1 });
  await page.locator('[name="persons"]').fill('7');
  await page.locator('[name="summary"]').fill('Shtatë fëmijë u strehuan brenda 24 orëve.');
  await page.getByRole('button', { name: 'Ruaj regjistrimin' }).click();
  const made = await notice(page, /Regjistrimi \S+ u ruajt\./);
  const activation = /Regjistrimi (\S+) u ruajt/.exec(made)[1];
  assert.equal(await page.locator('main .facts').first().getByRole('link', { name: plan }).getAttribute('href'), `/registers/emergency_plans/${plan}`);
  assert.match(await text(page.locator('[data-field="meeting"]')), new RegExp(`Mbledhja e ${qre(3, 20)}`));
  await page.locator('main .facts').first().getByRole('link', { name: plan }).click();
  await settled(page);
  assert.match(await text(page.locator('.children-block')), new RegExp(`${activation}[\\s\\S]*${qre(3, 20)}`));

  // Changed meanwhile by someone else: the version guards the change, and says so.
  await page.getByRole('link', { name: 'Ndrysho' }).click();
  await settled(page);
  await page.locator('[name="review_by"]').fill(`01.03.${Number(today.iso.slice(0, 4)) + 1}`);
  await sec.patch(`/registers/emergency_plans/entries/${plan}`, { version: 1, fields: { title: `Plani i emergjencës i Qarkut Fier (${Y})` } });
  await page.getByRole('button', { name: 'Ruaj' }).click();
  await page.locator('[role="alert"]', { hasText: 'Regjistrimi u ndryshua nga dikush tjetër' }).waitFor();
  await page.getByRole('button', { name: 'Ringarko regjistrimin' }).click();
  await settled(page);
  assert.equal(await page.locator('[name="title"]').inputValue(), `Plani i emergjencës i Qarkut Fier (${Y})`);
  await page.locator('[name="review_by"]').fill(`01.03.${Number(today.iso.slice(0, 4)) + 1}`);
  await page.locator('#en-reason').fill('Rishikim pas aktivizimit të shtatorit');
  await page.getByRole('button', { name: 'Ruaj' }).click();
  await notice(page, `Ndryshimet në regjistrimin ${plan} u ruajtën.`);
  assert.doesNotMatch(await text(page.locator('.case-tags')), /Rishikimi i vonuar/);
  assert.match(await text(page.locator('.timeline')), /Ndryshim nga fier\.secretariat\s+Fushat: Titulli[\s\S]*Ndryshim nga fier\.secretariat\s+Fushat: Rishikohet deri më/);
  // One plan a county: a second one is refused, in words, on the county.
  await go(page, srv.url, '/registers/emergency_plans/new');
  await page.locator('[name="title"]').fill('Plan i dytë');
  await page.locator('[name="adopted_on"]').fill(qday(3, 1));
  await page.locator('[name="review_by"]').fill(`01.11.${Number(today.iso.slice(0, 4)) + 1}`);
  await page.getByRole('button', { name: 'Shto: Kontaktet' }).click();
  await field('contacts').getByLabel(/^Roli/).fill('Koordinatori');
  await field('contacts').getByLabel(/^Institucioni/).selectOption({ label: 'Institucioni i Prefektit të Qarkut Fier' });
  await page.getByRole('button', { name: 'Shto: Hapat' }).click();
  await field('steps').getByLabel(/^Hapi/).fill('Njoftimi');
  await field('steps').getByLabel(/^Përgjegjës/).selectOption({ label: 'Institucioni i Prefektit të Qarkut Fier' });
  await page.getByRole('button', { name: 'Ruaj regjistrimin' }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(page.locator('.error-summary')), new RegExp(`Qarku i zgjedhur në fushën „Qarku” ka tashmë një të tillë \\(${plan}\\); rishikoni atë\\.`));
  assert.equal(await page.locator('[name="county"]').getAttribute('aria-invalid'), 'true');
  await logout(page);
});

test('the prevention screens: AA contrast, the purpose and reason asked with the keyboard alone, and a phone without sideways scrolling', async () => {
  await login(page, srv.url, 'fier.caseworker');
  for (const path of ['/prevention', '/registers/at_risk', '/registers/at_risk/new', `/registers/at_risk/${entry}`]) {
    await go(page, srv.url, path);
    await page.mouse.move(0, 0);
    assert.deepEqual(await contrastFailures(page), [], `contrast on ${path}`);
  }
  // The personal data with the keyboard: the dialog takes the focus, and gives it back.
  await page.locator('.skip-link').focus();
  for (let i = 0; i < 80 && (await page.evaluate(() => document.activeElement.textContent.trim())) !== 'Shfaq të dhënat personale'; i++) {
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Enter');
  await dlg().waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('name')), 'purpose', 'the first purpose has the focus');
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('name')), 'reason', 'then the reason');
  await page.keyboard.type('Ndjekja e masës');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.locator('[data-field="first_name"] dd', { hasText: MARKER }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Fshih të dhënat personale', 'the focus is back on the button');
  assert.deepEqual(await contrastFailures(page), [], 'contrast with the personal data shown');
  await logout(page);
  await login(page, srv.url, 'fier.secretariat');
  for (const path of ['/prevention', `/registers/awareness/${activity}`, '/registers/emergency_plans', `/bodies/${krat}/training`,
    `/persons/${member.person}/trainings`, `/trainings/${training}/certificate/0`]) {
    await go(page, srv.url, path);
    await page.mouse.move(0, 0);
    assert.deepEqual(await contrastFailures(page), [], `contrast on ${path}`);
  }
  await logout(page);
  const phone = await launch({ viewport: PHONE });
  try {
    const m = phone.page;
    await login(m, srv.url, 'fier.secretariat');
    for (const path of ['/prevention', '/registers/awareness', `/registers/awareness/${activity}`, '/registers/awareness/new',
      `/registers/trainings/${training}`, `/bodies/${krat}/training`, `/trainings/${training}/certificate/0`]) {
      await go(m, srv.url, path);
      const over = await m.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(over <= 0, `${path} is wider than the phone by ${over}px`);
      assert.deepEqual(await contrastFailures(m), [], `contrast on ${path} (phone)`);
    }
  } finally {
    await phone.close();
  }
});

test('the prevention screens in English: every label translated, every control named, no sideways scrolling', async () => {
  await login(page, srv.url, 'fier.secretariat');
  await page.getByRole('button', { name: 'English' }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await settled(page);
  const paths = ['/prevention', '/registers/at_risk', `/registers/at_risk/${entry}`, '/registers/awareness', `/registers/awareness/${activity}`,
    `/registers/awareness/${activity}/edit`, '/registers/awareness/new', '/registers/emergency_plans/new', '/registers/emergency_activations/new',
    `/registers/trainings/${training}`, `/bodies/${krat}/training`, `/persons/${member.person}/trainings`, `/trainings/${training}/certificate/0`];
  for (const path of paths) {
    await go(page, srv.url, path);
    const r = await page.evaluate(() => {
      const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
      const unlabelled = [];
      for (const el of document.querySelectorAll('input, select, textarea, button, a[href]')) {
        if (!visible(el)) continue;
        let name = el.getAttribute('aria-label') || '';
        if (!name && el.labels?.length) name = [...el.labels].map((l) => l.textContent).join(' ');
        if (!name && ['BUTTON', 'A'].includes(el.tagName)) name = el.textContent;
        if (!name.trim()) unlabelled.push(el.outerHTML.slice(0, 100));
      }
      return { text: document.body.innerText, unlabelled, h1: document.querySelectorAll('h1').length,
        overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth };
    });
    assert.equal(r.text.match(/⟦[^⟧]*⟧/g), null, `${path}: untranslated keys`);
    assert.deepEqual(r.unlabelled, [], `${path}: controls without a name`);
    assert.equal(r.h1, 1, `${path}: one h1`);
    assert.ok(r.overflow <= 0, `${path}: wider than the screen by ${r.overflow}px`);
    assert.equal(r.text.match(/\b\d{4}-\d{2}-\d{2}\b/g), null, `${path}: dates not written dd.mm.yyyy`);
    assert.doesNotMatch(r.text, /Regjistrim i ri|Shkarko|Ruaj|Anulo|Pjesëmarrësit sipas|opsionale/, `${path}: Albanian words of the interface`);
    assert.doesNotMatch(r.text, new RegExp(MARKER), path);
  }
  await page.getByRole('button', { name: 'Shqip' }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'sq');
  await settled(page);
  await logout(page);
});

test('no script errors', () => {
  assert.deepEqual(b.errors.filter((e) => !/status of (401|400|403|404|409)/.test(e)), []);
});
