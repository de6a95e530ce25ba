// The first page after login: a case worker's cases, the user's own county, the national
// overview, or the counties.
import { isNational } from '../session.js';
import { Redirected } from '../api.js';

export default async function home(ctx) {
  const u = ctx.user;
  const to = u.role === 'caseworker' ? '/cases' : u.county ? `/counties/${u.county}` : isNational(u) ? '/overview' : '/counties';
  ctx.navigate(to, { replace: true });
  throw new Redirected('home');
}
