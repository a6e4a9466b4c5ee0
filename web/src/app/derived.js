// Derived metrics of a dashboard, found in the catalog: a route not on the dashboard whose
// required fields (of one of its methods) the cards can all give, either as an input a card was
// computed from (GRR from the NRR card's MRR movements) or as a card's result named like the
// field (CAC for the `cac` field of LTV:CAC). The values are then computed by that route; nothing
// here computes a ratio.
import { methodsOf } from './catalog.js';
import { normalizeName } from './series.js';

/** The names a card's result answers to: its id, metric name and short names ("CLTV/LTV": cltv, ltv), normalised. */
export function resultNames(route) {
  const names = [route.id, route.metric_name, route.name, route.short_name, ...String(route.short_name ?? route.name ?? '').split('/')];
  return new Set(names.filter(Boolean).map(normalizeName).filter(Boolean));
}

/** A card's short name (CLTV/LTV), as the dashboard shows it. */
const cardName = (route) => route.short_name ?? route.name;

function sameFields(a, b) {
  const names = (r) => r.fields.map((f) => f.name).sort().join(',');
  return names(a) === names(b);
}

/** Sets of field names that together make a request of `route`: one per method, or its required fields. */
export function requestShapes(route) {
  const methods = methodsOf(route);
  const required = route.fields.filter((f) => f.required && !f.group).map((f) => f.name);
  if (!methods.length) return [required];
  const needed = (name) => route.fields.find((f) => f.name === name)?.default == null;
  return methods.map((m) => [...required, ...m.fields.filter(needed)]);
}

/**
 * sources: [{route, body|null, value|null}] (the cards, computed or not); onDashboard: route ids.
 * Answers [{route, body, from: [card names]}] for every route the cards make computable.
 */
export function derivableRoutes(catalog, sources, onDashboard) {
  const available = new Map(); // field name -> {value, from}
  for (const s of sources) {
    if (!s.body) continue;
    for (const [k, v] of Object.entries(s.body)) if (typeof v === 'number' && !available.has(k)) available.set(k, { value: v, from: cardName(s.route) });
  }
  for (const s of sources) {
    if (s.value == null) continue;
    for (const n of resultNames(s.route)) available.set(n, { value: s.value, from: cardName(s.route) });
  }
  const out = [];
  for (const route of catalog.metricRoutes) {
    if (onDashboard.includes(route.id)) continue;
    const shape = requestShapes(route).find((names) => names.length > 0 && names.every((n) => available.has(n)));
    if (!shape) continue;
    const optional = route.fields.filter((f) => !f.required && !f.group && available.has(f.name)).map((f) => f.name);
    const names = [...new Set([...shape, ...optional])];
    const body = Object.fromEntries(names.map((n) => [n, available.get(n).value]));
    const from = [...new Set(names.map((n) => available.get(n).from))];
    if (from.length === 1 && sameFields(route, sources.find((s) => cardName(s.route) === from[0]).route)) continue; // CSAT's inputs are not an OSAT
    out.push({ route, body, from });
  }
  return out;
}
