// What follows a meeting beyond its own page: the notification a member of Fier's Technical Table
// finds in the header when the notice is sent (opened, it is read and the count drops; a
// meeting opened directly, or "mark all", does the same); the personal calendar feed, shown once,
// answering text/calendar without a session until it is replaced or revoked; the Table's rules of
// procedure, overdue until adopted in a held meeting with their PDF; the Authority's formal
// decision taken from the case page — in the meeting held today (recorded once, through the
// meeting) or in a meeting scheduled on the spot without leaving the page; and the referrals
// left unanswered for more than three days on the Authority's proposed agenda.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { go, login, logout, settled, notice, pageApi, tiraneDay } from './lib/browser.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';
import { apiAs } from './lib/server.mjs';

let srv, b, page;
let table; // Fier's Technical Table
let sec; // Fier's secretariat, through the API
const today = tiraneDay(0);
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const text = (loc) => loc.innerText();
const dlg = () => page.locator('dialog[open]').last();
const main = () => text(page.locator('main'));
const bell = () => page.locator('.topbar a.notif-link');
const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');

before(async () => {
  ({ srv, b, page } = await openSuite());
  sec = await apiAs(srv, 'fier.secretariat');
  table = (await sec.get('/bodies?kind=technical_table&county=fier')).items[0].id;
});
after(() => closeSuite({ b, srv }));

// A case of Fier's police, referred to the Authority (the stage before its formal decision).
async function referredCase(first, last) {
  const police = await apiAs(srv, 'fier.caseworker');
  const { code } = await police.post('/cases', { fields: {
    vic_TraffickingStatus: 'PossibleVictimOfTrafficking', prs_FirstName: first, prs_SecondName: last, prs_Gender: 'Feminine',
    al_estimated_age: 28, al_identification_date: tiraneDay(-6).iso, al_identifying_institution: 41, al_identification_method: 'police',
    al_county: 'fier', al_municipality: 'fier', al_indicators_a: ['A01'], al_indicators_b: ['B02'], al_indicators_c: ['C01'],
    vic_TypeOfExploitation: ['ForcedLabour'],
  } });
  await police.post(`/cases/${code}/transitions`, { to: 'referral', version: 1, fields: {
    cas_OutgoingReferralDate: tiraneDay(-5).iso, cas_ReferredOrganisation: 270, prs_Citizenship: ['AL'],
    al_consents: [{ al_consent_purpose: 'data_processing', con_Consent: true, al_consent_by: 'self', al_consent_date: tiraneDay(-5).iso }],
  } });
  return code;
}

test('fier.table sees the notice in the header, opens it, and the count drops', async () => {
  const day = tiraneDay(6);
  const m = await sec.post(`/bodies/${table}/meetings`, { date: day.iso, time: '10:00', location: 'Prefektura Fier', title: 'Mbledhja e radhës' });
  // The secretariat sends the notice from the meeting's page.
  await login(page, srv.url, 'fier.secretariat');
  await go(page, srv.url, `/meetings/${m.id}`);
  await page.getByRole('button', { name: 'Dërgo njoftimin' }).click();
  await dlg().waitFor();
  await dlg().getByRole('button', { name: 'Dërgo njoftimin' }).click();
  const sent = await notice(page, /Njoftimi nr\. \d+\/\d{4} u dërgua\./);
  const number = /nr\. (\d+\/\d{4})/.exec(sent)[1];
  await logout(page);

  await login(page, srv.url, 'fier.table');
  assert.equal(await bell().count(), 1, 'in the header');
  await page.getByRole('link', { name: 'Njoftimet (1 i palexuar)' }).waitFor();
  assert.equal(await text(bell().locator('.notif-count')), '1');
  await bell().click();
  await settled(page);
  assert.equal(await text(page.locator('main h1')), 'Njoftimet');
  const row = page.locator('table.data tbody tr', { hasText: `Mbledhja e ${day.shown}, ora 10:00` });
  assert.match(await row.getAttribute('class'), /row-unread/);
  assert.match(await text(row), new RegExp(`Njoftim\\s*Mbledhja e ${esc(day.shown)}, ora 10:00\\s*Tryeza Teknike Antitrafikim — Fier\\s*Shkresa nr\\. ${esc(number)}[\\s\\S]*E palexuar`));
  await row.getByRole('link', { name: `Mbledhja e ${day.shown}, ora 10:00` }).click();
  await page.waitForURL(new RegExp(`/meetings/${m.id}$`));
  await settled(page);
  await page.getByRole('link', { name: 'Njoftimet', exact: true }).waitFor();
  assert.equal(await bell().locator('.notif-count').count(), 0, 'the count dropped');
  assert.equal((await pageApi(page, 'GET', '/notifications?unread=1')).body.items.length, 0);
  await go(page, srv.url, '/notifications');
  assert.match(await text(page.locator('table.data tbody tr').first()), new RegExp(`Lexuar më ${esc(today.shown)}`));
  assert.equal(await page.getByRole('button', { name: /^Shëno/ }).count(), 0, 'nothing left to mark');

  // A change of a noticed meeting is notified too; opening the meeting itself reads it.
  const { version } = await sec.get(`/meetings/${m.id}`);
  await sec.patch(`/meetings/${m.id}`, { version, time: '11:00', reason: 'Salla është e zënë në mëngjes.' });
  await go(page, srv.url, '/counties/fier');
  await page.getByRole('link', { name: 'Njoftimet (1 i palexuar)' }).waitFor();
  await go(page, srv.url, `/meetings/${m.id}`);
  await page.getByRole('link', { name: 'Njoftimet', exact: true }).waitFor();

  // A cancellation, marked read with "mark all", in English.
  await go(page, srv.url, '/counties/fier');
  await sec.post(`/meetings/${m.id}/cancel`, { reason: 'Mungesë kuorumi e paralajmëruar.' });
  await page.getByRole('button', { name: 'English' }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await settled(page);
  await go(page, srv.url, '/notifications?show=unread');
  await page.getByRole('link', { name: 'Notifications (1 unread)' }).waitFor();
  const cancelled = page.locator('table.data tbody tr');
  assert.equal(await cancelled.count(), 1);
  assert.match(await text(cancelled), new RegExp(`Cancellation\\s*The meeting of ${esc(day.shown)}, at 11:00\\s*Anti-Trafficking Technical Table — Fier`));
  await page.getByRole('button', { name: 'Mark all as read' }).click();
  await notice(page, 'All notifications were marked as read.');
  assert.match(await main(), /You have no unread notifications\./);
  assert.equal(await bell().locator('.notif-count').count(), 0);
  await page.getByRole('button', { name: 'Shqip' }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'sq');
  await settled(page);
  await logout(page);
});

test('the personal calendar: shown once, answering text/calendar without a session, replaced and revoked', async () => {
  await login(page, srv.url, 'fier.table');
  await go(page, srv.url, '/account');
  const cal = page.locator('section', { has: page.getByRole('heading', { name: 'Kalendari im' }) });
  assert.match(await text(cal), /Outlook, në Google Calendar ose në kalendarin e telefonit[\s\S]*Adresa është sekrete/);
  await cal.getByRole('button', { name: 'Krijo adresën e kalendarit' }).click();
  const url = cal.getByLabel('Adresa e kalendarit tuaj');
  await url.waitFor();
  const first = await url.inputValue();
  assert.match(first, new RegExp(`^${esc(srv.url)}/api/v1/calendar/[0-9a-f]{64}\\.ics$`));
  assert.match(await text(cal), /Kopjojeni adresën tani: nuk do të shfaqet më\./);
  await cal.getByRole('button', { name: 'Kopjo adresën' }).click();
  await cal.locator('.feed-copied', { hasText: /Adresa u kopjua\.|kopjojeni me Ctrl\+C/ }).waitFor();
  // Outlook or a phone asks without a session.
  let res = await fetch(first);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/calendar/);
  assert.match(await res.text(), /^BEGIN:VCALENDAR[\s\S]*BEGIN:VEVENT[\s\S]*END:VCALENDAR/);
  // A new address replaces it: the old one stops answering.
  await cal.getByRole('button', { name: 'Zëvendëso me një adresë të re' }).click();
  await dlg().waitFor();
  assert.match(await text(dlg()), /pushon së punuari menjëherë/);
  await dlg().getByRole('button', { name: 'Zëvendëso me një adresë të re' }).click();
  await page.waitForFunction((old) => document.querySelector('input.feed-url')?.value !== old, first);
  const second = await url.inputValue();
  assert.notEqual(second, first);
  assert.equal((await fetch(first)).status, 404, 'the replaced address is gone');
  assert.equal((await fetch(second)).status, 200);
  // Revoked: it answers 404.
  await cal.getByRole('button', { name: 'Revoko adresën' }).click();
  await dlg().waitFor();
  await dlg().getByRole('button', { name: 'Revoko adresën' }).click();
  await cal.locator('.notice', { hasText: 'Adresa e kalendarit u revokua: nuk përgjigjet më.' }).waitFor();
  assert.equal(await url.count(), 0, 'no address shown');
  res = await fetch(second);
  assert.equal(res.status, 404);
  await cal.getByRole('button', { name: 'Revoko adresën' }).click();
  await dlg().waitFor();
  await dlg().getByRole('button', { name: 'Revoko adresën' }).click();
  await cal.locator('.notice', { hasText: 'Nuk keni adresë kalendari për të revokuar.' }).waitFor();
  await logout(page);
  // Whoever reads no meetings has no meetings to subscribe to.
  await login(page, srv.url, 'fier.caseworker');
  await go(page, srv.url, '/account');
  assert.doesNotMatch(await main(), /Kalendari im/);
  await logout(page);
});

test("the Table's rules of procedure are overdue until adopted in a held meeting, with their PDF", async () => {
  const due = (await sec.get(`/bodies/${table}/documents`)).required.find((r) => r.kind === 'rules_of_procedure').due;
  const dueShown = `${due.slice(8, 10)}.${due.slice(5, 7)}.${due.slice(0, 4)}`;
  await login(page, srv.url, 'fier.secretariat');
  await go(page, srv.url, `/bodies/${table}/meetings`);
  const docs = page.locator('section', { has: page.getByRole('heading', { name: 'Dokumentet e organit' }) });
  const rules = docs.locator('table.data tbody tr', { hasText: 'Rregullorja e funksionimit' }).first();
  assert.match(await rules.getAttribute('class'), /row-overdue/);
  assert.match(await text(rules), new RegExp(`${esc(dueShown)}[\\s\\S]*!\\s*Me vonesë: duhej miratuar deri më ${esc(dueShown)}`));
  assert.match(await text(docs), new RegExp(`Rregullorja e funksionimit duhej të ishte miratuar deri më ${esc(dueShown)}\\.`));
  assert.match(await text(docs), /Asnjë dokument i regjistruar\./);
  // The Table meets today and adopts them.
  const m = await sec.post(`/bodies/${table}/meetings`, { date: today.iso, time: '09:00', location: 'Prefektura Fier' });
  await sec.put(`/meetings/${m.id}/attendance`, { seats: m.attendance.filter((s) => s.member).map((s) => ({ seat: s.seat, status: 'present' })) });
  await go(page, srv.url, `/bodies/${table}/meetings`);
  await page.getByRole('button', { name: 'Regjistro një dokument' }).click();
  await dlg().waitFor();
  assert.equal(await dlg().getByLabel('Lloji i dokumentit').inputValue(), 'rules_of_procedure');
  assert.equal(await dlg().getByLabel(/^Titulli/).inputValue(), 'Rregullorja e funksionimit');
  await dlg().getByLabel('Lloji i dokumentit').selectOption('work_plan');
  assert.equal(await dlg().getByLabel(/^Titulli/).inputValue(), 'Plani i punës', 'the title follows the kind until typed');
  await dlg().getByLabel('Lloji i dokumentit').selectOption('rules_of_procedure');
  await dlg().getByLabel(/^Titulli/).fill('Rregullorja e funksionimit të Tryezës Teknike Fier');
  await dlg().getByLabel(/^Miratuar në mbledhjen/).selectOption({ label: `Mbledhja e ${today.shown}` });
  await dlg().getByLabel(/^Skedari/).setInputFiles({ name: 'rregullorja.pdf', mimeType: 'application/pdf', buffer: pdf });
  await dlg().getByRole('button', { name: 'Regjistro dokumentin' }).click();
  await notice(page, '„Rregullorja e funksionimit të Tryezës Teknike Fier” u regjistrua si versioni 1, me skedarin „rregullorja.pdf”.');
  const after = page.locator('section', { has: page.getByRole('heading', { name: 'Dokumentet e organit' }) });
  const state = after.locator('table.data tbody tr', { hasText: 'Rregullorja e funksionimit' }).first();
  assert.doesNotMatch(await state.getAttribute('class') || '', /row-overdue/, 'the overdue mark went');
  assert.match(await text(state), new RegExp(`✓\\s*Miratuar më ${esc(today.shown)}, pas afatit \\(${esc(dueShown)}\\)`));
  assert.doesNotMatch(await text(after), /Me vonesë|duhej të ishte miratuar/);
  const version = after.locator('table.data tbody tr', { hasText: 'Rregullorja e funksionimit të Tryezës Teknike Fier' });
  assert.match(await text(version), new RegExp(`versioni 1[\\s\\S]*Mbledhja e ${esc(today.shown)}[\\s\\S]*rregullorja\\.pdf`));
  assert.equal(await version.getByRole('link', { name: `Mbledhja e ${today.shown}` }).getAttribute('href'), `/meetings/${m.id}`);
  const href = await version.getByRole('link', { name: 'rregullorja.pdf' }).getAttribute('href');
  assert.match(await page.evaluate(async (u) => (await fetch(u)).text(), href), /^%PDF-1\.4/);
  // Its second version, not yet adopted, gets its file afterwards.
  await page.getByRole('button', { name: 'Regjistro një dokument' }).click();
  await dlg().waitFor();
  assert.equal(await dlg().getByLabel('Lloji i dokumentit').inputValue(), 'rules_of_procedure');
  assert.equal(await dlg().getByLabel(/^Titulli/).inputValue(), 'Rregullorja e funksionimit të Tryezës Teknike Fier', 'the latest title');
  assert.match(await text(dlg()), /Ky do të jetë versioni 2; i fundit është „Rregullorja e funksionimit të Tryezës Teknike Fier”\./);
  await dlg().getByLabel(/^Titulli/).fill('Rregullorja e funksionimit (projekt i ndryshuar)');
  await dlg().getByRole('button', { name: 'Regjistro dokumentin' }).click();
  await notice(page, '„Rregullorja e funksionimit (projekt i ndryshuar)” u regjistrua si versioni 2.');
  const draft = page.locator('table.data tbody tr', { hasText: 'versioni 2' });
  assert.match(await text(draft), /Rregullorja e funksionimit \(projekt i ndryshuar\)[\s\S]*versioni 2[\s\S]*Ende pa miratuar/);
  assert.match(await text(page.locator('table.data tbody tr', { hasText: 'Rregullorja e funksionimit' }).first()), /Miratuar më/,
    'a version not yet adopted leaves the adoption as it was');
  await draft.getByRole('button', { name: /^Ngarko skedarin/ }).click();
  await dlg().waitFor();
  await dlg().getByLabel('Zgjidhni skedarin').setInputFiles({ name: 'projekt.pdf', mimeType: 'application/pdf', buffer: pdf });
  await dlg().getByRole('button', { name: 'Ngarko' }).click();
  await notice(page, /projekt\.pdf/);
  assert.equal(await page.getByRole('link', { name: 'projekt.pdf' }).count(), 1);
  await logout(page);
  // A member of the KRAT reads them, and changes nothing.
  await login(page, srv.url, 'fier.krat');
  await go(page, srv.url, `/bodies/${table}/meetings`);
  assert.match(await main(), /Rregullorja e funksionimit të Tryezës Teknike Fier/);
  assert.equal(await page.getByRole('button', { name: /Regjistro një dokument|Ngarko skedarin/ }).count(), 0);
  assert.equal((await pageApi(page, 'POST', `/bodies/${table}/documents`, { kind: 'work_plan', title: 'X' })).status, 403);
  await logout(page);
});

test('the formal decision from the case page: in the meeting held today, recorded once through it', async () => {
  const code = await referredCase('Drita', 'Lamaj');
  const auth = await apiAs(srv, 'authority.secretariat');
  const authority = (await auth.get('/bodies?kind=authority')).items[0].id;
  // Meetings of the Authority: one next week, and today's, held.
  await auth.post(`/bodies/${authority}/meetings`, { date: tiraneDay(8).iso, time: '10:00', location: 'Ministria e Brendshme' });
  const held = await auth.post(`/bodies/${authority}/meetings`, { date: today.iso, time: '11:00', location: 'Ministria e Brendshme, salla 3' });
  await auth.put(`/meetings/${held.id}/attendance`, { seats: held.attendance.filter((s) => s.member).map((s) => ({ seat: s.seat, status: 'present' })) });
  await login(page, srv.url, 'authority.secretariat');
  await go(page, srv.url, `/cases/${code}`);
  await page.locator('.workflow-actions').getByRole('button', { name: 'Kalo në: Identifikimi formal' }).click();
  await dlg().waitFor();
  const meeting = dlg().locator('[name="al_authority_meeting"]');
  assert.equal(await meeting.inputValue(), String(held.id), "today's held meeting preselected");
  assert.match(await text(dlg().locator('.decision-meeting-line')), new RegExp(`Mbledhja e ${esc(today.shown)} është zhvilluar: vendimi regjistrohet në të një herë`));
  assert.equal(await dlg().locator('[name="al_formal_decision_date"]').inputValue(), today.shown, "the decision's day is the meeting's");
  await dlg().locator('[name="al_formal_decision"]').selectOption('identified_victim');
  await dlg().locator('[name="al_trafficking_scope"]').selectOption('internal');
  await dlg().getByRole('button', { name: 'Kalo në: Identifikimi formal' }).click();
  await notice(page, new RegExp(`Rasti ${code} u vendos me vendimin nr\\. \\d+ të mbledhjes së ${esc(today.shown)}\\.`));
  assert.match(await text(page.locator('.case-tags')), /Identifikimi formal[\s\S]*Viktimë e trafikimit \(VT\)/);
  assert.match(await text(page.locator('[data-field="al_authority_meeting"]')), new RegExp(`${esc(today.shown)}[\\s\\S]*E zhvilluar`));
  // Linked both ways: the meeting's decision names the case, on its review item; the case moved once.
  const m = (await pageApi(page, 'GET', `/meetings/${held.id}`)).body;
  const d = m.decisions.find((x) => x.case_code === code);
  assert.ok(d, 'a decision of the meeting');
  assert.equal(m.agenda.find((it) => it.id === d.item)?.kind, 'cases_review');
  const events = (await pageApi(page, 'GET', `/cases/${code}/events`)).body.items;
  assert.equal(events.filter((e) => e.action === 'transition' && e.to_stage === 'formal_identification').length, 1);
  await go(page, srv.url, `/meetings/${held.id}`);
  assert.match(await text(page.locator('.agenda-item', { hasText: 'Rastet në pritje të identifikimit formal' })),
    new RegExp(`${code}\\s*vendosur me vendimin nr\\. ${d.number}`));
  assert.equal(await page.locator('.decision-list').getByRole('link', { name: code }).count(), 1);
  await logout(page);
});

test('the formal decision from the case page: a new meeting scheduled in a small dialog, the case moving as before', async () => {
  const code = await referredCase('Mimoza', 'Gjoni');
  const later = tiraneDay(15);
  await login(page, srv.url, 'authority.secretariat');
  await go(page, srv.url, `/cases/${code}`);
  await page.locator('.workflow-actions').getByRole('button', { name: 'Kalo në: Identifikimi formal' }).click();
  await dlg().waitFor();
  const outer = page.locator('dialog[open]').first();
  await outer.getByRole('button', { name: 'Mbledhje e re e Autoritetit' }).click();
  await page.locator('dialog[open]').nth(1).waitFor();
  const small = dlg();
  assert.match(await text(small.locator('h2')), /Planifiko një mbledhje të Autoritetit/);
  assert.equal(await small.getByLabel('Data', { exact: true }).inputValue(), today.shown);
  await small.getByLabel('Data', { exact: true }).fill(later.shown);
  await small.getByRole('button', { name: 'Planifiko' }).click();
  await small.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(small.locator('.error-summary')), /Plotësoni fushën „Ora e fillimit”/);
  await small.getByLabel(/^Ora e fillimit/).fill('10');
  await small.getByLabel(/^Vendi/).fill('Ministria e Brendshme, salla 1');
  await small.getByRole('button', { name: 'Planifiko' }).click();
  await page.locator('dialog[open]').nth(1).waitFor({ state: 'detached' });
  assert.equal(await page.locator('dialog[open]').count(), 1, 'back in the decision, nothing lost');
  const created = (await pageApi(page, 'GET', `/bodies/${(await pageApi(page, 'GET', '/bodies?kind=authority')).body.items[0].id}/meetings`)).body.items
    .find((x) => x.date === later.iso);
  assert.ok(created, 'the meeting was scheduled');
  assert.equal(await outer.locator('[name="al_authority_meeting"]').inputValue(), String(created.id));
  assert.match(await text(outer.locator('.decision-meeting-created')), new RegExp(`Mbledhja e ${esc(later.shown)} u planifikua dhe u zgjodh\\.`));
  assert.match(await text(outer.locator('.decision-meeting-line')), /ende nuk është zhvilluar/);
  await outer.locator('[name="al_formal_decision"]').selectOption('not_identified');
  await outer.locator('[name="al_trafficking_scope"]').selectOption('internal');
  await outer.locator('[name="al_formal_decision_date"]').fill(today.shown);
  await outer.getByRole('button', { name: 'Kalo në: Identifikimi formal' }).click();
  await notice(page, `Rasti ${code} kaloi në fazën: Identifikimi formal.`);
  const c = (await pageApi(page, 'GET', `/cases/${code}`)).body;
  assert.deepEqual([c.stage, c.fields.al_authority_meeting], ['formal_identification', created.id]);
  assert.equal((await pageApi(page, 'GET', `/meetings/${created.id}`)).body.decisions.length, 0, 'not a decision of a meeting not yet held');
  await logout(page);
});

test("the Authority's proposed agenda lists the cases whose referral is unanswered for more than three days", async () => {
  const code = await referredCase('Arta', 'Shehu');
  const police = await apiAs(srv, 'fier.caseworker');
  await police.post(`/cases/${code}/referrals`, { institution: 270, reason: 'Këshillim ligjor', service: 'legal', fields: [] });
  // Sent five days ago, nobody has answered it.
  const then = new Date(Date.now() - 5 * 86400e3).toISOString().replace(/\.\d+Z$/, 'Z');
  execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db,
    `UPDATE referrals SET created_at = '${then}' WHERE case_id = (SELECT id FROM cases WHERE code = '${code}')`]);
  const auth = await apiAs(srv, 'authority.secretariat');
  const authority = (await auth.get('/bodies?kind=authority')).items[0].id;
  const m = await auth.post(`/bodies/${authority}/meetings`, { date: tiraneDay(3).iso, time: '10:00', location: 'Ministria e Brendshme' });
  await login(page, srv.url, 'authority.member');
  await go(page, srv.url, `/meetings/${m.id}`);
  const item = page.locator('.agenda-item', { hasText: 'Referimet pa përgjigje' });
  assert.match(await text(item), /propozuar nga sistemi/);
  assert.equal(await item.getByRole('link', { name: code }).getAttribute('href'), `/cases/${code}`);
  await page.getByRole('button', { name: 'English' }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await settled(page);
  assert.equal(await page.locator('.agenda-item', { hasText: 'Referrals not answered' }).getByRole('link', { name: code }).count(), 1);
  await page.getByRole('button', { name: 'Shqip' }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'sq');
  await settled(page);
  await logout(page);
});

test('no script errors', () => {
  assert.deepEqual(b.errors.filter((e) => !/status of (400|401|403|404|409)/.test(e)), []);
});
