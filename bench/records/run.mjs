// bench/records: 1,000,000 subscription rows (hundreds of thousands of customers over 48 months, with
// upgrades, downgrades, trials and returns), end to end from CSV text to the JSON answer, native; and
// DuckDB (node API) computing the same periods from the same CSV in the same run.
//   node bench/records/run.mjs [ROWS] [--browser]   (needs build/pmkpi_records_bench; run once, not in loops)
// --browser: also the WebAssembly client in headless Chromium on the same file (npm run build:wasm first).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { duckdbPeriods } from '../../tests/js/records_duckdb_sql.mjs';
import { recordsInChromium } from '../client_page.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const rows = Number(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 1000000);
const file = join(mkdtempSync(join(tmpdir(), 'pmkpi-records-bench-')), 'subscriptions.csv');
execFileSync('python3', [join(root, 'bench/records/generate.py'), file, String(rows)]);
const mib = statSync(file).size / 1048576;

const native = JSON.parse(
  execFileSync(join(root, 'build/pmkpi_records_bench'), [file, 'rates=%7B%22EUR%22%3A1.08%7D']).toString(),
);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const periods = await duckdbPeriods(file);
const duck = (performance.now() - t0) / 1000;
const cpu1 = process.cpuUsage(cpu0);
const duckCpu = (cpu1.user + cpu1.system) / 1e6;  // DuckDB runs its threads in this process

const verdict = (ok) => (ok ? 'met' : 'MISSED');
console.log(`records bench: ${rows.toLocaleString('en')} rows, ${mib.toFixed(1)} MiB of CSV, ${periods.length} months`);
console.log(`| figure | measured | target | |`);
console.log(`|---|---|---|---|`);
console.log(`| native, CSV text -> JSON (wall) | ${native.seconds.toFixed(2)} s | < 1.5 s | ${verdict(native.seconds < 1.5)} |`);
console.log(`| native, CPU time | ${native.cpu_seconds.toFixed(2)} s | | |`);
console.log(`| native peak RSS | ${native.peak_rss_mib.toFixed(0)} MiB | < 1024 MiB | ${verdict(native.peak_rss_mib < 1024)} |`);
console.log(`| DuckDB (node API), same periods | ${duck.toFixed(2)} s | slower than pmkpi | ${verdict(duck > native.seconds)} |`);
console.log(`| DuckDB CPU time | ${duckCpu.toFixed(2)} s | | |`);
console.log(`| ratio DuckDB / pmkpi (wall, CPU) | ${(duck / native.seconds).toFixed(1)}x, ${(duckCpu / native.cpu_seconds).toFixed(1)}x | > 1 | |`);
if (process.argv.includes('--browser')) {
  const page = await recordsInChromium(file, '/records/subscriptions?rates=%7B%22EUR%22%3A1.08%7D');
  console.log(`| WebAssembly in Chromium, CSV text -> JSON | ${page.seconds.toFixed(2)} s | < 4 s | ${verdict(page.seconds < 4)} |`);
}
