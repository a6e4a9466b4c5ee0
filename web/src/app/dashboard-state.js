// The dashboard's state and where it lives: the address (a short link: the state as JSON,
// deflated and base64url-encoded in `#/dashboard?s=...`), this browser's localStorage (the current
// view and named dashboards), and the entry point other pages use to send series to it.
//
// State: { name, sample, metrics: [route id], inputs: {id: {field: raw text}},
//          series: {id: [{period: 'YYYY-MM' | 'YYYY-MM-DD', value: number}]}, targets: {id: number} }
//
// Entry point (the Import page of the records issues):
//   import { sendSeriesToDashboard } from './dashboard-state.js';
//   location.hash = sendSeriesToDashboard({ mrr: [{ period: '2024-01', value: 45000 }, ...] });
// merges the series into the stored dashboard (adding a card per metric) and answers the hash to
// open. `dashboardLink(state)` answers a shareable '#/dashboard?s=...' for any state.

export const STORAGE_KEY = 'pmkpi.dashboard.v2';
export const NAMED_KEY = 'pmkpi.dashboards.v1';
const LEGACY_KEY = 'pmkpi.dashboard.v1';

export function emptyState() {
  return { name: '', sample: false, metrics: [], inputs: {}, series: {}, targets: {} };
}

/** A state read from anywhere, with every part present and of the right shape. */
export function normalizeState(raw) {
  const s = emptyState();
  if (!raw || typeof raw !== 'object') return s;
  s.name = typeof raw.name === 'string' ? raw.name : '';
  s.sample = raw.sample === true;
  s.metrics = Array.isArray(raw.metrics) ? [...new Set(raw.metrics.filter((m) => typeof m === 'string'))] : [];
  for (const key of ['inputs', 'series', 'targets']) if (raw[key] && typeof raw[key] === 'object') s[key] = { ...raw[key] };
  for (const [id, list] of Object.entries(s.series)) {
    s.series[id] = Array.isArray(list) ? list.filter((p) => p && typeof p.period === 'string' && Number.isFinite(p.value)) : [];
  }
  return s;
}

function toBase64Url(bytes) {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const raw = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

async function pipe(bytes, stream) {
  return new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());
}

/** The state as a short URL-safe text (deflate-raw + base64url). */
export async function encodeState(state) {
  const json = new TextEncoder().encode(JSON.stringify(state));
  return toBase64Url(await pipe(json, new CompressionStream('deflate-raw')));
}

export async function decodeState(text) {
  const json = await pipe(fromBase64Url(text), new DecompressionStream('deflate-raw'));
  return normalizeState(JSON.parse(new TextDecoder().decode(json)));
}

export async function dashboardLink(state) {
  return `#/dashboard?s=${await encodeState(state)}`;
}

/** The first links of the dashboard: m=arpu,nps and one "<metric>.<field>=value" pair per input. */
export function legacyParamsToState(params) {
  const state = emptyState();
  state.metrics = (params.get('m') ?? '').split(',').filter(Boolean);
  for (const [key, value] of params) {
    const dot = key.indexOf('.');
    if (dot < 0) continue;
    (state.inputs[key.slice(0, dot)] ??= {})[key.slice(dot + 1)] = value;
  }
  return state;
}

/** The state a dashboard URL holds, or null when it holds none. */
export async function stateFromParams(params) {
  if (params.get('s')) {
    try {
      return await decodeState(params.get('s'));
    } catch {
      return null;
    }
  }
  return params.get('m') ? legacyParamsToState(params) : null;
}

function read(key) {
  try {
    return JSON.parse(localStorage.getItem(key) ?? 'null');
  } catch {
    return null;
  }
}

function write(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch {
    return false; // private mode or full storage: the URL still holds the state
  }
}

export function loadStored() {
  const stored = read(STORAGE_KEY) ?? read(LEGACY_KEY);
  return normalizeState(stored);
}

export function storeState(state) {
  return write(STORAGE_KEY, state);
}

/** Named dashboards saved in this browser: {name: state}. */
export function namedDashboards() {
  const all = read(NAMED_KEY);
  return all && typeof all === 'object' ? all : {};
}

export function saveNamed(name, state) {
  const all = namedDashboards();
  all[name] = { ...state, name };
  return write(NAMED_KEY, all);
}

export function deleteNamed(name) {
  const all = namedDashboards();
  delete all[name];
  return write(NAMED_KEY, all);
}

/** Merges series into `state` (one card per metric, periods replaced by the newer value). */
export function mergeSeries(state, series) {
  const next = normalizeState(state);
  for (const [id, points] of Object.entries(series ?? {})) {
    if (!next.metrics.includes(id)) next.metrics.push(id);
    const byPeriod = new Map((next.series[id] ?? []).map((p) => [p.period, p.value]));
    for (const p of points) if (p && typeof p.period === 'string' && Number.isFinite(p.value)) byPeriod.set(p.period, p.value);
    next.series[id] = [...byPeriod].sort(([a], [b]) => a.localeCompare(b)).map(([period, value]) => ({ period, value }));
  }
  return next;
}

/** The entry point for other pages: adds the series to the stored dashboard; answers the hash to open. */
export function sendSeriesToDashboard(series) {
  storeState(mergeSeries(loadStored(), series));
  return '#/dashboard';
}
