// The WebAssembly client as fetch: every input and body form fetch accepts, real Response objects,
// HTTP errors as answers (never rejections), fetch's own TypeErrors where fetch throws, and the
// typed client.metrics functions derived from the catalog. Needs the WASM build (npm run build:wasm).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { describe, test } from 'node:test';

import { camelCase, createClient, PmkpiError } from '../../web/src/client/index.js';

const client = await createClient();
const listing = await (await client.fetch('/metrics/list')).json();
const routes = Object.entries(listing.categories).flatMap(([key, c]) => c.keys.map((k) => listing[key][k]));
const arpu = routes[0]; // any route works; the first one's example drives the input-form tests
const exampleText = JSON.stringify(arpu.example_request);
const json = { 'content-type': 'application/json' };

async function exampleAnswer() {
  const r = await client.fetch(arpu.endpoint, { method: 'POST', headers: json, body: exampleText });
  assert.equal(r.status, 200);
  return r.json();
}
const expected = await exampleAnswer();
const same = (body) => assert.deepEqual({ ...body, timestamp: null }, { ...expected, timestamp: null });

describe('createClient', () => {
  test('loads the module once: later clients share it', async () => {
    const again = await createClient();
    assert.equal(again.metrics, client.metrics);
  });

  test('wasmUrl (a file URL in Node) and wasmBinary say where the .wasm is', async () => {
    const wasmUrl = new URL('../../web/src/client/generated/pmkpi-core.wasm', import.meta.url);
    const fromUrl = await createClient({ wasmUrl });
    same(await (await fromUrl.fetch(arpu.endpoint, { method: 'POST', headers: json, body: exampleText })).json());
    const fromBytes = await createClient({ wasmBinary: readFileSync(wasmUrl) });
    same(await (await fromBytes.fetch(arpu.endpoint, { method: 'POST', headers: json, body: exampleText })).json());
  });

  test('a wasmUrl over HTTP is fetched (as in a browser); one that cannot be loaded rejects createClient', async () => {
    const wasm = readFileSync(new URL('../../web/src/client/generated/pmkpi-core.wasm', import.meta.url));
    const server = createServer((req, res) => {
      if (req.url === '/assets/core.wasm') res.writeHead(200, { 'content-type': 'application/wasm' }).end(wasm);
      else res.writeHead(404).end();
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${server.address().port}`;
    try {
      const overHttp = await createClient({ wasmUrl: `${origin}/assets/core.wasm` });
      same(await (await overHttp.fetch(arpu.endpoint, { method: 'POST', headers: json, body: exampleText })).json());
      const located = await createClient({ locateFile: (file) => `${origin}/assets/${file.replace('pmkpi-', '')}` });
      same(await (await located.fetch(arpu.endpoint, { method: 'POST', headers: json, body: exampleText })).json());
      await assert.rejects(createClient({ wasmUrl: `${origin}/missing.wasm` }));
    } finally {
      server.close();
    }
    await assert.rejects(createClient({ wasmUrl: new URL('file:///nonexistent/pmkpi-core.wasm') }));
  });
});

describe('client.fetch inputs', () => {
  test('a path, an absolute URL on any origin, a URL object, a Request, a Request with init', async () => {
    const init = { method: 'POST', headers: json, body: exampleText };
    same(await (await client.fetch(arpu.endpoint, init)).json());
    same(await (await client.fetch(`https://kpi.example.com${arpu.endpoint}`, init)).json());
    same(await (await client.fetch(new URL(`http://localhost:8000${arpu.endpoint}`), init)).json());
    same(await (await client.fetch(new Request(`http://x.test${arpu.endpoint}`, init))).json());
    const get = new Request(`http://x.test${arpu.endpoint}`);
    same(await (await client.fetch(get, init)).json());
  });

  test('methods are normalised as fetch does', async () => {
    same(await (await client.fetch(arpu.endpoint, { method: 'post', headers: json, body: exampleText })).json());
    const r = await client.fetch(arpu.endpoint, { method: 'patch', headers: json, body: exampleText });
    assert.equal(r.status, 405); // "patch" is not upper-cased by fetch, and is not POST either
  });

  test('the body in every form fetch accepts', async () => {
    const bytes = new TextEncoder().encode(exampleText);
    const forms = {
      string: exampleText,
      Blob: new Blob([exampleText], { type: 'application/json' }),
      ArrayBuffer: bytes.buffer.slice(0),
      Uint8Array: bytes,
      'typed array view on a larger buffer': new Uint8Array([32, 32, ...bytes, 32]).subarray(2, 2 + bytes.length),
      DataView: new DataView(bytes.buffer.slice(0)),
      ReadableStream: new ReadableStream({
        start(controller) {
          controller.enqueue(bytes.slice(0, 5));
          controller.enqueue(bytes.slice(5));
          controller.close();
        },
      }),
    };
    for (const [form, body] of Object.entries(forms)) {
      const r = await client.fetch(arpu.endpoint, { method: 'POST', headers: json, body, duplex: 'half' });
      assert.equal(r.status, 200, form);
      same(await r.json());
    }
  });

  test('a Request body is read like fetch reads it', async () => {
    const r = await client.fetch(new Request(`http://x.test${arpu.endpoint}`, { method: 'POST', headers: json, body: new Blob([exampleText]) }));
    same(await r.json());
  });

  test('the Content-Type is the one fetch would send: a string body without one goes as text/plain, a 422 as FastAPI answers', async () => {
    const plain = await client.fetch(arpu.endpoint, { method: 'POST', body: exampleText });
    assert.equal(plain.status, 422);
    assert.deepEqual((await plain.json()).detail, [{ type: 'model_attributes_type', loc: ['body'], msg: 'Input should be a valid dictionary or object to extract fields from', input: exampleText }]);
    for (const headers of [json, new Headers(json), [['Content-Type', 'application/json; charset=utf-8']], { 'Content-Type': 'application/vnd.api+json' }]) {
      const r = await client.fetch(arpu.endpoint, { method: 'POST', headers, body: exampleText });
      assert.equal(r.status, 200, JSON.stringify([...new Headers(headers)]));
    }
    const request = new Request(`http://x.test${arpu.endpoint}`, { method: 'POST', headers: json, body: exampleText });
    assert.equal((await client.fetch(request)).status, 200);
    const untyped = new Request(`http://x.test${arpu.endpoint}`, { method: 'POST', body: exampleText });
    assert.equal((await client.fetch(untyped)).status, 422);
    // client.metrics sends JSON itself.
    assert.equal((await client.metrics.arpu(arpu.example_request)).value, 50);
  });

  test('the spec\'s JavaScript example (fetch with Content-Type: application/json) works unchanged', async () => {
    const response = await client.fetch('http://localhost:8000/metrics/arpu', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ total_revenue: 50000, total_users: 1000, time_frame: 'monthly' }),
    });
    const data = await response.json();
    assert.equal(data.value, 50);
    assert.match(data.interpretation, /\$50\.00/);
  });

  test('URLSearchParams and FormData bodies reach the router with their content type, as the server would see them (not JSON)', async () => {
    for (const body of [new URLSearchParams({ a: '1' }), (() => { const f = new FormData(); f.set('a', '1'); return f; })()]) {
      const r = await client.fetch(arpu.endpoint, { method: 'POST', body });
      assert.equal(r.status, 422);
      assert.equal((await r.json()).detail[0].type, 'model_attributes_type'); // their content type is not JSON
    }
  });

  test('UTF-8 text survives the boundary in both directions', async () => {
    const route = routes.find((r) => r.fields.some((f) => f.type === 'string'));
    assert.ok(route, 'the catalog has a route with a free-text field');
    const field = route.fields.find((f) => f.type === 'string');
    const text = 'Café ☕ 日本 🚀';
    const r = await client.fetch(route.endpoint, { method: 'POST', headers: json, body: JSON.stringify({ ...route.example_request, [field.name]: text }) });
    assert.equal(r.status, 200);
    assert.ok((await r.text()).includes(text));
  });
});

describe('client.fetch answers', () => {
  test('a real Response with the server status line, headers and URL', async () => {
    const r = await client.fetch(`http://localhost:8000${arpu.endpoint}`, { method: 'POST', headers: json, body: exampleText });
    assert.ok(r instanceof Response);
    assert.equal(r.ok, true);
    assert.equal(r.statusText, 'OK');
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.equal(Number(r.headers.get('content-length')), new TextEncoder().encode(await r.clone().text()).length);
    assert.equal(r.url, `http://localhost:8000${arpu.endpoint}`);
  });

  test('HTTP errors are answers, not rejections: 422, 404, 405 with allow', async () => {
    const bad = await client.fetch(arpu.endpoint, { method: 'POST', headers: json, body: '{' });
    assert.equal(bad.status, 422);
    assert.equal(bad.ok, false);
    assert.equal(bad.statusText, 'Unprocessable Entity');
    assert.ok(Array.isArray((await bad.json()).detail));

    const missing = await client.fetch('/metrics/does-not-exist', { method: 'POST', headers: json, body: '{}' });
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { detail: 'Not Found' });

    const wrong = await client.fetch(arpu.endpoint);
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'POST');
    assert.deepEqual(await wrong.json(), { detail: 'Method Not Allowed' });
  });

  test('the trailing-slash redirect is followed like fetch follows it, unless redirect is manual', async () => {
    const followed = await client.fetch(`http://h.test${arpu.endpoint}/?q=1`, { method: 'POST', headers: json, body: exampleText });
    assert.equal(followed.status, 200);
    assert.equal(followed.redirected, true);
    assert.equal(followed.url, `http://h.test${arpu.endpoint}?q=1`);
    same(await followed.json());

    const manual = await client.fetch(`${arpu.endpoint}/`, { method: 'POST', headers: json, body: exampleText, redirect: 'manual' });
    assert.equal(manual.status, 307);
    assert.equal(manual.headers.get('location'), arpu.endpoint);
    assert.equal(manual.headers.get('content-type'), null);

    await assert.rejects(client.fetch(`${arpu.endpoint}/`, { method: 'POST', headers: json, body: exampleText, redirect: 'error' }), TypeError);
  });

  test('HEAD has the GET headers and no body', async () => {
    const r = await client.fetch('/health', { method: 'HEAD' });
    assert.equal(r.status, 200);
    assert.equal(r.body, null);
    assert.equal(r.headers.get('content-type'), 'application/json');
  });

  test('a base URL with a path prefix is stripped before routing', async () => {
    const prefixed = await createClient({ baseUrl: 'https://api.example.com/kpi/' });
    const r = await prefixed.fetch(`https://api.example.com/kpi${arpu.endpoint}`, { method: 'POST', headers: json, body: exampleText });
    same(await r.json());
    const relative = await prefixed.fetch(`.${arpu.endpoint}`, { method: 'POST', headers: json, body: exampleText });
    same(await relative.json());
  });
});

describe('client.fetch throws only where fetch throws', () => {
  const cases = {
    'a GET with a body': () => client.fetch(arpu.endpoint, { method: 'GET', body: '{}' }),
    'a HEAD with a body': () => client.fetch(arpu.endpoint, { method: 'HEAD', body: '{}' }),
    'an invalid method token': () => client.fetch(arpu.endpoint, { method: 'PO ST' }),
    'a forbidden method': () => client.fetch(arpu.endpoint, { method: 'CONNECT' }),
    'an invalid URL': () => client.fetch('http://[not-a-host/metrics'),
    'a non-HTTP scheme': () => client.fetch('ftp://example.com/metrics/list'),
    'an invalid redirect mode': () => client.fetch(arpu.endpoint, { redirect: 'sometimes' }),
  };
  for (const [what, call] of Object.entries(cases)) {
    test(what, async () => {
      await assert.rejects(call(), TypeError);
    });
  }

  test('an aborted signal rejects with its reason', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(client.fetch(arpu.endpoint, { method: 'POST', headers: json, body: exampleText, signal: controller.signal }), { name: 'AbortError' });
  });
});

describe('client.metrics', () => {
  test('one function per catalog route, named after its id', () => {
    assert.deepEqual(Object.keys(client.metrics).sort(), routes.map((r) => camelCase(r.id)).sort());
    assert.equal(camelCase('retention-rate'), 'retentionRate');
  });

  test('every route answers its example like fetch does', async () => {
    for (const route of routes) {
      const viaMetrics = await client.metrics[camelCase(route.id)](route.example_request);
      const viaFetch = await (await client.fetch(route.endpoint, { method: 'POST', headers: json, body: JSON.stringify(route.example_request) })).json();
      assert.deepEqual({ ...viaMetrics, timestamp: null }, { ...viaFetch, timestamp: null }, route.endpoint);
    }
  });

  test('a 422 throws a PmkpiError carrying status and detail', async () => {
    const [field] = arpu.required_fields;
    const { [field]: _, ...body } = arpu.example_request;
    const error = await client.metrics[camelCase(arpu.id)](body).then(() => null, (e) => e);
    assert.ok(error instanceof PmkpiError && error instanceof Error);
    assert.equal(error.status, 422);
    assert.equal(error.detail[0].type, 'missing');
    assert.deepEqual(error.detail[0].loc, ['body', field]);
    assert.match(error.message, new RegExp(`${field}: Field required`));
  });

  test('a 400 throws a PmkpiError whose detail is the sentence', async () => {
    // Find a route whose example, emptied of optional inputs, is a semantic (400) error: the first
    // field-less body that validates but contradicts itself. Derived from the catalog, not named.
    let found = null;
    for (const route of routes) {
      const r = await client.fetch(route.endpoint, { method: 'POST', headers: json, body: '{}' });
      if (r.status === 400) { found = route; break; }
    }
    assert.ok(found, 'some route answers an empty body with 400');
    const error = await client.metrics[camelCase(found.id)]({}).then(() => null, (e) => e);
    assert.equal(error.status, 400);
    assert.equal(typeof error.detail, 'string');
    assert.ok(error.message.includes(error.detail));
  });
});
