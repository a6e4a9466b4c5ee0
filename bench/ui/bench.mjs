// UI budgets in headless Chromium (Debian's, via playwright-core), on the built app (dist/app):
//  - time from navigation to the first computed result: the ARPU page opened with the spec's
//    example in its URL computes on load; the moment its value appears is read in the page
//    (performance.now(), whose origin is the navigation start). Target: 1 s.
//  - the first load's transfer: every file the page fetched, gzipped here (level 6, what web servers
//    use by default) since the benchmark's static server does not compress. Target: 500 KB.
// Each run uses a fresh browser context (empty cache). Usage: node bench/ui/bench.mjs [runs]
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CHROMIUM, requireBuiltApp, serveStatic } from '../../tests/e2e/harness.mjs';
import { CHROMIUM_ARGS } from '../../tests/support/chromium.mjs';

const RUNS = Number(process.argv[2] ?? process.env.BENCH_RUNS ?? 10);
const TARGET_MS = 1000;
const TARGET_KB = 500;
const ARPU = '#/metric/arpu?total_revenue=50000&total_users=1000&time_frame=monthly';
const FORECAST = '#/forecast?metric_name=churn_rate&historical_values=5,4.8,4.5,4.3,4,3.8,3.5&periods_ahead=3';

function firstAppearance(selector) {
  // runs in the page before any script: note when `selector` first exists
  return `(() => {
    const mark = () => { if (!window.__seen && document.querySelector(${JSON.stringify(selector)})) window.__seen = performance.now(); };
    new MutationObserver(mark).observe(document, { childList: true, subtree: true });
    window.__shifts = 0;
    new PerformanceObserver((l) => { for (const e of l.getEntries()) if (!e.hadRecentInput) window.__shifts += e.value; })
      .observe({ type: 'layout-shift', buffered: true });
  })();`;
}

async function measure(browser, server, hash, selector) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
  const page = await context.newPage();
  await page.addInitScript(firstAppearance(selector));
  server.served.length = 0;
  await page.goto(server.url + hash);
  await page.waitForSelector(selector, { timeout: 20000 });
  await page.waitForTimeout(100);
  const result = await page.evaluate(() => ({
    seen: window.__seen,
    cls: window.__shifts,
    domContentLoaded: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd,
    value: document.querySelector('#result .result-value')?.textContent ?? null,
  }));
  const files = server.served.map((f) => ({ path: f.path, bytes: f.bytes, gzip: gzipSync(readFileSync(f.file), { level: 6 }).length }));
  await context.close();
  return { ...result, files };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (bytes) => (bytes / 1024).toFixed(1);

requireBuiltApp();
const server = await serveStatic();
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: [...CHROMIUM_ARGS],
});
try {
  await measure(browser, server, ARPU, '#result .result-value'); // warm-up (the OS file cache, Chromium's processes)
  const arpu = [];
  const forecast = [];
  for (let i = 0; i < RUNS; ++i) {
    arpu.push(await measure(browser, server, ARPU, '#result .result-value'));
    forecast.push(await measure(browser, server, FORECAST, '#forecast-chart canvas'));
  }
  if (arpu.some((r) => r.value !== '$50.00')) throw new Error(`ARPU page computed ${arpu.map((r) => r.value)} instead of $50.00`);
  const first = arpu[0].files;
  const gzipTotal = first.reduce((a, f) => a + f.gzip, 0);
  const rawTotal = first.reduce((a, f) => a + f.bytes, 0);
  const firstResult = arpu.map((r) => r.seen);
  const chart = forecast.map((r) => r.seen);
  const chartFiles = forecast[0].files.reduce((a, f) => a + f.gzip, 0);

  console.log(`UI budgets, ${RUNS} runs, headless Chromium ${browser.version()}, fresh context (empty cache) per run\n`);
  console.log('| measure | median | worst | target |');
  console.log('|---|---|---|---|');
  console.log(`| navigation -> first computed result (ARPU from the URL) | ${median(firstResult).toFixed(0)} ms | ${Math.max(...firstResult).toFixed(0)} ms | < ${TARGET_MS} ms |`);
  console.log(`| navigation -> forecast chart drawn (churn example) | ${median(chart).toFixed(0)} ms | ${Math.max(...chart).toFixed(0)} ms | - |`);
  console.log(`| cumulative layout shift (ARPU page) | ${median(arpu.map((r) => r.cls)).toFixed(4)} | ${Math.max(...arpu.map((r) => r.cls)).toFixed(4)} | < 0.1 |`);
  console.log(`| first load, gzipped (every file fetched) | ${kb(gzipTotal)} KB | | < ${TARGET_KB} KB |`);
  console.log(`| first load, uncompressed | ${kb(rawTotal)} KB | | - |`);
  console.log(`| forecast page load incl. the chart library, gzipped | ${kb(chartFiles)} KB | | - |`);
  console.log('\nFiles of the first load:');
  for (const f of first) console.log(`  ${f.path.padEnd(48)} ${kb(f.bytes).padStart(8)} KB  gzip ${kb(f.gzip).padStart(7)} KB`);
  const ok = median(firstResult) < TARGET_MS && gzipTotal / 1024 < TARGET_KB;
  console.log(`\n${ok ? 'Within' : 'OVER'} budget.`);
  process.exitCode = ok ? 0 : 1;
} finally {
  await browser.close();
  await server.close();
}
