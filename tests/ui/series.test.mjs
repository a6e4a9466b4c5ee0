// Reading pasted or loaded series (web/src/app/series.js runs unchanged in Node: no DOM needed).
// Browser-free: run by `npm run test:ui` (node:test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isoTimestamp, parseDate, parseSeries, toNumber } from '../../web/src/app/series.js';

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

test('CSV with quoted cells, the date column anywhere, the column named like the metric as values', () => {
  const parsed = parseSeries('"id","month","churn %"\n1,2024-01,5.0\n2,2024-02,"4.8"\n3,2024-03,4.5\n', { metricName: 'churn' });
  assert.deepEqual(parsed.values, [5, 4.8, 4.5]);
  assert.deepEqual(parsed.timestamps, ['2024-01-01T00:00:00', '2024-02-01T00:00:00', '2024-03-01T00:00:00']);
});

test('CSV without dates keeps no timestamps', () => {
  assert.equal(parseSeries('week,signups\n1,120\n2,130\n3,128').needsChoice, true);
  const parsed = parseSeries('week,signups\n1,120\n2,130\n3,128', { metricName: 'signups' });
  assert.deepEqual(parsed.values, [120, 130, 128]);
  assert.equal(parsed.timestamps, null);
});

test('ISO timestamps as the API reads them', () => {
  assert.equal(isoTimestamp('2024-05-01'), '2024-05-01T00:00:00');
  assert.equal(isoTimestamp('2024-05'), '2024-05-01T00:00:00');
  assert.equal(isoTimestamp('2024-05-01 10:30:00'), '2024-05-01T10:30:00');
});

test('several numeric columns and no column named like the metric: nothing is picked silently', () => {
  const text = 'date,customers,mrr,churn_rate\n2024-01-01,100,45000,5.1\n2024-02-01,104,47000,4.9\n';
  const unknown = parseSeries(text);
  assert.equal(unknown.needsChoice, true);
  assert.deepEqual(unknown.values, []);
  assert.deepEqual(unknown.columns.map((c) => c.name), ['customers', 'mrr', 'churn_rate']);
  assert.deepEqual(parseSeries(text, { metricName: 'MRR' }).values, [45000, 47000]);
  assert.deepEqual(parseSeries(text, { metricName: 'churn rate' }).values, [5.1, 4.9]);
  assert.deepEqual(parseSeries(text, { metricName: 'mrr', column: 'customers' }).values, [100, 104]);
});

test('the common date forms', () => {
  const cases = {
    '2023-01-31': '2023-01-31T00:00:00', '2023-01': '2023-01-01T00:00:00', '2023/01': '2023-01-01T00:00:00',
    '2023/1/5': '2023-01-05T00:00:00', 'Jan 2023': '2023-01-01T00:00:00', 'January 2023': '2023-01-01T00:00:00',
    'Sept 2023': '2023-09-01T00:00:00', 'jan-23': '2023-01-01T00:00:00', '2023 Mar': '2023-03-01T00:00:00',
    'Q3 2023': '2023-07-01T00:00:00', '2023-Q4': '2023-10-01T00:00:00', '31.01.2023': '2023-01-31T00:00:00',
    '01/31/2023': '2023-01-31T00:00:00', '15 Mar 2023': '2023-03-15T00:00:00', 'Mar 15, 2023': '2023-03-15T00:00:00',
    '2024-02-29 10:30': '2024-02-29T10:30:00',
  };
  for (const [text, iso] of Object.entries(cases)) assert.equal(parseDate(text), iso, text);
  for (const bad of ['2023-13-01', '2023-02-30', 'Foo 2023', '31/31/2023', '']) assert.equal(parseDate(bad), null, bad);
  assert.equal(parseDate('05/03/2023', 'dmy'), '2023-03-05T00:00:00');
});

test('day-first dates are recognised from the file itself', () => {
  const parsed = parseSeries('date,visits\n05/01/2023,10\n25/01/2023,12\n05/02/2023,11\n');
  assert.deepEqual(parsed.timestamps, ['2023-01-05T00:00:00', '2023-01-25T00:00:00', '2023-02-05T00:00:00']);
});

test('semicolon CSV with decimal commas and thousands dots; each row not used is reported by line', () => {
  const parsed = parseSeries('Month;MRR\nJan 2023;45.000,50\nFeb 2023;47.100,00\n2023/03;48.250,75\nApr 2023;n/a\nMay 2023;51.000\nJune 2023;\nJuly 2023;1,5\nXyz;3\n');
  assert.deepEqual(parsed.values, [45000.5, 47100, 48250.75, 51000, 1.5]);
  assert.equal(parsed.timestamps.length, 5);
  assert.deepEqual(parsed.problems.map((p) => p.line), [5, 7, 9]);
  assert.match(parsed.problems[0].reason, /“n\/a” is not a number/);
  assert.match(parsed.problems[1].reason, /no value/);
  assert.match(parsed.problems[2].reason, /“Xyz” is not a date/);
  assert.equal(parsed.skipped, 3);
});

test('numbers as people write them', () => {
  assert.equal(toNumber('$1,234.50'), 1234.5);
  assert.equal(toNumber('12%'), 12);
  assert.equal(toNumber('1.234,5', true), 1234.5);
  assert.equal(toNumber('-3'), -3);
  assert.ok(Number.isNaN(toNumber('12abc')));
  assert.ok(Number.isNaN(toNumber('')));
});

test('a single column reports its bad lines by number', () => {
  const parsed = parseSeries('5\nx\n4\n');
  assert.deepEqual(parsed.values, [5, 4]);
  assert.deepEqual(parsed.problems, [{ line: 2, text: 'x', reason: '“x” is not a number' }]);
});
