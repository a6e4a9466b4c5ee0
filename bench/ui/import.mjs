// The Import page in headless Chromium, as a user runs it (npm run build:web first): a file chosen,
// "Compute KPIs" pressed, until the results show. The page reads the file in a Worker, the records
// module computes, the answer is drawn. Measured: the page's own figure (from the press to the
// answer, "computed in X s") and the wall clock to the first drawn results.
//   - 1,000,000 subscription rows (bench/records/generate.py): target < 4 s (issue 9)
//   - 1,000,000 events (20,000 users, 90 days, ISO timestamps): target < 3 s (issue 10)
//   - the same events as 2 files split by user, one Worker each, merged (issue 11)
// Usage: node bench/ui/import.mjs [rows]
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, openPage, requireBuiltApp, ROOT, serveStatic } from '../../tests/e2e/harness.mjs';

const ROWS = Number(process.argv[2] ?? 1_000_000);
requireBuiltApp();
const subs = join(tmpdir(), `pmkpi-import-subs-${ROWS}.csv`);
if (!existsSync(subs)) execFileSync('python3', [join(ROOT, 'bench/records/generate.py'), subs, String(ROWS), '1']);
const events = join(tmpdir(), `pmkpi-events-${ROWS}.csv`);
if (!existsSync(events)) execFileSync(process.execPath, [join(ROOT, 'bench/records/events.mjs'), String(ROWS), '--generate-only'], { stdio: 'ignore' });
const [header, ...lines] = readFileSync(events, 'utf8').trimEnd().split('\n');
const halves = [[], []];
for (const line of lines) halves[Number(line.slice(1, line.indexOf(','))) % 2].push(line);
const shards = halves.map((rows, k) => {
  const file = join(tmpdir(), `pmkpi-import-events-${ROWS}-${k + 1}.csv`);
  writeFileSync(file, `${header}\n${rows.join('\n')}\n`);
  return file;
});

const server = await serveStatic(undefined, '/');
const browser = await launchBrowser();
const mib = (file) => (statSync(file).size / 2 ** 20).toFixed(1);

async function run(files, fill = {}) {
  const { page } = await openPage(browser, `${server.url}#/import`, { timeout: 120000 });
  await page.waitForLoadState('networkidle');
  await page.locator('#import-file').setInputFiles(files);
  await page.locator('#import-setup:not([hidden])').waitFor();
  for (const [selector, value] of Object.entries(fill)) await page.locator(selector).fill(value);
  const start = Date.now();
  await page.locator('#import-setup button[type="submit"]').click();
  await page.locator('#import-rows, #import-errors').first().waitFor({ timeout: 120000 });
  const wall = (Date.now() - start) / 1000;
  const text = await page.locator('#import-rows, #import-errors').first().textContent();
  await page.close();
  const seconds = Number(/computed in ([\d.]+) s/.exec(text)?.[1]);
  if (!Number.isFinite(seconds)) throw new Error(`no result: ${text.slice(0, 300)}`);
  return { seconds, wall, text };
}

const rows = [];
const best = async (label, files, target, fill) => {
  const runs = [];
  for (let i = 0; i < 3; ++i) runs.push(await run(files, fill));
  runs.sort((a, b) => a.seconds - b.seconds);
  rows.push(`| ${label} | **${runs[0].seconds.toFixed(2)} s** (median ${runs[1].seconds.toFixed(2)} s; to the drawn results ${runs[1].wall.toFixed(2)} s) | ${target} |`);
  return runs[0];
};
await best(`${ROWS.toLocaleString('en-US')} subscription rows (${mib(subs)} MiB), one file`, subs, '< 4 s', { '#import-opt-rates': 'EUR: 1.08' });
const one = await best(`${ROWS.toLocaleString('en-US')} events (${mib(events)} MiB), one file`, events, '< 3 s');
const two = await best('the same events as 2 files split by user, 2 Workers, merged', shards, '-');
rows.push(`| speed-up of 2 Workers on this machine's cores | ${(one.seconds / two.seconds).toFixed(2)}x | - |`);
console.log('| Import page in headless Chromium (best of 3) | measured | target |\n|---|---|---|');
console.log(rows.join('\n'));
await browser.close();
await server.close();
