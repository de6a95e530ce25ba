// The KRAT scorecard (Order 94/2025 §3.2–3.3; GET /api/v1/scorecard): for a period, each
// county's meetings, quorum and attendance, tasks, reports, seats and nominations, agreements,
// training and prevention, side by side with the national row — the indicators and their labels
// come from the server (data/monitor/scorecard.json), so the table, the files and the Ministry's
// annual report say the same. Meeting compliance per county is drawn as a chart (web/js/charts.js)
// with its table one click away. The table sorts by any column (the national row stays last);
// XLSX and PDF are the server's. The Ministry's lists follow: every overdue seat by the type of
// institution that must nominate, and the counties without an agreement with a prosecution
// office. A county's roles see their own county's row and lists. Period kept in the address:
// /scorecard?period=2026H1.
import { h, uid } from '../dom.js';
import { t, lang, pick, fmtDate, fmtNumber, todayISO } from '../i18n.js';
import { get, qs, ApiError } from '../api.js';
import { loadCounties, countyName, scope } from '../session.js';
import { pageHeader, section, notice, errorBox, table } from '../ui.js';
import { barChart } from '../charts.js';
import { parsePeriod, periodPicker, periodLabel } from './figures.js';

const L = (label) => (label ? label[lang()] || label.sq || '' : '');

// A value as the table shows it: a county's flag as yes/no, a percentage with its sign.
function shown(ind, v, national) {
  if (v == null) return '–';
  if (ind.unit === 'flag' && !national) return v ? t('scorecard.yes') : t('scorecard.no');
  if (ind.unit === 'percent') return `${fmtNumber(v)} %`;
  return fmtNumber(v);
}

// Counties × indicators, sortable by a column's button; the national row is kept last.
function scoreTable(sc, group) {
  const inds = sc.indicators.filter((i) => !group || i.group === group);
  const rows = sc.rows.map((r) => ({ name: pick(r), values: r.values, slug: r.county }));
  let sortBy = null;
  let dir = 1;
  const tbody = h('tbody');
  const heads = [];
  const body = () => {
    const sorted = [...rows];
    if (sortBy === 'name') sorted.sort((a, b) => dir * a.name.localeCompare(b.name, lang()));
    else if (sortBy) sorted.sort((a, b) => dir * ((a.values[sortBy] ?? -Infinity) - (b.values[sortBy] ?? -Infinity)) || a.name.localeCompare(b.name, lang()));
    const line = (r, national) => h('tr', { class: national ? 'row-total' : null },
      h('th', { scope: 'row' }, national ? t('scorecard.national') : h('a', { href: `/counties/${r.slug}` }, r.name)),
      inds.map((i) => h('td', { class: 'num', 'data-label': L(i.label) }, shown(i, r.values[i.id], national))));
    tbody.replaceChildren(...sorted.map((r) => line(r, false)), sc.national ? line({ values: sc.national.values }, true) : '');
    for (const th of heads) {
      const key = th.dataset.key;
      th.setAttribute('aria-sort', key === sortBy ? (dir > 0 ? 'ascending' : 'descending') : 'none');
      th.querySelector('.sort-mark').textContent = key === sortBy ? (dir > 0 ? ' ▲' : ' ▼') : '';
    }
  };
  const head = (key, label) => {
    const th = h('th', { scope: 'col', class: key === 'name' ? null : 'num', dataset: { key } },
      h('button', { type: 'button', class: 'sort', 'aria-label': t('scorecard.sortBy', { label }), onclick: () => {
        dir = sortBy === key ? -dir : key === 'name' ? 1 : -1;
        sortBy = key;
        body();
      } }, label, h('span', { class: 'sort-mark', 'aria-hidden': 'true' })));
    heads.push(th);
    return th;
  };
  const thead = h('thead', null, h('tr', null, head('name', t('scorecard.county')), inds.map((i) => head(i.id, L(i.label)))));
  body();
  return h('div', { class: 'table-wrap scorecard-wrap' },
    h('table', { class: 'data scorecard' }, h('caption', { class: 'sr-only' }, t('scorecard.table')), thead, tbody));
}

// Meeting compliance per county: held and on time, each as a share of the meetings required.
function complianceChart(sc) {
  const share = (r, k) => (r.values.meetings_required ? Math.round((100 * r.values[k]) / r.values.meetings_required) : null);
  const rows = [...sc.rows.map((r) => ({ name: pick(r), values: r.values })),
    ...(sc.national ? [{ name: t('scorecard.national'), values: sc.national.values }] : [])];
  return barChart({
    name: 'compliance',
    title: t('scorecard.chartTitle'),
    categoryHead: t('scorecard.county'),
    categories: rows.map((r) => r.name),
    series: [{ label: t('scorecard.seriesHeld') }, { label: t('scorecard.seriesOnTime') }],
    values: rows.map((r) => [share(r, 'meetings_held'), share(r, 'meetings_on_time')]),
    max: 100,
    unit: ' %',
    describe: (name, i) => (rows[i].values.meetings_required
      ? t('scorecard.chartLine', { county: name, held: rows[i].values.meetings_held, onTime: rows[i].values.meetings_on_time, required: rows[i].values.meetings_required })
      : `${name}: ${t('scorecard.noRequired')}`),
  });
}

function byTypeTable(sc) {
  const bt = sc.by_institution_type;
  return table({
    caption: t('scorecard.byType'),
    rows: bt.rows,
    empty: t('common.none'),
    columns: [
      { label: t('scorecard.typeCol'), cell: (r) => L(r.label) },
      ...bt.columns.map((c) => ({ label: L(c.label), class: 'num',
        cell: (r) => (r.values[c.id] == null ? '–' : `${fmtNumber(r.values[c.id])}${c.id === 'attendance_rate' ? ' %' : ''}`) })),
    ],
  });
}

// Every overdue seat, grouped by the institution type that must nominate (each group folded
// when the list is long); most overdue first or by county.
function overdueList(data) {
  if (!data.total) return h('p', { class: 'empty' }, t('scorecard.overdueNone'));
  const id = uid('sc-order');
  const order = h('select', { id, name: 'order' },
    h('option', { value: 'days' }, t('scorecard.sortDays')),
    h('option', { value: 'county' }, t('scorecard.sortCounty')));
  const holder = h('div');
  const draw = () => {
    holder.replaceChildren(...data.groups.map((g) => {
      const items = [...g.items];
      if (order.value === 'county') items.sort((a, b) => countyName(a.county).localeCompare(countyName(b.county), lang()) || b.days_overdue - a.days_overdue);
      // Each type folded under its count, unfolded when there is little to read.
      return h('details', { class: 'overdue-group', open: data.total <= 20 },
        h('summary', null, h('h3', null, t('scorecard.groupCount', { label: L(g.label), n: g.seats }))),
        table({
          caption: L(g.label),
          rows: items,
          columns: [
            { label: t('scorecard.county'), cell: (s) => countyName(s.county) },
            { label: t('scorecard.colBody'), cell: (s) => h('a', { href: `/bodies/${s.body}` }, lang() === 'en' ? s.body_name_en || s.body_name_sq : s.body_name_sq) },
            { label: t('scorecard.colSeat'), cell: (s) => h('a', { href: `/seats/${s.seat}` }, lang() === 'en' ? s.label_en || s.label : s.label) },
            { label: t('scorecard.colDeadline'), cell: (s) => fmtDate(s.deadline) },
            { label: t('scorecard.colDays'), class: 'num', cell: (s) => fmtNumber(s.days_overdue) },
          ],
        }));
    }));
  };
  order.addEventListener('change', draw);
  draw();
  return h('div', null, h('div', { class: 'field inline-field' }, h('label', { for: id }, t('scorecard.overdueSort')), order), holder);
}

function missingList(items) {
  if (!items.length) return h('p', { class: 'empty' }, t('scorecard.missingNone'));
  return table({
    caption: t('scorecard.missingTitle'),
    rows: items,
    columns: [
      { label: t('scorecard.county'), cell: (r) => h('a', { href: `/agreements?county=${r.county}` }, pick(r)) },
      { label: t('scorecard.missingOthers'), class: 'num', cell: (r) => fmtNumber(r.agreements_in_force) },
      { label: t('scorecard.missingLast'), cell: (r) => (r.last_until ? fmtDate(r.last_until) : t('scorecard.never')) },
    ],
  });
}

export default async function scorecard(ctx) {
  const today = todayISO();
  const period = ctx.query.get('period') || today.slice(0, 4);
  const parsed = parsePeriod(period) || parsePeriod(today.slice(0, 4));
  await loadCounties();
  let sc;
  let lists;
  try {
    [sc, ...lists] = await Promise.all([get(`/scorecard${qs({ period })}`), get('/scorecard/seats-overdue'),
      get('/scorecard/agreements-missing')]);
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    sc = null;
    lists = [err];
  }

  const picker = periodPicker(parsed, today, () => true);
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'filters-form', novalidate: true, 'aria-label': t('scorecard.choose') },
    picker.el, error,
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
    ctx.navigate(`/scorecard${qs({ period: got.period })}`);
  });
  if (!sc) {
    return h('div', null, pageHeader(t('scorecard.title'), { sub: t('scorecard.sub') }), form,
      errorBox(lists[0], { label: (name) => (name === 'period' ? t('figures.period') : null) }));
  }
  const [overdue, missing] = lists;
  const file = (format) => `/api/v1/scorecard/${format}${qs({ period: sc.period, lang: lang() })}`;
  const actions = [
    h('a', { class: 'btn', href: file('xlsx'), download: `scorecard-${sc.period}.xlsx` }, t('scorecard.xlsx')),
    h('a', { class: 'btn', href: file('pdf'), download: `scorecard-${sc.period}.pdf` }, t('scorecard.pdf')),
  ];
  const groupSelect = h('select', { id: 'sc-group', name: 'group' },
    h('option', { value: '' }, t('scorecard.allGroups')),
    sc.groups.map((g) => h('option', { value: g.id }, L(g.label))));
  const tableHolder = h('div', null, scoreTable(sc, ''));
  groupSelect.addEventListener('change', () => tableHolder.replaceChildren(scoreTable(sc, groupSelect.value)));
  const p = parsePeriod(sc.period);
  const county = scope(ctx.user) === 'county';

  return h('div', null,
    pageHeader(t('scorecard.title'), { sub: t('scorecard.sub'), actions }),
    form,
    h('p', { class: 'hint' }, t('scorecard.periodLine', { period: p ? periodLabel(p) : sc.period, date: fmtDate(sc.as_of) })),
    county ? notice(t('scorecard.countyOnly')) : null,
    section(t('scorecard.chartTitle'), complianceChart(sc)),
    section(t('scorecard.table'),
      h('div', { class: 'field inline-field' }, h('label', { for: 'sc-group' }, t('scorecard.group')), groupSelect),
      tableHolder,
      h('details', { class: 'definitions' }, h('summary', null, t('scorecard.definitions')),
        h('dl', null, sc.indicators.map((i) => [h('dt', null, L(i.label)), h('dd', null, L(i.about))])))),
    section(t('scorecard.byType'), byTypeTable(sc)),
    section(t('scorecard.overdueTitle'), h('p', { class: 'hint' }, t('scorecard.overdueSub')), overdueList(overdue)),
    section(t('scorecard.missingTitle'), missingList(missing.items)));
}
