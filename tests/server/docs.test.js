// /docs (Swagger UI) and /redoc (ReDoc) work offline: every asset comes from this server, and
// "Try it out" calls this server. The browser part drives Debian's Chromium with playwright-core.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { startServer } from './helpers.js';
import { CHROMIUM_ARGS } from '../support/chromium.mjs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let server;
before(async () => (server = await startServer()));
after(async () => server.stop());

/** The src and href URLs of a page. */
function references(html) {
  return [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
}

describe('the pages over HTTP', () => {
  for (const page of ['/docs', '/redoc']) {
    test(`${page} and every asset it references`, async () => {
      const res = await fetch(server.url + page);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
      const csp = res.headers.get('content-security-policy');
      assert.match(csp, /default-src 'self'/);
      const html = await res.text();
      assert.doesNotMatch(html, /https?:\/\//, 'no absolute URL, so no CDN');
      const refs = references(html);
      assert.ok(refs.length >= 2);
      for (const ref of refs) {
        const url = new URL(ref, server.url + page);
        assert.equal(url.origin, server.url);
        const asset = await fetch(url);
        assert.equal(asset.status, 200, url.href);
        const type = asset.headers.get('content-type');
        if (ref.endsWith('.js')) assert.equal(type, 'text/javascript; charset=utf-8');
        if (ref.endsWith('.css')) assert.equal(type, 'text/css; charset=utf-8');
        if (ref.endsWith('.png')) assert.equal(type, 'image/png');
        assert.ok((await asset.arrayBuffer()).byteLength > 100, url.href);
      }
    });
  }
});

describe('the pages in a browser, with no internet', { skip: !existsSync(chromium) && `no browser at ${chromium}` }, () => {
  let browser;
  before(async () => {
    const { chromium: launcher } = await import('playwright-core');
    browser = await launcher.launch({
      executablePath: chromium,
      headless: true,
      args: [...CHROMIUM_ARGS],
    });
  });
  after(async () => {
    await browser?.close();  // playwright gives each launch a fresh profile and removes it
  });

  /** A page whose every request to another origin is recorded and refused; CSP reports too. */
  async function offlinePage() {
    const context = await browser.newContext();
    const external = [];
    const blocked = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(server.url + '/')) return route.continue();
      external.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (/Content Security Policy/.test(m.text())) blocked.push(m.text());
    });
    return { context, page, external, blocked, errors };
  }

  test('Swagger UI renders every route and "Try it out" executes against this server', async () => {
    const { context, page, external, errors } = await offlinePage();
    try {
      await page.goto(server.url + '/docs');
      const doc = await (await fetch(server.url + '/openapi.json')).json();
      const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
      await page.waitForSelector('.opblock');
      await page.waitForFunction((n) => document.querySelectorAll('.opblock').length === n, operations);

      const before = server.accessLines().length;
      const arpu = page.locator('.opblock-post', { has: page.locator('[data-path="/metrics/arpu"]') });
      await arpu.locator('.opblock-summary').first().click();
      await arpu.locator('.try-out__btn').click();
      await arpu.locator('.execute').click();
      const status = arpu.locator('.live-responses-table .response .response-col_status').first();
      await status.waitFor();
      assert.equal((await status.textContent()).trim(), '200');
      const shown = await arpu.locator('.live-responses-table .response-col_description pre').first().textContent();
      assert.match(shown, /"metric_name": "ARPU"/);
      const calls = server.accessLines().slice(before).filter((l) => l.path === '/metrics/arpu' && l.method === 'POST');
      assert.equal(calls.length, 1, 'the request reached this server');
      assert.deepEqual(external, []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });

  test('ReDoc renders the API with no outside reference (its CDN logo is an inline image): nothing blocked, no console error', async () => {
    const { context, page, external, blocked, errors } = await offlinePage();
    try {
      await page.goto(server.url + '/redoc');
      await page.waitForSelector('h1');
      await page.locator('h2', { hasText: 'Average Revenue Per User' }).first().waitFor({ timeout: 15000 });
      assert.match(await page.locator('h1').first().textContent(), /Product Management KPI API/);
      await page.waitForTimeout(300);
      assert.deepEqual(external, [], 'no request left this origin');
      assert.deepEqual(blocked, [], 'nothing refused by the page policy');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
});
