// A new case: the identification form of the first stage, drawn from the form definition, with
// the screening suggestion worked out as the indicators are ticked. The server gives the case
// its code (e.g. FR-2025-0001) and tells the Authority (only the Authority: a case worker
// learns nothing about other cases) whether it looks like a case registered already.
//
// /registers/NAME/CODE/case turns an entry of a register (a person at risk) into a case: the
// case takes the fields the register's "to_case" maps from the entry (name, birth date, sex,
// county...), which the form leaves out and a banner lists; the user gives the rest and, since
// the person's data are copied, a reason (the server records it). The entry keeps its history
// and links to the case.
import { h } from '../dom.js';
import { t, todayISO } from '../i18n.js';
import { get, post } from '../api.js';
import { loadCounties, loadInstitutions, loadInstitutionTypes, isAuthority } from '../session.js';
import { pageHeader, breadcrumbs, notice, dialog } from '../ui.js';
import { makeForm } from '../form.js';
import { loadCaseForm, screening, screeningNotice, ageLine, maySet, fieldLabel, L } from '../cases.js';
import { caseForm } from '../caseform.js';
import { draftKey } from '../drafts.js';
import { loadRegister, catalogueEntry, entryPath } from '../registers.js';
import { savedNotice } from './case.js';

const enc = encodeURIComponent;

// The entry a case is made from, and the case fields it gives (those it holds a value for).
async function fromEntry(ctx) {
  const { name, code } = ctx.params;
  const [reg, e] = await Promise.all([loadRegister(name), get(`/registers/${enc(name)}/entries/${enc(code)}`)]);
  const filled = new Set([...(e.personal_fields || []), ...Object.keys(e.fields || {}).filter((k) => e.fields[k] != null && e.fields[k] !== '')]);
  const given = new Map();
  for (const [from, to] of Object.entries(reg.to_case?.fields || {})) if (filled.has(from)) given.set(to, from);
  return { reg, e, cat: catalogueEntry(name) || reg, given };
}

// Why the person's data are copied into a case; null when cancelled.
function askReason(code) {
  return dialog(t('reg.toCaseReasonTitle', { code }), (close) => makeForm({
    fields: [
      h('p', null, t('reg.toCaseReasonExplain')),
      { name: 'reason', label: t('personal.reason'), type: 'textarea', required: true, maxlength: 500, hint: t('reg.reasonHint'), autofocus: true },
    ],
    submitLabel: t('reg.toCaseSubmit'),
    actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
    onSubmit: async (v) => close(v.reason),
  }).el);
}

// The short first registration: what the first stage needs — the fields it requires, those the
// form places at that stage, what is required of every case (the name, the sex), and a field
// required only when a condition holds that can hold here (an estimated age without a birth
// date; the birth date then too, as the other way to answer). The rest is filled in afterwards,
// section by section (/cases/CODE/edit).
export function shortForm(def, initial) {
  const want = new Set(def.stages.get(initial)?.requires || []);
  for (const [n] of def.sectionOf) {
    const f = def.fields.get(n);
    if (f.stage === initial || (!f.stage && f.required)) want.add(n);
  }
  for (const [n] of def.sectionOf) {
    const f = def.fields.get(n);
    const cond = f.required_when;
    if (want.has(n) || f.stage || !cond) continue;
    if (cond.empty) {
      want.add(n);
      if (def.sectionOf.has(cond.field)) want.add(cond.field);
    } else if (want.has(cond.field)) want.add(n);
  }
  want.delete('al_is_child');
  return [...def.sectionOf.keys()].filter((n) => want.has(n));
}

export default async function caseNew(ctx) {
  const u = ctx.user;
  const [def, counties, institutions, types, from] = await Promise.all([loadCaseForm(), loadCounties(), loadInstitutions(),
    loadInstitutionTypes(), ctx.params.code ? fromEntry(ctx) : null]);
  if (from) {
    const { reg, e, cat } = from;
    const crumbs = breadcrumbs([[t('reg.title'), '/prevention'], [L(cat.label), `/registers/${enc(reg.name)}`],
      [e.code, entryPath(reg.name, e.code)], [t('reg.toCase')]]);
    if (e.case_code || !reg.to_case || !e.can_read_personal) {
      return h('div', null, crumbs, pageHeader(t('reg.toCaseTitle', { code: e.code })),
        notice(e.case_code ? h('span', null, t('reg.becameCaseKept'), ' ', h('a', { href: `/cases/${enc(e.case_code)}` }, e.case_code))
          : t('error.entry_by_holder'), 'warning'));
    }
  }
  const given = from ? from.given : new Map();
  const initial = def.workflow.initial;
  const names = shortForm(def, initial).filter((n) => maySet(def, n, u) && !given.has(n));
  const values = {
    // Until the Authority's formal decision the status is the workflow's "undecided" one.
    vic_TraffickingStatus: def.workflow.decision?.undecided || 'PossibleVictimOfTrafficking',
    al_identification_date: todayISO(),
    al_identifying_institution: u.institution || null,
    al_county: u.county || null,
  };
  for (const n of given.keys()) delete values[n];
  const env = { institutions, types, counties, defaultCounty: u.county || from?.e.county || '', user: u };

  // The Authority registers for an institution (its own unless it names another).
  const authority = isAuthority(u) && !from;
  if (authority) values.institution = u.institution || null;
  const extraFields = authority ? [{ name: 'institution', type: 'integer', ref: 'institution', label: t('case.registrar'), help: t('case.registrarHint') }] : [];
  // Whether the person is a child, when the birth date comes from the entry unseen: the entry says.
  const childDefault = typeof from?.e.fields?.child === 'boolean' ? from.e.fields.child : undefined;

  const age = h('p', { class: 'age-line', 'aria-live': 'polite' });
  const screen = h('div', { 'aria-live': 'polite' });
  const form = caseForm({
    def, env, names, values, stage: initial,
    required: new Set([...def.stages.get(initial).requires, ...(authority && !u.institution ? ['institution'] : [])].filter((n) => !given.has(n))),
    given: [...given.keys()],
    requiredFirst: true,
    sticky: true,
    top: h('p', { class: 'hint short-form-hint' }, t('case.shortFormHint')),
    childDefault,
    extraFields,
    after: { al_estimated_age: age },
    sectionEnd: { screening: screen },
    // What is typed is kept on the server until the case is registered (drafts.js).
    draft: { form: 'case', key: from ? draftKey('from', from.reg.name, from.e.code) : 'new' },
    submitLabel: from ? t('reg.toCaseSubmit') : t('case.register'),
    actions: [h('a', { href: from ? entryPath(from.reg.name, from.e.code) : '/cases', class: 'btn' }, t('common.cancel'))],
    onChange: (data, child) => {
      age.textContent = given.has('prs_Birthdate') && childDefault != null && !Number.isInteger(data.al_estimated_age)
        ? t(child ? 'reg.toCaseChild' : 'reg.toCaseAdult') : ageLine(data);
      screen.replaceChildren(screeningNotice(screening(data, child)));
    },
    onSubmit: async (v) => {
      // What the user may not set keeps its starting value (a case starts as a potential victim).
      const fields = {};
      for (const n of def.sectionOf.keys()) if (!names.includes(n) && values[n] != null && n !== 'al_is_child') fields[n] = values[n];
      for (const [k, x] of Object.entries(v)) if (x != null && k !== 'institution') fields[k] = x;
      if (from) {
        const reason = await askReason(from.e.code);
        if (!reason) return false;
        const made = await post(`/registers/${enc(from.reg.name)}/entries/${enc(from.e.code)}/case`, { fields, reason });
        ctx.navigate(`/cases/${enc(made.code)}`, { replace: true, notice: t('reg.toCaseDone', { code: made.code, entry: from.e.code }) });
        return;
      }
      const body = { fields };
      if (authority && v.institution) body.institution = v.institution;
      const made = await post('/cases', body);
      // Then the rest, section by section.
      ctx.navigate(`/cases/${encodeURIComponent(made.code)}/edit`, { replace: true,
        notice: savedNotice(`${t('case.created', { code: made.code })} ${t('case.createdRest')}`, made, u) });
    },
  });

  if (from) {
    const { reg, e, cat } = from;
    return h('div', null,
      breadcrumbs([[t('reg.title'), '/prevention'], [L(cat.label), `/registers/${enc(reg.name)}`],
        [e.code, entryPath(reg.name, e.code)], [t('reg.toCase')]]),
      pageHeader(t('reg.toCaseTitle', { code: e.code }), { sub: t('case.newSub') }),
      h('div', { class: 'notice notice-info from-entry' },
        h('p', { class: 'notice-title' }, t('reg.toCaseBannerTitle', { code: e.code })),
        h('p', null, given.size ? t('reg.toCaseBanner', { fields: [...given.keys()].map((n) => fieldLabel(def, n)).join(', ') }) : t('reg.toCaseBannerNone')),
        h('p', null, t('reg.toCaseBannerRest'))),
      form.el);
  }
  return h('div', null,
    breadcrumbs([[t('cases.title'), '/cases'], [t('cases.new')]]),
    pageHeader(t('cases.new'), { sub: t('case.newSub') }),
    notice(t('case.newExplain'), 'info'),
    form.el);
}
