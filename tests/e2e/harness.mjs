// Shared by the browser tests and the UI benchmark: a tiny static server for dist/app (correct
// content types, .wasm as application/wasm), and Debian's Chromium driven by playwright-core with
// every request outside the loopback interface blocked and recorded.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../support/chromium.mjs';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const APP_DIR = join(ROOT, 'dist', 'app');
export const SCREENSHOT_DIR = join(ROOT, 'artifacts', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

export function requireBuiltApp() {
  if (!existsSync(join(APP_DIR, 'index.html'))) {
    throw new Error(`${APP_DIR}/index.html is missing: build the app first (npm run build:web)`);
  }
}

/**
 * Serves `dir` under `prefix` (e.g. "/some/sub/path/") on 127.0.0.1 with an ephemeral port.
 * Answers {url, close, served}: `served` lists every file sent, for the transfer budget.
 */
export async function serveStatic(dir = APP_DIR, prefix = '/') {
  const served = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!path.startsWith(prefix)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    let file = normalize(join(dir, path.slice(prefix.length)));
    if (!file.startsWith(dir + sep) && file !== dir) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const body = readFileSync(file);
    served.push({ path, file, bytes: body.length });
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': body.length, 'cache-control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    served,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

export async function launchBrowser() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'pmkpi-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
  });
  const external = [];
  // Offline: only the loopback interface is reachable; anything else is recorded and refused.
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const local = url.protocol === 'data:' || url.protocol === 'blob:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (local) return route.continue();
    external.push(url.href);
    return route.abort('internetdisconnected');
  });
  return {
    context,
    external,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** A page whose console errors, page errors, failed requests and HTTP errors are recorded. */
export async function watchedPage(context) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  return { page, problems };
}

export async function waitReady(page) {
  await page.waitForSelector('html[data-ready="true"]', { timeout: 20000 });
}

/**
 * A watched page at `url` once the app is ready. `viewport` and `colorScheme` are set when given,
 * `timeout` becomes the page's default; `clearStorage` empties localStorage before the app's first
 * load (and keeps what the page stores across its own reloads).
 */
export async function openPage(browser, url, { viewport, colorScheme, timeout, clearStorage = false } = {}) {
  const { page, problems } = await watchedPage(browser.context);
  if (timeout) page.setDefaultTimeout(timeout);
  if (viewport) await page.setViewportSize(viewport);
  if (colorScheme) await page.emulateMedia({ colorScheme });
  if (clearStorage) {
    await page.addInitScript(() => {
      if (!sessionStorage.getItem('kept')) { localStorage.clear(); sessionStorage.setItem('kept', '1'); }
    });
  }
  await page.goto(url);
  await waitReady(page);
  return { page, problems };
}

/** The page's screenshot (when named) into SCREENSHOT_DIR, no problems recorded on it, then closed. */
export async function finishPage(page, problems, screenshot) {
  if (screenshot) await page.screenshot({ path: join(SCREENSHOT_DIR, screenshot), fullPage: true });
  assert.deepEqual(problems, [], `console errors or failed requests on ${page.url()}`);
  await page.close();
}
