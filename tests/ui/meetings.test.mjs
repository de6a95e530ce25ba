// A full cycle of Fier's Technical Table as its secretariat runs it: a meeting scheduled a week ago
// with an agenda item and an invited prosecutor; its attendance with one member represented (the
// substitute and the authorisation both asked for) and the quorum counted live over the members
// (the vacant seats marked so, and not counted); a decision giving
// the police a task; the minutes, and their A4 print; the next meeting (today) listing on its
// agenda the approval of those minutes and the open task, held, approving the minutes, which are
// then frozen with their SHA-256. The police case worker finds the task in "My tasks" and moves it
// on with a note; an overdue task is marked so. A meeting is rescheduled (a reason asked) and
// cancelled; its calendar entry downloads. Another county's secretariat is refused in words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { go, login, logout, settled, notice, pageApi, tiraneDay } from './lib/browser.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';
import { apiAs } from './lib/server.mjs';

let srv, b, page;
let table; // Fier's Technical Table
let first; // the meeting a week ago
let next; // today's meeting
let members; // the labels of the Table's seats that have a member
let seats; // how many seats the Table has
let noticeNumber; // the number of the first meeting's notice in the register
let caseCode; // a case of Fier's police, discussed by code
let required; // the Table's quorum: more than half of its members
const week = tiraneDay(-7);
const today = tiraneDay(0);
const due = tiraneDay(14);
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

before(async () => {
  ({ srv, b, page } = await openSuite());
  // The Table's quorum is counted over its members (the seats someone holds), vacant seats aside.
  const sec = await apiAs(srv, 'fier.secretariat');
  table = (await sec.get('/bodies?kind=technical_table&county=fier')).items[0].id;
  const body = await sec.get(`/bodies/${table}`);
  seats = body.seats.length;
  members = body.seats.filter((s) => s.status === 'filled').map((s) => s.label);
  assert.ok(members.length < seats, 'some seats are vacant');
  required = Math.floor(members.length / 2) + 1;
  // A case the police registered, which the Table discusses by its code only.
  const police = await apiAs(srv, 'fier.caseworker');
  caseCode = (await police.post('/cases', { fields: {
    vic_TraffickingStatus: 'PossibleVictimOfTrafficking', prs_FirstName: 'Mirela', prs_SecondName: 'Gjini', prs_Gender: 'Feminine',
    al_estimated_age: 24, al_identification_date: tiraneDay(-10).iso, al_identifying_institution: 41, al_identification_method: 'police',
    al_county: 'fier', al_municipality: 'fier', al_indicators_a: ['A01'], al_indicators_c: ['C01'], vic_TypeOfExploitation: ['SexualExploitation'],
  } })).code;
});
after(() => closeSuite({ b, srv }));

const text = (loc) => loc.innerText();
const dlg = () => page.locator('dialog[open]');
const main = () => text(page.locator('main'));

async function meetingId() {
  const m = /\/meetings\/(\d+)$/.exec(new URL(page.url()).pathname);
  assert.ok(m, `on a meeting page: ${page.url()}`);
  return Number(m[1]);
}

test("fier.secretariat schedules a meeting of the Technical Table with an agenda item and an invited prosecutor", async () => {
  await login(page, srv.url, 'fier.secretariat');
  await page.locator('nav.menu').getByRole('link', { name: 'Mbledhjet' }).click();
  await settled(page);
  assert.equal(await text(page.locator('main h1')), 'Mbledhjet');
  assert.match(await main(), /Komiteti Rajonal Antitrafikim — Fier[\s\S]*Tryeza Teknike Antitrafikim — Fier/);
  await page.getByRole('link', { name: 'Tryeza Teknike Antitrafikim — Fier', exact: true }).click();
  await settled(page);
  assert.match(await main(), /Shpeshtësia e mbledhjeve[\s\S]*të paktën një herë në 2 muaj/);
  await page.getByRole('link', { name: 'Planifiko një mbledhje' }).click();
  await settled(page);
  const form = page.locator('main form');
  await form.locator('[name="date"]').fill(week.shown);
  await form.locator('[name="time"]').fill('10');
  await form.locator('[name="end_time"]').fill('12:30');
  await form.locator('[name="title"]').fill('Mbledhja e tremujorit');
  // Neither a place nor a link: caught before anything is sent.
  await page.getByRole('button', { name: 'Planifiko mbledhjen' }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(page.locator('.error-summary:not([hidden])')), /Jepni vendin e mbledhjes ose lidhjen/);
  await form.locator('[name="location"]').fill('Prefektura Fier, salla e mbledhjeve');
  await form.getByLabel('Tema').fill('Rastet e reja të identifikuara në qark');
  await form.getByLabel(/^Paraqet/).fill('Drejtoria Vendore e Policisë Fier');
  // A case code that does not exist: the server's refusal, in words, on the field it names.
  await form.getByLabel(/^Rastet që shqyrtohen/).fill('FR-2099-9999');
  // A second item, moved above the first, then removed again.
  await page.getByRole('button', { name: 'Shto një pikë' }).click();
  await form.getByLabel('Tema').nth(1).fill('Të ndryshme');
  await page.getByRole('button', { name: 'Lart — Të ndryshme' }).click();
  assert.equal(await form.getByLabel('Tema').first().inputValue(), 'Të ndryshme');
  await page.getByRole('button', { name: 'Hiq — Të ndryshme' }).click();
  assert.equal(await form.getByLabel('Tema').count(), 1);
  await page.getByRole('button', { name: 'Shto një të ftuar të ri' }).click();
  await form.getByLabel('Emri', { exact: true }).fill('Arben Hoxha');
  await form.getByLabel(/^Organizata/).fill('Prokuroria e Rrethit Gjyqësor Fier');
  await form.getByLabel(/^E-maili/).fill('a.hoxha@example.org');
  await page.getByRole('button', { name: 'Planifiko mbledhjen' }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(page.locator('.error-summary:not([hidden])')), /Në fushën „Pika 1, Rastet që shqyrtohen \(kodet\)” nuk ka rast me kodin FR-2099-9999\./);
  assert.equal(await form.getByLabel(/^Rastet që shqyrtohen/).getAttribute('aria-invalid'), 'true');
  await form.getByLabel(/^Rastet që shqyrtohen/).fill(caseCode.toLowerCase());
  await page.getByRole('button', { name: 'Planifiko mbledhjen' }).click();
  await notice(page, `Mbledhja e ${week.shown} u planifikua.`);
  first = await meetingId();
  const m = await main();
  assert.match(m, /Mbledhja e tremujorit/);
  assert.match(m, /10:00–12:30/);
  assert.match(m, /Rastet e reja të identifikuara në qark[\s\S]*Paraqet: Drejtoria Vendore e Policisë Fier/);
  assert.equal(await page.locator('.agenda-list').getByRole('link', { name: caseCode }).getAttribute('href'), `/cases/${caseCode}`);
  assert.match(m, /Arben Hoxha[\s\S]*Prokuroria e Rrethit Gjyqësor Fier/);
  assert.match(await text(page.locator('.case-tags')), /E planifikuar/);
  // The notice: numbered in the body's register, to every member and to the prosecutor.
  await page.getByRole('button', { name: 'Dërgo njoftimin' }).click();
  await dlg().waitFor();
  assert.match(await text(dlg()), /Njoftimi u dërgohet anëtarëve \(\d+\) dhe të ftuarve \(1\)/);
  await dlg().getByRole('button', { name: 'Dërgo njoftimin' }).click();
  const sent = await notice(page, /Njoftimi nr\. \d+\/\d{4} u dërgua\./);
  noticeNumber = /nr\. (\d+\/\d{4})/.exec(sent)[1];
  const letter = page.locator('details.notice-letter').first();
  assert.match(await text(letter), new RegExp(`Shkresa nr\\. ${esc(noticeNumber)} — Njoftim[\\s\\S]*Arben Hoxha`));
  assert.equal(await page.getByRole('button', { name: 'Dërgo përsëri njoftimin' }).count(), 1, 'sent once; may be sent again');
  // In the list of the body's meetings.
  await page.getByRole('link', { name: 'Mbledhjet' }).last().click();
  await settled(page);
  const row = page.locator('table.data tbody tr', { hasText: week.shown });
  assert.match(await text(row), /10:00–12:30[\s\S]*zakonshme[\s\S]*Mbledhja e tremujorit[\s\S]*E planifikuar/);
});

test('the attendance: one member represented, the quorum counted as the secretary ticks', async () => {
  await go(page, srv.url, `/meetings/${first}`);
  const live = page.locator('.quorum-live');
  const of = `nga ${members.length} anëtarë`;
  assert.match(await text(live), new RegExp(`Pa kuorum[\\s\\S]*0 ${of}[\\s\\S]*të paktën ${required}\\. Vendet vakante \\(${seats - members.length} nga ${seats}\\) nuk numërohen\\.`));
  // A vacant seat says so, and marking it present does not make the quorum.
  const vacant = page.locator('.attendance-sheet tbody tr.row-vacant');
  assert.equal(await vacant.count(), seats - members.length);
  assert.match(await text(vacant.first()), /vend vakant\s*nuk numërohet në kuorum/);
  await vacant.first().getByLabel('I pranishëm').check();
  assert.match(await text(live), new RegExp(`Pa kuorum[\\s\\S]*0 ${of}`), 'a vacant seat is not counted');
  await vacant.first().getByLabel('Mungon pa njoftim').check();
  await page.getByRole('button', { name: 'Shëno të pranishëm anëtarët e pashënuar' }).click();
  assert.match(await text(live), new RegExp(`Ka kuorum[\\s\\S]*${members.length} ${of}`));
  assert.equal(await vacant.nth(1).locator('input:checked').count(), 0, 'vacant seats are not marked present');
  // Members send word they cannot come, the police last: one short of the quorum.
  const police = 'Drejtoria Vendore e Policisë Fier';
  const away = [...members.filter((l) => l !== police).slice(0, members.length - required), police];
  for (const seat of away) await page.getByRole('group', { name: `Prania — ${seat}` }).getByLabel('Mungon me njoftim').check();
  assert.match(await text(live), new RegExp(`Pa kuorum[\\s\\S]*${required - 1} ${of}`), 'one member short: no quorum');
  // The police sends a substitute.
  const seat = page.getByRole('group', { name: `Prania — ${police}` });
  await seat.getByLabel('I përfaqësuar').check();
  assert.match(await text(live), new RegExp(`Ka kuorum[\\s\\S]*${required - 1} të pranishëm, 1 të përfaqësuar`));
  await seat.getByLabel(/^Zëvendësuesi/).fill('Ilir Duka');
  await page.getByLabel('Arben Hoxha erdhi').check();
  // The authorisation is asked for before anything is sent.
  await page.getByRole('button', { name: 'Ruaj pjesëmarrjen' }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(page.locator('.error-summary:not([hidden])')), /Drejtoria Vendore e Policisë Fier: shkruani autorizimin/);
  await seat.getByLabel(/^Autorizimi/).fill('Autorizim nr. 45/2026 i drejtorit');
  await page.getByRole('button', { name: 'Ruaj pjesëmarrjen' }).click();
  await notice(page, 'Pjesëmarrja u ruajt. Ka kuorum.');
  assert.match(await text(page.locator('.case-tags')), /E zhvilluar/);
  assert.match(await text(page.locator('.quorum-live')), /Ka kuorum/);
  const saved = (await pageApi(page, 'GET', `/meetings/${first}`)).body;
  const rep = saved.attendance.find((s) => s.status === 'represented');
  assert.deepEqual([rep.substitute, rep.authorisation], ['Ilir Duka', 'Autorizim nr. 45/2026 i drejtorit']);
  assert.deepEqual([saved.quorum.present, saved.quorum.represented, saved.quorum.held], [required - 1, 1, true]);
  assert.equal(saved.guests[0].attended, true);
  assert.deepEqual([saved.quorum.of, saved.quorum.members, saved.quorum.seats], ['members', members.length, seats]);
});

test('a decision with its votes gives the police of Fier a task', async () => {
  await page.getByRole('button', { name: 'Regjistro një vendim' }).click();
  await dlg().waitFor();
  assert.match(await text(dlg()), /Mbledhja ka kuorum/);
  await dlg().getByLabel('Teksti i vendimit').fill('Policia e Fierit verifikon rastet e reja dhe raporton në mbledhjen e ardhshme.');
  const item = dlg().getByLabel(/^Pika e rendit të ditës/);
  await item.selectOption(await item.locator('option', { hasText: 'Rastet e reja të identifikuara në qark' }).getAttribute('value'));
  await dlg().getByLabel(/^Pro/).fill(String(required - 1));
  await dlg().getByLabel(/^Kundër/).fill('0');
  await dlg().getByLabel(/^Abstenim/).fill('1');
  await dlg().getByRole('button', { name: 'Shto një detyrë' }).click();
  await dlg().getByLabel('Detyra', { exact: true }).fill('Verifikimi i rasteve të reja');
  await dlg().getByLabel('Institucioni përgjegjës').selectOption({ label: 'Drejtoria Vendore e Policisë Fier' });
  await dlg().getByLabel(/^Afati/).fill('31.02.2026');
  await dlg().getByRole('button', { name: 'Regjistro vendimin' }).click();
  await dlg().locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(dlg().locator('.error-summary')), /kjo datë nuk ekziston/);
  await dlg().getByLabel(/^Afati/).fill(due.shown);
  await dlg().getByRole('button', { name: 'Regjistro vendimin' }).click();
  await notice(page, 'Vendimi nr. 1 u regjistrua, me 1 detyrë.');
  const d = page.locator('.decision').first();
  const dt = await text(d);
  assert.match(dt, /Vendimi nr\. 1/);
  assert.match(dt, /Për pikën \d+: Rastet e reja të identifikuara në qark/);
  assert.match(dt, new RegExp(`Pro ${required - 1} · Kundër 0 · Abstenim 1\\.`));
  assert.match(dt, /me kuorum/);
  assert.match(dt, new RegExp(`Verifikimi i rasteve të reja — Drejtoria Vendore e Policisë Fier, afati ${esc(due.shown)}[\\s\\S]*E hapur`));
});

test('the minutes per item and a summary, printed as a clean A4 page in Albanian', async () => {
  await page.getByLabel(/^Pika \d+\. Rastet e reja të identifikuara në qark/).fill('Policia raportoi për dy raste të reja në Lushnjë.');
  await page.getByLabel(/^Përmbledhja/).fill('Tryeza shqyrtoi rastet e reja dhe ngarkoi policinë me verifikimin e tyre.');
  await page.getByRole('button', { name: 'Ruaj procesverbalin' }).click();
  await notice(page, 'Procesverbali u ruajt.');
  assert.equal(await page.getByLabel(/^Përmbledhja/).inputValue(), 'Tryeza shqyrtoi rastet e reja dhe ngarkoi policinë me verifikimin e tyre.');
  await page.getByRole('link', { name: 'Procesverbali për shtyp' }).click();
  await settled(page);
  const doc = page.locator('.minutes-doc');
  assert.equal(await doc.getAttribute('lang'), 'sq');
  const d = await text(doc);
  for (const re of [/TRYEZA TEKNIKE ANTITRAFIKIM — FIER/i, /PROCESVERBAL/, new RegExp(`i mbledhjes së datës ${esc(week.shown)}`),
    /PROJEKT — ende i pamiratuar/, /Prefektura Fier, salla e mbledhjeve/, /I përfaqësuar\s*nga Ilir Duka, me autorizimin Autorizim nr\. 45\/2026/,
    /Të ftuar të pranishëm: Arben Hoxha \(Prokuroria e Rrethit Gjyqësor Fier\)/, new RegExp(`Të pranishëm ${required - 1} dhe të përfaqësuar 1 nga ${members.length} anëtarë \\(${seats} vende\\); kuorumi prej ${required} u arrit\\.`),
    new RegExp(`Rastet e reja të identifikuara në qark — paraqiti Drejtoria Vendore e Policisë Fier\\s*Rastet e shqyrtuara: ${caseCode}\\s*Policia raportoi për dy raste`),
    new RegExp(`Vendimi nr\\. 1 \\(pika \\d+\\)[\\s\\S]*Pro ${required - 1}, kundër 0, abstenim 1\\. Marrë me kuorum\\.`),
    new RegExp(`Detyrë: Verifikimi i rasteve të reja — Drejtoria Vendore e Policisë Fier, afati ${esc(due.shown)}`),
    /Tryeza shqyrtoi rastet e reja/, /Kryesuesi i mbledhjes/, /Sekretariati teknik/]) {
    assert.match(d, re);
  }
  // Print: the browser's own dialog, A4, nothing of the application around the document.
  await page.evaluate(() => {
    window.printed = 0;
    window.print = () => { window.printed += 1; };
  });
  await page.getByRole('button', { name: 'Printo' }).click();
  assert.equal(await page.evaluate(() => window.printed), 1);
  await page.emulateMedia({ media: 'print' });
  try {
    const shown = await page.evaluate(() => ['.topbar', '.menu', '.breadcrumbs', '.page-header', '.footer', '.minutes-doc']
      .map((s) => getComputedStyle(document.querySelector(s)).display !== 'none'));
    assert.deepEqual(shown, [false, false, false, false, false, true]);
  } finally {
    await page.emulateMedia({ media: 'screen' });
  }
  const a4 = await page.evaluate(() => [...document.styleSheets].flatMap((s) => [...s.cssRules])
    .some((r) => r instanceof CSSPageRule && /size:\s*A4/i.test(r.cssText)));
  assert.ok(a4, '@page is A4');
});

test('a material of the meeting is uploaded and listed with its fingerprint', async () => {
  await go(page, srv.url, `/meetings/${first}`);
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  await page.getByLabel('Shtoni një material').setInputFiles({ name: 'Raporti i policisë.pdf', mimeType: 'application/pdf', buffer: pdf });
  await page.getByRole('button', { name: 'Ngarko materialin' }).click();
  await notice(page, 'Materiali „Raporti i policisë.pdf” u ngarkua.');
  const row = page.locator('table.data tbody tr', { hasText: 'Raporti i policisë.pdf' });
  assert.match(await text(row), /[0-9a-f]{64}/);
  const href = await row.getByRole('link', { name: 'Raporti i policisë.pdf' }).getAttribute('href');
  const got = await page.evaluate(async (u) => (await fetch(u)).text(), href);
  assert.match(got, /^%PDF-1\.4/);
});

test('the next meeting lists the approval of the minutes and the open task, is held and approves them', async () => {
  await go(page, srv.url, `/bodies/${table}/meetings/new`);
  const form = page.locator('main form');
  await form.locator('[name="date"]').fill(today.shown);
  await form.locator('[name="time"]').fill('09:30');
  await form.locator('[name="location"]').fill('Prefektura Fier');
  await form.getByLabel('Tema').fill('Raportimi i institucioneve');
  await page.getByRole('button', { name: 'Planifiko mbledhjen' }).click();
  await notice(page, `Mbledhja e ${today.shown} u planifikua.`);
  next = await meetingId();
  const agenda = page.locator('.agenda-list');
  const items = await agenda.locator('.agenda-item').allInnerTexts();
  assert.equal(items.length, 3);
  assert.match(items[0], new RegExp(`Miratimi i procesverbalit të mbledhjes së mëparshme[\\s\\S]*Procesverbali i mbledhjes së ${esc(week.shown)}[\\s\\S]*Projekt`));
  assert.match(items[1], /Ndjekja e detyrave të hapura[\s\S]*Verifikimi i rasteve të reja — Drejtoria Vendore e Policisë Fier[\s\S]*E hapur/);
  assert.match(items[2], /Raportimi i institucioneve/);
  assert.match(await text(page.locator('main')), /Procesverbali miratohet në këtë mbledhje, pasi të shënohet pjesëmarrja/);
  // Held: everyone came.
  await page.getByRole('button', { name: 'Shëno të pranishëm anëtarët e pashënuar' }).click();
  await page.getByRole('button', { name: 'Ruaj pjesëmarrjen' }).click();
  await notice(page, 'Pjesëmarrja u ruajt. Ka kuorum.');
  await page.getByRole('button', { name: `Mirato procesverbalin e mbledhjes së ${week.shown}` }).click();
  await dlg().waitFor();
  await dlg().getByLabel(/^Ndryshimet e miratuara/).fill('Në pikën 1: dy raste në Lushnjë dhe një në Patos.');
  await dlg().getByRole('button', { name: 'Mirato procesverbalin' }).click();
  await notice(page, `Procesverbali i mbledhjes së ${week.shown} u miratua.`);
  assert.match(await text(page.locator('.decision').first()), new RegExp(`Miratohet procesverbali i mbledhjes së datës ${esc(week.shown)}, me ndryshimet e shënuara`));
  // The earlier meeting: its minutes frozen, with their hash, read-only.
  await page.getByRole('link', { name: `Procesverbali i mbledhjes së ${week.shown}` }).first().click();
  await settled(page);
  const m = await main();
  assert.match(m, /Procesverbali është miratuar dhe nuk ndryshon më\./);
  assert.match(m, new RegExp(`Miratuar në mbledhjen e ${esc(today.shown)}`));
  assert.match(m, /Gjurma SHA-256\s*[0-9a-f]{64}/);
  assert.match(m, /Në pikën 1: dy raste në Lushnjë dhe një në Patos\./);
  assert.equal(await page.getByRole('button', { name: 'Ruaj procesverbalin' }).count(), 0, 'no more editing');
  assert.equal(await page.getByRole('button', { name: 'Regjistro një vendim' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Ruaj pjesëmarrjen' }).count(), 0);
  const hash = (await pageApi(page, 'GET', `/meetings/${first}`)).body.minutes_hash;
  assert.match(m, new RegExp(hash));
  await page.getByRole('link', { name: 'Procesverbali për shtyp' }).click();
  await settled(page);
  const d = await text(page.locator('.minutes-doc'));
  assert.doesNotMatch(d, /PROJEKT/);
  assert.match(d, new RegExp(`Ky procesverbal u miratua në mbledhjen e datës ${esc(today.shown)}\\.`));
  assert.match(d, new RegExp(`Gjurma SHA-256 e tekstit të miratuar: ${hash}`));
  await logout(page);
});

test("the police case worker sees the task in \"My tasks\" and moves it to in progress with a note", async () => {
  await login(page, srv.url, 'fier.caseworker');
  const menu = await text(page.locator('nav.menu'));
  assert.doesNotMatch(menu, /Mbledhjet/);
  await page.locator('nav.menu').getByRole('link', { name: 'Detyrat e mia' }).click();
  await settled(page);
  const row = page.locator('table.data tbody tr', { hasText: 'Verifikimi i rasteve të reja' });
  assert.match(await text(row), new RegExp(`Drejtoria Vendore e Policisë Fier[\\s\\S]*${esc(due.shown)}[\\s\\S]*E hapur[\\s\\S]*Tryeza Teknike Antitrafikim — Fier[\\s\\S]*Mbledhja e ${esc(week.shown)}`));
  assert.equal(await row.getByRole('link', { name: `Mbledhja e ${week.shown}` }).count(), 0, 'case workers do not read meetings');
  await row.getByRole('link', { name: 'Verifikimi i rasteve të reja' }).click();
  await settled(page);
  // A note is required; only the secretariat cancels.
  assert.equal(await page.getByLabel('E anuluar').count(), 0);
  await page.getByLabel('Në zbatim').check();
  await page.getByRole('button', { name: 'Ruaj ndryshimin' }).click();
  await page.locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(page.locator('.error-summary:not([hidden])')), /Plotësoni fushën „Shënimi”/);
  await page.getByLabel(/^Shënimi/).fill('U caktua inspektori; verifikimi nis nesër.');
  await page.getByRole('button', { name: 'Ruaj ndryshimin' }).click();
  await notice(page, 'Detyra kaloi në gjendjen „Në zbatim”.');
  assert.match(await text(page.locator('.case-tags')), /Në zbatim/);
  assert.match(await text(page.locator('.timeline')), /Në zbatim\s*U caktua inspektori; verifikimi nis nesër\./);
  await go(page, srv.url, '/tasks?status=in_progress');
  assert.equal(await page.getByRole('link', { name: 'Verifikimi i rasteve të reja' }).count(), 1);
  await go(page, srv.url, '/tasks?status=open');
  assert.equal(await page.getByRole('link', { name: 'Verifikimi i rasteve të reja' }).count(), 0);
});

test('an overdue task is marked so, in the list and on its page', async () => {
  // A KRAT meeting two months ago gave the police a report due a month ago.
  const sec = await apiAs(srv, 'fier.secretariat');
  const krat = (await sec.get('/bodies?kind=krat&county=fier')).items[0].id;
  const police = (await sec.get('/institutions?county=fier&limit=500')).items.find((i) => i.type === 'local_police').id;
  const m = await sec.post(`/bodies/${krat}/meetings`, { date: tiraneDay(-60).iso, time: '10:00', location: 'Prefektura Fier' });
  await sec.put(`/meetings/${m.id}/attendance`, { seats: [{ seat: m.attendance[0].seat, status: 'present' }] });
  await sec.post(`/meetings/${m.id}/decisions`, { text: 'Raport për KRAT-in.', tasks: [{ title: 'Raporti tremujor i policisë', institution: police, due: tiraneDay(-30).iso }] });
  await go(page, srv.url, '/tasks');
  const n = (await pageApi(page, 'GET', '/tasks?mine=1&status=overdue')).body.items.length;
  assert.match(await main(), new RegExp(n === 1 ? '1 detyrë ka kaluar afatin\\.' : `${n} detyra kanë kaluar afatin\\.`));
  const row = page.locator('table.data tbody tr', { hasText: 'Raporti tremujor i policisë' });
  assert.match(await row.getAttribute('class'), /row-overdue/);
  assert.match(await text(row), /E hapur\s*!\s*Me afat të kaluar/);
  await page.getByRole('link', { name: 'Me afat të kaluar' }).click();
  await settled(page);
  const listed = await page.locator('table.data tbody tr th a').allInnerTexts();
  assert.ok(listed.includes('Raporti tremujor i policisë'), 'listed among the overdue');
  assert.ok(!listed.includes('Verifikimi i rasteve të reja'), 'a task still in time is not');
  await page.getByRole('link', { name: 'Raporti tremujor i policisë' }).click();
  await settled(page);
  assert.match(await main(), new RegExp(`Afati ka kaluar më ${esc(tiraneDay(-30).shown)}\\.`));
  await logout(page);
});

test('a meeting is rescheduled with its reason, then cancelled; its calendar entry downloads', async () => {
  await login(page, srv.url, 'fier.secretariat');
  const later = tiraneDay(20);
  const sooner = tiraneDay(21);
  await go(page, srv.url, `/bodies/${table}/meetings/new`);
  const form = page.locator('main form');
  await form.locator('[name="date"]').fill(later.shown);
  await form.locator('[name="time"]').fill('10:00');
  await form.locator('[name="link"]').fill('https://meet.example.org/tryeza-fier');
  await page.getByRole('button', { name: 'Planifiko mbledhjen' }).click();
  await notice(page, `Mbledhja e ${later.shown} u planifikua.`);
  const id = await meetingId();
  assert.match(await main(), /Të dhënat e mbledhjes[\s\S]*Pjesëmarrja shënohet nga dita e mbledhjes/);
  const ics = await page.evaluate(async (href) => {
    const r = await fetch(href);
    return { type: r.headers.get('Content-Type'), body: await r.text() };
  }, await page.getByRole('link', { name: 'Shkarko në kalendar (.ics)' }).getAttribute('href'));
  assert.match(ics.type, /text\/calendar/);
  assert.match(ics.body, /BEGIN:VCALENDAR[\s\S]*BEGIN:VEVENT/);
  await page.getByRole('button', { name: 'Ndrysho ose riplanifiko' }).click();
  await dlg().waitFor();
  await dlg().locator('[name="date"]').fill(sooner.shown);
  await dlg().getByRole('button', { name: 'Ruaj' }).click();
  await dlg().locator('.error-summary:not([hidden])').waitFor();
  assert.match(await text(dlg().locator('.error-summary')), /Shkruani arsyen e ndryshimit/);
  await dlg().getByLabel(/^Arsyeja e ndryshimit/).fill('Kryetari ka një seancë në Tiranë.');
  await dlg().getByRole('button', { name: 'Ruaj' }).click();
  await notice(page, `Mbledhja u riplanifikua për ${sooner.shown}.`);
  const history = await text(page.locator('.timeline'));
  assert.match(history, new RegExp(`Riplanifikuar\\s*Data: ${esc(later.shown)} → ${esc(sooner.shown)}\\s*Arsyeja: Kryetari ka një seancë në Tiranë\\.`));
  await page.getByRole('button', { name: 'Anulo mbledhjen' }).click();
  await dlg().waitFor();
  await dlg().getByLabel(/^Arsyeja e anulimit/).fill('Mungesë kuorumi e paralajmëruar.');
  await dlg().getByRole('button', { name: 'Anulo mbledhjen' }).click();
  await notice(page, `Mbledhja e ${sooner.shown} u anulua.`);
  assert.match(await text(page.locator('.case-tags')), /E anuluar/);
  assert.match(await main(), /Kjo mbledhje u anulua\. Arsyeja: Mungesë kuorumi e paralajmëruar\./);
  assert.equal(await page.getByRole('button', { name: 'Ndrysho ose riplanifiko' }).count(), 0);
  const cancelled = await page.evaluate(async (m) => (await fetch(`/api/v1/meetings/${m}/ics`)).text(), id);
  assert.match(cancelled, /STATUS:CANCELLED/);
  await logout(page);
});

test('the correspondence register: the notice numbered, a letter recorded, found and its attachment kept', async () => {
  await login(page, srv.url, 'fier.secretariat');
  await page.locator('nav.menu').getByRole('link', { name: 'Korrespondenca' }).click();
  await settled(page);
  await page.getByLabel('Organi').selectOption({ label: 'Tryeza Teknike Antitrafikim — Fier' });
  await page.getByRole('button', { name: 'Kërko' }).click();
  await settled(page);
  const sent = page.locator('table.data tbody tr', { hasText: noticeNumber });
  assert.match(await text(sent), new RegExp(`Dalëse[\\s\\S]*Mbledhja e ${esc(week.shown)}`));
  await page.getByRole('button', { name: 'Regjistro një shkresë' }).click();
  await dlg().waitFor();
  await dlg().getByLabel('Hyrëse').check();
  await dlg().getByLabel(/^Pala/).fill('Prokuroria e Rrethit Gjyqësor Fier');
  await dlg().getByLabel(/^Lënda/).fill('Konfirmim i pjesëmarrjes së prokurorit');
  const meeting = dlg().getByLabel(/^Mbledhja/);
  await meeting.selectOption({ label: `Mbledhja e ${week.shown}` });
  await dlg().getByRole('button', { name: 'Regjistro', exact: true }).click();
  const added = await notice(page, /Shkresa u regjistrua me nr\. \d+\/\d{4}\./);
  const number = /nr\. (\d+\/\d{4})/.exec(added)[1];
  await page.getByLabel('Kërko në palë ose lëndë').fill('konfirmim');
  await page.getByRole('button', { name: 'Kërko' }).click();
  await settled(page);
  const rows = page.locator('table.data tbody tr');
  assert.equal(await rows.count(), 1);
  assert.match(await text(rows.first()), new RegExp(`${esc(number)}[\\s\\S]*Hyrëse[\\s\\S]*${esc(today.shown)}[\\s\\S]*Prokuroria e Rrethit Gjyqësor Fier`));
  await rows.first().getByRole('button', { name: /^Bashkëngjit/ }).click();
  await dlg().waitFor();
  await dlg().getByLabel('Zgjidhni skedarin').setInputFiles({ name: 'konfirmimi.pdf', mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n') });
  await dlg().getByRole('button', { name: 'Ngarko' }).click();
  await notice(page, /konfirmimi\.pdf/);
  assert.equal(await page.getByRole('link', { name: 'konfirmimi.pdf' }).count(), 1);
  await logout(page);
});

test("another county's secretariat gets the translated refusal on a Fier meeting", async () => {
  await login(page, srv.url, 'vlore.secretariat');
  await go(page, srv.url, `/meetings/${first}`);
  assert.equal(await text(page.locator('main h1')), 'Nuk keni leje');
  assert.match(await main(), /Roli juaj nuk mund të shohë mbledhjet e këtij organi\./);
  await go(page, srv.url, `/bodies/${table}/meetings`);
  assert.match(await main(), /Roli juaj nuk mund të shohë mbledhjet e këtij organi\./);
  const forged = await pageApi(page, 'PUT', `/meetings/${next}/minutes`, { summary: 'X' });
  assert.deepEqual([forged.status, forged.body.error.key], [403, 'meeting_forbidden']);
  await page.getByRole('button', { name: 'English' }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await settled(page);
  await go(page, srv.url, `/meetings/${first}`);
  assert.equal(await text(page.locator('main h1')), 'Not allowed');
  assert.match(await main(), /Your role may not see the meetings of this body\./);
  await page.getByRole('button', { name: 'Shqip' }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'sq');
  await logout(page);
});

test("the Ministry's monitor reads the meetings, their compliance and the year at a glance, and changes nothing", async () => {
  await login(page, srv.url, 'ministry.monitor');
  await go(page, srv.url, '/meetings?county=fier');
  assert.match(await main(), /Tryeza Teknike Antitrafikim — Fier/);
  assert.equal(await page.getByRole('link', { name: /^Planifiko/ }).count(), 0);
  await page.getByRole('link', { name: 'Përmbledhja vjetore' }).click();
  await settled(page);
  const row = page.locator('table.matrix tbody tr', { hasText: 'Tryeza Teknike Antitrafikim — Fier' });
  const cells = await row.locator('td').allInnerTexts();
  assert.equal(cells.length, 14, 'twelve months, held and in time');
  assert.match(cells[12], /^\d+ nga \d+ \(\d+%\)$/);
  assert.ok(cells.slice(0, 12).reduce((a, c) => a + Number(c), 0) >= 1, 'the meetings of this year are counted');
  assert.match(await text(page.locator('table.matrix tr.row-total')), /Gjithsej/);
  await go(page, srv.url, `/meetings/${first}`);
  assert.match(await main(), /Procesverbali është miratuar/);
  assert.equal(await page.locator('main form').count(), 0, 'no forms');
  assert.doesNotMatch(await main(), new RegExp(caseCode), 'no case references for the Ministry');
  assert.doesNotMatch(await main(), /Raporti i policisë\.pdf/, 'materials may name cases: not for the Ministry');
  assert.doesNotMatch(await main(), /Historiku|a\.hoxha@example\.org/, 'nor the history, nor the guests\' addresses');
  assert.match(await main(), /Arben Hoxha/);
  await go(page, srv.url, `/meetings/${next}`);
  assert.match(await main(), /Procesverbali dhe vendimet shfaqen për rolin tuaj pasi të miratohen/);
  assert.equal(await page.getByRole('button', { name: /Regjistro|Ndrysho|Anulo|Mirato/ }).count(), 0);
  await logout(page);
});

test("the Authority decides two cases' formal identification from its proposed agenda", async () => {
  // Two adults the police of Fier identified and referred to the Authority.
  const police = await apiAs(srv, 'fier.caseworker');
  const referred = [];
  for (const [first, last] of [['Lule', 'Dema'], ['Sokol', 'Brahimi']]) {
    const { code } = await police.post('/cases', { fields: {
      vic_TraffickingStatus: 'PossibleVictimOfTrafficking', prs_FirstName: first, prs_SecondName: last, prs_Gender: first === 'Lule' ? 'Feminine' : 'Masculine',
      al_estimated_age: 30, al_identification_date: tiraneDay(-5).iso, al_identifying_institution: 41, al_identification_method: 'police',
      al_county: 'fier', al_municipality: 'fier', al_indicators_a: ['A01'], al_indicators_b: ['B02'], al_indicators_c: ['C01'],
      vic_TypeOfExploitation: ['ForcedLabour'],
    } });
    await police.post(`/cases/${code}/transitions`, { to: 'referral', version: 1, fields: {
      cas_OutgoingReferralDate: tiraneDay(-4).iso, cas_ReferredOrganisation: 270, prs_Citizenship: ['AL'],
      al_consents: [{ al_consent_purpose: 'data_processing', con_Consent: true, al_consent_by: 'self', al_consent_date: tiraneDay(-4).iso }],
    } });
    referred.push(code);
  }
  await login(page, srv.url, 'authority.secretariat');
  const authority = (await pageApi(page, 'GET', '/bodies?kind=authority')).body.items[0].id;
  await go(page, srv.url, `/bodies/${authority}/meetings/new`);
  const form = page.locator('main form');
  await form.locator('[name="date"]').fill(today.shown);
  await form.locator('[name="time"]').fill('11:00');
  await form.locator('[name="location"]').fill('Ministria e Brendshme, salla 3');
  await page.getByRole('button', { name: 'Planifiko mbledhjen' }).click();
  await notice(page, `Mbledhja e ${today.shown} u planifikua.`);
  const review = page.locator('.agenda-item', { hasText: 'Rastet në pritje të identifikimit formal' });
  for (const code of referred) assert.equal(await review.getByRole('link', { name: code }).count(), 1, `${code} on the proposed agenda`);
  assert.equal(await review.getByRole('button', { name: /^Vendos/ }).count(), 0, 'decided once the meeting is held');
  await page.getByRole('button', { name: 'Shëno të pranishëm anëtarët e pashënuar' }).click();
  await page.getByRole('button', { name: 'Ruaj pjesëmarrjen' }).click();
  await notice(page, 'Pjesëmarrja u ruajt. Ka kuorum.');
  const outcomes = { [referred[0]]: 'identified_victim', [referred[1]]: 'not_identified' };
  for (const code of referred) {
    await page.locator('.agenda-item', { hasText: 'Rastet në pritje të identifikimit formal' }).getByRole('button', { name: `Vendos ${code}` }).click();
    await dlg().waitFor();
    assert.match(await text(dlg()), new RegExp(`Identifikimi formal i rastit ${code}`));
    await dlg().locator('[name="al_formal_decision"]').selectOption(outcomes[code]);
    await dlg().locator('[name="al_trafficking_scope"]').selectOption('internal');
    await dlg().getByRole('button', { name: 'Regjistro vendimin' }).click();
    await notice(page, new RegExp(`Rasti ${code} u vendos me vendimin nr\\. \\d+\\.`));
  }
  const decisions = await text(page.locator('.decision-list'));
  // The text names the outcome; the case is the decision's own link.
  assert.match(decisions, new RegExp(`Identifikimi formal: [^\\n]+\\.[\\s\\S]*${referred[0]}[\\s\\S]*Identifikimi formal: [^\\n]+\\.[\\s\\S]*${referred[1]}`));
  assert.match(await text(review), new RegExp(`${referred[0]}\\s*vendosur me vendimin nr\\. \\d+`));
  // Recorded once: the case's own formal identification, with this meeting.
  await page.locator('.decision-list').getByRole('link', { name: referred[0] }).click();
  await settled(page);
  assert.match(await text(page.locator('.case-tags')), /Viktimë e trafikimit \(VT\)/);
  assert.match(await text(page.locator('[data-field="al_authority_meeting"]')), new RegExp(esc(today.shown)));
  const other = (await pageApi(page, 'GET', `/cases/${referred[1]}`)).body;
  assert.equal(other.stage, 'formal_identification');
  await logout(page);
});

test('no script errors', () => {
  assert.deepEqual(b.errors.filter((e) => !/status of (400|401|403|409)/.test(e)), []);
});
