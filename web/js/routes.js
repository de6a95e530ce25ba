// The screens of nrm and the navigation. To add a screen (the case registry, referrals inbox,
// duplicates queue of later issues):
//   1. write web/js/screens/NAME.js: `export default async function (ctx) { ...; return node; }`
//      where ctx = {params, query, user, path, navigate(path, opts), refresh(notice)};
//   2. add its route below: a path with :params, load(), and allow(user) when only some roles
//      may open it (the server enforces the same rule; this only keeps the UI honest);
//   3. if it belongs in the menu, add an entry to `nav` with a label key present in both
//      web/i18n/sq.json and web/i18n/en.json (tests/ui/i18n-keys.test.mjs checks).
import { isNational, scope, agreementCounty } from './session.js';

const everyone = () => true;
const canUsers = (u) => !!u.can?.manage_users;
const canAudit = (u) => !!u.can?.read_audit;
const seesAgreements = (u) => scope(u) !== 'institution';

export const routes = [
  { path: '/login', public: true, load: () => import('./screens/login.js') },
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
  { path: '/users/:id', load: () => import('./screens/user.js'), allow: canUsers },
  { path: '/audit', load: () => import('./screens/audit.js'), allow: canAudit },
  { path: '/account', load: () => import('./screens/account.js') },
];

// Menu entries in order; href(user) may depend on the user (their own county).
export const nav = [
  { key: 'nav.myCounty', href: (u) => `/counties/${u.county}`, show: (u) => !!u.county },
  { key: 'nav.counties', href: () => '/counties', show: everyone },
  { key: 'nav.overview', href: () => '/overview', show: (u) => isNational(u) },
  { key: 'nav.agreements', href: () => '/agreements', show: seesAgreements },
  { key: 'nav.users', href: () => '/users', show: canUsers },
  { key: 'nav.audit', href: () => '/audit', show: canAudit },
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
