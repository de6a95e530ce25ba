// The case registry: the cases the user may see, newest first, filtered by code, stage, status,
// county, form of exploitation, child or adult and the date of identification, a page at a time.
// Only codes and non-personal columns: names are never listed.
import { h } from '../dom.js';
import { t, pick, fmtDate, parseDate, dateError } from '../i18n.js';
import { get, qs } from '../api.js';
import { loadCounties, countyName, scope, createsCases, loadInstitutions, institutionName } from '../session.js';
import { pageHeader, table, buttonLink, notice, onMore } from '../ui.js';
import { loadCaseForm, stageLabel, statusTag, codeLabel, codeOptions, childBadge, L } from '../cases.js';

const FILTERS = ['code', 'stage', 'status', 'county', 'exploitation', 'child', 'from', 'to'];

function select(id, name, options, value) {
  return h('select', { id, name }, options.map((o) => h('option', { value: o.value, selected: String(value) === String(o.value) }, o.label)));
}

function filterForm(ctx, def, counties, current) {
  const all = { value: '', label: t('cases.any') };
  const fields = [
    ['code', t('case.code'), h('input', { id: 'cf-code', name: 'code', type: 'text', value: current.code || '', autocomplete: 'off', size: 14, spellcheck: 'false' })],
    ['stage', t('case.stage'), select('cf-stage', 'stage', [all, ...def.workflow.stages.map((s) => ({ value: s.code, label: L(s.label) }))], current.stage || '')],
    ['status', t('case.status'), select('cf-status', 'status', [all, ...codeOptions(def, 'trafficking_status')], current.status || '')],
    scope(ctx.user) === 'county' ? null
      : ['county', t('case.county'), select('cf-county', 'county', [all, ...counties.map((c) => ({ value: c.slug, label: pick(c) }))], current.county || '')],
    ['exploitation', t('case.exploitation'), select('cf-exploitation', 'exploitation', [all, ...codeOptions(def, 'exploitation')], current.exploitation || '')],
    ['child', t('cases.childOrAdult'), select('cf-child', 'child', [all, { value: 'true', label: t('cases.children') }, { value: 'false', label: t('cases.adults') }], current.child || '')],
    ['from', t('cases.from'), h('input', { id: 'cf-from', name: 'from', type: 'text', inputmode: 'numeric', class: 'input-date', size: 10, autocomplete: 'off', value: fmtDate(current.from || ''), 'aria-describedby': 'cf-date-hint' })],
    ['to', t('cases.to'), h('input', { id: 'cf-to', name: 'to', type: 'text', inputmode: 'numeric', class: 'input-date', size: 10, autocomplete: 'off', value: fmtDate(current.to || ''), 'aria-describedby': 'cf-date-hint' })],
  ].filter(Boolean);
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'filters-form', novalidate: true, 'aria-label': t('cases.filters') },
    h('div', { class: 'filters-grid' }, fields.map(([name, label, input]) => h('div', { class: 'field' }, h('label', { for: input.id }, label), input))),
    h('p', { id: 'cf-date-hint', class: 'hint' }, t('cases.dateHint')),
    error,
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.show')),
      h('a', { href: '/cases', class: 'btn' }, t('cases.clear'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = {};
    for (const [name, , input] of fields) q[name] = input.value.trim();
    q.code = q.code.toUpperCase();
    for (const d of ['from', 'to']) {
      if (!q[d]) continue;
      const problem = dateError(q[d], d === 'from' ? t('cases.from') : t('cases.to'));
      if (problem) {
        error.textContent = problem;
        error.hidden = false;
        form.querySelector(`[name="${d}"]`).focus();
        return;
      }
      q[d] = parseDate(q[d]);
    }
    ctx.navigate(`/cases${qs(q)}`);
  });
  return form;
}

export default async function cases(ctx) {
  const [def, counties] = await Promise.all([loadCaseForm(), loadCounties(), loadInstitutions()]);
  const current = {};
  for (const k of FILTERS) current[k] = ctx.query.get(k) || '';
  const rows = [];
  let next = null;
  const holder = h('div');
  const more = h('button', { type: 'button', class: 'btn' }, t('common.more'));

  function draw() {
    holder.replaceChildren(table({
      caption: t('cases.title'),
      empty: t('cases.none'),
      rows,
      columns: [
        { label: t('case.code'), cell: (c) => h('a', { href: `/cases/${encodeURIComponent(c.code)}`, class: 'case-code' }, c.code) },
        { label: t('case.stage'), cell: (c) => stageLabel(def, c.stage) },
        { label: t('case.status'), cell: (c) => statusTag(def, c.status) },
        { label: t('case.age'), cell: (c) => (c.is_child ? childBadge() : t('case.adult')) },
        { label: t('case.county'), cell: (c) => countyName(c.county) },
        { label: t('case.identifiedOn'), cell: (c) => fmtDate(c.identified_on) },
        { label: t('case.exploitation'), cell: (c) => (c.fields?.vic_TypeOfExploitation || []).map((x) => codeLabel(def, 'exploitation', x)).join(', ') || '—' },
        { label: t('case.holder'), cell: (c) => institutionName(c.holder, c.holder_name) },
      ],
    }));
    more.hidden = !next;
  }
  async function load() {
    const page = await get(`/cases${qs({ ...current, limit: 50, after: next })}`);
    rows.push(...page.items);
    next = page.next;
    draw();
  }
  onMore(more, holder, load, () => rows.length);
  await load();

  const actions = createsCases(ctx.user) ? [buttonLink('/cases/new', t('cases.new'), { class: 'btn-primary' })] : [];
  const filtered = FILTERS.some((k) => current[k]);
  return h('div', null,
    pageHeader(t('cases.title'), { sub: t(`cases.sub.${scope(ctx.user)}`), actions }),
    filterForm(ctx, def, counties, current),
    filtered ? notice(t('cases.filtered'), 'info') : null,
    holder,
    h('p', null, more));
}
