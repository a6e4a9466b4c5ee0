// The dashboard's state outside the browser: the short link's encoding, old links, merging series
// sent by another page (the entry point of the Import page), and the arithmetic of a card over time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dashboardLink, decodeState, emptyState, encodeState, legacyParamsToState, mergeSeries, normalizeState, stateFromParams } from '../../web/src/app/dashboard-state.js';
import { changes, nextPeriod, sparklinePath, targetProgress, yearEarlier } from '../../web/src/app/trend.js';
import { derivableRoutes, requestShapes, resultNames } from '../../web/src/app/derived.js';
import { readCatalog } from '../../web/src/app/catalog.js';
import { createClient } from '../../web/src/client/index.js';

const months = (n) => [...Array(n).keys()].map((i) => ({ period: `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`, value: 1000 + i * 37.5 }));

test('a short link holds the whole state and reads back the same', async () => {
  const state = { ...emptyState(), name: 'Board', metrics: ['mrr', 'nps'], inputs: { nps: { promoters: '50' } }, series: { mrr: months(36) }, targets: { mrr: 5000 } };
  const text = await encodeState(state);
  assert.match(text, /^[A-Za-z0-9_-]+$/);
  assert.ok(text.length < JSON.stringify(state).length / 2, `${text.length} vs ${JSON.stringify(state).length}`);
  assert.deepEqual(await decodeState(text), state);
  assert.deepEqual(await stateFromParams(new URLSearchParams((await dashboardLink(state)).split('?')[1])), state);
  assert.equal(await stateFromParams(new URLSearchParams('s=not-a-state')), null);
});

test('old links (m=...&id.field=...) still open', async () => {
  const state = legacyParamsToState(new URLSearchParams('m=arpu,nps&arpu.total_users=500&nps.promoters=1'));
  assert.deepEqual(state.metrics, ['arpu', 'nps']);
  assert.deepEqual(state.inputs, { arpu: { total_users: '500' }, nps: { promoters: '1' } });
  assert.deepEqual((await stateFromParams(new URLSearchParams('m=arpu'))).metrics, ['arpu']);
});

test('series sent by another page join the dashboard: a card per metric, newer values win, in period order', () => {
  const start = normalizeState({ metrics: ['nps'], series: { mrr: [{ period: '2024-02', value: 1 }] } });
  const merged = mergeSeries(start, { mrr: [{ period: '2024-01', value: 10 }, { period: '2024-02', value: 20 }, { period: 'x', value: NaN }], 'churn-rate': [{ period: '2024-01', value: 5 }] });
  assert.deepEqual(merged.metrics, ['nps', 'mrr', 'churn-rate']);
  assert.deepEqual(merged.series.mrr, [{ period: '2024-01', value: 10 }, { period: '2024-02', value: 20 }]);
  assert.deepEqual(start.series.mrr, [{ period: '2024-02', value: 1 }], 'the state given is not changed');
});

test('changes against the previous period and the same period a year earlier', () => {
  const c = changes(months(14));
  assert.equal(c.last.period, '2024-02');
  assert.equal(c.previous.period, '2024-01');
  assert.equal(c.previous.delta, 37.5);
  assert.equal(c.yearAgo.period, '2023-02');
  assert.equal(c.yearAgo.delta, 450);
  assert.ok(Math.abs(c.yearAgo.percent - (450 / 1037.5) * 100) < 1e-9);
  assert.equal(changes(months(5)).yearAgo, null);
  assert.equal(changes([]), null);
  assert.equal(yearEarlier('2024-02-29'), '2023-02-29');
  assert.equal(nextPeriod('2024-12'), '2025-01');
});

test('targets: higher or lower is better', () => {
  const under = targetProgress(90, 100);
  assert.equal(under.met, false);
  assert.ok(Math.abs(under.share - 90) < 1e-9);
  assert.equal(targetProgress(110, 100).met, true);
  assert.equal(targetProgress(1.5, 2, true).met, true);
  assert.equal(targetProgress(3, 2, true).met, false);
  assert.equal(targetProgress(3, undefined), null);
});

test('sparkline spans its box', () => {
  const d = sparklinePath([1, 3, 2], 100, 20, 0);
  assert.equal(d, 'M0.0 20.0 L50.0 0.0 L100.0 10.0');
  assert.equal(sparklinePath([1]), '');
});

test('derived routes: found from the catalog, never for the cards already there, never a twin of one card', async () => {
  const client = await createClient();
  const catalog = readCatalog(await (await client.fetch('/metrics/list')).json());
  assert.deepEqual(requestShapes(catalog.routes.get('mrr')).map((s) => s.length), [2, 5]);
  const csat = catalog.routes.get('csat');
  const sources = [{ route: csat, body: { number_of_satisfied_responses: 80, total_number_of_responses: 100 }, value: 80 }];
  assert.deepEqual(derivableRoutes(catalog, sources, ['csat']).map((d) => d.route.id), [], 'CSAT inputs do not make an OSAT card');
  const nrr = catalog.routes.get('nrr');
  const fromNrr = derivableRoutes(catalog, [{ route: nrr, body: { mrr_at_beginning: 100000, expansion_revenue: 5000, contraction_revenue: 2000, churned_revenue: 3000 }, value: 100 }], ['nrr']);
  const grr = catalog.byEndpoint('/metrics/grr');
  if (grr) assert.deepEqual(fromNrr.find((d) => d.route.id === grr.id).body, { mrr_at_beginning: 100000, contraction_revenue: 2000, churned_revenue: 3000 });
  for (const d of fromNrr) assert.ok(!d.route.fields.some((f) => f.required && !(f.name in d.body)));
});

test('a ratio route taking other metrics\' results (LTV:CAC from the CLTV and CAC cards) is derived with their values', async () => {
  const client = await createClient();
  const catalog = readCatalog(await (await client.fetch('/metrics/list')).json());
  const ratio = catalog.routes.get('ltv-cac'); // `ltv` and `cac` given, or `arpa` and margins
  assert.ok(resultNames(catalog.routes.get('cltv')).has('ltv'));
  assert.deepEqual(requestShapes(ratio), [['cac', 'ltv'], ['cac', 'arpa', 'gross_margin_percent', 'monthly_churn_rate_percent']]);
  const sources = [
    { route: catalog.routes.get('cltv'), body: { average_customer_lifetime_months: 24, average_revenue_per_user: 100 }, value: 2400 },
    { route: catalog.routes.get('cac'), body: { total_marketing_spending: 5000, total_sales_spending: 3000, number_of_new_customers: 10 }, value: 800 },
  ];
  const derived = derivableRoutes(catalog, sources, ['cltv', 'cac']).find((d) => d.route.id === 'ltv-cac');
  assert.deepEqual(derived.body, { cac: 800, ltv: 2400 });
  assert.deepEqual(derived.from.sort(), ['CAC', 'CLTV/LTV']);
});
