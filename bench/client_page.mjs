// The WebAssembly client in a page of headless Chromium, as the web UI loads it: a loopback server
// for web/src/client/ (plus any named files), one page, and a clean stop. Used by bench/wasm (per-call
// figures) and the records benchmarks' --browser runs; needs the module built (npm run build:wasm).
import { createServer } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { CHROMIUM_ARGS } from '../tests/support/chromium.mjs';

const CLIENT_DIR = fileURLToPath(new URL('../web/src/client/', import.meta.url));
const TYPES = { '.js': 'text/javascript', '.wasm': 'application/wasm' };

/**
 * `fn(page)`'s result, the page blank at the server's root, where `/index.js` is the client and each
 * `files` key (a URL path) serves the file at its value.
 */
export async function withClientPage(fn, files = {}) {
  const server = createServer((req, res) => {
    const url = decodeURIComponent(req.url.split('?')[0]);
    if (url === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>bench</title>');
    if (files[url]) return res.writeHead(200).end(readFileSync(files[url]));
    const path = join(CLIENT_DIR, url);
    if (!path.startsWith(CLIENT_DIR) || !existsSync(path)) return res.writeHead(404).end();
    return res.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: [...CHROMIUM_ARGS] });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    return await fn(page);
  } finally {
    await browser.close();
    server.close();
  }
}

/**
 * {seconds, status}: the best of `runs` in-page answers of `route` (options in its query string, as
 * with any text body) to the CSV at `csvPath`, as the UI answers a dropped file: the page reads the
 * text (untimed), then `await (await client.fetch(route, {body: text})).json()`. Anything but a 200 throws.
 */
export async function recordsInChromium(csvPath, route, { runs = 2 } = {}) {
  const result = await withClientPage(
    (page) =>
      page.evaluate(
        async ({ route, runs }) => {
          const { createClient } = await import('/index.js');
          const client = await createClient();
          const text = await (await fetch('/data.csv')).text();
          let best = Infinity;
          let status = 0;
          for (let i = 0; i < runs; ++i) {
            const t = performance.now();
            const response = await client.fetch(route, { method: 'POST', headers: { 'Content-Type': 'text/csv' }, body: text });
            await response.json();
            best = Math.min(best, performance.now() - t);
            status = response.status;
          }
          return { seconds: best / 1000, status };
        },
        { route, runs },
      ),
    { '/data.csv': csvPath },
  );
  if (result.status !== 200) throw new Error(`${route} answered ${result.status} in the page: no time to report`);
  return result;
}
