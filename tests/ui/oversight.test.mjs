// The data-protection officer finds who read a planted person's data: the person search by
// name (terms in a POST body only), the readers of her case, the case's trail with the fields
// read and the reasons, the trail narrowed by user and days, and its export. The planted name
// appears in no address the page asks for and no line of the server's log.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { login, settled, tiraneDay, go, launch, PHONE } from './lib/browser.mjs';
import { contrastFailures } from './lib/contrast.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';
import { apiAs } from './lib/server.mjs';

const MARKER = 'Markelinda';
const SURNAME = 'Gjurmëzbuluese';

let srv, b, page, code;
const urls = [];
before(async () => {
  ({ srv, b, page } = await openSuite());
  page.on('request', (r) => urls.push(r.url()));
  const cw = await apiAs(srv, 'fier.caseworker');
  const me = await cw.get('/session');
  const created = await cw.post('/cases', { fields: {
    vic_TraffickingStatus: 'PossibleVictimOfTrafficking', prs_FirstName: MARKER, prs_SecondName: SURNAME,
    prs_Gender: 'Feminine', prs_Birthdate: '1993-07-14', al_identification_date: tiraneDay(-3).iso,
    al_identifying_institution: me.user.institution, al_identification_method: 'police', al_county: 'fier',
    al_municipality: 'patos', al_indicators_a: ['A01'], al_indicators_c: ['C01'], vic_TypeOfExploitation: ['ForcedBegging'],
    al_documents: [{ al_document_type: 'passport', al_document_number: 'GJ7788990' }],
  } });
  code = created.code;
  await cw.post(`/cases/${code}/personal`, { reason: 'Vlerësimi i nevojave për strehim' });
  const member = await apiAs(srv, 'authority.member');
  await member.post(`/cases/${code}/personal`, { reason: 'Shqyrtimi për identifikimin formal' });
});
after(() => closeSuite({ b, srv }));

const text = (loc) => loc.innerText();

test('the officer finds the planted person by name and sees who read her data', async () => {
  await login(page, srv.url, 'dpo');
  await page.getByRole('link', { name: 'Kërko personin' }).click();
  await settled(page);
  assert.equal(await text(page.locator('main h1')), 'Kërko rastet e një personi');
  await page.getByLabel('Emri', { exact: true }).fill(MARKER);
  await page.getByLabel('Mbiemri').fill(SURNAME.toUpperCase());
  await page.getByRole('button', { name: 'Kërko' }).click();
  await page.getByText('U gjet 1 rast.').waitFor();
  const found = page.locator('main section').filter({ hasText: `Rasti ${code}` });
  assert.match(await text(found), /Qarku\s+Fier/);
  assert.match(await text(found), /Drejtoria Vendore e Policisë Fier/);
  const readers = await found.locator('table.data tbody tr').allInnerTexts();
  assert.equal(readers.length, 2);
  assert.match(readers[0], /authority\.member/);
  assert.match(readers[1], /fier\.caseworker/);
  assert.match(readers[1], /Emri/, 'the fields read, by their labels');
  assert.ok(!(await text(page.locator('main'))).includes('nevojave'), 'no reason in the search');
  assert.equal(new URL(page.url()).pathname, '/audit/search');
});

test('the case trail shows the fields read and the reasons, and narrows by user and day', async () => {
  await page.getByRole('link', { name: `Gjurmët e plota të rastit ${code}, me arsyet` }).click();
  await page.waitForURL(/\/audit\?case=/);
  await settled(page);
  const rows = await page.locator('table.data tbody tr').allInnerTexts();
  const reads = rows.filter((r) => /Lexim të dhënash personale/.test(r));
  assert.equal(reads.length, 2, rows.join('\n'));
  assert.match(reads[0], /authority\.member[\s\S]*Shqyrtimi për identifikimin formal/);
  assert.match(reads[1], /fier\.caseworker[\s\S]*Vlerësimi i nevojave për strehim/);
  assert.match(reads[1], /Dokumentet, Datëlindja, Emri, Mbiemri/, "the fields read, by their labels");
  // Narrowed to one user and today.
  await page.getByLabel('Përdoruesi').fill('authority.member');
  await page.getByLabel('Nga data').fill(tiraneDay(0).shown);
  await page.getByLabel('Deri më').fill(tiraneDay(0).shown);
  await page.getByRole('button', { name: 'Shfaq' }).click();
  await page.waitForURL(/user=authority\.member/);
  await settled(page);
  const mine = await page.locator('table.data tbody tr').allInnerTexts();
  assert.ok(mine.length >= 1);
  assert.ok(mine.every((r) => r.includes('authority.member')), mine.join('\n'));
  assert.match(page.url(), new RegExp(`case=${code}`));
  assert.match(page.url(), new RegExp(`from=${tiraneDay(0).iso}`));
});

test('the filtered trail is exported with the reasons', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Shkarko CSV' }).click()]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, /Arsyeja/);
  assert.match(csv, /authority\.member,read_personal,case/);
  assert.match(csv, /Shqyrtimi për identifikimin formal/);
  assert.ok(!csv.includes('fier.caseworker'), 'only the user it was narrowed to');
});

test('the planted name is in no address and no line of the log', async () => {
  for (const u of urls) {
    const plain = decodeURIComponent(u);
    assert.ok(!plain.includes(MARKER) && !plain.includes(SURNAME) && !plain.includes(SURNAME.toUpperCase()), u);
  }
  assert.ok(urls.some((u) => u.includes('/api/v1/audit/search')), 'the search was made');
  const log = srv.log();
  assert.ok(log.includes('/api/v1/audit'), 'the log records requests');
  assert.ok(!log.includes(MARKER) && !log.includes(SURNAME));
});

test('the officer\'s screens keep AA contrast and fit a phone', async () => {
  for (const path of ['/audit/search', `/audit?case=${code}`, '/audit/patterns']) {
    await go(page, srv.url, path);
    await page.mouse.move(0, 0);
    assert.deepEqual(await contrastFailures(page), [], `contrast on ${path}`);
  }
  const phone = await launch({ viewport: PHONE });
  try {
    const m = phone.page;
    await login(m, srv.url, 'dpo');
    for (const path of ['/audit/search', `/audit?case=${code}`, '/audit/patterns']) {
      await go(m, srv.url, path);
      const over = await m.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(over <= 0, `${path} is wider than the phone by ${over}px`);
    }
  } finally {
    await phone.close();
  }
});
