// Forecast and pattern analysis: the predict route's generated form (values typed, pasted as a
// column, or loaded from a CSV with an optional date column and a picker when several columns
// hold numbers), a chart of history, forecast and its 80%/95% prediction intervals, a table of the
// same figures in the metric's unit, and the pattern analysis in words.
import { h } from '../dom.js';
import { callRoute, createRouteForm } from '../form.js';
import { formatNumber, formatValue } from '../format.js';
import { routeForMetricName } from '../catalog.js';
import { normalizeName, parseSeries } from '../series.js';
import { chartData, drawForecastChart } from '../chart.js';


const UNIT_SIGN = { currency: '$', percentage: '%', seconds: 's', hours: 'h' };

function shortDate(ts) {
  return typeof ts === 'string' ? ts.replace(/T00:00:00(\.0+)?Z?$/, '').replace('T', ' ') : String(ts);
}

/** The unit and axis title of a forecast of `metricName`, from the catalog route of that metric. */
function metricMeta(catalog, metricName) {
  const route = routeForMetricName(catalog, metricName);
  const unit = route?.unit ?? null;
  const name = route?.short_name ?? route?.name ?? (metricName || 'Value');
  return { route, unit, yTitle: UNIT_SIGN[unit] ? `${name} (${UNIT_SIGN[unit]})` : name };
}

/** "point 17" or its date: how a change point or an anomaly is named. */
function pointName(index, timestamp, timestamps) {
  const ts = timestamp ?? timestamps?.[index];
  return ts ? `${shortDate(ts)} (point ${index + 1})` : `point ${index + 1}`;
}

function trendInWords(analysis, unit) {
  const t = analysis.trend_test;
  if (!t) return `${analysis.trend}`;
  const clear = t.significant ? 'a clear trend' : 'not a clear trend (it could be noise)';
  return `${analysis.trend}: about ${formatValue(t.sen_slope, unit)} per period (${formatNumber(t.sen_slope_percent, true)}% of the average), ${clear}`;
}

function volatilityInWords(analysis) {
  const cv = analysis.volatility_value;
  return `${analysis.volatility_level}: values typically sit ${formatNumber(cv * 100, true)}% away from their average (coefficient of variation ${formatNumber(cv, true)})`;
}

export function renderForecast({ client, catalog, params, view, setHashQuery }) {
  const predict = catalog.byEndpoint('/predict/metric');
  const pattern = catalog.byEndpoint('/analyze/pattern');
  if (!predict) {
    view.replaceChildren(h('h1', {}, 'Forecast'), h('p', {}, 'This build of the engine has no forecasting route.'));
    return null;
  }
  let chart = null;
  let runId = 0;
  let lastFile = null;
  let metricFromColumn = false;

  const chartBox = h('div', { class: 'chart-box', id: 'forecast-chart' },
    h('p', { class: 'result-placeholder' }, 'Enter at least three values and press Forecast. The chart of history, forecast and its prediction intervals appears here.'));
  const windowSelect = h('select', { id: 'fc-window', onchange: () => chart?.setWindow(windowSelect.value) });
  const pngButton = h('button', { type: 'button', class: 'secondary small', id: 'chart-png', onclick: () => savePng() }, 'Download the chart (PNG)');
  const windowRow = h('div', { class: 'window-row no-print', hidden: true }, h('label', { for: 'fc-window' }, 'Show '), windowSelect, pngButton);
  const bandsText = 'The darker band is where the next values should land 8 times in 10 (the 80% interval); the lighter band 19 times in 20 (95%). Wider bands mean less certainty.';
  const skewText = ' Every value is positive and the errors of the model chosen are in proportion to the level: each band reaches further above the forecast than below it.';
  const intervalNote = h('p', { class: 'interval-note', id: 'interval-note', hidden: true }, bandsText);
  const tableBox = h('div', { class: 'forecast-table', 'aria-live': 'polite' });
  const analysisBox = h('div', { class: 'pattern-box', id: 'pattern-analysis', 'aria-live': 'polite' },
    h('p', { class: 'muted' }, 'Trend, volatility, seasonality and insights appear here.'));
  const summary = h('p', { class: 'data-summary', id: 'data-summary', 'aria-live': 'polite' });
  const problemsBox = h('div', { class: 'data-problems', id: 'fc-problems', role: 'status', hidden: true });
  const columnSelect = h('select', { id: 'fc-column', 'aria-describedby': 'fc-column-help', onchange: () => lastFile && readText(lastFile.text, lastFile.source, columnSelect.value) });
  const columnHelp = h('p', { class: 'help', id: 'fc-column-help' });
  const columnRow = h('div', { class: 'column-row', hidden: true }, h('label', { for: 'fc-column' }, 'Column to forecast'), columnSelect, columnHelp);

  const form = createRouteForm(predict, {
    idPrefix: 'fc',
    submitLabel: 'Forecast',
    onSubmit: (f) => run(f),
    onInput: () => describeData(),
  });
  const valuesInput = form.inputs.get('historical_values');
  const timestampsInput = form.inputs.get('timestamps');
  const metricInput = form.inputs.get('metric_name');
  metricInput?.addEventListener('input', () => { metricFromColumn = false; });

  function describeData() {
    const { body } = form.read();
    const n = Array.isArray(body.historical_values) ? body.historical_values.length : 0;
    const t = Array.isArray(body.timestamps) ? body.timestamps.length : 0;
    summary.textContent = n ? `${n} value${n === 1 ? '' : 's'}${t ? `, ${t} date${t === 1 ? '' : 's'}` : ''}` : '';
  }

  function showProblems(problems) {
    problemsBox.hidden = problems.length === 0;
    if (!problems.length) return problemsBox.replaceChildren();
    const shown = problems.slice(0, 8);
    problemsBox.replaceChildren(
      h('p', {}, `${problems.length} row${problems.length === 1 ? '' : 's'} not used:`),
      h('ul', {}, shown.map((p) => h('li', {}, `line ${p.line}: ${p.reason}`)),
        problems.length > shown.length ? h('li', {}, `… and ${problems.length - shown.length} more`) : null));
  }

  function showColumns(parsed) {
    columnRow.hidden = parsed.columns.length < 2;
    if (columnRow.hidden) return;
    columnSelect.replaceChildren(h('option', { value: '' }, 'Choose a column…'),
      ...parsed.columns.map((c) => h('option', { value: c.name, selected: c.index === parsed.valueColumn }, c.name)));
    if (parsed.valueColumn == null) columnSelect.value = '';
    columnHelp.textContent = parsed.needsChoice
      ? 'Several columns hold numbers and none is named like the metric: choose the one to forecast.'
      : `Several columns hold numbers: “${parsed.valueName}” is used. Choose another here.`;
  }

  /** Reads a file or a pasted block; with several numeric columns the metric name picks one, else the reader does. */
  function readText(text, source, column) {
    const parsed = parseSeries(text, { column, metricName: metricFromColumn ? '' : metricInput?.value });
    showColumns(parsed);
    showProblems(parsed.problems);
    if (parsed.needsChoice) {
      valuesInput.value = '';
      if (timestampsInput) timestampsInput.value = '';
      describeData();
      columnSelect.focus();
      return;
    }
    if (!parsed.values.length) {
      form.showErrors([{ loc: ['body', 'historical_values'], msg: `No numbers found in ${source}.` }]);
      return;
    }
    valuesInput.value = parsed.values.join('\n');
    if (timestampsInput) timestampsInput.value = parsed.timestamps ? parsed.timestamps.join('\n') : '';
    if (metricInput && parsed.valueName && (!metricInput.value || metricFromColumn)) {
      metricInput.value = normalizeName(parsed.valueName);
      metricFromColumn = true;
    }
    form.clearErrors();
    describeData();
  }

  // A block with dates or several columns pasted into the values box fills the fields like a file.
  valuesInput.addEventListener('paste', (event) => {
    const text = event.clipboardData?.getData('text/plain') ?? '';
    const parsed = parseSeries(text);
    if (parsed.timestamps || parsed.columns.length > 1 || parsed.problems.length) {
      event.preventDefault();
      lastFile = { text, source: 'the pasted text' };
      readText(text, 'the pasted text');
    }
  });

  const fileInput = h('input', { type: 'file', id: 'fc-file', accept: '.csv,.tsv,.txt,text/csv,text/plain',
    onchange: async () => {
      const file = fileInput.files?.[0];
      if (!file) return;
      lastFile = { text: await file.text(), source: file.name };
      readText(lastFile.text, file.name);
      fileInput.value = '';
    } });
  const fileRow = h('div', { class: 'file-row' },
    h('label', { for: 'fc-file' }, 'Load a CSV file'), fileInput,
    h('p', { class: 'help', id: 'fc-file-help' }, 'Values with an optional date column (2023-01-31, Jan 2023, 2023/01, Q1 2023, ...); a header row, semicolons and decimal commas are recognised.'));
  fileInput.setAttribute('aria-describedby', 'fc-file-help');
  valuesInput.closest('.field').append(fileRow, columnRow, summary, problemsBox);
  valuesInput.rows = 7;
  if (timestampsInput) timestampsInput.rows = 4;

  /** The chart as a PNG, on the page's background so it reads outside the page too. */
  function savePng() {
    const canvas = chartBox.querySelector('canvas');
    if (!canvas) return;
    const out = document.createElement('canvas');
    out.width = canvas.width;
    out.height = canvas.height;
    const g = out.getContext('2d');
    g.fillStyle = getComputedStyle(document.documentElement).getPropertyValue('--surface').trim() || '#fff';
    g.fillRect(0, 0, out.width, out.height);
    g.drawImage(canvas, 0, 0);
    const a = h('a', { href: out.toDataURL('image/png'), download: `pmkpi-forecast-${form.inputs.get('metric_name')?.value || 'series'}.png`, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
  }

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
    const meta = { ...metricMeta(catalog, body.metric_name), n: body.historical_values.length };
    await drawChart(body, forecast.data, meta);
    renderTable(forecast.data, meta);
    renderAnalysis(body, forecast.data, analysis?.status === 200 ? analysis.data : null, meta);
  }

  async function drawChart(body, forecast, meta) {
    chart?.destroy();
    const series = chartData(body.historical_values, body.timestamps, forecast);
    chart = await drawForecastChart(chartBox, series, meta);
    chartBox.setAttribute('aria-label', `Chart: ${meta.n} past values and ${forecast.predictions.length} forecast periods with 80% and 95% prediction intervals; the same figures are in the table below.`);
    const choices = [12, 24, 60, 120].filter((w) => w < meta.n);
    windowRow.hidden = false;
    windowSelect.disabled = choices.length === 0;
    windowSelect.replaceChildren(h('option', { value: 'all' }, `all ${meta.n} periods`),
      ...choices.map((w) => h('option', { value: String(w) }, `the last ${w} periods`)));
    intervalNote.textContent = bandsText + (forecast.model.interval_shape === 'log_normal' ? skewText : '');
    intervalNote.hidden = false;
  }

  function renderTable(forecast, meta) {
    const labels = forecast.forecast_timestamps ?? forecast.predictions.map((_, i) => `+${i + 1}`);
    const v = (x) => formatValue(x, meta.unit);
    const interval = (lo, hi, i) => (lo && hi ? `${v(lo[i])} – ${v(hi[i])}` : '–');
    tableBox.replaceChildren(
      h('table', { id: 'forecast-table' },
        h('caption', { class: 'visually-hidden' }, 'Forecast values and prediction intervals'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Period'), h('th', { scope: 'col' }, 'Forecast'),
          h('th', { scope: 'col' }, '80% interval'), h('th', { scope: 'col' }, '95% interval'))),
        h('tbody', {}, forecast.predictions.map((p, i) => h('tr', {},
          h('td', {}, shortDate(labels[i])), h('td', {}, v(p)),
          h('td', {}, interval(forecast.lower_80, forecast.upper_80, i)), h('td', {}, interval(forecast.lower_95, forecast.upper_95, i)))))),
      forecast.model?.explanation ? h('p', { id: 'forecast-explanation', class: 'muted' }, forecast.model.explanation) : null,
      componentsTable(forecast, labels, v));
  }

  /** Each forecast taken apart (level + trend + season + bound), behind a disclosure. */
  function componentsTable(forecast, labels, v) {
    const c = forecast.components;
    if (!c) return null;
    const bounded = c.bound.some((b) => b !== 0);
    const seasonal = c.season.some((s) => s !== 0);
    const columns = [['Level', c.level], ['Trend', c.trend], ...(seasonal ? [['Season', c.season]] : []), ...(bounded ? [['Range bound', c.bound]] : [])];
    return h('details', { id: 'forecast-components' },
      h('summary', {}, 'What each forecast is made of'),
      h('p', { class: 'muted' }, `Level: where the series stands now${seasonal ? ' without its season' : ''}; trend: what the models add to it by that period${seasonal ? '; season: the repeating pattern\'s part' : ''}${bounded ? '; range bound: what the metric\'s range (never below zero, at most 100%) changed' : ''}. They add up to the forecast.`),
      h('table', {},
        h('caption', { class: 'visually-hidden' }, 'Components of each forecast'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Period'), ...columns.map(([name]) => h('th', { scope: 'col' }, name)), h('th', { scope: 'col' }, 'Forecast'))),
        h('tbody', {}, forecast.predictions.map((p, i) => h('tr', {},
          h('td', {}, shortDate(labels[i])), ...columns.map(([, values]) => h('td', {}, v(values[i]))), h('td', {}, v(p)))))));
  }

  function pointsList(body, analysis, unit) {
    const v = (x) => formatValue(x, unit);
    const items = [
      ...(analysis.change_points ?? []).map((c) => `Change at ${pointName(c.index, c.timestamp, body.timestamps)}: the level moved from ${v(c.level_before)} to ${v(c.level_after)}`),
      ...(analysis.anomalies ?? []).map((a) => `Unusual value at ${pointName(a.index, a.timestamp, body.timestamps)}: ${v(a.value)} where about ${v(a.expected)} was expected`),
    ];
    if (!items.length) return h('p', { class: 'muted', id: 'pattern-points' }, 'No change point or unusual value.');
    return h('ul', { class: 'insights', id: 'pattern-points' }, items.map((t) => h('li', {}, t)));
  }

  /**
   * "ETS(M,A,M), Theta, DOTM, CES and ARIMA(0,1,1), weighted by past accuracy": the best ETS model,
   * then the other members by name, and how they were combined.
   */
  function modelWords(model) {
    if (!model?.selected_ets) return model?.name;
    const names = [model.selected_ets, ...(model.members ?? []).slice(1)];
    if (names.length === 1) return names[0];
    const how = model.name?.startsWith('Weighted') ? 'weighted by past accuracy' : 'averaged';
    return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}, ${how}`;
  }

  function renderAnalysis(body, forecast, analysis, { unit }) {
    const backtest = forecast.backtest?.smape != null
      ? `forecasts of past periods were off by ${formatNumber(forecast.backtest.smape, true)}% on average (repeating the last value: ${formatNumber(forecast.backtest.naive_smape, true)}%)` : null;
    const facts = [
      ['Confidence', backtest ? `${forecast.confidence_level}: ${backtest}` : forecast.confidence_level],
      ['Model', modelWords(forecast.model)],
    ];
    if (analysis) {
      facts.push(
        ['Trend', trendInWords(analysis, unit)],
        ['Volatility', volatilityInWords(analysis)],
        ['Seasonality', analysis.seasonality],
        ['Average', formatValue(analysis.average, unit)],
        ['Recent average', formatValue(analysis.recent_average, unit)],
      );
    } else facts.push(['Trend', forecast.trend]);
    const insights = analysis?.insights ?? forecast.insights ?? [];
    analysisBox.replaceChildren(
      h('dl', { class: 'facts' }, facts.filter(Boolean).flatMap(([k, val]) => [h('dt', {}, k), h('dd', {}, String(val ?? '–'))])),
      analysis ? h('h3', {}, 'Change points and unusual values') : null,
      analysis ? pointsList(body, analysis, unit) : null,
      h('h3', {}, 'Insights'),
      h('ul', { class: 'insights' }, insights.filter((i) => !/slope|per period/.test(i) || !analysis).map((i) => h('li', {}, i))),
    );
  }

  view.replaceChildren(
    h('h1', {}, 'Forecast & pattern analysis'),
    h('p', { class: 'lead' }, predict.description),
    h('div', { class: 'forecast-layout' },
      h('section', { class: 'panel', 'aria-labelledby': 'fc-inputs-h' }, h('h2', { id: 'fc-inputs-h' }, 'Your data'), form.form),
      h('div', {},
        h('section', { class: 'panel', 'aria-labelledby': 'fc-chart-h' }, h('h2', { id: 'fc-chart-h' }, 'History and forecast'), windowRow, chartBox, intervalNote, tableBox),
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
    chart?.destroy();
  };
}

/** Lists in the URL as comma-separated values, so a link stays short. */
function compactState(state) {
  return Object.fromEntries(Object.entries(state).map(([k, v]) => [k, v.split(/\s*[\n,]\s*/).filter(Boolean).join(',')]));
}
