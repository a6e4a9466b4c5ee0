// The catalog as the page uses it, read from GET /metrics/list through the client: every list of
// metrics, fields, bounds, bands and examples in the page comes from here.
export function readCatalog(listing) {
  const categories = [];
  const routes = new Map();
  for (const [key, category] of Object.entries(listing.categories)) {
    const entries = category.keys.map((k) => ({ ...listing[key][k], category: key }));
    categories.push({ key, title: category.title, description: category.description, routes: entries });
    for (const route of entries) routes.set(route.id, route);
  }
  const isMetric = (route) => route.kind === 'metric';
  return {
    categories,
    routes,
    /** Categories holding KPI routes (one form each), in catalog order. */
    metricCategories: categories
      .map((c) => ({ ...c, routes: c.routes.filter(isMetric) }))
      .filter((c) => c.routes.length > 0),
    metricRoutes: [...routes.values()].filter(isMetric),
    byEndpoint: (endpoint) => [...routes.values()].find((r) => r.endpoint === endpoint),
  };
}

/**
 * Alternative ways of giving a route's inputs: the catalog puts the fields of each method in a
 * `group` (MRR's two methods). Returns [] when the route has a single set of inputs.
 */
export function methodsOf(route) {
  const methods = new Map();
  for (const field of route.fields) {
    if (!field.group) continue;
    if (!methods.has(field.group)) methods.set(field.group, { key: String(methods.size + 1), title: field.group, fields: [] });
    methods.get(field.group).fields.push(field.name);
  }
  return methods.size > 1 ? [...methods.values()] : [];
}

/** The field's help text without the "Method N:" prefix the method choice already shows. */
export function helpText(field) {
  const text = field.description ?? '';
  return field.group ? text.replace(/^Method \d+:\s*/, '') : text;
}

/** "churn_rate", "Churn Rate", "churn-rate" -> the catalog route of that metric, if any. */
export function routeForMetricName(catalog, name) {
  const key = String(name ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '');
  if (!key) return undefined;
  const squash = (s) => String(s ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '');
  return catalog.metricRoutes.find((r) => squash(r.id) === key || squash(r.metric_name) === key || squash(r.name) === key || squash(r.short_name) === key);
}
