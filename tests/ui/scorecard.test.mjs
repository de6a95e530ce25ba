// The KRAT scorecard in the browser (issue 13): the Ministry's monitor opens it from the menu,
// sees the twelve counties and the national row, sorts the table by a column, opens the table
// behind the meeting-compliance chart, downloads the XLSX and finds the counties without a
// prosecution office; a county's secretariat sees its own county only; the screen in English
// has every label translated, AA contrast, and fits a phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launch, go, login, logout, settled, PHONE } from './lib/browser.mjs';
import { contrastFailures } from './lib/contrast.mjs';
import { openSuite, closeSuite } from './lib/suite.mjs';
import { apiAs } from './lib/server.mjs';
import { tiraneDay } from './lib/browser.mjs';

// Last year: its windows have all ended (the bodies were set up in June 2025; from then on).
const YEAR = Math.max(2025, Number(tiraneDay(0).iso.slice(0, 4)) - 1);
let srv, b, page;

before(async () => {
  ({ srv, b, page } = await openSuite());
  // Fier's KRAT meets in the last quarter of that year, every member present.
  const sec = await apiAs(srv, 'fier.secretariat');
  const krat = (await sec.get('/bodies?kind=krat&county=fier')).items[0].id;
  const m = await sec.post(`/bodies/${krat}/meetings`, { date: `${YEAR}-10-20`, time: '10:00' });
  const full = await sec.get(`/meetings/${m.id}`);
  await sec.put(`/meetings/${m.id}/attendance`, { seats: full.attendance.filter((s) => s.member).map((s) => ({ seat: s.seat, status: 'present' })) });
});
after(() => closeSuite({ b, srv }));

const main = () => page.locator('main').innerText();
const bodyRows = (p = page) => p.locator('table.scorecard tbody tr');

test('the Ministry monitor compares the twelve counties, sorts them, reads the chart as a table and downloads the XLSX', async () => {
  await login(page, srv.url, 'ministry.monitor');
  await page.locator('nav.menu').getByRole('link', { name: 'Performanca e KRAT-eve' }).click();
  await settled(page);
  assert.equal(await page.locator('main h1').innerText(), 'Performanca e KRAT-eve');
  // Last year, through the period picker.
  await page.locator('#fg-kind').selectOption('year');
  await page.locator('#fg-year').selectOption(String(YEAR));
  await page.getByRole('button', { name: 'Shfaq', exact: true }).click();
  await page.waitForURL(new RegExp(`period=${YEAR}$`));
  await settled(page);
  assert.equal(await bodyRows().count(), 13, 'twelve counties and the national row');
  assert.equal(await bodyRows().last().locator('th').innerText(), 'Kombëtare');
  // The chart: an image with its figures in words, and its table one click away.
  const svg = page.locator('figure.chart svg[role="img"]');
  assert.match(await svg.locator('desc').textContent(), /Fier: \d+ të mbajtura dhe \d+ në kohë nga \d+ të detyruara/);
  const chartTable = page.locator('figure.chart .chart-table table');
  const toggle = page.locator('figure.chart .chart-toggle');
  assert.equal(await chartTable.isVisible(), false);
  assert.equal(await toggle.innerText(), 'Shfaq tabelën');
  await toggle.click();
  assert.equal(await chartTable.isVisible(), true);
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
  assert.equal(await chartTable.locator('tbody tr').count(), 13);
  assert.match(await chartTable.locator('tbody tr', { hasText: 'Fier' }).innerText(), /\d+ %/);
  // Sorting by meeting compliance: the best county first, the national row kept last.
  const sort = page.getByRole('button', { name: 'Rendit sipas: Përmbushja e mbledhjeve' });
  await sort.click();
  const th = page.locator('table.scorecard thead th', { has: sort });
  assert.equal(await th.getAttribute('aria-sort'), 'descending');
  const col = await page.locator('table.scorecard thead th').evaluateAll((ths) => ths.findIndex((x) => x.textContent.startsWith('Përmbushja')));
  const values = await bodyRows().evaluateAll((trs, i) => trs.map((tr) => parseInt(tr.children[i].textContent, 10)), col);
  const counties = values.slice(0, 12);
  assert.deepEqual(counties, [...counties].sort((x, y) => y - x), `sorted: ${counties}`);
  assert.ok(counties[0] > 0, `Fier's KRAT met: ${counties}`);
  assert.match(await bodyRows().first().innerText(), /^Fier/);
  assert.equal(await bodyRows().last().locator('th').innerText(), 'Kombëtare');
  await sort.click();
  assert.equal(await th.getAttribute('aria-sort'), 'ascending');
  // One group of indicators at a time.
  await page.locator('#sc-group').selectOption('agreements');
  assert.equal(await page.locator('table.scorecard thead th').count(), 4);
  // The XLSX, as the server makes it.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Shkarko XLSX' }).click()]);
  assert.match(download.suggestedFilename(), /\.xlsx$/);
  assert.equal(readFileSync(await download.path()).subarray(0, 2).toString(), 'PK', 'a workbook');
  // The Ministry's lists.
  const text = await main();
  assert.match(text, /Vendet me emërim të vonuar/);
  assert.ok(await page.locator('.overdue-group h3').count() > 1, 'grouped by institution type');
  const missing = page.locator('section', { has: page.getByRole('heading', { name: 'Qarqet pa marrëveshje me prokurorinë' }) });
  assert.match(await missing.innerText(), /Korçë/);
  assert.doesNotMatch(await missing.innerText(), /Fier/);
  await logout(page);
});

test('a county secretariat sees its own county only, without the national row', async () => {
  await login(page, srv.url, 'durres.secretariat');
  await page.locator('nav.menu').getByRole('link', { name: 'Performanca e KRAT-eve' }).click();
  await settled(page);
  assert.equal(await bodyRows().count(), 1);
  assert.match(await bodyRows().first().innerText(), /^Durrës/);
  assert.match(await main(), /Shihni vetëm rreshtin e qarkut tuaj/);
  const groups = await page.locator('.overdue-group table tbody tr').allTextContents();
  assert.ok(groups.length > 0 && groups.every((r) => r.includes('Durrës')), 'only its own overdue seats');
  await logout(page);
  await login(page, srv.url, 'fier.caseworker');
  assert.equal(await page.locator('nav.menu').getByRole('link', { name: 'Performanca e KRAT-eve' }).count(), 0);
  await logout(page);
});

test('the scorecard in English has every label translated, AA contrast and fits a phone', async () => {
  await login(page, srv.url, 'ministry.monitor');
  await go(page, srv.url, '/scorecard');
  await page.mouse.move(0, 0);
  await page.locator('figure.chart').getByRole('button', { name: 'Shfaq tabelën' }).click();
  assert.deepEqual(await contrastFailures(page), [], 'contrast (sq)');
  await page.locator('.topbar button[lang="en"]').click();
  await page.locator('main h1', { hasText: 'KRAT scorecard' }).waitFor();
  const all = await page.evaluate(() => document.body.innerText);
  assert.doesNotMatch(all, /⟦/, 'a label missing');
  assert.doesNotMatch(all, /Mbledhje|Qarku|Shkarko|Kombëtare|Rendit|Vendet/, 'Albanian left');
  assert.match(all, /Meeting compliance by county/);
  assert.match(await page.locator('figure.chart desc').textContent(), /Fier: \d+ held and \d+ on time of \d+ required/);
  assert.deepEqual(await contrastFailures(page), [], 'contrast (en)');
  await page.locator('.topbar button[lang="sq"]').click();
  await page.locator('main h1', { hasText: 'Performanca' }).waitFor();
  await logout(page);

  const phone = await launch({ viewport: PHONE });
  try {
    const m = phone.page;
    await login(m, srv.url, 'ministry.monitor');
    await go(m, srv.url, '/scorecard');
    const over = await m.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(over <= 0, `wider than the phone by ${over}px`);
    const chart = await m.locator('figure.chart svg.chart-svg').boundingBox();
    assert.ok(chart.width <= PHONE.width, 'the chart fits');
    assert.deepEqual(await contrastFailures(m), [], 'contrast (phone)');
    // (before logging in, the session check answers 401: that is how the page learns it)
    assert.deepEqual(phone.errors.filter((e) => !/status of 401/.test(e)), []);
  } finally {
    await phone.close();
  }
  assert.deepEqual(b.errors.filter((e) => !/status of 401/.test(e)), []);
});
