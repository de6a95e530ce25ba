// The 12 counties (qarqe) with how many of their seats are filled, vacant and overdue.
import { h } from '../dom.js';
import { t, pick, fmtNumber } from '../i18n.js';
import { get } from '../api.js';
import { loadCounties } from '../session.js';
import { pageHeader, section, table, fillBar } from '../ui.js';
import { bodyRows } from './county.js';

export default async function counties() {
  const [list, overview, authority, secretariat] = await Promise.all([loadCounties(), get('/seats/overview'),
    get('/bodies?kind=authority'), get('/bodies?kind=authority_secretariat')]);
  const stats = new Map(overview.items.map((i) => [i.county, i]));
  return h('div', null,
    pageHeader(t('counties.title'), { sub: t('counties.sub') }),
    section(t('counties.list'), table({
      caption: t('counties.title'),
      rows: list,
      columns: [
        { label: t('county.name'), cell: (c) => h('a', { href: `/counties/${c.slug}` }, pick(c)) },
        { label: t('county.iso'), cell: (c) => c.iso },
        { label: t('county.municipalities'), class: 'num', cell: (c) => fmtNumber(c.municipalities) },
        { label: t('summary.seats'), class: 'num', cell: (c) => fmtNumber(stats.get(c.slug)?.seats ?? 0) },
        { label: t('summary.filledShare'), cell: (c) => fillBar(stats.get(c.slug)?.filled ?? 0, stats.get(c.slug)?.seats ?? 0) },
        { label: t('summary.overdue'), class: 'num', cell: (c) => {
          const n = stats.get(c.slug)?.overdue ?? 0;
          return h('span', { class: n ? 'count-overdue' : null }, fmtNumber(n));
        } },
      ],
    })),
    section(t('counties.national'), bodyRows([...authority.items, ...secretariat.items])));
}
