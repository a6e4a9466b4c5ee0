// Every configuration variable, from the environment, a .env file and flags, and a bad value of each.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { freePort, postJson, repoRoot, runServerToExit, startServer, tempDir } from './helpers.js';


async function withServer(options, check) {
  const server = await startServer(options);
  try {
    await check(server);
  } finally {
    const { code } = await server.stop();
    assert.equal(code, 0);
  }
}

describe('each variable takes effect', () => {
  test('API_HOST and API_PORT', async () => {
    const port = await freePort();
    await withServer({ env: { API_HOST: '127.0.0.1', API_PORT: String(port) } }, async (s) => {
      assert.equal(s.port, port);
      assert.equal(s.listening.host, '127.0.0.1');
      assert.equal((await fetch(`http://127.0.0.1:${port}/health`)).status, 200);
    });
  });

  test('API_HOST=::1 listens on IPv6 loopback', async () => {
    await withServer({ env: { API_HOST: '::1' } }, async (s) => {
      assert.equal((await fetch(`http://[::1]:${s.port}/health`)).status, 200);
      const doc = await (await fetch(`http://[::1]:${s.port}/openapi.json`)).json();
      assert.equal(doc.servers[1].url, `http://[::1]:${s.port}`);
    });
  });

  test('API_WORKERS', async () => {
    await withServer({ env: { API_WORKERS: '3' } }, async (s) => assert.equal(s.listening.workers, 3));
  });

  test('LOG_LEVEL=info writes one JSON access line per request', async () => {
    await withServer({ env: { LOG_LEVEL: 'info' } }, async (s) => {
      await (await postJson(s.url, '/metrics/arpu?x=secret', { total_revenue: 10, total_users: 2 })).text();
      const line = await s.waitForLine((l) => l.event === 'access');
      assert.equal(line.method, 'POST');
      assert.equal(line.path, '/metrics/arpu', 'the query string is not logged');
      assert.equal(line.status, 200);
      assert.ok(Number.isInteger(line.duration_us) && line.duration_us >= 0);
      assert.ok(line.bytes > 0);
      assert.ok(!Number.isNaN(Date.parse(line.time)));
    });
  });

  test('LOG_LEVEL=warning writes no access line', async () => {
    await withServer({ env: { LOG_LEVEL: 'warning' } }, async (s) => {
      for (let i = 0; i < 3; i++) await (await fetch(s.url + '/health')).text();
      await (await fetch(s.url + '/nowhere')).text();
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(s.lines.filter((l) => l.event !== 'listening'), []);
    });
  });

  test('LOG_LEVEL=debug and error', async () => {
    await withServer({ env: { LOG_LEVEL: 'debug' } }, async (s) => {
      await (await fetch(s.url + '/health')).text();
      await s.waitForLine((l) => l.event === 'access');
    });
    await withServer({ env: { LOG_LEVEL: 'error' } }, async (s) => {
      await (await fetch(s.url + '/health')).text();
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(s.accessLines().length, 0);
    });
  });

  test('DOCS_DIR', async () => {
    await withServer({ env: { DOCS_DIR: path.join(repoRoot, 'build', 'docs-assets') } }, async (s) => {
      assert.equal(s.listening.docs, true);
      assert.equal((await fetch(s.url + '/docs')).status, 200);
    });
  });
});

describe('.env, environment and flags', () => {
  test('a .env file in the working directory is read; the environment wins; flags win over both', async () => {
    const tmp = tempDir();
    writeFileSync(path.join(tmp.dir, '.env'),
      '# production settings\nAPI_HOST=127.0.0.1\nAPI_PORT=0\nCORS_ORIGINS=https://from-dotenv.example\nLOG_LEVEL=warning\nAPI_WORKERS=2\n');
    try {
      await withServer({ cwd: tmp.dir, args: [] }, async (s) => {
        assert.equal(s.listening.workers, 2);
        const res = await fetch(s.url + '/health', { headers: { origin: 'https://from-dotenv.example' } });
        assert.equal(res.headers.get('access-control-allow-origin'), 'https://from-dotenv.example');
      });
      await withServer({ cwd: tmp.dir, env: { API_WORKERS: '3' } }, async (s) => assert.equal(s.listening.workers, 3));
      await withServer({ cwd: tmp.dir, env: { API_WORKERS: '3' }, args: ['--workers', '1'] }, async (s) =>
        assert.equal(s.listening.workers, 1));
    } finally {
      tmp.remove();
    }
  });

  test('--env-file chooses another file', async () => {
    const tmp = tempDir();
    writeFileSync(path.join(tmp.dir, 'prod.env'), 'API_WORKERS=4\n');
    try {
      await withServer({ cwd: tmp.dir, args: ['--env-file', 'prod.env'] }, async (s) => assert.equal(s.listening.workers, 4));
    } finally {
      tmp.remove();
    }
  });
});

describe('bad values: a clear message and exit status 2', () => {
  const cases = [
    ['API_HOST', 'example.com'],
    ['API_PORT', '99999'],
    ['API_PORT', 'eighty'],
    ['CORS_ORIGINS', 'ftp://files.example'],
    ['CORS_ORIGINS', 'https://ok.example, '],
    ['LOG_LEVEL', 'loud'],
    ['API_WORKERS', '0'],
    ['MAX_BODY_BYTES', 'lots'],
    ['KEEP_ALIVE_TIMEOUT', '-5'],
    ['REQUEST_TIMEOUT', 'never'],
    ['UI_DIR', '/nonexistent/ui'],
    ['DOCS_DIR', '/nonexistent/docs'],
  ];
  for (const [name, value] of cases) {
    test(`${name}=${JSON.stringify(value)}`, () => {
      const r = runServerToExit({ env: { [name]: value } });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`^pmkpi-server: .*${name}`));
      assert.doesNotMatch(r.stderr, /terminate|what\(\)|Aborted/);
    });
  }

  test('a bad value in .env names the file', () => {
    const tmp = tempDir();
    writeFileSync(path.join(tmp.dir, '.env'), 'API_PORT=http\n');
    const r = runServerToExit({ cwd: tmp.dir });
    tmp.remove();
    assert.equal(r.status, 2);
    assert.match(r.stderr, /API_PORT="http" \(from \.env\)/);
  });

  test('a malformed .env line', () => {
    const tmp = tempDir();
    writeFileSync(path.join(tmp.dir, '.env'), 'API_PORT=8000\nthis is not a setting\n');
    const r = runServerToExit({ cwd: tmp.dir });
    tmp.remove();
    assert.equal(r.status, 2);
    assert.match(r.stderr, /\.env: line 2 is not KEY=VALUE/);
  });

  test('bad flags', () => {
    for (const args of [['--port', 'x'], ['--host', 'nowhere'], ['--nonsense'], ['--port']]) {
      const r = runServerToExit({ args });
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, /^pmkpi-server: /);
    }
  });

  test('--help lists every variable', () => {
    const r = runServerToExit({ args: ['--help'] });
    assert.equal(r.status, 0);
    for (const v of ['API_HOST', 'API_PORT', 'CORS_ORIGINS', 'LOG_LEVEL', 'API_WORKERS', 'MAX_BODY_BYTES', 'UI_DIR'])
      assert.match(r.stdout, new RegExp(v));
  });

  test('a port in use is exit status 1 with the reason', async () => {
    await withServer({}, async (s) => {
      const r = runServerToExit({ args: ['--host', '127.0.0.1', '--port', String(s.port)] });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /cannot listen on 127\.0\.0\.1:\d+: Address already in use/);
    });
  });
});
