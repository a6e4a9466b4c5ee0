// The same smoke test against the UI served by the native pmkpi-server under /app/. Runs when
// build/pmkpi-server exists (or PMKPI_SERVER names the binary); skipped with the reason otherwise.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { APP_DIR, launchBrowser, requireBuiltApp, ROOT, SCREENSHOT_DIR, waitReady, watchedPage } from './harness.mjs';
import { runSmoke } from './smoke.mjs';

const SERVER = process.env.PMKPI_SERVER ?? join(ROOT, 'build', 'pmkpi-server');
const skip = existsSync(SERVER) ? false : `${SERVER} is not built (cmake -S . -B build -G Ninja && ninja -C build pmkpi-server)`;

function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

let child;
let base;
let browser;
let output = '';

before(async () => {
  if (skip) return;
  requireBuiltApp();
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const port = await freePort();
  child = spawn(SERVER, ['--host', '127.0.0.1', '--port', String(port), '--ui-dir', APP_DIR], {
    env: { ...process.env, API_HOST: '127.0.0.1', API_PORT: String(port), UI_DIR: APP_DIR },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15000;
  for (;;) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode != null || Date.now() > deadline) throw new Error(`pmkpi-server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  child?.kill('SIGTERM');
});

test('smoke test of the UI served by pmkpi-server under /app/', { skip }, async () => {
  const { page, problems } = await watchedPage(browser.context);
  await page.goto(`${base}/app/`);
  await waitReady(page);
  await runSmoke(page, (name) => page.screenshot({ path: join(SCREENSHOT_DIR, `server-${name}.png`), fullPage: true }));
  assert.deepEqual(problems, []);
  assert.deepEqual(browser.external, []);
  await page.close();
});

test('issue 17 defect 7: served by pmkpi-server, the API page talks to it and its curl line works', { skip }, async () => {
  const { page, problems } = await watchedPage(browser.context);
  await page.goto(`${base}/app/#/api`);
  await waitReady(page);
  await page.locator('#api-where', { hasText: base }).waitFor();
  const nps = page.locator('.opblock-summary-path', { hasText: /^\/metrics\/nps$/ }).first();
  await nps.waitFor({ timeout: 20000 });
  await nps.click();
  await page.getByRole('button', { name: 'Try it out' }).first().click();
  await page.getByRole('button', { name: 'Execute' }).first().click();
  const curl = page.locator('.curl-command .curl, .curl-command pre').first();
  await curl.waitFor({ timeout: 10000 });
  const command = await curl.textContent();
  const url = command.match(/'(http[^']+)'/)?.[1] ?? command.match(/"(http[^"]+)"/)?.[1];
  assert.equal(url, `${base}/metrics/nps`);
  const body = command.match(/-d '([\s\S]*?)'\s*$/)?.[1];
  const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  assert.equal(answer.status, 200, `the curl line's request: ${body}`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('issue 17 defect 8: /redoc makes no request outside the server and logs no error', { skip }, async () => {
  const { page, problems } = await watchedPage(browser.context);
  const before = browser.external.length;
  await page.goto(`${base}/redoc`);
  await page.locator('h2', { hasText: 'Average Revenue Per User' }).first().waitFor({ timeout: 20000 });
  await page.waitForTimeout(300);
  assert.deepEqual(browser.external.slice(before), []);
  assert.deepEqual(problems, []);
  await page.close();
});
