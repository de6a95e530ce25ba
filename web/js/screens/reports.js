// The periodic reports the user reads (GET /reports: the server decides which): the type, the
// issuing body, the period, the due day ("late" when it has passed and the report is not
// delivered) and the state, filtered by type, county and state; for the recipient (the Ministry's
// monitor, a county's secretariat for its Table's reports) those delivered and waiting for an
// answer; and, for a secretariat, a new report of a type it drafts, for a period the type covers.
import { h } from '../dom.js';
import { t, lang, fmtDate, todayISO } from '../i18n.js';
import { get, getAll, post, qs, ApiError } from '../api.js';
import { isNational, countyName } from '../session.js';
import { pageHeader, section, table, notice, errorBox } from '../ui.js';
import { makeForm } from '../form.js';
import { selectEl, countyOptions } from '../registers.js';
import {
  STATUSES, statusText, reportStatusTag, isLate, lateTag, reportPeriodText, L2, answersReports, periodChoices, reportHref,
} from '../reports.js';

const bodyName = (r) => (lang() === 'en' ? r.body_name_en || r.body_name_sq : r.body_name_sq) || t('reports.issuerMinistry');

function reportsTable(rows, today, caption, empty) {
  return table({
    caption,
    empty,
    rows,
    rowClass: (r) => (isLate(r, today) ? 'row-overdue' : null),
    columns: [
      { label: t('reports.type'), cell: (r) => h('a', { href: reportHref(r.id) }, L2(r.label)) },
      { label: t('reports.body'), cell: bodyName },
      { label: t('reports.period'), cell: (r) => reportPeriodText(r.period) },
      { label: t('reports.due'), cell: (r) => [fmtDate(r.due), isLate(r, today) ? [' ', lateTag()] : null] },
      { label: t('reports.statusCol'), cell: (r) => reportStatusTag(r.status) },
    ],
  });
}

function filterForm(ctx, types, current, countySel) {
  const typeSel = selectEl('rp-type', 'type',
    [{ value: '', label: t('reports.allTypes') }, ...types.map((x) => ({ value: x.type, label: L2(x.label) }))], current.type);
  const statusSel = selectEl('rp-status', 'status',
    [{ value: '', label: t('reports.allStatuses') }, ...STATUSES.map((s) => ({ value: s, label: statusText(s) }))], current.status);
  const form = h('form', { class: 'filters-form', novalidate: true, 'aria-label': t('reports.filters') },
    h('div', { class: 'filters-grid' },
      h('div', { class: 'field' }, h('label', { for: 'rp-type' }, t('reports.type')), typeSel),
      countySel ? h('div', { class: 'field' }, h('label', { for: 'rp-county' }, t('figures.county')), countySel) : null,
      h('div', { class: 'field' }, h('label', { for: 'rp-status' }, t('reports.statusCol')), statusSel)),
    h('div', { class: 'form-actions' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.show')),
      h('a', { href: '/reports', class: 'btn' }, t('cases.clear'))));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate(`/reports${qs({ type: typeSel.value, county: countySel?.value, status: statusSel.value })}`);
  });
  return form;
}

// The days of the held meetings of the county's body of this kind (a Table's report covers one).
async function meetingDays(kind, county) {
  const bodies = (await get(`/bodies${qs({ kind, county })}`)).items;
  if (!bodies.length) return [];
  const items = await getAll(`/bodies/${bodies[0].id}/meetings`);
  return items.filter((m) => m.status === 'held').map((m) => m.date).sort().reverse();
}

async function newReportForm(ctx, creatable, today) {
  const county = ctx.user.county || null;
  const byType = new Map(creatable.map((x) => [x.type, x]));
  const meetings = new Map();
  async function periodOptionsOf(type) {
    const def = byType.get(type);
    if (def.period === 'meeting') {
      if (!meetings.has(def.issuer)) meetings.set(def.issuer, county ? await meetingDays(def.issuer, county) : []);
      const days = meetings.get(def.issuer);
      return { options: days.map((d) => ({ value: d, label: reportPeriodText(d) })), value: days[0] || '' };
    }
    return periodChoices(def.period, today);
  }
  const first = creatable[0].type;
  const p0 = await periodOptionsOf(first);
  const scopeText = (type) => (byType.get(type).scope === 'county' ? countyName(county) : t('reports.national'));
  const scopeLine = h('p', { class: 'hint', id: 'rp-scope' }, t('reports.scopeIs', { scope: scopeText(first) }));
  const noMeeting = notice(t('reports.noHeldMeeting'), 'info');
  noMeeting.hidden = !(byType.get(first).period === 'meeting' && !p0.options.length);
  const form = makeForm({
    className: 'report-new',
    fields: [
      { name: 'type', label: t('reports.type'), type: 'select', required: true, value: first,
        options: creatable.map((x) => ({ value: x.type, label: L2(x.label) })) },
      scopeLine,
      { name: 'period', label: t('reports.period'), type: 'select', required: true, value: p0.value, options: p0.options,
        hint: t('reports.periodHint') },
      noMeeting,
    ],
    labels: { scope: t('reports.scope') },
    submitLabel: t('reports.create'),
    onInput: async (v, f) => {
      if (v.type === f.el.dataset.type) return;
      f.el.dataset.type = v.type;
      const p = await periodOptionsOf(v.type);
      f.setOptions('period', p.options, p.value);
      scopeLine.textContent = t('reports.scopeIs', { scope: scopeText(v.type) });
      noMeeting.hidden = !(byType.get(v.type).period === 'meeting' && !p.options.length);
    },
    onSubmit: async (v, f) => {
      const def = byType.get(v.type);
      try {
        const r = await post('/reports', { type: v.type, scope: def.scope === 'county' ? county : 'national', period: v.period });
        ctx.navigate(reportHref(r.id), { notice: t('reports.created') });
      } catch (err) {
        if (err instanceof ApiError && err.key === 'report_exists' && err.params?.id) {
          f.clearErrors();
          exists.replaceChildren(h('div', { class: 'notice notice-warning', role: 'alert' },
            h('p', null, t('reports.exists')),
            h('p', null, h('a', { href: reportHref(err.params.id), class: 'btn' }, t('reports.openExisting')))));
          return;
        }
        throw err;
      }
    },
  });
  form.el.dataset.type = first;
  const exists = h('div', { class: 'report-exists' });
  return section(t('reports.new'), h('p', { class: 'hint' }, t('reports.newHint')), form.el, exists);
}

export default async function reports(ctx) {
  const today = todayISO();
  const national = isNational(ctx.user);
  const current = {
    type: ctx.query.get('type') || '',
    county: national ? ctx.query.get('county') || '' : '',
    status: ctx.query.get('status') || '',
  };
  const [types, list] = await Promise.all([
    get('/report-types').then((d) => d.items),
    getAll(`/reports${qs({ type: current.type, county: current.county })}`),
  ]);
  const toOf = new Map(types.map((x) => [x.type, x.to]));
  const rows = list.filter((r) => !current.status || r.status === current.status)
    .sort((a, b) => (b.last_day || '').localeCompare(a.last_day || '') || b.id - a.id);
  const inbox = list.filter((r) => r.status === 'delivered' && answersReports(toOf.get(r.type), ctx.user));
  const countySel = national ? selectEl('rp-county', 'county', await countyOptions({ value: '', label: t('reg.allCounties') }), current.county) : null;
  const creatable = types.filter((x) => x.can_create);
  let newForm = null;
  if (creatable.length) {
    try {
      newForm = await newReportForm(ctx, creatable, today);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      newForm = errorBox(err);
    }
  }
  const answering = types.some((x) => answersReports(x.to, ctx.user));
  return h('div', null,
    pageHeader(t('reports.title'), { sub: t('reports.sub') }),
    answering ? section(t('reports.inbox'),
      h('p', { class: 'hint' }, t('reports.inboxHint')),
      reportsTable(inbox, today, t('reports.inbox'), t('reports.inboxEmpty'))) : null,
    section(t('reports.list'),
      filterForm(ctx, types, current, countySel),
      current.type || current.county || current.status ? notice(t('reg.filtered'), 'info') : null,
      reportsTable(rows, today, t('reports.list'), t('reports.none'))),
    newForm);
}
