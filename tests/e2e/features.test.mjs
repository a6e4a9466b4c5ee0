// Issue 17's features as a product manager uses them, in Chromium: the landing page's generated
// sample, KPIs over time on the dashboard (sparkline, changes, target, forecast), derived ratios
// from the catalog's routes, named dashboards, short links, print and PNG export. Screenshots at
// desktop and phone widths, light and dark.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { finishPage, launchBrowser, openPage, requireBuiltApp, SCREENSHOT_DIR, serveStatic, waitReady, watchedPage } from './harness.mjs';

let server;
let browser;

before(async () => {
  requireBuiltApp();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  server = await serveStatic(undefined, '/kpi/');
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const open = (hash, { viewport = { width: 1280, height: 900 }, colorScheme = 'light' } = {}) =>
  openPage(browser, `${server.url}${hash}`, { viewport, colorScheme, timeout: 10000 });
const finish = finishPage;

async function openSample(page) {
  await page.evaluate(() => localStorage.clear());
  await page.evaluate(() => { location.hash = '#/'; });
  await page.locator('#open-sample').click();
  await page.locator('#sample-banner:not([hidden])').waitFor();
  await page.locator('[data-metric="mrr"] .result-value').waitFor();
  await page.locator('[data-metric="mrr"] .sparkline').waitFor();
}

describe('issue 17 features', () => {
  test('14. the landing page opens a generated sample, labelled as such, on the dashboard', async () => {
    const { page, problems } = await open('#/');
    assert.match(await page.locator('.start').textContent(), /generated, not real/);
    await openSample(page);
    assert.match(await page.locator('#view h1').textContent(), /Sample SaaS company \(generated data\)/);
    assert.deepEqual(await page.locator('.dash-card:not(.derived-card)').evaluateAll((els) => els.map((e) => e.dataset.metric)),
      ['mrr', 'churn-rate', 'nrr', 'nps', 'cac', 'cltv']);
    assert.equal(await page.locator('#dashboard-cards .sparkline').count(), 6);
    // the MRR card's method in words from the catalog's labels, not its formula's field names
    const methods = await page.locator('[data-metric="mrr"] .method-option').allTextContents();
    for (const m of methods) assert.doesNotMatch(m, /_/);
    await finish(page, problems, 'feature-sample-dashboard.png');
  });

  test('11. a card over time: sparkline, change against the previous period and a year earlier, target, forecast on demand', async () => {
    const { page, problems } = await open('#/');
    await page.evaluate(() => { localStorage.clear(); location.hash = '#/dashboard'; });
    await page.locator('.picker[open]').waitFor();
    await page.locator('.picker input[value="mrr"]').check();
    const card = page.locator('[data-metric="mrr"]');
    await card.locator('summary', { hasText: 'Over time' }).click();
    const lines = [...Array(14).keys()].map((i) => `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}, ${40000 + i * 1000}`);
    await page.fill('#d-mrr-series', lines.join('\n'));
    await page.locator('#d-mrr-series').dispatchEvent('change');
    await card.locator('.sparkline').waitFor();
    const facts = await card.locator('.trend-facts').textContent();
    assert.match(facts, /Latest\$53,000\.00 \(2024-02\)/);
    assert.match(facts, /vs 2024-01\+\$1,000\.00 \(\+1\.9%\)/);
    assert.match(facts, /vs 2023-02 \(a year earlier\)\+\$12,000\.00 \(\+29\.3%\)/);
    await page.fill('#d-mrr-target', '60000');
    await page.waitForFunction(() => /Target\$60,000\.00: not met \(88% of it\)/.test(document.querySelector('[data-metric="mrr"] .trend-facts').textContent));
    await card.getByRole('button', { name: 'Forecast the next 3 periods' }).click();
    await card.locator('.card-forecast li').nth(2).waitFor();
    assert.match(await card.locator('.card-forecast li').first().textContent(), /^2024-03: \$5\d,\d{3}\.\d\d \(8 times in 10 between/);
    // a computed result joins the series as a period
    await card.getByRole('button', { name: 'Use example values' }).click();
    await card.locator('.result-value').waitFor();
    assert.equal(await page.inputValue('#d-mrr-period'), '2024-03');
    await card.getByRole('button', { name: 'Add this result as' }).click();
    assert.match(await page.inputValue('#d-mrr-series'), /2024-03, 50000$/);
    await finish(page, problems, 'feature-card-over-time.png');
  });

  test('12. derived unit economics appear when the cards hold what a ratio needs, computed by the catalog\'s routes', async () => {
    const { page, problems } = await open('#/');
    await openSample(page);
    const derived = page.locator('#derived');
    const count = await page.evaluate(() => document.querySelectorAll('#derived [data-derived]').length);
    if (count > 0) {
      for (const from of await derived.locator('.derived-from').allTextContents()) assert.match(from, /^From .+: POST \/metrics\/[\w-]+$/);
      const values = await derived.locator('.result-value').allTextContents();
      assert.ok(values.every((v) => /\d/.test(v)));
    }
    // GRR beside NRR whenever the catalog has a GRR route: it takes the NRR card's MRR movements
    const hasGrr = await page.evaluate(() => [...document.querySelectorAll('#metric-list a')].some((a) => a.dataset.route === 'grr'));
    if (hasGrr) assert.equal(await derived.locator('[data-derived="grr"] .result-value').count(), 1);
    await finish(page, problems, 'feature-derived.png');
  });

  test('13. named dashboards, a short link, print stylesheet', async () => {
    const { page, problems } = await open('#/');
    await openSample(page);
    await page.waitForFunction(() => /[?&]s=/.test(location.hash));
    await page.waitForTimeout(300);
    const link = page.url();
    assert.ok(link.length < 4000, `24 months of 6 metrics in a ${link.length}-character link`);
    await page.fill('#dashboard-name', 'Board review');
    await page.click('#save-dashboard');
    await page.click('#clear-dashboard');
    assert.equal(await page.locator('#dashboard-cards .dash-card').count(), 0);
    await page.selectOption('#saved-dashboards', 'Board review');
    await page.locator('[data-metric="cltv"] .result-value').waitFor();
    assert.equal(await page.locator('#dashboard-cards .dash-card').count(), 6);
    assert.match(await page.locator('#view h1').textContent(), /Board review/);
    // the short link alone, in a fresh page with empty storage
    const other = await watchedPage(browser.context);
    await other.page.goto(`${server.url}#/`);
    await waitReady(other.page);  // a reload while the module is still loading aborts its request
    await other.page.evaluate(() => localStorage.clear());
    await other.page.goto(link);
    await other.page.reload();
    await waitReady(other.page);
    await other.page.locator('[data-metric="nps"] .sparkline').waitFor();
    assert.equal(await other.page.locator('#dashboard-cards .dash-card').count(), 6);
    await finish(other.page, other.problems);
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.toolbar').first().isVisible(), false);
    assert.equal(await page.locator('#sidebar').isVisible(), false);
    assert.ok(await page.locator('[data-metric="mrr"] .result-value').isVisible());
    await finish(page, problems, 'feature-print.png');
  });

  test('13. PNG export of the forecast chart', async () => {
    const { page, problems } = await open('#/forecast');
    await page.getByRole('button', { name: 'Use example values' }).click();
    await page.locator('#forecast-chart canvas').first().waitFor();
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('#chart-png')]);
    const bytes = readFileSync(await png.path());
    assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    assert.match(png.suggestedFilename(), /^pmkpi-forecast-churn_rate\.png$/);
    await finish(page, problems);
  });

  for (const [label, viewport, colorScheme] of [['desktop-light', { width: 1280, height: 900 }, 'light'], ['desktop-dark', { width: 1280, height: 900 }, 'dark'],
    ['phone-light', { width: 390, height: 844 }, 'light'], ['phone-dark', { width: 390, height: 844 }, 'dark']]) {
    test(`screenshots of the sample dashboard and its forecast (${label}), no sideways scrolling`, async () => {
      const { page, problems } = await open('#/', { viewport, colorScheme });
      await page.screenshot({ path: join(SCREENSHOT_DIR, `landing-${label}.png`), fullPage: false });
      await openSample(page);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth) <= 0);
      await page.screenshot({ path: join(SCREENSHOT_DIR, `dashboard-${label}.png`), fullPage: true });
      await page.evaluate(() => { location.hash = '#/forecast'; });
      await page.getByRole('button', { name: 'Use example values' }).click();
      await page.locator('#forecast-chart canvas').first().waitFor();
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth) <= 0);
      await finish(page, problems, `forecast-${label}.png`);
    });
  }
});
