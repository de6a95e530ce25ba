// Reads every GET operation of the OpenAPI document as a user of each demo role would, on the
// full demo database (cases, registers, meetings, reports, tasks): the ids of a path come from
// the lists the same user read before. Returns the exchanges in the form the API suites record
// them (tests/api/harness.c), for tests/ui/contract.test.mjs to hold to the document. The API
// suites make their own small data; this walk meets what a real database holds — national
// reports without a county, meetings without a title, every register — and each role's view.
import { operationsOf } from './exchanges.mjs';

export const ROLE_USERS = ['admin', 'authority.chair', 'authority.member', 'authority.secretariat', 'ministry.monitor',
  'dpo', 'fier.secretariat', 'fier.krat', 'fier.table', 'fier.caseworker'];

async function session(url, username) {
  const res = await fetch(`${url}/api/v1/session`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: 'demo' }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
  return res.headers.get('set-cookie').split(';')[0];
}

const first = (list, n = 2) => (Array.isArray(list) ? list.slice(0, n) : []);
const items = (reply) => (reply && Array.isArray(reply.items) ? reply.items : []);

// Where each path parameter's values come from: the replies read so far, by operation.
function values(pattern, seen) {
  const got = (key) => (seen.get(key) ?? []).map((x) => x.reply);
  const list = (key) => got(key).flatMap(items);
  // With the path parameters each reply was read with.
  const withArgs = (key) => seen.get(key) ?? [];
  const ids = (key) => first([...new Set(list(key).map((x) => x.id))], 3);
  const bodies = ids('GET /api/v1/bodies');
  const meetings = first([...new Set(got('GET /api/v1/bodies/{id}/meetings').flatMap(items).map((m) => m.id))], 4);
  const meeting = got('GET /api/v1/meetings/{id}');
  const reports = ids('GET /api/v1/reports');
  const registers = list('GET /api/v1/registers').map((r) => r.name);
  const entries = withArgs('GET /api/v1/registers/{name}/entries')
    .flatMap(({ reply, args }) => first(items(reply)).map((e) => [args[0], e.code]));
  const table = {
    '/api/v1/counties/{slug}': first(list('GET /api/v1/counties').map((c) => [c.slug])),
    '/api/v1/bodies/{id}': bodies.map((x) => [x]),
    '/api/v1/seats/{id}': first(got('GET /api/v1/bodies/{id}').flatMap((b) => b?.seats ?? []).map((s) => [s.id]), 4),
    '/api/v1/persons/{id}': ids('GET /api/v1/persons').map((x) => [x]),
    '/api/v1/agreements/{id}': ids('GET /api/v1/agreements').map((x) => [x]),
    '/api/v1/cases/{code}': first(list('GET /api/v1/cases').map((c) => [c.code]), 4),
    '/api/v1/meetings/{id}': meetings.map((x) => [x]),
    '/api/v1/meetings/{id}/materials/{doc}': first(meeting.flatMap((m) => (m?.materials ?? []).map((d) => [m.id, d.id]))),
    '/api/v1/correspondence/{id}': first(got('GET /api/v1/bodies/{id}/correspondence').flatMap(items)
      .filter((l) => l.document).map((l) => [l.id])),
    '/api/v1/body-documents/{id}': first(got('GET /api/v1/bodies/{id}/documents').flatMap((r) => r?.documents ?? [])
      .filter((d) => d.document).map((d) => [d.id])),
    '/api/v1/tasks/{id}': ids('GET /api/v1/tasks').map((x) => [x]),
    '/api/v1/registers/{name}': registers.map((x) => [x]),
    '/api/v1/registers/{name}/entries/{code}': entries.filter(([r]) => r),
    '/api/v1/trainings/{code}': entries.filter(([r]) => r === 'trainings').map(([, c]) => [c]),
    '/api/v1/reports/{id}': reports.map((x) => [x]),
    '/api/v1/reports/{id}/versions/{version}': first(withArgs('GET /api/v1/reports/{id}/versions')
      .flatMap(({ reply, args }) => first(items(reply), 1).map((v) => [args[0], v.version])), 3),
    '/api/v1/stats/tables/{name}': first((got('GET /api/v1/stats/catalogue')[0]?.tables ?? []).map((x) => [x.name]), 3),
    '/api/v1/users/{id}': ids('GET /api/v1/users').map((x) => [x]),
    '/api/v1/drafts/{form}/{key}': first(list('GET /api/v1/drafts').map((d) => [d.form, d.key])),
  };
  // The longest entry that begins the pattern names its values (".../{id}/events" is a case's).
  const key = Object.keys(table).filter((k) => pattern === k || pattern.startsWith(`${k}/`))
    .sort((a, b) => b.length - a.length)[0];
  if (!key) return [];
  return table[key].filter((v) => v.length === (pattern.match(/\{/g) ?? []).length);
}

// What an operation cannot answer without: a period, whose tasks.
const QUERY = {
  '/api/v1/tasks': '?mine=1', '/api/v1/stats': '?period=2025', '/api/v1/stats/figures': '?period=2025',
  '/api/v1/stats/revisions': '?period=2025', '/api/v1/stats/tables/{name}': '?period=2025',
  '/api/v1/prevention/figures': '?period=2025', '/api/v1/trainings/{code}/certificate': '?participant=0',
};

function fill(pattern, vals) {
  let i = 0;
  return pattern.replace(/\{[^}]+\}/g, () => encodeURIComponent(vals[i++])) + (QUERY[pattern] ?? '');
}

export async function crawl(url, doc, users = ROLE_USERS) {
  const ops = operationsOf(doc).filter((o) => o.method === 'GET' && o.pattern.startsWith('/api/v1/')
    && !o.pattern.includes('/calendar/') && o.pattern !== '/api/v1/openapi.json');
  const out = [];
  for (const user of users) {
    const cookie = await session(url, user);
    const seen = new Map();
    const done = new Set();
    const get = async (o, args = []) => {
      const path = fill(o.pattern, args);
      if (done.has(path)) return;
      done.add(path);
      const res = await fetch(`${url}${path}`, { headers: { Cookie: cookie } });
      const type = (res.headers.get('content-type') ?? '').split(';')[0];
      const buf = Buffer.from(await res.arrayBuffer());
      const reply = type === 'application/json' ? JSON.parse(buf.toString('utf8')) : null;
      out.push({ method: 'GET', path, status: res.status, type, request: null, reply, length: buf.length, crawl: user });
      if (res.ok && reply) seen.set(o.key, [...(seen.get(o.key) ?? []), { reply, args }]);
    };
    // Fewer parameters first: the lists before the things they list, and so on down; each level
    // twice, for an operation whose ids come from another of its own level read after it.
    for (const depth of [0, 1, 1, 2, 2])
      for (const o of ops.filter((x) => x.params === depth))
        for (const args of depth ? values(o.pattern, seen) : [[]]) await get(o, args);
  }
  return out;
}
