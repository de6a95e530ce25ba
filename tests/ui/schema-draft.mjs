// Drafts the schemas of data/api/schemas.json from recorded exchanges, for a person to review:
//   NRM_TEST_EXCHANGES=DIR build/tests/api_X   (each API suite appends its exchanges to DIR)
//   node tests/ui/schema-draft.mjs DIR openapi.json tests/ui/schema-names.json ["GET /api/v1/x" …] > draft.json
// (schema-names.json: which replies of several routes are one named shape, e.g. Meeting)
// Each operation's success replies and accepted requests are merged: a member present in every
// sample is required, a member seen null is nullable, a date is a date. What a sample cannot
// show — an enumeration, a member no test sent — is the reviewer's to add.
import { readFileSync } from 'node:fs';
import { loadExchanges, operationsOf, match } from './lib/exchanges.mjs';

const DATE = /^\d{4}-\d{2}-\d{2}$/, STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

function infer(v) {
  if (v === null) return { nullOnly: true };
  if (Array.isArray(v)) return { type: 'array', items: v.map(infer).reduce(merge, undefined) ?? {} };
  switch (typeof v) {
    case 'boolean': return { type: 'boolean' };
    case 'number': return { type: Number.isInteger(v) ? 'integer' : 'number' };
    case 'string': return { type: 'string', ...(DATE.test(v) ? { format: 'date' } : STAMP.test(v) ? { format: 'date-time' } : {}) };
    default: {
      const properties = {};
      for (const [k, x] of Object.entries(v)) properties[k] = infer(x);
      return { type: 'object', properties, required: Object.keys(v) };
    }
  }
}

function merge(a, b) {
  if (a === undefined || (a.type === undefined && !a.nullOnly && !a.description)) return b ?? a;
  if (b === undefined || (b.type === undefined && !b.nullOnly && !b.description)) return a;
  if (a.nullOnly && b.nullOnly) return a;
  if (a.nullOnly) return { ...b, nullable: true };
  if (b.nullOnly) return { ...a, nullable: true };
  const nullable = a.nullable || b.nullable ? { nullable: true } : {};
  if (a.type !== b.type) {
    if ([a.type, b.type].every((t) => t === 'integer' || t === 'number')) return { type: 'number', ...nullable };
    return { description: `REVIEW: ${a.type} or ${b.type}`, ...nullable };
  }
  if (a.type === 'string') return { type: 'string', ...(a.format === b.format && a.format ? { format: a.format } : {}), ...nullable };
  if (a.type === 'array') return { type: 'array', items: merge(a.items, b.items), ...nullable };
  if (a.type === 'object') {
    const properties = { ...a.properties };
    for (const [k, x] of Object.entries(b.properties)) properties[k] = merge(properties[k], x);
    return { type: 'object', properties, required: a.required.filter((k) => b.required.includes(k)), ...nullable };
  }
  return { ...a, ...nullable };
}

// What a member of that name holds where it was seen other than null: for one seen only null.
const byName = new Map();
function learn(s, name) {
  if (!s || typeof s !== 'object') return;
  if (name && s.type && s.type !== 'object') {
    const t = { type: s.type, ...(s.format ? { format: s.format } : {}),
                ...(s.type === 'array' ? { items: finish(s.items) } : {}) };
    const had = byName.get(name);
    /* A name that holds different things in different places tells nothing. */
    byName.set(name, had === undefined || JSON.stringify(had) === JSON.stringify(t) ? t : null);
  } else if (name && s.type === 'object') byName.set(name, null);
  for (const [k, x] of Object.entries(s.properties ?? {})) learn(x, k);
  if (s.items) learn(s.items, name);
}

// Objects keyed by data (codes, field names, years) become maps; the rest are closed.
function finish(s, name) {
  if (!s || typeof s !== 'object') return s;
  if (s.nullOnly) return byName.get(name) ? { ...byName.get(name), nullable: true }
    : { nullable: true, description: 'REVIEW: only null was seen' };
  if (s.type === 'array') return { ...s, items: finish(s.items) };
  if (s.type !== 'object') return s;
  const keys = Object.keys(s.properties);
  const mapLike = keys.length > 40 || keys.some((k) => !/^[a-z][a-z0-9_]*$/.test(k));
  const nullable = s.nullable ? { nullable: true } : {};
  if (mapLike) {
    const values = Object.values(s.properties).reduce(merge, undefined);
    return { type: 'object', additionalProperties: finish(values) ?? {}, ...nullable };
  }
  const properties = {};
  for (const k of keys) properties[k] = finish(s.properties[k], k);
  return { type: 'object', ...(s.required.length ? { required: s.required } : {}), properties,
           additionalProperties: false, ...nullable };
}

const [dir, docFile, groupsFile, ...only] = process.argv.slice(2);
const ops = operationsOf(JSON.parse(readFileSync(docFile, 'utf8')));
const acc = new Map();
for (const e of loadExchanges(dir)) {
  const o = match(ops, e.method, e.path);
  if (!o || e.status < 200 || e.status > 299) continue;
  if (only.length && !only.includes(o.key)) continue;
  const a = acc.get(o.key) ?? { request: undefined, responses: {} };
  if (e.request !== null && e.request !== undefined) a.request = merge(a.request, infer(e.request));
  const r = a.responses[e.status] ?? { types: new Set() };
  r.types.add(e.type);
  if (e.type === 'application/json' && e.reply !== null) r.json = merge(r.json, infer(e.reply));
  a.responses[e.status] = r;
  acc.set(o.key, a);
}
// Replies of several operations that are one resource (data/api/names.json: a name and the
// "METHOD path status" of each reply) are merged into one named schema.
const names = groupsFile ? JSON.parse(readFileSync(groupsFile, 'utf8')) : {};
const schemas = {}, named = new Map();
for (const [name, replies] of Object.entries(names)) {
  let m;
  for (const r of replies) {
    const [method, path, status] = r.split(' ');
    const j = acc.get(`${method} ${path}`)?.responses[status]?.json;
    if (!j) throw new Error(`${r}: no such reply was recorded`);
    m = merge(m, j);
    named.set(r, name);
  }
  schemas[name] = m;
}
for (const a of acc.values()) {
  if (a.request) learn(a.request);
  for (const r of Object.values(a.responses)) if (r.json) learn(r.json);
}
for (const k of Object.keys(schemas)) schemas[k] = finish(schemas[k]);
const out = {};
for (const o of ops) {
  const a = acc.get(o.key);
  if (!a) continue;
  const spec = {};
  if (a.request) spec.request = { json: finish(a.request) };
  spec.responses = {};
  for (const [status, r] of Object.entries(a.responses))
    spec.responses[status] = named.has(`${o.key} ${status}`)
      ? { description: '', json: { $ref: `#/components/schemas/${named.get(`${o.key} ${status}`)}` } }
      : r.json ? { description: '', json: finish(r.json) }
      : { description: '', content: [...r.types].length === 1 ? [...r.types][0] : [...r.types] };
  out[o.key] = spec;
}
console.log(JSON.stringify({ schemas, operations: out }, null, 1));
