// The smoke test run against every way the UI is served (static server from a sub-path, and the
// native pmkpi-server under /app/): the spec's ARPU example reads 50.00, a validation error shows
// at its field, MRR works with both methods, and the spec's churn forecast draws a chart.
import assert from 'node:assert/strict';

async function goto(page, hash) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  await page.locator('#view h1').first().waitFor();
}

/** Pixels of the canvas that are not blank: a drawn chart has many. */
async function paintedPixels(page, selector) {
  return page.locator(selector).evaluate((canvas) => {
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] !== 0) ++painted;
    return painted;
  });
}

export async function runSmoke(page, screenshot = async () => {}) {
  // ARPU with the spec's example
  await goto(page, '#/metric/arpu');
  await page.fill('input[name="total_revenue"]', '50000');
  await page.fill('input[name="total_users"]', '1000');
  await page.selectOption('select[name="time_frame"]', 'monthly');
  await page.getByRole('button', { name: 'Calculate' }).click();
  const value = page.locator('#result .result-value');
  await value.waitFor();
  assert.match(await value.textContent(), /50\.00/);
  await screenshot('smoke-arpu');

  // the core's validation error next to its field
  await page.fill('input[name="total_users"]', '0');
  await page.getByRole('button', { name: 'Calculate' }).click();
  const error = page.locator('#m-arpu-total_users-error');
  await error.waitFor();
  assert.match(await error.textContent(), /greater than 0/);
  assert.equal(await page.getAttribute('input[name="total_users"]', 'aria-invalid'), 'true');
  assert.equal(await page.locator('#m-arpu-total_revenue-error').isVisible(), false);
  await screenshot('smoke-arpu-error');

  // MRR, method 1 then method 2 (the spec's two request bodies)
  await goto(page, '#/metric/mrr');
  await page.getByRole('radio', { name: /Method 1/ }).check();
  await page.fill('input[name="arpu"]', '50');
  await page.fill('input[name="number_of_accounts"]', '1000');
  await page.getByRole('button', { name: 'Calculate' }).click();
  await page.locator('#result .result-value').waitFor();
  assert.equal(await page.locator('#result .result-value').textContent(), '$50,000.00');
  assert.match(await page.locator('#result .interpretation').textContent(), /600,000/);
  await page.getByRole('radio', { name: /Method 2/ }).check();
  assert.equal(await page.locator('input[name="arpu"]').isVisible(), false);
  const method2 = { current_monthly_subscriptions: '45000', revenue_new_subscriptions: '5000', revenue_upgrades: '2000', revenue_downgrades: '500', revenue_lost_customers: '1500' };
  for (const [name, v] of Object.entries(method2)) await page.fill(`input[name="${name}"]`, v);
  await page.fill('input[name="revenue_upgrades"]', '3000'); // 45000 + 5000 + 3000 - 500 - 1500
  await page.getByRole('button', { name: 'Calculate' }).click();
  await page.waitForFunction(() => document.querySelector('#result .result-value')?.textContent === '$51,000.00');
  // "Use example values" fills the method on screen with the spec's method-2 request
  await page.getByRole('button', { name: 'Use example values' }).click();
  await page.waitForFunction(() => document.querySelector('#result .result-value')?.textContent === '$50,000.00');
  assert.equal(await page.inputValue('input[name="current_monthly_subscriptions"]'), '45000');
  assert.equal(await page.getByRole('radio', { name: /Method 2/ }).isChecked(), true);
  await screenshot('smoke-mrr-method2');

  // the spec's churn forecast: a chart is drawn
  await goto(page, '#/forecast');
  await page.getByRole('button', { name: 'Use example values' }).click();
  await page.locator('#forecast-chart canvas').waitFor();
  assert.equal(await page.inputValue('input[name="metric_name"]'), 'churn_rate');
  assert.ok(await paintedPixels(page, '#forecast-chart canvas') > 2000, 'the forecast chart is empty');
  assert.equal(await page.locator('#forecast-table tbody tr').count(), 3);
  assert.match(await page.locator('#pattern-analysis').textContent(), /decreasing/);
  await screenshot('smoke-forecast');
}
