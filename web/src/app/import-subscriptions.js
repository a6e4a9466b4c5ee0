// The Import page's answer for a subscription export: KPI cards of the latest period (banded
// through the catalog), MRR movements (new, expansion and reactivation up; contraction and churn
// down; net new MRR as a line), MRR with its forecast (the forecast route), the logo and revenue
// cohort heatmaps, the survival curve, per-segment movements, and every table as CSV and JSON.
import { h } from './dom.js';
import { formatValue, toneOf } from './format.js';
import { callRoute } from './form.js';
import { chartData, drawForecastChart } from './chart.js';
import { dataTable, drawPeriodChart, exportButtons, heatmap, kpiCards, matrixRows, resultSection, unitOfFigure } from './records-charts.js';

const MOVEMENTS = [
  { key: 'new_mrr', label: 'New', color: '--mv-new', stack: 'up' },
  { key: 'expansion_mrr', label: 'Expansion', color: '--mv-expansion', stack: 'up' },
  { key: 'reactivation_mrr', label: 'Reactivation', color: '--mv-reactivation', stack: 'up' },
  { key: 'contraction_mrr', label: 'Contraction', color: '--mv-contraction', stack: 'down' },
  { key: 'churned_mrr', label: 'Churn', color: '--mv-churn', stack: 'down' },
];
const FORECAST_AHEAD = 6;

/** The first day of a period as the engine names it: 2024-03, 2024-Q2, 2024-03-04 (weeks). */
export function periodStart(name) {
  const quarter = /^(\d{4})-Q([1-4])$/.exec(name);
  if (quarter) return `${quarter[1]}-${String(3 * Number(quarter[2]) - 2).padStart(2, '0')}-01`;
  return /^\d{4}-\d{2}$/.test(name) ? `${name}-01` : name;
}

function movementSeries(periods) {
  return [
    ...MOVEMENTS.map((m) => ({ ...m, kind: 'bar', values: periods.map((p) => p[m.key]) })),
    { key: 'net_new_mrr', label: 'Net new MRR', color: '--mv-net', kind: 'line', values: periods.map((p) => p.net_new_mrr) },
  ];
}

/** The summary as one export row: each figure, then each band's status by figure. */
export function flatSummary(summary) {
  const { bands = {}, ...figures } = summary;
  return { ...figures, ...Object.fromEntries(Object.entries(bands).map(([k, b]) => [`${k}_band`, b.status])) };
}

export function renderSubscriptionResults(root, answer, { catalog, client }) {
  const money = `currency:${answer.currency}`;
  const charts = [];
  const draw = (box, spec) => drawPeriodChart(box, spec).then((c) => charts.push(c));
  const periods = answer.periods;
  const labels = periods.map((p) => p.period);
  const unitOf = (key) => unitOfFigure(key, { catalog, money });

  const movementsBox = h('div', { class: 'chart', id: 'mrr-movements-chart', role: 'img', 'aria-label': 'MRR movements per period: new, expansion and reactivation above zero, contraction and churn below, net new MRR as a line; the figures are in the table below' });
  const movementRows = periods.map((p) => Object.fromEntries([['period', p.period], ...MOVEMENTS.map((m) => [m.key, p[m.key]]), ['net_new_mrr', p.net_new_mrr], ['mrr', p.mrr]]));
  const forecastBox = h('div', { class: 'chart', id: 'mrr-forecast-chart' });
  const forecastNote = h('p', { class: 'muted', id: 'mrr-forecast-note' }, 'Computing the forecast…');
  const cohortBox = h('div', { id: 'cohort-heatmap' });
  const cohortChoice = h('select', { id: 'cohort-kind', onchange: () => showCohorts() },
    h('option', { value: 'logo' }, 'Logo retention (customers still paying)'),
    h('option', { value: 'revenue' }, 'Revenue retention (their MRR, expansion included)'));
  const c = answer.cohorts;
  function showCohorts() {
    const revenue = cohortChoice.value === 'revenue';
    cohortBox.replaceChildren(heatmap({ cohorts: c.periods, sizes: revenue ? c.mrr : c.customers, matrix: revenue ? c.revenue : c.logo, mean: revenue ? c.mean_revenue : c.mean_logo,
      sizeLabel: revenue ? 'MRR' : 'Customers', sizeUnit: revenue ? money : 'count', caption: `${revenue ? 'Revenue' : 'Logo'} retention by cohort, percent of the cohort's first period` }));
  }
  showCohorts();
  const survival = answer.survival;
  const survivalBox = h('div', { class: 'chart', id: 'survival-chart', role: 'img', 'aria-label': 'Survival curve: the share of customers still paying k periods after they started' });
  const survivalRows = survival.curve.map((s, k) => ({ periods: k, surviving_percent: s * 100, at_risk: survival.at_risk[k], churned: survival.churned[k] }));

  root.append(
    resultSection('res-cards', `Latest period: ${answer.summary.period}`, `In ${answer.currency}${answer.segments ? `; segmented by ${answer.segments.by}` : ''}. Bands are the catalog's, from the metric route named on each card.`,
      kpiCards(answer.summary, { catalog, money, toneOf }), exportButtons('summary', [flatSummary(answer.summary)], answer.summary, 'Summary')),
    resultSection('res-movements', 'MRR movements', 'Per period: what was added (new, expansion, reactivation) and lost (contraction, churn), and the net change.',
      movementsBox, exportButtons('mrr-movements', movementRows), dataTable(movementRows, null, { caption: 'MRR movements per period', unitOf })),
    resultSection('res-forecast', 'MRR and its forecast', `The next ${FORECAST_AHEAD} periods from the forecast route, with 80% and 95% intervals.`, forecastBox, forecastNote),
    resultSection('res-cohorts', 'Cohorts', 'Each row is the customers who started paying in a period; each cell the share still there k periods later.',
      h('div', { class: 'field inline' }, h('label', { for: 'cohort-kind' }, 'Show'), cohortChoice), cohortBox,
      exportButtons('cohorts-logo', matrixRows(c.periods, c.customers, c.logo, 'customers'), c, 'Logo cohorts'), exportButtons('cohorts-revenue', matrixRows(c.periods, c.mrr, c.revenue, 'mrr'), c, 'Revenue cohorts')),
    resultSection('res-survival', 'Survival and lifetime', `Median lifetime ${survival.median_lifetime_periods ?? 'not reached'} periods; restricted mean ${survival.restricted_mean_lifetime_periods ?? '–'} periods; LTV ${survival.ltv == null ? '–' : formatValue(survival.ltv, money)}.`,
      survivalBox, exportButtons('survival', survivalRows, survival), dataTable(survivalRows, null, { caption: 'Survival by periods since start', unitOf: (k) => (k === 'surviving_percent' ? 'percentage' : 'count') })),
  );
  if (answer.segments) root.append(segmentSection(answer.segments, { draw, unitOf }));
  root.append(resultSection('res-periods', 'Every period', 'Every figure of RECORDS.md\'s table, per period.',
    exportButtons('periods', periods), dataTable(periods, null, { caption: 'Every figure per period', unitOf })));

  draw(movementsBox, { labels, series: movementSeries(periods), unit: money, yTitle: `MRR change (${answer.currency})` });
  draw(survivalBox, { labels: survival.curve.map((_, k) => String(k)), series: [{ label: 'Surviving', color: '--chart-history', kind: 'line', values: survival.curve.map((s) => s * 100) }], unit: 'percentage', yTitle: 'Customers still paying (%)', xTitle: 'Periods since the customer started' });
  forecast(client, catalog, periods, forecastBox, forecastNote, money, answer.currency).then((chart) => chart && charts.push(chart));
  return () => charts.forEach((chart) => chart.destroy());
}

function segmentSection(segments, { draw, unitOf }) {
  const box = h('div', { class: 'chart', id: 'segment-chart', role: 'img', 'aria-label': 'MRR movements of the chosen segment' });
  const table = h('div');
  const choice = h('select', { id: 'segment-value', onchange: () => show() }, segments.values.map((s, i) => h('option', { value: String(i) }, s.segment)));
  const totals = h('div', {});
  const latest = segments.values.map((s) => ({ segment: s.segment, ...s.periods[s.periods.length - 1] }));
  totals.append(dataTable(latest.map((s) => ({ segment: s.segment, mrr: s.mrr, customers: s.customers, net_new_mrr: s.net_new_mrr, logo_churn_rate: s.logo_churn_rate, net_revenue_retention: s.net_revenue_retention })), null, { caption: 'Latest period per segment', unitOf }));
  function show() {
    const s = segments.values[Number(choice.value)];
    draw(box, { labels: s.periods.map((p) => p.period), series: movementSeries(s.periods), unit: unitOf('mrr'), yTitle: `MRR change: ${s.segment}` });
    table.replaceChildren(exportButtons(`segment-${s.segment}`, s.periods), dataTable(s.periods, null, { caption: `Periods of ${s.segment}`, unitOf }));
  }
  queueMicrotask(show);
  return resultSection('res-segments', `By ${segments.by}`, 'The latest period of each segment, and the movements of the one you choose.',
    totals, h('div', { class: 'field inline' }, h('label', { for: 'segment-value' }, `${segments.by}`), choice), box, table,
    exportButtons('segments', segments.values.flatMap((s) => s.periods.map((p) => ({ segment: s.segment, ...p }))), segments));
}

async function forecast(client, catalog, periods, box, note, money, currency) {
  const route = catalog.byEndpoint('/predict/metric');
  const values = periods.map((p) => p.mrr);
  const timestamps = periods.map((p) => periodStart(p.period));
  const body = { metric_name: 'MRR', historical_values: values, timestamps, periods_ahead: FORECAST_AHEAD };
  const { status, data } = await callRoute(client, route, body);
  if (status !== 200) {
    note.textContent = `No forecast: ${Array.isArray(data.detail) ? data.detail.map((d) => d.msg).join('; ') : data.detail}`;
    return null;
  }
  const chart = await drawForecastChart(box, chartData(values, timestamps, data), { unit: money, yTitle: `MRR (${currency})`, n: values.length });
  note.textContent = `Model: ${data.model?.name ?? 'the forecast route\'s choice'}; trend ${data.trend}, confidence ${data.confidence_level}. The forecast page explains the model and its intervals.`;
  box.setAttribute('aria-label', `MRR over ${values.length} periods and ${FORECAST_AHEAD} forecast periods with 80% and 95% intervals`);
  return chart;
}
