// Figures of the National Database as of the end of any day: persons (merged duplicates count
// once) by stage, status, sex, age band, county, form of exploitation, children and adults.
// Outside the Responsible Authority small counts are shown as the server gives them: "<5".
import { h } from '../dom.js';
import { t, pick, fmtDate, parseDate, dateError, todayISO, fmtNumber } from '../i18n.js';
import { get, qs } from '../api.js';
import { loadCounties, countyName, scope } from '../session.js';
import { pageHeader, section, table, notice } from '../ui.js';
import { loadCaseForm, stageLabel, codeLabel } from '../cases.js';

const count = (v) => (typeof v === 'number' ? fmtNumber(v) : String(v));
// Sorts counts high to low, "<5" last among the numbers.
const weight = (v) => (typeof v === 'number' ? v : 0.5);

function dimension(title, obj, label, order) {
  const rows = Object.entries(obj || {});
  if (order) rows.sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
  else rows.sort((a, b) => weight(b[1]) - weight(a[1]));
  return section(title, table({
    caption: title,
    empty: t('figures.none'),
    rows,
    columns: [
      { label: t('figures.category'), cell: ([k]) => (k === 'unknown' ? t('figures.unknown') : label(k)) },
      { label: t('figures.persons'), class: 'num', cell: ([, v]) => count(v) },
    ],
  }));
}

export default async function figures(ctx) {
  const asOf = parseDate(ctx.query.get('as_of') || '') || todayISO();
  const national = scope(ctx.user) !== 'county';
  const county = national ? ctx.query.get('county') || '' : '';
  const [def, counties, s] = await Promise.all([loadCaseForm(), loadCounties(), get(`/cases/stats${qs({ as_of: asOf, county })}`)]);

  const dateInput = h('input', { id: 'fg-asof', name: 'as_of', type: 'text', inputmode: 'numeric', class: 'input-date', size: 10,
    autocomplete: 'off', value: fmtDate(asOf), 'aria-describedby': 'fg-asof-hint' });
  const countySelect = national ? h('select', { id: 'fg-county', name: 'county' },
    h('option', { value: '' }, t('figures.allCounties')),
    counties.map((c) => h('option', { value: c.slug, selected: c.slug === county }, pick(c)))) : null;
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const picker = h('form', { class: 'filters-form', novalidate: true, 'aria-label': t('figures.choose'), onsubmit: (e) => {
    e.preventDefault();
    const problem = dateError(dateInput.value, t('figures.asOf'));
    if (problem) {
      error.textContent = problem;
      error.hidden = false;
      dateInput.focus();
      return;
    }
    ctx.navigate(`/figures${qs({ as_of: parseDate(dateInput.value), county: countySelect?.value })}`);
  } },
  h('div', { class: 'filters-grid' },
    h('div', { class: 'field' }, h('label', { for: 'fg-asof' }, t('figures.asOf')), dateInput),
    countySelect ? h('div', { class: 'field' }, h('label', { for: 'fg-county' }, t('figures.county')), countySelect) : null),
  h('p', { id: 'fg-asof-hint', class: 'hint' }, t('form.dateHint')),
  error,
  h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.show'))));

  const stages = def.workflow.stages.map((x) => x.code);
  const where = county || (!national ? ctx.user.county : '');
  return h('div', null,
    pageHeader(t('figures.title'), { sub: t('figures.sub', { date: fmtDate(s.as_of), where: where ? countyName(where) : t('figures.allCounties') }) }),
    picker,
    s.small_cells_suppressed ? notice(t('figures.suppressed'), 'info') : null,
    h('dl', { class: 'stats stats-figures' },
      h('div', { class: 'stat' }, h('dt', null, t('figures.total')), h('dd', null, count(s.persons))),
      h('div', { class: 'stat' }, h('dt', null, t('figures.children')), h('dd', null, count(s.children?.child ?? 0))),
      h('div', { class: 'stat' }, h('dt', null, t('figures.adults')), h('dd', null, count(s.children?.adult ?? 0)))),
    h('div', { class: 'figures-grid' },
      dimension(t('figures.byStage'), s.by_stage, (k) => stageLabel(def, k), stages),
      dimension(t('figures.byStatus'), s.by_status, (k) => codeLabel(def, 'trafficking_status', k)),
      dimension(t('figures.bySex'), s.by_sex, (k) => codeLabel(def, 'genders', k)),
      dimension(t('figures.byAge'), s.by_age_band, (k) => k, ['0-11', '12-14', '15-17', '18-24', '25-34', '35-49', '50+', 'unknown']),
      national && !county ? dimension(t('figures.byCounty'), s.by_county, (k) => countyName(k)) : null,
      dimension(t('figures.byExploitation'), s.by_exploitation, (k) => codeLabel(def, 'exploitation', k))));
}
