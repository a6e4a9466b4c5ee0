// The generated OpenAPI document must pass a real OpenAPI 3.1 validator, and agree with /metrics/list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'build', 'pmkpi');

function request(method, route) {
  return JSON.parse(execFileSync(cli, ['request', method, route], { encoding: 'utf8' }));
}

test('the OpenAPI document is valid OpenAPI 3.1', async () => {
  const doc = request('GET', '/openapi.json');
  assert.equal(doc.openapi, '3.1.0');
  const validator = new Validator();
  const result = await validator.validate(doc);
  assert.deepEqual(result.errors ?? [], [], JSON.stringify(result.errors, null, 2));
  assert.equal(result.valid, true);
  assert.equal(validator.version, '3.1');
});

test('every route of /metrics/list is a path of the OpenAPI document with its example', () => {
  const doc = request('GET', '/openapi.json');
  const list = request('GET', '/metrics/list');
  const endpoints = Object.entries(list.categories).flatMap(([key, c]) => c.keys.map((k) => list[key][k]));
  assert.ok(endpoints.length >= 24);
  for (const m of endpoints) {
    const op = doc.paths[m.endpoint]?.post;
    assert.ok(op, `${m.endpoint} missing from OpenAPI`);
    assert.deepEqual(op.requestBody.content['application/json'].example, m.example_request);
    const schemaRef = op.requestBody.content['application/json'].schema.$ref;
    const schema = doc.components.schemas[schemaRef.split('/').pop()];
    assert.deepEqual(schema.required ?? [], m.required_fields);
  }
});
