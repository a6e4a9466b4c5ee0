// Differential test of POST /records/subscriptions: DuckDB recomputes every period's MRR, customers
// and movements from the same CSV with an independent SQL query (RECORDS.md's definitions written as
// SQL), on 10,000 random customers. pmkpi answers through the native CLI (`npm test` builds it first).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { duckdbPeriods, randomExport } from './records_duckdb_sql.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'build', 'pmkpi');

test('DuckDB recomputes every period of 10,000 random customers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pmkpi-duckdb-'));
  const file = join(dir, 'subscriptions.csv');
  writeFileSync(file, randomExport(10000));
  const answer = JSON.parse(
    execFileSync(cli, ['records', 'subscriptions', '--options', '{"rates": {"EUR": 1.08}}', file], {
      maxBuffer: 64 << 20,
    }).toString(),
  );
  assert.equal(answer.rows.rejected, 0);
  const expected = await duckdbPeriods(file);
  assert.ok(expected.length >= 36, `${expected.length} periods`);
  assert.equal(answer.periods.length, expected.length);
  const money = ['mrr', 'new_mrr', 'reactivation_mrr', 'churned_mrr', 'expansion_mrr', 'contraction_mrr'];
  const counts = ['customers', 'new_customers', 'reactivated_customers', 'churned_customers', 'expanded_customers',
    'contracted_customers'];
  expected.forEach((row, i) => {
    const got = answer.periods[i];
    assert.equal(got.period, row.period);
    for (const key of counts) assert.equal(got[key], Number(row[key]), `${row.period} ${key}`);
    for (const key of money)
      assert.ok(Math.abs(got[key] - Number(row[key])) <= 0.011, `${row.period} ${key}: ${got[key]} vs ${row[key]}`);
  });
});
