// The landing page: a product manager's first task (explore a generated sample dataset on the
// dashboard, or start their own), then every metric of the catalog, grouped by category.
import { h } from '../dom.js';
import { dashboardLink, storeState } from '../dashboard-state.js';
import { sampleDashboard } from '../sample.js';

export function renderHome({ client, catalog, view }) {
  const note = h('p', { class: 'muted', 'aria-live': 'polite' });
  async function openSample() {
    note.textContent = 'Computing 24 months of the sample with the engine…';
    const state = await sampleDashboard(client, catalog);
    storeState(state);
    location.hash = await dashboardLink(state);
  }
  view.replaceChildren(
    h('section', { class: 'intro' },
      h('h1', {}, 'Product KPIs, computed in your browser'),
      h('p', { class: 'lead' },
        `${catalog.metricRoutes.length} metrics, forecasts and pattern analysis. Every calculation runs in this page `,
        '(WebAssembly): nothing you type is sent to a server, and it keeps working offline.'),
      h('div', { class: 'start panel' },
        h('h2', {}, 'Start here'),
        h('p', {}, 'See a dashboard filled with 24 months of a made-up SaaS company: MRR, churn, NRR, NPS, CAC and CLTV with their trends, targets and forecasts. ',
          h('strong', {}, 'The sample is generated, not real data.')),
        h('p', { class: 'intro-links' },
          h('button', { type: 'button', class: 'primary', id: 'open-sample', onclick: openSample }, 'Explore the sample dashboard'),
          h('a', { class: 'button-link secondary', href: '#/dashboard' }, 'Start my own dashboard'),
          h('a', { class: 'button-link secondary', href: '#/forecast' }, 'Forecast a metric'),
          h('a', { class: 'button-link secondary', href: '#/api' }, 'Explore the API')),
        note)),
    ...catalog.metricCategories.map((category) =>
      h('section', { class: 'category', 'aria-labelledby': `cat-${category.key}` },
        h('h2', { id: `cat-${category.key}` }, category.title),
        category.description ? h('p', { class: 'muted' }, category.description) : null,
        h('ul', { class: 'metric-cards' }, category.routes.map((route) =>
          h('li', {}, h('a', { class: 'metric-card', href: `#/metric/${route.id}` },
            h('span', { class: 'metric-card-name' }, route.short_name),
            h('span', { class: 'metric-card-title' }, route.title),
            h('span', { class: 'metric-card-desc' }, route.description))))))),
  );
}
