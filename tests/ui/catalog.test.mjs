// The UI's reading of the catalog (web/src/app/catalog.js) on the real GET /metrics/list, answered
// by the WebAssembly core in Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '../../web/src/client/index.js';
import { helpText, methodsOf, readCatalog, routeForMetricName } from '../../web/src/app/catalog.js';

const client = await createClient();
const listing = await (await client.fetch('/metrics/list')).json();
const catalog = readCatalog(listing);

test('every KPI route once, by category, with the forecasting routes apart', () => {
  assert.ok(catalog.metricRoutes.length >= 24);
  assert.equal(new Set(catalog.metricRoutes.map((r) => r.id)).size, catalog.metricRoutes.length);
  assert.equal(catalog.metricCategories.flatMap((c) => c.routes).length, catalog.metricRoutes.length);
  assert.equal(catalog.byEndpoint('/predict/metric').metric_name, undefined);
  assert.equal(catalog.byEndpoint('/metrics/arpu').id, 'arpu');
});

test("MRR's two methods come from the fields' groups; single-method routes have none", () => {
  const methods = methodsOf(catalog.routes.get('mrr'));
  assert.equal(methods.length, 2);
  assert.deepEqual(methods[0].fields, ['arpu', 'number_of_accounts']);
  assert.ok(methods[1].fields.includes('current_monthly_subscriptions'));
  assert.deepEqual(methodsOf(catalog.routes.get('arpu')), []);
  const field = catalog.routes.get('mrr').fields.find((f) => f.group);
  assert.doesNotMatch(helpText(field), /^Method \d+:/);
});

test('a forecast metric name finds its catalog route, whatever its spelling', () => {
  for (const name of ['mrr', 'MRR', 'churn_rate', 'Churn Rate', 'churn-rate', 'nps']) assert.ok(routeForMetricName(catalog, name), name);
  assert.equal(routeForMetricName(catalog, 'churn_rate').unit, 'percentage');
  assert.equal(routeForMetricName(catalog, 'signups'), undefined);
  assert.equal(routeForMetricName(catalog, ''), undefined);
});
