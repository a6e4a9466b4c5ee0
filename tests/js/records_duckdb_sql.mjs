// RECORDS.md's subscription movements written as SQL for DuckDB (an independent implementation), and a
// deterministic random subscription export. Shared by the differential test and bench/records.
import { DuckDBInstance } from '@duckdb/node-api';
import { mulberry32 } from '../../web/src/app/random.js';

function day(offset) {
  return new Date(Date.UTC(2022, 0, 1) + offset * 86400000).toISOString().slice(0, 10);
}

export function randomExport(customers, seed = 42) {
  const rnd = mulberry32(seed);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const lines = ['customer_id,amount,interval,interval_count,quantity,currency,start,end,trial_end'];
  for (let c = 0; c < customers; c++) {
    let at = Math.floor(rnd() * 1100);
    const subscriptions = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < subscriptions; k++) {
      const length = 20 + Math.floor(rnd() * 500);
      const ends = rnd() < 0.6;
      const amount = (Math.floor(rnd() * 50000) / 100).toFixed(2);
      const interval = pick(['month', 'month', 'year', 'quarter', 'week']);
      const count = rnd() < 0.1 ? 3 : 1;
      const quantity = rnd() < 0.2 ? 1 + Math.floor(rnd() * 10) : '';
      const currency = rnd() < 0.2 ? 'EUR' : '';
      const trial = k === 0 && rnd() < 0.25 ? day(at + 14) : '';
      const time = rnd() < 0.3 ? ` ${String(Math.floor(rnd() * 24)).padStart(2, '0')}:30:00` : '';
      lines.push(
        [`c${c}`, amount, interval, count, quantity, currency, day(at) + time, ends ? day(at + length) : '', trial].join(','),
      );
      if (!ends) break;
      at += length + (rnd() < 0.5 ? 0 : Math.floor(rnd() * 200));
    }
  }
  return lines.join('\n') + '\n';
}

const SQL = (file) => `
WITH raw AS (SELECT * FROM read_csv('${file}', header = true, all_varchar = true)),
s AS (
  SELECT customer_id,
         CAST(amount AS DOUBLE) * COALESCE(CAST(NULLIF(quantity, '') AS DOUBLE), 1)
           * CASE "interval" WHEN 'year' THEN 1.0 / 12 WHEN 'quarter' THEN 1.0 / 3 WHEN 'week' THEN 52.0 / 12
                             WHEN 'day' THEN 365.0 / 12 ELSE 1 END
           / COALESCE(CAST(NULLIF(interval_count, '') AS DOUBLE), 1)
           * CASE COALESCE(currency, '') WHEN 'EUR' THEN 1.08 ELSE 1 END AS mrr,
         CAST(start AS TIMESTAMP) AS st, CAST(NULLIF("end", '') AS TIMESTAMP) AS en,
         CAST(NULLIF(trial_end, '') AS TIMESTAMP) AS tr
  FROM raw),
bounds AS (SELECT date_trunc('month', min(st)) AS first_month,
                  date_trunc('month', max(greatest(st, coalesce(en, st), coalesce(tr, st)))) AS last_month FROM s),
months AS (SELECT unnest(generate_series(first_month, last_month, INTERVAL 1 MONTH)) AS p FROM bounds),
snap AS (  -- end-of-period snapshot: t is the first instant of the next month
  SELECT m.p, s.customer_id, sum(s.mrr) AS m
  FROM months m JOIN s ON s.st < m.p + INTERVAL 1 MONTH
                      AND (s.en IS NULL OR s.en >= m.p + INTERVAL 1 MONTH)
                      AND (s.tr IS NULL OR s.tr < m.p + INTERVAL 1 MONTH)
  GROUP BY 1, 2),
grid AS (
  SELECT m.p, c.customer_id, round(coalesce(sn.m, 0), 6) AS m
  FROM months m CROSS JOIN (SELECT DISTINCT customer_id FROM s) c
  LEFT JOIN snap sn ON sn.p = m.p AND sn.customer_id = c.customer_id),
lagged AS (
  SELECT *, coalesce(lag(m) OVER w, 0) AS prev,
         coalesce(max(CASE WHEN m > 0 THEN 1 ELSE 0 END)
                    OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS had
  FROM grid WINDOW w AS (PARTITION BY customer_id ORDER BY p))
SELECT strftime(p, '%Y-%m') AS period,
       sum(m) AS mrr,
       count(*) FILTER (WHERE m > 0) AS customers,
       coalesce(sum(m) FILTER (WHERE prev = 0 AND m > 0 AND had = 0), 0) AS new_mrr,
       count(*) FILTER (WHERE prev = 0 AND m > 0 AND had = 0) AS new_customers,
       coalesce(sum(m) FILTER (WHERE prev = 0 AND m > 0 AND had = 1), 0) AS reactivation_mrr,
       count(*) FILTER (WHERE prev = 0 AND m > 0 AND had = 1) AS reactivated_customers,
       coalesce(sum(prev) FILTER (WHERE prev > 0 AND m = 0), 0) AS churned_mrr,
       count(*) FILTER (WHERE prev > 0 AND m = 0) AS churned_customers,
       coalesce(sum(m - prev) FILTER (WHERE prev > 0 AND m > prev), 0) AS expansion_mrr,
       count(*) FILTER (WHERE prev > 0 AND m > prev) AS expanded_customers,
       coalesce(sum(prev - m) FILTER (WHERE m > 0 AND m < prev), 0) AS contraction_mrr,
       count(*) FILTER (WHERE m > 0 AND m < prev) AS contracted_customers
FROM lagged GROUP BY 1 ORDER BY 1`;

export async function duckdbPeriods(file) {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll(SQL(file));
  return reader.getRowObjectsJS();
}

