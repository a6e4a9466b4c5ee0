// The Import page (issues 9, 10, 11) as an analyst uses it, in Chromium: a subscription export and
// an event log made by the generators (not written by hand), the detected preset, mapping and first
// rows, KPI cards banded through the catalog, every chart and table with its exports, bad rows by
// line and column, several files merged one Worker per file or joined when they split an export by
// date, a progress indicator while the page stays responsive, and not one request leaving the page
// while a file is analysed. The page's figures are checked against the npm client's answer in Node.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '../../web/src/client/index.js';
import { finishPage, launchBrowser, openPage, requireBuiltApp, ROOT, SCREENSHOT_DIR, serveStatic } from './harness.mjs';

let server;
let browser;
let client;
let work;
const files = {};

function python(script, ...args) {
  execFileSync('python3', [join(ROOT, script), ...args.map(String)], { stdio: 'inherit' });
}

before(async () => {
  requireBuiltApp();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  work = mkdtempSync(join(tmpdir(), 'pmkpi-import-'));
  files.subs = join(work, 'subscriptions.csv');
  python('bench/records/generate.py', files.subs, 4000, 5);
  files.events = join(work, 'events.csv');
  python('tests/dask/generate_events.py', files.events, 30000, 3);
  files.bigSubs = join(work, 'big.csv');
  python('bench/records/generate.py', files.bigSubs, 800000, 9);
  // the event log split by user (shards) and by date (an export per period)
  const [header, ...lines] = readFileSync(files.events, 'utf8').trimEnd().split('\n');
  const byUser = [[], []];
  const byDate = [[], []];
  for (const line of lines) {
    byUser[Number(line.split(',')[0].slice(1)) % 2].push(line);
    byDate[Number(line.split(',')[1]) < 1767225600 + 60 * 86400 ? 0 : 1].push(line);
  }
  for (const [name, parts] of [['user', byUser], ['date', byDate]]) {
    files[name] = parts.map((rows, k) => {
      const file = join(work, `events-by-${name}-${k + 1}.csv`);
      writeFileSync(file, [header, ...rows].join('\n') + '\n');
      return file;
    });
  }
  client = await createClient();
  server = await serveStatic(undefined, '/');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

async function answerOf(path, options, file) {
  const response = await client.fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...options, csv: readFileSync(file, 'utf8') }) });
  assert.equal(response.status, 200);
  return response.json();
}

/** The page at #/import, with every request it makes from now on recorded. */
async function openImport(options) {
  const opened = await openPage(browser, `${server.url}#/import`, { timeout: 30000, ...options });
  await opened.page.locator('#import-drop').waitFor();
  // the module's bytes and the chart library are fetched when the page opens, before any file
  await opened.page.waitForLoadState('networkidle');
  const requests = [];
  opened.page.on('request', (r) => requests.push(`${r.method()} ${r.url()}`));
  return { ...opened, requests };
}

async function compute(page) {
  await page.locator('#import-setup button[type="submit"]').click();
  await page.locator('#import-rows, #import-errors').first().waitFor({ timeout: 60000 });
}

const cardValue = (page, key) => page.locator(`#import-cards [data-key="${key}"] .kpi-value`).textContent();

async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator(selector).click()]);
  return readFileSync(await file.path(), 'utf8');
}

describe('the Import page', () => {
  test('a subscription export: preset, mapping, first rows, then KPI cards, movements, forecast, cohorts, survival, segments and exports', async () => {
    const { page, problems, requests } = await openImport();
    await page.locator('#import-file').setInputFiles(files.subs);
    await page.locator('#import-setup:not([hidden])').waitFor();
    assert.equal(await page.locator('#import-kind').inputValue(), 'subscriptions');
    assert.match(await page.locator('#import-detected').textContent(), /subscription export \(csv, delimiter ","\)/);
    assert.match(await page.locator('#import-preset option').first().textContent(), /generic/);
    assert.equal(await page.locator('#map-customer_id').inputValue(), 'customer_id');
    assert.equal(await page.locator('#map-trial_end').inputValue(), 'trial_end');
    assert.equal(await page.locator('#import-preview tbody tr').count(), 20);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'import-subscriptions-setup.png'), fullPage: true });

    // EUR rows without a rate: the core's 422 at the field, then the rate typed as a person would
    await compute(page);
    assert.match(await page.locator('#import-errors').textContent(), /EUR need a rate/);
    await page.locator('#import-opt-rates').fill('EUR: 1.08');
    await page.locator('#import-segment').selectOption('plan');
    await compute(page);
    const options = { rates: { EUR: 1.08 }, segment_by: 'plan' };
    const expected = await answerOf('/records/subscriptions', options, files.subs);
    assert.match(await page.locator('#import-rows').textContent(), /4,000 rows read, 4,000 used, 0 left out/);
    const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', currencyDisplay: 'narrowSymbol' });
    assert.equal(await cardValue(page, 'mrr'), money.format(expected.summary.mrr));
    assert.equal(await cardValue(page, 'customers'), expected.summary.customers.toLocaleString('en-US'));
    // banded through the catalog: the label of the route the answer names, toned by the catalog
    const churnBand = expected.summary.bands.logo_churn_rate;
    assert.equal(await page.locator('#import-cards [data-key="logo_churn_rate"] .status-badge').textContent(), churnBand.label);
    assert.equal(await page.locator('#import-cards [data-key="logo_churn_rate"] .band-link').getAttribute('href'), '#/metric/churn-rate');
    for (const id of ['#mrr-movements-chart canvas', '#mrr-forecast-chart canvas', '#survival-chart canvas', '#segment-chart canvas']) await page.locator(id).waitFor();
    assert.match(await page.locator('#mrr-forecast-note').textContent(), /^Model: /);
    assert.equal(await page.locator('#cohort-heatmap tbody tr').count(), expected.cohorts.periods.length + 1);
    await page.locator('#cohort-kind').selectOption('revenue');
    assert.match(await page.locator('#cohort-heatmap caption').textContent(), /Revenue retention/);
    assert.deepEqual(await page.locator('#segment-value option').allTextContents(), expected.segments.values.map((s) => s.segment));
    // exports: every period, as the engine answered it
    const csv = (await download(page, '#res-periods [data-export="periods.csv"]')).trimEnd().split('\n');
    assert.equal(csv.length, expected.periods.length + 1);
    assert.ok(csv[0].startsWith('period,mrr,arr,customers'));
    assert.deepEqual(JSON.parse(await download(page, '#res-periods [data-export="periods.json"]')), expected.periods);
    const summary = (await download(page, '[data-export="summary.csv"]')).trimEnd().split('\n');
    assert.equal(summary.length, 2);
    assert.match(summary[0], /^period,mrr,arr,customers,.*,logo_churn_rate_band/);
    const movements = await download(page, '[data-export="mrr-movements.csv"]');
    assert.match(movements.split('\n')[0], /^period,new_mrr,expansion_mrr,reactivation_mrr,contraction_mrr,churned_mrr,net_new_mrr,mrr$/);
    assert.deepEqual(requests, [], 'no request while the file is analysed');
    await finishPage(page, problems, 'import-subscriptions-results.png');
  });

  test('an event log: epoch timestamps, then active users, retention, lifecycle, a funnel from its events, activation, adoption and power users', async () => {
    const { page, problems, requests } = await openImport();
    await page.locator('#import-file').setInputFiles(files.events);
    await page.locator('#import-setup:not([hidden])').waitFor();
    assert.equal(await page.locator('#import-kind').inputValue(), 'events');
    await compute(page);
    assert.match(await page.locator('#import-errors').textContent(), /Line 1, column timestamp: /);
    await page.locator('#import-epoch-hint').waitFor();
    await page.locator('#import-opt-timestamp_unit').selectOption('s');
    await compute(page);
    const expected = await answerOf('/records/events', { timestamp_unit: 's' }, files.events);
    assert.equal(await cardValue(page, 'users'), expected.summary.users.toLocaleString('en-US'));
    assert.equal(await page.locator('#import-cards [data-key="stickiness"] .status-badge').textContent(), expected.summary.bands.stickiness.label);
    for (const id of ['#active-users-chart canvas', '#stickiness-chart canvas', '#retention-curve canvas', '#lifecycle-chart canvas', '#power-users-chart canvas']) await page.locator(id).waitFor();
    assert.equal(await page.locator('#retention-heatmap tbody tr').count(), expected.retention.cohorts.length + 1);
    assert.deepEqual(await page.locator('#features-table tbody th').allTextContents(), expected.features.map((f) => f.event));
    // the funnel's steps are the file's own events
    assert.deepEqual(await page.locator('#funnel-step-1 option').allTextContents(), expected.features.map((f) => f.event));
    await page.locator('#funnel-step-1').selectOption('signup');
    await page.locator('#funnel-step-2').selectOption('purchase');
    await page.locator('#funnel-window').fill('14');
    await page.locator('#funnel-run').click();
    await page.locator('#funnel-bars li').first().waitFor();
    const withFunnel = await answerOf('/records/events', { timestamp_unit: 's', funnel: { steps: ['signup', 'purchase'], window_days: 14 } }, files.events);
    const bars = await page.locator('#funnel-bars .funnel-bar').allTextContents();
    assert.deepEqual(bars, withFunnel.funnel.steps.map((s) => s.users.toLocaleString('en-US')));
    await page.locator('#activation-event').selectOption('purchase');
    await page.locator('#activation-run').click();
    await page.locator('#res-activation [data-key="activation_rate"]').waitFor();
    const withActivation = await answerOf('/records/events', { timestamp_unit: 's', funnel: { steps: ['signup', 'purchase'], window_days: 14 }, activation_event: 'purchase' }, files.events);
    assert.equal(await page.locator('#res-activation [data-key="activation_rate"] .kpi-value').textContent(), `${withActivation.activation.activation_rate.toFixed(2)}%`);
    assert.equal(await page.locator('#funnel-step-2').inputValue(), 'purchase', 'the funnel is kept when activation is computed');
    const daily = (await download(page, '[data-export="daily.csv"]')).trimEnd().split('\n');
    assert.equal(daily.length, expected.daily.length + 1);
    assert.deepEqual(requests, [], 'no request while the file is analysed');
    await finishPage(page, problems, 'import-events-results.png');
  });

  test('several files: split by user they are merged one Worker per file; split by date they are joined; the answers are the single file\'s', async () => {
    const { page, problems, requests } = await openImport({ colorScheme: 'dark' });
    const expected = await answerOf('/records/events', { timestamp_unit: 's' }, files.events);
    await page.locator('#import-file').setInputFiles(files.user);
    await page.locator('#import-setup:not([hidden])').waitFor();
    assert.match(await page.locator('#import-files').textContent(), /2 files, .*One Worker per file/);
    await page.locator('#import-opt-timestamp_unit').selectOption('s');
    await compute(page);
    assert.match(await page.locator('#import-rows').textContent(), /30,000 rows read.*from 2 files \([12] Workers?, merged\)/);
    assert.equal(await cardValue(page, 'users'), expected.summary.users.toLocaleString('en-US'));
    assert.equal(await cardValue(page, 'sessions'), expected.summary.sessions.toLocaleString('en-US'));
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'import-merged-dark.png'), fullPage: false });

    await page.locator('#import-file').setInputFiles(files.date);
    await page.locator('#import-setup:not([hidden])').waitFor();
    await page.locator('#import-opt-timestamp_unit').selectOption('s');
    await compute(page);
    assert.match(await page.locator('#import-errors').textContent(), /is in partial state 1 and in partial state 2/);
    await page.locator('#import-join').click();
    await page.locator('#import-rows').waitFor();
    assert.match(await page.locator('#import-rows').textContent(), /30,000 rows read.*from 2 files joined/);
    assert.equal(await cardValue(page, 'users'), expected.summary.users.toLocaleString('en-US'));
    assert.equal(await cardValue(page, 'events'), expected.summary.events.toLocaleString('en-US'));
    assert.deepEqual(requests, [], 'no request while the files are analysed');
    await finishPage(page, problems, null);
  });

  test('bad rows, dropped on the page: each by its line and column, then left out on request and listed', async () => {
    const { page, problems, requests } = await openImport({ viewport: { width: 390, height: 844 } });
    const text = 'customer_id,plan,amount,interval,currency,start,end\nc1,pro,49,month,USD,2024-01-05,\nc2,pro,abc,month,USD,2024-01-20,\nc3,team,99,month,USD,2024-02-30,\nc4,pro,49,month,USD,2024-02-01,2024-05-01\n';
    await page.evaluate((csv) => {
      const data = new DataTransfer();
      data.items.add(new File([csv], 'export.csv', { type: 'text/csv' }));
      document.querySelector('#import-drop').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
    }, text);
    await page.locator('#import-setup:not([hidden])').waitFor();
    await compute(page);
    const errors = await page.locator('#import-errors li').allTextContents();
    assert.equal(errors.length, 2);
    assert.match(errors[0], /^Line 2, column amount: Input should be a valid number.*\(found "abc"\)/);
    assert.match(errors[1], /^Line 3, column start: .*\(found "2024-02-30"\)/);
    await page.locator('#import-skip').click();
    await page.locator('#import-rows').waitFor();
    assert.match(await page.locator('#import-rows').textContent(), /4 rows read, 2 used, 2 left out/);
    assert.equal(await page.locator('#import-warnings li').count(), 2);
    assert.deepEqual(requests, []);
    await finishPage(page, problems, 'import-bad-rows-phone.png');
  });

  test('a large export: a progress indicator while a Worker computes, and the page stays responsive', async () => {
    const { page, problems, requests } = await openImport();
    await page.locator('#import-file').setInputFiles(files.bigSubs);
    await page.locator('#import-setup:not([hidden])').waitFor();
    await page.locator('#import-opt-rates').fill('EUR: 1.08');
    await page.evaluate(() => {
      window.watch = { gaps: [], texts: new Set(), last: performance.now() };
      window.watch.timer = setInterval(() => {
        const now = performance.now();
        if (!document.querySelector('#import-progress').hidden) {
          window.watch.gaps.push(now - window.watch.last);
          window.watch.texts.add(document.querySelector('#import-progress-text')?.textContent);
        }
        window.watch.last = now;
      }, 20);
    });
    await compute(page);
    const watch = await page.evaluate(() => { clearInterval(window.watch.timer); return { gaps: window.watch.gaps, texts: [...window.watch.texts] }; });
    assert.match(await page.locator('#import-rows').textContent(), /800,000 rows read/);
    const partway = watch.texts.filter((t) => /(Reading|Computing)… ([1-9]\d?)%/.test(t));
    assert.ok(partway.length >= 1, `progress between 0 and 100%: ${watch.texts.join(' | ')}`);
    assert.ok(watch.gaps.length >= 5, 'the timer ran while the file was analysed');
    assert.ok(Math.max(...watch.gaps) < 600, `the main thread was never blocked for long (longest gap ${Math.max(...watch.gaps).toFixed(0)} ms)`);
    assert.deepEqual(requests, []);
    await finishPage(page, problems, null);
  });
});
