// Budgets of the WebAssembly client, measured (npm run bench:wasm, after npm run build:wasm):
//   size      .wasm + Emscripten glue, gzip -9          budget < 300 KB
//   ready     createClient() until usable, in Node       budget < 50 ms
//             (a fresh Node process per sample, from the import of the client to a usable client;
//              beside it: to the first ARPU answer, the first client.metrics access, and a fresh
//              module instance inside a warm process)
//   fetch     await (await client.fetch(...)).json()   budget < 30 us median
//             on the spec's ARPU example: the figure a caller sees (beside it: client.fetch alone,
//             budget < 20 us, the direct embind call, and client.metrics.arpu)
// The per-request figures are also taken in headless Chromium, where Response is cheaper than in
// Node's undici. Prints a table and, with --json, one JSON object.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { withClientPage } from '../client_page.mjs';

const run = promisify(execFile);
const generated = new URL('../../web/src/client/generated/', import.meta.url);
const clientUrl = new URL('../../web/src/client/index.js', import.meta.url);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ---- size ----------------------------------------------------------------------------------------
const gz = (file) => gzipSync(readFileSync(new URL(file, generated)), { level: 9 }).length;
const raw = (file) => readFileSync(new URL(file, generated)).length;
const size = {
  wasm_bytes: raw('pmkpi-core.wasm'),
  glue_bytes: raw('pmkpi-core.js'),
  wasm_gzip: gz('pmkpi-core.wasm'),
  glue_gzip: gz('pmkpi-core.js'),
  client_gzip: gzipSync(readFileSync(clientUrl), { level: 9 }).length,
  // the records module, loaded on the first /records/* request (the Import page's Workers)
  records_gzip: gz('pmkpi-records.wasm') + gz('pmkpi-records.js'),
};
size.total_gzip = size.wasm_gzip + size.glue_gzip;

// ---- ready time ----------------------------------------------------------------------------------
const PROCESS_SAMPLES = 15;
const probe = `
  const t0 = performance.now();
  const { createClient } = await import(${JSON.stringify(clientUrl.href)});
  const client = await createClient();
  const ready = performance.now() - t0;
  const r = await client.fetch('/metrics/arpu', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: '{"total_revenue": 50000.0, "total_users": 1000, "time_frame": "monthly"}' });
  if ((await r.json()).value !== 50) throw new Error('wrong answer');
  const first = performance.now() - t0;
  const t1 = performance.now();
  const count = Object.keys(client.metrics).length;
  const metrics = performance.now() - t1;
  console.log(JSON.stringify({ ready, first, metrics, count }));`;
const freshProcess = [];
for (let i = 0; i < PROCESS_SAMPLES; ++i) {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', probe]);
  freshProcess.push(JSON.parse(stdout));
}

// A fresh instance in this (warm) process: what a second client with its own wasmBinary costs.
const { createClient } = await import(clientUrl.href);
const wasmBinary = readFileSync(new URL('pmkpi-core.wasm', generated));
const freshInstance = [];
for (let i = 0; i < PROCESS_SAMPLES; ++i) {
  const t0 = performance.now();
  await createClient({ wasmBinary: new Uint8Array(wasmBinary) }); // a new key: a new instance
  freshInstance.push(performance.now() - t0);
}

// ---- per-request cost ----------------------------------------------------------------------------
const client = await createClient();
const { default: createPmkpiCore } = await import(new URL('pmkpi-core.js', generated).href);
const core = await createPmkpiCore();
const ARPU = JSON.stringify({ total_revenue: 50000.0, total_users: 1000, time_frame: 'monthly' });
const init = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: ARPU };

/** Median over rounds of the mean time per call in microseconds (each round: `calls` calls). */
async function perCall(fn, rounds = 60, calls = 250) {
  for (let i = 0; i < 2000; ++i) await fn(); // warm-up: JIT tiers, allocator
  const means = [];
  for (let r = 0; r < rounds; ++r) {
    const t0 = performance.now();
    for (let i = 0; i < calls; ++i) await fn();
    means.push(((performance.now() - t0) * 1000) / calls);
  }
  return median(means);
}

const direct = await perCall(() => core._handle('POST', '/metrics/arpu', ARPU));
const fetchOnly = await perCall(() => client.fetch('/metrics/arpu', init));
const fetchJson = await perCall(async () => (await client.fetch('http://localhost:8000/metrics/arpu', init)).json());
const metrics = await perCall(() => client.metrics.arpu({ total_revenue: 50000.0, total_users: 1000, time_frame: 'monthly' }));

// ---- the same in headless Chromium (for comparison; skip with --no-browser) ------------------------
async function inChromium() {
  return withClientPage((page) =>
    page.evaluate(async (body) => {
      const t0 = performance.now();
      const { createClient } = await import('/index.js');
      const client = await createClient();
      const ready = performance.now() - t0;
      const init = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body };
      const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
      const perCall = async (fn) => {
        for (let i = 0; i < 2000; ++i) await fn();
        const means = [];
        for (let r = 0; r < 40; ++r) {
          const t = performance.now();
          for (let i = 0; i < 250; ++i) await fn();
          means.push(((performance.now() - t) * 1000) / 250);
        }
        return median(means);
      };
      return {
        ready_ms: ready,
        client_fetch_us: await perCall(() => client.fetch('/metrics/arpu', init)),
        client_fetch_and_json_us: await perCall(async () => (await client.fetch('/metrics/arpu', init)).json()),
      };
    }, ARPU));
}
const chromiumResult = process.argv.includes('--no-browser') ? null : await inChromium();

// ---- report --------------------------------------------------------------------------------------
const result = {
  node: process.version,
  size,
  ready_ms: {
    fresh_process_median: median(freshProcess.map((p) => p.ready)),
    fresh_process_max: Math.max(...freshProcess.map((p) => p.ready)),
    first_answer_median: median(freshProcess.map((p) => p.first)),
    first_metrics_access_median: median(freshProcess.map((p) => p.metrics)),
    fresh_instance_median: median(freshInstance),
  },
  arpu_us: { direct_binding: direct, client_fetch: fetchOnly, client_fetch_and_json: fetchJson, client_metrics: metrics },
  chromium: chromiumResult,
};

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(result));
} else {
  const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
  const verdict = (ok) => (ok ? 'within budget' : 'OVER BUDGET');
  const rows = [
    ['.wasm + glue, gzip -9', kb(size.total_gzip), '< 300 KB', verdict(size.total_gzip < 300 * 1024)],
    ['  .wasm (raw / gzip)', `${kb(size.wasm_bytes)} / ${kb(size.wasm_gzip)}`, '', ''],
    ['  glue (raw / gzip)', `${kb(size.glue_bytes)} / ${kb(size.glue_gzip)}`, '', ''],
    ['  client index.js (gzip)', kb(size.client_gzip), '', ''],
    ['records module (.wasm + glue, gzip -9), loaded on the first /records/* request', kb(size.records_gzip), '-', ''],
    [`createClient() ready, fresh process (median of ${PROCESS_SAMPLES})`, `${result.ready_ms.fresh_process_median.toFixed(1)} ms`, '< 50 ms', verdict(result.ready_ms.fresh_process_median < 50)],
    ['  worst fresh process', `${result.ready_ms.fresh_process_max.toFixed(1)} ms`, '', ''],
    ['  import to first ARPU answer, fresh process (median)', `${result.ready_ms.first_answer_median.toFixed(1)} ms`, '', ''],
    ['  first client.metrics access (builds it from the catalog)', `${result.ready_ms.first_metrics_access_median.toFixed(1)} ms`, '', ''],
    ['  fresh instance in a warm process (median)', `${result.ready_ms.fresh_instance_median.toFixed(1)} ms`, '', ''],
    ['await (await client.fetch(ARPU)).json() (median)', `${fetchJson.toFixed(2)} us`, '< 30 us', verdict(fetchJson < 30)],
    ['  client.fetch alone', `${fetchOnly.toFixed(2)} us`, '< 20 us', verdict(fetchOnly < 20)],
    ['  direct binding call _handle', `${direct.toFixed(2)} us`, '', ''],
    ['  client.metrics.arpu()', `${metrics.toFixed(2)} us`, '', ''],
  ];
  if (chromiumResult) {
    rows.push(
      ['headless Chromium: createClient() ready (page, warm cache)', `${chromiumResult.ready_ms.toFixed(1)} ms`, '', ''],
      ['headless Chromium: client.fetch ARPU (median)', `${chromiumResult.client_fetch_us.toFixed(2)} us`, '', ''],
      ['headless Chromium: client.fetch + response.json()', `${chromiumResult.client_fetch_and_json_us.toFixed(2)} us`, '', ''],
    );
  }
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => r[c].length)));
  console.log(`pmkpi WASM client, Node ${process.version}`);
  for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
}
