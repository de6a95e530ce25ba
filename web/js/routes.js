// The screens of nrm and the navigation: the organisation registry, the bodies' meetings and the
// tasks their decisions give, and the case registry (cases, referrals inbox, duplicates queue,
// figures; who sees which follows docs/api.md). To add a screen:
//   1. write web/js/screens/NAME.js: `export default async function (ctx) { ...; return node; }`
//      where ctx = {params, query, user, path, navigate(path, opts), refresh(notice)};
//   2. add its route below: a path with :params, load(), and allow(user) when only some roles
//      may open it (the server enforces the same rule; this only keeps the UI honest);
//   3. if it belongs in the menu, add an entry to `nav` with a label key present in both
//      web/i18n/sq.json and web/i18n/en.json (tests/ui/i18n-keys.test.mjs checks).
import {
  isNational, scope, agreementCounty, isAuthority, readsCases, createsCases, hasReferrals, seesFigures,
  readsMeetings, keepsMeetings, hasTasks, serverHas, readsRegisters,
} from './session.js';
import { readsReports } from './reports.js';

const everyone = () => true;
const canUsers = (u) => !!u.can?.manage_users;
const canAudit = (u) => !!u.can?.read_audit;
// The data-protection officer's own tools: the person search and the patterns of the trail.
const isOfficer = (u) => u.role === 'dpo';
const seesAgreements = (u) => scope(u) !== 'institution';
// The correspondence register comes with a newer server: offered once it answers; kept by the
// secretariats (in the menu), read by the bodies' members too.
const hasCorrespondence = () => serverHas('GET', '/bodies/{id}/correspondence');
const keepsCorrespondence = (u) => keepsMeetings(u) && hasCorrespondence();
const readsCorrespondence = (u) => readsMeetings(u) && u.role !== 'ministry_monitor' && hasCorrespondence();
// The KRAT scorecard (Order 94 §3.2–3.3): the Ministry's monitor and the Authority nationally,
// a county's secretariat and members their own county.
const SCORECARD_ROLES = ['ministry_monitor', 'authority_chair', 'authority_member', 'authority_secretariat',
  'county_secretariat', 'krat_member', 'table_member'];
const readsScorecard = (u) => SCORECARD_ROLES.includes(u.role);
// Notifications inside nrm: every signed-in user has them (the header links to them).
const hasNotifications = () => serverHas('GET', '/notifications');

export const routes = [
  { path: '/login', public: true, load: () => import('./screens/login.js') },
  { path: '/enrol', load: () => import('./screens/enrol.js') },
  { path: '/', load: () => import('./screens/home.js') },
  { path: '/counties', load: () => import('./screens/counties.js') },
  { path: '/counties/:slug', load: () => import('./screens/county.js') },
  { path: '/bodies/:id', load: () => import('./screens/body.js') },
  { path: '/seats/:id', load: () => import('./screens/seat.js') },
  { path: '/overview', load: () => import('./screens/overview.js') },
  { path: '/agreements', load: () => import('./screens/agreements.js'), allow: seesAgreements },
  { path: '/agreements/new', load: () => import('./screens/agreement.js'), allow: (u) => !!agreementCounty(u) },
  { path: '/agreements/:id', load: () => import('./screens/agreement.js'), allow: seesAgreements },
  { path: '/users', load: () => import('./screens/users.js'), allow: canUsers },
  { path: '/users/new', load: () => import('./screens/user.js'), allow: canUsers },
  { path: '/tokens', load: () => import('./screens/tokens.js'), allow: canUsers },
  { path: '/users/:id', load: () => import('./screens/user.js'), allow: canUsers },
  { path: '/audit', load: () => import('./screens/audit.js'), allow: canAudit },
  { path: '/audit/search', load: () => import('./screens/audit-search.js'), allow: isOfficer },
  { path: '/audit/patterns', load: () => import('./screens/audit-patterns.js'), allow: isOfficer },
  { path: '/account', load: () => import('./screens/account.js') },
  { path: '/help', load: () => import('./screens/help.js') },
  { path: '/api-docs', load: () => import('./screens/api-docs.js') },
  { path: '/help/:page', load: () => import('./screens/help.js') },
  { path: '/cases', load: () => import('./screens/cases.js'), allow: readsCases },
  { path: '/cases/new', load: () => import('./screens/case-new.js'), allow: createsCases },
  { path: '/cases/:code', load: () => import('./screens/case.js'), allow: readsCases },
  { path: '/cases/:code/edit', load: () => import('./screens/case.js'), allow: createsCases },
  { path: '/referrals', load: () => import('./screens/referrals.js'), allow: hasReferrals },
  { path: '/duplicates', load: () => import('./screens/duplicates.js'), allow: isAuthority },
  { path: '/figures', load: () => import('./screens/figures.js'), allow: seesFigures },
  { path: '/meetings', load: () => import('./screens/meetings.js'), allow: readsMeetings },
  { path: '/meetings/:id', load: () => import('./screens/meeting.js'), allow: readsMeetings },
  { path: '/meetings/:id/minutes', load: () => import('./screens/minutes.js'), allow: readsMeetings },
  { path: '/bodies/:id/meetings', load: () => import('./screens/body-meetings.js'), allow: readsMeetings },
  { path: '/bodies/:id/meetings/new', load: () => import('./screens/meeting-new.js'), allow: keepsMeetings },
  { path: '/tasks', load: () => import('./screens/tasks.js'), allow: hasTasks },
  { path: '/tasks/:id', load: () => import('./screens/task.js') },
  { path: '/correspondence', load: () => import('./screens/correspondence.js'), allow: readsCorrespondence },
  { path: '/notifications', load: () => import('./screens/notifications.js'), allow: hasNotifications },
  // The registers of prevention and cooperation, each drawn from its definition (data/registers/).
  { path: '/prevention', load: () => import('./screens/prevention.js'), allow: readsRegisters },
  { path: '/registers/:name', load: () => import('./screens/register.js'), allow: readsRegisters },
  { path: '/registers/:name/new', load: () => import('./screens/entry.js'), allow: readsRegisters },
  { path: '/registers/:name/:code', load: () => import('./screens/entry.js'), allow: readsRegisters },
  { path: '/registers/:name/:code/edit', load: () => import('./screens/entry.js'), allow: readsRegisters },
  { path: '/registers/:name/:code/case', load: () => import('./screens/case-new.js'), allow: createsCases },
  { path: '/bodies/:id/training', load: () => import('./screens/body-training.js'), allow: readsRegisters },
  { path: '/persons/:id/trainings', load: () => import('./screens/person-trainings.js'), allow: readsRegisters },
  // The periodic reports (data/reports/): the list, a new one, and one report.
  { path: '/reports', load: () => import('./screens/reports.js'), allow: readsReports },
  { path: '/reports/:id', load: () => import('./screens/report.js'), allow: readsReports },
  { path: '/scorecard', load: () => import('./screens/scorecard.js'), allow: readsScorecard },
  { path: '/trainings/:code/certificate/:n', load: () => import('./screens/certificate.js'), allow: readsRegisters },
];

// Menu entries in order; href(user) may depend on the user (their own county).
export const nav = [
  { key: 'nav.home', href: () => '/', show: everyone },
  { key: 'nav.cases', href: () => '/cases', show: readsCases },
  { key: 'nav.referrals', href: () => '/referrals', show: hasReferrals },
  { key: 'nav.duplicates', href: () => '/duplicates', show: isAuthority },
  { key: 'nav.figures', href: () => '/figures', show: seesFigures },
  { key: 'nav.meetings', href: () => '/meetings', show: readsMeetings },
  { key: 'nav.tasks', href: () => '/tasks', show: hasTasks },
  { key: 'nav.correspondence', href: () => '/correspondence', show: keepsCorrespondence },
  { key: 'nav.prevention', href: () => '/prevention', show: readsRegisters, also: ['/registers', '/trainings'] },
  { key: 'nav.reports', href: () => '/reports', show: readsReports },
  { key: 'nav.scorecard', href: () => '/scorecard', show: readsScorecard },
  { key: 'nav.myCounty', href: (u) => `/counties/${u.county}`, show: (u) => !!u.county },
  { key: 'nav.counties', href: () => '/counties', show: everyone },
  { key: 'nav.overview', href: () => '/overview', show: (u) => isNational(u) },
  { key: 'nav.agreements', href: () => '/agreements', show: seesAgreements },
  { key: 'nav.users', href: () => '/users', show: canUsers },
  { key: 'nav.audit', href: () => '/audit', show: canAudit },
  { key: 'nav.personSearch', href: () => '/audit/search', show: isOfficer },
  { key: 'nav.help', href: () => '/help', show: everyone, also: ['/api-docs'] },
];

// '/counties/fier' → {route, params: {slug: 'fier'}}, or null.
export function match(path) {
  const parts = path.split('/').filter(Boolean);
  for (const route of routes) {
    const pat = route.path.split('/').filter(Boolean);
    if (pat.length !== parts.length) continue;
    const params = {};
    let ok = true;
    for (let i = 0; i < pat.length && ok; i++) {
      if (pat[i].startsWith(':')) params[pat[i].slice(1)] = decodeURIComponent(parts[i]);
      else ok = pat[i] === parts[i];
    }
    if (ok) return { route, params };
  }
  return null;
}
