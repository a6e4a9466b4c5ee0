// Shared by the server's integration tests: start build/pmkpi-server on an ephemeral loopback
// port, read its JSON log lines, talk raw HTTP over a socket when fetch would hide the details.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const buildDir = process.env.PMKPI_BUILD_DIR ?? path.join(repoRoot, 'build');
export const serverPath = process.env.PMKPI_SERVER ?? path.join(buildDir, 'pmkpi-server');
export const cliPath = process.env.PMKPI_CLI ?? path.join(buildDir, 'pmkpi');

/** A clean environment: only PATH, plus what the test sets, so the caller's variables don't leak in. */
function environment(extra) {
  return { PATH: process.env.PATH, ...extra };
}

/** A fresh temporary directory, removed by the returned function. */
/** A port that was free a moment ago on 127.0.0.1 (for programs that cannot take port 0). */
export async function freePort() {
  const srv = net.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

export function tempDir(prefix = 'pmkpi-server-') {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A fake web UI build: index.html, a hashed script and a wasm module. */
export function fakeUi(root) {
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>pmkpi UI</title><script src="./assets/index-3f2a1b.js"></script>');
  writeFileSync(path.join(root, 'assets', 'index-3f2a1b.js'), 'console.log("ui");\n');
  writeFileSync(path.join(root, 'assets', 'pmkpi-9c8d7e.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  return root;
}

/**
 * Starts the server; resolves once it printed its `listening` line. Defaults: 127.0.0.1, port 0,
 * the working directory a fresh temporary one (so no .env and no dist/app is picked up).
 */
export async function startServer({ args = [], env = {}, cwd, host = '127.0.0.1' } = {}) {
  let ownDir = null;
  if (!cwd) {
    ownDir = tempDir();
    cwd = ownDir.dir;
  }
  const base = [];
  if (!args.includes('--host') && !('API_HOST' in env)) base.push('--host', host);
  if (!args.includes('--port') && !('API_PORT' in env)) base.push('--port', '0');
  const proc = spawn(serverPath, [...base, ...args], { cwd, env: environment(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = [];
  let stderr = '';
  let pending = '';
  const waiters = [];
  proc.stdout.setEncoding('utf8');
  proc.stdout.on('data', (chunk) => {
    pending += chunk;
    let nl;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const text = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      let parsed;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = { unparsed: text };
      }
      lines.push(parsed);
      for (const w of [...waiters]) w();
    }
  });
  proc.stderr.setEncoding('utf8');
  proc.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));

  /** Resolves with the first log line matching `predicate`, waiting up to `ms`. */
  function waitForLine(predicate, ms = 5000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = lines.find(predicate);
        if (found) {
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(check), 1);
        reject(new Error(`no matching log line in ${ms} ms; stderr: ${stderr}; lines: ${JSON.stringify(lines)}`));
      }, ms);
      waiters.push(check);
      check();
    });
  }

  const listening = await Promise.race([
    waitForLine((l) => l.event === 'listening', 10000),
    exited.then(({ code }) => {
      throw new Error(`pmkpi-server exited with ${code} before listening: ${stderr}`);
    }),
  ]);
  const port = listening.port;
  const server = {
    proc,
    port,
    listening,
    url: `http://127.0.0.1:${port}`,
    lines,
    get stderr() {
      return stderr;
    },
    exited,
    waitForLine,
    accessLines: () => lines.filter((l) => l.event === 'access'),
    /** Resolves once `n` access lines were logged: a line is written just after its answer. */
    async waitForAccessLines(n, ms = 3000) {
      const deadline = Date.now() + ms;
      while (lines.filter((l) => l.event === 'access').length < n && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      return lines.filter((l) => l.event === 'access');
    },
    /**
     * Sends `signal` and resolves with the exit code and signal. A server still running 5 s later
     * is killed, and its result says so (code null, signal SIGKILL): a test never hangs on it.
     */
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      let timer;
      const late = new Promise((resolve) => {
        timer = setTimeout(() => {
          proc.kill('SIGKILL');
          resolve();
        }, 5000);
      });
      await Promise.race([exited, late]);
      clearTimeout(timer);
      const result = await exited;
      ownDir?.remove();
      return result;
    },
  };
  return server;
}

/** Runs the server expecting it to refuse to start: resolves with its exit status and stderr. */
export function runServerToExit({ args = [], env = {}, cwd } = {}) {
  let ownDir = null;
  if (!cwd) {
    ownDir = tempDir();
    cwd = ownDir.dir;
  }
  const r = spawnSync(serverPath, args, { cwd, env: environment(env), encoding: 'utf8', timeout: 10000 });
  ownDir?.remove();
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Sends raw bytes (a string, a Buffer, or an array of [delayMs, chunk] steps) and collects what
 * comes back until the server closes the connection or `timeout` ms pass.
 */
export function rawExchange(port, payload, { timeout = 5000, endAfterWrite = false } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks = [];
    const started = Date.now();
    let settled = false;
    const finish = (closedByServer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closed: closedByServer, elapsed: Date.now() - started });
    };
    const timer = setTimeout(() => finish(false), timeout);
    socket.on('data', (d) => chunks.push(d));
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (e) => {
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') finish(true);
      else if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(e);
      }
    });
    socket.on('connect', async () => {
      const steps = Array.isArray(payload) ? payload : [[0, payload]];
      for (const [delay, chunk] of steps) {
        if (delay) await new Promise((r) => setTimeout(r, delay));
        if (settled || socket.destroyed) return;
        socket.write(chunk);
      }
      if (endAfterWrite) socket.end();
    });
  });
}

/** Splits a raw HTTP/1.1 byte stream into responses (Content-Length framed). */
export function parseResponses(text) {
  const out = [];
  let rest = text;
  while (rest.length > 0) {
    const headEnd = rest.indexOf('\r\n\r\n');
    if (headEnd < 0) break;
    const head = rest.slice(0, headEnd).split('\r\n');
    const [, status] = head[0].split(' ');
    const headers = {};
    for (const line of head.slice(1)) {
      const i = line.indexOf(':');
      headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const length = Number(headers['content-length'] ?? 0);
    const body = rest.slice(headEnd + 4, headEnd + 4 + length);
    out.push({ status: Number(status), headers, body });
    rest = rest.slice(headEnd + 4 + length);
  }
  return out;
}

/** Resolves whether a TCP connection to the port is refused. */
export function connectionRefused(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', (e) => resolve(e.code === 'ECONNREFUSED'));
  });
}

export function postJson(base, route, body, headers = {}) {
  return fetch(base + route, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
