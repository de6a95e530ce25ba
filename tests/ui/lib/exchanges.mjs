// The exchanges the API suites recorded (tests/api/harness.c, NRM_TEST_EXCHANGES: one JSON line
// per request) and the operation of the OpenAPI document each one reached.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function loadExchanges(dir) {
  const out = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.jsonl')).sort())
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n'))
      if (line) out.push(JSON.parse(line));
  return out;
}

// Matches a concrete path to the document's patterns; a literal segment beats a parameter
// (/seats/overview is not /seats/{id}), as the server's router does.
export function operationsOf(doc) {
  const ops = [];
  for (const [pattern, item] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(item)) {
      const parts = pattern.split('/');
      ops.push({ key: `${method.toUpperCase()} ${pattern}`, method: method.toUpperCase(), pattern, parts, op,
                 params: parts.filter((p) => p.startsWith('{')).length });
    }
  ops.sort((a, b) => a.params - b.params);
  return ops;
}

export function match(ops, method, path) {
  const parts = path.split('?')[0].split('/');
  for (const o of ops) {
    if (o.method !== method || o.parts.length !== parts.length) continue;
    if (o.parts.every((p, i) => p.startsWith('{') ? parts[i] !== '' : p === parts[i])) return o;
  }
  return null;
}
