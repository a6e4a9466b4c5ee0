// The records tools of the client (createRecordsTools), in Node: the same module as createClient,
// what the Import page's Workers call. A file's answer equals the route's over fetch; partial states
// of files split by customer or user merge into it byte for byte; what cannot be read is a 422
// naming it; long reads report their progress. Needs the WASM build (npm run build:wasm).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { createClient, createRecordsTools } from '../../web/src/client/index.js';
import createPmkpiCore from '../../web/src/client/generated/pmkpi-core.js';

const tools = await createRecordsTools();
const client = await createClient();

function subscriptions(customers) {
  const lines = ['customer_id,plan,amount,interval,currency,start,end'];
  for (let c = 0; c < customers; ++c) {
    const month = 1 + (c % 12);
    lines.push(`c${c},${c % 3 ? 'pro' : 'team'},${19 + (c % 5) * 10},month,${c % 4 ? 'USD' : 'EUR'},2024-${String(month).padStart(2, '0')}-0${1 + (c % 9)},${c % 7 ? '' : `2025-0${1 + (c % 6)}-15`}`);
  }
  return lines;
}
const options = { rates: { EUR: 1.08 }, segment_by: 'plan' };

describe('two modules', () => {
  test('pmkpi-core leaves the records engines to pmkpi-records; the client sends /records/* there', async () => {
    const core = await createPmkpiCore();
    const body = JSON.stringify({ csv: 'user_id,timestamp,event\nu1,2024-01-01T10:00:00Z,view\n' });
    const direct = core._handle('POST', '/records/events', 'application/json', body);
    assert.equal(direct.status, 501);
    assert.match(JSON.parse(direct.body).detail, /computed by the records module \(pmkpi-records\.wasm\)/);
    const viaClient = await client.fetch('/records/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(viaClient.status, 200);
    assert.equal((await viaClient.json()).summary.users, 1);
    assert.equal((await client.metrics.recordsEvents(JSON.parse(body))).rows.used, 1);
    // the same OpenAPI document, the records routes' examples included
    assert.equal(core._handle('GET', '/openapi.json', '').body, (await (await client.fetch('/openapi.json')).text()));
    const doc = JSON.parse(core._handle('GET', '/openapi.json', '').body);
    assert.equal(doc.paths['/records/events'].post.responses['200'].content['application/json'].example.rows.used > 0, true);
  });
});

describe('createRecordsTools', () => {
  test('compute answers what the route answers over fetch', async () => {
    const csv = subscriptions(300).join('\n') + '\n';
    const direct = tools.compute('/records/subscriptions', options, 'csv', csv);
    assert.equal(direct.status, 200);
    const viaFetch = await client.fetch('/records/subscriptions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...options, csv }) });
    assert.equal(direct.body, await viaFetch.text());
    const records = tools.compute('/records/events', {}, 'records', JSON.stringify([{ user_id: 'u', timestamp: '2024-01-01T10:00:00Z', event: 'view' }]));
    assert.equal(JSON.parse(records.body).summary.users, 1);
    const ndjson = tools.compute('/records/events', {}, 'ndjson', '{"user_id":"u","timestamp":"2024-01-01T10:00:00Z","event":"view"}\n');
    assert.equal(JSON.parse(ndjson.body).rows.used, 1);
  });

  test('partial states of files split by customer merge into the single answer, byte for byte, in any order', () => {
    const [header, ...rows] = subscriptions(500);
    const shards = [[], [], []];
    rows.forEach((row) => shards[Number(row.split(',')[0].slice(1)) % 3].push(row));
    const states = shards.map((s) => tools.partial('/records/subscriptions', options, 'csv', [header, ...s].join('\n') + '\n'));
    for (const s of states) {
      assert.equal(s.status, 200);
      assert.equal(JSON.parse(s.body).format, 'pmkpi-partial');
    }
    const single = tools.compute('/records/subscriptions', options, 'csv', [header, ...rows].join('\n') + '\n');
    assert.equal(tools.mergeFinish(states.map((s) => s.body)).body, single.body);
    assert.equal(tools.mergeFinish([states[2].body, states[0].body, states[1].body]).body, single.body);
  });

  test('what cannot be read is a 422 naming it', () => {
    const [header, ...rows] = subscriptions(20);
    const state = tools.partial('/records/subscriptions', {}, 'csv', [header, ...rows.filter((r) => !r.includes('EUR'))].join('\n'));
    const overlap = JSON.parse(tools.mergeFinish([state.body, state.body]).body).detail[0];
    assert.equal(overlap.type, 'shard_overlap');
    assert.match(overlap.msg, /^The customer "c1" is in partial state 1 and in partial state 2/);
    assert.deepEqual(JSON.parse(tools.mergeFinish([state.body, '{"format":']).body).detail[0].loc, ['partials', 1]);
    assert.equal(JSON.parse(tools.mergeFinish([]).body).detail[0].type, 'missing');
    const notObject = JSON.parse(tools.compute('/records/events', ['not', 'an', 'object'], 'csv', 'x').body).detail[0];
    assert.equal(notObject.type, 'model_attributes_type');
    const badArray = tools.compute('/records/events', {}, 'records', '[{"user_id": 1},');
    assert.equal(badArray.status, 422);
    assert.deepEqual(JSON.parse(badArray.body).detail[0].loc.slice(0, 2), ['body', 'records']);
    const wrongPath = tools.partial('/metrics/arpu', {}, 'csv', 'a\n1\n');
    assert.equal(JSON.parse(wrongPath.body).detail[0].loc[0], 'path');
  });

  test('preview reads a file\'s beginning as the engines do; long reads report their progress', () => {
    const preview = tools.preview('Customer ID,Amount,Interval,Start (UTC),Status\ncus_1,49,month,2024-01-01 10:00,active\ncus_2,4', true);
    assert.equal(preview.kind, 'subscriptions');
    assert.equal(preview.rows.length, 1);
    const lines = ['user_id,timestamp,event'];
    for (let i = 0; i < 140000; ++i) lines.push(`u${i % 97},2024-01-0${1 + (i % 9)}T10:00:00Z,view`);
    const text = lines.join('\n');
    const seen = [];
    tools.onProgress((done, total) => seen.push([done, total]));
    try {
      assert.equal(tools.compute('/records/events', {}, 'csv', text).status, 200);
    } finally {
      tools.onProgress(null);
    }
    assert.equal(seen.length, 2);
    assert.ok(seen.every(([done, total]) => total === text.length && done > 0 && done < total));
    tools.compute('/records/events', {}, 'csv', text);
    assert.equal(seen.length, 2, 'no report once the listener is removed');
  });
});
