// The figures screen on the statistics API: figures by period (year, half, quarter; months and
// ranges of days for the Responsible Authority only), the standard tables with their CSV, the
// two-way table, disclosure control ("c" and its legend outside the Authority), a county role
// held to its county, refusals of the server in words, and both languages. The cases are a
// crafted spreadsheet (lib/figures.mjs) whose figures are counted by hand. Outside the Authority
// the tests hold the screen only to what disclosure control guarantees: a figure shown is the
// exact one, none is from 1 to k−1, a hidden one reads "c" with the legend, and the same total
// reads the same in every view.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { go, login, logout, settled, tiraneDay } from './lib/browser.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';
import { caseScreens } from './lib/screens.mjs';
import { apiAs } from './lib/server.mjs';
import { importCases, readTables, rowsOf, exactTables, assertProtected, COUNTS, YEAR } from './lib/figures.mjs';

const Y = YEAR;
let srv, b, page;
before(async () => {
  ({ srv, b, page } = await openSuite());
  importCases(srv);
});
after(() => closeSuite({ b, srv }));

const text = async (loc) => (await loc.innerText()).replace(/\s+/g, ' ').trim();
const values = (sel) => page.locator(sel).evaluate((s) => [...s.options].map((o) => o.value));
const stat = (label) => text(page.locator('.stats-figures .stat').filter({ has: page.locator('dt', { hasText: label }) }).locator('dd'));
const n = (...xs) => xs.map(String);

// Submits the form of the screen and waits for the new address and its screen.
async function show(expect) {
  await page.locator('main form button[type="submit"]').click();
  await page.waitForURL(expect);
  await settled(page);
}

test('the Authority sees the exact counts of last year in the national table', async () => {
  await login(page, srv.url, 'authority.chair');
  await go(page, srv.url, '/figures');
  assert.equal(await text(page.locator('main h1')), 'Shifrat e rasteve');
  // The last year that has ended, nationally, without disclosure control.
  assert.equal(await text(page.locator('.page-sub')), `Viti ${Y} (01.01.${Y} – 31.12.${Y}) · Të gjitha qarqet · për: Autoriteti Përgjegjës`);
  assert.deepEqual(await values('#fg-kind'), ['year', 'half', 'quarter', 'month', 'range']);
  assert.equal(await page.locator('#fg-year').inputValue(), String(Y));
  assert.deepEqual(await values('#fg-audience'), ['authority', 'government', 'public']);
  assert.ok(await page.locator('#fg-county').isVisible(), 'a national role chooses the county');
  assert.equal(await stat('Identifikuar'), String(COUNTS.total));
  assert.match(await text(page.locator('main .notice-warning')), /nuk kanë kontroll të zbulimit/);

  await page.getByRole('link', { name: 'Tabelat standarde' }).click();
  await page.waitForURL(/view=tables/);
  await settled(page);
  assert.equal(await page.locator('#fg-table').inputValue(), 'national_annual');
  assert.equal(await text(page.locator('main .section h2')), 'Viktimat dhe viktimat e mundshme të identifikuara');
  const tables = await readTables(page);
  const y = COUNTS;
  assert.deepEqual(tables[0].head, ['Gra, burra, vajza, djem', 'Viktimë e trafikimit (VT), e identifikuar nga Autoriteti Përgjegjës',
    'Viktimë e mundshme e trafikimit (VMT)', 'Gjithsej']);
  // Imported cases are potential victims (VMT): nobody is a formally identified victim (VT).
  assert.deepEqual(rowsOf(tables, 'Sipas gjinisë dhe moshës'), {
    Gra: n(0, y.women, y.women), Burra: n(0, y.men, y.men), Vajza: n(0, y.girls, y.girls), Djem: n(0, y.boys, y.boys),
    'Të tjerë / e panjohur': n(0, 0, 0), Gjithsej: n(0, y.total, y.total),
  });
  assert.deepEqual(rowsOf(tables, 'Sipas formës së shfrytëzimit'), {
    'Shfrytëzim seksual': n(0, y.sexual, y.sexual), 'Punë e detyruar (përfshirë lypjen)': n(0, y.labour, y.labour),
    'prej të cilave lypje': n(0, y.begging, y.begging), 'Kriminalitet i detyruar': n(0, 0, 0), 'Të tjera': n(0, 0, 0),
    Gjithsej: n(0, y.total, y.total),
  });
  const citizenship = rowsOf(tables, 'Sipas shtetësisë');
  assert.deepEqual(citizenship['Shtetas shqiptarë'], n(0, y.albanian, y.albanian));
  assert.deepEqual(citizenship['Shtetas të huaj'], n(0, y.foreign, y.foreign));
  assert.deepEqual(citizenship['Kosovë'], n(0, 1, 1));
  // "Of which" rows and the rows a foreign group is expanded into are indented.
  const exploitation = tables.find((t) => t.caption === 'Sipas formës së shfrytëzimit');
  assert.deepEqual(exploitation.rows.filter((r) => r.sub).map((r) => r.label), ['prej të cilave lypje']);
  assert.deepEqual(tables.find((t) => t.caption === 'Sipas shtetësisë').rows.filter((r) => r.sub).map((r) => r.label), ['Kosovë']);
  const indent = await page.locator('tr.row-sub th').first().evaluate((e) => parseFloat(getComputedStyle(e).paddingLeft));
  const plain = await page.locator('tbody tr:not(.row-sub) th').first().evaluate((e) => parseFloat(getComputedStyle(e).paddingLeft));
  assert.ok(indent > plain + 8, `"of which" rows indented (${indent}px against ${plain}px)`);
  // The block's note goes with it.
  assert.match(await text(page.locator('.stat-block', { has: page.locator('caption', { hasText: 'Sipas formës së shfrytëzimit' }) })),
    /Një person me disa forma shfrytëzimi numërohet te secila\./);
  // Accessible tables: captions, column and row heads, numbers on the right; nothing hidden.
  const shape = await page.evaluate(() => {
    const ts = [...document.querySelectorAll('main table.stat-table')];
    return {
      captions: ts.every((t) => t.caption && t.caption.textContent.trim()),
      cols: ts.every((t) => [...t.tHead.querySelectorAll('th')].every((th) => th.scope === 'col')),
      rows: ts.every((t) => [...t.tBodies[0].rows].every((r) => r.cells[0].tagName === 'TH' && r.cells[0].scope === 'row')),
      right: [...document.querySelectorAll('main table.stat-table td')].every((td) => getComputedStyle(td).textAlign === 'right'),
    };
  });
  assert.deepEqual(shape, { captions: true, cols: true, rows: true, right: true });
  assert.equal(await page.locator('main .cell-hidden').count(), 0);
  assert.equal(await page.locator('main .stat-legend').count(), 0);
});

test('the Authority asks for a month, a range of days and a period that has not ended', async () => {
  await go(page, srv.url, '/figures');
  await page.selectOption('#fg-kind', 'month');
  assert.equal(await text(page.locator('label[for="fg-part"]')), 'Muaji');
  assert.equal((await values('#fg-part')).length, 12);
  assert.ok((await values('#fg-year')).includes(String(Y + 1)), 'this year too');
  await page.selectOption('#fg-year', String(Y));
  await page.selectOption('#fg-part', '9');
  await show(new RegExp(`period=${Y}-09`));
  assert.equal(await text(page.locator('.page-sub')), `Shtator ${Y} (01.09.${Y} – 30.09.${Y}) · Të gjitha qarqet · për: Autoriteti Përgjegjës`);
  assert.equal(await stat('Identifikuar'), String(COUNTS.september));
  assert.equal(await page.locator('#fg-kind').inputValue(), 'month', 'the picker shows the period asked');

  await page.selectOption('#fg-kind', 'range');
  assert.equal(await page.locator('#fg-year').isVisible(), false);
  assert.deepEqual([await page.locator('#fg-from').inputValue(), await page.locator('#fg-to').inputValue()],
    [`01.09.${Y}`, `30.09.${Y}`], 'the days of the month shown');
  await page.locator('#fg-from').fill(`31.03.${Y}`);
  await page.locator('#fg-to').fill(`01.01.${Y}`);
  await page.locator('main form button[type="submit"]').click();
  assert.equal(await text(page.locator('main form .field-error')), 'Data „Deri më” nuk mund të jetë para datës „Nga data”.');
  assert.match(page.url(), new RegExp(`period=${Y}-09`), 'nothing asked');
  await page.locator('#fg-from').fill(`01.01.${Y}`);
  await page.locator('#fg-to').fill(`31.03.${Y}`);
  await show(new RegExp(`period=${Y}-01-01\\.\\.${Y}-03-31`));
  assert.ok((await text(page.locator('.page-sub'))).startsWith(`01.01.${Y} – 31.03.${Y} · Të gjitha qarqet`));
  assert.equal(await stat('Identifikuar'), String(COUNTS.q1));

  // Choosing an audience outside the Authority narrows the periods to those that may leave it.
  await page.selectOption('#fg-audience', 'government');
  assert.deepEqual(await values('#fg-kind'), ['year', 'half', 'quarter']);
  assert.equal((await values('#fg-year'))[0], String(Y), 'this year has not ended');
  await page.selectOption('#fg-audience', 'authority');
  assert.deepEqual(await values('#fg-kind'), ['year', 'half', 'quarter', 'month', 'range']);

  // This month, with a case decided, assisted and referred in it: what happened, by code.
  await caseScreens(srv);
  const month = tiraneDay(0).iso.slice(0, 7);
  await go(page, srv.url, `/figures?period=${month}`);
  assert.equal(await stat('Vendim formal'), '1');
  const tables = await readTables(page);
  assert.deepEqual(rowsOf(tables, 'Vendim formal')['Identifikohet si viktimë e trafikimit (VT)'], ['1']);
  const services = rowsOf(tables, 'Shërbim i filluar');
  assert.deepEqual([services['Kujdes mjekësor'], services['Mbështetje psikologjike']], [['1'], ['1']]);
  assert.deepEqual(rowsOf(tables, 'Raste të hapura në fund të periudhës')['Ndihma e menjëhershme'], ['1']);
  assert.equal(await text(page.locator('.facts div', { has: page.locator('dt', { hasText: 'Referime të dërguara' }) }).locator('dd')), '2');
  await logout(page);
});

test('the Ministry monitor sees small figures as "c" with the legend, and is offered no months', async () => {
  await login(page, srv.url, 'ministry.monitor');
  await go(page, srv.url, '/figures');
  assert.equal(await text(page.locator('.page-sub')), `Viti ${Y} (01.01.${Y} – 31.12.${Y}) · Të gjitha qarqet · për: Institucionet shtetërore`);
  assert.deepEqual(await values('#fg-kind'), ['year', 'half', 'quarter']);
  assert.deepEqual(await values('#fg-audience'), ['government', 'public']);
  assert.equal((await values('#fg-year'))[0], String(Y), 'the year that has not ended is not offered');
  // This year: only the quarters and halves that have ended.
  const today = tiraneDay(0).iso;
  const ended = (months) => months.filter((m) => `${Y + 1}-${String(m).padStart(2, '0')}-31` < today).map((m, i) => String(i + 1));
  for (const [kind, parts] of [['quarter', ended([3, 6, 9, 12])], ['half', ended([6, 12])]]) {
    await page.selectOption('#fg-kind', kind);
    if (!parts.length) {
      assert.ok(!(await values('#fg-year')).includes(String(Y + 1)), `no ${kind} of this year has ended`);
      continue;
    }
    await page.selectOption('#fg-year', String(Y + 1));
    assert.deepEqual(await values('#fg-part'), parts, `only the ${kind}s that have ended`);
  }
  assert.equal(await page.locator('main .notice-warning').count(), 0);

  // Last year's national table (the first request for a year takes the server a moment):
  // exact where shown, nothing from 1 to 4, the man of the year (one person) hidden.
  const authority = await apiAs(srv, 'authority.chair');
  const exact = async (table) => exactTables(await authority.get(`/stats/tables/${table}?period=${Y}&audience=authority`));
  await go(page, srv.url, '/figures?view=tables&table=national_annual');
  assert.equal(await page.locator('#fg-table').inputValue(), 'national_annual');
  const national = await readTables(page);
  assert.ok(assertProtected(national, await exact('national_annual'), 5) > 0, 'small figures hidden');
  assert.equal(rowsOf(national, 'Sipas gjinisë dhe moshës').Burra[1], 'c', 'one man: hidden');
  const hidden = page.locator('main .cell-hidden').first();
  assert.equal(await text(hidden.locator('.sr-only')), 'shifër e fshehur', 'read out as a hidden figure');
  assert.equal(await hidden.locator('[aria-hidden]').getAttribute('title'), 'shifër e fshehur');
  const legend = await text(page.locator('main .stat-legend'));
  assert.match(legend, /^c: shifër e fshehur për të mbrojtur personat/);
  assert.match(legend, /k = 5\.$/);
  const look = await hidden.evaluate((e) => ({ style: getComputedStyle(e).fontStyle, border: getComputedStyle(e).borderTopStyle }));
  assert.deepEqual(look, { style: 'italic', border: 'dashed' }, 'a hidden figure looks unlike a number');

  // By county: four persons in Tirana and one in Vlorë are hidden; the total is the national one.
  await go(page, srv.url, '/figures?view=tables&table=by_county');
  const counties = await readTables(page);
  assertProtected(counties, await exact('by_county'), 5);
  const rows = rowsOf(counties, 'Sipas qarkut');
  assert.deepEqual([rows['Tiranë'][1], rows['Vlorë'][1]], ['c', 'c']);
  assert.match(await text(page.locator('main .stat-legend')), /^c: shifër e fshehur për të mbrojtur personat.*k = 5\.$/);
  const total = rowsOf(national, 'Sipas gjinisë dhe moshës').Gjithsej[2];
  assert.equal(rows.Gjithsej[2], total, 'the same total in both tables');
  await go(page, srv.url, '/figures');
  assert.equal(await stat('Identifikuar'), total, 'and among the figures of the period');

  // No two-way table outside the Authority: no tab, and typed in the address, words instead.
  assert.deepEqual(await page.locator('.figures-views a').allInnerTexts(), ['Shifrat e periudhës', 'Grafikët', 'Tabelat standarde']);
  assert.equal(await page.getByRole('link', { name: 'Tabela me dy hyrje' }).count(), 0);
  const asked = [];
  const listen = (r) => { if (/\/api\/v1\/stats\?/.test(r.url())) asked.push(r.url()); };
  page.on('request', listen);
  await go(page, srv.url, '/figures?view=twoway&rows=county');
  page.off('request', listen);
  assert.deepEqual(asked, [], 'nothing asked of the server');
  assert.equal(await page.locator('#fg-rows').count(), 0, 'no builder');
  const why = page.locator('main .twoway-not-allowed');
  assert.equal(await text(why), 'Tabelat me dy hyrje mbeten brenda Autoritetit Përgjegjës; jashtë tij shifrat jepen në tabelat standarde. Tabelat standarde');
  await why.getByRole('link', { name: 'Tabelat standarde' }).click();
  await page.waitForURL(/view=tables/);
  await settled(page);
  assert.equal(await page.locator('main .twoway-not-allowed').count(), 0);

  // What the Ministry may not ask for, typed in the address: refused, in words.
  await go(page, srv.url, `/figures?period=${Y}-09`);
  assert.equal(await text(page.locator('main .notice-error p').first()), 'Shifrat nuk u dhanë');
  assert.match(await text(page.locator('main .notice-error')),
    /Shifrat dalin nga Autoriteti Përgjegjës vetëm për tremujor, gjashtëmujor ose vit të plotë; ndryshoni fushën „Periudha”\./);
  await go(page, srv.url, `/figures?period=${Y + 1}`);
  assert.match(await text(page.locator('main .notice-error')), new RegExp(`Periudha ${Y + 1} nuk ka mbaruar`));
  await go(page, srv.url, `/figures?period=${Y}&audience=authority`);
  assert.match(await text(page.locator('main .notice-error')), /Vetëm Autoriteti Përgjegjës i sheh shifrat pa kontroll të zbulimit/);
  await logout(page);
});

test('a county secretariat sees only its county\'s figures, without a county to choose', async () => {
  await login(page, srv.url, 'fier.secretariat');
  await go(page, srv.url, '/figures');
  assert.equal(await page.locator('#fg-county').count(), 0);
  assert.equal(await text(page.locator('.page-sub')), `Viti ${Y} (01.01.${Y} – 31.12.${Y}) · Fier · për: Institucionet shtetërore`);
  assert.deepEqual(await values('#fg-kind'), ['year', 'half', 'quarter']);
  assert.equal(await stat('Identifikuar'), String(COUNTS.fier));
  await go(page, srv.url, '/figures?view=tables&table=by_county&county=tirane');
  const rows = rowsOf(await readTables(page), 'Sipas qarkut');
  assert.deepEqual(rows.Fier, n(0, COUNTS.fier, COUNTS.fier));
  assert.deepEqual(rows['Tiranë'], n(0, 0, 0), 'nothing of Tirana');
  assert.deepEqual(rows.Gjithsej, n(0, COUNTS.fier, COUNTS.fier));
  await logout(page);
});

test('the two-way table puts rows against columns, and a refusal of the server is shown in words', async () => {
  await login(page, srv.url, 'authority.secretariat');
  // Only for the Authority's own audience: for another, no tab, and words instead of the builder.
  await go(page, srv.url, `/figures?period=${Y}&audience=government`);
  assert.equal(await page.getByRole('link', { name: 'Tabela me dy hyrje' }).count(), 0);
  await go(page, srv.url, `/figures?view=twoway&period=${Y}&audience=government&rows=county`);
  assert.equal(await page.locator('#fg-rows').count(), 0, 'no builder');
  assert.equal(await text(page.locator('main .twoway-not-allowed p').first()), 'Tabelat me dy hyrje mbeten brenda Autoritetit Përgjegjës, '
    + 'pa kontroll të zbulimit: për të ndërtuar një të tillë zgjidhni „Autoriteti Përgjegjës” te „Shifrat për”. '
    + 'Për institucionet shtetërore ose për publikun përdorni tabelat standarde.');
  await page.selectOption('#fg-audience', 'authority');
  await show(/audience=authority/);
  assert.match(page.url(), /view=twoway/);
  assert.match(page.url(), /rows=county/, 'what was asked is kept');
  assert.deepEqual((await readTables(page))[0].rows.map((r) => r.label), ['Fier', 'Tiranë', 'Vlorë', 'Gjithsej']);

  await go(page, srv.url, `/figures?period=${Y}`);
  await page.getByRole('link', { name: 'Tabela me dy hyrje' }).click();
  await page.waitForURL(/view=twoway/);
  await settled(page);
  assert.equal(await page.locator('#fg-measure').inputValue(), 'identified');
  assert.equal(await page.locator('#fg-rows').inputValue(), 'sex_age');
  assert.equal(await page.locator('#fg-cols').inputValue(), '', 'no columns: the totals');
  await page.selectOption('#fg-cols', 'county');
  await show(/cols=county/);
  assert.equal(await text(page.locator('main .section h2')), 'Identifikuar: Gra, burra, vajza, djem × Qarku');
  const t = (await readTables(page))[0];
  assert.deepEqual(t.head, ['Gra, burra, vajza, djem', 'Fier', 'Tiranë', 'Vlorë', 'Gjithsej']);
  const rows = Object.fromEntries(t.rows.map((r) => [r.label, r.cells]));
  // In the order of the dimension (women, men, girls, boys), not of the counts.
  assert.deepEqual(t.rows.map((r) => r.label), ['Gra', 'Burra', 'Vajza', 'Djem', 'Gjithsej']);
  const want = COUNTS.bySexAgeCounty;
  const sum = (xs) => xs.reduce((a, x) => a + x, 0);
  assert.deepEqual(rows, {
    Gra: n(...want.women, sum(want.women)), Burra: n(...want.men, sum(want.men)), Vajza: n(...want.girls, sum(want.girls)),
    Djem: n(...want.boys, sum(want.boys)), Gjithsej: n(COUNTS.fier, COUNTS.tirane, COUNTS.vlore, COUNTS.total),
  });

  // Counties in the order of the registry: from August, Fier (2) before Tirana (4).
  await go(page, srv.url, `/figures?view=twoway&period=${Y}-08-01..${Y}-12-31&rows=county`);
  assert.deepEqual((await readTables(page))[0].rows.map((r) => [r.label, ...r.cells]), [['Fier', '2'], ['Tiranë', '4'], ['Gjithsej', '6']]);
  await go(page, srv.url, `/figures?view=twoway&period=${Y}&cols=county`);

  // "What happened" only for what is counted with codes (decisions, closures, services...).
  await page.selectOption('#fg-measure', 'closed');
  assert.ok((await values('#fg-rows')).includes('code'));
  assert.ok((await values('#fg-cols')).includes('code'));
  await page.selectOption('#fg-measure', 'identified');
  assert.ok(!(await values('#fg-rows')).includes('code'));

  await page.selectOption('#fg-rows', 'sex');
  await page.selectOption('#fg-cols', 'sex');
  await show(/rows=sex&cols=sex/);
  const refusal = page.locator('main .notice-error');
  assert.equal(await refusal.getAttribute('role'), 'alert');
  assert.match(await text(refusal), /^Shifrat nuk u dhanë Zgjidhni në fushën „Kolonat” një ndarje tjetër nga ajo e rreshtave\./);
});

test('the CSV link downloads the standard table as CSV', async () => {
  await go(page, srv.url, `/figures?view=tables&period=${Y}`);
  const link = page.getByRole('link', { name: 'Shkarko CSV' });
  const href = await link.getAttribute('href');
  assert.equal(href, `/api/v1/stats/tables/national_annual?period=${Y}&audience=authority&format=csv&lang=sq`);
  assert.equal(await link.getAttribute('download'), '', 'named by the server');
  const head = await page.evaluate(async (u) => {
    const r = await fetch(u);
    return { status: r.status, type: r.headers.get('Content-Type'), disposition: r.headers.get('Content-Disposition') };
  }, href);
  assert.deepEqual(head, { status: 200, type: 'text/csv; charset=utf-8', disposition: `attachment; filename="national_annual-${Y}.csv"` });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), `national_annual-${Y}.csv`);
  const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
  const lines = csv.split(/\r?\n/);
  assert.equal(lines[0], `Viktimat dhe viktimat e mundshme të identifikuara,${Y}`);
  assert.ok(lines.includes(`Gra,0,${COUNTS.women},${COUNTS.women}`), csv);
  assert.ok(lines.includes(`Gjithsej,0,${COUNTS.total},${COUNTS.total}`), csv);
  assert.equal(page.url().includes('/figures'), true, 'the screen stays');
});

test('the figures screen works in English', async () => {
  await page.getByRole('button', { name: 'English' }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  await settled(page);
  await go(page, srv.url, `/figures?view=tables&period=${Y}-09`);
  assert.equal(await text(page.locator('main h1')), 'Case figures');
  assert.equal(await text(page.locator('.page-sub')), `September ${Y} (01.09.${Y} – 30.09.${Y}) · All counties · for: Responsible Authority`);
  assert.deepEqual(await page.locator('.figures-views a').allInnerTexts(), ['Figures of the period', 'Charts', 'Standard tables', 'Two-way table']);
  assert.equal(await text(page.locator('label[for="fg-part"]')), 'Month');
  assert.equal(await text(page.locator('#fg-part option:checked')), 'September');
  const rows = rowsOf(await readTables(page), 'By sex and age');
  assert.deepEqual(rows.Men, ['0', '1', '1']);
  const link = page.getByRole('link', { name: 'Download CSV' });
  assert.match(await link.getAttribute('href'), /&lang=en$/);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  assert.equal(download.suggestedFilename(), `national_annual-${Y}-09.csv`);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv, new RegExp(`^\uFEFF?Victims and potential victims identified,${Y}-09\r?\n`));
  assert.match(csv, /\nMen,0,1,1\r?\n/);

  await go(page, srv.url, `/figures?view=twoway&period=${Y}&rows=sex&cols=sex`);
  assert.match(await text(page.locator('main .notice-error')), /^The figures were not given Choose a breakdown in “Columns” other than the rows'\./);
  await go(page, srv.url, `/figures?period=${Y}-09&audience=government`);
  assert.match(await text(page.locator('main .notice-error')),
    /Figures leave the Responsible Authority for whole quarters, half-years or years only; change “Period”\./);
  await go(page, srv.url, '/figures');
  assert.equal(await stat('Identified'), String(COUNTS.total));
  assert.match(await text(page.locator('main')), /Referrals sent/);
  await page.getByRole('button', { name: 'Shqip' }).click();
  await page.waitForFunction(() => document.documentElement.lang === 'sq');
  await settled(page);
  await logout(page);
});

test('no script errors', () => {
  assert.deepEqual(b.errors.filter((e) => !/status of (400|401|403|404)/.test(e)), []);
});
