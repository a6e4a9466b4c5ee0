// Every route of the core over real HTTP: the server must answer exactly what the core answers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { cliPath, postJson, startServer } from './helpers.js';

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  const { code } = await server.stop();
  assert.equal(code, 0);
});

/** What the core answers to the same requests, through the CLI's batch mode (no HTTP involved). */
function coreAnswers(requests) {
  const input = requests.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const out = spawnSync(cliPath, ['batch'], { input, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(out.status, 0, out.stderr);
  return out.stdout.trim().split('\n').map((l) => JSON.parse(l));
}

function withoutTimestamp(body) {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const { timestamp, ...rest } = body;
    return rest;
  }
  return body;
}

describe('the spec', () => {
  test('the curl example of the Quick Start returns the documented JSON', async () => {
    const res = await postJson(server.url, '/metrics/arpu', { total_revenue: 50000.0, total_users: 1000, time_frame: 'monthly' });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^application\/json/);
    const body = await res.json();
    assert.equal(body.metric_name, 'ARPU');
    assert.equal(body.value, 50.0);
    assert.equal(body.unit, 'currency');
    assert.equal(body.benchmark, 'Varies by industry. SaaS: $50-500/month typical');
    assert.match(body.interpretation, /^Average revenue per user: \$50\.00 per /);
    assert.match(body.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
  });

  test('GET / answers the API metadata as JSON', async () => {
    const res = await fetch(server.url + '/');
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.documentation, '/docs');
    assert.equal(body.redoc, '/redoc');
  });

  test('GET /health', async () => {
    const res = await fetch(server.url + '/health');
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.status, 'healthy');
  });
});

describe('every route of the catalog', () => {
  test('every example request of /openapi.json gives the core\'s answer', async () => {
    const doc = await (await fetch(server.url + '/openapi.json')).json();
    const posts = Object.entries(doc.paths).filter(([, ops]) => ops.post);
    assert.ok(posts.length >= 24, `only ${posts.length} POST routes`);
    const requests = posts.map(([route, ops]) => ({
      method: 'POST',
      path: route,
      body: ops.post.requestBody.content['application/json'].example,
    }));
    const expected = coreAnswers(requests);
    for (const [i, r] of requests.entries()) {
      const res = await postJson(server.url, r.path, r.body);
      const body = await res.json();
      assert.equal(res.status, expected[i].status, r.path);
      assert.equal(res.status, 200, `${r.path}: ${JSON.stringify(body)}`);
      assert.deepEqual(withoutTimestamp(body), withoutTimestamp(expected[i].body), r.path);
    }
  });

  test('the GET routes give the core\'s answer', async () => {
    const routes = ['/', '/metrics/list', '/health'];
    const expected = coreAnswers(routes.map((p) => ({ method: 'GET', path: p })));
    for (const [i, route] of routes.entries()) {
      const res = await fetch(server.url + route);
      assert.equal(res.status, expected[i].status, route);
      assert.deepEqual(withoutTimestamp(await res.json()), withoutTimestamp(expected[i].body), route);
    }
  });

  test('/openapi.json is valid OpenAPI and names this server', async () => {
    const res = await fetch(server.url + '/openapi.json');
    assert.equal(res.status, 200);
    const doc = await res.json();
    const result = await new Validator().validate(doc);
    assert.equal(result.valid, true, JSON.stringify(result.errors));
    assert.deepEqual(doc.servers.map((s) => s.url), ['/', `http://127.0.0.1:${server.port}`]);
    const [expected] = coreAnswers([{ method: 'GET', path: '/openapi.json' }]);
    const { servers, ...rest } = doc;
    const { servers: coreServers, ...coreRest } = expected.body;
    assert.equal(coreServers, undefined);
    assert.deepEqual(rest, coreRest, 'the same document as the core, servers added');
  });

  test('HEAD answers the headers of GET without a body', async () => {
    const get = await fetch(server.url + '/metrics/list');
    const getBody = await get.text();
    const head = await fetch(server.url + '/metrics/list', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(Number(head.headers.get('content-length')), Buffer.byteLength(getBody));
    assert.equal(await head.text(), '');
  });
});

describe('errors', () => {
  test('an unknown route is a JSON 404', async () => {
    const res = await fetch(server.url + '/metrics/unknown');
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { detail: 'Not Found' });
  });

  test('a wrong method is a 405 with Allow', async () => {
    const res = await fetch(server.url + '/metrics/arpu');
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'POST');
    const post = await fetch(server.url + '/health', { method: 'POST' });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET');
  });

  test('invalid JSON and invalid fields are 422 with the pydantic-style detail', async () => {
    const bad = await postJson(server.url, '/metrics/arpu', '{"total_revenue": ');
    assert.equal(bad.status, 422);
    assert.ok(Array.isArray((await bad.json()).detail));
    const missing = await postJson(server.url, '/metrics/arpu', { total_revenue: 1 });
    assert.equal(missing.status, 422);
    const detail = (await missing.json()).detail;
    assert.ok(detail.some((e) => e.loc.includes('total_users') && e.type === 'missing'), JSON.stringify(detail));
    const zero = await postJson(server.url, '/metrics/arpu', { total_revenue: 1, total_users: 0 });
    assert.equal(zero.status, 422);
  });

  test('a trailing slash redirects like the reference service', async () => {
    const res = await fetch(server.url + '/health/', { redirect: 'manual' });
    assert.equal(res.status, 307);
    assert.equal(res.headers.get('location'), '/health');
  });

  test('errors leak no internals', async () => {
    const res = await postJson(server.url, '/metrics/arpu', '['.repeat(60000));  // under the route's 64 KiB
    assert.equal(res.status, 422);
    const text = await res.text();
    assert.doesNotMatch(text, /nlohmann|std::|exception|\.cpp/i);
  });
});

describe('concurrency', () => {
  test('many concurrent clients all get their own right answer', async () => {
    const tasks = [];
    for (let i = 1; i <= 400; i++) {
      tasks.push(
        postJson(server.url, '/metrics/arpu', { total_revenue: i * 1000, total_users: 10 }).then(async (res) => {
          assert.equal(res.status, 200);
          const body = await res.json();
          assert.equal(body.value, i * 100, `request ${i}`);
        }),
      );
    }
    await Promise.all(tasks);
  });
});

describe('Content-Type, as FastAPI reads it (issue 13.5)', () => {
  const text = JSON.stringify({ total_revenue: 50000.0, total_users: 1000 });
  test('JSON sent as text/plain (what fetch sends for a string without a header) is a 422, as the core answers', async () => {
    for (const type of [undefined, 'text/plain', 'application/x-www-form-urlencoded']) {
      const init = { method: 'POST', body: text };
      if (type) init.headers = { 'content-type': type };
      const res = await fetch(server.url + '/metrics/arpu', init);
      assert.equal(res.status, 422, String(type));
      const [core] = coreAnswers([{ method: 'POST', path: '/metrics/arpu', content_type: type ?? 'text/plain;charset=UTF-8', body: text }]);
      assert.deepEqual(await res.json(), core.body);
      assert.equal(core.body.detail[0].type, 'model_attributes_type');
      assert.equal(core.body.detail[0].input, text);
    }
  });
  test('application/json with parameters and application/*+json are JSON', async () => {
    for (const type of ['application/json; charset=utf-8', 'Application/JSON', 'application/vnd.api+json']) {
      const res = await fetch(server.url + '/metrics/arpu', { method: 'POST', headers: { 'content-type': type }, body: text });
      assert.equal(res.status, 200, type);
      assert.equal((await res.json()).value, 50);
    }
  });
});
