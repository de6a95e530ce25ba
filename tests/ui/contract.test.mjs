// The OpenAPI document against what the server really answers. tests/run.sh records every
// exchange of the API suites (tests/api/*.c: a few thousand requests as every role, successes
// and refusals) into the folder NRM_API_EXCHANGES names; this test holds each reply to the
// schema the document gives its route and status, each accepted request to the route's request
// schema, and each route to having been seen to succeed at least once. To what the suites make
// it adds a read of every GET operation as each demo role on the full demo database
// (lib/crawl.mjs), where the data are a real registry's: national reports, every register,
// meetings without a title, what a role does not see left out. The validator is Ajv
// (the JSON Schema validator of the npm registry), reading the document's OpenAPI 3.0 schemas
// as JSON Schema: `nullable` becomes a "null" type, as the OpenAPI specification defines it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { startServer, repo } from './lib/server.mjs';
import { loadExchanges, operationsOf, match } from './lib/exchanges.mjs';
import { crawl } from './lib/crawl.mjs';

const dir = process.env.NRM_API_EXCHANGES;
let srv, doc, ops, ajv, exchanges;

// OpenAPI 3.0's `nullable` in JSON Schema terms.
function jsonSchema(s) {
  if (Array.isArray(s)) return s.map(jsonSchema);
  if (!s || typeof s !== 'object') return s;
  const out = {};
  for (const [k, v] of Object.entries(s)) if (k !== 'nullable') out[k] = jsonSchema(v);
  if (s.nullable !== true) return out;
  if (typeof out.type === 'string') return { ...out, type: [out.type, 'null'] };
  if (out.allOf || out.oneOf || out.anyOf || out.$ref) return { anyOf: [out, { type: 'null' }] };
  return out; // a schema without a type admits null already
}

const pointer = (...parts) => `api#/${parts.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;

function validator(...parts) {
  const v = ajv.getSchema(pointer(...parts));
  assert.ok(v, `no schema at ${parts.join(' ')}`);
  return v;
}

const errorsOf = (v) => ajv.errorsText(v.errors, { separator: '; ' }).slice(0, 400);

before(async () => {
  assert.ok(dir && existsSync(dir),
    'NRM_API_EXCHANGES must name the folder of the API suites\' recorded exchanges (tests/run.sh sets it; ' +
    'by hand: run build/tests/api_* with NRM_TEST_EXCHANGES=DIR, then this test with NRM_API_EXCHANGES=DIR)');
  srv = await startServer();
  doc = await (await fetch(`${srv.url}/api/v1/openapi.json`)).json();
  ops = operationsOf(doc);
  ajv = new Ajv({ strict: false, allErrors: true, formats: { binary: true } });
  addFormats(ajv, ['date', 'date-time']);
  ajv.addSchema(jsonSchema(doc), 'api');
  exchanges = loadExchanges(dir);
  assert.ok(exchanges.length > 1000, `only ${exchanges.length} exchanges were recorded`);
  const full = await startServer({ demoCases: true, args: ['--client-rate', '100000', '--client-burst', '100000'] });
  try {
    const read = await crawl(full.url, doc);
    assert.ok(read.filter((e) => e.status === 200).length > 800, `the walk read only ${read.length}`);
    exchanges.push(...read);
  } finally {
    await full.stop();
  }
});
after(() => srv?.stop());

test('every operation says what it answers, and what it takes when it takes a body', () => {
  const missing = [];
  for (const o of ops) {
    const statuses = Object.keys(o.op.responses);
    if (!statuses.some((s) => /^2\d\d$/.test(s))) missing.push(`${o.key}: no success reply`);
    for (const s of statuses) {
      const c = o.op.responses[s].content;
      if (!c) missing.push(`${o.key} ${s}: no content`);
      else if (c['application/json'] && !c['application/json'].schema) missing.push(`${o.key} ${s}: no schema`);
    }
    if (['POST', 'PUT', 'PATCH'].includes(o.method) && !o.op.requestBody) missing.push(`${o.key}: no request body`);
  }
  assert.deepEqual(missing, []);
  assert.equal(doc.components.schemas.Error.required[0], 'error');
  // The server uses the entries of routes it has and drops the others without a word: an entry
  // left behind by a route renamed or removed is caught here.
  const data = JSON.parse(readFileSync(join(repo, 'data/api/schemas.json'), 'utf8'));
  const known = new Set(ops.map((o) => o.key));
  assert.deepEqual(Object.keys(data.operations).filter((k) => !known.has(k)), [], 'entries for no route');
});

test('every reply the API suites got fits the schema of its route and status', () => {
  const bad = [];
  let checked = 0;
  for (const e of exchanges) {
    if (!e.path.startsWith('/api/') && !['/healthz', '/metrics'].includes(e.path.split('?')[0])) continue;
    if (e.status === 0 || e.type === '') continue; // no reply (a test that cut the connection) or a HEAD
    const o = match(ops, e.method, e.path);
    const where = `${e.method} ${e.path} → ${e.status}`;
    if (!o) {
      const v = validator('components', 'schemas', 'Error');
      if (!v(e.reply)) bad.push(`${where}: an unknown route's reply is not an error: ${errorsOf(v)}`);
      checked++;
      continue;
    }
    const status = o.op.responses[e.status] ? String(e.status) : 'default';
    const content = o.op.responses[status].content ?? {};
    if (!content[e.type]) {
      bad.push(`${where}: ${e.type} is not among ${Object.keys(content).join(', ') || 'no content'} (${o.key} ${status})`);
      continue;
    }
    if (e.type === 'application/json') {
      const path = o.pattern;
      const v = validator('paths', path, o.method.toLowerCase(), 'responses', status, 'content', 'application/json', 'schema');
      if (!v(e.reply)) bad.push(`${where} (${o.key} ${status}): ${errorsOf(v)}`);
    }
    checked++;
  }
  assert.ok(checked > 1000, `only ${checked} replies were checked`);
  assert.deepEqual(bad.slice(0, 40), [], `${bad.length} replies do not fit the document`);
});

test('every request the server accepted fits the schema of its route', () => {
  const bad = [];
  for (const e of exchanges) {
    if (e.status < 200 || e.status > 299 || e.request === null || e.request === undefined) continue;
    const o = match(ops, e.method, e.path);
    if (!o || !o.op.requestBody?.content['application/json']) continue;
    const v = validator('paths', o.pattern, o.method.toLowerCase(), 'requestBody', 'content', 'application/json', 'schema');
    if (!v(e.request)) bad.push(`${e.method} ${e.path} (${o.key}): ${errorsOf(v)}`);
  }
  assert.deepEqual(bad.slice(0, 40), [], `${bad.length} accepted requests do not fit the document`);
});

test('every query parameter of a request the server answered with success is declared for its route', () => {
  const bad = new Set();
  for (const e of exchanges) {
    if (e.status < 200 || e.status > 299 || !e.path.includes('?')) continue;
    const o = match(ops, e.method, e.path);
    if (!o) continue;
    const declared = new Set((o.op.parameters || []).filter((p) => p.in === 'query').map((p) => p.name));
    for (const name of new URLSearchParams(e.path.split('?')[1]).keys())
      if (!declared.has(name)) bad.add(`${o.key} ?${name}`);
  }
  assert.deepEqual([...bad], []);
});

test('every operation was seen to succeed, so every success schema was held to a real reply', () => {
  const seen = new Set();
  for (const e of exchanges) {
    const o = e.status >= 200 && e.status < 300 && match(ops, e.method, e.path);
    if (o) seen.add(o.key);
  }
  assert.deepEqual(ops.map((o) => o.key).filter((k) => !seen.has(k)), [],
    'these operations never answered with success in the API suites: add a test that calls them');
});

test('a reply that strays from its schema is caught: the test can fail', () => {
  const e = exchanges.find((x) => x.method === 'GET' && /^\/api\/v1\/meetings\/\d+$/.test(x.path) && x.status === 200);
  assert.ok(e, 'a meeting was read in the API suites');
  const v = validator('paths', '/api/v1/meetings/{id}', 'get', 'responses', '200', 'content', 'application/json', 'schema');
  assert.ok(v(e.reply), errorsOf(v));
  const { date, ...noDate } = e.reply;
  assert.ok(date && !v(noDate), 'a member the schema requires, left out');
  assert.ok(!v({ ...e.reply, victim_name: 'X' }), 'a member the schema does not name');
  assert.ok(!v({ ...e.reply, date: '2026-13-45' }), 'a date that is none');
  assert.ok(!v({ ...e.reply, id: 'seven' }), 'a number as text');
  const err = validator('components', 'schemas', 'Error');
  assert.ok(!err({ error: { code: 'invalid' } }), 'an error without its key, field, params and message');
});
