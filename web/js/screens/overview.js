// National overview: filled, vacant and overdue seats of every county and of the national
// bodies, and the list of seats whose nomination is overdue (for one county or all).
import { h } from '../dom.js';
import { t, pick, fmtNumber } from '../i18n.js';
import { get } from '../api.js';
import { loadCounties, countyName } from '../session.js';
import { pageHeader, section, table, summaryStats, fillBar } from '../ui.js';
import { overdueRows } from './county.js';

export default async function overview(ctx) {
  const county = ctx.query.get('county') || '';
  const [data, counties] = await Promise.all([get('/seats/overview'), loadCounties()]);
  const rows = [
    ...data.items.map((i) => ({ ...i, href: `/counties/${i.county}`, label: countyName(i.county) })),
    { ...data.national, label: t('overview.national'), national: true },
  ];
  const overdue = county ? (await get(`/nominations/overdue?county=${encodeURIComponent(county)}`)).items : null;

  const select = h('select', { id: 'ov-county', name: 'county' },
    h('option', { value: '' }, t('form.choose')),
    counties.map((c) => h('option', { value: c.slug, selected: c.slug === county }, pick(c))));
  const picker = h('form', { class: 'inline-form', method: 'get', action: '/overview', onsubmit: (e) => {
    e.preventDefault();
    ctx.navigate(`/overview${select.value ? `?county=${select.value}` : ''}`);
  } }, h('label', { for: 'ov-county' }, t('overview.pickCounty')), select, h('button', { type: 'submit', class: 'btn' }, t('common.show')));

  return h('div', null,
    pageHeader(t('overview.title'), { sub: t('overview.sub') }),
    summaryStats(data.total),
    section(t('overview.byCounty'), table({
      caption: t('overview.byCounty'),
      rows,
      rowClass: (r) => (r.national ? 'row-total' : null),
      columns: [
        { label: t('county.name'), cell: (r) => (r.national ? r.label : h('a', { href: r.href }, r.label)) },
        { label: t('summary.seats'), class: 'num', cell: (r) => fmtNumber(r.seats) },
        { label: t('summary.filled'), class: 'num', cell: (r) => fmtNumber(r.filled) },
        { label: t('summary.filledShare'), cell: (r) => fillBar(r.filled, r.seats) },
        { label: t('summary.vacant'), class: 'num', cell: (r) => fmtNumber(r.vacant) },
        { label: t('summary.overdue'), class: 'num', cell: (r) => h('span', { class: r.overdue ? 'count-overdue' : null }, fmtNumber(r.overdue)) },
      ],
    })),
    section(t('overdue.title'), h('p', { class: 'hint' }, t('overdue.explain')), picker,
      overdue ? h('div', null, h('h3', null, t('overdue.titleCounty', { name: countyName(county) })), overdueRows(overdue)) : null));
}
