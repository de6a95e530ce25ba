// A new case: the identification form of the first stage, drawn from the form definition, with
// the screening suggestion worked out as the indicators are ticked. The server gives the case
// its code (e.g. FR-2025-0001) and tells the Authority (only the Authority: a case worker
// learns nothing about other cases) whether it looks like a case registered already.
import { h } from '../dom.js';
import { t, todayISO } from '../i18n.js';
import { post } from '../api.js';
import { loadCounties, loadInstitutions, loadInstitutionTypes, isAuthority } from '../session.js';
import { pageHeader, breadcrumbs, notice } from '../ui.js';
import { loadCaseForm, screening, screeningNotice, ageLine, maySet } from '../cases.js';
import { caseForm } from '../caseform.js';
import { savedNotice } from './case.js';

export default async function caseNew(ctx) {
  const u = ctx.user;
  const [def, counties, institutions, types] = await Promise.all([loadCaseForm(), loadCounties(), loadInstitutions(), loadInstitutionTypes()]);
  const initial = def.workflow.initial;
  const names = [...def.sectionOf.keys()].filter((n) => {
    const f = def.fields.get(n);
    return n !== 'al_is_child' && (!f.stage || f.stage === initial) && maySet(def, n, u);
  });
  const values = {
    // Until the Authority's formal decision the status is the workflow's "undecided" one.
    vic_TraffickingStatus: def.workflow.decision?.undecided || 'PossibleVictimOfTrafficking',
    al_identification_date: todayISO(),
    al_identifying_institution: u.institution || null,
    al_county: u.county || null,
  };
  const env = { institutions, types, counties, defaultCounty: u.county || '', user: u };

  // The Authority registers for an institution (its own unless it names another).
  const authority = isAuthority(u);
  if (authority) values.institution = u.institution || null;
  const extraFields = authority ? [{ name: 'institution', type: 'integer', ref: 'institution', label: t('case.registrar'), help: t('case.registrarHint') }] : [];

  const age = h('p', { class: 'age-line', 'aria-live': 'polite' });
  const screen = h('div', { 'aria-live': 'polite' });
  const form = caseForm({
    def, env, names, values, stage: initial,
    required: new Set([...def.stages.get(initial).requires, ...(authority && !u.institution ? ['institution'] : [])]),
    extraFields,
    after: { al_estimated_age: age },
    sectionEnd: { screening: screen },
    submitLabel: t('case.register'),
    actions: [h('a', { href: '/cases', class: 'btn' }, t('common.cancel'))],
    onChange: (data, child) => {
      age.textContent = ageLine(data);
      screen.replaceChildren(screeningNotice(screening(data, child)));
    },
    onSubmit: async (v) => {
      // What the user may not set keeps its starting value (a case starts as a potential victim).
      const fields = {};
      for (const n of def.sectionOf.keys()) if (!names.includes(n) && values[n] != null && n !== 'al_is_child') fields[n] = values[n];
      for (const [k, x] of Object.entries(v)) if (x != null && k !== 'institution') fields[k] = x;
      const body = { fields };
      if (authority && v.institution) body.institution = v.institution;
      const made = await post('/cases', body);
      ctx.navigate(`/cases/${encodeURIComponent(made.code)}`, { replace: true, notice: savedNotice(t('case.created', { code: made.code }), made, u) });
    },
  });

  return h('div', null,
    breadcrumbs([[t('cases.title'), '/cases'], [t('cases.new')]]),
    pageHeader(t('cases.new'), { sub: t('case.newSub') }),
    notice(t('case.newExplain'), 'info'),
    form.el);
}
