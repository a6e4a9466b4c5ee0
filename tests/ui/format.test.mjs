// The UI's number formats and labels (web/src/app/format.js), in Node: no DOM needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detailLabel, detailUnit, formatTick, formatValue, humanizeMessage, labelOfStatus, titleOf, toneOf } from '../../web/src/app/format.js';

test('every value by its unit', () => {
  assert.equal(formatValue(50, 'currency'), '$50.00');
  assert.equal(formatValue(-1234.5, 'currency'), '-$1,234.50');
  assert.equal(formatValue(5, 'percentage'), '5.00%');
  assert.equal(formatValue(4.756, 'percentage'), '4.76%');
  assert.equal(formatValue(1800, 'seconds'), '1,800.00 s');
  assert.equal(formatValue(30, 'score'), '30');
  assert.equal(formatValue(44.39, 'score'), '44.39');
  assert.equal(formatValue(8000, 'visitors', true), '8,000 visitors');
  assert.equal(formatValue(12, 'story_points', { integer: true }), '12 story points');
  assert.equal(formatValue(12.5, 'story_points', { integer: true }), '12.50 story points');
  assert.equal(formatValue(50, 'count'), '50');
  assert.equal(formatValue(null, 'currency'), '');
});

test('axis ticks carry the unit without padding decimals', () => {
  assert.equal(formatTick(1250000, 'currency'), '$1,250,000');
  assert.equal(formatTick(-20, 'currency'), '-$20');
  assert.equal(formatTick(2.5, 'percentage'), '2.5%');
  assert.equal(formatTick(12, null), '12');
});

test('intermediate figures: units and labels from their keys', () => {
  assert.equal(detailUnit('retention_rate_percent'), 'percentage');
  assert.equal(detailUnit('revenue_churn_rate'), 'percentage');
  assert.equal(detailUnit('annualized_arpu'), 'currency');
  assert.equal(detailUnit('arpa'), 'currency');
  assert.equal(detailUnit('customers_lost'), 'count');
  assert.equal(detailUnit('time_frame'), null);
  assert.equal(detailLabel('retention_rate_percent'), 'Retention rate');
  assert.equal(detailLabel('customers_lost'), 'Customers lost');
});

test('labels: the catalog label first, then the schema title, then the name in words', () => {
  assert.equal(titleOf({ name: 'arpu', label: 'Average revenue per account', schema: { title: 'Arpu' } }), 'Average revenue per account');
  assert.equal(titleOf({ name: 'arpu', schema: { title: 'Arpu' } }), 'Arpu');
  assert.equal(titleOf({ name: 'total_users' }), 'Total users');
});

test('core messages speak in labels, not field names', () => {
  const fields = [{ name: 'daily_active_users', label: 'Daily active users' }, { name: 'monthly_active_users', label: 'Monthly active users' }];
  assert.equal(humanizeMessage('daily_active_users (5000) cannot exceed monthly_active_users (1000).', fields),
    'Daily active users (5000) cannot exceed Monthly active users (1000).');
  assert.equal(humanizeMessage('Input should be greater than 0', fields), 'Input should be greater than 0');
});

test('tones follow the band order (best first)', () => {
  const route = { bands: [{ status: 'excellent', label: 'Excellent' }, { status: 'good', label: 'Good' }, { status: 'average', label: 'Average' }, { status: 'poor', label: 'Poor' }] };
  assert.deepEqual(['excellent', 'good', 'average', 'poor', 'other'].map((s) => toneOf(route, s)), ['best', 'good', 'fair', 'poor', 'neutral']);
  assert.equal(labelOfStatus(route, 'average'), 'Average');
  assert.equal(labelOfStatus(route, 'needs_work'), 'needs work');
});
