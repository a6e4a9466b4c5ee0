// A server no request can exhaust (issue 15), against a live pmkpi-server: heavy work off the I/O
// threads with /health still answered, bounded queue, compute deadline, cancellation on disconnect,
// connection and buffered-body caps, a bounded stop, HTTP conformance, and access control.
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';

import { parseResponses, postJson, rawExchange, startServer } from './helpers.js';

// A single forecast of 4,000 points, 365 periods ahead (0.1 s of CPU or more).
const series = Array.from({ length: 4000 }, (_, i) => 100 + 10 * Math.sin(i / 5) + (i % 7) + i * 0.01);
const heavy = JSON.stringify({ metric_name: 'mrr', historical_values: series, periods_ahead: 365 });
// 25 series of 4,000 points (the bulk cap), 365 ahead: the most expensive valid bulk request (about 0.5 s).
const bulk = JSON.stringify({
  data: Object.fromEntries(Array.from({ length: 25 }, (_, k) => [`m${k}`, series.map((v, i) => v + ((i * k) % 11))])),
  periods_ahead: 365,
});
const arpu = '{"total_revenue": 50000.0, "total_users": 1000, "time_frame": "monthly"}';

function heavyRaw(close = false) {
  return `POST /predict/metric HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: ${heavy.length}\r\n` +
    `${close ? 'Connection: close\r\n' : ''}\r\n${heavy}`;
}

describe('heavy requests compute apart from the I/O threads', () => {
  test('/health stays answered while clients send the most expensive requests as fast as they can', async () => {
    const server = await startServer({ env: { API_WORKERS: '1', COMPUTE_WORKERS: '1', LOG_LEVEL: 'warning' } });
    try {
      const until = Date.now() + 3000;
      const statuses = [];
      const attackers = Array.from({ length: 4 }, async () => {
        while (Date.now() < until) {
          const res = await postJson(server.url, '/predict/metric', heavy);
          statuses.push(res.status);
          await res.arrayBuffer();
        }
      });
      const latencies = [];
      await new Promise((r) => setTimeout(r, 200));
      while (Date.now() < until) {
        const t = performance.now();
        const res = await fetch(server.url + '/health');
        assert.equal(res.status, 200);
        await res.arrayBuffer();
        latencies.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 20));
      }
      await Promise.all(attackers);
      latencies.sort((a, b) => a - b);
      const worst = latencies[latencies.length - 1];
      // Generous for a busy CI machine; before issue 15 one forecast held /health for its whole duration.
      assert.ok(worst < 400, `/health took up to ${worst.toFixed(1)} ms under attack`);
      assert.ok(statuses.includes(200), `forecasts answered ${[...new Set(statuses)]}`);
      assert.ok(statuses.every((s) => s === 200 || s === 503), `forecasts answered ${[...new Set(statuses)]}`);
    } finally {
      await server.stop();
    }
  });

  test('a full compute queue is a 503 with Retry-After, and metric routes still answer', async () => {
    const server = await startServer({ env: { COMPUTE_WORKERS: '1', COMPUTE_QUEUE: '0', LOG_LEVEL: 'warning' } });
    try {
      const answers = await Promise.all(Array.from({ length: 4 }, () => postJson(server.url, '/predict/metric', heavy)));
      const busy = answers.filter((r) => r.status === 503);
      assert.ok(busy.length >= 1, `statuses ${answers.map((r) => r.status)}`);
      assert.equal(busy[0].headers.get('retry-after'), '1');
      assert.match((await busy[0].json()).detail, /retry shortly/);
      assert.ok(answers.some((r) => r.status === 200));
      assert.equal((await postJson(server.url, '/metrics/arpu', arpu)).status, 200);
    } finally {
      await server.stop();
    }
  });

  test('COMPUTE_TIMEOUT answers 503 and closes', async () => {
    const server = await startServer({ env: { COMPUTE_TIMEOUT: '0.05', LOG_LEVEL: 'warning' } });
    try {
      const res = await postJson(server.url, '/predict/bulk', bulk);
      assert.equal(res.status, 503);
      assert.match((await res.json()).detail, /COMPUTE_TIMEOUT/);
      assert.equal(res.headers.get('connection'), 'close');
      await server.waitForLine((l) => l.event === 'compute_timeout');
    } finally {
      await server.stop();
    }
  });

  test('a client that leaves cancels its work', async () => {
    const server = await startServer({ env: { COMPUTE_WORKERS: '1' } });
    try {
      // Two requests: the second waits in the queue; both clients leave at once.
      for (let i = 0; i < 2; i++) {
        const socket = net.connect(server.port, '127.0.0.1');
        socket.on('error', () => {});
        socket.on('connect', () => {
          socket.write(heavyRaw());
          setTimeout(() => socket.destroy(), 30);
        });
      }
      const gone = await server.waitForLine((l) => l.event === 'client_gone');
      assert.match(gone.request_id, /^[0-9a-f]{32}$/);
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(server.lines.filter((l) => l.event === 'client_gone').length, 2);
      assert.equal((await fetch(server.url + '/health')).status, 200);
    } finally {
      await server.stop();
    }
  });
});

describe('a computation whose client left stops', () => {
  const small = JSON.stringify({ metric_name: 'mrr', historical_values: [1, 2, 3, 4, 5, 6, 7, 8], periods_ahead: 3 });

  test('at its next model fit, so the one compute thread is free for the next request', async () => {
    const server = await startServer({ env: { COMPUTE_WORKERS: '1' } });
    try {
      // Calibrate on this machine: the whole bulk request, answered.
      let t = performance.now();
      assert.equal((await postJson(server.url, '/predict/bulk', bulk)).status, 200);
      const whole = performance.now() - t;
      // The same request, its client gone a quarter of the way in; then a small forecast on the same thread.
      const socket = net.connect(server.port, '127.0.0.1');
      socket.on('error', () => {});
      socket.on('connect', () => {
        socket.write(`POST /predict/bulk HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: ${bulk.length}\r\n\r\n${bulk}`);
        setTimeout(() => socket.destroy(), whole / 4);
      });
      await server.waitForLine((l) => l.event === 'client_gone');
      t = performance.now();
      assert.equal((await postJson(server.url, '/predict/metric', small)).status, 200);
      const next = performance.now() - t;
      // Before cancellation reached the core, the small request waited for the whole bulk one.
      assert.ok(next < whole / 2, `the next request took ${next.toFixed(0)} ms; the whole bulk request ${whole.toFixed(0)} ms`);
    } finally {
      await server.stop();
    }
  });
});

describe('bounded memory', () => {
  test('past MAX_CONNECTIONS a new connection is answered 503 and closed', async () => {
    const server = await startServer({ env: { MAX_CONNECTIONS: '2', LOG_LEVEL: 'warning' } });
    const held = [];
    try {
      for (let i = 0; i < 2; i++) {
        const s = net.connect(server.port, '127.0.0.1');
        s.on('error', () => {});
        await new Promise((r) => s.on('connect', r));
        held.push(s);
      }
      await new Promise((r) => setTimeout(r, 50));
      const { text, closed } = await rawExchange(server.port, 'GET /health HTTP/1.1\r\nHost: t\r\n\r\n', { timeout: 3000 });
      const [res] = parseResponses(text);
      assert.equal(res?.status, 503, text);
      assert.equal(res.headers['retry-after'], '1');
      assert.equal(closed, true);
      for (const s of held) s.destroy();
      await new Promise((r) => setTimeout(r, 100));
      assert.equal((await fetch(server.url + '/health')).status, 200);
    } finally {
      for (const s of held) s.destroy();
      await server.stop();
    }
  });

  test('past MAX_BUFFERED_BYTES a body is refused with 503 before it is read', async () => {
    const server = await startServer({ env: { MAX_BUFFERED_BYTES: '100000', LOG_LEVEL: 'warning' } });
    try {
      // One half-sent body holds 90,000 bytes of the budget; the next one does not fit.
      const holder = rawExchange(server.port, 'POST /predict/metric HTTP/1.1\r\nHost: t\r\nContent-Length: 90000\r\n\r\n{', { timeout: 600 });
      await new Promise((r) => setTimeout(r, 100));
      const { text } = await rawExchange(server.port, 'POST /predict/metric HTTP/1.1\r\nHost: t\r\nContent-Length: 20000\r\n\r\n{', { timeout: 3000 });
      const [res] = parseResponses(text);
      assert.equal(res?.status, 503, text);
      assert.match(res.body, /too many request bodies/);
      await holder;
      await new Promise((r) => setTimeout(r, 100));  // the holder left: its bytes are released
      assert.equal((await postJson(server.url, '/predict/metric', JSON.stringify({ metric_name: 'x', historical_values: [1, 2, 3, 4] }))).status, 200);
    } finally {
      await server.stop();
    }
  });

  test('metric routes take kilobytes; list routes take megabytes', async () => {
    const server = await startServer({ env: { LOG_LEVEL: 'warning' } });
    try {
      const big = JSON.stringify({ total_revenue: 1, total_users: 1, padding: 'x'.repeat(70000) });
      const res = await postJson(server.url, '/metrics/arpu', big);
      assert.equal(res.status, 413);
      assert.match((await res.json()).detail, /65536 bytes, the limit of \/metrics\/arpu/);
      const list = JSON.stringify({ metric_name: 'x', historical_values: Array.from({ length: 20000 }, (_, i) => i + 0.5) });
      assert.ok(list.length > 65536);
      assert.equal((await postJson(server.url, '/analyze/pattern', list)).status, 200);
    } finally {
      await server.stop();
    }
  });
});

describe('bounded stop', () => {
  test('the drain deadline is enforced: the dropped request is logged and the exit status is 1', async () => {
    const server = await startServer({ env: { DRAIN_TIMEOUT: '0.2', COMPUTE_WORKERS: '1' } });
    // A request that computes well past the deadline: 800,000 points analysed (about 0.8 s of CPU;
    // forecasts fit a bounded recent window, so even the largest forecast is done too soon).
    const values = Array.from({ length: 800000 }, (_, i) => 100 + 10 * Math.sin(i / 5) + (i % 7));
    const long = JSON.stringify({ metric_name: 'mrr', historical_values: values });
    const raw = `POST /analyze/pattern HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${long.length}\r\n\r\n${long}`;
    const flight = rawExchange(server.port, raw, { timeout: 4000 });
    await new Promise((r) => setTimeout(r, 100));
    const t = Date.now();
    server.proc.kill('SIGTERM');
    const { code } = await server.exited;
    assert.equal(code, 1);
    assert.ok(Date.now() - t < 2000, `stopped in ${Date.now() - t} ms`);
    const dropped = server.lines.find((l) => l.event === 'request_dropped');
    assert.ok(dropped, JSON.stringify(server.lines));
    assert.equal(dropped.path, '/analyze/pattern');
    assert.equal(dropped.state, 'computing');
    await flight;
  });
});

describe('HTTP conformance', () => {
  let server;
  test('start', async () => {
    server = await startServer({ env: { LOG_LEVEL: 'info' } });
  });

  test('HTTP/1.1 without exactly one Host is a 400; HTTP/1.0 needs none', async () => {
    for (const head of ['GET /health HTTP/1.1\r\n\r\n', 'GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n']) {
      const [res] = parseResponses((await rawExchange(server.port, head, { timeout: 3000 })).text);
      assert.equal(res?.status, 400, head);
      assert.match(res.body, /exactly one Host/);
    }
    const { text } = await rawExchange(server.port, 'GET /health HTTP/1.0\r\n\r\n', { timeout: 3000 });
    assert.match(text, /^HTTP\/1\.0 200 OK/);
  });

  test('empty lines before the request line are ignored', async () => {
    const { text } = await rawExchange(server.port, '\r\n\r\nGET /health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n', { timeout: 3000 });
    assert.match(text, /^HTTP\/1\.1 200 OK/);
  });

  test('errors of the connection layer answer in the client\'s HTTP version', async () => {
    const { text } = await rawExchange(server.port, 'GET /health HTTP/1.0\r\nBad Header\r\n\r\n', { timeout: 3000 });
    assert.match(text, /^HTTP\/1\.0 400 Bad Request/);
    const big = await rawExchange(server.port, `GET /health HTTP/1.0\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`, { timeout: 3000 });
    assert.match(big.text, /^HTTP\/1\.0 431/);
  });

  test('X-Request-ID is taken or generated, returned and logged', async () => {
    const mine = await fetch(server.url + '/health', { headers: { 'x-request-id': 'trace-42' } });
    assert.equal(mine.headers.get('x-request-id'), 'trace-42');
    const made = await fetch(server.url + '/health');
    assert.match(made.headers.get('x-request-id'), /^[0-9a-f]{32}$/);
    await server.waitForLine((l) => l.event === 'access' && l.request_id === 'trace-42');
    await server.waitForLine((l) => l.event === 'access' && l.request_id === made.headers.get('x-request-id'));
  });

  test('stop', async () => {
    assert.equal((await server.stop()).code, 0);
  });
});

describe('access control', () => {
  test('API_KEYS: Bearer or X-API-Key, 401 otherwise; /health and the docs stay open', async () => {
    const server = await startServer({ env: { API_KEYS: 'k1,k2', LOG_LEVEL: 'warning' } });
    try {
      const refused = await postJson(server.url, '/metrics/arpu', arpu);
      assert.equal(refused.status, 401);
      assert.equal(refused.headers.get('www-authenticate'), 'Bearer');
      assert.equal((await postJson(server.url, '/metrics/arpu', arpu, { authorization: 'Bearer k2' })).status, 200);
      assert.equal((await postJson(server.url, '/metrics/arpu', arpu, { 'x-api-key': 'k1' })).status, 200);
      assert.equal((await postJson(server.url, '/metrics/arpu', arpu, { 'x-api-key': 'k3' })).status, 401);
      for (const open of ['/health', '/openapi.json', '/docs']) assert.equal((await fetch(server.url + open)).status, 200, open);
    } finally {
      await server.stop();
    }
  });

  test('RATE_LIMIT with a burst: 429 with Retry-After, per client', async () => {
    const server = await startServer({ env: { RATE_LIMIT: '0.5', RATE_BURST: '2', LOG_LEVEL: 'warning' } });
    try {
      assert.equal((await postJson(server.url, '/metrics/arpu', arpu)).status, 200);
      assert.equal((await postJson(server.url, '/metrics/arpu', arpu)).status, 200);
      const limited = await postJson(server.url, '/metrics/arpu', arpu);
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '2');
      assert.equal((await fetch(server.url + '/health')).status, 200);
    } finally {
      await server.stop();
    }
  });
});
