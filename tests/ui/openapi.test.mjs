// The OpenAPI document (GET /api/v1/openapi.json, made from the route table) as an independent
// validator reads it: @apidevtools/swagger-parser checks it against the OpenAPI 3.0 schema and
// its rules; this test checks too that every {parameter} of a path is declared. Debian bookworm
// has no python3-openapi-spec-validator (it comes with trixie): this is the standard validator
// on the npm registry. Both ways in are declared: a person's session cookie, a system's token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import SwaggerParser from '@apidevtools/swagger-parser';
import { startServer } from './lib/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(() => srv?.stop());

test('the OpenAPI document passes an independent validator and names both ways in', async () => {
  const res = await fetch(`${srv.url}/api/v1/openapi.json`);
  assert.equal(res.status, 200);
  const doc = await res.json();
  await SwaggerParser.validate(structuredClone(doc));
  assert.equal(doc.openapi, '3.0.3');
  assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['session', 'token']);
  assert.equal(doc.components.securitySchemes.token.scheme, 'bearer');
  assert.ok(doc.paths['/api/v1/tokens']?.post, 'the tokens are in it');
  assert.deepEqual(doc.paths['/healthz'].get.security, [], 'the health check needs no login');
  // Every route's {parameters} are declared as path parameters.
  for (const [path, item] of Object.entries(doc.paths)) {
    const named = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
    for (const op of Object.values(item)) {
      const declared = (op.parameters || []).filter((p) => p.in === 'path').map((p) => p.name).sort();
      assert.deepEqual(declared, named, path);
    }
  }
});

test('a document the validator should refuse is refused: the test can fail', async () => {
  const doc = await (await fetch(`${srv.url}/api/v1/openapi.json`)).json();
  doc.paths['/api/v1/cases/{code}'].get.parameters[0].in = 'body';
  await assert.rejects(SwaggerParser.validate(structuredClone(doc)));
  const noInfo = structuredClone(doc);
  delete noInfo.info;
  await assert.rejects(SwaggerParser.validate(noInfo));
});
