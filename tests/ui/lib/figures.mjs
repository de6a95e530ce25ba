// Cases for the figures screen: a crafted spreadsheet imported with `nrm import cases` into the
// database of a running `nrm serve` (SQLite in WAL mode: the server sees them at once), and
// what the figures of last year must be, counted by hand. Every name is made up.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { nrmBin } from './server.mjs';
import { tiraneDay } from './browser.mjs';

// The last year that has ended (the screen's default period): the figures below are its own.
export const YEAR = Number(tiraneDay(0).iso.slice(0, 4)) - 1;
const Y = YEAR;

const HEADER = ['prs_FirstName', 'prs_SecondName', 'prs_Gender', 'al_estimated_age', 'al_identification_date',
  'al_identifying_institution', 'al_identification_method', 'al_county', 'al_indicators_a', 'al_indicators_c',
  'vic_TypeOfExploitation', 'prs_Citizenship'];

// [first name, surname, gender, age, identified on, county, forms of exploitation, citizenships]
// Twelve persons identified in YEAR (seven in Fier, four in Tirana, one in Vlorë), one on the
// last day of the year before and one early in this year (outside YEAR: they must not be counted in it).
export const CASES = [
  ['Provë', 'Njëshi', 'Feminine', 30, `${Y}-02-01`, 'fier', 'SexualExploitation', 'AL'],
  ['Provë', 'Dyshi', 'Feminine', 24, `${Y}-03-10`, 'fier', 'SexualExploitation', 'AL'],
  ['Provë', 'Treshi', 'Feminine', 41, `${Y}-04-12`, 'fier', 'ForcedLabour', 'AL'],
  ['Provë', 'Katërshi', 'Feminine', 19, `${Y}-06-20`, 'fier', 'SexualExploitation', 'XK'],
  ['Provë', 'Pesëshi', 'Feminine', 16, `${Y}-07-02`, 'fier', 'ForcedBegging', 'AL'],
  ['Provo', 'Gjashtëshi', 'Masculine', 15, `${Y}-08-15`, 'fier', 'ForcedBegging', 'AL'],
  ['Provo', 'Shtatëshi', 'Masculine', 35, `${Y}-09-01`, 'fier', 'ForcedLabour', 'AL'],
  ['Provë', 'Tetëshi', 'Feminine', 27, `${Y}-10-05`, 'tirane', 'SexualExploitation', 'AL'],
  ['Provë', 'Nëntëshi', 'Feminine', 22, `${Y}-11-11`, 'tirane', 'SexualExploitation;ForcedLabour', 'AL'],
  ['Provë', 'Dhjetëshi', 'Feminine', 14, `${Y}-12-01`, 'tirane', 'SexualExploitation', 'AL'],
  ['Provo', 'Njëmbëdhjetëshi', 'Masculine', 12, `${Y}-12-20`, 'tirane', 'ForcedBegging', 'AL'],
  ['Provë', 'Dymbëdhjetëshi', 'Feminine', 17, `${Y}-01-15`, 'vlore', 'SexualExploitation', 'AL'],
  ['Provë', 'Vjetërshi', 'Feminine', 33, `${Y - 1}-12-31`, 'fier', 'SexualExploitation', 'AL'],
  ['Provo', 'Rishti', 'Masculine', 40, `${Y + 1}-01-01`, 'fier', 'ForcedLabour', 'AL'],
];

// YEAR by hand, from CASES (all of them potential victims, VMT: imported cases are not decided).
// Adults 18+, children under 18; forced begging is counted inside forced labour ("of which").
export const COUNTS = {
  total: 12,
  women: 6, men: 1, girls: 3, boys: 2,
  sexual: 7, labour: 6, begging: 3,
  albanian: 11, foreign: 1,
  fier: 7, tirane: 4, vlore: 1,
  // The first quarter (Jan–Mar) and September.
  q1: 3, september: 1,
  // Women, men, girls, boys by county (Fier, Tirana, Vlorë).
  bySexAgeCounty: { women: [4, 2, 0], men: [1, 0, 0], girls: [1, 1, 1], boys: [1, 1, 0] },
};

const cell = (v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

// Registers CASES (or `rows`) as Fier's police case worker, through the command line.
export function importCases(srv, rows = CASES, as = 'fier.caseworker') {
  const institution = execFileSync('sqlite3', [srv.db, `SELECT institution_id FROM users WHERE username='${as}'`]).toString().trim();
  const lines = [HEADER.join(',')];
  for (const [first, last, gender, age, day, county, forms, citizenship] of rows) {
    lines.push([first, last, gender, age, day, institution, 'police', county, 'A01', 'C01', forms, citizenship].map(cell).join(','));
  }
  const file = join(dirname(srv.db), `figures-${Date.now()}.csv`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return execFileSync(nrmBin, ['import', 'cases', file, '--db', srv.db, '--as', as], { stdio: 'pipe' }).toString();
}

// The tables of figures on the page: caption, column heads and rows (label, "of which" or not,
// cells as shown, a hidden figure as "c").
export async function readTables(page) {
  return page.evaluate(() => [...document.querySelectorAll('main table.stat-table')].map((t) => ({
    caption: t.caption?.textContent.trim(),
    head: [...t.tHead.rows[0].cells].map((c) => c.textContent.trim()),
    rows: [...t.tBodies[0].rows].map((r) => ({
      label: r.cells[0].textContent.trim(),
      sub: r.classList.contains('row-sub'),
      cells: [...r.cells].slice(1).map((c) => (c.querySelector('.cell-hidden [aria-hidden]') ? 'c' : c.textContent.trim())),
    })),
  })));
}

// label → cells of one table found by its caption.
export function rowsOf(tables, caption) {
  const t = tables.find((x) => x.caption === caption);
  if (!t) throw new Error(`no table "${caption}" among ${tables.map((x) => x.caption).join(' | ')}`);
  return Object.fromEntries(t.rows.map((r) => [r.label, r.cells]));
}

// The exact tables (a standard table of the API, asked for the audience "authority") as
// readTables() reads the screen in Albanian: caption → label → cells.
export function exactTables(tb) {
  return Object.fromEntries(tb.blocks.map((b) => [(b.label || tb.label).sq,
    Object.fromEntries(b.rows.map((r) => [r.label.sq, r.cells.map(String)]))]));
}

// What disclosure control for `k` guarantees of the tables shown (readTables()), against the
// exact ones (exactTables()): every table and row is there, a figure shown is the exact one and
// none is from 1 to k−1 (zeros may show), the others read "c". Returns how many are hidden.
export function assertProtected(shown, exact, k) {
  let hidden = 0;
  assert.deepEqual(shown.map((t) => t.caption), Object.keys(exact), 'the same tables');
  for (const t of shown) {
    assert.deepEqual(t.rows.map((r) => r.label), Object.keys(exact[t.caption]), `${t.caption}: the same rows`);
    for (const r of t.rows) {
      r.cells.forEach((v, i) => {
        const where = `${t.caption} / ${r.label} / ${t.head[i + 1]}`;
        if (v === 'c') {
          hidden += 1;
          return;
        }
        const want = exact[t.caption][r.label][i];
        assert.ok(!(+want >= 1 && +want < k), `${where}: ${want} shown for k = ${k}`);
        assert.equal(v, want, `${where}: a figure shown is the exact one`);
      });
    }
  }
  return hidden;
}
