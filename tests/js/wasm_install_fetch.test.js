// installFetch: the spec's "Frontend Integration Examples" run unchanged against the in-process
// router, with no server listening on localhost:8000. Requests outside the base URL still go to the
// network. (The spec's React component runs in Chromium: tests/pack.) Needs npm run build:wasm.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';

import { installFetch } from '../../web/src/client/index.js';

// ---- the spec's JavaScript/Fetch example, verbatim ----------------------------------------------
async function calculateARPU(revenue, users) {
  const response = await fetch('http://localhost:8000/metrics/arpu', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      total_revenue: revenue,
      total_users: users,
      time_frame: 'monthly'
    })
  });
  
  const data = await response.json();
  console.log('ARPU:', data.value);
  console.log('Interpretation:', data.interpretation);
  return data;
}

// ---- a client class built on fetch, as frontends written for the REST API have them ----------------
class KPIClient {
  constructor(baseUrl = 'http://localhost:8000') {
    this.baseUrl = baseUrl;
  }

  async post(endpoint, payload) {
    const response = await fetch(`${this.baseUrl}${endpoint}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(payload),
    });
    const data = await response.json();
    if (!response.ok) {
      const message = Array.isArray(data.detail) ? data.detail.map((e) => e.msg).join('; ') : data.detail;
      throw new Error(`HTTP ${response.status}: ${message}`);
    }
    return data;
  }

  async health() {
    const response = await fetch(`${this.baseUrl}/health`);
    return response.json();
  }

  async listMetrics() {
    const response = await fetch(`${this.baseUrl}/metrics/list`);
    return response.json();
  }

  calculateChurn(customersLost, totalCustomers) {
    return this.post('/metrics/churn-rate', {
      customers_lost: customersLost,
      total_customers_at_start: totalCustomers,
    });
  }

  calculateNPS(promoters, passives, detractors) {
    return this.post('/metrics/nps', { promoters, passives, detractors });
  }
}

async function nothingListensOn8000() {
  const original = globalThis.fetch;
  return original('http://localhost:8000/health').then(() => false, () => true);
}

describe('installFetch({ baseUrl: "http://localhost:8000" })', () => {
  let uninstall;
  let logged;
  const originalFetch = globalThis.fetch;
  const originalLog = console.log;

  before(async () => {
    assert.ok(await nothingListensOn8000(), 'these tests need localhost:8000 to be free: they prove no server is used');
    uninstall = installFetch({ baseUrl: 'http://localhost:8000' });
  });
  after(() => {
    uninstall();
    console.log = originalLog;
  });

  test("the spec's JavaScript/Fetch example gets the spec's values", async () => {
    logged = [];
    console.log = (...args) => logged.push(args.join(' '));
    let data;
    try {
      data = await calculateARPU(50000.0, 1000);
    } finally {
      console.log = originalLog;
    }
    assert.equal(data.metric_name, 'ARPU');
    assert.equal(data.value, 50.0);
    assert.equal(data.unit, 'currency');
    assert.equal(data.benchmark, 'Varies by industry. SaaS: $50-500/month typical');
    assert.match(data.interpretation, /\$50\.00 per month/);
    assert.deepEqual(logged, ['ARPU: 50', `Interpretation: ${data.interpretation}`]);
  });

  test('a client class built on fetch works unchanged', async () => {
    const kpi = new KPIClient();
    const churn = await kpi.calculateChurn(50, 1000);
    assert.equal(churn.value, 5.0);
    assert.equal(churn.unit, 'percentage');
    const nps = await kpi.calculateNPS(500, 300, 200);
    assert.equal(nps.value, 30);
    assert.equal((await kpi.health()).status, 'healthy');
    assert.equal((await kpi.listMetrics()).total_metrics > 0, true);
    await assert.rejects(kpi.calculateChurn(-1, 1000), /HTTP 422: Input should be greater than or equal to 0/);
  });

  test('a Request object under the base URL is answered in-process too', async () => {
    const r = await fetch(new Request('http://localhost:8000/metrics/arpu', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ total_revenue: 50000.0, total_users: 1000 }),
    }));
    assert.equal((await r.json()).value, 50.0);
  });

  describe('requests elsewhere go to the original fetch', () => {
    let server;
    let port;
    before(async () => {
      server = createServer((req, res) => res.end(`real server: ${req.method} ${req.url}`));
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = server.address().port;
    });
    after(() => server.close());

    test('another origin reaches the network', async () => {
      const r = await fetch(`http://127.0.0.1:${port}/metrics/arpu`, { method: 'POST', body: '{}' });
      assert.equal(await r.text(), 'real server: POST /metrics/arpu');
    });

    test('the same host on another port is another origin', async () => {
      await assert.rejects(fetch('http://localhost:8001/metrics/list'), TypeError); // connection refused
    });

    test('a relative URL (no document in Node) is left to the original fetch, which rejects it', async () => {
      await assert.rejects(fetch('/metrics/list'), TypeError);
    });
  });

  test('uninstall puts the original fetch back', () => {
    assert.notEqual(globalThis.fetch, originalFetch);
    const nested = installFetch({ baseUrl: 'http://kpi.internal' });
    nested();
    assert.notEqual(globalThis.fetch, originalFetch); // the outer one is still installed
  });
});

test('after uninstall, localhost:8000 is the network again', async () => {
  const uninstall = installFetch({ baseUrl: 'http://localhost:8000' });
  assert.equal((await (await fetch('http://localhost:8000/health')).json()).status, 'healthy');
  const installed = globalThis.fetch;
  uninstall();
  assert.notEqual(globalThis.fetch, installed);
  await assert.rejects(fetch('http://localhost:8000/health'), TypeError);
});

test('a base URL with a path prefix answers only below it', async () => {
  const uninstall = installFetch({ baseUrl: 'https://api.example.com/v2' });
  try {
    const r = await fetch('https://api.example.com/v2/metrics/nps', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ promoters: 500, passives: 300, detractors: 200 }),
    });
    assert.equal((await r.json()).value, 30);
  } finally {
    uninstall();
  }
});

test('installFetch without a baseUrl is a TypeError', () => {
  assert.throws(() => installFetch({}), TypeError);
});
