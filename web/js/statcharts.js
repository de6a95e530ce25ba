// The charts of the figures (issue 13, point 7): persons identified per month (per quarter
// outside the Responsible Authority) by status, the forms of exploitation, and how long
// referrals wait for an answer — from the same routes as the tables (GET /stats/tables/...,
// /stats/figures), so disclosure control is the server's: a figure it hides ("c") stays hidden in
// the chart (charts.js draws it as hidden). Figures leave the Authority only for whole quarters,
// half-years and years that have ended: outside it, the time series goes by quarter.
import { h } from './dom.js';
import { t, fmtNumber, todayISO } from './i18n.js';
import { get, qs, ApiError } from './api.js';
import { isAuthority } from './session.js';
import { L } from './cases.js';
import { barChart } from './charts.js';

const pad = (n) => String(n).padStart(2, '0');

// The months, or the whole quarters, of [first, last] that have begun by today ('2025-03' or
// '2025Q1'); for quarters, only those that have ended (the only ones that leave the Authority).
export function subPeriods(first, last, byQuarter, today = todayISO()) {
  const out = [];
  let y = +first.slice(0, 4);
  let m = +first.slice(5, 7);
  const endY = +last.slice(0, 4);
  const endM = +last.slice(5, 7);
  while (y < endY || (y === endY && m <= endM)) {
    if (byQuarter) {
      const q = Math.floor((m - 1) / 3) + 1;
      const qFirst = `${y}-${pad(q * 3 - 2)}-01`;
      const qEndM = q * 3;
      const qLast = `${y}-${pad(qEndM)}-${pad(new Date(Date.UTC(y, qEndM, 0)).getUTCDate())}`;
      if (qFirst >= first && qLast <= last && qLast < today && !out.includes(`${y}Q${q}`)) out.push(`${y}Q${q}`);
    } else if (`${y}-${pad(m)}-01` <= today) out.push(`${y}-${pad(m)}`);
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

// A short name of a month or quarter for the axis: "Jan 2025" / "T1 2025".
export function shortPeriod(p, withYear = true) {
  const q = /^(\d{4})Q([1-4])$/.exec(p);
  if (q) return t('chart.quarter', { q: q[2], year: q[1] });
  const m = /^(\d{4})-(\d{2})$/.exec(p);
  const name = t(`chart.month.${+m[2]}`);
  return withYear ? `${name} ${m[1]}` : name;
}

// The total row of a table's first block, per column (e.g. VT, VMT, total).
function totalRow(tb) {
  const b = tb.blocks?.[0];
  return b?.rows.find((r) => r.code === 'total' && !r.level)?.cells || [];
}

function statusColumns(tb) {
  return tb.columns.map((c, i) => ({ code: c.code, label: L(c.label), i })).filter((c) => c.code !== 'total');
}

// Persons identified per month (or quarter) by status: one chart. opts: {first, last, county,
// audience, title}.
export async function identifiedChart({ first, last, county, audience, title, byQuarter }) {
  const periods = subPeriods(first, last, byQuarter);
  if (!periods.length) return null;
  const tables = await Promise.all(periods.map((p) => get(`/stats/tables/national_annual${qs({ period: p, county, audience })}`)));
  const cols = statusColumns(tables[0]);
  const years = new Set(periods.map((p) => p.slice(0, 4)));
  const symbol = tables[0].symbol || 'c';
  return barChart({
    name: 'identified',
    title: title || t(byQuarter ? 'chart.identifiedQuarter' : 'chart.identifiedMonth'),
    caption: t(byQuarter ? 'chart.identifiedQuarter' : 'chart.identifiedMonth'),
    categoryHead: t(byQuarter ? 'chart.quarterHead' : 'chart.monthHead'),
    categories: periods.map((p) => shortPeriod(p, years.size > 1 || byQuarter)),
    series: cols.map((c) => ({ label: c.label })),
    values: tables.map((tb) => cols.map((c) => totalRow(tb)[c.i] ?? null)),
    symbol,
    hiddenText: t('chart.hiddenLegend', { k: tables[0].k }),
  });
}

// The forms of exploitation of the persons identified in the period, by status.
export async function exploitationChart({ period, county, audience }) {
  const tb = await get(`/stats/tables/national_annual${qs({ period, county, audience })}`);
  const block = tb.blocks.find((b) => b.dim === 'exploitation_national') || tb.blocks.find((b) => /exploitation/.test(b.dim || ''));
  if (!block) return null;
  const cols = statusColumns(tb);
  const rows = block.rows.filter((r) => r.code !== 'total');
  return barChart({
    name: 'exploitation',
    title: t('chart.exploitation'),
    categoryHead: t('chart.exploitationHead'),
    categories: rows.map((r) => (r.level ? `– ${L(r.label)}` : L(r.label))),
    series: cols.map((c) => ({ label: c.label })),
    values: rows.map((r) => cols.map((c) => r.cells[c.i] ?? null)),
    symbol: tb.symbol || 'c',
    hiddenText: t('chart.hiddenLegend', { k: tb.k }),
    note: block.note ? L(block.note) : null,
  });
}

// How long referrals waited for an answer, per month (or quarter): the median and the mean, in
// hours. A period without answered referrals has no time: a dash.
export async function responseChart({ first, last, county, audience, byQuarter }) {
  const periods = subPeriods(first, last, byQuarter);
  if (!periods.length) return null;
  const figs = await Promise.all(periods.map((p) => get(`/stats/figures${qs({ period: p, county, audience })}`)));
  const years = new Set(periods.map((p) => p.slice(0, 4)));
  const symbol = figs[0].symbol || 'c';
  const round = (v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v ?? null);
  return barChart({
    name: 'response',
    title: t(byQuarter ? 'chart.responseQuarter' : 'chart.responseMonth'),
    categoryHead: t(byQuarter ? 'chart.quarterHead' : 'chart.monthHead'),
    categories: periods.map((p) => shortPeriod(p, years.size > 1 || byQuarter)),
    series: [{ label: t('chart.median') }, { label: t('chart.mean') }],
    values: figs.map((f) => [round(f.referrals?.hours_median), round(f.referrals?.hours_mean)]),
    format: (n) => t('figures.hours', { n: fmtNumber(n) }),
    symbol,
    hiddenText: t('chart.hiddenLegend', { k: figs[0].k ?? '' }),
    note: t('chart.responseNote'),
  });
}

// A chart that could not be drawn says why (the server's refusal), in place.
async function safely(make) {
  try {
    return await make();
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    return h('p', { class: 'notice notice-warning' }, t('chart.unavailable'));
  }
}

// The three charts of the figures screen for a period [first, last] (period: its code).
export async function figureCharts({ period, first, last, county, audience, user }) {
  const byQuarter = !(isAuthority(user) && audience === 'authority');
  const args = { first, last, county, audience, byQuarter };
  // The whole period first: a refusal of the server (a period that may not leave the Authority)
  // is the screen's answer, in words.
  const exploitation = await exploitationChart({ period, county, audience });
  const [identified, response] = await Promise.all([safely(() => identifiedChart(args)), safely(() => responseChart(args))]);
  return [identified, exploitation, response].filter(Boolean);
}

// For the Authority's home: persons identified per month over the last twelve months, by status,
// drawn into `container`, with a link to the other charts. Returns the container.
export async function casesPerMonthChart(container) {
  const today = todayISO();
  const y = +today.slice(0, 4);
  const m = +today.slice(5, 7);
  const start = m === 12 ? `${y}-01-01` : `${y - 1}-${pad(m + 1)}-01`;
  const chart = await safely(() => identifiedChart({ first: start, last: today, audience: 'authority', byQuarter: false,
    title: t('chart.identifiedLast12') }));
  container.replaceChildren(...[chart, h('p', null, h('a', { href: '/figures?view=charts' }, t('chart.more')))].filter(Boolean));
  return container;
}
