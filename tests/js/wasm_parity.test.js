// Parity of the two builds: every request of one shared set goes through the native router (the CLI,
// `build/pmkpi`) and through the WebAssembly client's fetch, and both must answer with the same
// status, the same body bytes (timestamp aside) and the same content-type, allow and location.
//
// The set: tests/fixtures/*.ndjson (the shared fixtures, when present) plus requests derived from the
// catalog (GET /metrics/list, GET /openapi.json): each route's example, a missing field, a wrong
// type and an out-of-bound value for every field, malformed and oddly shaped bodies, unknown routes
// and wrong methods. Nothing here names a metric, so routes added to the catalog are covered too.
//
// Needs `build/pmkpi` (npm run build:native; or set PMKPI_CLI) and the WASM module (npm run build:wasm).
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

import { createClient } from '../../web/src/client/index.js';

const root = new URL('../../', import.meta.url);
const cli = process.env.PMKPI_CLI ?? fileURLToPath(new URL('build/pmkpi', root));
assert.ok(existsSync(cli), `${cli} is missing: build it with \`npm run build:native\` (or set PMKPI_CLI)`);

const client = await createClient();

// ---- the request set ---------------------------------------------------------------------------

function bodyText(body) {
  if (body === undefined || body === null) return undefined; // no body at all
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/** The request's Content-Type: the fixture's `content_type`, else application/json for a body. */
function contentTypeOf(r) {
  if (r.contentType !== undefined) return r.contentType;
  return r.body === undefined ? undefined : 'application/json';
}

function fixtureRequests() {
  const dir = new URL('tests/fixtures/', root);
  if (!existsSync(dir)) return [];
  const out = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ndjson')).sort()) {
    const lines = readFileSync(new URL(file, dir), 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      const f = JSON.parse(line);
      out.push({ name: `${file}:${i + 1} ${f.name}`, method: f.method, path: f.path, body: bodyText(f.body), contentType: f.content_type, expect: f.expect });
    });
  }
  return out;
}

/** A value of the wrong JSON type for a field of the given catalog type. */
function wrongType(field) {
  if (field.type.startsWith('dict')) return [1, 2, 3];
  if (field.type.startsWith('list')) return { not: 'a list' };
  if (field.type === 'float' || field.type === 'int') return 'not a number';
  return { not: 'a string' };
}

/** Values just outside the field's declared bounds (and a fraction for an integer field). */
function outOfBounds(field) {
  const s = field.schema ?? {};
  const out = [];
  if (s.exclusiveMinimum !== undefined) out.push(['at exclusive minimum', s.exclusiveMinimum]);
  if (s.minimum !== undefined) out.push(['below minimum', s.minimum - 1]);
  if (s.exclusiveMaximum !== undefined) out.push(['at exclusive maximum', s.exclusiveMaximum]);
  if (s.maximum !== undefined) out.push(['above maximum', s.maximum + 1]);
  if (s.minItems !== undefined && s.minItems > 0) out.push(['too few items', []]);
  if (Array.isArray(s.enum)) out.push(['not a choice', 'not-a-choice']);
  if (field.type === 'int') out.push(['fractional integer', 2.5]);
  if (s.format === 'date') out.push(['impossible date', '2024-02-30']);
  return out;
}

function catalogRequests(listing, openapi) {
  const out = [];
  const add = (name, method, path, body) => out.push({ name, method, path, body: bodyText(body) });
  for (const [key, category] of Object.entries(listing.categories)) {
    for (const route of category.keys.map((k) => listing[key][k])) {
      const { endpoint: path, example_request: example } = route;
      const method = route.method ?? 'POST';
      add(`${path} example`, method, path, example);
      add(`${path} example, trailing slash`, method, `${path}/`, example);
      add(`${path} example, query string`, method, `${path}?verbose=1`, example);
      add(`${path} no body`, method, path, undefined);
      add(`${path} empty object`, method, path, {});
      add(`${path} null`, method, path, 'null');
      add(`${path} array`, method, path, [example]);
      add(`${path} malformed JSON`, method, path, JSON.stringify(example).slice(0, -1));
      add(`${path} not JSON`, method, path, 'total=1');
      add(`${path} deeply nested`, method, path, '['.repeat(5000) + ']'.repeat(5000));
      add(`${path} unknown extra field`, method, path, { ...example, not_a_field: 1 });
      add(`${path} GET`, 'GET', path, undefined);
      add(`${path} PUT`, 'PUT', path, example);
      add(`${path} DELETE`, 'DELETE', path, undefined);
      for (const field of route.fields) {
        const base = { ...example };
        if (field.required) {
          const { [field.name]: _, ...missing } = base;
          add(`${path} missing ${field.name}`, method, path, missing);
        }
        add(`${path} ${field.name} wrong type`, method, path, { ...base, [field.name]: wrongType(field) });
        add(`${path} ${field.name} null`, method, path, { ...base, [field.name]: null });
        for (const [what, value] of outOfBounds(field)) {
          add(`${path} ${field.name} ${what}`, method, path, { ...base, [field.name]: value });
        }
      }
    }
  }
  for (const [path, operations] of Object.entries(openapi.paths)) {
    if (!operations.get) continue;
    add(`GET ${path}`, 'GET', path, undefined);
    add(`HEAD ${path}`, 'HEAD', path, undefined);
    add(`POST ${path}`, 'POST', path, {});
  }
  add('unknown route', 'GET', '/nowhere', undefined);
  add('unknown metric', 'POST', '/metrics/not-a-metric', {});
  add('route in other case', 'POST', '/METRICS/ARPU', {});
  add('unknown route with trailing slash', 'GET', '/nowhere/', undefined);
  add('root with query', 'GET', '/?x=1', undefined);
  return out;
}

// ---- the native side ---------------------------------------------------------------------------

function runBatch(requests) {
  return new Promise((resolve, reject) => {
    const child = spawn(cli, ['batch'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`pmkpi batch exited with ${code}`));
      resolve(out.trimEnd().split('\n').map((l) => JSON.parse(l)));
    });
    for (const r of requests) {
      const line = { method: r.method, path: r.path };
      if (r.body !== undefined) line.body = r.body; // always the raw text the client sends
      if (contentTypeOf(r) !== undefined) line.content_type = contentTypeOf(r);
      child.stdin.write(JSON.stringify(line) + '\n');
    }
    child.stdin.end();
  });
}

/** `pmkpi request -i`: the status line, headers and raw body the native server would send. */
function runRequest(r) {
  return new Promise((resolve, reject) => {
    const args = ['request', '-i', ...(contentTypeOf(r) !== undefined ? ['-H', `Content-Type: ${contentTypeOf(r)}`] : []), r.method, r.path];
    if (r.body !== undefined) args.push('-');
    const child = execFile(cli, args, { encoding: 'utf8', maxBuffer: 1 << 26 }, (error, stdout) => {
      if (error && typeof error.code !== 'number') return reject(error); // exit 1 is a non-2xx answer
      const split = stdout.indexOf('\r\n\r\n');
      const head = stdout.slice(0, split).split('\r\n');
      const status = Number(head[0].split(' ')[1]);
      const headers = new Map(head.slice(1).map((h) => [h.slice(0, h.indexOf(':')).toLowerCase(), h.slice(h.indexOf(':') + 1).trim()]));
      resolve({ status, statusText: head[0].split(' ').slice(2).join(' '), headers, body: stdout.slice(split + 4).replace(/\n$/, '') });
    });
    child.stdin.on('error', () => {}); // without a body the CLI exits without reading stdin
    child.stdin.end(r.body ?? '');
  });
}

async function inPool(items, size, fn) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: size }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  }));
  return results;
}

// ---- comparison --------------------------------------------------------------------------------

const TIMESTAMP = /"timestamp":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z"/g;
const withoutTimestamp = (text) => text.replace(TIMESTAMP, '"timestamp":"<timestamp>"');

function dropTimestamps(value) {
  if (Array.isArray(value)) return value.map(dropTimestamps);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'timestamp').map(([k, v]) => [k, dropTimestamps(v)]));
  }
  return value;
}

/** The fixtures' `expect.body` is a subset: objects may have extra keys, numbers compare by value. */
function assertSubset(expected, actual, where = '$') {
  if (expected && typeof expected === 'object' && !Array.isArray(expected)) {
    assert.ok(actual && typeof actual === 'object' && !Array.isArray(actual), `${where}: expected an object`);
    for (const [k, v] of Object.entries(expected)) {
      assert.ok(k in actual, `${where}.${k}: missing`);
      assertSubset(v, actual[k], `${where}.${k}`);
    }
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) && actual.length === expected.length, `${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    expected.forEach((v, i) => assertSubset(v, actual[i], `${where}[${i}]`));
  } else {
    assert.deepEqual(actual, expected, where);
  }
}

async function clientAnswer(r) {
  const init = { method: r.method, redirect: 'manual' };
  if (r.body !== undefined) init.body = r.body;
  if (contentTypeOf(r) !== undefined) init.headers = { 'content-type': contentTypeOf(r) };
  const response = await client.fetch(r.path, init);
  return { response, text: await response.text() };
}

// ---- the tests ---------------------------------------------------------------------------------

const listing = JSON.parse(await (await client.fetch('/metrics/list')).text());
const openapi = JSON.parse(await (await client.fetch('/openapi.json')).text());
const fixtures = fixtureRequests();
const requests = [...fixtures, ...catalogRequests(listing, openapi)];

test('the WASM build and the native build serve the same catalog', async () => {
  const [nativeList, nativeOpenapi] = await runBatch([
    { method: 'GET', path: '/metrics/list' },
    { method: 'GET', path: '/openapi.json' },
  ]);
  assert.deepEqual(nativeList.body, listing);
  assert.deepEqual(nativeOpenapi.body, openapi);
});

test('the request set covers every route, valid and invalid', (t) => {
  t.diagnostic(`${requests.length} requests: ${fixtures.length} from tests/fixtures, the rest derived from the catalog`);
  const routes = Object.entries(listing.categories).flatMap(([key, c]) => c.keys.map((k) => listing[key][k]));
  assert.ok(routes.length > 0);
  for (const route of routes) {
    const statuses = new Set();
    for (const r of requests.filter((q) => q.path === route.endpoint)) statuses.add(r.method);
    assert.ok(statuses.has('POST') && statuses.has('GET'), `${route.endpoint} lacks requests`);
  }
});

test('status and body: native batch and client.fetch agree on every request', async () => {
  const native = await runBatch(requests);
  assert.equal(native.length, requests.length);
  const seen = new Set();
  for (let i = 0; i < requests.length; ++i) {
    const r = requests[i];
    const { response, text } = await clientAnswer(r);
    const label = `${r.name}: ${r.method} ${r.path}`;
    assert.equal(response.status, native[i].status, label);
    seen.add(response.status);
    if (r.method === 'HEAD') {
      assert.equal(text, '', `${label}: a HEAD answer has no body`);
    } else {
      const body = text === '' ? null : JSON.parse(text);
      assert.deepEqual(dropTimestamps(body), dropTimestamps(native[i].body), label);
    }
    if (r.expect) {
      assert.equal(response.status, r.expect.status, `${label}: fixture status`);
      if (r.expect.body !== undefined) assertSubset(r.expect.body, JSON.parse(text), `${label}: fixture body $`);
    }
  }
  for (const status of [200, 307, 400, 404, 405, 422]) assert.ok(seen.has(status), `no request answered ${status}`);
});

test('headers and bytes: `pmkpi request -i` and client.fetch agree on every request', async () => {
  const native = await inPool(requests, 4, runRequest);
  for (let i = 0; i < requests.length; ++i) {
    const r = requests[i];
    const label = `${r.name}: ${r.method} ${r.path}`;
    const { response, text } = await clientAnswer(r);
    assert.equal(response.status, native[i].status, label);
    assert.equal(response.statusText, native[i].statusText, label);
    for (const name of ['content-type', 'allow', 'location']) {
      assert.equal(response.headers.get(name), native[i].headers.get(name) ?? null, `${label}: ${name}`);
    }
    if (r.method !== 'HEAD') {
      assert.equal(withoutTimestamp(text), withoutTimestamp(native[i].body), label);
      assert.equal(response.headers.get('content-length'), native[i].headers.get('content-length'), `${label}: content-length`);
    }
  }
});
