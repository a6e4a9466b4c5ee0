// A card's values over time: the change against the previous period and against the same
// period a year earlier, progress towards a target, and a sparkline. Plain arithmetic on the
// values the user gave; every KPI itself is computed by the engine.

/** "2024-03" or "2024-03-15" -> {y, m, d}. */
function partsOf(period) {
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(period);
  return m ? { y: +m[1], m: +m[2], d: m[3] ? +m[3] : null } : null;
}

/** The same period one year earlier: "2024-03" -> "2023-03". */
export function yearEarlier(period) {
  const p = partsOf(period);
  if (!p) return null;
  return `${p.y - 1}-${String(p.m).padStart(2, '0')}${p.d ? `-${String(p.d).padStart(2, '0')}` : ''}`;
}

/** The period after the last one, in its own granularity (a month after "2024-03" is "2024-04"). */
export function nextPeriod(period) {
  const p = partsOf(period);
  if (!p) return null;
  const date = new Date(Date.UTC(p.y, p.m, 1));
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

function change(now, then) {
  if (then == null || !Number.isFinite(then)) return null;
  return { delta: now - then, percent: then !== 0 ? ((now - then) / Math.abs(then)) * 100 : null };
}

/** {last, previous, yearAgo}: the changes of the latest value, or null parts where the data lacks them. */
export function changes(series) {
  if (!series?.length) return null;
  const last = series[series.length - 1];
  const prev = series.length > 1 ? series[series.length - 2] : null;
  const yearAgoPeriod = yearEarlier(last.period);
  const yearAgo = series.find((p) => p.period === yearAgoPeriod) ?? null;
  return {
    last,
    previous: prev ? { period: prev.period, ...change(last.value, prev.value) } : null,
    yearAgo: yearAgo ? { period: yearAgo.period, ...change(last.value, yearAgo.value) } : null,
  };
}

/** How the latest value stands against a target: met or not, and the share reached. */
export function targetProgress(value, target, lowerIsBetter = false) {
  if (!Number.isFinite(value) || !Number.isFinite(target)) return null;
  const met = lowerIsBetter ? value <= target : value >= target;
  return { met, share: target !== 0 ? (value / target) * 100 : null };
}

/** An SVG path ("M x y L ...") of the values scaled into width x height. */
export function sparklinePath(values, width = 120, height = 32, pad = 2) {
  if (values.length < 2) return '';
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const span = hi - lo || 1;
  return values.map((v, i) => {
    const x = pad + (i * (width - 2 * pad)) / (values.length - 1);
    const y = height - pad - ((v - lo) * (height - 2 * pad)) / span;
    return `${i ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)}`;
  }).join(' ');
}
