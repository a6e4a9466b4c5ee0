// One metric: its generated form, and the result beside it. The form's values live in the hash
// query (#/metric/arpu?total_revenue=50000&...), so a computed result can be shared as a link.
import { h } from '../dom.js';
import { callRoute, createRouteForm } from '../form.js';
import { renderResult } from '../result.js';
import { humanizeMessage } from '../format.js';

/** The catalog's formula with the fields' labels for their names: "Churned revenue / MRR at beginning". */
export function formulaInWords(route) {
  return humanizeMessage(route.formula ?? '', route.fields, { all: true }).replace(/ x /g, ' × ');
}

export function renderMetric({ client, catalog, params, view, setHashQuery }, id) {
  const route = catalog.routes.get(id);
  if (!route || route.kind !== 'metric') {
    view.replaceChildren(h('section', {}, h('h1', {}, 'Metric not found'),
      h('p', {}, `There is no metric "${id}". `, h('a', { href: '#/' }, 'See all metrics'), '.')));
    return null;
  }
  const resultRegion = h('div', { class: 'result-region', id: 'result', 'aria-live': 'polite', 'aria-atomic': 'true' },
    h('p', { class: 'result-placeholder' }, 'Fill in the fields and press Calculate (or Enter). ', 'The result appears here.'));
  let computed = false;

  async function compute(form) {
    const { body, localErrors } = form.read();
    if (localErrors.length) {
      form.showErrors(localErrors);
      return;
    }
    const { status, data } = await callRoute(client, route, body);
    computed = true;
    setHashQuery(`/metric/${route.id}`, new URLSearchParams(form.getState()));
    if (status === 200) {
      form.clearErrors();
      resultRegion.replaceChildren(renderResult(route, data));
    } else {
      form.showErrors(data.detail);
      resultRegion.replaceChildren(h('p', { class: 'result-placeholder error-note' },
        status === 422 ? 'Some inputs need fixing: see the messages next to the fields.' : 'These inputs cannot be combined: see the message above the buttons.'));
    }
  }

  const form = createRouteForm(route, {
    idPrefix: `m-${route.id}`,
    onSubmit: compute,
    onInput: (f) => { if (computed) compute(f); },
  });

  const category = catalog.categories.find((c) => c.key === route.category);
  view.replaceChildren(
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/' }, 'Metrics'), ' / ', category?.title ?? ''),
    h('h1', {}, route.title, h('span', { class: 'h1-sub' }, ` (${route.short_name})`)),
    h('p', { class: 'lead' }, route.description),
    h('div', { class: 'metric-layout' },
      h('section', { class: 'panel', 'aria-labelledby': 'inputs-h' },
        h('h2', { id: 'inputs-h' }, 'Inputs'),
        form.form,
        h('p', { class: 'formula' }, h('strong', {}, 'Formula: '), formulaInWords(route))),
      h('section', { class: 'panel', 'aria-labelledby': 'result-h' },
        h('h2', { id: 'result-h' }, 'Result'),
        resultRegion)),
  );

  const state = Object.fromEntries(params);
  if (Object.keys(state).length) {
    form.setState(state);
    compute(form);
  }
  return null;
}
