// Benchmark of the events engine (issue 10, item 7): 10,000,000 events (200,000 users over 90 days)
// as CSV text, answered by the native CLI (`pmkpi records events`: read, parse, compute, write the
// JSON) with its wall time and peak RSS; then DuckDB (node API) computing DAU/WAU/MAU, sessions and
// 7-day retention from the same CSV file in the same run.
//
//   node bench/records/events.mjs [EVENTS] [--browser]   (default 10,000,000; the CSV is cached in $TMPDIR)
// --browser: the same file through the WebAssembly client in headless Chromium, after the native run.
// Targets: native < 5 s and < 2 GiB peak RSS; pmkpi faster than DuckDB.
import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { DuckDBInstance } from '@duckdb/node-api';
import { mulberry32 } from '../../web/src/app/random.js';
import { recordsInChromium } from '../client_page.mjs';

const EVENTS = Number(process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 10_000_000);
const USERS = Math.max(1000, Math.round(EVENTS / 50));
const DAYS = 90;
const root = new URL('../../', import.meta.url);
const cli = process.env.PMKPI_CLI ?? fileURLToPath(new URL('build/pmkpi', root));
const csvPath = join(tmpdir(), `pmkpi-events-${EVENTS}.csv`);

// Events in time order (as exports come), users drawn with a heavy head, 12 event names.
async function generate() {
  const r = mulberry32(42);
  const names = ['page_view', 'session_start', 'click', 'search', 'add_to_cart', 'purchase', 'share', 'signup',
    'login', 'settings', 'invite', 'export'];
  const start = Date.UTC(2026, 0, 1);
  const span = DAYS * 86400e3;
  const out = createWriteStream(csvPath);
  out.write('user_id,timestamp,event\n');
  let chunk = '';
  for (let i = 0; i < EVENTS; ++i) {
    const t = start + Math.floor((i / EVENTS) * span);
    const user = Math.floor(Math.pow(r(), 2) * USERS);
    const name = names[Math.floor(Math.pow(r(), 2) * names.length)];
    chunk += `u${user},${new Date(t).toISOString()},${name}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise((res) => out.once('drain', res));
      chunk = '';
    }
  }
  out.write(chunk);
  await new Promise((res) => out.end(res));
}

if (!existsSync(csvPath)) {
  const t0 = performance.now();
  await generate();
  console.log(`generated ${csvPath} (${(statSync(csvPath).size / 2 ** 20).toFixed(0)} MiB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
// --generate-only: the file for another benchmark (bench/ui/import.mjs), nothing measured
if (process.argv.includes('--generate-only')) process.exit(0);

// ---- pmkpi, native -------------------------------------------------------------------------------
// /usr/bin/time -v reports the wall time and the peak RSS of the whole process (file read included).
const stderr = execFileSync('bash', ['-c', `{ /usr/bin/time -v "${cli}" records events "${csvPath}" > /dev/null; } 2>&1`], {
  encoding: 'utf8',
});
const wall = stderr.match(/Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):(\d+(?:\.\d+)?)/);
const seconds = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
const rssKiB = Number((stderr.match(/Maximum resident set size \(kbytes\): (\d+)/) ?? [])[1]);
console.log(`pmkpi native: ${EVENTS.toLocaleString('en')} events, ${seconds.toFixed(2)} s, peak RSS ${(rssKiB / 1024).toFixed(0)} MiB`);

// ---- DuckDB ------------------------------------------------------------------------------------
const t0 = performance.now();
const db = await (await DuckDBInstance.create(':memory:')).connect();
await db.run(`CREATE TABLE e AS SELECT user_id, epoch_us(timestamp::TIMESTAMP) AS us, event,
  CAST(floor(epoch_us(timestamp::TIMESTAMP) / 86400e6) AS BIGINT) AS day
  FROM read_csv('${csvPath}', header = true, columns = {'user_id': 'VARCHAR', 'timestamp': 'VARCHAR', 'event': 'VARCHAR'})`);
await db.run(`CREATE TABLE ud AS SELECT DISTINCT user_id, day FROM e`);
await db.runAndReadAll(`
  WITH days AS (SELECT range AS d FROM range((SELECT min(day) FROM ud), (SELECT max(day) FROM ud) + 1))
  SELECT d, count(DISTINCT user_id) FILTER (WHERE day = d) AS dau,
         count(DISTINCT user_id) FILTER (WHERE day BETWEEN d - 6 AND d) AS wau,
         count(DISTINCT user_id) AS mau
  FROM days JOIN ud ON ud.day BETWEEN d - 29 AND d GROUP BY d ORDER BY d`);
await db.runAndReadAll(`
  WITH o AS (SELECT user_id, us, CASE WHEN lag(us) OVER w IS NULL OR us - lag(us) OVER w > 1800e6 THEN 1 ELSE 0 END AS s
             FROM e WINDOW w AS (PARTITION BY user_id ORDER BY us)),
       n AS (SELECT user_id, us, sum(s) OVER (PARTITION BY user_id ORDER BY us) AS sid FROM o)
  SELECT count(*) AS sessions, avg(d) AS avg_seconds FROM (SELECT (max(us) - min(us)) / 1e6 AS d FROM n GROUP BY user_id, sid)`);
await db.runAndReadAll(`
  WITH c AS (SELECT user_id, min(day) AS c FROM ud GROUP BY user_id)
  SELECT c.c, count(DISTINCT c.user_id) AS size, count(DISTINCT ud.user_id) FILTER (WHERE ud.day = c.c + 7) AS d7
  FROM c JOIN ud USING (user_id) GROUP BY c.c ORDER BY c.c`);
const duck = (performance.now() - t0) / 1000;
console.log(`DuckDB ${(await (await db.runAndReadAll('select version() as v')).getRowObjects())[0].v}: ${duck.toFixed(2)} s (read_csv + DAU/WAU/MAU + sessions + 7-day retention)`);
console.log(`pmkpi / DuckDB time: ${(seconds / duck).toFixed(2)} (DuckDB takes ${(duck / seconds).toFixed(2)}x as long)`);
console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (it includes the DuckDB run just made, which uses both cores)`);

// ---- the WebAssembly client in headless Chromium (--browser) --------------------------------------
if (process.argv.includes('--browser')) {
  const page = await recordsInChromium(csvPath, '/records/events');
  console.log(`pmkpi WebAssembly in Chromium: ${EVENTS.toLocaleString('en')} events, ${page.seconds.toFixed(2)} s (the page read the text first, untimed)`);
}
