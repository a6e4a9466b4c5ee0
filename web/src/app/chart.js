// The forecast chart (uPlot): history, forecast and its 80%/95% prediction intervals, with axis
// titles, y-axis ticks in the metric's unit sized for their labels, dates on the x axis when the
// series has them, the values under the pointer in a readout, drag-to-zoom and a window choice.
import { h } from './dom.js';
import { formatValue, formatTick } from './format.js';

let uPlotModule = null;
export async function loadUPlot() {
  uPlotModule ??= Promise.all([import('uplot'), import('uplot/dist/uPlot.min.css')]).then(([m]) => m.default);
  return uPlotModule;
}

function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

const toSeconds = (t) => Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(t) ? t : `${t}Z`) / 1000;

/** The chart's columns: history, then the forecast joined to the last observed value. */
export function chartData(values, timestamps, forecast) {
  const n = values.length;
  const ahead = forecast.predictions.length;
  const useTime = Array.isArray(timestamps) && timestamps.length === n && Array.isArray(forecast.forecast_timestamps)
    && forecast.forecast_timestamps.length === ahead && [...timestamps, ...forecast.forecast_timestamps].every((t) => Number.isFinite(Date.parse(t)));
  const x = useTime ? [...timestamps, ...forecast.forecast_timestamps].map(toSeconds) : [...Array(n + ahead).keys()].map((i) => i + 1);
  const pad = (arr) => [...Array(n - 1).fill(null), values[n - 1], ...arr];
  return {
    useTime,
    data: [
      x,
      [...values, ...Array(ahead).fill(null)],
      pad(forecast.predictions),
      pad(forecast.lower_95 ?? []),
      pad(forecast.upper_95 ?? []),
      pad(forecast.lower_80 ?? []),
      pad(forecast.upper_80 ?? []),
    ],
  };
}

/** An axis as wide as its longest label (uPlot's fixed default cuts "1,250,000" to ",250,000"). */
export function fitLabels(self, values, axisIndex, cycle) {
  const axis = self.axes[axisIndex];
  if (cycle > 1) return axis._size;
  let size = axis.ticks.size + axis.gap;
  const longest = (values ?? []).reduce((a, v) => (String(v).length > a.length ? String(v) : a), '');
  if (longest) {
    self.ctx.font = axis.font[0];
    size += self.ctx.measureText(longest).width / devicePixelRatio;
  }
  return Math.ceil(size) + 8;
}

export function dateLabel(seconds) {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

/**
 * Draws into `box` (replacing what was there). `meta`: {unit, yTitle, n (history length)}.
 * Answers {chart, setWindow(periods|'all'), destroy()}.
 */
export async function drawForecastChart(box, { data, useTime }, meta) {
  const uPlot = await loadUPlot();
  const text = cssVar('--text');
  const grid = cssVar('--border');
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  const readout = h('p', { class: 'chart-readout', id: 'chart-readout', 'aria-live': 'off' }, 'Point at the chart to read its values; drag across it to zoom, double-click to see everything.');
  const when = (i) => (useTime ? dateLabel(data[0][i]) : `period ${data[0][i]}`);
  const money = (v) => formatValue(v, meta.unit);
  function showPoint(u) {
    const i = u.cursor.idx;
    if (i == null) return;
    if (data[1][i] != null) readout.textContent = `${when(i)}: ${money(data[1][i])} (history)`;
    else if (data[2][i] != null) readout.textContent = `${when(i)}: forecast ${money(data[2][i])}; 80% interval ${money(data[5][i])} – ${money(data[6][i])}; 95% interval ${money(data[3][i])} – ${money(data[4][i])}`;
  }
  const band = (label, stroke) => ({ label, stroke, width: 1 });
  const plot = h('div', { class: 'chart-plot' });
  const opts = {
    width: Math.max(240, box.clientWidth - 28),
    height: 320,
    scales: { x: { time: useTime } },
    // the API's timestamps are UTC: show them as such, whatever the reader's time zone
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    axes: [
      { ...axis, values: useTime ? undefined : (u, splits) => splits.map((v) => (Number.isInteger(v) ? String(v) : '')) },
      { ...axis, size: fitLabels, values: (u, splits) => splits.map((v) => formatTick(v, meta.unit)) },
    ],
    series: [
      { label: useTime ? 'Date' : 'Period' },
      { label: 'History', stroke: cssVar('--chart-history'), width: 2, points: { show: true, size: 5 } },
      { label: 'Forecast', stroke: cssVar('--chart-forecast'), width: 2, dash: [6, 4], points: { show: true, size: 5 } },
      band('95% low', cssVar('--chart-band95-line')),
      band('95% high', cssVar('--chart-band95-line')),
      band('80% low', cssVar('--chart-band80')),
      band('80% high', cssVar('--chart-band80')),
    ],
    bands: [
      { series: [4, 3], fill: cssVar('--chart-band95') },
      { series: [6, 5], fill: cssVar('--chart-band80') },
    ],
    cursor: { drag: { x: true, y: false, setScale: true } },
    legend: { show: false },
    hooks: { setCursor: [showPoint] },
  };
  box.replaceChildren();
  box.setAttribute('role', 'group');
  const frame = h('div', { class: 'chart-frame' },
    h('p', { class: 'axis-title-y', 'aria-hidden': 'true' }, meta.yTitle),
    plot,
    h('p', { class: 'axis-title-x', 'aria-hidden': 'true' }, useTime ? 'Date (UTC)' : 'Period'));
  box.append(frame);
  const chart = new uPlot(opts, data, plot);
  box.append(readout, h('ul', { class: 'chart-legend', 'aria-hidden': 'true' },
    h('li', {}, h('span', { class: 'swatch line' }), 'History'),
    h('li', {}, h('span', { class: 'swatch dashed' }), 'Forecast'),
    h('li', {}, h('span', { class: 'swatch band80' }), '80% interval'),
    h('li', {}, h('span', { class: 'swatch band95' }), '95% interval')));
  const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(240, box.clientWidth - 28), height: 320 }));
  resize.observe(box);
  function setWindow(periods) {
    const x = data[0];
    const first = periods === 'all' ? 0 : Math.max(0, meta.n - Number(periods));
    chart.setScale('x', { min: x[first], max: x[x.length - 1] });
    box.dataset.window = String(periods);
  }
  box.dataset.window = 'all';
  return { chart, setWindow, destroy: () => { resize.disconnect(); chart.destroy(); } };
}
