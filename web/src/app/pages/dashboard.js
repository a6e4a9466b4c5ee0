// The dashboard: several metrics side by side as cards with their status colours, each card able
// to hold a value per period (typed, pasted, or sent by another page) with a sparkline, the change
// against the previous period and the same period last year, an optional target and a forecast on
// demand. Ratios the cards make computable (LTV:CAC, GRR beside NRR, ...) are found in the catalog
// and computed by their routes. State: a short link, this browser, and named dashboards.
import { download, h } from '../dom.js';
import { callRoute, createRouteForm } from '../form.js';
import { formatValue, toneOf } from '../format.js';
import { renderResult } from '../result.js';
import { derivableRoutes } from '../derived.js';
import { parseSeries } from '../series.js';
import { changes, nextPeriod, sparklinePath, targetProgress } from '../trend.js';
import {
  dashboardLink, deleteNamed, emptyState, loadStored, namedDashboards, normalizeState, saveNamed, stateFromParams, storeState,
} from '../dashboard-state.js';

function csvCell(value) {
  const text = value == null ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const periodOf = (ts) => (/T00:00:00/.test(ts) && ts.slice(8, 10) === '01' ? ts.slice(0, 7) : ts.slice(0, 10));
const isoOf = (period) => (period.length === 7 ? `${period}-01T00:00:00` : `${period.slice(0, 10)}T00:00:00`);
const signed = (text, n) => (n > 0 ? `+${text}` : text);

function seriesText(series) {
  return (series ?? []).map((p) => `${p.period}, ${p.value}`).join('\n');
}

function sparkline(series, label) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  for (const [k, v] of Object.entries({ class: 'sparkline', viewBox: '0 0 120 32', width: '120', height: '32', role: 'img', 'aria-label': label })) svg.setAttribute(k, v);
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', sparklinePath(series.map((p) => p.value)));
  svg.append(path);
  return svg;
}

export function renderDashboard(ctx) {
  const { params, view } = ctx;
  view.replaceChildren(h('h1', {}, 'Dashboard'), h('p', { class: 'muted' }, 'Opening the dashboard…'));
  let live = true;
  stateFromParams(params).then((fromUrl) => {
    if (live) buildDashboard(ctx, normalizeState(fromUrl ?? loadStored()));
  });
  return () => { live = false; };
}

function buildDashboard({ client, catalog, view, setHashQuery }, state) {
  state.metrics = state.metrics.filter((id) => catalog.routes.get(id)?.kind === 'metric');
  const predict = catalog.byEndpoint('/predict/metric');
  const cards = new Map(); // id -> {route, form, result, trend, element, status, data, body}
  const grid = h('div', { class: 'cards', id: 'dashboard-cards' });
  const derivedBox = h('section', { class: 'derived', id: 'derived', 'aria-labelledby': 'derived-h', hidden: true });
  const announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const linkNote = h('p', { class: 'link-note', 'aria-live': 'polite' });
  const banner = h('p', { class: 'sample-banner', id: 'sample-banner', hidden: !state.sample },
    'Sample data: generated for this demonstration, not real figures. Type your own inputs, or clear the dashboard.');
  const title = h('h1', {}, state.name ? `Dashboard: ${state.name}` : 'Dashboard');
  let saveTimer = null;

  function save() {
    for (const [id, card] of cards) state.inputs[id] = card.form.getState();
    for (const key of ['inputs', 'series', 'targets']) for (const id of Object.keys(state[key])) if (!state.metrics.includes(id)) delete state[key][id];
    storeState(state);
    clearTimeout(saveTimer);
    saveTimer = setTimeout(async () => setHashQuery('/dashboard', new URLSearchParams((await dashboardLink(state)).split('?')[1])), 150);
  }

  async function compute(id) {
    const card = cards.get(id);
    if (!card) return;
    const { body, localErrors } = card.form.read();
    if (localErrors.length) return card.form.showErrors(localErrors);
    if (!Object.keys(card.form.getState()).some((k) => k !== 'method')) return showEmpty(card);
    const { status, data } = await callRoute(client, card.route, body);
    Object.assign(card, { status, data, body });
    if (status === 200) {
      card.form.clearErrors();
      card.result.replaceChildren(renderResult(card.route, data, { compact: true }));
      card.element.className = `panel dash-card tone-${toneOf(card.route, data.status)}`;
    } else {
      card.form.showErrors(data.detail);
      card.result.replaceChildren(h('p', { class: 'result-placeholder error-note' }, 'Inputs need fixing.'));
      card.element.className = 'panel dash-card tone-neutral';
      card.edit.open = true;
    }
    renderTrend(id);
    save();
    refreshDerived();
  }

  /** A card nobody has typed into: the examples are placeholders, and nothing is computed. */
  function showEmpty(card) {
    Object.assign(card, { status: null, data: null, body: null });
    card.form.clearErrors();
    const latest = state.series[card.route.id]?.at(-1);
    card.result.replaceChildren(latest
      ? h('div', { class: 'result-card tone-neutral' }, h('p', { class: 'result-value' }, formatValue(latest.value, card.route.unit, { integer: card.route.integer_value })),
        h('p', { class: 'muted' }, `Latest value over time (${latest.period}); type the inputs to see its band.`))
      : h('p', { class: 'result-placeholder card-empty' }, 'No inputs yet: the grey figures in the fields are examples, not data. Type your own, or press “Use example values”.'));
    card.element.className = 'panel dash-card tone-neutral';
    card.edit.open = !latest;
    renderTrend(card.route.id);
    save();
    refreshDerived();
  }

  function renderTrend(id) {
    const card = cards.get(id);
    const series = state.series[id] ?? [];
    const fmt = (v) => formatValue(v, card.route.unit, { integer: card.route.integer_value });
    const parts = [];
    if (series.length >= 2) parts.push(sparkline(series, `Sparkline of ${series.length} periods, ${series[0].period} to ${series.at(-1).period}`));
    const c = changes(series);
    const rows = [];
    if (c) rows.push(['Latest', `${fmt(c.last.value)} (${c.last.period})`]);
    if (c?.previous) rows.push([`vs ${c.previous.period}`, `${signed(fmt(c.previous.delta), c.previous.delta)}${c.previous.percent != null ? ` (${signed(c.previous.percent.toFixed(1), c.previous.percent)}%)` : ''}`]);
    if (c?.yearAgo) rows.push([`vs ${c.yearAgo.period} (a year earlier)`, `${signed(fmt(c.yearAgo.delta), c.yearAgo.delta)}${c.yearAgo.percent != null ? ` (${signed(c.yearAgo.percent.toFixed(1), c.yearAgo.percent)}%)` : ''}`]);
    const current = card.status === 200 ? card.data.value : c?.last.value;
    const target = state.targets[id];
    const progress = targetProgress(current, target, card.route.lower_is_better);
    const share = progress?.share != null && !card.route.lower_is_better ? ` (${progress.share.toFixed(0)}% of it)` : '';
    if (progress) rows.push(['Target', `${card.route.lower_is_better ? 'at most ' : ''}${fmt(target)}: ${progress.met ? 'met' : 'not met'}${share}`]);
    card.trend.replaceChildren(...parts, rows.length ? h('dl', { class: 'trend-facts' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])) : null);
    card.forecastButton.disabled = series.length < 3 || !predict;
  }

  async function forecastCard(id) {
    const card = cards.get(id);
    const series = state.series[id] ?? [];
    const body = { metric_name: id.replace(/-/g, '_'), historical_values: series.map((p) => p.value), timestamps: series.map((p) => isoOf(p.period)), periods_ahead: 3 };
    const { status, data } = await callRoute(client, predict, body);
    const fmt = (v) => formatValue(v, card.route.unit, { integer: card.route.integer_value });
    card.forecastOut.replaceChildren(status === 200
      ? h('ul', { class: 'card-forecast' }, data.predictions.map((p, i) => h('li', {},
        `${periodOf(data.forecast_timestamps?.[i] ?? `+${i + 1}`)}: ${fmt(p)}`, data.lower_80 ? h('span', { class: 'muted' }, ` (8 times in 10 between ${fmt(data.lower_80[i])} and ${fmt(data.upper_80[i])})`) : null)))
      : h('p', { class: 'field-error' }, typeof data.detail === 'string' ? data.detail : 'This series cannot be forecast yet.'));
  }

  function seriesEditor(id, route) {
    const problems = h('p', { class: 'help', id: `d-${id}-series-help` }, 'One period per line: “2024-01, 45000” (dates as 2024-01, Jan 2024, 2024/01, ...). Paste from a spreadsheet.');
    const area = h('textarea', { id: `d-${id}-series`, rows: 4, spellcheck: 'false', 'aria-describedby': `d-${id}-series-help`, placeholder: '2024-01, 45000\n2024-02, 47000' });
    area.value = seriesText(state.series[id]);
    area.addEventListener('change', () => {
      const parsed = parseSeries(`period,value\n${area.value}`, { column: 'value' });
      state.series[id] = (parsed.timestamps ?? []).map((ts, i) => ({ period: periodOf(ts), value: parsed.values[i] }));
      period.value = nextPeriod(state.series[id].at(-1)?.period ?? '') ?? period.value;
      problems.textContent = parsed.problems.length ? `Not used: ${parsed.problems.map((p) => `line ${p.line - 1}: ${p.reason}`).join('; ')}` : `${state.series[id].length} periods.`;
      renderTrend(id);
      save();
    });
    const period = h('input', { type: 'month', id: `d-${id}-period`, 'aria-label': `Period of this ${route.name} result` });
    const addButton = h('button', { type: 'button', class: 'secondary', onclick: () => {
      const card = cards.get(id);
      if (card.status !== 200 || !period.value) return;
      state.series[id] = [...(state.series[id] ?? []).filter((p) => p.period !== period.value), { period: period.value, value: card.data.value }].sort((a, b) => a.period.localeCompare(b.period));
      area.value = seriesText(state.series[id]);
      period.value = nextPeriod(period.value) ?? '';
      renderTrend(id);
      save();
    } }, 'Add this result as');
    period.value = nextPeriod(state.series[id]?.at(-1)?.period ?? '') ?? new Date().toISOString().slice(0, 7);
    const target = h('input', { type: 'number', step: 'any', id: `d-${id}-target`, value: state.targets[id] ?? '', placeholder: 'none' });
    target.addEventListener('input', () => {
      if (target.value === '') delete state.targets[id];
      else state.targets[id] = Number(target.value);
      renderTrend(id);
      save();
    });
    return h('details', { class: 'card-edit card-series' }, h('summary', {}, 'Over time and target'),
      h('label', { for: `d-${id}-series` }, 'Values per period'), area, problems,
      h('div', { class: 'actions' }, addButton, period),
      h('label', { for: `d-${id}-target` }, 'Target (optional)'), target);
  }

  function addCard(id) {
    const route = catalog.routes.get(id);
    const form = createRouteForm(route, { idPrefix: `d-${id}`, compact: true, onSubmit: () => compute(id), onInput: () => compute(id) });
    const result = h('div', { class: 'card-result', 'aria-live': 'polite', 'aria-atomic': 'true' });
    const trend = h('div', { class: 'card-trend' });
    const forecastOut = h('div', { class: 'card-forecast-box', 'aria-live': 'polite' });
    const forecastButton = h('button', { type: 'button', class: 'secondary small', onclick: () => forecastCard(id), title: 'Needs three periods or more' }, 'Forecast the next 3 periods');
    const edit = h('details', { class: 'card-edit' }, h('summary', {}, 'Inputs'), form.form);
    const element = h('article', { class: 'panel dash-card', 'aria-labelledby': `d-${id}-h`, dataset: { metric: id } },
      h('header', {},
        h('h2', { id: `d-${id}-h` }, h('a', { href: `#/metric/${id}` }, route.short_name)),
        h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove ${route.short_name}`, onclick: () => removeMetric(id) }, 'Remove')),
      result, trend, h('div', { class: 'card-forecast-row' }, forecastButton), forecastOut, edit, seriesEditor(id, route));
    cards.set(id, { route, form, result, trend, forecastOut, forecastButton, edit, element });
    form.setState(state.inputs[id] ?? {});
    grid.append(element);
    compute(id);
  }

  function removeMetric(id) {
    cards.get(id)?.element.remove();
    cards.delete(id);
    state.metrics = state.metrics.filter((m) => m !== id);
    const box = picker.querySelector(`input[value="${CSS.escape(id)}"]`);
    if (box) box.checked = false;
    announcer.textContent = `${catalog.routes.get(id).short_name} removed`;
    refreshEmpty();
    save();
    refreshDerived();
  }

  function toggleMetric(id, on) {
    if (on && !state.metrics.includes(id)) {
      state.metrics.push(id);
      addCard(id);
      announcer.textContent = `${catalog.routes.get(id).short_name} added: type its inputs on the card`;
    } else if (!on) removeMetric(id);
    refreshEmpty();
  }

  let derivedRun = 0;
  let derived = [];
  async function refreshDerived() {
    const run = ++derivedRun;
    const sources = [...cards.values()].map((c) => ({ route: c.route, body: c.status === 200 ? c.body : null, value: c.status === 200 ? c.data.value : null }));
    const candidates = derivableRoutes(catalog, sources, state.metrics);
    const answers = await Promise.all(candidates.map(async (d) => ({ ...d, ...(await callRoute(client, d.route, d.body)) })));
    if (run !== derivedRun) return;
    derived = answers.filter((a) => a.status === 200);
    derivedBox.hidden = derived.length === 0;
    derivedBox.replaceChildren(h('h2', { id: 'derived-h' }, 'Derived from your cards'),
      h('p', { class: 'muted' }, 'Ratios the cards above make computable, each computed by its route of the engine from the cards\' figures.'),
      h('div', { class: 'cards' }, derived.map((d) => h('article', { class: `panel dash-card derived-card tone-${toneOf(d.route, d.data.status)}`, dataset: { derived: d.route.id } },
        h('header', {}, h('h3', {}, h('a', { href: `#/metric/${d.route.id}` }, d.route.name))),
        renderResult(d.route, d.data, { compact: true }),
        h('p', { class: 'muted derived-from' }, `From ${d.from.join(', ')}: ${d.route.method ?? 'POST'} ${d.route.endpoint}`)))));
  }

  const picker = h('details', { class: 'panel picker', open: state.metrics.length === 0 },
    h('summary', {}, 'Choose metrics'),
    h('div', { class: 'picker-groups' }, catalog.metricCategories.map((category) =>
      h('fieldset', {}, h('legend', {}, category.title), category.routes.map((route) =>
        h('label', {}, h('input', { type: 'checkbox', value: route.id, checked: state.metrics.includes(route.id),
          onchange: (e) => toggleMetric(route.id, e.target.checked) }), route.short_name))))));

  const empty = h('p', { class: 'panel empty muted' }, 'No metric yet: choose some above, then type each card\'s inputs (the examples are shown as placeholders), or ', h('a', { href: '#/', dataset: { sample: 'open' } }, 'start from the sample dataset'), '.');
  function refreshEmpty() {
    empty.hidden = state.metrics.length > 0;
  }

  function results() {
    const rows = state.metrics.map((id) => {
      const card = cards.get(id);
      const base = { id, endpoint: card.route.endpoint, series: state.series[id] ?? [], target: state.targets[id] ?? null };
      if (card.status == null) return { ...base, state: 'empty', request: {}, status: null, response: null };
      return { ...base, state: card.status === 200 ? 'computed' : 'error', request: card.body, status: card.status, response: card.data };
    });
    return rows.concat(derived.map((d) => ({ id: d.route.id, endpoint: d.route.endpoint, state: 'derived', from: d.from, request: d.body, status: d.status, response: d.data })));
  }

  function exportCsv() {
    const header = ['metric', 'endpoint', 'value', 'unit', 'formatted', 'status', 'interpretation', 'benchmark', 'timestamp', 'request'];
    const lines = [header.join(',')];
    for (const r of results()) {
      const ok = r.status === 200;
      const d = ok ? r.response : {};
      const route = catalog.routes.get(r.id);
      const status = r.state === 'empty' ? 'no inputs yet' : ok ? d.status ?? '' : `error ${r.status}`;
      lines.push([ok ? d.metric_name : route.name, r.endpoint, d.value, d.unit, ok ? formatValue(d.value, d.unit, { integer: route.integer_value }) : '', status,
        ok ? d.interpretation : r.state === 'empty' ? '' : JSON.stringify(r.response?.detail), d.benchmark, d.timestamp, r.state === 'empty' ? '' : JSON.stringify(r.request)].map(csvCell).join(','));
    }
    const periods = state.metrics.flatMap((id) => (state.series[id] ?? []).map((p) => [catalog.routes.get(id).short_name, p.period, p.value].map(csvCell).join(',')));
    if (periods.length) lines.push('', 'metric,period,value', ...periods);
    download('pmkpi-dashboard.csv', `${lines.join('\n')}\n`, 'text/csv');
  }

  async function copyLink() {
    save();
    const url = new URL(await dashboardLink(state), location.href).href;
    try {
      await navigator.clipboard.writeText(url);
      linkNote.textContent = `Link copied (${url.length} characters): it opens this dashboard with the same inputs and values.`;
    } catch {
      linkNote.textContent = `Share this address: ${url}`;
    }
  }

  const nameInput = h('input', { type: 'text', id: 'dashboard-name', placeholder: 'Name, e.g. Board Q3', value: state.name, 'aria-label': 'Dashboard name' });
  const savedSelect = h('select', { id: 'saved-dashboards', 'aria-label': 'Saved dashboards' });
  function refreshSaved() {
    const names = Object.keys(namedDashboards()).sort();
    savedSelect.replaceChildren(h('option', { value: '' }, names.length ? 'Open a saved dashboard…' : 'No saved dashboard yet'), ...names.map((n) => h('option', { value: n }, n)));
    savedSelect.disabled = names.length === 0;
  }
  function saveAs() {
    const name = nameInput.value.trim();
    if (!name) return nameInput.focus();
    state.name = name;
    state.sample = false;
    saveNamed(name, state);
    title.textContent = `Dashboard: ${name}`;
    banner.hidden = true;
    linkNote.textContent = `Saved as “${name}” in this browser.`;
    refreshSaved();
    save();
  }
  savedSelect.addEventListener('change', () => {
    const chosen = namedDashboards()[savedSelect.value];
    if (!chosen) return;
    storeState(normalizeState(chosen));
    dashboardLink(normalizeState(chosen)).then((hash) => { location.hash = hash; });
  });
  function deleteSaved() {
    if (!state.name) return;
    deleteNamed(state.name);
    linkNote.textContent = `“${state.name}” deleted from this browser.`;
    refreshSaved();
  }

  function clearAll() {
    for (const id of [...state.metrics]) removeMetric(id);
    Object.assign(state, emptyState());
    title.textContent = 'Dashboard';
    banner.hidden = true;
    picker.open = true;
    save();
  }

  view.replaceChildren(
    title,
    h('p', { class: 'lead' }, 'Several metrics side by side, each with its values over time. The view is kept in this browser and in a short link; save it under a name to keep several.'),
    banner,
    h('div', { class: 'toolbar no-print' },
      h('button', { type: 'button', class: 'secondary', id: 'export-json', onclick: () => download('pmkpi-dashboard.json', `${JSON.stringify(results(), null, 2)}\n`, 'application/json') }, 'Export JSON'),
      h('button', { type: 'button', class: 'secondary', id: 'export-csv', onclick: exportCsv }, 'Export CSV'),
      h('button', { type: 'button', class: 'secondary', id: 'copy-link', onclick: copyLink }, 'Copy link'),
      h('button', { type: 'button', class: 'secondary', id: 'print-dashboard', onclick: () => window.print() }, 'Print or PDF'),
      h('button', { type: 'button', class: 'secondary', id: 'clear-dashboard', onclick: clearAll }, 'Clear')),
    h('div', { class: 'toolbar no-print' }, nameInput,
      h('button', { type: 'button', class: 'secondary', id: 'save-dashboard', onclick: saveAs }, 'Save as'),
      savedSelect,
      h('button', { type: 'button', class: 'secondary', id: 'delete-dashboard', onclick: deleteSaved }, 'Delete saved')),
    linkNote,
    picker,
    empty,
    grid,
    derivedBox,
    announcer,
  );
  refreshSaved();
  for (const id of state.metrics) addCard(id);
  refreshEmpty();
  save();
}
