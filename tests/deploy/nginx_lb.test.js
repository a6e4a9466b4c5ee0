// deploy/nginx.conf with a real nginx on loopback in front of two pmkpi-server instances:
// requests reach both, and a stopped instance is routed around.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { freePort, postJson, repoRoot, startServer, tempDir } from '../server/helpers.js';

const nginxPath = process.env.NGINX_PATH ?? '/usr/sbin/nginx';


/**
 * deploy/nginx.conf with this test's ports and every file in `dir`, so nginx needs no root and
 * touches nothing outside the temporary directory.
 */
export function templateConfig(text, { dir, listenPort, instancePorts }) {
  let out = text
    .replace(/^pid .*;$/m, `pid ${dir}/nginx.pid;`)
    .replace(/^error_log .*;$/m, `error_log ${dir}/error.log warn;`)
    .replace(/^worker_processes .*;$/m, 'worker_processes 1;')
    .replace(/^(\s*)access_log .*;$/m,
      `$1access_log ${dir}/access.log;\n` +
      ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `$1${t}_temp_path ${dir}/${t};`).join('\n'))
    .replace(/^(\s*)listen .*# pmkpi-listen$/m, `$1listen 127.0.0.1:${listenPort};`);
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

before(async () => {
  assert.ok(existsSync(nginxPath), `nginx is needed at ${nginxPath} (Debian package nginx-light)`);
  instances = await Promise.all([1, 2].map(() => startServer({ env: { LOG_LEVEL: 'info', API_WORKERS: '1' } })));
  tmp = tempDir('pmkpi-nginx-');
  chmodSync(tmp.dir, 0o755);  // nginx workers may run as another user when the test runs as root
  const listenPort = await freePort();
  const conf = templateConfig(readFileSync(path.join(repoRoot, 'deploy', 'nginx.conf'), 'utf8'), {
    dir: tmp.dir,
    listenPort,
    instancePorts: instances.map((s) => s.port),
  });
  writeFileSync(path.join(tmp.dir, 'nginx.conf'), conf);
  let stderr = '';
  nginx = spawn(nginxPath, ['-p', tmp.dir, '-e', path.join(tmp.dir, 'error.log'), '-c', path.join(tmp.dir, 'nginx.conf'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  nginx.stderr.on('data', (d) => (stderr += d));
  nginxExited = new Promise((resolve) => nginx.on('exit', resolve));
  base = `http://127.0.0.1:${listenPort}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(base + '/health')).ok) break;
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

const count = (server, route) => server.accessLines().filter((l) => l.path === route).length;

/** The access line of a request is written after its answer: give the log pipes a moment. */
async function settledCounts(route, total) {
  for (let i = 0; i < 100 && instances.reduce((n, s) => n + count(s, route), 0) < total; i++)
    await new Promise((r) => setTimeout(r, 20));
  return instances.map((s) => count(s, route));
}

test('requests through nginx reach both instances', async () => {
  for (let i = 0; i < 20; i++) {
    const res = await postJson(base, '/metrics/arpu', { total_revenue: 50000.0, total_users: 1000, time_frame: 'monthly' });
    assert.equal(res.status, 200);
    assert.equal((await res.json()).value, 50);
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
      const res = i % 2 ? await fetch(base + '/health') : await postJson(base, '/metrics/nps', { promoters: 5, passives: 3, detractors: 2 });
      await res.arrayBuffer();
      return res.status;
    }),
  );
  assert.deepEqual(results, Array(30).fill(200));
  const afterStop = await settledCounts('/health', before[0] + before[1] + 15);
  assert.equal(afterStop[1] - before[1], 15, 'the live instance answered every request');
  assert.equal(afterStop[0], before[0], 'the stopped one none');
});
