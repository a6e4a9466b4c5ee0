// The web UI under /app/: content types, caching, redirects and no way out of its directory.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fakeUi, parseResponses, rawExchange, runServerToExit, startServer, tempDir } from './helpers.js';

describe('UI_DIR served under /app/', () => {
  let server;
  let tmp;
  before(async () => {
    tmp = tempDir();
    fakeUi(path.join(tmp.dir, 'ui'));
    writeFileSync(path.join(tmp.dir, 'secret.txt'), 'do not serve');
    server = await startServer({ env: { UI_DIR: path.join(tmp.dir, 'ui') } });
  });
  after(async () => {
    await server.stop();
    tmp.remove();
  });

  test('the startup line gives the URL of /docs and /app/', () => {
    assert.match(server.listening.message, new RegExp(`http://127\\.0\\.0\\.1:${server.port}/docs`));
    assert.match(server.listening.message, new RegExp(`http://127\\.0\\.0\\.1:${server.port}/app/`));
  });

  test('/app redirects to /app/, which serves index.html uncached', async () => {
    const redirect = await fetch(server.url + '/app', { redirect: 'manual' });
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.get('location'), '/app/');
    const index = await fetch(server.url + '/app/');
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    assert.match(await index.text(), /pmkpi UI/);
  });

  test('content types and immutable hashed assets', async () => {
    const wasm = await fetch(server.url + '/app/assets/pmkpi-9c8d7e.wasm');
    assert.equal(wasm.status, 200);
    assert.equal(wasm.headers.get('content-type'), 'application/wasm');
    assert.equal(wasm.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.deepEqual([...new Uint8Array(await wasm.arrayBuffer())].slice(0, 4), [0, 0x61, 0x73, 0x6d]);
    // WebAssembly.compileStreaming insists on application/wasm: this is what a browser does.
    const module = await WebAssembly.compileStreaming(fetch(server.url + '/app/assets/pmkpi-9c8d7e.wasm'));
    assert.ok(module instanceof WebAssembly.Module);
    const js = await fetch(server.url + '/app/assets/index-3f2a1b.js');
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
  });

  test('a matching ETag answers 304', async () => {
    const first = await fetch(server.url + '/app/assets/index-3f2a1b.js');
    const etag = first.headers.get('etag');
    assert.ok(etag);
    const again = await fetch(server.url + '/app/assets/index-3f2a1b.js', { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
  });

  test('no path traversal, plain or encoded', async () => {
    for (const target of ['/app/../secret.txt', '/app/%2e%2e/secret.txt', '/app/%2E%2E%2Fsecret.txt', '/app/..%2fsecret.txt',
      '/app/assets/%2e%2e/%2e%2e/secret.txt', '/app/.%2e/secret.txt', '/app/..%5csecret.txt', '/app/%00', '/app/missing.js']) {
      const { text } = await rawExchange(server.port, `GET ${target} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n`);
      const [res] = parseResponses(text);
      assert.ok(res.status === 404 || res.status === 400, `${target} -> ${res.status}`);
      assert.doesNotMatch(res.body, /do not serve/, target);
    }
  });

  test('GET / still answers the API JSON', async () => {
    const res = await fetch(server.url + '/');
    assert.match(res.headers.get('content-type'), /application\/json/);
    assert.equal((await res.json()).documentation, '/docs');
  });

  test('the UI is read-only', async () => {
    const res = await fetch(server.url + '/app/', { method: 'POST' });
    assert.equal(res.status, 405);
  });
});

describe('where the UI comes from', () => {
  test('dist/app in the working directory is served by default', async () => {
    const tmp = tempDir();
    fakeUi(path.join(tmp.dir, 'dist', 'app'));
    const server = await startServer({ cwd: tmp.dir });
    try {
      assert.equal(server.listening.ui, true);
      assert.equal((await fetch(server.url + '/app/')).status, 200);
    } finally {
      await server.stop();
      tmp.remove();
    }
  });

  test('--ui-dir wins over UI_DIR', async () => {
    const tmp = tempDir();
    fakeUi(path.join(tmp.dir, 'flag'));
    mkdirSync(path.join(tmp.dir, 'env'));
    const server = await startServer({ args: ['--ui-dir', path.join(tmp.dir, 'flag')], env: { UI_DIR: path.join(tmp.dir, 'env') } });
    try {
      assert.equal((await fetch(server.url + '/app/')).status, 200);
    } finally {
      await server.stop();
      tmp.remove();
    }
  });

  test('without a UI, /app/ says so and the server still runs', async () => {
    const server = await startServer();
    try {
      assert.equal(server.listening.ui, false);
      const res = await fetch(server.url + '/app/');
      assert.equal(res.status, 404);
      assert.match((await res.json()).detail, /web UI is not installed/);
    } finally {
      await server.stop();
    }
  });

  test('a UI_DIR that does not exist is an error, exit 2', () => {
    const r = runServerToExit({ env: { UI_DIR: '/nonexistent/pmkpi-ui' }, args: ['--port', '0'] });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /UI_DIR/);
  });
});
