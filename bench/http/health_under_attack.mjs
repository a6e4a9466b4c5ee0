// /health latency while clients send the most expensive valid requests as fast as they can
// (issue 15's target: p99 under 50 ms). Attackers loop /predict/metric (4,000 points, 365 ahead)
// and /predict/bulk (25 series x 4,000 points = the 100,000-point cap, 365 ahead); a probe asks
// /health every 20 ms and reports p50/p99/max, with what the attackers were answered.
//   node bench/http/health_under_attack.mjs        (DURATION=20 ATTACKERS=8 to change)
// Needs build/pmkpi-server. Its environment is passed on (API_WORKERS, COMPUTE_WORKERS, ...).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const server = process.env.PMKPI_SERVER ?? path.join(root, 'build', 'pmkpi-server');
const seconds = Number(process.env.DURATION ?? 20);
const attackers = Number(process.env.ATTACKERS ?? 8);

const series = (k) => Array.from({ length: 4000 }, (_, i) => 100 + 10 * Math.sin((i + k) / 5) + (i % 7) + i * 0.01);
const single = JSON.stringify({ metric_name: 'mrr', historical_values: series(0), periods_ahead: 365 });
const bulk = JSON.stringify({
  data: Object.fromEntries(Array.from({ length: 25 }, (_, k) => [`m${k}`, series(k)])),
  periods_ahead: 365,
});

const proc = spawn(server, ['--port', '0', '--env-file', '/dev/null'], {
  env: { LOG_LEVEL: 'warning', API_HOST: '127.0.0.1', ...process.env },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const port = await new Promise((resolve, reject) => {
  let out = '';
  proc.stdout.on('data', (d) => {
    out += d;
    const m = out.match(/"port":(\d+)/);
    if (m) resolve(Number(m[1]));
  });
  proc.on('exit', (code) => reject(new Error(`pmkpi-server exited with ${code}`)));
});
const base = `http://127.0.0.1:${port}`;
const until = Date.now() + seconds * 1000;
const answered = {};
const attack = Array.from({ length: attackers }, async (_, i) => {
  const [route, body] = i % 2 ? ['/predict/bulk', bulk] : ['/predict/metric', single];
  while (Date.now() < until) {
    try {
      const res = await fetch(base + route, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await res.arrayBuffer();
      const key = `${route} ${res.status}`;
      answered[key] = (answered[key] ?? 0) + 1;
    } catch {
      answered.errors = (answered.errors ?? 0) + 1;
    }
  }
});
await new Promise((r) => setTimeout(r, 500));  // let the attack reach its pace
const latencies = [];
while (Date.now() < until) {
  const t = performance.now();
  const res = await fetch(base + '/health');
  await res.arrayBuffer();
  latencies.push(performance.now() - t);
  await new Promise((r) => setTimeout(r, 20));
}
await Promise.all(attack);
proc.kill('SIGTERM');
latencies.sort((a, b) => a - b);
const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(2);
console.log(`/health under attack (${attackers} clients, ${seconds} s): ${latencies.length} probes, ` +
  `p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${latencies[latencies.length - 1].toFixed(2)} ms (target: p99 < 50 ms)`);
console.log('attackers were answered:', JSON.stringify(answered));
