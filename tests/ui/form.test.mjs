// How the generated forms read what a person types (web/src/app/form.js), in Node: the reading
// and writing of each field type, and callRoute through the real WebAssembly client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '../../web/src/client/index.js';
import { callRoute, formatForInput, readField } from '../../web/src/app/form.js';

const input = (value) => ({ value });

test('numbers: a number, or the text as typed so the core reports it at its field', () => {
  assert.equal(readField({ type: 'int' }, input(' 1000 ')), 1000);
  assert.equal(readField({ type: 'float' }, input('12.5')), 12.5);
  assert.equal(readField({ type: 'float' }, input('12,5x')), '12,5x');
  assert.equal(readField({ type: 'float' }, input('   ')), undefined);
});

test('lists and maps as people type them', () => {
  assert.deepEqual(readField({ type: 'list[float]' }, input('5, 4.8\n4.5;4.3')), [5, 4.8, 4.5, 4.3]);
  assert.deepEqual(readField({ type: 'list[str]' }, input('2024-01-01\n2024-02-01,2024-03-01')), ['2024-01-01', '2024-02-01', '2024-03-01']);
  assert.deepEqual(readField({ type: 'dict[str, int]' }, input('click: 120\nscroll=30')), { click: 120, scroll: 30 });
  assert.deepEqual(readField({ type: 'dict[str, int]' }, input('{"click": 1}')), { click: 1 });
  assert.equal(readField({ type: 'dict[str, int]' }, input('{"click": ')), '{"click":'); // the core reports the bad JSON
});

test('values written back into inputs read the same', () => {
  assert.equal(formatForInput({ type: 'list[float]' }, [1, 2.5]), '1, 2.5');
  assert.equal(formatForInput({ type: 'list[str]' }, ['a', 'b']), 'a\nb');
  assert.equal(formatForInput({ type: 'dict[str, int]' }, { a: 1 }), '{"a":1}');
  assert.equal(formatForInput({ type: 'int' }, null), '');
  const field = { type: 'list[float]' };
  assert.deepEqual(readField(field, input(formatForInput(field, [3, 4.25]))), [3, 4.25]);
});

test('callRoute answers status and JSON from the core', async () => {
  const client = await createClient();
  const route = { endpoint: '/metrics/arpu', method: 'POST' };
  const ok = await callRoute(client, route, { total_revenue: 50000, total_users: 1000 });
  assert.equal(ok.status, 200);
  assert.equal(ok.data.value, 50);
  const bad = await callRoute(client, route, { total_revenue: 50000, total_users: 0 });
  assert.equal(bad.status, 422);
  assert.deepEqual(bad.data.detail[0].loc, ['body', 'total_users']);
});
