// The data-protection officer's search of a person's cases: by name (and birth date) or by a
// document number, matched by the server through keyed hashes, never by opening cases. The
// terms go in the body of a POST and nowhere else (not in the address, not kept in the page
// after leaving it); the answer is case codes with facts about no one, and who read each
// case's personal data and when, with a link to that case's trail.
import { h } from '../dom.js';
import { t, tn, fmtDate, fmtDateTime, has } from '../i18n.js';
import { post, qs } from '../api.js';
import { pageHeader, table, section, facts, notice, breadcrumbs } from '../ui.js';
import { makeForm } from '../form.js';
import { loadCaseForm, fieldLabel, stageLabel } from '../cases.js';
import { countyName, labelOf, loadCounties } from '../session.js';

export default async function auditSearch() {
  const [def] = await Promise.all([loadCaseForm().catch(() => null), loadCounties()]);
  const results = h('div', { 'aria-live': 'polite' });
  const fieldName = (n) => (def ? fieldLabel(def, n) : n);
  const action = (a) => (has(`audit.action.${a}`) ? t(`audit.action.${a}`) : a);

  function show(answer) {
    if (!answer.items.length) {
      results.replaceChildren(notice(t('audit.search.none'), 'info', { role: 'status' }));
      return;
    }
    results.replaceChildren(
      h('p', { role: 'status' }, tn('audit.search.found', answer.count)),
      ...answer.items.map((c) => section(t('audit.search.case', { code: c.code }),
        facts([
          [t('audit.search.county'), countyName(c.county)],
          [t('audit.search.stage'), def ? stageLabel(def, c.stage) : c.stage],
          [t('audit.search.holder'), c.holder_name],
          [t('audit.search.identified'), fmtDate(c.identified_on)],
          c.merged_into ? [t('audit.search.mergedInto'), c.merged_into] : null,
          [t('audit.search.readsCount'), String(c.reads_count)],
        ]),
        table({
          caption: t('audit.search.readers', { code: c.code }),
          empty: t('audit.search.noReads'),
          rows: c.reads,
          columns: [
            { label: t('audit.time'), cell: (r) => h('time', { datetime: r.ts }, fmtDateTime(r.ts)) },
            { label: t('audit.user'), cell: (r) => h('a', { href: `/audit${qs({ user: r.username })}` }, r.username) },
            { label: t('audit.search.who'), cell: (r) => [r.name || '', r.role ? ` (${labelOf('role', r.role)})` : ''].join('') },
            { label: t('audit.action'), cell: (r) => action(r.action) },
            { label: t('audit.fields'), cell: (r) => (r.fields?.length ? r.fields.map(fieldName).join(', ') : '—') },
          ],
        }),
        h('p', null, h('a', { href: `/audit${qs({ case: c.code })}` }, t('audit.search.trail', { code: c.code }))))));
  }

  const form = makeForm({
    fields: [
      { name: 'first_name', label: t('audit.search.firstName'), autocomplete: 'off', maxlength: 200, noOptional: true },
      { name: 'last_name', label: t('audit.search.lastName'), autocomplete: 'off', maxlength: 200, noOptional: true },
      { name: 'birthdate', label: t('audit.search.birthdate'), type: 'date', noOptional: true },
      { name: 'document', label: t('audit.search.document'), autocomplete: 'off', maxlength: 200, noOptional: true, hint: t('audit.search.documentHint') },
    ],
    submitLabel: t('audit.search.submit'),
    onSubmit: async (v, f) => {
      const body = v.document ? { document: v.document }
        : { first_name: v.first_name || undefined, last_name: v.last_name || undefined, birthdate: v.birthdate || undefined };
      if (!v.document && (!v.first_name || !v.last_name)) {
        f.showErrors([[v.first_name ? 'last_name' : 'first_name', t('audit.search.terms')]]);
        return;
      }
      results.replaceChildren();
      show(await post('/audit/search', body));
    },
  });
  form.el.setAttribute('role', 'search');
  form.el.setAttribute('aria-label', t('audit.search.title'));
  return h('div', null,
    breadcrumbs([[t('audit.title'), '/audit'], [t('audit.search.title')]]),
    pageHeader(t('audit.search.title'), { sub: t('audit.search.sub') }),
    form.el, results);
}
