// Browser tests of the static UI (dist/app, built by `npm run build:web`), served from a sub-path
// by a tiny static server and driven in Debian's Chromium with the network cut.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { finishPage, launchBrowser, openPage, requireBuiltApp, SCREENSHOT_DIR, serveStatic, waitReady, watchedPage } from './harness.mjs';
import { runSmoke } from './smoke.mjs';

let server;
let browser;
const allProblems = [];

before(async () => {
  requireBuiltApp();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  server = await serveStatic(undefined, '/some/sub/path/');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const open = (hash, { viewport, colorScheme } = {}) => openPage(browser, `${server.url}${hash}`, { viewport, colorScheme });

async function finish(page, problems, screenshot) {
  allProblems.push(...problems);
  await finishPage(page, problems, screenshot);
}

describe('static UI from a sub-path, offline', () => {
  test('smoke: ARPU example, validation at its field, MRR both methods, forecast chart', async () => {
    const { page, problems } = await open('');
    await runSmoke(page, (name) => page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true }));
    await finish(page, problems);
  });

  test('home lists every metric of the catalog, grouped by category', async () => {
    const { page, problems } = await open('#/');
    const cards = await page.locator('.metric-card').count();
    const sidebarLinks = await page.locator('#metric-list a[href^="#/metric/"]').count();
    assert.ok(cards >= 24, `expected the catalog's 24 metrics, saw ${cards}`);
    assert.equal(sidebarLinks, cards);
    assert.ok(await page.locator('.category h2').count() >= 6);
    await finish(page, problems, 'home.png');
  });

  test('ARPU form: labels, placeholders from the spec example, constraints, keyboard only, aria-live result', async () => {
    const { page, problems } = await open('#/metric/arpu');
    const users = page.locator('input[name="total_users"]');
    assert.equal(await users.getAttribute('placeholder'), 'e.g. 1000');
    assert.equal(await users.getAttribute('min'), '0');
    assert.equal(await users.getAttribute('step'), '1');
    assert.equal(await page.locator('label[for="m-arpu-total_users"]').textContent().then((t) => t.startsWith('Users')), true); // the catalog's label
    assert.equal(await page.locator('select[name="time_frame"] option').count(), 5);
    // keyboard only: Tab into the first field, type, Tab, type, Enter
    await page.locator('input[name="total_revenue"]').focus();
    await page.keyboard.type('50000');
    await page.keyboard.press('Tab');
    await page.keyboard.type('1000');
    await page.keyboard.press('Enter');
    await page.locator('#result .result-value').waitFor();
    assert.equal(await page.locator('#result').getAttribute('aria-live'), 'polite');
    assert.match(await page.locator('#result .result-value').textContent(), /^\$50\.00$/);
    assert.match(await page.locator('#result .interpretation').textContent(), /50\.00/);
    assert.match(await page.locator('#result .benchmark').textContent(), /SaaS/);
    // the inputs are now in the URL: a reload shows the same result
    assert.match(page.url(), /total_revenue=50000/);
    await page.reload();
    await waitReady(page);
    await page.locator('#result .result-value').waitFor();
    assert.equal(await page.locator('#result .result-value').textContent(), '$50.00');
    await finish(page, problems, 'metric-arpu.png');
  });

  test('a banded metric shows status and marks the value on its band scale', async () => {
    const { page, problems } = await open('#/metric/churn-rate');
    await page.getByRole('button', { name: 'Use example values' }).click();
    await page.locator('#result .band-scale').waitFor();
    assert.equal(await page.locator('#result .result-value').textContent(), '5.00%');
    const current = await page.locator('#result .band-segment.current').getAttribute('data-status');
    assert.equal(await page.locator('#result .result-card').getAttribute('data-status'), current);
    assert.equal(current, 'acceptable');
    assert.equal(await page.locator('#result .band-segment').count(), 4);
    assert.ok(await page.locator('#result .band-marker').isVisible());
    await finish(page, problems, 'metric-churn.png');
  });

  test('a unit economics metric: its value in its unit, its band, and where the benchmark comes from', async () => {
    const { page, problems } = await open('#/metric/burn-multiple');
    await page.getByRole('button', { name: 'Use example values' }).click();
    await page.locator('#result .benchmark-source').waitFor();
    assert.equal(await page.locator('#result .result-value').textContent(), '1.50×');
    assert.equal(await page.locator('#result .result-card').getAttribute('data-status'), 'good');
    const source = await page.locator('#result .benchmark-source').textContent();
    assert.match(source, /David Sacks .*The Burn Multiple \(published rule of thumb, 2020, Venture-backed startups\)/);
    await finish(page, problems, 'metric-burn-multiple.png');
  });

  test('a 400 from the core (NPS with no responses) appears above the buttons', async () => {
    const { page, problems } = await open('#/metric/nps');
    for (const name of ['promoters', 'passives', 'detractors']) await page.fill(`input[name="${name}"]`, '0');
    await page.getByRole('button', { name: 'Calculate' }).click();
    await page.locator('#m-nps-form-error').waitFor();
    assert.match(await page.locator('#m-nps-form-error').textContent(), /\w+/);
    await finish(page, problems, 'metric-nps-error.png');
  });

  test('forecast from a CSV file with a date column, chart and pattern analysis', async () => {
    const { page, problems } = await open('#/forecast');
    const csv = 'month;signups\n2024-01;120\n2024-02;132\n2024-03;128\n2024-04;141\n2024-05;150\n2024-06;149\n2024-07;162\n2024-08;170\n';
    await page.setInputFiles('#fc-file', { name: 'signups.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.locator('#data-summary', { hasText: '8 values, 8 dates' }).waitFor(); // the file is read asynchronously
    assert.equal(await page.inputValue('textarea[name="historical_values"]'), '120\n132\n128\n141\n150\n149\n162\n170');
    assert.match(await page.inputValue('textarea[name="timestamps"]'), /^2024-01-01T00:00:00\n2024-02-01T00:00:00/);
    assert.equal(await page.inputValue('input[name="metric_name"]'), 'signups');
    await page.fill('input[name="periods_ahead"]', '4');
    await page.getByRole('button', { name: 'Forecast', exact: true }).click();
    await page.locator('#forecast-chart canvas').waitFor();
    assert.equal(await page.locator('#forecast-table tbody tr').count(), 4);
    assert.match(await page.locator('#forecast-table tbody tr').first().textContent(), /2024-09-01/);
    assert.match(await page.locator('#pattern-analysis').textContent(), /increasing/);
    // the model row names the best ETS model and the other members (8 points: too few for ARIMA's 12,
    // and for a monthly series' in-sample forecasts from a year on, so the members weigh the same)
    assert.match(await page.locator('#pattern-analysis').textContent(), /ModelETS\([AM],[AN]d?,N\), Theta, DOTM and CES, averaged/);
    // how the forecast was made, in words, and each forecast taken apart behind a disclosure
    assert.match(await page.locator('#forecast-explanation').textContent(), /^(The forecast|There are too few points)/);
    await page.locator('#forecast-components summary').click();
    assert.equal(await page.locator('#forecast-components tbody tr').count(), 4);
    assert.match(await page.locator('#forecast-components thead').textContent(), /Level.*Trend.*Forecast/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'forecast-csv.png'), fullPage: true });
    // 24 values without dates: enough past for ARIMA and for weighing each member by its in-sample errors
    const values = Array.from({ length: 24 }, (_, i) => 100 + 3 * i + ((i * i) % 7));
    await page.fill('textarea[name="timestamps"]', '');
    await page.fill('textarea[name="historical_values"]', values.join('\n'));
    await page.getByRole('button', { name: 'Forecast', exact: true }).click();
    await page.locator('#pattern-analysis', { hasText: 'weighted by past accuracy' }).waitFor();
    assert.match(await page.locator('#pattern-analysis').textContent(), /Theta, DOTM, CES and ARIMA\(\d,\d,\d\)[^,]*, weighted by past accuracy/);
    assert.match(await page.locator('#forecast-explanation').textContent(), /^The forecast is the weighted average of five methods/);
    await finish(page, problems, 'forecast-weighted.png');
  });

  test('dashboard: cards with status colours, state in the URL and localStorage, JSON and CSV export', async () => {
    const { page, problems } = await open('#/dashboard');
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await waitReady(page);
    for (const name of ['ARPU', 'NPS', 'Churn Rate']) await page.getByRole('checkbox', { name, exact: true }).check();
    // cards start empty (the examples are placeholders): take the examples explicitly
    for (const id of ['arpu', 'nps', 'churn-rate']) await page.locator(`[data-metric="${id}"]`).getByRole('button', { name: 'Use example values' }).click();
    await page.locator('[data-metric="nps"] .result-value').waitFor();
    assert.equal(await page.locator('.dash-card').count(), 3);
    assert.equal(await page.locator('[data-metric="arpu"] .result-value').textContent(), '$50.00');
    assert.match(await page.locator('[data-metric="nps"]').getAttribute('class'), /tone-(best|good|fair|poor)/);
    // edit an input on a card
    await page.fill('#d-arpu-total_users', '500');
    await page.waitForFunction(() => document.querySelector('[data-metric="arpu"] .result-value')?.textContent === '$100.00');
    await page.waitForFunction(() => /[?&]s=/.test(location.hash));
    await page.waitForTimeout(300); // the link follows the last edit
    const shared = page.url();
    assert.ok(shared.length < 1200, `a short link: ${shared.length} characters`);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'dashboard.png'), fullPage: true });

    // the link alone rebuilds the view in a fresh page with empty storage
    const other = await watchedPage(browser.context);
    await other.page.goto(shared);
    await waitReady(other.page);
    await other.page.evaluate(() => localStorage.clear());
    await other.page.reload();
    await waitReady(other.page);
    await other.page.locator('[data-metric="arpu"] .result-value').waitFor();
    assert.equal(await other.page.locator('.dash-card').count(), 3);
    assert.equal(await other.page.locator('[data-metric="arpu"] .result-value').textContent(), '$100.00');
    await finish(other.page, other.problems);

    // localStorage: the bare route restores the same view after a reload
    await page.goto(`${server.url}#/dashboard`);
    await page.reload();
    await waitReady(page);
    await page.locator('[data-metric="arpu"] .result-value').waitFor();
    assert.equal(await page.locator('[data-metric="arpu"] .result-value').textContent(), '$100.00');
    assert.equal(await page.locator('.dash-card').count(), 3);

    const [jsonDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
    const exported = JSON.parse(readFileSync(await jsonDownload.path(), 'utf8')).filter((r) => r.state !== 'derived');
    assert.deepEqual(exported.map((r) => r.id), ['arpu', 'nps', 'churn-rate']);
    assert.equal(exported[0].response.value, 100);
    assert.equal(exported[0].request.total_users, 500);
    const [csvDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const csvLines = readFileSync(await csvDownload.path(), 'utf8').trim().split('\n');
    assert.ok(csvLines.length >= 4);
    assert.match(csvLines[0], /^metric,endpoint,value,unit/);
    assert.match(csvLines[1], /^ARPU,\/metrics\/arpu,100,currency/);
    await finish(page, problems);
  });

  test('API page: Swagger UI from the local copy, "Try it out" answered in the page', async () => {
    const { page, problems } = await open('#/api');
    const arpu = page.locator('.opblock-summary-path', { hasText: /^\/metrics\/arpu$/ }).first();
    await arpu.waitFor({ timeout: 20000 });
    await arpu.click();
    await page.getByRole('button', { name: 'Try it out' }).first().click();
    await page.getByRole('button', { name: 'Execute' }).first().click();
    const body = page.locator('.responses-wrapper .live-responses-table .response-col_description pre').first();
    await body.waitFor({ timeout: 10000 });
    assert.match(await body.textContent(), /"value": 50/);
    assert.match(await page.locator('.live-responses-table tbody .response-col_status').first().textContent(), /200/);
    await finish(page, problems, 'api.png');
  });

  test('phone width: readable, no horizontal scrolling', async () => {
    const { page, problems } = await open('#/metric/retention-rate', { viewport: { width: 390, height: 844 } });
    await page.getByRole('button', { name: 'Use example values' }).click();
    await page.locator('#result .result-value').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the phone`);
    await finish(page, problems, 'phone-retention.png');
    const fc = await open('#/forecast', { viewport: { width: 390, height: 844 } });
    await fc.page.getByRole('button', { name: 'Use example values' }).click();
    await fc.page.locator('#forecast-chart canvas').waitFor();
    assert.ok(await fc.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth) <= 0);
    await finish(fc.page, fc.problems, 'phone-forecast.png');
  });

  test('dark theme follows the system', async () => {
    const { page, problems } = await open('#/metric/nps', { colorScheme: 'dark' });
    await page.getByRole('button', { name: 'Use example values' }).click();
    await page.locator('#result .result-value').waitFor();
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const [r, g, b] = background.match(/\d+/g).map(Number);
    assert.ok(r + g + b < 150, `dark background expected, got ${background}`);
    await finish(page, problems, 'dark-nps.png');
  });

  test('no layout jump while the module loads: the frame keeps its place', async () => {
    const { page, problems } = await watchedPage(browser.context);
    await page.addInitScript(() => {
      window.__shifts = [];
      new PerformanceObserver((list) => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value); })
        .observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto(`${server.url}#/metric/arpu`);
    await waitReady(page);
    await page.waitForTimeout(300);
    const cls = await page.evaluate(() => window.__shifts.reduce((a, b) => a + b, 0));
    assert.ok(cls < 0.1, `cumulative layout shift ${cls} (good is below 0.1)`);
    await finish(page, problems);
  });

  test('a clear message when WebAssembly cannot load', async () => {
    const page = await browser.context.newPage();
    await page.route('**/*.wasm', (route) => route.abort('failed'));
    await page.goto(`${server.url}#/metric/arpu`);
    const alert = page.locator('.fatal-panel[role="alert"]');
    await alert.waitFor({ timeout: 20000 });
    assert.match(await alert.textContent(), /calculation engine could not load/i);
    assert.match(await page.locator('#engine-status').textContent(), /unavailable/);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'wasm-blocked.png'), fullPage: true });
    await page.close();
  });

  test('no request left the machine', () => {
    assert.deepEqual(browser.external, []);
  });
});
