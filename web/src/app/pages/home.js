// The overview: every metric of the catalog, grouped by the spec's categories.
import { h } from '../dom.js';

export function renderHome({ catalog, view }) {
  view.replaceChildren(
    h('section', { class: 'intro' },
      h('h1', {}, 'Product KPIs, computed in your browser'),
      h('p', { class: 'lead' },
        `${catalog.metricRoutes.length} metrics, forecasts and pattern analysis. Every calculation runs in this page `,
        '(WebAssembly): nothing you type is sent to a server, and it keeps working offline.'),
      h('p', { class: 'intro-links' },
        h('a', { class: 'button-link', href: '#/dashboard' }, 'Open the dashboard'),
        h('a', { class: 'button-link secondary', href: '#/forecast' }, 'Forecast a metric'),
        h('a', { class: 'button-link secondary', href: '#/api' }, 'Explore the API'))),
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
