// Meetings by body (Order 94 §1.6, §2.2; Instruction 132 §7): for each body that meets (the
// Authority, the KRATs, the Technical Tables, municipal groups) whether it meets as often as it
// must — its last meeting, the day by which it must meet next (overdue in words), its next
// scheduled meeting — and the way to its meetings; and the year at a glance (?view=matrix&year=):
// the ordinary meetings of each body month by month, with the share of the required meetings
// held, and held in time (GET /compliance/meetings). County roles see their county's bodies;
// national roles the Authority and, by county, the rest.
import { h } from '../dom.js';
import { t, tn, pick, fmtDate, fmtNumber, todayISO } from '../i18n.js';
import { get, getAll, qs } from '../api.js';
import { loadCounties, countyName, isNational, keepsMeetings, canEditOrg, labelOf, serverHas } from '../session.js';
import { pageHeader, table, notice } from '../ui.js';
import { MEETING_BODIES, overdueBadge, onTimeBadge } from '../meetings.js';

const VIEWS = ['bodies', 'matrix'];
// The year the Responsible Authority was set up (Instruction 132, 2023): the first one offered.
const FIRST_YEAR = 2023;

async function bodiesOf(user, county) {
  if (!isNational(user)) return (await get(`/counties/${encodeURIComponent(user.county)}`)).bodies;
  const all = (await get(`/bodies${qs({ county })}`)).items;
  return county ? all : all.filter((b) => !b.county || b.kind !== 'municipal_group');
}

// National bodies first, then by county, the KRAT before the Table before the groups.
function byPlace(a, b) {
  const key = (x) => [x.county ? 1 : 0, x.county ? countyName(x.county) : '', MEETING_BODIES.indexOf(x.kind), pick(x)];
  const x = key(a);
  const y = key(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return String(x[i]).localeCompare(String(y[i]));
  return 0;
}

function share(n, of) {
  if (!of) return '—';
  return t('matrix.share', { n: fmtNumber(n), of: fmtNumber(of), pct: fmtNumber(Math.round((n * 100) / of)) });
}

async function bodiesView(ctx, u, county) {
  const bodies = (await bodiesOf(u, county)).filter((b) => MEETING_BODIES.includes(b.kind)).sort(byPlace);
  const compliance = await Promise.all(bodies.map((b) => get(`/bodies/${b.id}/compliance`).catch(() => null)));
  const rows = bodies.map((b, i) => ({ body: b, c: compliance[i] })).filter((r) => r.c);
  const overdue = rows.filter((r) => r.c.overdue).length;
  return [
    h('p', { class: 'hint' }, t('meetings.indexExplain')),
    overdue ? h('p', { class: 'notice notice-warning' }, tn('meetings.overdueCount', overdue)) : null,
    table({
      caption: t('meetings.title'),
      empty: t('meetings.noBodies'),
      rows,
      rowClass: (r) => (r.c.overdue ? 'row-overdue' : null),
      columns: [
        { label: t('body.name'), cell: (r) => h('div', null, h('a', { href: `/bodies/${r.body.id}/meetings` }, pick(r.body)),
          h('span', { class: 'muted block' }, labelOf('kind', r.body.kind))) },
        { label: t('compliance.last'), cell: (r) => (r.c.last_meeting ? fmtDate(r.c.last_meeting) : t('compliance.never')) },
        { label: t('compliance.nextDue'), cell: (r) => (r.c.next_due ? fmtDate(r.c.next_due) : '—') },
        { label: t('compliance.state'), cell: (r) => (!r.c.every_months ? '—'
          : r.c.overdue ? overdueBadge(t('compliance.overdueShort')) : onTimeBadge(t('compliance.onTime'))) },
        { label: t('compliance.next'), cell: (r) => (r.c.next_meeting ? fmtDate(r.c.next_meeting) : '—') },
        ...(keepsMeetings(u) ? [{ label: t('common.actions'), cell: (r) => (!canEditOrg(r.body.county || null, u) ? '—'
          : h('a', { href: `/bodies/${r.body.id}/meetings/new`, class: 'btn btn-small' }, t('meetings.scheduleShort'),
            h('span', { class: 'sr-only' }, ` — ${pick(r.body)}`))) }] : []),
      ],
    }),
  ];
}

async function matrixView(ctx, u, county, year) {
  if (!serverHas('GET', '/compliance/meetings')) return [notice(t('matrix.unavailable'), 'info')];
  const items = (await getAll(`/compliance/meetings${qs({ year })}`)).filter((x) => !county || x.county === county);
  items.sort(byPlace);
  const months = Array.from({ length: 12 }, (_, i) => i + 1);
  const total = items.reduce((s, x) => ({ required: s.required + x.required, held: s.held + x.held, on_time: s.on_time + x.on_time }),
    { required: 0, held: 0, on_time: 0 });
  const years = [];
  const thisYear = Number(todayISO().slice(0, 4));
  for (let y = thisYear; y >= FIRST_YEAR; y--) years.push(y);
  const select = h('select', { id: 'mt-year', name: 'year' }, years.map((y) => h('option', { value: y, selected: y === year }, String(y))));
  const picker = h('form', { class: 'inline-form', onsubmit: (e) => {
    e.preventDefault();
    ctx.navigate(`/meetings${qs({ view: 'matrix', county, year: select.value })}`);
  } }, h('label', { for: 'mt-year' }, t('matrix.year')), select, h('button', { type: 'submit', class: 'btn' }, t('common.show')));
  if (!items.length) return [picker, h('p', { class: 'empty' }, t('matrix.none'))];
  const monthHead = (m) => h('th', { scope: 'col', class: 'num' }, h('abbr', { title: t(`figures.month.${m}`) }, t(`matrix.month.${m}`)));
  return [
    picker,
    h('p', { class: 'hint' }, t('matrix.explain')),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data matrix' },
      h('caption', { class: 'sr-only' }, `${t('meetings.viewMatrix')} ${year}`),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('matrix.body')), months.map(monthHead),
        h('th', { scope: 'col' }, t('matrix.held')), h('th', { scope: 'col' }, t('matrix.onTime')))),
      h('tbody', null,
        items.map((x) => h('tr', { class: x.required && x.held < x.required ? 'row-overdue' : null },
          h('th', { scope: 'row' }, h('a', { href: `/bodies/${x.body}/meetings` }, pick(x)),
            h('span', { class: 'muted block' }, [labelOf('kind', x.kind) !== pick(x) ? labelOf('kind', x.kind) : null,
              x.county ? countyName(x.county) : null].filter(Boolean).join(' · '))),
          x.months.map((n, i) => h('td', { class: ['num', n ? 'matrix-held' : 'matrix-none'], 'data-label': t(`figures.month.${i + 1}`) }, fmtNumber(n))),
          h('td', { 'data-label': t('matrix.held') }, share(x.held, x.required)),
          h('td', { 'data-label': t('matrix.onTime') }, share(x.on_time, x.required)))),
        h('tr', { class: 'row-total' }, h('th', { scope: 'row' }, t('matrix.total')),
          months.map((m, i) => h('td', { class: 'num', 'data-label': t(`figures.month.${m}`) }, fmtNumber(items.reduce((s, x) => s + (x.months[i] || 0), 0)))),
          h('td', { 'data-label': t('matrix.held') }, share(total.held, total.required)),
          h('td', { 'data-label': t('matrix.onTime') }, share(total.on_time, total.required)))))),
  ];
}

export default async function meetingsIndex(ctx) {
  const u = ctx.user;
  const national = isNational(u);
  const county = national ? ctx.query.get('county') || '' : u.county;
  const view = VIEWS.includes(ctx.query.get('view')) ? ctx.query.get('view') : 'bodies';
  const thisYear = Number(todayISO().slice(0, 4));
  const y = Number(ctx.query.get('year'));
  const year = Number.isInteger(y) && y >= FIRST_YEAR && y <= thisYear ? y : thisYear;
  const counties = await loadCounties();

  let picker = null;
  if (national) {
    const select = h('select', { id: 'mt-county', name: 'county' },
      h('option', { value: '' }, t('meetings.allCounties')),
      counties.map((c) => h('option', { value: c.slug, selected: c.slug === county }, pick(c))));
    picker = h('form', { class: 'inline-form', onsubmit: (e) => {
      e.preventDefault();
      ctx.navigate(`/meetings${qs({ view: view === 'bodies' ? '' : view, county: select.value, year: view === 'matrix' ? year : '' })}`);
    } }, h('label', { for: 'mt-county' }, t('meetings.county')), select, h('button', { type: 'submit', class: 'btn' }, t('common.show')));
  }
  const views = h('nav', { class: 'filters', 'aria-label': t('meetings.views') }, h('ul', null, VIEWS.map((v) => h('li', null,
    h('a', { href: `/meetings${qs({ view: v === 'bodies' ? '' : v, county: national ? county : '' })}`, 'aria-current': v === view ? 'true' : null },
      t(v === 'bodies' ? 'meetings.viewBodies' : 'meetings.viewMatrix'))))));
  const content = view === 'matrix' ? await matrixView(ctx, u, county, year) : await bodiesView(ctx, u, county);
  return h('div', null,
    pageHeader(t('meetings.title'), { sub: county ? countyName(county) : t('meetings.allCounties') }),
    picker,
    views,
    content);
}
