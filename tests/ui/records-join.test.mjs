// Several files read as one input (web/src/app/records-join.js) and the Import page's small
// helpers (figure units and names, CSV export, period starts), in Node: no DOM needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { joinInputs } from '../../web/src/app/records-join.js';
import { figureName, toCsv, unitOfFigure } from '../../web/src/app/records-charts.js';
import { flatSummary, periodStart } from '../../web/src/app/import-subscriptions.js';

const sourceOf = (text) => (/^\uFEFF?\s*\[/.test(text) ? 'records' : /^\uFEFF?\s*\{/.test(text) ? 'ndjson' : 'csv');

test('CSV files of one export: the repeated header lines dropped, BOM, CRLF and a missing last newline kept right', () => {
  const a = '\uFEFFuser_id,timestamp,event\r\nu1,2024-01-01,view\r\n';
  const b = 'user_id,timestamp,event\nu2,2024-02-01,view';
  const c = 'user_id,timestamp,event\n';
  assert.deepEqual(joinInputs(['a.csv', 'b.csv', 'c.csv'], [a, b, c], sourceOf), {
    field: 'csv',
    text: '\uFEFFuser_id,timestamp,event\r\nu1,2024-01-01,view\r\nu2,2024-02-01,view\n',
  });
  assert.deepEqual(joinInputs(['a.csv'], [a], sourceOf), { field: 'csv', text: a });
});

test('files that cannot be one input: other columns, or another kind of source, named', () => {
  const other = joinInputs(['jan.csv', 'feb.csv'], ['a,b\n1,2\n', 'a,c\n1,2\n'], sourceOf);
  assert.equal(other.error.type, 'value_error');
  assert.deepEqual(other.error.loc, ['body', 'csv']);
  assert.match(other.error.msg, /^feb\.csv has other columns than jan\.csv \(its first line is "a,c"\)/);
  assert.equal(other.error.input, 'feb.csv');
  const kinds = joinInputs(['a.csv', 'b.ndjson'], ['a,b\n1,2\n', '{"a":1}\n'], sourceOf);
  assert.match(kinds.error.msg, /^b\.ndjson is ndjson and a\.csv is csv/);
});

test('JSON lines are concatenated and JSON arrays item by item', () => {
  assert.deepEqual(joinInputs(['1', '2'], ['{"a":1}', '{"a":2}\n'], sourceOf), { field: 'ndjson', text: '{"a":1}\n{"a":2}\n' });
  assert.deepEqual(joinInputs(['1', '2'], ['[{"a":1}]', ' [{"a":2},{"a":3}]'], sourceOf), { field: 'records', text: '[{"a":1},{"a":2},{"a":3}]' });
});

test('figure units: a banded figure takes its catalog route\'s unit, the others are read from their names', () => {
  const catalog = { byEndpoint: (path) => ({ '/metrics/quick-ratio': { unit: 'ratio' }, '/metrics/arpa': { unit: 'currency' } })[path] };
  const bands = { quick_ratio: { route: '/metrics/quick-ratio' }, arpa: { route: '/metrics/arpa' } };
  const money = 'currency:EUR';
  assert.equal(unitOfFigure('quick_ratio', { catalog, bands, money }), 'ratio');
  assert.equal(unitOfFigure('arpa', { catalog, bands, money }), money);
  assert.equal(unitOfFigure('net_revenue_retention', { catalog, money }), 'percentage');
  assert.equal(unitOfFigure('gross_mrr_churn_rate', { catalog, money }), 'percentage');
  assert.equal(unitOfFigure('churned_mrr', { catalog, money }), money);
  assert.equal(unitOfFigure('ltv', { catalog, money }), money);
  assert.equal(unitOfFigure('average_session_duration_seconds', { catalog }), 'seconds');
  assert.equal(unitOfFigure('customers', { catalog }), 'count');
  assert.equal(figureName('net_new_mrr'), 'Net new MRR');
  assert.equal(figureName('median_session_duration_seconds'), 'Median session duration');
});

test('CSV export: every key as a column in order of appearance, quoted when it must be', () => {
  assert.equal(toCsv([{ a: 1, b: 'x,y' }, { a: null, c: 'say "hi"' }]), 'a,b,c\n1,"x,y",\n,,"say ""hi"""\n');
});

test('the first day of each period name the engines write', () => {
  assert.equal(periodStart('2024-03'), '2024-03-01');
  assert.equal(periodStart('2024-Q1'), '2024-01-01');
  assert.equal(periodStart('2024-Q4'), '2024-10-01');
  assert.equal(periodStart('2024-03-04'), '2024-03-04');
});

test('the summary export: every figure, then each band by the figure it reads', () => {
  assert.deepEqual(flatSummary({ period: '2024-03', mrr: 78, logo_churn_rate: 3.2, bands: { logo_churn_rate: { status: 'good', label: 'Good', route: '/metrics/churn-rate' } } }),
    { period: '2024-03', mrr: 78, logo_churn_rate: 3.2, logo_churn_rate_band: 'good' });
});
