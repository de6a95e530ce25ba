// Likely duplicates (the Responsible Authority's queue): two cases that seem to be the same
// person — the same name and birth date, the same document, or names and births alike
// (approximate matching, docs/matching.md: ranked by likeness, with what agreed). Merge them (keeping one code,
// both histories; the figures then count the person once) after seeing both side by side — their
// non-personal data, and their personal data once a reason is given — or dismiss the pair.
import { h, srOnly } from '../dom.js';
import { t, fmtDate, fmtDateTime } from '../i18n.js';
import { get, post, qs } from '../api.js';
import { pageHeader, table, dialog, confirmDialog, tag, notice } from '../ui.js';
import { labelOf, loadInstitutions, institutionName, countyName } from '../session.js';
import { makeForm } from '../form.js';
import { loadCaseForm, L, stageLabel, codeLabel, fmtValue } from '../cases.js';
import { sameValue } from '../caseform.js';
import { readPersonalOf } from '../reading.js';

const STATUSES = ['open', 'merged', 'dismissed'];

const caseLink = (code) => h('a', { href: `/cases/${encodeURIComponent(code)}`, class: 'case-code' }, code);

// The pair side by side: a row per field either case holds, the values of each in its column and
// a row that differs marked in words (and a bar), not by colour alone. rows: [[label, va, vb, same]].
function compareTable(caption, a, b, groups) {
  const mark = () => h('span', { class: 'diff-mark' }, t('duplicates.differs'));
  return h('div', { class: 'compare-wrap' }, h('table', { class: 'compare' },
    h('caption', { class: 'sr-only' }, caption),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('duplicates.field')),
      h('th', { scope: 'col' }, h('span', { class: 'case-code' }, a)), h('th', { scope: 'col' }, h('span', { class: 'case-code' }, b)))),
    groups.map(([title, rows]) => h('tbody', null,
      title ? h('tr', { class: 'compare-section' }, h('th', { scope: 'colgroup', colspan: '3' }, title)) : null,
      rows.map(([label, va, vb, same]) => h('tr', { class: same ? null : 'differs' },
        h('th', { scope: 'row' }, label, same ? null : mark()), h('td', null, va), h('td', null, vb)))))));
}

// The non-personal data of both cases (and their stage, status, holder, county and day), or with
// personal = {code: fields} their personal fields, by section of the form.
function compareGroups(def, ca, cb, personal) {
  const groups = [];
  if (!personal) {
    groups.push([null, [
      [t('case.stage'), stageLabel(def, ca.stage), stageLabel(def, cb.stage), ca.stage === cb.stage],
      [t('case.status'), codeLabel(def, 'trafficking_status', ca.status), codeLabel(def, 'trafficking_status', cb.status), ca.status === cb.status],
      [t('case.holder'), institutionName(ca.holder, ca.holder_name), institutionName(cb.holder, cb.holder_name), ca.holder === cb.holder],
      [t('case.county'), countyName(ca.county), countyName(cb.county), ca.county === cb.county],
      [t('case.identifiedOn'), fmtDate(ca.identified_on), fmtDate(cb.identified_on), ca.identified_on === cb.identified_on],
    ]]);
  }
  for (const s of def.form.sections) {
    const rows = [];
    for (const f of s.fields) {
      if (!!f.personal !== !!personal) continue;
      const va = personal ? personal[ca.code]?.[f.name] : ca.fields[f.name];
      const vb = personal ? personal[cb.code]?.[f.name] : cb.fields[f.name];
      const none = (v) => v == null || v === '' || (Array.isArray(v) && !v.length);
      if (none(va) && none(vb)) continue;
      rows.push([L(f.label), fmtValue(def, f, va), fmtValue(def, f, vb), sameValue(va, vb)]);
    }
    if (rows.length) groups.push([L(s.label), rows]);
  }
  return groups;
}

// Merging: both cases side by side first (their personal data after a reason), then the one to keep.
async function merge(d, ctx) {
  const [a, b] = d.cases;
  const [def, ca, cb] = await Promise.all([loadCaseForm(), get(`/cases/${encodeURIComponent(a)}`), get(`/cases/${encodeURIComponent(b)}`),
    loadInstitutions()]);
  const personalHolder = h('div', { class: 'compare-personal' });
  const showPersonal = async () => {
    const got = await readPersonalOf([a, b], t('duplicates.personalTitle', { a, b }));
    if (!got) return;
    const table = compareTable(t('duplicates.personalCaption', { a, b }), a, b, compareGroups(def, ca, cb, got));
    personalHolder.replaceChildren(h('h3', { tabindex: '-1' }, t('duplicates.personalHeading')), notice(t('personal.shown'), 'warning'), table);
    personalHolder.firstChild.focus();
  };
  const mayPersonal = [ca, cb].every((c) => c.your_access === 'full') && [ca, cb].some((c) => (c.personal_fields || []).length);
  if (mayPersonal) {
    personalHolder.append(h('p', { class: 'hint' }, t('duplicates.personalExplain')),
      h('button', { type: 'button', class: 'btn', onclick: showPersonal }, t('duplicates.personalShow')));
  }
  const done = await dialog(t('duplicates.mergeTitle', { a, b }), (close) => h('div', null,
    h('p', null, t('duplicates.compareExplain')),
    compareTable(t('duplicates.compareCaption', { a, b }), a, b, compareGroups(def, ca, cb, null)),
    personalHolder,
    makeForm({
      fields: [
        h('p', null, t('duplicates.mergeExplain')),
        { name: 'keep', label: t('duplicates.keep'), type: 'radio', required: true, options: [{ value: a, label: a }, { value: b, label: b }] },
      ],
      submitLabel: t('duplicates.merge'),
      actions: [h('button', { type: 'button', class: 'btn', onclick: () => close(null) }, t('common.cancel'))],
      onSubmit: async (v) => close(await post(`/duplicates/${d.id}/merge`, { keep: v.keep })),
    }).el));
  if (done) ctx.refresh(t('duplicates.merged', { keep: done.kept, other: done.kept === a ? b : a }));
}

async function dismiss(d, ctx) {
  const [a, b] = d.cases;
  const ok = await confirmDialog(t('duplicates.dismissTitle'), t('duplicates.dismissConfirm', { a, b }), t('duplicates.dismiss'));
  if (!ok) return;
  await post(`/duplicates/${d.id}/dismiss`);
  ctx.refresh(t('duplicates.dismissed', { a, b }));
}

export default async function duplicates(ctx) {
  const status = STATUSES.includes(ctx.query.get('status')) ? ctx.query.get('status') : 'open';
  const rows = [];
  let next = null;
  const holder = h('div');
  const more = h('button', { type: 'button', class: 'btn' }, t('common.more'));
  const open = status === 'open';

  function draw() {
    holder.replaceChildren(table({
      caption: t('duplicates.title'),
      empty: t(`duplicates.none.${status}`),
      rows,
      columns: [
        { label: t('duplicates.pair'), cell: (d) => h('span', { class: 'pair' }, caseLink(d.cases[0]), h('span', { 'aria-hidden': 'true' }, ' ⇄ '), srOnly(` ${t('duplicates.and')} `), caseLink(d.cases[1])) },
        { label: t('duplicates.reason'), cell: (d) => h('div', null, t(`duplicates.why.${d.reason}`),
          d.agreed?.length ? h('div', { class: 'hint' }, t('duplicates.agreedLabel', { fields: d.agreed.map((f) => t(`duplicates.agreed.${f}`)).join(', ') })) : null) },
        { label: t('duplicates.score'), cell: (d) => d.score == null ? t('duplicates.scoreNone') : `${Math.round(d.score * 100)}%` },
        { label: t('duplicates.found'), cell: (d) => h('time', { datetime: d.created_at }, fmtDateTime(d.created_at)) },
        open ? { label: t('common.actions'), cell: (d) => h('div', { class: 'row-actions' },
          h('button', { type: 'button', class: 'btn btn-small btn-primary', onclick: () => merge(d, ctx) }, t('duplicates.merge'), srOnly(` ${d.cases.join(' / ')}`)),
          h('button', { type: 'button', class: 'btn btn-small', onclick: () => dismiss(d, ctx) }, t('duplicates.dismiss'), srOnly(` ${d.cases.join(' / ')}`))) }
          : { label: t('duplicates.outcome'), cell: (d) => h('div', null, tag(labelOf('duplicate_status', d.status)), d.resolved_at ? h('span', { class: 'muted block' }, fmtDateTime(d.resolved_at)) : null) },
      ],
    }));
    more.hidden = !next;
  }
  async function load() {
    const page = await get(`/duplicates${qs({ status, limit: 50, after: next })}`);
    rows.push(...page.items);
    next = page.next;
    draw();
  }
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      await load();
    } finally {
      more.disabled = false;
    }
  });
  await load();

  const tabs = h('nav', { class: 'filters', 'aria-label': t('duplicates.filter') },
    h('ul', null, STATUSES.map((s) => h('li', null, h('a', {
      href: `/duplicates${s === 'open' ? '' : `?status=${s}`}`, 'aria-current': s === status ? 'true' : null,
    }, t(`duplicates.show.${s}`))))));
  return h('div', null,
    pageHeader(t('duplicates.title'), { sub: t('duplicates.sub') }),
    h('p', { class: 'hint' }, t('duplicates.explain')),
    tabs, holder, h('p', null, more));
}
