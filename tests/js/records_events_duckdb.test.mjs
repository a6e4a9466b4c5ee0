// Differential test of the events engine against DuckDB: the same random log of 100,000 events goes
// through `pmkpi records events` (the native CLI) and through SQL written from RECORDS.md's
// definitions in DuckDB; daily DAU/WAU/MAU, sessions (count, per start day, durations, bounces),
// weekly classic retention and a three-step funnel must agree. Days are local days in a fixed-offset
// zone (+05:30), so the zone arithmetic is checked too (DuckDB shifts the epoch by the offset).
//
// Needs `build/pmkpi` (npm run build:native; or set PMKPI_CLI).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';

import { DuckDBInstance } from '@duckdb/node-api';
import { mulberry32 } from '../../web/src/app/random.js';

const root = new URL('../../', import.meta.url);
const cli = process.env.PMKPI_CLI ?? fileURLToPath(new URL('build/pmkpi', root));
assert.ok(existsSync(cli), `${cli} is missing: build it with \`npm run build:native\` (or set PMKPI_CLI)`);

const EVENTS = 100_000;
const USERS = 3_000;
const DAYS = 60;
const OFFSET_US = 5.5 * 3600e6; // +05:30
const TIMEOUT_MIN = 30;
const WINDOW_DAYS = 2;
const NAMES = ['open', 'view', 'add', 'buy', 'share'];

// Users arrive over the period and come back in bursts, so sessions, gaps and retention all vary.
function makeLog(seed) {
  const r = mulberry32(seed);
  const start = Date.UTC(2026, 0, 5, 0, 0, 0);
  const users = Array.from({ length: USERS }, (_, i) => ({
    id: `u${i}`,
    first: start + Math.floor(r() * DAYS * 0.8 * 86400e3),
    t: 0,
  }));
  const lines = ['user_id,timestamp,event,seq'];
  for (let i = 0; i < EVENTS; ++i) {
    const u = users[Math.floor(Math.pow(r(), 1.5) * USERS)];
    if (u.t === 0) u.t = u.first;
    else {
      const gap = r() < 0.8 ? Math.floor(r() * 40 * 60e3) : Math.floor(r() * 5 * 86400e3);
      u.t = Math.min(u.t + gap, start + DAYS * 86400e3);
    }
    if (r() < 0.02) u.t = u.first + Math.floor(r() * 3600e3); // an out-of-order straggler
    const name = NAMES[Math.floor(Math.pow(r(), 1.3) * NAMES.length)];
    lines.push(`${u.id},${new Date(u.t).toISOString()},${name},${i}`);
  }
  return lines.join('\n') + '\n';
}

const dir = mkdtempSync(join(tmpdir(), 'pmkpi-events-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const csvPath = join(dir, 'events.csv');
writeFileSync(csvPath, makeLog(20261202));

const answer = JSON.parse(
  execFileSync(
    cli,
    [
      'records', 'events',
      '--timezone', '+05:30',
      '--session-timeout-minutes', String(TIMEOUT_MIN),
      '--retention-period', 'week',
      '--funnel', JSON.stringify({ steps: ['open', 'view', 'buy'], window_days: WINDOW_DAYS }),
      csvPath,
    ],
    { maxBuffer: 256 * 1024 * 1024 },
  ).toString(),
);

const db = await (await DuckDBInstance.create(':memory:')).connect();
await db.run(`
  CREATE TABLE e AS
  SELECT user_id, epoch_us(timestamp::TIMESTAMP) AS us, event, seq,
         CAST(floor((epoch_us(timestamp::TIMESTAMP) + ${OFFSET_US}) / 86400e6) AS BIGINT) AS day
  FROM read_csv('${csvPath}', header = true, columns = {'user_id': 'VARCHAR', 'timestamp': 'VARCHAR', 'event': 'VARCHAR', 'seq': 'BIGINT'})`);

async function rows(sql) {
  return (await db.runAndReadAll(sql)).getRowObjectsJson();
}
const num = (x) => Number(x);

test('the CLI read every row', () => {
  assert.deepEqual(answer.rows, { read: EVENTS, used: EVENTS, rejected: 0 });
  assert.equal(answer.summary.events, EVENTS);
});

test('daily DAU, WAU and MAU match DuckDB', async () => {
  const sql = await rows(`
    WITH days AS (SELECT range AS d FROM range((SELECT min(day) FROM e), (SELECT max(day) FROM e) + 1)),
         ud AS (SELECT DISTINCT user_id, day FROM e)
    SELECT d,
      (SELECT count(DISTINCT user_id) FROM ud WHERE day = d) AS dau,
      (SELECT count(DISTINCT user_id) FROM ud WHERE day BETWEEN d - 6 AND d) AS wau,
      (SELECT count(DISTINCT user_id) FROM ud WHERE day BETWEEN d - 29 AND d) AS mau
    FROM days ORDER BY d`);
  assert.equal(answer.daily.length, sql.length);
  sql.forEach((s, i) => {
    const p = answer.daily[i];
    assert.deepEqual([p.dau, p.wau, p.mau], [num(s.dau), num(s.wau), num(s.mau)], `day ${p.day}`);
  });
  assert.equal(answer.summary.users, num((await rows('SELECT count(DISTINCT user_id) AS n FROM e'))[0].n));
});

test('sessions match DuckDB: count, start days, durations and bounces', async () => {
  await db.run(`
    CREATE TABLE s AS
    WITH ordered AS (
      SELECT *, CASE WHEN lag(us) OVER w IS NULL OR us - lag(us) OVER w > ${TIMEOUT_MIN * 60e6} THEN 1 ELSE 0 END AS starts
      FROM e WINDOW w AS (PARTITION BY user_id ORDER BY us, seq)),
    numbered AS (SELECT *, sum(starts) OVER (PARTITION BY user_id ORDER BY us, seq) AS sid FROM ordered)
    SELECT user_id, sid, min(us) AS start_us, max(us) AS end_us, count(*) AS events,
           CAST(floor((min(us) + ${OFFSET_US}) / 86400e6) AS BIGINT) AS day
    FROM numbered GROUP BY user_id, sid`);
  const [t] = await rows(`SELECT count(*) AS n, sum(end_us - start_us) / 1e6 AS secs,
      count(*) FILTER (WHERE (end_us - start_us) <= 10e6 AND events < 2) AS bounced FROM s`);
  assert.equal(answer.summary.sessions, num(t.n));
  const average = num(t.secs) / num(t.n);
  assert.ok(Math.abs(answer.summary.average_session_duration_seconds - average) <= 0.005 + 1e-9);
  const bounce = (100 * num(t.bounced)) / num(t.n);
  assert.ok(Math.abs(answer.summary.bounce_rate - bounce) <= 0.005 + 1e-9, `${answer.summary.bounce_rate} vs ${bounce}`);
  const perDay = await rows(`SELECT day, count(*) AS n FROM s GROUP BY day`);
  const byDay = new Map(perDay.map((r) => [num(r.day), num(r.n)]));
  const firstDay = num((await rows('SELECT min(day) AS d FROM e'))[0].d);
  answer.daily.forEach((p, i) => assert.equal(p.sessions, byDay.get(firstDay + i) ?? 0, `sessions on ${p.day}`));
});

test('weekly classic retention matches DuckDB', async () => {
  const sql = await rows(`
    WITH uw AS (SELECT DISTINCT user_id, CAST(floor((day + 3) / 7) AS BIGINT) AS w FROM e),
         c AS (SELECT user_id, min(w) AS cw FROM uw GROUP BY user_id),
         w0 AS (SELECT min(w) AS w0 FROM uw),
         size AS (SELECT cw, count(*) AS n FROM c GROUP BY cw)
    SELECT c.cw - w0 AS i, uw.w - c.cw AS k, count(*) AS n, any_value(size.n) AS size
    FROM uw JOIN c USING (user_id) JOIN size USING (cw), w0 GROUP BY ALL`);
  const classic = answer.retention.classic;
  for (const r of sql) {
    const expected = (100 * num(r.n)) / num(r.size);
    const got = classic[num(r.i)][num(r.k)];
    assert.ok(Math.abs(got - expected) <= 0.005 + 1e-9, `cohort ${r.i} age ${r.k}: ${got} vs ${expected}`);
  }
  const cells = classic.flat().filter((x) => x !== null && x > 0).length;
  assert.equal(cells, sql.length, 'every non-zero cell is accounted for');
});

test('the funnel matches DuckDB', async () => {
  const w = WINDOW_DAYS * 86400e6;
  const [f] = await rows(`
    WITH s1 AS (SELECT user_id, arg_min(us, (us, seq)) AS t1, min((us, seq)) AS k1 FROM e WHERE event = 'open' GROUP BY user_id),
    s2 AS (SELECT e.user_id, any_value(t1) AS t1, min((e.us, e.seq)) AS k2 FROM e JOIN s1 USING (user_id)
           WHERE e.event = 'view' AND (e.us, e.seq) > k1 AND e.us - t1 <= ${w} GROUP BY e.user_id),
    s3 AS (SELECT e.user_id FROM e JOIN s2 USING (user_id)
           WHERE e.event = 'buy' AND (e.us, e.seq) > k2 AND e.us - t1 <= ${w} GROUP BY e.user_id)
    SELECT (SELECT count(*) FROM s1) AS a, (SELECT count(*) FROM s2) AS b, (SELECT count(*) FROM s3) AS c`);
  assert.deepEqual(
    answer.funnel.steps.map((s) => s.users),
    [num(f.a), num(f.b), num(f.c)],
  );
  assert.ok(num(f.c) > 0, 'the random log reaches the last step');
});
