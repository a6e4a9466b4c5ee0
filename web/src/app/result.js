// A computed metric as a reader sees it: value with its unit, status, where it sits on the
// metric's band scale, interpretation, benchmark, intermediate figures and warnings.
import { h } from './dom.js';
import { detailLabel, detailUnit, formatNumber, formatValue, labelOfStatus, toneOf } from './format.js';

/**
 * Segments of the band scale in ascending value order, each with its value range. Bands are listed
 * best first: ascending order is the list itself when lower is better, else the list reversed.
 */
const SYMBOL = { '>': '>', '>=': '≥', '<': '<', '<=': '≤' };
const COMPLEMENT = { '>': '<=', '>=': '<', '<': '>=', '<=': '>' };

/**
 * The exact value range of the band at `index` (bands best first, each read only if the better
 * ones before it did not match): its own condition, bounded by the complement of the one before.
 */
export function bandRange(bands, index) {
  const band = bands[index];
  const own = band.op !== 'otherwise' ? { op: band.op, edge: band.edge } : null;
  const before = index > 0 && bands[index - 1].op !== 'otherwise' ? { op: COMPLEMENT[bands[index - 1].op], edge: bands[index - 1].edge } : null;
  const parts = [own, before].filter(Boolean).sort((a, b) => a.edge - b.edge);
  return parts.map((p) => `${SYMBOL[p.op]} ${formatNumber(p.edge)}`).join(', ');
}

export function bandSegments(route) {
  const bands = route.bands ?? [];
  if (bands.length < 2) return [];
  const ascending = route.lower_is_better ? [...bands] : [...bands].reverse();
  const edges = bands.filter((b) => b.op !== 'otherwise').map((b) => b.edge).sort((a, b) => a - b);
  const span = edges.length > 1 ? (edges[edges.length - 1] - edges[0]) / (edges.length - 1) : Math.abs(edges[0]) || 1;
  const bounds = [edges[0] - span, ...edges, edges[edges.length - 1] + span];
  return ascending.map((band, i) => ({
    ...band,
    lo: bounds[i],
    hi: bounds[i + 1],
    openLow: i === 0,
    openHigh: i === ascending.length - 1,
    range: bandRange(bands, bands.indexOf(band)),
  }));
}

/** Position of the value marker in percent of the scale's width (equal-width segments). */
export function markerPosition(segments, value, status) {
  const index = Math.max(0, segments.findIndex((s) => s.status === status));
  const segment = segments[index];
  const within = Math.min(0.97, Math.max(0.03, (value - segment.lo) / (segment.hi - segment.lo || 1)));
  return ((index + within) / segments.length) * 100;
}

export function bandScale(route, value, status) {
  const segments = bandSegments(route);
  if (!segments.length) return null;
  // the marker sits inside the current segment: segments are as wide as their words need
  const index = Math.max(0, segments.findIndex((s) => s.status === status));
  const within = (markerPosition(segments, value, status) / 100) * segments.length - index;
  return h(
    'div',
    { class: 'band-scale', role: 'img', 'aria-label': `Band scale: ${segments.map((s) => `${s.label} ${s.range}`).join(', ')}; this value is ${labelOfStatus(route, status)}` },
    h('div', { class: 'band-track' },
      segments.map((s, i) =>
        h('div', { class: `band-segment tone-${toneOf(route, s.status)}${s.status === status ? ' current' : ''}`, dataset: { status: s.status } },
          h('span', { class: 'band-label' }, s.label),
          h('span', { class: 'band-range' }, s.range),
          i === index ? h('div', { class: 'band-marker', style: `left: ${(within * 100).toFixed(2)}%` }) : null))),
  );
}

/** Where the benchmark comes from (the catalog's benchmark_source): name, linked when public, and its kind. */
function sourceLine(source) {
  if (!source?.name) return null;
  const meta = [source.kind, source.year, source.segment].filter(Boolean).join(', ');
  const name = source.url ? h('a', { href: source.url, rel: 'noopener noreferrer', target: '_blank' }, source.name) : source.name;
  return h('p', { class: 'benchmark-source' }, h('strong', {}, 'Source: '), name, ` (${meta})`);
}

function detailList(details) {
  const rows = Object.entries(details ?? {}).filter(([, v]) => v !== null && typeof v !== 'object');
  if (!rows.length) return null;
  const figure = (k, v) => (typeof v === 'number' ? (detailUnit(k) ? formatValue(v, detailUnit(k)) : formatNumber(v)) : String(v));
  return h('details', { class: 'result-details' },
    h('summary', {}, 'Intermediate figures'),
    h('dl', {}, rows.flatMap(([k, v]) => [h('dt', {}, detailLabel(k)), h('dd', {}, figure(k, v))])));
}

/** The result card of a 200 answer. `compact` leaves out the details (dashboard cards). */
export function renderResult(route, data, { compact = false } = {}) {
  const tone = toneOf(route, data.status);
  const statusLabel = data.status ? labelOfStatus(route, data.status) : null;
  return h(
    'div',
    { class: `result-card tone-${tone}`, dataset: { status: data.status ?? '' } },
    compact ? null : h('p', { class: 'result-name' }, data.metric_name),
    h('p', { class: 'result-value', 'data-value': data.value }, formatValue(data.value, data.unit, { integer: route.integer_value })),
    statusLabel ? h('p', { class: `status-badge tone-${tone}` }, statusLabel) : null,
    bandScale(route, data.value, data.status),
    h('p', { class: 'interpretation' }, data.interpretation),
    compact ? null : h('p', { class: 'benchmark' }, h('strong', {}, 'Benchmark: '), data.benchmark),
    compact ? null : sourceLine(data.benchmark_source),
    data.warnings?.length ? h('ul', { class: 'warnings' }, data.warnings.map((w) => h('li', {}, w))) : null,
    compact ? null : detailList(data.details),
  );
}
