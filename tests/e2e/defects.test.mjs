// Issue 17's defects, each reproduced in Chromium as a product manager meets it (every test here
// failed before its fix): CSV columns, chart axes, example values on the dashboard, phone layout,
// band labels, dates and decimal commas, number formats, the forecast chart and the pattern panel.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { finishPage, launchBrowser, openPage, requireBuiltApp, SCREENSHOT_DIR, serveStatic } from './harness.mjs';

let server;
let browser;
const PHONE = { width: 390, height: 844 };

before(async () => {
  requireBuiltApp();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  server = await serveStatic(undefined, '/pm/');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const open = (hash, { viewport, colorScheme = 'light', storage = 'clear' } = {}) =>
  openPage(browser, `${server.url}${hash}`, { viewport, colorScheme, timeout: 10000, clearStorage: storage === 'clear' });
const finish = finishPage;

const csvFile = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** Painted pixels in the canvas's leftmost columns: a y-axis label cut by the edge leaves ink there. */
function leftEdgeInk(page) {
  return page.locator('#forecast-chart canvas').first().evaluate((canvas) => {
    const columns = Math.max(2, Math.round(2 * devicePixelRatio));
    const { data } = canvas.getContext('2d').getImageData(0, 0, columns, canvas.height);
    let ink = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 40) ++ink;
    return ink;
  });
}

/** Words of the band labels that the browser broke across lines. */
function brokenBandWords(page) {
  return page.evaluate(() => [...document.querySelectorAll('.band-label')].flatMap((el) => {
    const node = el.firstChild;
    const broken = [];
    for (const m of node.textContent.matchAll(/\S+/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (lines.size > 1 || el.scrollWidth > el.clientWidth + 1) broken.push(m[0]);
    }
    return broken;
  }));
}

async function forecastFromCsv(page, csv, { metric, periods } = {}) {
  if (metric) await page.fill('input[name="metric_name"]', metric);
  await page.setInputFiles('#fc-file', csvFile('series.csv', csv));
  await page.waitForFunction(() => document.querySelector('textarea[name="historical_values"]').value !== '');
  if (periods) await page.fill('input[name="periods_ahead"]', String(periods));
  await page.getByRole('button', { name: 'Forecast', exact: true }).click();
  await page.locator('#forecast-chart canvas').first().waitFor();
  await page.locator('#forecast-table tbody tr').first().waitFor();
}

const MONTHS = (n, start = 2023) => [...Array(n).keys()].map((i) => `${start + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);

describe('issue 17 defects', () => {
  test('1. a CSV with several numeric columns asks which one, defaulting to the metric\'s column', async () => {
    const { page, problems } = await open('#/forecast');
    const csv = 'date,customers,mrr,churn_rate\n2024-01-01,100,45000,5.1\n2024-02-01,104,47000,4.9\n2024-03-01,110,48500,4.7\n2024-04-01,115,51000,4.6\n';
    await page.fill('input[name="metric_name"]', 'mrr');
    await page.setInputFiles('#fc-file', csvFile('kpis.csv', csv));
    const picker = page.locator('#fc-column');
    await picker.waitFor();
    assert.equal(await picker.inputValue(), 'mrr');
    assert.equal(await page.inputValue('textarea[name="historical_values"]'), '45000\n47000\n48500\n51000');
    assert.deepEqual(await picker.locator('option').allTextContents(), ['Choose a column…', 'customers', 'mrr', 'churn_rate']);
    await picker.selectOption('customers');
    assert.equal(await page.inputValue('textarea[name="historical_values"]'), '100\n104\n110\n115');
    // no column named like the metric: nothing is picked silently, the page asks
    await page.fill('input[name="metric_name"]', '');
    await page.fill('textarea[name="historical_values"]', '');
    await page.setInputFiles('#fc-file', csvFile('again.csv', csv.replace('mrr', 'revenue')));
    await page.locator('#fc-column-help', { hasText: 'Choose' }).waitFor();
    assert.equal(await page.locator('#fc-column').inputValue(), '');
    assert.equal(await page.inputValue('textarea[name="historical_values"]'), '');
    await page.locator('#fc-column').selectOption('revenue');
    assert.equal(await page.inputValue('textarea[name="historical_values"]'), '45000\n47000\n48500\n51000');
    assert.equal(await page.inputValue('input[name="metric_name"]'), 'revenue');
    await finish(page, problems, 'defect1-column-picker.png');
  });

  for (const [width, scheme] of [[1280, 'light'], [390, 'dark']]) {
    test(`2. y-axis labels keep every digit from 100,000 up (${width} px, ${scheme})`, async () => {
      const { page, problems } = await open('#/forecast', { viewport: { width, height: 900 }, colorScheme: scheme });
      const values = [1250000, 1310000, 1295000, 1402000, 1450000, 1498000, 1560000, 1610000];
      await page.fill('input[name="metric_name"]', 'revenue');
      await page.fill('textarea[name="historical_values"]', values.join('\n'));
      await page.getByRole('button', { name: 'Forecast', exact: true }).click();
      await page.locator('#forecast-chart canvas').first().waitFor();
      await page.waitForTimeout(100);
      assert.equal(await leftEdgeInk(page), 0, 'a y-axis label touches the left edge of the chart (cut off)');
      await finish(page, problems, `defect2-axis-${width}-${scheme}.png`);
    });
  }

  test('3. dashboard cards start empty with the examples as placeholders, never in a result or an export', async () => {
    const { page, problems } = await open('#/dashboard');
    for (const name of ['Churn Rate', 'ARPU']) await page.getByRole('checkbox', { name, exact: true }).check();
    const card = page.locator('[data-metric="churn-rate"]');
    await card.locator('.card-empty').waitFor();
    assert.equal(await card.locator('.result-value').count(), 0);
    assert.equal(await page.inputValue('#d-churn-rate-customers_lost'), '');
    assert.match(await page.getAttribute('#d-churn-rate-customers_lost', 'placeholder'), /^e\.g\. 50$/);
    assert.match(await page.getAttribute('#d-churn-rate-total_revenue_at_start', 'placeholder'), /^e\.g\. /);
    // one card typed, one left empty: only the typed one is a result
    await page.fill('#d-arpu-total_revenue', '30000');
    await page.fill('#d-arpu-total_users', '600');
    await page.waitForFunction(() => document.querySelector('[data-metric="arpu"] .result-value')?.textContent === '$50.00');
    const [json] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
    const exported = JSON.parse(readFileSync(await json.path(), 'utf8'));
    const churn = exported.find((r) => r.id === 'churn-rate');
    assert.equal(churn.response, null);
    assert.deepEqual(churn.request, {});
    assert.equal(churn.state, 'empty');
    assert.equal(exported.find((r) => r.id === 'arpu').response.value, 50);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const rows = readFileSync(await csv.path(), 'utf8').trim().split('\n');
    const churnRow = rows.find((r) => r.startsWith('Churn Rate') || r.startsWith('churn-rate'));
    assert.match(churnRow, /no inputs yet/);
    assert.doesNotMatch(churnRow, /revenue churn|\d+\.\d+%/);
    // the examples are one click away, and then they are the user's choice
    await card.getByRole('button', { name: 'Use example values' }).click();
    await card.locator('.result-value').waitFor();
    assert.equal(await card.locator('.result-value').textContent(), '5.00%');
    await finish(page, problems, 'defect3-dashboard-empty.png');
  });

  test('4. phone: the metric menu closes after a choice; the forecast page never scrolls sideways', async () => {
    const { page, problems } = await open('#/', { viewport: PHONE });
    await page.locator('#metric-menu summary').click();
    assert.equal(await page.locator('#metric-menu').evaluate((d) => d.open), true);
    await page.locator('#metric-list a', { hasText: /^NPS$/ }).click();
    await page.locator('#view h1', { hasText: 'Net Promoter Score' }).waitFor();
    assert.equal(await page.locator('#metric-menu').evaluate((d) => d.open), false);
    const top = await page.locator('#view h1').evaluate((el) => el.getBoundingClientRect().top);
    assert.ok(top < PHONE.height / 2, `the calculator starts ${top}px down the screen`);
    await page.evaluate(() => { location.hash = '#/forecast'; });
    await page.locator('#view h1', { hasText: 'Forecast' }).waitFor();
    const months = MONTHS(18);
    await forecastFromCsv(page, `month,mrr\n${months.map((m, i) => `${m},${125000 + i * 4100 + (i % 3) * 900}`).join('\n')}\n`, { metric: 'mrr', periods: 6 });
    await page.locator('#pattern-analysis dl').waitFor();
    assert.ok(await overflow(page) <= 0, `the forecast page is ${await overflow(page)} px wider than the phone`);
    await finish(page, problems, 'defect4-phone-forecast.png');
  });

  for (const [where, viewport] of [['phone', PHONE], ['desktop dashboard', { width: 1280, height: 900 }]]) {
    test(`5. band labels never break inside a word (${where})`, async () => {
      const ids = ['retention-rate', 'nps', 'churn-rate', 'ces'];
      if (where === 'phone') {
        const { page, problems } = await open('#/metric/nps', { viewport });
        for (const id of ids) {
          await page.evaluate((h) => { location.hash = h; }, `#/metric/${id}`);
          await page.locator(`#view form[aria-label]`).waitFor();
          await page.getByRole('button', { name: 'Use example values' }).click();
          await page.locator('#result .band-scale').waitFor();
          assert.deepEqual(await brokenBandWords(page), [], `${id}: a band label breaks inside a word`);
          assert.ok(await overflow(page) <= 0);
        }
        await finish(page, problems, 'defect5-bands-phone.png');
      } else {
        const { page, problems } = await open('#/dashboard', { viewport });
        for (const id of ids) {
          await page.locator(`.picker input[value="${id}"]`).check();
          await page.locator(`[data-metric="${id}"]`).getByRole('button', { name: 'Use example values' }).click();
          await page.locator(`[data-metric="${id}"] .band-scale`).waitFor();
        }
        assert.deepEqual(await brokenBandWords(page), []);
        await finish(page, problems, 'defect5-bands-dashboard.png');
      }
    });
  }

  test('6. "Jan 2023", "2023/01" and semicolon CSVs with decimal commas are read; the rest is reported by line', async () => {
    const { page, problems } = await open('#/forecast');
    const csv = 'Month;MRR\nJan 2023;45.000,50\nFeb 2023;47.100,00\n2023/03;48.250,75\nApr 2023;n/a\nMay 2023;51.000\nJune 2023;52.300,25\n';
    await page.setInputFiles('#fc-file', csvFile('export.csv', csv));
    await page.waitForFunction(() => document.querySelector('textarea[name="historical_values"]').value !== '');
    assert.equal(await page.inputValue('textarea[name="historical_values"]'), '45000.5\n47100\n48250.75\n51000\n52300.25');
    assert.equal(await page.inputValue('textarea[name="timestamps"]'),
      ['2023-01-01', '2023-02-01', '2023-03-01', '2023-05-01', '2023-06-01'].map((d) => `${d}T00:00:00`).join('\n'));
    const report = page.locator('#fc-problems');
    await report.waitFor();
    assert.match(await report.textContent(), /line 5.*“n\/a” is not a number/);
    await finish(page, problems, 'defect6-dates.png');
  });

  test('9. every figure by its unit: money forecasts in dollars with two decimals, NPS whole, % in details, human labels and errors', async () => {
    const { page, problems } = await open('#/forecast');
    await forecastFromCsv(page, `month,mrr\n${MONTHS(12).map((m, i) => `${m},${45000 + i * 1500}`).join('\n')}\n`, { metric: 'mrr' });
    const cells = await page.locator('#forecast-table tbody td:not(:first-child)').allTextContents();
    for (const cell of cells) assert.match(cell, /^\$[\d,]+\.\d\d( – \$[\d,]+\.\d\d)?$/, `forecast cell "${cell}"`);
    await page.evaluate(() => { location.hash = '#/metric/nps'; });
    await page.locator('input[name="promoters"]').waitFor();
    await page.getByRole('button', { name: 'Use example values' }).click();
    await page.locator('#result .result-value').waitFor();
    const nps = await page.locator('#result .result-value').textContent();
    assert.match(nps, /^-?\d+(\.\d{1,2})?$/);
    assert.doesNotMatch(nps, /\.00$/);
    await page.evaluate(() => { location.hash = '#/metric/churn-rate?customers_lost=50&total_customers_at_start=1000&revenue_from_lost_customers=3000&total_revenue_at_start=100000'; });
    await page.locator('#result .result-details').waitFor();
    await page.locator('#result .result-details summary').click();
    const details = Object.fromEntries(await page.locator('#result .result-details dt').evaluateAll((dts) => dts.map((dt) => [dt.textContent, dt.nextElementSibling.textContent])));
    assert.equal(details['Revenue churn rate'], '3.00%');
    assert.equal(details['Retention rate'], '95.00%');
    assert.equal(details['Customers lost'], '50');
    await page.evaluate(() => { location.hash = '#/metric/mrr'; });
    await page.locator('input[name="arpu"]').waitFor();
    const labels = await page.locator('#view .field label').allTextContents();
    assert.ok(!labels.some((l) => /^(Arpu|Number Of Accounts)\b/.test(l)), `generated labels: ${labels.join(' | ')}`);
    assert.ok(labels.some((l) => l.startsWith('Number of accounts')));
    assert.doesNotMatch(await page.locator('#view .formula').textContent(), /_/);
    await page.evaluate(() => { location.hash = '#/metric/dau-mau?daily_active_users=5000&monthly_active_users=1000'; });
    const error = page.locator('#m-dau-mau-form-error');
    await error.waitFor();
    assert.doesNotMatch(await error.textContent(), /_/);
    await finish(page, problems, 'defect9-numbers.png');
  });

  for (const scheme of ['light', 'dark']) {
    test(`10. the forecast chart reads on its own (${scheme}): hover values, axis titles, dates, zoom, a visible 95% band, words for the figures`, async () => {
      const { page, problems } = await open('#/forecast', { colorScheme: scheme });
      const months = MONTHS(40, 2022);
      const values = months.map((_, i) => 20000 + i * 700 + (i % 12) * 300 + (i === 30 ? 9000 : 0));
      await forecastFromCsv(page, `month,mrr\n${months.map((m, i) => `${m},${values[i]}`).join('\n')}\n`, { metric: 'mrr', periods: 6 });
      const box = page.locator('#forecast-chart');
      assert.match(await box.locator('.axis-title-y').textContent(), /MRR.*\$/);
      assert.match(await box.locator('.axis-title-x').textContent(), /Month|Date/);
      // hover: the values of the point under the pointer
      const over = page.locator('#forecast-chart .u-over');
      await over.scrollIntoViewIfNeeded();
      const rect = await over.boundingBox();
      await over.hover({ position: { x: rect.width * 0.3, y: rect.height / 2 } });
      const tip = page.locator('#chart-readout');
      await page.waitForFunction(() => /\$/.test(document.querySelector('#chart-readout')?.textContent ?? ''));
      assert.match(await tip.textContent(), /20\d\d-\d\d/);
      // a window for long series
      await page.locator('#fc-window').selectOption('12');
      await page.waitForFunction(() => document.querySelector('#forecast-chart').dataset.window === '12');
      // the 95% band differs visibly from the background
      const contrast = await page.evaluate(() => {
        const parse = (c) => c.match(/[\d.]+/g).map(Number);
        const probe = document.createElement('div');
        document.body.append(probe);
        probe.style.color = getComputedStyle(document.documentElement).getPropertyValue('--chart-band95');
        const [r, g, b, a = 1] = parse(getComputedStyle(probe).color);
        probe.style.color = getComputedStyle(document.documentElement).getPropertyValue('--surface');
        const [sr, sg, sb] = parse(getComputedStyle(probe).color);
        probe.remove();
        return Math.abs(r * a + sr * (1 - a) - sr) + Math.abs(g * a + sg * (1 - a) - sg) + Math.abs(b * a + sb * (1 - a) - sb);
      });
      assert.ok(contrast > 45, `the 95% band is barely visible (${contrast.toFixed(1)})`);
      const note = await page.locator('#interval-note').textContent();
      assert.match(note, /8 times in 10.*19 times in 20|19 times in 20.*8 times in 10/);
      assert.match(note, /Every value is positive.*further above the forecast than below it/, 'an MRR series: log-normal bands, said so');
      const analysis = await page.locator('#pattern-analysis').textContent();
      assert.match(analysis, /Volatility.*typically/);
      assert.equal((analysis.match(/per period/g) ?? []).length, 1, 'one trend slope, stated once');
      // change points and anomalies name the point by its date
      assert.match(await page.locator('#pattern-points').textContent(), /2024-07/);
      await finish(page, problems, `defect10-chart-${scheme}.png`);
    });
  }

  test('10. Swagger UI follows the dark theme', async () => {
    const { page, problems } = await open('#/api', { colorScheme: 'dark' });
    await page.locator('.opblock-summary-path').first().waitFor({ timeout: 20000 });
    const background = await page.evaluate(() => {
      const el = document.querySelector('#swagger-ui');
      const c = getComputedStyle(el).backgroundColor.match(/\d+/g).map(Number);
      return { lum: c[0] + c[1] + c[2], filter: getComputedStyle(el).filter };
    });
    assert.ok(background.lum < 200 || /invert/.test(background.filter), `light Swagger UI in dark mode: ${JSON.stringify(background)}`);
    await finish(page, problems, 'defect10-swagger-dark.png');
  });

  test('7. the API page says where calls run, and its curl line names a server that answers', async () => {
    const { page, problems } = await open('#/api');
    assert.match(await page.locator('#api-where').textContent(), /in this page/i);
    const arpu = page.locator('.opblock-summary-path', { hasText: /^\/metrics\/nps$/ }).first();
    await arpu.waitFor({ timeout: 20000 });
    await arpu.click();
    await page.getByRole('button', { name: 'Try it out' }).first().click();
    await page.getByRole('button', { name: 'Execute' }).first().click();
    const curl = page.locator('.curl-command .curl, .curl-command pre').first();
    await curl.waitFor({ timeout: 10000 });
    const text = await curl.textContent();
    assert.doesNotMatch(text, /in-page-api|\/pm\//);
    assert.match(text, /http:\/\/localhost:8000\/metrics\/nps/);
    await finish(page, problems, 'defect7-api.png');
  });
});
