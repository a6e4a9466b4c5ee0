// HTTP/1.1 as it arrives on the socket: keep-alive, pipelining, malformed requests, limits,
// slow and silent clients, and a graceful stop.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { connectionRefused, parseResponses, rawExchange, startServer } from './helpers.js';

const arpu = JSON.stringify({ total_revenue: 50000.0, total_users: 1000, time_frame: 'monthly' });
const post = (body, extra = '') =>
  `POST /metrics/arpu HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;

describe('one server with short limits', () => {
  let server;
  before(async () => {
    server = await startServer({
      env: { MAX_BODY_BYTES: '1024', REQUEST_TIMEOUT: '0.6', KEEP_ALIVE_TIMEOUT: '0.4', LOG_LEVEL: 'info' },
    });
  });
  after(async () => {
    assert.equal((await server.stop()).code, 0);
  });

  test('keep-alive: several requests on one connection, pipelined', async () => {
    const requests = post(arpu) + 'GET /health HTTP/1.1\r\nHost: t\r\n\r\n' + post(arpu);
    const { text } = await rawExchange(server.port, requests, { timeout: 2000 });
    const responses = parseResponses(text);
    assert.equal(responses.length, 3, text);
    assert.deepEqual(responses.map((r) => r.status), [200, 200, 200]);
    assert.equal(JSON.parse(responses[0].body).value, 50);
    assert.equal(JSON.parse(responses[1].body).status, 'healthy');
    assert.ok(responses.every((r) => r.headers.connection !== 'close'));
  });

  test('keep-alive: an HTTP client agent reuses one connection', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set();
    for (let i = 0; i < 5; i++) {
      const status = await new Promise((resolve, reject) => {
        http.get(server.url + '/health', { agent }, (res) => {
          sockets.add(res.socket);
          res.resume();
          res.on('end', () => resolve(res.statusCode));
        }).on('error', reject);
      });
      assert.equal(status, 200);
    }
    agent.destroy();
    assert.equal(sockets.size, 1, 'five requests on one connection');
  });

  test('an idle connection is closed after KEEP_ALIVE_TIMEOUT', async () => {
    const { text, closed, elapsed } = await rawExchange(server.port, 'GET /health HTTP/1.1\r\nHost: t\r\n\r\n', {
      timeout: 3000,
    });
    assert.equal(parseResponses(text)[0].status, 200);
    assert.equal(closed, true);
    assert.ok(elapsed >= 300 && elapsed < 2000, `closed after ${elapsed} ms`);
  });

  test('a silent client is dropped', async () => {
    const { text, closed, elapsed } = await rawExchange(server.port, '', { timeout: 3000 });
    assert.equal(text, '');
    assert.equal(closed, true);
    assert.ok(elapsed < 2000, `closed after ${elapsed} ms`);
  });

  test('a slow client cannot hold the connection past REQUEST_TIMEOUT', async () => {
    // One header byte every 100 ms: each byte would reset an idle timer, not the request deadline.
    const steps = [...'GET /health HTTP/1.1\r\nHost: t\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n'].map((c) => [100, c]);
    const { text, closed, elapsed } = await rawExchange(server.port, steps, { timeout: 5000 });
    // A request begun and not finished in time is told so (408) before the connection closes.
    const [res] = parseResponses(text);
    assert.equal(res?.status, 408, text);
    assert.equal(res.headers.connection, 'close');
    assert.equal(closed, true);
    assert.ok(elapsed < 1500, `closed after ${elapsed} ms`);
    // Meanwhile the server answers others.
    assert.equal((await fetch(server.url + '/health')).status, 200);
  });

  test('malformed HTTP is a 400 and the connection closes', async () => {
    for (const garbage of ['GARBAGE\r\n\r\n', 'GET /health HTTP/9.9\r\n\r\n', 'GET /health HTTP/1.1\r\nBad Header\r\n\r\n',
      'POST /metrics/arpu HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n']) {
      const { text, closed } = await rawExchange(server.port, garbage, { timeout: 3000 });
      const [res] = parseResponses(text);
      assert.equal(res?.status, 400, `${JSON.stringify(garbage)} -> ${text}`);
      assert.equal(res.headers.connection, 'close');
      assert.deepEqual(JSON.parse(res.body), { detail: 'Malformed HTTP request.' });
      assert.equal(closed, true);
    }
  });

  test('a body over MAX_BODY_BYTES is a 413, announced or chunked', async () => {
    const big = 'x'.repeat(2000);
    const res = await fetch(server.url + '/metrics/arpu', { method: 'POST', body: big });
    assert.equal(res.status, 413);
    assert.match((await res.json()).detail, /larger than 1024 bytes/);

    const chunked = 'POST /metrics/arpu HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '200\r\n' + 'y'.repeat(0x200) + '\r\n' + '200\r\n' + 'y'.repeat(0x200) + '\r\n' + '200\r\n' + 'y'.repeat(0x200) + '\r\n0\r\n\r\n';
    const { text } = await rawExchange(server.port, chunked, { timeout: 3000 });
    assert.equal(parseResponses(text)[0]?.status, 413, text);

    const fits = await fetch(server.url + '/metrics/arpu', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: arpu + ' '.repeat(1024 - arpu.length),
    });
    assert.equal(fits.status, 200);
  });

  test('header fields too large are a 431', async () => {
    const { text } = await rawExchange(server.port, `GET /health HTTP/1.1\r\nHost: t\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`);
    assert.equal(parseResponses(text)[0]?.status, 431);
  });

  test('Expect: 100-continue gets its interim answer', async () => {
    const head = `POST /metrics/arpu HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: ${arpu.length}\r\nExpect: 100-continue\r\n\r\n`;
    const { text } = await rawExchange(server.port, [[0, head], [200, arpu]], { timeout: 1500 });
    assert.match(text, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK/);
  });

  test('HTTP/1.0 without keep-alive is answered and closed', async () => {
    const { text, closed } = await rawExchange(server.port, 'GET /health HTTP/1.0\r\n\r\n', { timeout: 2000 });
    assert.match(text, /^HTTP\/1\.0 200 OK/);
    assert.equal(closed, true);
  });
});

describe('graceful stop', () => {
  test('stops promptly with exit 0 whatever it is doing, idle or under load, every time', async () => {
    for (let i = 0; i < 12; i++) {
      const server = await startServer({ env: { API_WORKERS: String(1 + (i % 2)), LOG_LEVEL: 'warning' } });
      let load = null;
      if (i % 3 !== 0) {
        const started = Date.now();
        load = Promise.all(Array.from({ length: 20 }, async () => {
          while (Date.now() - started < 1000) {
            try {
              await (await fetch(server.url + '/health')).arrayBuffer();
            } catch {
              return;  // the server stopped
            }
          }
        }));
      }
      await new Promise((r) => setTimeout(r, 30 + 37 * i));
      const stoppedAt = Date.now();
      // One SIGTERM (stop() sends it): a second one is a forced stop, whose status is 1 while
      // requests are in flight.
      const { code } = await server.stop('SIGTERM');
      assert.equal(code, 0, `run ${i}: did not exit by itself`);
      assert.ok(Date.now() - stoppedAt < 2000, `run ${i}: took ${Date.now() - stoppedAt} ms to stop`);
      await load;
    }
  });

  for (const signal of ['SIGTERM', 'SIGINT']) {
    test(`${signal}: the request in flight completes, idle connections close, exit 0`, async () => {
      const server = await startServer({ env: { REQUEST_TIMEOUT: '5' } });
      // A request whose body is still arriving when the signal comes.
      const head = `POST /metrics/arpu HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: ${arpu.length}\r\n\r\n`;
      const inFlight = rawExchange(server.port, [[0, head + arpu.slice(0, 10)], [400, arpu.slice(10)]], { timeout: 4000 });
      const idle = rawExchange(server.port, 'GET /health HTTP/1.1\r\nHost: t\r\n\r\n', { timeout: 4000 });
      await new Promise((r) => setTimeout(r, 150));
      server.proc.kill(signal);
      await server.waitForLine((l) => l.event === 'stopping');
      const [flight, idleResult] = await Promise.all([inFlight, idle]);
      const [answer] = parseResponses(flight.text);
      assert.equal(answer?.status, 200, flight.text);
      assert.equal(JSON.parse(answer.body).value, 50);
      assert.equal(answer.headers.connection, 'close');
      assert.equal(parseResponses(idleResult.text)[0].status, 200);
      assert.equal(idleResult.closed, true);
      assert.ok(idleResult.elapsed < 1500, `idle connection closed after ${idleResult.elapsed} ms`);
      const { code } = await server.stop();
      assert.equal(code, 0);
      assert.equal(await connectionRefused(server.port), true);
    });
  }
});
