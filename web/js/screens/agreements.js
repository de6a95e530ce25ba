// Agreements of the counties with prosecution offices and NGOs (Order 94 §1.3): a list per
// county, with the signed document when one has been uploaded.
import { h } from '../dom.js';
import { t, pick, fmtDate, todayISO } from '../i18n.js';
import { getAll, qs } from '../api.js';
import { loadCounties, countyName, isNational, agreementCounty, labelOf } from '../session.js';
import { pageHeader, table, buttonLink, tag } from '../ui.js';

export function validity(a) {
  if (!a.valid_from && !a.valid_until) return '—';
  if (!a.valid_until) return t('period.from', { from: fmtDate(a.valid_from) });
  return t('period.fromTo', { from: fmtDate(a.valid_from || a.signed), to: fmtDate(a.valid_until) });
}

export default async function agreements(ctx) {
  const u = ctx.user;
  const national = isNational(u);
  const county = national ? ctx.query.get('county') || '' : u.county;
  const [items, counties] = await Promise.all([getAll(`/agreements${qs({ county })}`), loadCounties()]);
  const editable = agreementCounty(u);
  const actions = editable ? [buttonLink(`/agreements/new${qs({ county: editable === '*' ? county : editable })}`, t('agreements.new'), { class: 'btn-primary' })] : [];

  let picker = null;
  if (national) {
    const select = h('select', { id: 'ag-county', name: 'county' },
      h('option', { value: '' }, t('agreements.allCounties')),
      counties.map((c) => h('option', { value: c.slug, selected: c.slug === county }, pick(c))));
    picker = h('form', { class: 'inline-form', onsubmit: (e) => {
      e.preventDefault();
      ctx.navigate(`/agreements${qs({ county: select.value })}`);
    } }, h('label', { for: 'ag-county' }, t('agreements.county')), select, h('button', { type: 'submit', class: 'btn' }, t('common.show')));
  }
  const today = todayISO();
  return h('div', null,
    pageHeader(t('agreements.title'), { sub: county ? countyName(county) : t('agreements.allCounties'), actions }),
    h('p', { class: 'hint' }, t('agreements.explain')),
    picker,
    table({
      caption: t('agreements.title'),
      empty: t('agreements.none'),
      rows: items,
      columns: [
        { label: t('agreement.title'), cell: (a) => h('a', { href: `/agreements/${a.id}` }, a.title) },
        { label: t('agreement.counterpart'), cell: (a) => h('div', null, a.counterpart, h('span', { class: 'muted block' }, labelOf('counterpart', a.counterpart_kind))) },
        ...(national && !county ? [{ label: t('agreements.county'), cell: (a) => countyName(a.county) }] : []),
        { label: t('agreement.signed'), cell: (a) => fmtDate(a.signed) },
        { label: t('agreement.validity'), cell: (a) => h('div', null, validity(a),
          a.valid_until && a.valid_until < today ? [' ', tag(t('agreement.expired'), 'warning')] : null) },
        { label: t('agreement.document'), cell: (a) => (a.document ? tag(t('agreement.hasDocument'), 'ok') : tag(t('agreement.noDocument'))) },
      ],
    }));
}
