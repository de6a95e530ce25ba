// Who is logged in, what they may do (user.can from the server, mirrored for the UI only —
// the server enforces every rule), and small caches of reference data.
import { get, getAll, setCsrf, Redirected } from './api.js';
import { pick, lang } from './i18n.js';

// epoch changes with every login and logout: what a screen remembers for "this session" is
// keyed by it.
// stage: 'full', or 'enrol' — a session that may only set up its second factor (the enrolment
// screen, until it is done).
export const session = { user: null, epoch: 0, tag: null, stage: null };

// Scope of each role (data/org/roles.json).
export const ROLES = {
  admin: 'national', authority_chair: 'national', authority_member: 'national',
  authority_secretariat: 'national', ministry_monitor: 'national', dpo: 'national',
  county_secretariat: 'county', krat_member: 'county', table_member: 'county', caseworker: 'institution',
};

// A short tag of the server's session (a hash of its CSRF token, not the token): what is kept in
// the tab's storage "for this session" (cases.js, personalShown) is kept under it.
function sessionTag(token) {
  let x = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) x = Math.imul(x ^ token.charCodeAt(i), 0x01000193) >>> 0;
  return x.toString(16);
}

export function setSession(data) {
  session.user = data ? data.user : null;
  session.stage = data ? data.stage || 'full' : null;
  session.tag = data?.csrf ? sessionTag(data.csrf) : null;
  session.epoch += 1;
  setCsrf(data ? data.csrf : null);
  if (!data) clearCaches();
}

export function scope(user = session.user) {
  return ROLES[user?.role] || 'institution';
}

export function isNational(user = session.user) {
  return scope(user) === 'national';
}

// May the user edit the organisation of this county (slug) or, with null, the national bodies?
export function canEditOrg(county, user = session.user) {
  if (!user) return false;
  if (!county) return !!user.can?.edit_national_org;
  const c = user.can?.edit_county_org;
  return c === '*' || c === county;
}

// The case registry (docs/api.md, "Who sees what"): the Authority sees every case; case
// workers their institution's; county roles their county's by code; the Ministry's monitor
// and the administrator only figures.
const AUTHORITY = ['authority_chair', 'authority_member', 'authority_secretariat'];

export function isAuthority(user = session.user) {
  return AUTHORITY.includes(user?.role);
}

export function readsCases(user = session.user) {
  return isAuthority(user) || user?.role === 'caseworker' || scope(user) === 'county';
}

export function createsCases(user = session.user) {
  return isAuthority(user) || user?.role === 'caseworker';
}

// Referrals are kept per institution: only accounts with one have an inbox.
export function hasReferrals(user = session.user) {
  return readsCases(user) && !!user?.institution;
}

export function seesFigures(user = session.user) {
  return isAuthority(user) || scope(user) === 'county' || ['admin', 'ministry_monitor'].includes(user?.role);
}

// Meetings (docs/api.md, "Meetings and tasks"): the secretariats schedule and record them (for
// the bodies the server marks can_edit), members of the Authority, the KRATs and the Technical
// Tables and the Ministry's monitor read them; case workers and the data-protection officer do
// not. Tasks are kept per institution: whoever works for one has "my tasks".
const MEETING_READERS = ['admin', 'authority_chair', 'authority_member', 'authority_secretariat', 'ministry_monitor',
  'county_secretariat', 'krat_member', 'table_member'];
const MEETING_KEEPERS = ['admin', 'authority_secretariat', 'county_secretariat'];

export function readsMeetings(user = session.user) {
  return MEETING_READERS.includes(user?.role);
}

// National roles read every body's meetings, county roles those of their county's bodies.
export function readsMeetingsOf(body, user = session.user) {
  return readsMeetings(user) && (isNational(user) || (!!body?.county && body.county === user.county));
}

export function keepsMeetings(user = session.user) {
  return MEETING_KEEPERS.includes(user?.role);
}

export function hasTasks(user = session.user) {
  return !!user?.institution;
}

// The counties whose agreements the user may record: '*' (all) or one slug, or null.
export function agreementCounty(user = session.user) {
  return user?.can?.edit_county_org || null;
}

let counties = null;
let institutions = null;
let institutionTypes = null;
let labels = null;
let apiRoutes = null;
let registers = null;

function clearCaches() {
  counties = institutions = institutionTypes = labels = apiRoutes = registers = null;
}

// The registers of prevention and cooperation the user reads (GET /registers: the server
// decides; the administrator and the data-protection officer read none), once a session. A
// server without them, or one that refuses, leaves the list empty: nothing is offered.
export async function loadRegisters() {
  if (registers) return registers;
  try {
    registers = [...(await get('/registers')).items].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  } catch (err) {
    if (err instanceof Redirected) throw err;
    registers = [];
  }
  return registers;
}

export function registersLoaded() {
  return !!registers;
}

// The catalogue entries (name, label, about, personal, can_create, county, order, prefix,
// one_per_county) as loaded; [] before.
export function registerList() {
  return registers || [];
}

export function readsRegisters() {
  return registerList().length > 0;
}

// The routes this server answers ("GET /api/v1/bodies/{id}/correspondence"), from its OpenAPI
// outline, once a session: a screen offers what the server can do and hides what a newer
// server will bring. Without the outline, nothing optional is offered.
export async function loadApiRoutes() {
  if (apiRoutes) return apiRoutes;
  const set = new Set();
  try {
    const doc = await get('/openapi.json');
    for (const [path, ops] of Object.entries(doc.paths || {})) {
      for (const method of Object.keys(ops)) set.add(`${method.toUpperCase()} ${path}`);
    }
  } catch (err) {
    if (err instanceof Redirected) throw err;
    return set;
  }
  apiRoutes = set;
  return apiRoutes;
}

export function apiRoutesLoaded() {
  return !!apiRoutes;
}

// serverHas('POST', '/meetings/{id}/notice')
export function serverHas(method, path) {
  return !!apiRoutes?.has(`${method} /api/v1${path}`);
}

// The names of codes in both languages, from the server (GET /labels: body kinds, seat roles
// and states, counterparts, referral and duplicate states, roles, workflow stages and every
// code list), so the UI never keeps a second copy of data/. Fetched once a session, after login.
export async function loadLabels() {
  if (!labels) labels = await get('/labels');
  return labels;
}

export function labelsLoaded() {
  return !!labels;
}

// labelOf('role', 'caseworker') → 'Punonjës për rastet'; the code itself when the server has
// no name for it (a newer code than this page knows of stays readable).
export function labelOf(group, code) {
  return labelIn(lang(), group, code);
}

// The same in a given language (a document printed in Albanian whatever the UI speaks).
export function labelIn(language, group, code) {
  const l = labels?.[group]?.[code];
  if (!l) return code ?? '';
  return l[language] || l.sq || l.en || code;
}

// Whether the server names this code (a newer server may send codes it has no label for yet).
export function hasLabel(group, code) {
  return !!labels?.[group]?.[code];
}

// The codes of a group, in the server's order (the kinds of a body's documents).
export function labelCodes(group) {
  return Object.keys(labels?.[group] || {});
}

export async function loadCounties() {
  if (!counties) counties = (await get('/counties')).items;
  return counties;
}

export function countyName(slug) {
  const c = counties?.find((x) => x.slug === slug);
  return c ? pick(c) : slug || '';
}

// All institutions, by id (for English names and the user form).
export async function loadInstitutions() {
  if (!institutions) {
    const items = await getAll('/institutions');
    institutions = new Map(items.map((i) => [i.id, i]));
  }
  return institutions;
}

export function institutionName(id, fallback) {
  const i = institutions?.get(id);
  return i ? pick(i) : fallback || '';
}

export async function loadInstitutionTypes() {
  if (!institutionTypes) institutionTypes = (await get('/institution-types')).items;
  return institutionTypes;
}
