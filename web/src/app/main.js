// The page: loads the WebAssembly core through the client, reads the catalog from it, and routes
// hash URLs (#/metric/arpu, #/forecast, #/dashboard, #/import, #/api) so the static output works from any
// sub-path of any host.
import './styles.css';
import { createClient } from '../client/index.js';
import { readCatalog } from './catalog.js';
import { h, focusHeading } from './dom.js';
import { renderHome } from './pages/home.js';
import { renderMetric } from './pages/metric.js';
import { renderForecast } from './pages/forecast.js';
import { renderDashboard } from './pages/dashboard.js';

const view = document.getElementById('view');
const statusText = document.querySelector('#engine-status .engine-text');
const statusBox = document.getElementById('engine-status');
const LOAD_TIMEOUT_MS = 30000;

function setEngineStatus(state, text) {
  statusBox.dataset.state = state;
  statusText.textContent = text;
}

/** Splits "#/metric/arpu?x=1" into its path and query. */
export function parseHash(hash = location.hash) {
  const raw = hash.replace(/^#/, '') || '/';
  const [path, query = ''] = raw.split('?');
  return { path: path || '/', params: new URLSearchParams(query) };
}

/** Replaces the hash's query without adding a history entry (state kept in the URL). */
export function setHashQuery(path, params) {
  const query = params.toString();
  const hash = `#${path}${query ? `?${query}` : ''}`;
  if (location.hash !== hash) history.replaceState(history.state, '', hash);
}

function showFatal(error) {
  setEngineStatus('error', 'Calculation engine unavailable');
  document.getElementById('metric-list').replaceChildren(h('p', { class: 'muted' }, 'Metrics appear once the engine loads.'));
  document.getElementById('metric-list').removeAttribute('aria-busy');
  view.removeAttribute('aria-busy');
  view.replaceChildren(
    h('section', { class: 'fatal-panel', role: 'alert' },
      h('h1', {}, 'The calculation engine could not load'),
      h('p', {}, 'Every metric is computed in this page by a WebAssembly module, and this browser could not load it. ',
        'Nothing was sent anywhere.'),
      h('ul', {},
        h('li', {}, 'Check that WebAssembly is enabled (some locked-down browsers and extensions disable it).'),
        h('li', {}, 'If the page was opened from a file or a server that did not deliver the .wasm file, serve the folder with any static web server (for example npm start).'),
        h('li', {}, 'Then reload the page.')),
      h('p', { class: 'muted' }, `Technical detail: ${error?.message ?? error}`),
      h('button', { type: 'button', class: 'primary', onclick: () => location.reload() }, 'Reload')),
  );
}

function renderSidebar(catalog) {
  const list = document.getElementById('metric-list');
  const groups = catalog.metricCategories.map((category) =>
    h('section', { class: 'nav-group' },
      h('h2', {}, category.title),
      h('ul', {}, category.routes.map((route) =>
        h('li', {}, h('a', { href: `#/metric/${route.id}`, dataset: { route: route.id }, title: route.title }, route.short_name))))));
  const mlCategory = catalog.categories.find((c) => c.routes.some((r) => r.kind === 'analysis'));
  if (mlCategory) {
    groups.push(h('section', { class: 'nav-group' },
      h('h2', {}, mlCategory.title),
      h('ul', {}, h('li', {}, h('a', { href: '#/forecast', dataset: { route: 'forecast' } }, 'Forecast & patterns')))));
  }
  list.replaceChildren(...groups);
  list.removeAttribute('aria-busy');
  closeMenuOnPhone();
}

/** On a phone the menu sits above the page: once a choice is made it folds away. */
function closeMenuOnPhone() {
  if (matchMedia('(max-width: 760px)').matches) document.getElementById('metric-menu').open = false;
}

function markCurrent(path) {
  const section = ['forecast', 'dashboard', 'import', 'api'].find((s) => path.startsWith(`/${s}`)) ?? 'metrics';
  for (const a of document.querySelectorAll('.topnav a')) {
    if (a.dataset.section === section) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const routeId = path.startsWith('/metric/') ? path.slice('/metric/'.length) : section === 'forecast' ? 'forecast' : null;
  for (const a of document.querySelectorAll('#metric-list a')) {
    if (a.dataset.route === routeId) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

async function start() {
  let client;
  let catalog;
  try {
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer after ${LOAD_TIMEOUT_MS / 1000} s`)), LOAD_TIMEOUT_MS));
    client = await Promise.race([createClient(), timeout]);
    const listing = await (await client.fetch('/metrics/list')).json();
    catalog = readCatalog(listing);
  } catch (error) {
    showFatal(error);
    return;
  }
  setEngineStatus('ready', 'Engine ready: computed in this page, offline');
  renderSidebar(catalog);

  let cleanup = null;
  let firstRender = true;
  async function route() {
    const { path, params } = parseHash();
    cleanup?.();
    cleanup = null;
    markCurrent(path);
    const ctx = { client, catalog, path, params, view, setHashQuery };
    view.removeAttribute('aria-busy');
    if (path.startsWith('/metric/')) cleanup = renderMetric(ctx, decodeURIComponent(path.slice('/metric/'.length)));
    else if (path === '/forecast') cleanup = renderForecast(ctx);
    else if (path === '/dashboard') cleanup = renderDashboard(ctx);
    else if (path === '/import') cleanup = (await import('./pages/import.js')).renderImport(ctx);
    else if (path === '/api') cleanup = (await import('./pages/api.js')).renderApi(ctx);
    else cleanup = renderHome(ctx);
    document.title = `${view.querySelector('h1')?.textContent ?? 'pmkpi'} · pmkpi`;
    if (!firstRender) {
      closeMenuOnPhone();
      focusHeading(view);
      window.scrollTo(0, 0);
    }
    firstRender = false;
  }
  window.addEventListener('hashchange', route);
  await route();
  document.documentElement.dataset.ready = 'true';
}

start();
