// A child's case walked through the National Referral Mechanism in the browser: Fier's police
// case worker identifies a 15-year-old girl through the form (her name hidden until a reason is
// given), refers her; the Authority's secretariat records a meeting and its chair the formal
// decision; the case worker takes her through assistance, protection and reintegration to
// closure; the timeline shows every step and who took it. Also: a KRAT member sees the code but
// no personal data, another county's case worker does not see the case at all, and a second
// registration of the same girl lands in the Authority's duplicates queue and is merged — while
// a case worker who registers her again is told nothing about other cases.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { go, login, logout, settled, tiraneDay, pageApi, notice } from './lib/browser.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';
import { apiAs } from './lib/server.mjs';

let srv, b, page;
let code;
let twin;
const today = tiraneDay(0);
// Fifteen years and some weeks before today: a child on the day of identification.
const born = (() => {
  const d = new Date(`${today.iso}T12:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() - 15);
  d.setUTCDate(d.getUTCDate() - 40);
  const iso = d.toISOString().slice(0, 10);
  return { iso, shown: `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}` };
})();
let NGO; // the demo NGO shelter in Tirana: tirane.ngo's institution, looked up

const consoleAll = [];
before(async () => {
  ({ srv, b, page } = await openSuite());
  NGO = String((await (await apiAs(srv, 'tirane.ngo')).get('/session')).user.institution);
  page.on('console', (m) => consoleAll.push(m.text()));
});
after(() => closeSuite({ b, srv }));

const text = (loc) => loc.innerText();
const field = (name) => page.locator(`[data-top="${name}"]`);
const dlg = () => page.locator('dialog[open]');

async function moveTo(stage) {
  await page.getByRole('button', { name: `Kalo në: ${stage}` }).click();
  await dlg().waitFor();
  assert.equal(await text(dlg().locator('h2').first()), `Kalimi në fazën: ${stage}`);
}

async function submitMove(stage) {
  await dlg().getByRole('button', { name: `Kalo në: ${stage}` }).click();
  await notice(page, `Rasti ${code} kaloi në fazën: ${stage}.`);
  assert.match(await text(page.locator('.case-tags')), new RegExp(stage));
}

test('fier.caseworker registers a child through the identification form', async () => {
  await login(page, srv.url, 'fier.caseworker');
  assert.equal(new URL(page.url()).pathname, '/', 'a case worker starts at the home page');
  assert.match(await text(page.locator('nav.menu')), /Rastet[\s\S]*Referimet/);
  assert.doesNotMatch(await text(page.locator('nav.menu')), /Dyfishimet|Shifrat/);
  await page.locator('.menu-list').getByRole('link', { name: 'Rastet', exact: true }).click();
  await settled(page);
  await page.getByRole('link', { name: 'Rast i ri' }).click();
  await settled(page);
  assert.equal(await text(page.locator('main h1')), 'Rast i ri');
  // Drawn from the form definition: sections, only the first stage's fields, personal ones marked.
  assert.ok(await field('al_identification_date').count());
  assert.equal(await field('cas_OutgoingReferralDate').count(), 0, 'referral fields wait for the referral');
  assert.equal(await field('al_is_child').count(), 0, 'the server works out al_is_child');
  assert.match(await text(field('prs_FirstName').locator('label')), /Emri\s+të dhëna personale/);
  assert.doesNotMatch(await text(field('prs_Gender').locator('label')), /të dhëna personale/);
  assert.equal(await page.locator('[name="al_identification_date"]').inputValue(), today.shown);
  assert.equal(await page.locator('[name="al_identifying_institution"]').inputValue(), '41');

  // Nothing filled in: the form says what is missing before anything is sent; a date that is
  // written right but does not exist is told apart from one written wrong.
  await page.locator('[name="prs_Birthdate"]').fill('31.02.2010');
  await page.locator('[name="al_identification_date"]').fill('2010/02/01');
  await page.getByRole('button', { name: 'Regjistro rastin' }).click();
  const summary = page.locator('.error-summary');
  await summary.waitFor();
  assert.match(await text(summary), /Plotësoni fushën „Emri”/);
  assert.match(await text(summary), /„Datëlindja”: kjo datë nuk ekziston në kalendar\./);
  assert.match(await text(summary), /„Data e identifikimit”: shkruani datën si dd\.mm\.vvvv/);
  assert.equal(await page.locator('[name="prs_FirstName"]').getAttribute('aria-invalid'), 'true');
  await page.locator('[name="prs_Birthdate"]').fill('');
  await page.locator('[name="al_identification_date"]').fill(today.shown);
  await page.getByRole('button', { name: 'Regjistro rastin' }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(summary), /Plotësoni fushën „Mosha e vlerësuar”/);

  await page.locator('[name="prs_FirstName"]').fill('Drita');
  await page.locator('[name="prs_SecondName"]').fill('Marku');
  await page.locator('[name="prs_Gender"]').selectOption('Feminine');
  await page.locator('[name="prs_Birthdate"]').fill(born.shown);
  await page.locator('[name="prs_Birthdate"]').blur();
  assert.match(await text(page.locator('.age-line')), /15 vjeç — fëmijë/);
  assert.match(await text(field('al_estimated_age').locator('label')), /opsionale/, 'no estimated age needed with a birth date');
  await page.locator('[name="al_identification_method"]').selectOption('police');
  // Municipalities follow the county.
  const municipalities = await page.locator('[name="al_municipality"] option').allInnerTexts();
  assert.ok(municipalities.includes('Divjakë') && !municipalities.includes('Vlorë'), 'only Fier\'s municipalities');
  await page.locator('[name="al_municipality"]').selectOption('fier');

  // The screening suggestion follows the indicators: a child needs A and C.
  const screening = page.locator('.screening');
  await field('al_indicators_a').getByText('U rekrutua me ofertë pune', { exact: false }).click();
  assert.match(await text(screening), /Për një fëmijë[\s\S]*Mungon të paktën një tregues në: C/);
  await field('al_indicators_c').locator('input[value="C01"]').check();
  assert.match(await text(screening), /Treguesit e zgjedhur e plotësojnë këtë rregull/);
  assert.match(await text(screening), /sugjerim, jo vendim/);

  // An error of a field the screen does not show still reads as a sentence.
  await page.route('**/api/v1/cases', (route) => route.fulfill({
    status: 400, contentType: 'application/json',
    body: JSON.stringify({ error: { code: 'invalid', key: 'date_nonexistent', field: 'no_such_field', params: {}, message: 'no_such_field: this date does not exist' } }),
  }), { times: 1 });
  await page.getByRole('button', { name: 'Regjistro rastin' }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(page.locator('.error-summary')), /Data në fushën përkatëse nuk ekziston në kalendar\./);

  await page.getByRole('button', { name: 'Regjistro rastin' }).click();
  const msg = await notice(page, /u regjistrua/);
  code = /Rasti (\S+) u regjistrua/.exec(msg)[1];
  assert.match(code, new RegExp(`^FR-${today.iso.slice(0, 4)}-\\d{4}$`));
  // Then the rest, section by section.
  assert.match(page.url(), new RegExp(`/cases/${code}/edit\\?section=`));

  // An error of the server that names a sub-field is shown on that sub-field.
  await page.locator('nav.section-index').getByRole('link', { name: /^Dokumentet e identitetit/ }).click();
  await page.getByRole('button', { name: 'Shto: Dokumentet' }).click();
  const doc = field('al_documents').locator('.group-row').first();
  await doc.getByLabel('Lloji', { exact: true }).selectOption('passport');
  await doc.getByLabel(/^Numri/).fill('BA1234567');
  // The sentence is the one of the error's key, with its parameters and the field's label.
  await page.route(`**/api/v1/cases/${code}`, (route) => route.fulfill({
    status: 400, contentType: 'application/json',
    body: JSON.stringify({ error: { code: 'invalid', key: 'too_long', field: 'al_documents.0.al_document_number', params: { max: '20' },
      message: 'al_documents.0.al_document_number is longer than 20 characters' } }),
  }), { times: 1 });
  await page.getByRole('button', { name: 'Ruaj', exact: true }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(page.locator('.error-summary')), /Teksti në fushën „Numri” është më i gjatë se 20 shenja\./);
  assert.equal(await doc.getByLabel(/^Numri/).getAttribute('aria-invalid'), 'true');
  assert.match(await text(doc.locator('.field-error:not([hidden])')), /më i gjatë se 20 shenja/);
  // What was not saved is asked about before leaving (its draft stays on the server).
  await page.getByRole('link', { name: 'Kthehu te rasti' }).click();
  await dlg().getByRole('button', { name: 'Largohuni pa ruajtur' }).click();
  await settled(page);
  assert.equal(await text(page.locator('main h1')), code);
  assert.match(page.url(), new RegExp(`/cases/${code}$`));
  assert.match(await text(page.locator('.case-tags')), /Identifikimi fillestar[\s\S]*Viktimë e mundshme e trafikimit \(VMT\)[\s\S]*Fëmijë/);
  const main = await text(page.locator('main'));
  assert.doesNotMatch(main, /Drita|Marku/, 'the name stays hidden');
  assert.match(await text(page.locator('[data-field="prs_FirstName"]')), /Emri[\s\S]*e fshehur/);
  assert.match(main, /Kush e sheh këtë rast[\s\S]*Drejtoria Vendore e Policisë Fier — mban rastin · të gjitha të dhënat/);
  assert.match(main, /Për një fëmijë mjafton/);
});

test('personal data are shown in place only after a reason is given', async () => {
  await page.getByRole('button', { name: 'Shfaq të dhënat personale' }).click();
  await dlg().waitFor();
  await dlg().getByRole('button', { name: 'Shfaq të dhënat personale' }).click();
  await dlg().locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(dlg()), /Plotësoni fushën „Pse ju duhen\?”/);
  await dlg().locator('input[name="purpose"]').first().check();
  await dlg().getByLabel(/^Pse ju duhen/).fill('Përgatitja e referimit te strehëza');
  await dlg().getByRole('button', { name: 'Shfaq të dhënat personale' }).click();
  await page.locator('[data-field="prs_FirstName"] dd', { hasText: 'Drita' }).waitFor();
  assert.match(await text(page.locator('[data-field="prs_Birthdate"]')), new RegExp(born.shown.replaceAll('.', '\\.')));
  assert.match(await text(page.locator('.personal-status')), /Leximi u regjistrua/);
  assert.doesNotMatch(page.url(), /Drita|reason/);
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  assert.doesNotMatch(stored, /Drita|Marku/);
  // The reading is in the audit trail with its reason.
  const audit = await pageApi(page, 'GET', `/cases/${code}`);
  assert.equal(audit.body.your_access, 'full');
});

test('moves the case to referral with exactly what that stage asks for', async () => {
  await moveTo('Referimi');
  const d = dlg();
  for (const name of ['cas_OutgoingReferralDate', 'cas_ReferredOrganisation', 'prs_Citizenship', 'al_consents',
    'al_child_protection_worker', 'al_best_interest_assessment_date']) {
    assert.equal(await d.locator(`[data-top="${name}"]`).count(), 1, `${name} is asked for`);
  }
  assert.equal(await d.locator('[data-top="prs_FirstName"]').count(), 0, 'nothing else');
  // The server names what is still missing, on the field.
  await d.locator('[name="cas_OutgoingReferralDate"]').fill(today.shown);
  await d.getByRole('button', { name: 'Kalo në: Referimi' }).click();
  await d.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(d.locator('.error-summary')), /Plotësoni fushën „Referuar te”/);

  await d.locator('[data-top="cas_ReferredOrganisation"] .inst-county').selectOption('tirane');
  await d.locator('[name="cas_ReferredOrganisation"]').selectOption(NGO);
  const citizenship = d.locator('[data-top="prs_Citizenship"]');
  await citizenship.getByLabel('Kërko në listë').fill('shqip');
  assert.equal(await citizenship.locator('.check:not([hidden])').count(), 1, 'the search narrows the 250 countries');
  await citizenship.getByLabel('Shqipëri').check();
  assert.match(await text(citizenship.locator('.codes-chosen')), /Zgjedhur: Shqipëri/);
  await d.getByRole('button', { name: 'Shto: Pëlqimet' }).click();
  const row = d.locator('[data-top="al_consents"] .group-row').first();
  await row.getByLabel('Qëllimi', { exact: true }).selectOption('data_processing');
  await row.getByLabel('Pëlqimi u dha', { exact: true }).selectOption('true');
  await row.getByLabel('Data', { exact: true }).fill(today.shown);
  await d.locator('[name="al_child_protection_worker"]').fill('Arta Leka, NJMF Fier');
  await d.locator('[name="al_best_interest_assessment_date"]').fill(today.shown);
  await d.locator('[name="reason"]').fill('Referuar te strehëza');
  await submitMove('Referimi');
  // Shown again after the change: the reason was given for this case in this session.
  assert.match(await text(page.locator('[data-field="prs_FirstName"]')), /Drita/);
  assert.match(await text(page.locator('[data-field="al_consents"]')), /Regjistrimi dhe përpunimi i të dhënave personale/);
  // The case worker cannot take the Authority's decision.
  assert.equal(await page.getByRole('button', { name: 'Kalo në: Identifikimi formal' }).count(), 0);
  assert.match(await text(page.locator('main')), /Fazat e tjera \(Identifikimi formal\) vendosen nga të tjerë/);
  await logout(page);
});

test("the Authority's secretariat records a meeting", async () => {
  await login(page, srv.url, 'authority.secretariat');
  const authority = (await pageApi(page, 'GET', '/bodies?kind=authority')).body.items[0];
  await go(page, srv.url, `/bodies/${authority.id}`);
  await page.getByRole('button', { name: 'Regjistro një mbledhje' }).click();
  await dlg().getByLabel(/^Titulli/).fill('Mbledhja e 5-të e Autoritetit');
  await dlg().getByRole('button', { name: 'Regjistro mbledhjen' }).click();
  await notice(page, `Mbledhja e ${today.shown} u regjistrua.`);
  assert.match(await text(page.locator('main')), /Mbledhja e 5-të e Autoritetit/);
  await logout(page);
});

test("the Authority's chair records the formal identification: the status becomes VT", async () => {
  await login(page, srv.url, 'authority.chair');
  await page.getByRole('link', { name: 'Rastet', exact: true }).click();
  await settled(page);
  await page.getByLabel('Kodi').fill(code.toLowerCase());
  await page.getByRole('button', { name: 'Shfaq', exact: true }).click();
  await settled(page);
  assert.equal(await page.locator('table.data tbody tr').count(), 1);
  await page.getByRole('link', { name: code }).click();
  await settled(page);
  assert.doesNotMatch(await text(page.locator('main')), /Drita/, 'a new session: hidden again');
  // The Authority may refer a case it does not hold.
  assert.equal(await page.getByRole('button', { name: /^Referoje/ }).count(), 1);
  await moveTo('Identifikimi formal');
  const d = dlg();
  const meeting = d.locator('[name="al_authority_meeting"]');
  const label = (await meeting.locator('option').nth(1).innerText());
  assert.match(label, new RegExp(`^${today.shown.replaceAll('.', '\\.')} — Mbledhja e 5-të e Autoritetit`));
  await meeting.selectOption({ index: 1 });
  await d.locator('[name="al_formal_decision"]').selectOption('identified_victim');
  await d.locator('[name="al_formal_decision_date"]').fill(today.shown);
  await d.locator('[data-top="vic_TypeOfExploitation"]').getByLabel('Shfrytëzim seksual', { exact: true }).check();
  await d.locator('[name="al_trafficking_scope"]').selectOption('internal');
  assert.equal(await d.locator('[name="al_child_protection_worker"]').inputValue(), 'Arta Leka, NJMF Fier', 'stored values are filled in');
  await submitMove('Identifikimi formal');
  assert.match(await text(page.locator('.case-tags')), /Viktimë e trafikimit \(VT\)/);
  assert.match(await text(page.locator('[data-field="al_authority_meeting"]')), /Mbledhja e 5-të e Autoritetit/);
  await logout(page);
});

test('the case worker takes her through assistance, protection and reintegration to closure', async () => {
  await login(page, srv.url, 'fier.caseworker');
  await go(page, srv.url, `/cases/${code}`);
  assert.match(await text(page.locator('.case-tags')), /Viktimë e trafikimit \(VT\)/);

  await moveTo('Ndihma e menjëhershme');
  await dlg().locator('[name="al_assistance_start_date"]').fill(today.shown);
  await dlg().locator('[data-top="al_immediate_services"]').getByLabel('Kujdes mjekësor').check();
  await dlg().locator('[data-top="al_immediate_services"]').getByLabel('Mbështetje psikologjike').check();
  await submitMove('Ndihma e menjëhershme');

  await moveTo('Mbrojtja');
  await dlg().locator('[name="al_protection_setting"]').selectOption('shelter');
  await dlg().locator('[name="al_protection_start_date"]').fill(today.shown);
  assert.doesNotMatch(await text(dlg().locator('[data-top="al_shelter"] label').first()), /opsionale/, 'a shelter is required once "shelter" is chosen');
  await dlg().locator('[name="al_shelter"]').selectOption('child_centre');
  await submitMove('Mbrojtja');

  await moveTo('Riintegrimi');
  await dlg().locator('[name="al_reintegration_plan_date"]').fill(today.shown);
  await dlg().getByRole('button', { name: 'Shto: Veprimet e planit individual' }).click();
  await dlg().getByRole('button', { name: 'Shto: Veprimet e planit individual' }).click();
  const rows = dlg().locator('[data-top="al_reintegration_plan"] .group-row');
  assert.equal(await rows.count(), 2);
  await rows.nth(1).getByRole('button', { name: /^Hiq/ }).click();
  assert.equal(await rows.count(), 1, 'a row is removed');
  await rows.first().getByLabel('Fusha', { exact: true }).selectOption('education');
  await dlg().locator('[name="spl_PlannedEndDate"]').fill(tiraneDay(365).shown);
  await submitMove('Riintegrimi');

  await moveTo('Mbyllur');
  await dlg().locator('[name="al_closure_reason"]').selectOption('reintegrated');
  await dlg().locator('[name="al_closure_date"]').fill(today.shown);
  await submitMove('Mbyllur');
  assert.match(await text(page.locator('[data-field="al_closure_reason"]')), /Riintegrim i përfunduar/);
  // Reopening: only to referral or to the stage it was closed from.
  const moves = await page.locator('.workflow-actions button').allInnerTexts();
  assert.deepEqual(moves.sort(), ['Kalo në: Referimi', 'Kalo në: Riintegrimi']);
});

test('the timeline lists every step with who took it', async () => {
  const items = page.locator('.timeline .event');
  assert.equal(await items.count(), 7);
  const all = await items.allInnerTexts();
  assert.match(all[0], /Regjistrim nga fier\.caseworker \(Drejtoria Vendore e Policisë Fier\)[\s\S]*Faza: Identifikimi fillestar[\s\S]*Emri \(personale\)/);
  assert.match(all[0], new RegExp(`^${today.shown.replaceAll('.', '\\.')} \\d{2}:\\d{2}`));
  assert.match(all[1], /Kalim faze nga fier\.caseworker[\s\S]*Identifikimi fillestar → Referimi[\s\S]*Data e referimit[\s\S]*Shënim: Referuar te strehëza/);
  assert.match(all[2], /nga authority\.chair[\s\S]*Referimi → Identifikimi formal[\s\S]*Vendimi/);
  assert.match(all[3], /Identifikimi formal → Ndihma e menjëhershme/);
  assert.match(all[4], /Ndihma e menjëhershme → Mbrojtja/);
  assert.match(all[5], /Mbrojtja → Riintegrimi/);
  assert.match(all[6], /nga fier\.caseworker[\s\S]*Riintegrimi → Mbyllur[\s\S]*Arsyeja e mbylljes/);
  await logout(page);
});

test('refers a service to the NGO shelter, which answers from its inbox and sees only what was shared', async () => {
  await login(page, srv.url, 'fier.caseworker');
  await go(page, srv.url, `/cases/${code}`);
  await page.getByRole('button', { name: /^Referoje/ }).click();
  const d = dlg();
  await d.locator('[data-top="refer_institution"] .inst-county').selectOption('tirane');
  await d.locator('select[name="refer_institution"]').selectOption(NGO);
  await d.getByLabel(/^Arsyeja e referimit/).fill('Strehim i sigurt për fëmijën');
  await d.locator('[name="refer_service"]').selectOption('accommodation');
  await d.locator('[data-top="refer_fields"]').getByLabel('Emri', { exact: true }).check();
  await d.getByRole('button', { name: 'Dërgo referimin' }).click();
  await notice(page, 'Rasti iu referua: Strehëza e OJF-së "Shpresa" (demo), Tiranë.');
  assert.match(await text(page.locator('section', { has: page.getByRole('heading', { name: 'Referimet' }) })), /Strehim i sigurt[\s\S]*Emri[\s\S]*Në pritje/);
  assert.match(await text(page.locator('.timeline .event').last()),
    /Referim nga fier\.caseworker[\s\S]*Iu referua: Strehëza e OJF-së "Shpresa" \(demo\), Tiranë, për: Strehim i sigurt/);
  assert.match(await text(page.locator('.access-list')), /Strehëza e OJF-së "Shpresa" \(demo\), Tiranë — iu referua/);
  await page.getByRole('link', { name: 'Referimet', exact: true }).click();
  await settled(page);
  await page.getByRole('link', { name: 'Të dërguara' }).click();
  await settled(page);
  assert.match(await text(page.locator('tbody tr').first()), new RegExp(`${code}[\\s\\S]*Strehëza e OJF-së[\\s\\S]*Në pritje`));
  await logout(page);

  await login(page, srv.url, 'tirane.ngo');
  await page.getByRole('link', { name: 'Referimet', exact: true }).click();
  await settled(page);
  assert.match(await text(page.locator('main')), /Referime në pritje të përgjigjes: 1\./);
  const row = page.locator('tbody tr', { has: page.getByRole('link', { name: code }) });
  assert.match(await text(row), /Drejtoria Vendore e Policisë Fier[\s\S]*Strehim i sigurt[\s\S]*Strehim i sigurt për fëmijën[\s\S]*Emri[\s\S]*pret prej 0 orë/);
  // Declining needs a note.
  await row.getByRole('button', { name: /^Refuzo/ }).click();
  await dlg().getByRole('button', { name: 'Refuzo' }).click();
  assert.match(await text(dlg().locator('.error-summary')), /Plotësoni fushën „Pse e refuzoni\?”/);
  await page.keyboard.press('Escape');
  await row.getByRole('button', { name: /^Prano/ }).click();
  assert.match(await text(dlg()), /rasti mbetet te institucioni që e mban/);
  await dlg().getByRole('button', { name: 'Prano' }).click();
  await notice(page, `Referimi i rastit ${code} u pranua.`);
  assert.match(await text(row), /Pranuar[\s\S]*përgjigje pas 0 orë/);
  // The case, with the one personal field it was given.
  await row.getByRole('link', { name: code }).click();
  await settled(page);
  assert.match(await text(page.locator('main')), /Rasti iu referua institucionit tuaj/);
  assert.equal((await pageApi(page, 'GET', `/cases/${code}`)).body.your_access, 'referred');
  assert.equal(await page.getByRole('link', { name: 'Ndrysho të dhënat' }).count(), 0);
  await page.getByRole('button', { name: 'Shfaq të dhënat personale' }).click();
  await dlg().locator('input[name="purpose"]').first().check();
  await dlg().getByLabel(/^Pse ju duhen/).fill('Pritja në strehëz');
  await dlg().getByRole('button', { name: 'Shfaq të dhënat personale' }).click();
  await page.locator('[data-field="prs_FirstName"] dd', { hasText: 'Drita' }).waitFor();
  assert.equal(await page.locator('[data-field="prs_SecondName"]').count(), 0, 'the surname was not shared');
  await logout(page);
});

test('a change that someone else overtook is refused, and the page offers to reload', async () => {
  await login(page, srv.url, 'fier.caseworker');
  await go(page, srv.url, `/cases/${code}`);
  await page.getByRole('link', { name: 'Ndrysho të dhënat' }).click();
  await settled(page);
  assert.equal(await text(page.locator('main h1')), `Ndrysho rastin ${code}`);
  assert.match(await text(page.locator('main')), /Të dhënat personale nuk janë shfaqur/);
  await page.locator('nav.section-index').getByRole('link', { name: /^Identifikimi fillestar/ }).click();
  await page.locator('[name="al_identifying_officer"]').fill('Insp. Arben Kodra');
  const c = (await pageApi(page, 'GET', `/cases/${code}`)).body;
  const other = await pageApi(page, 'PATCH', `/cases/${code}`, { version: c.version, fields: { al_identifying_officer: 'Insp. Tjetër' } });
  assert.equal(other.status, 200);
  await page.getByRole('button', { name: 'Ruaj', exact: true }).click();
  const alert = page.locator('.notice-error', { hasText: 'Rasti u ndryshua nga dikush tjetër' });
  await alert.waitFor();
  await alert.getByRole('button', { name: 'Ringarko rastin' }).click();
  await settled(page);
  assert.equal(await page.locator('[name="al_identifying_officer"]').inputValue(), 'Insp. Tjetër');
  await page.locator('[name="al_identifying_officer"]').fill('Insp. Arben Kodra');
  await page.getByLabel(/^Arsyeja e ndryshimit/).fill('Emri i plotë i punonjësit');
  await page.getByRole('button', { name: 'Ruaj', exact: true }).click();
  await notice(page, `Ndryshimet në rastin ${code} u ruajtën.`);
  await page.getByRole('link', { name: 'Kthehu te rasti' }).click();
  await settled(page);
  assert.match(await text(page.locator('[data-field="al_identifying_officer"]')), /Insp\. Arben Kodra/);
  assert.match(await text(page.locator('.timeline .event').last()), /Ndryshim nga fier\.caseworker[\s\S]*Punonjësi që identifikoi[\s\S]*Shënim: Emri i plotë i punonjësit/);
  await logout(page);
});

test("a KRAT member sees the code, not the person; another county's case worker not even that", async () => {
  await login(page, srv.url, 'fier.krat');
  await go(page, srv.url, '/cases');
  await page.getByRole('link', { name: code }).click();
  await settled(page);
  assert.equal(await text(page.locator('main h1')), code);
  assert.equal(await page.getByRole('button', { name: 'Shfaq të dhënat personale' }).count(), 0);
  assert.match(await text(page.locator('main')), /Ju shihni kodin dhe të dhënat jo-personale/);
  assert.doesNotMatch(await text(page.locator('main')), /Ndrysho të dhënat|Kalo në|Referoje/);
  assert.equal(await page.locator('[data-field="prs_FirstName"]').count(), 0, 'not even that a name is stored');
  assert.match(await text(page.locator('.timeline')), /Shënim: e fshehur për rolin tuaj/, 'notes are about the person: hidden too');
  assert.doesNotMatch(await text(page.locator('.timeline')), /Referuar te strehëza/);
  await logout(page);

  await login(page, srv.url, 'vlore.caseworker');
  await go(page, srv.url, `/cases/${code}`);
  assert.equal(await text(page.locator('main h1')), 'Faqja nuk u gjet');
  await go(page, srv.url, '/cases');
  assert.equal(await page.getByRole('link', { name: code }).count(), 0);
  await logout(page);
});

test('the same girl registered again lands in the duplicates queue and is merged', async () => {
  await login(page, srv.url, 'authority.secretariat');
  await go(page, srv.url, '/cases/new');
  await field('institution').locator('.inst-county').selectOption('tirane');
  await page.locator('select[name="institution"]').selectOption(NGO);
  await page.locator('[name="prs_FirstName"]').fill('DRITA');
  await page.locator('[name="prs_SecondName"]').fill('Markú');
  await page.locator('[name="prs_Gender"]').selectOption('Feminine');
  await page.locator('[name="prs_Birthdate"]').fill(born.shown);
  await page.locator('[name="al_identification_method"]').selectOption('ngo');
  await page.locator('[name="al_county"]').selectOption('tirane');
  await field('al_indicators_a').locator('input[value="A01"]').check();
  await field('al_indicators_c').locator('input[value="C01"]').check();
  await page.getByRole('button', { name: 'Regjistro rastin' }).click();
  const msg = await notice(page, /u regjistrua/);
  twin = /Rasti (\S+) u regjistrua/.exec(msg)[1];
  assert.match(twin, /^TR-/);
  assert.match(msg, new RegExp(`Mund të jetë i njëjti person si në: ${code}`));
  // Registered, the case opens on the rest of its form; its own page names who holds it.
  await go(page, srv.url, `/cases/${twin}`);
  assert.match(await text(page.locator('main')), /Strehëza e OJF-së "Shpresa" \(demo\), Tiranë — mban rastin/);
  await logout(page);

  await login(page, srv.url, 'authority.member');
  await page.locator('nav.menu').getByRole('link', { name: 'Dyfishimet' }).click();
  await settled(page);
  const row = page.locator('tbody tr', { has: page.getByRole('link', { name: twin }) });
  assert.match(await text(row), new RegExp(`${code}[\\s\\S]*${twin}[\\s\\S]*I njëjti emër dhe datëlindje`));
  await row.getByRole('button', { name: /^Bashko/ }).click();
  await dlg().getByLabel(code).check();
  await dlg().getByRole('button', { name: 'Bashko' }).click();
  await notice(page, `Rasti ${twin} u bashkua me ${code}.`);
  assert.equal(await page.getByRole('link', { name: twin }).count(), 0, 'off the queue');
  await go(page, srv.url, `/cases/${twin}`);
  assert.match(await text(page.locator('main')), new RegExp(`Ky rast u bashkua me rastin ${code}`));
  assert.match(await text(page.locator('.timeline')), new RegExp(`U bashkua me rastin ${code}`));
  await logout(page);
});

test('a case worker who registers the same girl again is told nothing about other cases', async () => {
  await login(page, srv.url, 'fier.caseworker');
  await go(page, srv.url, '/cases/new');
  await page.locator('[name="prs_FirstName"]').fill('Drita');
  await page.locator('[name="prs_SecondName"]').fill('Marku');
  await page.locator('[name="prs_Gender"]').selectOption('Feminine');
  await page.locator('[name="prs_Birthdate"]').fill(born.shown);
  await page.locator('[name="al_identification_method"]').selectOption('police');
  await field('al_indicators_a').locator('input[value="A01"]').check();
  await field('al_indicators_c').locator('input[value="C01"]').check();
  const reply = page.waitForResponse((r) => r.url().endsWith('/api/v1/cases') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Regjistro rastin' }).click();
  const body = await (await reply).json();
  assert.ok(!('duplicates' in body) && !('likely_duplicate' in body), 'the server keeps other cases from a case worker');
  const msg = await notice(page, /u regjistrua/);
  assert.equal(msg, `Rasti ${body.code} u regjistrua. Plotësoni tani pjesën tjetër, seksion pas seksioni.`);
  assert.doesNotMatch(await text(page.locator('main')), new RegExp(`${code}|dyfish`, 'i'));
  await logout(page);
});

test('no personal data in the console', () => {
  assert.deepEqual(consoleAll.filter((m) => /Drita|Marku|MARKÚ/i.test(m)), []);
});

test('no script errors', () => {
  assert.deepEqual(b.errors.filter((e) => !/status of (400|401|404|409)/.test(e)), []);
});
