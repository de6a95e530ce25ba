// A register's entries: filtered by county (national roles) and period, the columns its
// definition lists ("list": codes by their label, yes / no, dates), newest first, a page at a
// time; "New" where the user records entries; the same entries as CSV or XLSX (non-personal
// fields only). A personal register lists no personal field: the list is the same for the
// institution that holds an entry and for the county's bodies.
import { h } from '../dom.js';
import { t, lang, todayISO } from '../i18n.js';
import { get, qs } from '../api.js';
import { countyName, isNational } from '../session.js';
import { pageHeader, breadcrumbs, table, buttonLink, notice, tag, onMore } from '../ui.js';
import { L } from '../cases.js';
import {
  loadRegister, catalogueEntry, fieldText, entryPath, periodOptions, selectEl, countyOptions, roleField,
} from '../registers.js';

const enc = encodeURIComponent;

function filterForm(ctx, name, current, national, countySelect) {
  const periodSel = selectEl('rg-period', 'period', periodOptions(todayISO(), current.period), current.period);
  const form = h('form', { class: 'filters-form', novalidate: true, 'aria-label': t('reg.filters') },
    h('div', { class: 'filters-grid' },
      countySelect ? h('div', { class: 'field' }, h('label', { for: 'rg-county' }, t('figures.county')), countySelect) : null,
      h('div', { class: 'field' }, h('label', { for: 'rg-period' }, t('figures.period')), periodSel)),
    h('p', { class: 'hint' }, t('reg.periodHint')),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.show')),
      h('a', { href: `/registers/${enc(name)}`, class: 'btn' }, t('cases.clear'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(`/registers/${enc(name)}${qs({ county: countySelect?.value, period: periodSel.value })}`);
  });
  return form;
}

export default async function register(ctx) {
  const name = ctx.params.name;
  const def = await loadRegister(name);
  const cat = catalogueEntry(name) || def;
  const national = isNational(ctx.user);
  const current = { county: national ? ctx.query.get('county') || '' : '', period: ctx.query.get('period') || '' };
  const countySelect = national ? selectEl('rg-county', 'county', await countyOptions({ value: '', label: t('reg.allCounties') }), current.county) : null;
  const rows = [];
  let next = null;
  const holder = h('div');
  const more = h('button', { type: 'button', class: 'btn' }, t('common.more'));
  // The list's columns: the definition's (references aside: the list does not name them).
  const cols = def.list.map((n) => def.fields.get(n)).filter((f) => f && !f.ref && !f.personal);
  const countyF = roleField(def, 'county');
  const showCounty = national || def.county === 'optional';
  const columns = [
    { label: t('reg.code'), cell: (e) => h('a', { href: entryPath(name, e.code), class: 'case-code' }, e.code) },
    ...cols.map((f) => ({ label: L(f.label), cell: (e) => fieldText(def, f, e.fields?.[f.name]) })),
    ...(showCounty && countyF && !def.list.includes(countyF) ? [{ label: t('figures.county'), cell: (e) => (e.county ? countyName(e.county) : t('reg.national')) }] : []),
    ...(def.to_case ? [{ label: t('reg.case'), cell: (e) => (e.case_code
      ? h('a', { href: `/cases/${enc(e.case_code)}`, class: 'case-code' }, e.case_code)
      : e.became_case ? t('reg.becameCaseShort') : '—') }] : []),
    ...(def.review ? [{ label: t('reg.review'), cell: (e) => (e.review_overdue ? tag(t('reg.reviewOverdue'), 'danger') : tag(t('reg.reviewOk'), 'ok')) }] : []),
  ];

  function draw() {
    holder.replaceChildren(table({ caption: L(cat.label), empty: t('reg.noEntries'), rows, columns,
      rowClass: (e) => (e.review_overdue ? 'row-overdue' : null) }));
    more.hidden = !next;
  }
  async function load() {
    const page = await get(`/registers/${enc(name)}/entries${qs({ ...current, limit: 50, after: next })}`);
    rows.push(...page.items);
    next = page.next;
    draw();
  }
  onMore(more, holder, load, () => rows.length);
  await load();

  const file = (format) => `/api/v1/registers/${enc(name)}/export${qs({ format, county: current.county, period: current.period, lang: lang() })}`;
  const actions = [
    cat.can_create ? buttonLink(`/registers/${enc(name)}/new`, t('reg.new'), { class: 'btn-primary' }) : null,
    h('a', { href: file('csv'), class: 'btn', download: true, type: 'text/csv' }, t('reg.csv')),
    h('a', { href: file('xlsx'), class: 'btn', download: true, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }, t('reg.xlsx')),
  ].filter(Boolean);
  return h('div', null,
    breadcrumbs([[t('reg.title'), '/prevention'], [L(cat.label)]]),
    pageHeader(L(cat.label), { sub: L(cat.about), actions }),
    cat.personal ? notice(t('reg.personalList'), 'info') : null,
    filterForm(ctx, name, current, national, countySelect),
    current.county || current.period ? notice(t('reg.filtered'), 'info') : null,
    holder,
    h('p', null, more),
    h('p', { class: 'hint' }, t('reg.exportHint')));
}
