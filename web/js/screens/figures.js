// Figures of the National Database by period (GET /api/v1/stats/...): what happened in a year,
// half-year, quarter, month or range of days (identified, referred, decided...), the cases open
// at its end and the referrals; the standard tables (national, Eurostat, by county) with their
// CSV; and, for the Responsible Authority itself, a two-way table of any two dimensions of the
// catalogue. The charts (view=charts, statcharts.js) draw the persons identified per month by
// status, the forms of exploitation and the referrals' response times, each with its table.
//
// Disclosure control is the server's: figures that leave the Responsible Authority come for an
// audience (government k=5, public k=11) with small counts hidden as "c", and only for whole
// quarters, half-years and years that have ended — this screen offers the others only to the
// Authority, and shows the server's refusal (stats_period_kind, stats_period_open...) in words.
// Two-way tables never leave the Authority (the server answers stats_twoway): the view is offered
// only to Authority roles asking for the audience "authority"; anyone else is told why instead.
// The period, county, audience, view and table are kept in the address: /figures?view=tables&
// period=2025&table=national_annual.
import { h, srOnly } from '../dom.js';
import { t, pick, lang, fmtDate, fmtNumber, readDate, dateError, todayISO } from '../i18n.js';
import { get, qs, ApiError } from '../api.js';
import { session, loadCounties, countyName, scope, isAuthority } from '../session.js';
import { pageHeader, section, notice, errorBox } from '../ui.js';
import { L } from '../cases.js';
import { figureCharts } from '../statcharts.js';

const VIEWS = ['figures', 'charts', 'tables', 'twoway'];
const KINDS = ['year', 'half', 'quarter', 'month', 'range'];
const OUTSIDE_KINDS = ['year', 'half', 'quarter'];
// The year the National Referral Mechanism was set up: the first one offered.
const FIRST_YEAR = 2005;
const REFERRALS = ['made', 'answered', 'accepted', 'declined', 'pending'];

// ---- periods: '2025', '2025H2', '2025Q3', '2025-09', '2025-01-01..2025-03-31' ----

const pad = (n) => String(n).padStart(2, '0');
const lastDay = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();

export function parsePeriod(s) {
  let m;
  if ((m = /^(\d{4})$/.exec(s))) return { kind: 'year', year: +m[1] };
  if ((m = /^(\d{4})H([12])$/.exec(s))) return { kind: 'half', year: +m[1], part: +m[2] };
  if ((m = /^(\d{4})Q([1-4])$/.exec(s))) return { kind: 'quarter', year: +m[1], part: +m[2] };
  if ((m = /^(\d{4})-(\d{2})$/.exec(s)) && +m[2] >= 1 && +m[2] <= 12) return { kind: 'month', year: +m[1], part: +m[2] };
  if ((m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(s)) && readDate(m[1]).iso && readDate(m[2]).iso) {
    return { kind: 'range', from: m[1], to: m[2] };
  }
  return null;
}

export function periodString(p) {
  switch (p.kind) {
    case 'year': return String(p.year);
    case 'half': return `${p.year}H${p.part}`;
    case 'quarter': return `${p.year}Q${p.part}`;
    case 'month': return `${p.year}-${pad(p.part)}`;
    default: return `${p.from}..${p.to}`;
  }
}

// The first and last day of a period, as YYYY-MM-DD.
export function bounds(p) {
  const span = (y, m1, m2) => ({ first: `${y}-${pad(m1)}-01`, last: `${y}-${pad(m2)}-${pad(lastDay(y, m2))}` });
  switch (p.kind) {
    case 'year': return span(p.year, 1, 12);
    case 'half': return span(p.year, p.part * 6 - 5, p.part * 6);
    case 'quarter': return span(p.year, p.part * 3 - 2, p.part * 3);
    case 'month': return span(p.year, p.part, p.part);
    default: return { first: p.from, last: p.to };
  }
}

function ended(p, today) {
  return bounds(p).last < today;
}

// The periods outside the Authority may ask for: whole quarters, halves and years, ended.
function releasable(p, today) {
  return OUTSIDE_KINDS.includes(p.kind) && ended(p, today);
}

export function periodLabel(p) {
  switch (p.kind) {
    case 'year': return t('figures.periodYear', { year: p.year });
    case 'half': return t(`figures.periodHalf.${p.part}`, { year: p.year });
    case 'quarter': return t(`figures.periodQuarter.${p.part}`, { year: p.year });
    case 'month': return t('figures.periodMonth', { month: t(`figures.month.${p.part}`), year: p.year });
    default: return t('period.fromTo', { from: fmtDate(p.from), to: fmtDate(p.to) });
  }
}

// ---- the catalogue, once a session ----

let catalogue = null;
let catalogueEpoch = -1;

async function loadCatalogue() {
  if (!catalogue || catalogueEpoch !== session.epoch) {
    catalogue = await get('/stats/catalogue');
    catalogueEpoch = session.epoch;
  }
  return catalogue;
}

// ---- tables ----

function cell(v, symbol) {
  if (v === symbol) {
    return h('span', { class: 'cell-hidden' },
      h('span', { 'aria-hidden': 'true', title: t('figures.hiddenCell') }, symbol), srOnly(t('figures.hiddenCell')));
  }
  if (typeof v === 'number') return fmtNumber(v);
  return v == null ? '—' : String(v);
}

function dimLabel(cat, name) {
  if (name === 'code') return t('figures.code');
  const d = cat.dimensions.find((x) => x.name === name);
  return d ? L(d.label) : t('figures.category');
}

// One block of a table (a dimension's rows) as an accessible table: a caption, column heads,
// each row headed by its label, "of which" rows indented, the block's note under it.
function blockTable(cat, tb, block, { caption, captionHidden = false }) {
  const symbol = tb.symbol || cat.symbol || 'c';
  const cols = tb.columns.map((c) => L(c.label));
  return h('div', { class: 'stat-block' },
    h('div', { class: 'table-wrap' }, h('table', { class: 'data stat-table' },
      h('caption', { class: captionHidden ? 'sr-only' : 'stat-caption' }, caption),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, dimLabel(cat, block.dim)),
        cols.map((c) => h('th', { scope: 'col', class: 'num' }, c)))),
      h('tbody', null, block.rows.map((r) => h('tr', { class: [r.level ? 'row-sub' : null, r.code === 'total' && !r.level ? 'row-total' : null] },
        h('th', { scope: 'row' }, L(r.label)),
        r.cells.map((v, i) => h('td', { class: 'num', 'data-label': cols[i] }, cell(v, symbol)))))))),
    block.note ? h('p', { class: 'table-note' }, L(block.note)) : null);
}

// The legend of "c", when a figure is hidden.
function legend(cat, k) {
  const text = L(cat.legend);
  return h('p', { class: 'stat-legend' }, /[.!?]$/.test(text) ? text : `${text}.`, ' ', t('figures.kNote', { k }));
}

function hiddenIn(tb) {
  return (tb?.hidden || 0) > 0;
}

// The total of a table of one column: its "total" row.
function totalOf(tb) {
  for (const b of tb.blocks || []) {
    const r = b.rows.find((x) => x.code === 'total' && !x.level);
    if (r) return r.cells[r.cells.length - 1];
  }
  return 0;
}

// ---- the three views ----

function figuresView(cat, data) {
  const symbol = data.symbol || cat.symbol;
  const flows = data.flows || [];
  const detailed = flows.filter((f) => f.blocks.some((b) => b.rows.some((r) => r.code !== 'total')));
  const ref = data.referrals || {};
  const hours = (v) => (v == null ? t('figures.notShown') : t('figures.hours', { n: fmtNumber(Math.round(v * 10) / 10) }));
  const anyHidden = flows.some(hiddenIn) || hiddenIn(data.open) || REFERRALS.some((k) => ref[k] === symbol);
  return h('div', null,
    section(t('figures.flows'),
      h('p', { class: 'hint' }, t('figures.flowsHint')),
      h('dl', { class: 'stats stats-figures' }, flows.map((f) => h('div', { class: 'stat' },
        h('dt', null, L(f.label)), h('dd', null, cell(totalOf(f), symbol))))),
      detailed.length ? h('div', { class: 'figures-grid' }, detailed.map((f) => h('div', null,
        f.blocks.map((b) => blockTable(cat, f, b, { caption: L(f.label) }))))) : null),
    data.open ? section(L(data.open.label), data.open.blocks.map((b) => blockTable(cat, data.open, b, { caption: L(data.open.label), captionHidden: true }))) : null,
    section(t('figures.referrals'),
      h('dl', { class: 'facts' },
        REFERRALS.map((k) => h('div', null, h('dt', null, t(`figures.ref.${k}`)), h('dd', null, cell(ref[k] ?? 0, symbol)))),
        h('div', null, h('dt', null, t('figures.ref.median')), h('dd', null, hours(ref.hours_median))),
        h('div', null, h('dt', null, t('figures.ref.mean')), h('dd', null, hours(ref.hours_mean))))),
    anyHidden ? legend(cat, data.k) : null);
}

// The CSV is named by the server (Content-Disposition: <table>-<period>.csv).
function tablesView(cat, tb, csvHref) {
  return section(L(tb.label),
    h('p', { class: 'section-actions' }, h('a', { href: csvHref, class: 'btn', download: true, type: 'text/csv' }, t('figures.csv'))),
    tb.blocks.map((b) => blockTable(cat, tb, b, { caption: L(b.label) || L(tb.label) })),
    hiddenIn(tb) ? legend(cat, tb.k) : null);
}

function twowayTitle(cat, { measure, rows, cols }) {
  const m = cat.measures.find((x) => x.kind === measure);
  const what = m ? L(m.label) : measure;
  return cols ? t('figures.twowayTitle', { measure: what, rows: dimLabel(cat, rows), cols: dimLabel(cat, cols) })
    : t('figures.twowayTitleRows', { measure: what, rows: dimLabel(cat, rows) });
}

// Why there is no two-way table here: it stays within the Authority (the Authority itself is
// told to choose its own audience), and outside it the standard tables are the figures given.
function twowayNotAllowed(cat, authority, tablesHref) {
  const text = authority
    ? t('figures.twowayAuthority', { audience: L(cat.audiences?.authority?.label) || 'authority' })
    : t('figures.twowayOutside');
  return h('div', { class: 'notice notice-info twoway-not-allowed' },
    h('p', null, text), h('p', null, h('a', { href: tablesHref }, t('figures.view.tables'))));
}

function twowayView(cat, tb, asked) {
  const title = twowayTitle(cat, asked);
  return section(title,
    tb.blocks.map((b) => blockTable(cat, tb, b, { caption: title, captionHidden: true })),
    hiddenIn(tb) ? legend(cat, tb.k) : null);
}

// ---- the form ----

function field(id, label, control, props = {}) {
  return h('div', { class: 'field', ...props }, h('label', { for: id }, label), control);
}

function options(sel, items, value) {
  sel.replaceChildren(...items.map((o) => h('option', { value: o.value, selected: String(o.value) === String(value) }, o.label)));
  if (![...sel.options].some((o) => o.selected) && sel.options.length) sel.options[0].selected = true;
}

// The period picker: a kind, a year and a part (half, quarter, month), or two dates. Figures
// leave the Authority (any audience but "authority") only for whole quarters, halves and years
// that have ended: then only those are offered. free() says whether any period may be asked.
export function periodPicker(current, today, free) {
  const thisYear = +today.slice(0, 4);
  const kind = h('select', { id: 'fg-kind', name: 'kind' });
  const year = h('select', { id: 'fg-year', name: 'year' });
  const part = h('select', { id: 'fg-part', name: 'part' });
  const partLabel = h('label', { for: 'fg-part' });
  const dateBox = (id, name, value) => h('input', { id, name, type: 'text', inputmode: 'numeric', class: 'input-date', size: 10,
    autocomplete: 'off', value: fmtDate(value), 'aria-describedby': 'fg-date-hint' });
  const quarter = bounds({ kind: 'quarter', year: thisYear, part: Math.floor((+today.slice(5, 7) - 1) / 3) + 1 });
  const from = dateBox('fg-from', 'from', current?.kind === 'range' ? current.from : quarter.first);
  const to = dateBox('fg-to', 'to', current?.kind === 'range' ? current.to : today);
  const yearField = field('fg-year', t('figures.year'), year);
  const partField = h('div', { class: 'field' }, partLabel, part);
  const fromField = field('fg-from', t('figures.from'), from);
  const toField = field('fg-to', t('figures.to'), to);
  const hint = h('p', { id: 'fg-date-hint', class: 'hint' }, t('form.dateHint'));
  const count = (k) => (k === 'half' ? 2 : k === 'quarter' ? 4 : k === 'month' ? 12 : 0);
  const offered = (p) => free() || releasable(p, today);

  function syncParts(wanted) {
    const k = kind.value;
    const y = +year.value;
    const items = [];
    for (let n = 1; n <= count(k); n++) if (offered({ kind: k, year: y, part: n })) items.push({ value: n, label: t(`figures.${k}.${n}`) });
    options(part, items, wanted);
  }
  function sync(wanted = {}) {
    const kinds = free() ? KINDS : OUTSIDE_KINDS;
    options(kind, kinds.map((k) => ({ value: k, label: t(`figures.kind.${k}`) })), wanted.kind ?? kind.value);
    const k = kind.value;
    const isRange = k === 'range';
    yearField.hidden = isRange;
    partField.hidden = isRange || k === 'year';
    fromField.hidden = toField.hidden = hint.hidden = !isRange;
    if (isRange) return;
    partLabel.textContent = t(`figures.${k === 'year' ? 'half' : k}`);
    const years = [];
    for (let y = thisYear; y >= FIRST_YEAR; y--) {
      if (offered(k === 'year' ? { kind: k, year: y } : { kind: k, year: y, part: 1 })) years.push({ value: y, label: String(y) });
    }
    options(year, years, wanted.year ?? year.value);
    syncParts(wanted.part ?? part.value);
  }
  // Turning a year, half, quarter or month into a range of days starts from its days (the
  // year and part selects still hold them when the kind changes).
  let before = null;
  kind.addEventListener('change', () => {
    if (kind.value === 'range' && before && before !== 'range' && year.value) {
      const b = bounds({ kind: before, year: +year.value, part: +part.value || 1 });
      from.value = fmtDate(b.first);
      to.value = fmtDate(b.last);
    }
    sync();
    before = kind.value;
  });
  year.addEventListener('change', () => syncParts(part.value));
  const usable = current && current.kind !== 'range' && (free() || releasable(current, today));
  sync(usable || (current?.kind === 'range' && free()) ? current : { kind: 'year', year: thisYear - 1 });
  before = kind.value;

  return {
    el: h('fieldset', { class: 'field period-picker' }, h('legend', null, t('figures.period')),
      h('div', { class: 'filters-grid' }, field('fg-kind', t('figures.kind'), kind), yearField, partField, fromField, toField),
      hint),
    // Offers again what may be asked (the audience changed).
    sync: () => {
      sync();
      before = kind.value;
    },
    // → {period} or {problem, focus}
    read() {
      const k = kind.value;
      if (k !== 'range') {
        if (!year.value || (k !== 'year' && !part.value)) return { problem: t('figures.noPeriod'), focus: year };
        return { period: periodString({ kind: k, year: +year.value, part: +part.value }) };
      }
      for (const [input, label] of [[from, t('figures.from')], [to, t('figures.to')]]) {
        const problem = dateError(input.value, label);
        if (problem) return { problem, focus: input };
      }
      const a = readDate(from.value).iso;
      const b = readDate(to.value).iso;
      if (b < a) return { problem: t('figures.rangeOrder'), focus: to };
      return { period: `${a}..${b}` };
    },
  };
}

// ---- the screen ----

export default async function figures(ctx) {
  const authority = isAuthority(ctx.user);
  const national = scope(ctx.user) !== 'county';
  const today = todayISO();
  const q = ctx.query;
  const [cat, counties] = await Promise.all([loadCatalogue(), loadCounties()]);

  const view = VIEWS.includes(q.get('view')) ? q.get('view') : 'figures';
  const period = q.get('period') || String(+today.slice(0, 4) - 1);
  const parsed = parsePeriod(period);
  const county = national ? q.get('county') || '' : '';
  const audiences = (authority ? ['authority', 'government', 'public'] : ['government', 'public']).filter((a) => cat.audiences?.[a]);
  const audience = q.get('audience') || audiences[0];
  const tables = cat.tables || [];
  const table = q.get('table') || tables[0]?.name || '';
  const measures = cat.measures || [];
  const measure = q.get('measure') || measures[0]?.kind || '';
  const dims = cat.dimensions || [];
  const rows = q.get('rows') || (dims.some((d) => d.name === 'sex_age') ? 'sex_age' : dims[0]?.name || '');
  const cols = q.get('cols') || '';
  const common = { period, county, audience };
  // Two-way tables: the Authority's own, for the audience "authority" only.
  const twowayAllowed = authority && audience === 'authority';

  // The figures asked for; a refusal of the server is shown in words, under the form.
  const fieldLabels = {
    period: t('figures.period'), county: t('figures.county'), audience: t('figures.audience'),
    rows: t('figures.rows'), cols: t('figures.cols'), measure: t('figures.measure'), name: t('figures.table'), table: t('figures.table'),
  };
  let result;
  try {
    if (view === 'figures') {
      result = figuresView(cat, await get(`/stats/figures${qs(common)}`));
    } else if (view === 'charts') {
      const b = parsed ? bounds(parsed) : { first: '', last: '' };
      const charts = await figureCharts({ period, first: b.first, last: b.last, county, audience, user: ctx.user });
      result = section(t('figures.view.charts'),
        h('p', { class: 'hint' }, t('chart.intro')),
        charts);
    } else if (view === 'tables') {
      const path = `/stats/tables/${encodeURIComponent(table)}`;
      const tb = await get(`${path}${qs(common)}`);
      result = tablesView(cat, tb, `/api/v1${path}${qs({ ...common, format: 'csv', lang: lang() })}`);
    } else if (!twowayAllowed) {
      result = twowayNotAllowed(cat, authority, `/figures${qs({ view: 'tables', ...common })}`);
    } else {
      const tb = await get(`/stats${qs({ period, rows, cols, measure, county, audience })}`);
      result = twowayView(cat, tb, { measure, rows, cols });
    }
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    result = errorBox(err, { title: t('figures.refused'), label: (name) => fieldLabels[name] || null });
  }

  // The form: the period, the county (national roles), the audience, and what the view needs.
  const audienceSelect = h('select', { id: 'fg-audience', name: 'audience', 'aria-describedby': 'fg-audience-hint' });
  options(audienceSelect, audiences.map((a) => ({ value: a, label: L(cat.audiences[a].label) })), audience);
  const picker = periodPicker(parsed, today, () => authority && audienceSelect.value === 'authority');
  audienceSelect.addEventListener('change', () => picker.sync());
  const countySelect = national ? h('select', { id: 'fg-county', name: 'county' },
    h('option', { value: '' }, t('figures.allCounties')),
    counties.map((c) => h('option', { value: c.slug, selected: c.slug === county }, pick(c)))) : null;
  const viewFields = [];
  let tableSelect;
  let rowsSelect;
  let colsSelect;
  let measureSelect;
  if (view === 'tables') {
    tableSelect = h('select', { id: 'fg-table', name: 'table' });
    options(tableSelect, tables.map((x) => ({ value: x.name, label: L(x.label) })), table);
    viewFields.push(field('fg-table', t('figures.table'), tableSelect, { class: 'field field-wide' }));
  } else if (view === 'twoway' && twowayAllowed) {
    measureSelect = h('select', { id: 'fg-measure', name: 'measure' });
    options(measureSelect, measures.map((m) => ({ value: m.kind, label: L(m.label) })), measure);
    rowsSelect = h('select', { id: 'fg-rows', name: 'rows' });
    colsSelect = h('select', { id: 'fg-cols', name: 'cols' });
    // "What happened" (the decision, the reason of a closure...) only for measures with codes.
    const syncDims = (wantRows, wantCols) => {
      const m = measures.find((x) => x.kind === measureSelect.value);
      const list = [...dims.map((d) => ({ value: d.name, label: L(d.label) })), ...(m?.codes ? [{ value: 'code', label: t('figures.code') }] : [])];
      options(rowsSelect, list, wantRows);
      options(colsSelect, [{ value: '', label: t('figures.noCols') }, ...list], wantCols);
    };
    measureSelect.addEventListener('change', () => syncDims(rowsSelect.value, colsSelect.value));
    syncDims(rows, cols);
    viewFields.push(field('fg-measure', t('figures.measure'), measureSelect), field('fg-rows', t('figures.rows'), rowsSelect),
      field('fg-cols', t('figures.cols'), colsSelect));
  }
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'filters-form figures-form', novalidate: true, 'aria-label': t('figures.choose') },
    picker.el,
    h('div', { class: 'filters-grid' },
      countySelect ? field('fg-county', t('figures.county'), countySelect) : null,
      field('fg-audience', t('figures.audience'), audienceSelect)),
    h('p', { id: 'fg-audience-hint', class: 'hint' }, t('figures.audienceHint', {
      government: cat.audiences?.government?.k ?? 5, public: cat.audiences?.public?.k ?? 11 })),
    viewFields.length ? h('div', { class: 'filters-grid' }, viewFields) : null,
    error,
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.show'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const got = picker.read();
    if (got.problem) {
      error.textContent = got.problem;
      error.hidden = false;
      got.focus.focus();
      return;
    }
    ctx.navigate(`/figures${qs({
      view: view === 'figures' ? '' : view, period: got.period, county: countySelect?.value, audience: audienceSelect.value,
      table: tableSelect?.value,
      // Without the builder (another audience), what was asked is kept for when it comes back.
      ...(view === 'twoway' ? {
        measure: measureSelect ? measureSelect.value : q.get('measure'),
        rows: rowsSelect ? rowsSelect.value : q.get('rows'),
        cols: colsSelect ? colsSelect.value : q.get('cols'),
      } : {}),
    })}`);
  });

  const tabs = h('nav', { class: 'filters figures-views', 'aria-label': t('figures.views') },
    h('ul', null, VIEWS.filter((v) => v !== 'twoway' || twowayAllowed || (authority && view === 'twoway')).map((v) => h('li', null, h('a', {
      href: `/figures${qs({ view: v === 'figures' ? '' : v, ...common })}`,
      'aria-current': v === view ? 'true' : null,
    }, t(`figures.view.${v}`))))));

  const where = national ? (county ? countyName(county) : t('figures.allCounties')) : countyName(ctx.user.county);
  const when = parsed ? (parsed.kind === 'range' ? periodLabel(parsed)
    : `${periodLabel(parsed)} (${t('period.fromTo', { from: fmtDate(bounds(parsed).first), to: fmtDate(bounds(parsed).last) })})`) : period;
  const audienceName = cat.audiences?.[audience] ? L(cat.audiences[audience].label) : audience;
  return h('div', null,
    pageHeader(t('figures.title'), { sub: [when, where, t('figures.for', { audience: audienceName })].join(' · ') }),
    tabs,
    form,
    authority && audience === 'authority' ? notice(t('figures.unprotected'), 'warning') : null,
    result);
}
