// How values, units and statuses read on screen. Units come from the catalog; these are only the
// words and number formats for each unit string of the wire contract.
const UNIT_SUFFIX = {
  percentage: '%',
  seconds: ' s',
  hours: ' h',
  visitors: ' visitors',
  story_points: ' story points',
  sessions: ' sessions',
  actions: ' actions',
};

const two = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const plain = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });

/**
 * "$50.00", "5.00%", "8,000 visitors": the value as a reader expects it for its unit. `integer` is
 * the route's catalog fact `integer_value` (a count, shown without decimals).
 */
export function formatValue(value, unit, integer = false) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return String(value ?? '');
  if (unit === 'currency') return (value < 0 ? '-$' : '$') + two.format(Math.abs(value));
  const number = integer && Number.isInteger(value) ? whole.format(value) : two.format(value);
  return number + (UNIT_SUFFIX[unit] ?? '');
}

const short = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** Up to four decimals; `brief` keeps two (tables of forecasts). */
export function formatNumber(value, brief = false) {
  return typeof value === 'number' ? (brief ? short : plain).format(value) : String(value ?? '');
}

/** "Total Users" from "total_users" when the schema has no title. */
export function titleOf(field) {
  return field.schema?.title ?? field.name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

/**
 * The colour tone of a status: bands are listed best first, so the first band is "best", the last
 * "poor", and those between "good" then "fair". Statuses without bands are "neutral".
 */
export function toneOf(route, status) {
  const bands = route?.bands ?? [];
  const rank = bands.findIndex((b) => b.status === status);
  if (rank < 0) return 'neutral';
  if (rank === 0) return 'best';
  if (rank === bands.length - 1) return 'poor';
  return rank === 1 ? 'good' : 'fair';
}

export function labelOfStatus(route, status) {
  return route?.bands?.find((b) => b.status === status)?.label ?? status?.replace(/_/g, ' ');
}
