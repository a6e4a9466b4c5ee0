// The dashboard: several metrics side by side as cards with their status colours. Its state (which
// metrics, and every input) is kept in the hash query, so a view is shared as a link, and in
// localStorage, so a reload loses nothing. Results export as JSON and CSV.
import { download, h } from '../dom.js';
import { callRoute, createRouteForm } from '../form.js';
import { formatValue, toneOf } from '../format.js';
import { renderResult } from '../result.js';

export const STORAGE_KEY = 'pmkpi.dashboard.v1';

/** State <-> query: m=arpu,nps and one "<metric>.<field>=value" pair per input. */
export function stateToParams(state) {
  const params = new URLSearchParams();
  if (state.metrics.length) params.set('m', state.metrics.join(','));
  for (const id of state.metrics) {
    for (const [field, value] of Object.entries(state.inputs[id] ?? {})) params.set(`${id}.${field}`, value);
  }
  return params;
}

export function paramsToState(params) {
  const metrics = (params.get('m') ?? '').split(',').filter(Boolean);
  const inputs = {};
  for (const [key, value] of params) {
    const dot = key.indexOf('.');
    if (dot < 0) continue;
    const id = key.slice(0, dot);
    (inputs[id] ??= {})[key.slice(dot + 1)] = value;
  }
  return { metrics, inputs };
}

function loadStored() {
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (stored && Array.isArray(stored.metrics)) return { metrics: stored.metrics, inputs: stored.inputs ?? {} };
  } catch {
    // unreadable storage: start empty
  }
  return { metrics: [], inputs: {} };
}

function csvCell(value) {
  const text = value == null ? '' : String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function renderDashboard({ client, catalog, params, view, setHashQuery }) {
  const fromUrl = paramsToState(params);
  const state = fromUrl.metrics.length ? fromUrl : loadStored();
  state.metrics = state.metrics.filter((id) => catalog.routes.get(id)?.metric_name);
  const cards = new Map(); // id -> {form, result, status, data}
  const grid = h('div', { class: 'cards', id: 'dashboard-cards' });
  const announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const linkNote = h('p', { class: 'link-note', 'aria-live': 'polite' });

  function save() {
    for (const [id, card] of cards) state.inputs[id] = card.form.getState();
    for (const id of Object.keys(state.inputs)) if (!state.metrics.includes(id)) delete state.inputs[id];
    setHashQuery('/dashboard', stateToParams(state));
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch {
      // private mode or full storage: the URL still holds the state
    }
  }

  async function compute(id) {
    const card = cards.get(id);
    const { body, localErrors } = card.form.read();
    if (localErrors.length) return card.form.showErrors(localErrors);
    if (!Object.keys(card.form.getState()).some((k) => k !== 'method')) return showEmpty(card);
    const { status, data } = await callRoute(client, card.route, body);
    card.status = status;
    card.data = data;
    card.body = body;
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
    save();
  }

  /** A card nobody has typed into: the examples are placeholders, and nothing is computed. */
  function showEmpty(card) {
    card.status = null;
    card.data = null;
    card.body = null;
    card.form.clearErrors();
    card.result.replaceChildren(h('p', { class: 'result-placeholder card-empty' },
      'No inputs yet: the grey figures in the fields are examples, not data. Type your own, or press “Use example values”.'));
    card.element.className = 'panel dash-card tone-neutral';
    card.edit.open = true;
    save();
  }

  function addCard(id, inputs) {
    const route = catalog.routes.get(id);
    const form = createRouteForm(route, { idPrefix: `d-${id}`, compact: true, onSubmit: () => compute(id), onInput: () => compute(id) });
    const result = h('div', { class: 'card-result', 'aria-live': 'polite', 'aria-atomic': 'true' });
    const edit = h('details', { class: 'card-edit' }, h('summary', {}, 'Inputs'), form.form);
    const element = h('article', { class: 'panel dash-card', 'aria-labelledby': `d-${id}-h`, dataset: { metric: id } },
      h('header', {},
        h('h2', { id: `d-${id}-h` }, h('a', { href: `#/metric/${id}` }, route.name)),
        h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove ${route.name}`, onclick: () => removeMetric(id) }, 'Remove')),
      result, edit);
    const card = { route, form, result, edit, element };
    cards.set(id, card);
    form.setState(inputs ?? {});
    grid.append(element);
    compute(id);
  }

  function removeMetric(id) {
    cards.get(id)?.element.remove();
    cards.delete(id);
    state.metrics = state.metrics.filter((m) => m !== id);
    const box = picker.querySelector(`input[value="${CSS.escape(id)}"]`);
    if (box) box.checked = false;
    announcer.textContent = `${catalog.routes.get(id).name} removed`;
    refreshEmpty();
    save();
  }

  function toggleMetric(id, on) {
    if (on && !state.metrics.includes(id)) {
      state.metrics.push(id);
      addCard(id, null);
      announcer.textContent = `${catalog.routes.get(id).name} added: type its inputs on the card`;
    } else if (!on) removeMetric(id);
    refreshEmpty();
  }

  const picker = h('details', { class: 'panel picker', open: state.metrics.length === 0 },
    h('summary', {}, 'Choose metrics'),
    h('div', { class: 'picker-groups' }, catalog.metricCategories.map((category) =>
      h('fieldset', {}, h('legend', {}, category.title), category.routes.map((route) =>
        h('label', {}, h('input', { type: 'checkbox', value: route.id, checked: state.metrics.includes(route.id),
          onchange: (e) => toggleMetric(route.id, e.target.checked) }), route.name))))));

  const empty = h('p', { class: 'panel empty muted' }, 'No metric yet: choose some above, then type each card\'s inputs (the examples are shown as placeholders).');
  function refreshEmpty() {
    empty.hidden = state.metrics.length > 0;
  }

  function results() {
    return state.metrics.map((id) => {
      const card = cards.get(id);
      if (card.status == null) return { id, endpoint: card.route.endpoint, state: 'empty', request: {}, status: null, response: null };
      return { id, endpoint: card.route.endpoint, state: card.status === 200 ? 'computed' : 'error', request: card.body, status: card.status, response: card.data };
    });
  }

  function exportJson() {
    download('pmkpi-dashboard.json', `${JSON.stringify(results(), null, 2)}\n`, 'application/json');
  }

  function exportCsv() {
    const header = ['metric', 'endpoint', 'value', 'unit', 'formatted', 'status', 'interpretation', 'benchmark', 'timestamp', 'request'];
    const lines = [header.join(',')];
    for (const r of results()) {
      const ok = r.status === 200;
      const d = ok ? r.response : {};
      const route = catalog.routes.get(r.id);
      const state = r.state === 'empty' ? 'no inputs yet' : ok ? d.status ?? '' : `error ${r.status}`;
      lines.push([ok ? d.metric_name : route.name, r.endpoint, d.value, d.unit, ok ? formatValue(d.value, d.unit, { integer: route.integer_value }) : '', state,
        ok ? d.interpretation : r.state === 'empty' ? '' : JSON.stringify(r.response?.detail), d.benchmark, d.timestamp, r.state === 'empty' ? '' : JSON.stringify(r.request)].map(csvCell).join(','));
    }
    download('pmkpi-dashboard.csv', `${lines.join('\n')}\n`, 'text/csv');
  }

  async function copyLink() {
    save();
    try {
      await navigator.clipboard.writeText(location.href);
      linkNote.textContent = 'Link copied: it opens this dashboard with the same inputs.';
    } catch {
      linkNote.textContent = `Share this address: ${location.href}`;
    }
  }

  function clearAll() {
    for (const id of [...state.metrics]) removeMetric(id);
    picker.open = true;
  }

  view.replaceChildren(
    h('h1', {}, 'Dashboard'),
    h('p', { class: 'lead' }, 'Several metrics side by side. The view is kept in the address (share it as a link) and in this browser, so a reload loses nothing.'),
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', class: 'secondary', id: 'export-json', onclick: exportJson }, 'Export JSON'),
      h('button', { type: 'button', class: 'secondary', id: 'export-csv', onclick: exportCsv }, 'Export CSV'),
      h('button', { type: 'button', class: 'secondary', id: 'copy-link', onclick: copyLink }, 'Copy link'),
      h('button', { type: 'button', class: 'secondary', id: 'clear-dashboard', onclick: clearAll }, 'Clear')),
    linkNote,
    picker,
    empty,
    grid,
    announcer,
  );
  for (const id of state.metrics) addCard(id, state.inputs[id]);
  refreshEmpty();
  save();
  return null;
}
