// What the screens of the registers of prevention and cooperation share (people at risk,
// campaigns, awareness activities, training, cross-border cooperation, emergency plans and
// their activations). Each register is data (data/registers/NAME.json, GET /registers/NAME):
// its form in sections, with fields as the case form has them, and the "roles" its fields play
// (county, first and last day, title, parent entry, meeting, participants), the columns of its
// list and its figures. Nothing here names a register or one of its fields: a field added in
// data/ appears on every screen without a change here.
import { h, srOnly } from './dom.js';
import { t, fmtDate, fmtNumber, pick } from './i18n.js';
import { get, getAll, ApiError } from './api.js';
import { session, registerList, countyName, institutionName, readsMeetings, loadCounties } from './session.js';
import { loadCaseForm, L, codeLabel } from './cases.js';
import { table } from './ui.js';
import { parsePeriod, periodLabel, bounds } from './screens/figures.js';

const enc = encodeURIComponent;

// ---- definitions ----

let defs = new Map();
let defsEpoch = -1;

// A register's definition, shaped as the case form's (form.sections, fields by name, code
// lists) so the case form's widgets draw it; once a session.
export async function loadRegister(name) {
  if (defsEpoch !== session.epoch) {
    defs = new Map();
    defsEpoch = session.epoch;
  }
  if (!defs.has(name)) defs.set(name, build(name));
  try {
    return await defs.get(name);
  } catch (err) {
    defs.delete(name);
    throw err;
  }
}

async function build(name) {
  const [raw, caseDef] = await Promise.all([get(`/registers/${enc(name)}`), loadCaseForm()]);
  const fields = new Map();
  const sectionOf = new Map();
  const parentOf = new Map();
  for (const s of raw.sections || []) {
    for (const f of s.fields) {
      fields.set(f.name, f);
      sectionOf.set(f.name, s);
    }
  }
  // Sub-fields by name too (for the labels of errors), where no top-level field has the name.
  for (const s of raw.sections || []) {
    for (const f of s.fields) {
      for (const sf of f.fields || []) {
        if (!fields.has(sf.name)) fields.set(sf.name, sf);
        parentOf.set(sf.name, f);
      }
    }
  }
  return {
    ...raw, roles: raw.roles || {}, list: raw.list || [],
    form: { sections: raw.sections || [] }, codelists: caseDef.codelists,
    fields, sectionOf, parentOf, stages: new Map(), workflow: {},
  };
}

// Every register the user reads, with its definition.
export async function loadRegisters() {
  return Promise.all(registerList().map((r) => loadRegister(r.name)));
}

export function catalogueEntry(name) {
  return registerList().find((r) => r.name === name) || null;
}

// The role a field plays, by the role's name: "county", "first", "parent"... → the field's name.
export function roleField(def, role) {
  const r = def.roles?.[role];
  if (!r) return null;
  return typeof r === 'string' ? r : r.field || null;
}

// The register whose entries are each one's parent (a campaign's activities), or null.
export function parentRegister(def) {
  const r = def.roles?.parent;
  return r && typeof r === 'object' ? r.register : null;
}

// The register of trainings: the one whose entries have participants.
export function participantsRole(def) {
  const r = def.roles?.participants;
  return r && typeof r === 'object' ? r : null;
}

export async function trainingRegister() {
  const all = await loadRegisters();
  return all.find((d) => participantsRole(d)) || null;
}

// ---- references ----

export const refKind = (f) => (f?.ref?.startsWith('entry:') ? 'entry' : f?.ref || null);
export const refRegister = (f) => (f?.ref?.startsWith('entry:') ? f.ref.slice(6) : null);

export function entryPath(name, code) {
  return `/registers/${enc(name)}/${enc(code)}`;
}

// The line that names an entry: its title (a code by its label), else its code.
export function entryTitle(def, e) {
  const name = roleField(def, 'title');
  const f = name ? def.fields.get(name) : null;
  const v = name && e.fields && e.fields[name] != null ? e.fields[name] : e.title;
  if (v == null || v === '') return e.code;
  if (f?.type === 'code') return fieldText(def, f, v);
  return String(v);
}

// A reference by the name the server resolved (refs: {"kind:id": name}), linked to its page.
function refValue(f, v, refs) {
  const kind = refKind(f);
  const name = refs?.[`${kind}:${v}`];
  const fallback = `#${v}`;
  switch (kind) {
    case 'institution': return institutionName(v, name || fallback);
    case 'entry': return name ? h('a', { href: entryPath(refRegister(f), name), class: 'case-code' }, name) : fallback;
    case 'meeting': {
      const text = name ? (/^\d{4}-\d{2}-\d{2}$/.test(name) ? t('reg.meetingOf', { date: fmtDate(name) }) : name) : fallback;
      return readsMeetings() ? h('a', { href: `/meetings/${v}` }, text) : text;
    }
    case 'body': return h('a', { href: `/bodies/${v}` }, name || fallback);
    case 'task': return name ? h('a', { href: `/tasks/${v}` }, name) : fallback;
    case 'person': return h('a', { href: `/persons/${v}/trainings` }, name || fallback);
    default: return name || fallback;
  }
}

// A value as plain words (a code by its label): for lists, titles and tables.
export function fieldText(def, f, v) {
  if (v == null || v === '' || (Array.isArray(v) && !v.length)) return '—';
  switch (f.type) {
    case 'date': return fmtDate(v);
    case 'boolean': return v ? t('common.yes') : t('common.no');
    case 'code': return f.codelist === 'counties' ? countyName(v) : codeLabel(def, f.codelist, v);
    case 'codes': return v.map((c) => codeLabel(def, f.codelist, c)).join(', ');
    case 'integer': return f.ref ? `#${v}` : fmtNumber(v);
    default: return String(v);
  }
}

// A value for reading on an entry's page. opts.rowExtra(field, row, index) → an extra column
// of a repeating group ({label, cell}) or null.
export function fieldValue(def, f, v, refs, opts = {}) {
  if (v == null || v === '' || (Array.isArray(v) && !v.length)) return '—';
  switch (f.type) {
    case 'codes': return h('ul', { class: 'value-list' }, v.map((c) => h('li', null, codeLabel(def, f.codelist, c))));
    case 'integer': return f.ref ? refValue(f, v, refs) : fmtNumber(v);
    case 'textarea': return h('span', { class: 'pre-line' }, String(v));
    case 'group': {
      const extra = opts.rowExtra?.(f) || null;
      const rows = v.map((row, i) => ({ row, i }));
      // The sub-fields some row fills (a column of dashes says nothing).
      const subs = (f.fields || []).filter((sf) => v.some((row) => row[sf.name] != null && row[sf.name] !== ''));
      return table({
        caption: L(f.label),
        rows,
        columns: [
          { label: '#', cell: ({ i }) => String(i + 1), class: 'num' },
          ...subs.map((sf) => ({ label: L(sf.label), cell: ({ row }) => fieldValue(def, sf, row[sf.name], refs, opts) })),
          ...(extra ? [{ label: extra.label, cell: ({ row, i }) => extra.cell(row, i) }] : []),
        ],
      });
    }
    default: return fieldText(def, f, v);
  }
}

// ---- periods ----

// The quarter that ended last before `today` ('YYYY-MM-DD') → '2026Q3'.
export function lastEndedQuarter(today) {
  const y = +today.slice(0, 4);
  const q = Math.floor((+today.slice(5, 7) - 1) / 3) + 1;
  return q === 1 ? `${y - 1}Q4` : `${y}Q${q - 1}`;
}

// The periods offered in a select: years, halves and quarters of this year and the three
// before it, newest first (the chosen one is kept even when it is another).
export function periodOptions(today, chosen, { any = true } = {}) {
  const y0 = +today.slice(0, 4);
  const groups = [];
  for (let y = y0; y >= y0 - 3; y--) {
    const options = [{ value: String(y), label: periodLabel({ kind: 'year', year: y }) }];
    for (const part of [2, 1]) options.push({ value: `${y}H${part}`, label: periodLabel({ kind: 'half', year: y, part }) });
    for (const part of [4, 3, 2, 1]) options.push({ value: `${y}Q${part}`, label: periodLabel({ kind: 'quarter', year: y, part }) });
    groups.push({ group: String(y), options });
  }
  const known = groups.some((g) => g.options.some((o) => o.value === chosen));
  const p = chosen && !known ? parsePeriod(chosen) : null;
  return [
    ...(any ? [{ value: '', label: t('reg.anyPeriod') }] : []),
    ...(p ? [{ value: chosen, label: periodText(chosen) }] : []),
    ...groups,
  ];
}

// A period in words, with its days: "Tremujori i tretë i vitit 2026 (01.07.2026 – 30.09.2026)".
export function periodText(period) {
  const p = parsePeriod(period || '');
  if (!p) return period || '';
  if (p.kind === 'range') return periodLabel(p);
  const b = bounds(p);
  return `${periodLabel(p)} (${t('period.fromTo', { from: fmtDate(b.first), to: fmtDate(b.last) })})`;
}

export function selectEl(id, name, options, value) {
  return h('select', { id, name }, options.map((o) => (o.group
    ? h('optgroup', { label: o.group }, o.options.map((x) => h('option', { value: x.value, selected: String(value) === String(x.value) }, x.label)))
    : h('option', { value: o.value, selected: String(value) === String(o.value) }, o.label))));
}

export async function countyOptions(first) {
  const counties = await loadCounties();
  return [first, ...counties.map((c) => ({ value: c.slug, label: pick(c) }))];
}

// ---- figures ----

// A figure: a number, or the symbol of a hidden one (with its words for screen readers).
export function figureCell(v, symbol) {
  if (v === symbol) {
    return h('span', { class: 'cell-hidden' },
      h('span', { 'aria-hidden': 'true', title: t('figures.hiddenCell') }, symbol), srOnly(t('figures.hiddenCell')));
  }
  if (typeof v === 'number') return fmtNumber(v);
  return v == null ? '—' : String(v);
}

// The trainings and the meetings etc. a form offers; see registerform.js.
export async function tryGet(path) {
  try {
    return await get(path);
  } catch (err) {
    if (err instanceof ApiError && [403, 404].includes(err.status)) return null;
    throw err;
  }
}

export async function tryAll(path) {
  try {
    return await getAll(path);
  } catch (err) {
    if (err instanceof ApiError && [403, 404].includes(err.status)) return null;
    throw err;
  }
}
