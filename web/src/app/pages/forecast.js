// Forecast and pattern analysis: the predict route's generated form (values typed, pasted as a
// column, or loaded from a CSV with an optional date column), a uPlot chart of history, forecast
// and its 80%/95% prediction intervals, a table of the same figures, and the pattern analysis.
import { h } from '../dom.js';
import { callRoute, createRouteForm } from '../form.js';
import { formatNumber } from '../format.js';
import { parseSeries } from '../series.js';

let uPlotModule = null;
async function loadUPlot() {
  if (!uPlotModule) {
    uPlotModule = Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([m]) => m.default);
  }
  return uPlotModule;
}

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

function shortDate(ts) {
  return typeof ts === 'string' ? ts.replace(/T00:00:00(\.0+)?Z?$/, '').replace('T', ' ') : String(ts);
}

/** The chart's columns: history, then the forecast joined to the last observed value. */
export function chartData(values, timestamps, forecast) {
  const n = values.length;
  const h_ = forecast.predictions.length;
  const useTime = Array.isArray(timestamps) && timestamps.length === n && Array.isArray(forecast.forecast_timestamps)
    && forecast.forecast_timestamps.length === h_ && [...timestamps, ...forecast.forecast_timestamps].every((t) => Number.isFinite(Date.parse(t)));
  const x = useTime
    ? [...timestamps, ...forecast.forecast_timestamps].map((t) => Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t : `${t}Z`) / 1000)
    : [...Array(n + h_).keys()].map((i) => i + 1);
  const pad = (arr) => [...Array(n - 1).fill(null), values[n - 1], ...arr];
  return {
    useTime,
    data: [
      x,
      [...values, ...Array(h_).fill(null)],
      pad(forecast.predictions),
      pad(forecast.lower_95 ?? []),
      pad(forecast.upper_95 ?? []),
      pad(forecast.lower_80 ?? []),
      pad(forecast.upper_80 ?? []),
    ],
  };
}

export function renderForecast({ client, catalog, params, view, setHashQuery }) {
  const predict = catalog.byEndpoint('/predict/metric');
  const pattern = catalog.byEndpoint('/analyze/pattern');
  if (!predict) {
    view.replaceChildren(h('h1', {}, 'Forecast'), h('p', {}, 'This build of the engine has no forecasting route.'));
    return null;
  }
  let chart = null;
  let resizeObserver = null;
  let runId = 0;

  const chartBox = h('div', { class: 'chart-box', id: 'forecast-chart' },
    h('p', { class: 'result-placeholder' }, 'Enter at least three values and press Forecast. The chart of history, forecast and its prediction intervals appears here.'));
  const tableBox = h('div', { class: 'forecast-table', 'aria-live': 'polite' });
  const analysisBox = h('div', { class: 'pattern-box', id: 'pattern-analysis', 'aria-live': 'polite' },
    h('p', { class: 'muted' }, 'Trend, volatility, seasonality and insights appear here.'));
  const summary = h('p', { class: 'data-summary', id: 'data-summary', 'aria-live': 'polite' });

  const form = createRouteForm(predict, {
    idPrefix: 'fc',
    submitLabel: 'Forecast',
    onSubmit: (f) => run(f),
    onInput: () => describeData(),
  });
  const valuesInput = form.inputs.get('historical_values');
  const timestampsInput = form.inputs.get('timestamps');

  function describeData() {
    const { body } = form.read();
    const n = Array.isArray(body.historical_values) ? body.historical_values.length : 0;
    const t = Array.isArray(body.timestamps) ? body.timestamps.length : 0;
    summary.textContent = n ? `${n} value${n === 1 ? '' : 's'}${t ? `, ${t} date${t === 1 ? '' : 's'}` : ''}` : '';
  }

  function applySeries(parsed, source) {
    if (!parsed.values.length) {
      form.showErrors([{ loc: ['body', 'historical_values'], msg: `No numbers found in ${source}.` }]);
      return;
    }
    valuesInput.value = parsed.values.join('\n');
    if (timestampsInput) timestampsInput.value = parsed.timestamps ? parsed.timestamps.join('\n') : '';
    const metricInput = form.inputs.get('metric_name');
    if (metricInput && !metricInput.value && parsed.valueName) metricInput.value = parsed.valueName.toLowerCase().replace(/\s+/g, '_');
    form.clearErrors();
    describeData();
    summary.textContent += parsed.skipped ? ` (${parsed.skipped} row${parsed.skipped === 1 ? '' : 's'} without a number skipped)` : '';
  }

  // A block with dates and values pasted into the values box fills both fields.
  valuesInput.addEventListener('paste', (event) => {
    const text = event.clipboardData?.getData('text/plain') ?? '';
    const parsed = parseSeries(text);
    if (parsed.timestamps) {
      event.preventDefault();
      applySeries(parsed, 'the pasted text');
    }
  });

  const fileInput = h('input', { type: 'file', id: 'fc-file', accept: '.csv,.tsv,.txt,text/csv,text/plain',
    onchange: async () => {
      const file = fileInput.files?.[0];
      if (!file) return;
      applySeries(parseSeries(await file.text()), file.name);
    } });
  const fileRow = h('div', { class: 'file-row' },
    h('label', { for: 'fc-file' }, 'Load a CSV file'), fileInput,
    h('p', { class: 'help', id: 'fc-file-help' }, 'A column of values, optionally with a date column; a header row is recognised.'));
  fileInput.setAttribute('aria-describedby', 'fc-file-help');
  valuesInput.closest('.field').append(fileRow, summary);
  valuesInput.rows = 7;
  if (timestampsInput) timestampsInput.rows = 4;

  async function run(f) {
    const id = ++runId;
    const { body, localErrors } = f.read();
    if (localErrors.length) return f.showErrors(localErrors);
    setHashQuery('/forecast', new URLSearchParams(compactState(f.getState())));
    const patternBody = pattern ? Object.fromEntries(Object.entries(body).filter(([k]) => pattern.fields.some((fd) => fd.name === k))) : null;
    const [forecast, analysis] = await Promise.all([
      callRoute(client, predict, body),
      patternBody ? callRoute(client, pattern, patternBody) : Promise.resolve(null),
    ]);
    if (id !== runId) return;
    if (forecast.status !== 200) {
      f.showErrors(forecast.data.detail);
      return;
    }
    f.clearErrors();
    await drawChart(body, forecast.data);
    renderTable(body, forecast.data);
    renderAnalysis(forecast.data, analysis?.status === 200 ? analysis.data : null);
  }

  async function drawChart(body, forecast) {
    const uPlot = await loadUPlot();
    const { data, useTime } = chartData(body.historical_values, body.timestamps, forecast);
    const history = cssVar('--chart-history');
    const future = cssVar('--chart-forecast');
    const text = cssVar('--text');
    const grid = cssVar('--border');
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const band = (label, fill) => ({ label, stroke: fill, width: 1, fill: undefined, value: (u, v) => (v == null ? '–' : formatNumber(v)) });
    const opts = {
      width: Math.max(280, chartBox.clientWidth),
      height: 320,
      scales: { x: { time: useTime } },
      // the API's timestamps are UTC: show them as such, whatever the reader's time zone
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      axes: [{ ...axis }, { ...axis, size: 60 }],
      series: [
        { label: useTime ? 'Date' : 'Period', value: useTime ? (u, v) => (v == null ? '–' : new Date(v * 1000).toISOString().slice(0, 10)) : undefined },
        { label: 'History', stroke: history, width: 2, points: { show: true, size: 5 } },
        { label: 'Forecast', stroke: future, width: 2, dash: [6, 4], points: { show: true, size: 5 } },
        band('95% low', cssVar('--chart-band95')),
        band('95% high', cssVar('--chart-band95')),
        band('80% low', cssVar('--chart-band80')),
        band('80% high', cssVar('--chart-band80')),
      ],
      bands: [
        { series: [4, 3], fill: cssVar('--chart-band95') },
        { series: [6, 5], fill: cssVar('--chart-band80') },
      ],
      cursor: { drag: { x: false, y: false } },
      legend: { show: false },
    };
    chart?.destroy();
    chartBox.replaceChildren();
    chartBox.setAttribute('role', 'img');
    chartBox.setAttribute('aria-label', `Chart: ${body.historical_values.length} past values and ${forecast.predictions.length} forecast periods with 80% and 95% prediction intervals; the same figures are in the table below.`);
    chart = new uPlot(opts, data, chartBox);
    chartBox.append(h('ul', { class: 'chart-legend', 'aria-hidden': 'true' },
      h('li', {}, h('span', { class: 'swatch line' }), 'History'),
      h('li', {}, h('span', { class: 'swatch dashed' }), 'Forecast'),
      h('li', {}, h('span', { class: 'swatch band80' }), '80% interval'),
      h('li', {}, h('span', { class: 'swatch band95' }), '95% interval')));
    resizeObserver?.disconnect();
    resizeObserver = new ResizeObserver(() => chart?.setSize({ width: Math.max(280, chartBox.clientWidth), height: 320 }));
    resizeObserver.observe(chartBox);
  }

  function renderTable(body, forecast) {
    const labels = forecast.forecast_timestamps ?? forecast.predictions.map((_, i) => `+${i + 1}`);
    const interval = (lo, hi, i) => (lo && hi ? `${formatNumber(lo[i], true)} – ${formatNumber(hi[i], true)}` : '–');
    tableBox.replaceChildren(
      h('table', { id: 'forecast-table' },
        h('caption', { class: 'visually-hidden' }, 'Forecast values and prediction intervals'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Period'), h('th', { scope: 'col' }, 'Forecast'),
          h('th', { scope: 'col' }, '80% interval'), h('th', { scope: 'col' }, '95% interval'))),
        h('tbody', {}, forecast.predictions.map((p, i) => h('tr', {},
          h('td', {}, shortDate(labels[i])), h('td', {}, formatNumber(p, true)),
          h('td', {}, interval(forecast.lower_80, forecast.upper_80, i)), h('td', {}, interval(forecast.lower_95, forecast.upper_95, i)))))));
  }

  function renderAnalysis(forecast, analysis) {
    const facts = [
      ['Confidence', forecast.confidence_level],
      ['Forecast trend', forecast.trend],
      ['Model', forecast.model?.selected_ets ? `${forecast.model.method} (${forecast.model.selected_ets}, Theta)` : forecast.model?.name],
      forecast.backtest?.smape != null ? ['Backtest error (sMAPE)', `${formatNumber(forecast.backtest.smape, true)}% (last value repeated: ${formatNumber(forecast.backtest.naive_smape, true)}%)`] : null,
    ];
    if (analysis) {
      facts.push(
        ['Trend', `${analysis.trend} (slope ${formatNumber(analysis.slope)} per period)`],
        ['Volatility', `${analysis.volatility_level} (${formatNumber(analysis.volatility_value)})`],
        ['Seasonality', analysis.seasonality],
        ['Average', formatNumber(analysis.average)],
        ['Recent average', formatNumber(analysis.recent_average)],
      );
    }
    const insights = [...new Set([...(analysis?.insights ?? []), ...(forecast.insights ?? [])])];
    analysisBox.replaceChildren(
      h('dl', { class: 'facts' }, facts.filter(Boolean).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v ?? '–'))])),
      h('h3', {}, 'Insights'),
      h('ul', { class: 'insights' }, insights.map((i) => h('li', {}, i))),
    );
  }

  view.replaceChildren(
    h('h1', {}, 'Forecast & pattern analysis'),
    h('p', { class: 'lead' }, predict.description),
    h('div', { class: 'forecast-layout' },
      h('section', { class: 'panel', 'aria-labelledby': 'fc-inputs-h' }, h('h2', { id: 'fc-inputs-h' }, 'Your data'), form.form),
      h('div', {},
        h('section', { class: 'panel', 'aria-labelledby': 'fc-chart-h' }, h('h2', { id: 'fc-chart-h' }, 'History and forecast'), chartBox, tableBox),
        h('div', { class: 'analysis-grid single' },
          h('section', { class: 'panel', 'aria-labelledby': 'fc-pattern-h' }, h('h2', { id: 'fc-pattern-h' }, 'Pattern analysis'), analysisBox)))),
  );

  const state = Object.fromEntries(params);
  if (Object.keys(state).length) {
    form.setState(state);
    describeData();
    run(form);
  }
  return () => {
    ++runId;
    resizeObserver?.disconnect();
    chart?.destroy();
  };
}

/** Lists in the URL as comma-separated values, so a link stays short. */
function compactState(state) {
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [k, v.split(/\s*[\n,]\s*/).filter(Boolean).join(',')]));
}
