// CORS as a browser needs it, for the default (*) and for a list of origins.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { postJson, startServer } from './helpers.js';

const preflight = (url, origin, headers = 'content-type') =>
  fetch(url + '/metrics/arpu', {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers },
  });

describe('CORS_ORIGINS=* (the default)', () => {
  let server;
  before(async () => (server = await startServer()));
  after(async () => server.stop());

  test('the preflight allows any origin, the methods and the requested headers', async () => {
    const res = await preflight(server.url, 'https://anywhere.example', 'content-type, x-request-id');
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.match(res.headers.get('access-control-allow-methods'), /POST/);
    assert.equal(res.headers.get('access-control-allow-headers'), 'content-type, x-request-id');
    assert.ok(Number(res.headers.get('access-control-max-age')) > 0);
  });

  test('every answer carries Access-Control-Allow-Origin: *, errors included', async () => {
    const ok = await postJson(server.url, '/metrics/arpu', { total_revenue: 1, total_users: 1 }, { origin: 'https://a.example' });
    assert.equal(ok.headers.get('access-control-allow-origin'), '*');
    const bad = await postJson(server.url, '/metrics/arpu', {}, { origin: 'https://a.example' });
    assert.equal(bad.status, 422);
    assert.equal(bad.headers.get('access-control-allow-origin'), '*');
    const missing = await fetch(server.url + '/nowhere', { headers: { origin: 'https://a.example' } });
    assert.equal(missing.headers.get('access-control-allow-origin'), '*');
  });
});

describe('CORS_ORIGINS with a list', () => {
  let server;
  before(async () => (server = await startServer({ env: { CORS_ORIGINS: 'https://ui.example.com, http://localhost:5173' } })));
  after(async () => server.stop());

  test('an allowed origin is echoed, with Vary: Origin', async () => {
    const res = await preflight(server.url, 'http://localhost:5173');
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.match(res.headers.get('vary'), /Origin/);
    const answer = await postJson(server.url, '/metrics/arpu', { total_revenue: 1, total_users: 1 }, { origin: 'https://ui.example.com' });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('access-control-allow-origin'), 'https://ui.example.com');
    assert.match(answer.headers.get('vary'), /Origin/);
  });

  test('a disallowed origin gets no CORS header', async () => {
    const res = await preflight(server.url, 'https://evil.example');
    assert.equal(res.status, 400);
    for (const [name] of res.headers) assert.doesNotMatch(name, /^access-control-/);
    const answer = await postJson(server.url, '/metrics/arpu', { total_revenue: 1, total_users: 1 }, { origin: 'https://evil.example' });
    assert.equal(answer.status, 200);
    for (const [name] of answer.headers) assert.doesNotMatch(name, /^access-control-/);
  });
});
