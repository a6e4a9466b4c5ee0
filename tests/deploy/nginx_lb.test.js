// deploy/nginx.conf with a real nginx on loopback in front of two pmkpi-server instances:
// requests reach both, and a stopped instance is routed around.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import https from 'node:https';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freePort, repoRoot, startServer, tempDir } from '../server/helpers.js';

const nginxPath = process.env.NGINX_PATH ?? '/usr/sbin/nginx';


/**
 * deploy/nginx.conf with this test's ports and every file in `dir`, so nginx needs no root and
 * touches nothing outside the temporary directory.
 */
export function templateConfig(text, { dir, listenPort, httpPort, instancePorts }) {
  let out = text
    .replace(/^(\s*)listen 80;.*# pmkpi-http-listen$/m, `$1listen 127.0.0.1:${httpPort};`)
    .replace(/^(\s*)ssl_certificate .*# pmkpi-certificate$/m, `$1ssl_certificate ${dir}/cert.pem;`)
    .replace(/^(\s*)ssl_certificate_key .*# pmkpi-certificate-key$/m, `$1ssl_certificate_key ${dir}/key.pem;`)
    .replace(/^(\s*)root \/var\/www\/certbot;/m, `$1root ${dir};`)
    .replace(/^pid .*;$/m, `pid ${dir}/nginx.pid;`)
    .replace(/^error_log .*;$/m, `error_log ${dir}/error.log warn;`)
    .replace(/^worker_processes .*;$/m, 'worker_processes 1;')
    .replace(/^(\s*)access_log \S+( \w+)?;$/m,
      `$1access_log ${dir}/access.log$2;\n` +
      ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `$1${t}_temp_path ${dir}/${t};`).join('\n'))
    .replace(/^(\s*)listen .*# pmkpi-listen$/m, `$1listen 127.0.0.1:${listenPort} ssl;`);
  const instanceLine = /^(\s*)server 127\.0\.0\.1:\d+ (.*)# pmkpi-instance$/m;
  const [, indent, params] = out.match(instanceLine);
  const lines = instancePorts.map((p) => `${indent}server 127.0.0.1:${p} ${params.trim()}`).join('\n');
  out = out.replace(instanceLine, lines).replace(new RegExp(instanceLine.source, 'gm'), '');
  return out;
}

let instances = [];
let nginx;
let nginxExited;
let tmp;
let base;
let httpPort;

before(async () => {
  assert.ok(existsSync(nginxPath), `nginx is needed at ${nginxPath} (Debian package nginx-light)`);
  instances = await Promise.all([1, 2].map(() => startServer({ env: { LOG_LEVEL: 'info', API_WORKERS: '1' } })));
  tmp = tempDir('pmkpi-nginx-');
  chmodSync(tmp.dir, 0o755);  // nginx workers may run as another user when the test runs as root
  const listenPort = await freePort();
  httpPort = await freePort();
  // A self-signed certificate for 127.0.0.1, made for this run.
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-keyout', path.join(tmp.dir, 'key.pem'), '-out', path.join(tmp.dir, 'cert.pem')], { stdio: 'ignore' });
  const conf = templateConfig(readFileSync(path.join(repoRoot, 'deploy', 'nginx.conf'), 'utf8'), {
    dir: tmp.dir,
    listenPort,
    httpPort,
    instancePorts: instances.map((s) => s.port),
  });
  writeFileSync(path.join(tmp.dir, 'nginx.conf'), conf);
  let stderr = '';
  nginx = spawn(nginxPath, ['-p', tmp.dir, '-e', path.join(tmp.dir, 'error.log'), '-c', path.join(tmp.dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  nginx.stderr.on('data', (d) => (stderr += d));
  nginxExited = new Promise((resolve) => nginx.on('exit', resolve));
  base = `https://127.0.0.1:${listenPort}`;
  for (let i = 0; ; i++) {
    try {
      if ((await request('GET', '/health')).status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (nginx.exitCode !== null || i > 100) {
      const log = existsSync(path.join(tmp.dir, 'error.log')) ? readFileSync(path.join(tmp.dir, 'error.log'), 'utf8') : '';
      throw new Error(`nginx did not start: ${stderr}\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
});

after(async () => {
  if (nginx && nginx.exitCode === null) {
    nginx.kill('SIGQUIT');
    await nginxExited;
  }
  await Promise.all(instances.map((s) => s.stop()));
  tmp?.remove();
});

/** One request through nginx's TLS server (self-signed: not verified), as fetch would answer it. */
function request(method, route, body, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = https.request(base + route, { method, rejectUnauthorized: false, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(typeof body === 'string' ? body : JSON.stringify(body));
    req.end();
  });
}

const count = (server, route) => server.accessLines().filter((l) => l.path === route).length;

/** The access line of a request is written after its answer: give the log pipes a moment. */
async function settledCounts(route, total) {
  for (let i = 0; i < 100 && instances.reduce((n, s) => n + count(s, route), 0) < total; i++)
    await new Promise((r) => setTimeout(r, 20));
  return instances.map((s) => count(s, route));
}

test('requests through nginx reach both instances', async () => {
  for (let i = 0; i < 20; i++) {
    const res = await request('POST', '/metrics/arpu', { total_revenue: 50000.0, total_users: 1000, time_frame: 'monthly' });
    assert.equal(res.status, 200);
    assert.equal(res.json().value, 50);
  }
  const served = await settledCounts('/metrics/arpu', 20);
  assert.equal(served[0] + served[1], 20);
  assert.ok(served[0] >= 5 && served[1] >= 5, `uneven split: ${served}`);
});

test('a stopped instance is routed around', async () => {
  const [stopped] = instances;
  const before = await settledCounts('/health', 1);  // nginx's readiness probe in before()
  assert.equal((await stopped.stop()).code, 0);
  const results = await Promise.all(
    Array.from({ length: 30 }, async (_, i) => {
      const res = i % 2 ? await request('GET', '/health') : await request('POST', '/metrics/nps', { promoters: 5, passives: 3, detractors: 2 });
      return res.status;
    }),
  );
  assert.deepEqual(results, Array(30).fill(200));
  const afterStop = await settledCounts('/health', before[0] + before[1] + 15);
  assert.equal(afterStop[1] - before[1], 15, 'the live instance answered every request');
  assert.equal(afterStop[0], before[0], 'the stopped one none');
});

test('TLS termination with HSTS; plain HTTP redirects to HTTPS', async () => {
  const res = await request('GET', '/health');
  assert.equal(res.status, 200);
  assert.match(res.headers['strict-transport-security'], /max-age=63072000/);
  const plain = await fetch(`http://127.0.0.1:${httpPort}/health`, { redirect: 'manual' });
  assert.equal(plain.status, 301);
  assert.match(plain.headers.get('location'), /^https:\/\//);
});

test('the request id reaches the instance, and the access log has X-Forwarded-For', async () => {
  const res = await request('GET', '/health', undefined, { 'x-request-id': 'through-nginx-1', 'x-forwarded-for': '203.0.113.7' });
  assert.equal(res.headers['x-request-id'], 'through-nginx-1');
  const [, alive] = instances;
  for (let i = 0; i < 100 && !alive.accessLines().some((l) => l.request_id === 'through-nginx-1'); i++)
    await new Promise((r) => setTimeout(r, 20));
  const line = alive.accessLines().find((l) => l.request_id === 'through-nginx-1');
  assert.ok(line, 'the instance logged the request id nginx passed');
  assert.equal(line.forwarded_for, '203.0.113.7, 127.0.0.1');
  const log = readFileSync(path.join(tmp.dir, 'access.log'), 'utf8');
  assert.match(log, /xff="203\.0\.113\.7" request_id=through-nginx-1/);
});

test('a POST is never sent to a second instance (no retry of non-idempotent requests)', () => {
  const conf = readFileSync(path.join(repoRoot, 'deploy', 'nginx.conf'), 'utf8');
  const line = conf.match(/^\s*proxy_next_upstream .*;$/m)[0];
  assert.doesNotMatch(line, /non_idempotent/);
  assert.match(conf, /limit_req zone=pmkpi_per_address/);
});
