// Reading pasted or loaded series (web/src/app/series.js runs unchanged in Node: no DOM needed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSeries, isoTimestamp } from '../../web/src/app/series.js';

test('a pasted column, or values on one line', () => {
  assert.deepEqual(parseSeries('5.0\n4.8\n\n4.5\n').values, [5, 4.8, 4.5]);
  assert.deepEqual(parseSeries('5, 4.8, 4.5 4.3').values, [5, 4.8, 4.5, 4.3]);
  assert.equal(parseSeries('5\nx\n4').skipped, 1);
});

test('two columns copied from a spreadsheet (tab-separated) with a header', () => {
  const parsed = parseSeries('Date\tMRR\n2024-01-01\t$45,000\n2024-02-01\t48000\n2024-03-01\t51000');
  assert.deepEqual(parsed.values, [45000, 48000, 51000]);
  assert.deepEqual(parsed.timestamps, ['2024-01-01T00:00:00', '2024-02-01T00:00:00', '2024-03-01T00:00:00']);
  assert.equal(parsed.valueName, 'MRR');
});

test('CSV with quoted cells, the date column anywhere, the last numeric column as values', () => {
  const parsed = parseSeries('"id","month","churn %"\n1,2024-01,5.0\n2,2024-02,"4.8"\n3,2024-03,4.5\n');
  assert.deepEqual(parsed.values, [5, 4.8, 4.5]);
  assert.deepEqual(parsed.timestamps, ['2024-01-01T00:00:00', '2024-02-01T00:00:00', '2024-03-01T00:00:00']);
});

test('CSV without dates keeps no timestamps', () => {
  const parsed = parseSeries('week,signups\n1,120\n2,130\n3,128');
  assert.deepEqual(parsed.values, [120, 130, 128]);
  assert.equal(parsed.timestamps, null);
});

test('ISO timestamps as the API reads them', () => {
  assert.equal(isoTimestamp('2024-05-01'), '2024-05-01T00:00:00');
  assert.equal(isoTimestamp('2024-05'), '2024-05-01T00:00:00');
  assert.equal(isoTimestamp('2024-05-01 10:30:00'), '2024-05-01T10:30:00');
});
