// The Import page's charts and tables: series over periods (lines, bars, bars stacked up and down
// from zero) drawn with uPlot, cohort heatmaps and data tables as HTML, and the CSV / JSON export
// of every table. Each chart has a readout of the values under the pointer and a table beside it,
// so every figure can be read without the chart.
import { h, download } from './dom.js';
import { detailLabel, detailUnit, formatTick, formatValue } from './format.js';
import { fitLabels, loadUPlot } from './chart.js';

/** "net_new_mrr" -> "Net new MRR": a figure's name as a column or card title. */
export function figureName(key) {
  return detailLabel(String(key).replace(/_(seconds|hours)$/, '')).replace(/\b(mrr|arr|arpa|ltv|dau|mau|wau|l7|l28)\b/gi, (w) => w.toUpperCase());
}

export function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

/**
 * Draws series over `labels` (period names) into `box`. Each series: {label, values, color (a CSS
 * variable name), kind: 'line' | 'bar', stack: 'up' | 'down' (bars piled from zero, down ones drawn
 * below it as negative)}. Answers {destroy}.
 */
export async function drawPeriodChart(box, { labels, series, unit, yTitle, xTitle = null, height = 300 }) {
  const uPlot = await loadUPlot();
  const x = labels.map((_, i) => i);
  const piles = { up: new Array(labels.length).fill(0), down: new Array(labels.length).fill(0) };
  const drawn = series.map((s) => {
    if (!s.stack) return { ...s, shown: s.values };
    const pile = piles[s.stack];
    const sign = s.stack === 'down' ? -1 : 1;
    const shown = s.values.map((v, i) => (pile[i] += sign * Math.abs(v ?? 0)));
    return { ...s, shown: [...shown] };
  });
  // a pile's taller bars first, so each smaller one is painted over it
  const order = [...drawn.filter((s) => s.stack).reverse(), ...drawn.filter((s) => !s.stack)];
  const text = cssVar('--text');
  const grid = cssVar('--border');
  const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  const bars = uPlot.paths.bars({ size: [0.7, 48] });
  const readout = h('p', { class: 'chart-readout', 'aria-live': 'off' }, 'Point at the chart to read the values of a period.');
  const plot = h('div', { class: 'chart-plot' });
  const width = () => Math.max(240, box.clientWidth - 28);
  const opts = {
    width: width(),
    height,
    scales: { x: { time: false, range: (u, min, max) => [min - 0.6, max + 0.6] } },
    axes: [
      // at least one label's width between ticks, so that dates never overlap
      { ...axis, space: Math.max(40, 8 * Math.max(...labels.map((l) => String(l).length))), values: (u, splits) => splits.map((v) => (Number.isInteger(v) && labels[v] != null ? labels[v] : '')) },
      { ...axis, size: fitLabels, values: (u, splits) => splits.map((v) => formatTick(v, unit)) },
    ],
    series: [
      { label: 'Period' },
      ...order.map((s) => ({
        label: s.label,
        stroke: cssVar(s.color),
        fill: s.kind === 'bar' ? cssVar(s.color) : undefined,
        width: s.kind === 'bar' ? 0 : 2,
        paths: s.kind === 'bar' ? bars : undefined,
        points: { show: s.kind !== 'bar' && labels.length < 60, size: 4 },
      })),
    ],
    cursor: { drag: { x: true, y: false, setScale: true } },
    legend: { show: false },
    hooks: {
      setCursor: [(u) => {
        const i = u.cursor.idx;
        if (i == null) return;
        readout.textContent = `${labels[i]}: ${series.map((s) => `${s.label} ${s.values[i] == null ? '–' : formatValue(s.values[i], unit)}`).join('; ')}`;
      }],
    },
  };
  box.replaceChildren(h('div', { class: 'chart-frame' }, h('p', { class: 'axis-title-y', 'aria-hidden': 'true' }, yTitle), plot,
    xTitle ? h('p', { class: 'axis-title-x', 'aria-hidden': 'true' }, xTitle) : null));
  const chart = new uPlot(opts, [x, ...order.map((s) => s.shown)], plot);
  box.append(readout, h('ul', { class: 'chart-legend', 'aria-hidden': 'true' },
    series.map((s) => h('li', {}, h('span', { class: `swatch ${s.kind === 'bar' ? 'block' : 'line'}`, style: s.kind === 'bar' ? `background: var(${s.color})` : `border-top-color: var(${s.color})` }), s.label))));
  const resize = new ResizeObserver(() => chart.setSize({ width: width(), height }));
  resize.observe(box);
  return { destroy: () => { resize.disconnect(); chart.destroy(); } };
}

const csvCell = (v) => {
  const text = v == null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** Rows of flat objects as CSV (columns: every key, in order of first appearance). */
export function toCsv(rows) {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [columns.map(csvCell).join(','), ...rows.map((r) => columns.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
}

/** "Download CSV" and "Download JSON" buttons for one table. */
export function exportButtons(name, rows, json = rows, what = '') {
  const label = (format) => (what ? `${what} as ${format}` : `Download ${format}`);
  return h('div', { class: 'export-row' },
    h('button', { type: 'button', class: 'secondary', dataset: { export: `${name}.csv` }, onclick: () => download(`${name}.csv`, toCsv(rows), 'text/csv') }, label('CSV')),
    h('button', { type: 'button', class: 'secondary', dataset: { export: `${name}.json` }, onclick: () => download(`${name}.json`, JSON.stringify(json, null, 2), 'application/json') }, label('JSON')));
}

/**
 * A table of rows. `columns`: [{key, label, unit}] (default: every key). Large tables are shown in
 * a scrolling box; the export holds every row.
 */
export function dataTable(rows, columns = null, { caption, unitOf = () => null } = {}) {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))].map((key) => ({ key, label: figureName(key), unit: unitOf(key) }));
  const cell = (v, unit) => (v == null ? '–' : typeof v === 'number' ? formatValue(v, unit) : String(v));
  return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption ?? 'Table' },
    h('table', { class: 'data-table' },
      caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
      h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, c.label)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, cols.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, cell(r[c.key], c.unit)) : h('td', {}, cell(r[c.key], c.unit)))))))));
}

/**
 * A cohort heatmap: one row per cohort (its name and size), one cell per period since it started,
 * shaded by the percentage it holds; `mean` is the weighted mean row.
 */
export function heatmap({ cohorts, sizes, matrix, mean, sizeLabel, sizeUnit = 'count', caption }) {
  const periods = Math.max(0, ...matrix.map((r) => r.length));
  const shade = (v) => (v == null ? '' : `--heat: ${(Math.max(0, Math.min(100, v)) / 100).toFixed(3)}`);
  const cell = (v) => h('td', { class: v == null ? 'heat empty' : 'heat', style: shade(v) }, v == null ? '' : `${v.toFixed(1)}%`);
  return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption },
    h('table', { class: 'heatmap' },
      h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Cohort'), h('th', { scope: 'col' }, sizeLabel),
        [...Array(periods).keys()].map((k) => h('th', { scope: 'col' }, String(k))))),
      h('tbody', {},
        matrix.map((row, i) => h('tr', {}, h('th', { scope: 'row' }, cohorts[i]), h('td', { class: 'num' }, formatValue(sizes[i], sizeUnit)),
          [...Array(periods).keys()].map((k) => cell(row[k] ?? null)))),
        mean ? h('tr', { class: 'heat-mean' }, h('th', { scope: 'row' }, 'Weighted mean'), h('td', {}, ''), mean.map(cell)) : null)));
}

/** A matrix as export rows: {cohort, size, "0": v0, "1": v1, ...}. */
export function matrixRows(cohorts, sizes, matrix, sizeKey) {
  return matrix.map((row, i) => ({ cohort: cohorts[i], [sizeKey]: sizes[i], ...Object.fromEntries(row.map((v, k) => [String(k), v])) }));
}

/** A section of results: heading, optional note, body, and the export buttons of its table. */
export function resultSection(id, title, note, ...body) {
  return h('section', { class: 'panel import-section', id, 'aria-labelledby': `${id}-h` },
    h('h2', { id: `${id}-h` }, title), note ? h('p', { class: 'muted section-note' }, note) : null, ...body);
}

/**
 * The unit of a records figure: a banded figure takes its catalog route's unit; the others are
 * read from their names, first the records engines' own suffixes (retention and stickiness are
 * percentages even where "revenue" is in the name), then as any result's details are
 * (detailUnit), with money in the answer's reporting currency and counts by default.
 */
export function unitOfFigure(key, { catalog, bands = {}, money = 'currency' } = {}) {
  const route = bands[key] ? catalog?.byEndpoint(bands[key].route) : null;
  if (route?.unit) return route.unit === 'currency' ? money : route.unit;
  if (/(retention|stickiness|conversion_from_start|conversion_from_previous)$/.test(key)) return 'percentage';
  if (/quick_ratio$/.test(key)) return 'ratio';
  if (/_seconds$/.test(key)) return 'seconds';
  if (/_hours$/.test(key)) return 'hours';
  const unit = detailUnit(key);
  return unit === 'currency' ? money : unit ?? 'count';
}


/**
 * KPI cards of a records summary: each figure with its unit, and for the banded ones the band of
 * the catalog route that reads it (its tone from the catalog's band order, a link to the route).
 */
export function kpiCards(summary, { catalog, money, toneOf, skip = [] }) {
  const bands = summary.bands ?? {};
  const keys = Object.keys(summary).filter((k) => k !== 'bands' && k !== 'period' && !skip.includes(k) && typeof summary[k] !== 'object');
  // banded figures first, in the engine's order
  keys.sort((a, b) => Number(Boolean(bands[b]?.status)) - Number(Boolean(bands[a]?.status)));
  return h('ul', { class: 'kpi-cards', id: 'import-cards' }, keys.map((key) => {
    const band = bands[key];
    const route = band?.status ? catalog.byEndpoint(band.route) : null;
    const tone = route ? toneOf(route, band.status) : 'neutral';
    return h('li', { class: `kpi-card result-card tone-${tone}`, dataset: { key } },
      h('p', { class: 'result-name' }, figureName(key)),
      h('p', { class: 'kpi-value' }, summary[key] == null ? '–' : formatValue(summary[key], unitOfFigure(key, { catalog, bands, money }))),
      band?.status ? h('p', {}, h('span', { class: `status-badge tone-${tone}` }, band.label ?? band.status),
        ' ', h('a', { class: 'muted band-link', href: `#/metric/${route?.id ?? ''}` }, 'bands')) : null);
  }));
}
