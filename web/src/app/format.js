// How values, units and statuses read on screen. Units come from the catalog; these are only the
// words and number formats for each unit string of the wire contract. Every figure of one unit
// reads the same everywhere: money with its currency sign and two decimals, percentages with two
// decimals and a % sign, whole counts without decimals, scores declared whole without decimals.
const UNIT_SUFFIX = {
  percentage: '%',
  seconds: ' s',
  hours: ' h',
  visitors: ' visitors',
  story_points: ' story points',
  sessions: ' sessions',
  actions: ' actions',
  months: ' months',
  ratio: '×',
};

const fixed2 = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const plain = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });
const short = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/**
 * "$50.00", "5.00%", "8,000 visitors", "40": the value as a reader expects it for its unit.
 * `integer` ({integer} or a boolean) is the route's catalog fact integer_value: a count, shown
 * without decimals. Scores (NPS, CES) show the decimals they have, never padded: "30", "44.39".
 */
const moneyFormats = new Map();
/** "currency:EUR" (a records answer's reporting currency) -> its Intl format; null for other units. */
function moneyFormat(unit) {
  if (typeof unit !== 'string' || !unit.startsWith('currency:')) return null;
  const code = unit.slice('currency:'.length);
  if (!moneyFormats.has(code)) {
    let format;
    try {
      format = new Intl.NumberFormat('en-US', { style: 'currency', currency: code, currencyDisplay: 'narrowSymbol' });
    } catch {
      format = { format: (v) => `${fixed2.format(v)} ${code}` };
    }
    moneyFormats.set(code, format);
  }
  return moneyFormats.get(code);
}

export function formatValue(value, unit, options = false) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return String(value ?? '');
  if (unit === 'currency') return (value < 0 ? '-$' : '$') + fixed2.format(Math.abs(value));
  const money = moneyFormat(unit);
  if (money) return money.format(value);
  const integer = typeof options === 'boolean' ? options : options?.integer === true;
  let number;
  if ((integer || unit === 'count') && Number.isInteger(value)) number = whole.format(value);
  else if (unit === 'score') number = short.format(value);
  else number = fixed2.format(value);
  return number + (UNIT_SUFFIX[unit] ?? '');
}

/** Axis ticks: the unit's sign, and no more decimals than the ticks need. */
export function formatTick(value, unit) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '';
  const number = short.format(Math.abs(value));
  if (unit === 'currency') return `${value < 0 ? '-' : ''}$${number}`;
  if (moneyFormat(unit)) return `${value < 0 ? '-' : ''}${number} ${unit.slice('currency:'.length)}`;
  return `${value < 0 ? '-' : ''}${number}${unit === 'percentage' ? '%' : ''}`;
}

/** Up to four decimals; `brief` keeps two. */
export function formatNumber(value, brief = false) {
  return typeof value === 'number' ? (brief ? short : plain).format(value) : String(value ?? '');
}

/**
 * The unit of an intermediate figure of a result (`details`), read from its key the way the
 * engine names them: "..._percent", "..._rate" and "..._share" are percentages, amounts of revenue
 * are money in the metric's currency, "customers_..." and "..._count" are counts.
 */
export function detailUnit(key) {
  if (/(_percent|_percentage|_rate|_share)$/.test(key)) return 'percentage';
  if (/(revenue|mrr|arr|arpu|arpa|ltv|cltv|cac|spend|spending|amount)/.test(key)) return 'currency';
  if (/^(customers|users|number|total_number|count)|_(count|customers|users)$/.test(key)) return 'count';
  return null;
}

/** "retention_rate_percent" -> "Retention rate" (the % sign is on the figure). */
export function detailLabel(key) {
  const text = key.replace(/_(percent|percentage)$/, '').replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A field's human label: the catalog's `label`, else its schema title, else its name in words. */
export function titleOf(field) {
  return field.label ?? field.schema?.title ?? field.name.replace(/_/g, ' ').replace(/^./, (c) => c.toUpperCase());
}

/** A core message with field names ("daily_active_users (5000) ...") in the fields' own labels. */
export function humanizeMessage(message, fields = [], { all = false } = {}) {
  let text = String(message ?? '');
  for (const field of [...fields].sort((a, b) => b.name.length - a.name.length)) {
    if (!all && !field.name.includes('_')) continue; // "promoters" in a sentence is a word
    text = text.replace(new RegExp(`\\b${field.name}\\b`, 'g'), titleOf(field));
  }
  return text;
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
