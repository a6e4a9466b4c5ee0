// The client's Response reads the module's answer directly (issue 17 item 15) and still behaves as
// fetch's Response does: one read of the body, clone before reading, the body as a stream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from '../../web/src/client/index.js';

const client = await createClient();
const init = {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ total_revenue: 50000, total_users: 1000 }),
};
const arpu = () => client.fetch('/metrics/arpu', init);

test('a real Response: status, headers, url, JSON', async () => {
  const r = await arpu();
  assert.ok(r instanceof Response);
  assert.equal(r.status, 200);
  assert.equal(r.ok, true);
  assert.equal(r.headers.get('content-type'), 'application/json');
  assert.equal(r.url, 'http://localhost/metrics/arpu');
  assert.equal(r.bodyUsed, false);
  assert.equal((await r.json()).value, 50);
  assert.equal(r.bodyUsed, true);
});

test('the body reads once, whichever way', async () => {
  for (const [first, second] of [['json', 'text'], ['text', 'arrayBuffer'], ['arrayBuffer', 'json'], ['blob', 'json'], ['bytes', 'blob']]) {
    const r = await arpu();
    await r[first]();
    await assert.rejects(r[second](), TypeError, `${second} after ${first}`);
    assert.throws(() => r.clone(), TypeError);
  }
});

test('text, bytes, blob and arrayBuffer hold the same JSON', async () => {
  const r = await arpu(); // one answer (its timestamp moves between calls), read four ways through clones
  const [a, b, c] = [r.clone(), r.clone(), r.clone()];
  const text = await r.text();
  assert.equal(JSON.parse(text).value, 50);
  assert.equal(new TextDecoder().decode(await a.arrayBuffer()), text);
  assert.equal(new TextDecoder().decode(await b.bytes()), text);
  const blob = await c.blob();
  assert.equal(blob.type, 'application/json');
  assert.equal(await blob.text(), text);
});

test('clone before reading: both read the whole answer', async () => {
  const r = await arpu();
  const copy = r.clone();
  assert.ok(copy instanceof Response);
  assert.equal((await r.json()).value, 50);
  assert.equal((await copy.json()).value, 50);
});

test('the body as a stream; read through it, the body is used', async () => {
  const r = await arpu();
  const text = await new Response(r.body).text();
  assert.equal(JSON.parse(text).value, 50);
  assert.equal(r.bodyUsed, true);
  await assert.rejects(r.json(), TypeError);
  const used = await arpu();
  await used.text();
  assert.equal(used.body.locked, true);
});

test('no body: HEAD and empty answers have a null body and read as ""', async () => {
  const head = await client.fetch('/health', { method: 'HEAD' });
  assert.equal(head.body, null);
  assert.equal(await head.text(), '');
  const bad = await client.fetch('/metrics/arpu', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
  assert.equal(bad.status, 422);
  await assert.rejects((await client.fetch('/health', { method: 'HEAD' })).json(), SyntaxError);
});
