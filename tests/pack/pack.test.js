// The npm package as users get it: `npm pack` web/package, install the tarball into a fresh Vite +
// React + TypeScript app (tests/pack/app, copied to a temporary folder), type-check it, `vite build`
// it, load the built page in headless Chromium and see the spec's results; and import the package
// from a plain Node script. Needs the WASM build (npm run build:wasm); the npm registry for react,
// vite and typescript (the tarball itself is local).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';

import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS } from '../support/chromium.mjs';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const packageDir = join(root, 'web/package');
const work = mkdtempSync(join(tmpdir(), 'pmkpi-pack-'));
const app = join(work, 'app');
const npm = (args, cwd) => run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, maxBuffer: 1 << 26 });

let tarball;
let packed;

before(async () => {
  await run(process.execPath, [join(root, 'scripts/build-package.mjs')]);
  const { stdout } = await npm(['pack', '--json', '--pack-destination', work], packageDir);
  [packed] = JSON.parse(stdout);
  tarball = join(work, packed.filename);

  cpSync(join(root, 'tests/pack/app'), app, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
  manifest.dependencies.pmkpi = `file:${tarball}`;
  writeFileSync(join(app, 'package.json'), JSON.stringify(manifest, null, 2));
  await npm(['install', '--prefer-offline'], app);
});

after(() => process.env.PMKPI_KEEP_PACK_APP || rmSync(work, { recursive: true, force: true }));

test('the tarball holds the allowlist: the module, its .wasm, the code and the declarations, nothing else', () => {
  const files = packed.files.map((f) => f.path).sort();
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  assert.deepEqual(files, [...manifest.files, 'package.json'].sort());
  assert.ok(files.includes('dist/generated/pmkpi-core.wasm'));
  assert.ok(files.includes('dist/generated/pmkpi-records.wasm'));
  assert.equal(manifest.dependencies, undefined, 'no runtime dependencies');
  assert.equal(Object.keys(manifest.exports['.'])[0], 'types', 'types come first in exports');
  const installed = JSON.parse(readFileSync(join(app, 'node_modules/pmkpi/package.json'), 'utf8'));
  assert.equal(installed.name, 'pmkpi');
});

test('a plain Node script imports the installed package', async () => {
  const { stdout } = await run(process.execPath, ['node-check.mjs'], { cwd: app });
  assert.deepEqual(JSON.parse(stdout), { arpu: 50, churn: 5, nps: 30, rejected: 422, mrr: 53.17 });
});

test('a TypeScript app gets the request and response types of every route', async () => {
  // tsc fails on a type error, and on any @ts-expect-error that is not an error (types not `any`).
  await run(join(app, 'node_modules/.bin/tsc'), ['--noEmit', '-p', app], { cwd: app }).catch((e) => {
    assert.fail(`tsc found errors:\n${e.stdout}${e.stderr}`);
  });
});

test('Vite bundles it, and in Chromium the spec React example computes ARPU with no server', async () => {
  await run(join(app, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], { cwd: app });
  const dist = join(app, 'dist');
  const wasmAssets = (await import('node:fs')).readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.wasm'));
  assert.deepEqual(wasmAssets.map((f) => /^pmkpi-(core|records)-/.exec(f)?.[0]).sort(), ['pmkpi-core-', 'pmkpi-records-'], 'Vite emitted both modules as assets');

  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.css': 'text/css' };
  const server = createServer((req, res) => {
    const path = join(dist, req.url === '/' ? 'index.html' : decodeURIComponent(req.url.split('?')[0]));
    if (!path.startsWith(dist) || !existsSync(path)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    const network = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('request', (r) => network.push(r.url()));

    await page.goto(origin);
    // The typed client, straight from the package.
    await page.waitForFunction(() => document.querySelector('#typed-value')?.textContent, null, { timeout: 15000 })
      .catch((e) => assert.fail(`${e.message}\npage errors: ${errors.join('\n')}`));
    assert.equal(await page.textContent('#typed-value'), 'ARPU 50 currency');
    assert.ok(Number(await page.textContent('#route-count')) > 0);
    await page.waitForFunction(() => document.querySelector('#rejected')?.textContent);
    assert.equal(await page.textContent('#rejected'), '422');

    // The spec's component: type the numbers, click, read the result it renders.
    await page.fill('input[placeholder="Total Revenue"]', '50000');
    await page.fill('input[placeholder="Total Users"]', '1000');
    await page.click('text=Calculate ARPU');
    await page.waitForSelector('h3');
    assert.equal(await page.textContent('h3'), 'ARPU: $50');
    assert.match(await page.textContent('h3 + p'), /\$50\.00 per month/);

    assert.deepEqual(errors, []);
    assert.ok(network.some((u) => /pmkpi-core-[\w-]+\.wasm$/.test(u)), 'the .wasm was loaded from the app');
    assert.ok(!network.some((u) => u.includes('pmkpi-records')), 'the records module is not loaded by pages that compute no records');
    assert.ok(!network.some((u) => u.startsWith('http://localhost:8000')), 'nothing went to localhost:8000');
  } finally {
    await browser.close();
    server.close();
  }
});
