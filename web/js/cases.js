// What the case screens share: the form definition from the server (GET /forms/case: sections,
// fields, workflow, code lists — the UI draws everything from it), labels in the user's language,
// values written out for reading, the workflow rules as the UI shows them, and the screening
// suggestion. The server decides; this only mirrors its rules so the user is told early.
import { h } from './dom.js';
import { t, lang, fmtDate, pick, todayISO } from './i18n.js';
import { get, getAll, ApiError } from './api.js';
import { session, institutionName, countyName, isAuthority, isNational, labelOf, labelsLoaded, readsMeetings } from './session.js';

let formDef = null;

// {form, workflow, codelists} plus indexes: fields by name (sub-fields too), the section of
// each top-level field, the order of the stages.
export async function loadCaseForm() {
  if (formDef) return formDef;
  const raw = await get('/forms/case');
  const fields = new Map();
  const sectionOf = new Map();
  const parentOf = new Map();
  for (const s of raw.form.sections) {
    for (const f of s.fields) {
      fields.set(f.name, f);
      sectionOf.set(f.name, s);
      for (const sf of f.fields || []) {
        fields.set(sf.name, sf);
        parentOf.set(sf.name, f);
      }
    }
  }
  const stages = new Map(raw.workflow.stages.map((s, i) => [s.code, { ...s, order: i }]));
  formDef = { ...raw, fields, sectionOf, parentOf, stages };
  return formDef;
}

// A {sq, en} label of the form definition in the current language.
export function L(obj) {
  if (!obj) return '';
  if (typeof obj === 'string') return obj;
  return obj[lang()] || obj.sq || obj.en || '';
}

export function fieldLabel(def, name) {
  const f = def.fields.get(name);
  return f ? L(f.label) : name;
}

// Names of stages and codes: the server's labels (GET /labels), else the form definition's.
export function stageLabel(def, code) {
  if (labelsLoaded() && code) return labelOf('stage', code);
  const s = def.stages.get(code);
  return s ? L(s.label) : code || '';
}

export function codeItem(def, list, code) {
  return def.codelists[list]?.items.find((i) => i.code === code) || null;
}

export function codeLabel(def, list, code) {
  if (labelsLoaded() && code != null) return labelOf(list, code);
  const item = codeItem(def, list, code);
  return item ? L(item.label) : code ?? '';
}

export function statusLabel(def, code) {
  return codeLabel(def, 'trafficking_status', code);
}

// Items of a code list as options; sub-types (parent) follow their parent, indented. Long flat
// lists (countries, languages) in alphabetical order of the user's language.
export function codeOptions(def, list, { filter } = {}) {
  const items = def.codelists[list]?.items || [];
  const out = items.filter((i) => !filter || filter(i)).map((i) => ({
    value: i.code,
    label: i.parent && items.some((p) => p.code === i.parent) ? `\u00a0\u00a0– ${L(i.label)}` : L(i.label),
  }));
  if (out.length > 20 && !items.some((i) => i.parent)) out.sort((a, b) => a.label.localeCompare(b.label, lang()));
  return out;
}

// ---- workflow ----

// Whether a field is needed at `stage` (data/forms/README.md: a field with a stage is only
// needed once the case has reached it). `row`: the group item for a sub-field.
export function whenHolds(cond, data, row, child) {
  if (!cond) return false;
  const name = cond.field;
  let v;
  if (name === 'al_is_child') v = child;
  else v = row && name in row ? row[name] : data[name];
  if (cond.empty) return v == null || v === '' || (Array.isArray(v) && !v.length);
  if ('includes' in cond) return Array.isArray(v) && v.includes(cond.includes);
  if ('equals' in cond) return v === cond.equals;
  return false;
}

export function stageReached(def, fieldStage, stage) {
  if (!fieldStage) return true;
  const a = def.stages.get(fieldStage);
  const b = def.stages.get(stage);
  return !a || !b || a.order <= b.order;
}

// Whether the case is in the workflow's final stage (workflow.json names it: "final").
export function isFinal(def, stage) {
  return !!stage && stage === def.workflow.final;
}

// The stages the user may move this case to: next of the current stage, for their role; a case
// in the final stage only back to the stage the workflow reopens to ("reopen") or to the stage
// it was closed from.
export function nextStages(def, c, user) {
  const cur = def.stages.get(c.stage);
  if (!cur) return [];
  return cur.next.filter((code) => {
    const s = def.stages.get(code);
    if (!s || !s.roles.includes(user.role)) return false;
    if (isFinal(def, c.stage)) return code === def.workflow.reopen || code === c.closed_from;
    return true;
  });
}

// Whether the user's role may set a field (the server's rule): a field of a stage only by the
// roles that may move a case into that stage, and the trafficking status beyond "potential
// victim" only by the Authority.
export function maySet(def, name, user) {
  if (name === 'vic_TraffickingStatus' && !isAuthority(user)) return false;
  const f = def.fields.get(name);
  const s = f?.stage ? def.stages.get(f.stage) : null;
  return !s || s.roles.includes(user.role);
}

// The fields a move to `stage` asks for: those it requires (for a child also those of
// requires_if.child) and those the form places at that stage, in the order of the form.
export function transitionFields(def, stage, child) {
  const s = def.stages.get(stage);
  const wanted = new Set([...(s.requires || []), ...(child ? s.requires_if?.child || [] : [])]);
  const required = new Set(wanted);
  for (const f of def.fields.values()) if (f.stage === stage && !def.parentOf.has(f.name)) wanted.add(f.name);
  return { names: [...def.sectionOf.keys()].filter((n) => wanted.has(n)), required };
}

// ---- screening ----

// The suggestion of the standard operating procedures: an adult with at least one indicator in
// each of A, B and C, a child in A and C. A suggestion, never a decision.
export function screening(data, child) {
  const groups = [['A', 'al_indicators_a'], ['B', 'al_indicators_b'], ['C', 'al_indicators_c']];
  const missing = groups.filter(([g, n]) => !(child && g === 'B') && !(Array.isArray(data[n]) && data[n].length)).map(([g]) => g);
  return { meets: missing.length === 0, missing, child: !!child };
}

export function screeningText(s) {
  const rule = s.child ? t('screening.ruleChild') : t('screening.ruleAdult');
  const verdict = s.meets ? t('screening.meets') : t('screening.missing', { groups: s.missing.join(', ') });
  return `${rule} ${verdict}`;
}

export function screeningNotice(s) {
  return h('div', { class: ['notice', s.meets ? 'notice-info' : 'notice-warning', 'screening'] },
    h('p', { class: 'notice-title' }, t('screening.title')),
    h('p', null, screeningText(s)),
    h('p', { class: 'screening-note' }, t('screening.note')));
}

// A line under the age fields saying whether the form will count the person as a child.
export function ageLine(data) {
  const age = ageOn(data.prs_Birthdate, data.al_identification_date);
  if (age != null && age >= 0) return t(age < 18 ? 'case.ageChild' : 'case.ageAdult', { n: age });
  if (Number.isInteger(data.al_estimated_age)) return t(data.al_estimated_age < 18 ? 'case.estimatedChild' : 'case.estimatedAdult', { n: data.al_estimated_age });
  return t('case.ageUnknown');
}

// Age in whole years on a day (both 'YYYY-MM-DD'), or null.
export function ageOn(birth, day) {
  const b = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birth || '');
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day || '');
  if (!b || !d) return null;
  let age = +d[1] - +b[1];
  if (+d[2] < +b[2] || (+d[2] === +b[2] && +d[3] < +b[3])) age--;
  return age;
}

// ---- reference data ----

let authorityId = null;

export async function loadAuthorityId() {
  if (!authorityId) authorityId = (await get('/bodies?kind=authority')).items[0]?.id || null;
  return authorityId;
}

// The Responsible Authority's meetings (formal identification decisions are recorded against one).
// Case workers do not read meetings: the case then names its meeting by number.
export async function loadMeetings() {
  if (!readsMeetings() || !isNational()) return [];
  const id = await loadAuthorityId();
  if (!id) return [];
  try {
    return await getAll(`/bodies/${id}/meetings`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 403) return [];
    throw err;
  }
}

export function meetingLabel(m) {
  if (!m) return '';
  return [fmtDate(m.date), m.title, labelOf('meeting_kind', m.kind || 'ordinary'), m.status ? labelOf('meeting_status', m.status) : null]
    .filter(Boolean).join(' — ');
}

// The Authority as a body, with whether the user keeps its meetings (can_edit: its secretariat).
export async function loadAuthorityBody() {
  const id = await loadAuthorityId();
  if (!id) return null;
  try {
    return await get(`/bodies/${id}`);
  } catch (err) {
    if (err instanceof ApiError && [403, 404].includes(err.status)) return { id, can_edit: false };
    throw err;
  }
}

// The meeting a formal decision is taken in now: the Authority's meeting held today, else its
// next scheduled one (today's included), else none.
export function currentMeeting(meetings, today = todayISO()) {
  const held = meetings.find((m) => m.status === 'held' && m.date === today);
  if (held) return held;
  const at = (m) => `${m.date} ${m.time || ''}`;
  return meetings.filter((m) => m.status === 'scheduled' && m.date >= today).sort((a, b) => at(a).localeCompare(at(b)))[0] || null;
}

// An institution by its Albanian name (the timeline names them so) in the user's language.
export function institutionByName(all, name) {
  if (!name) return '';
  for (const i of all.values()) if (i.name === name) return pick(i);
  return name;
}

// ---- values for reading ----

export function fmtValue(def, f, v, env = {}) {
  if (v == null || v === '' || (Array.isArray(v) && !v.length)) return '—';
  switch (f.type) {
    case 'date': return fmtDate(v);
    case 'boolean': return v ? t('common.yes') : t('common.no');
    case 'code':
      if (f.codelist === 'counties') return countyName(v);
      return codeLabel(def, f.codelist, v);
    case 'codes': return h('ul', { class: 'value-list' }, v.map((c) => h('li', null, codeLabel(def, f.codelist, c))));
    case 'integer':
      if (f.ref === 'institution') return institutionName(v, `#${v}`);
      if (f.ref === 'meeting') return meetingLabel(env.meetings?.find((m) => m.id === v)) || `#${v}`;
      return String(v);
    case 'group':
      return h('ol', { class: 'group-values' }, v.map((row) => h('li', null,
        h('dl', { class: 'facts facts-compact' }, (f.fields || []).filter((sf) => row[sf.name] != null && row[sf.name] !== '')
          .map((sf) => h('div', null, h('dt', null, L(sf.label)), h('dd', null, fmtValue(def, sf, row[sf.name], env))))))));
    default: return String(v);
  }
}

// The lock that marks a personal field, with its words for everyone (not colour or icon alone).
export function personalMark() {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '14');
  svg.setAttribute('height', '14');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  path.setAttribute('d', 'M4 7V5a4 4 0 0 1 8 0v2h1v8H3V7h1zm2 0h4V5a2 2 0 0 0-4 0v2z');
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return h('span', { class: 'personal-mark' }, svg, t('case.personal'));
}

export function childBadge() {
  return h('span', { class: 'tag tag-child' }, t('case.child'));
}

// The case's stage and status as tags.
export function stageTag(def, code) {
  return h('span', { class: `tag tag-stage${isFinal(def, code) ? ' tag-closed' : ''}` }, stageLabel(def, code));
}

export function statusTag(def, code) {
  const kind = code === 'ActualVictimOfTrafficking' ? 'ok' : code === 'NotAVictimOfTrafficking' ? 'neutral' : 'warning';
  return h('span', { class: `tag tag-${kind}` }, statusLabel(def, code));
}

// Which cases' personal data the user asked to see (with a reason) in this session — never the
// data themselves, which live only in the page. Kept in the tab's storage under the server
// session's tag (codes only), so that a reload in the same session does not ask again; another
// login, or another user, starts afresh.
const revealed = new Set();
const STORE = 'nrm.reasons';
const key = (code) => `${session.epoch}:${session.user?.id}:${code}`;
function stored() {
  try {
    const s = JSON.parse(sessionStorage.getItem(STORE) || 'null');
    return s && s.tag === session.tag && s.user === session.user?.id ? s.codes : [];
  } catch {
    return [];
  }
}
function store(codes) {
  if (!session.tag || !session.user) return;
  try {
    sessionStorage.setItem(STORE, JSON.stringify({ tag: session.tag, user: session.user.id, codes }));
  } catch {
    // Storage refused (private mode, full): the page still remembers while it is open.
  }
}
// has: a reason was given for the case in this session (so it is not asked again); visible: its
// data were shown in this visit of the app (a screen drawn again shows them again); hide: not
// shown any more, the reason still counting.
export const personalShown = {
  has: (code) => revealed.has(key(code)) || stored().includes(code),
  visible: (code) => revealed.has(key(code)),
  hide: (code) => revealed.delete(key(code)),
  add: (code) => {
    revealed.add(key(code));
    if (!stored().includes(code)) store([...stored(), code]);
  },
  delete: (code) => {
    revealed.delete(key(code));
    store(stored().filter((c) => c !== code));
  },
};
