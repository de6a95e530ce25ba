// The audit trail (auditor / data-protection officer and administrator): who did what, when,
// newest first, a page at a time; narrowed by user, case, action, record and days; the fields
// each read or change touched and the reason given. Reasons written about a person are opened
// by the server for the data-protection officer only (the administrator sees that one was
// given). The filters travel in the address (usernames, case codes, actions, days: nothing
// about a person); exports are files of the same filtered trail.
import { h } from '../dom.js';
import { t, fmtDateTime, has, lang } from '../i18n.js';
import { get, qs } from '../api.js';
import { pageHeader, table, onMore, buttonLink } from '../ui.js';
import { makeForm } from '../form.js';
import { loadCaseForm, fieldLabel } from '../cases.js';

const ENTITIES = ['user', 'nomination', 'person', 'guest', 'body', 'seat', 'institution', 'agreement', 'meeting', 'case', 'referral', 'duplicate', 'register_entry', 'audit', 'database'];
// The actions offered in the filter (any other can still come in the address).
const ACTIONS = ['read_personal', 'read_reasons', 'search_personal', 'export', 'print', 'login', 'login_failed', 'logout', 'totp_enrol', 'totp_reset', 'create', 'update', 'transition', 'refer', 'merge'];
const FILTERS = ['user', 'case', 'action', 'entity', 'entity_id', 'from', 'to'];

// The reasons the server itself writes are translated; a person's own words stay as written.
function reason(r) {
  if (r.reason_sealed && r.reason == null) return h('span', { class: 'muted' }, t('audit.reasonSealed'));
  const text = r.reason;
  if (!text) return '—';
  const key = `audit.why.${text.replace(/\s+/g, '_')}`;
  return has(key) ? t(key) : h('q', { class: 'audit-reason' }, text);
}

function actionLabel(a) {
  return has(`audit.action.${a}`) ? t(`audit.action.${a}`) : a;
}

function entityLabel(e) {
  return has(`audit.entity.${e}`) ? t(`audit.entity.${e}`) : e;
}

export default async function audit(ctx) {
  const officer = ctx.user.role === 'dpo';
  const filter = {};
  for (const k of FILTERS) filter[k] = ctx.query.get(k) || '';
  if (filter.entity && !ENTITIES.includes(filter.entity)) filter.entity = '';
  let def = null;
  try {
    def = await loadCaseForm();
  } catch {
    def = null; // without the form, fields are shown by their names
  }
  const fieldName = (n) => (def ? fieldLabel(def, n) : n);
  const rows = [];
  let next = null;
  const holder = h('div');
  const more = h('button', { type: 'button', class: 'btn' }, t('common.more'));

  function record(r) {
    const what = entityLabel(r.entity);
    if (r.case) return h('a', { href: `/audit${qs({ case: r.case })}`, title: t('audit.caseTrail') }, `${what} ${r.case}`);
    return `${what}${r.entity_id ? ` #${r.entity_id}` : ''}`;
  }

  function draw() {
    holder.replaceChildren(table({
      caption: t('audit.title'),
      empty: t('audit.none'),
      rows,
      columns: [
        { label: t('audit.time'), cell: (r) => h('time', { datetime: r.ts }, fmtDateTime(r.ts)) },
        { label: t('audit.user'), cell: (r) => (r.username ? h('a', { href: `/audit${qs({ user: r.username })}` }, r.username) : t('audit.system')) },
        { label: t('audit.action'), cell: (r) => actionLabel(r.action) },
        { label: t('audit.entity'), cell: record },
        { label: t('audit.fields'), cell: (r) => (r.fields?.length ? r.fields.map((f) => (r.entity === 'case' ? fieldName(f) : f)).join(', ') : '—') },
        { label: t('audit.reason'), cell: reason },
      ],
    }));
    more.hidden = !next;
  }
  async function load() {
    const page = await get(`/audit${qs({ ...filter, limit: 50, after: next })}`);
    rows.push(...page.items);
    next = page.next;
    draw();
  }
  onMore(more, holder, load, () => rows.length);
  await load();

  const actionOptions = [{ value: '', label: t('audit.allActions') }, ...ACTIONS.map((a) => ({ value: a, label: actionLabel(a) }))];
  if (filter.action && !ACTIONS.includes(filter.action)) actionOptions.push({ value: filter.action, label: filter.action.split(',').map(actionLabel).join(', ') });
  const form = makeForm({
    className: 'filters-form audit-filters',
    fields: [
      { name: 'user', label: t('audit.user'), value: filter.user, autocomplete: 'off', maxlength: 64 },
      { name: 'case', label: t('audit.caseCode'), value: filter.case, autocomplete: 'off', maxlength: 40, hint: t('audit.caseHint') },
      { name: 'action', label: t('audit.action'), type: 'select', value: filter.action, options: actionOptions },
      { name: 'entity', label: t('audit.entity'), type: 'select', value: filter.entity,
        options: [{ value: '', label: t('audit.allEntities') }, ...ENTITIES.map((e) => ({ value: e, label: entityLabel(e) }))] },
      { name: 'from', label: t('audit.from'), type: 'date', value: filter.from },
      { name: 'to', label: t('audit.to'), type: 'date', value: filter.to },
    ],
    submitLabel: t('common.show'),
    actions: [h('a', { href: '/audit', class: 'btn' }, t('audit.clear'))],
    onSubmit: async (v) => {
      // A record id without its kind narrows nothing: it goes with the entity it came with.
      const keep = v.entity && v.entity === filter.entity ? filter.entity_id : '';
      ctx.navigate(`/audit${qs({ ...v, case: v.case ? v.case.toUpperCase() : '', entity_id: keep })}`);
    },
  });

  form.el.setAttribute('aria-label', t('audit.filters'));
  form.el.setAttribute('role', 'search');
  const exportQuery = (format) => `/api/v1/audit/export${qs({ ...filter, format, lang: lang() })}`;
  const exports = h('p', { class: 'actions' },
    h('a', { href: exportQuery('csv'), class: 'btn', download: '' }, t('audit.exportCsv')),
    ' ',
    h('a', { href: exportQuery('xlsx'), class: 'btn', download: '' }, t('audit.exportXlsx')));

  const actions = officer
    ? [buttonLink('/audit/search', t('audit.search.title')), buttonLink('/audit/patterns', t('audit.patterns.title'))]
    : [];
  return h('div', null,
    pageHeader(t('audit.title'), { sub: officer ? t('audit.subOfficer') : t('audit.sub'), actions }),
    form.el,
    exports, holder, h('p', null, more));
}
