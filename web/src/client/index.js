// pmkpi in the page or in Node: the C++ router compiled to WebAssembly, behind the fetch API.
// Every request crosses into the module once ({method, target, body} in, {status, statusText,
// headers, body} out); routing, validation and formatting all happen in the core, none here.
// Two modules: pmkpi-core answers every route but /records/*, whose engines are in pmkpi-records,
// loaded the first time a records request comes (most pages never need it).
import createPmkpiCore from './generated/pmkpi-core.js';

const loadRecordsGlue = () => import('./generated/pmkpi-records.js').then((m) => m.default);

/** A 4xx/5xx answer of a `client.metrics.*` call: `status` and the server's `detail`. */
export class PmkpiError extends Error {
  constructor(status, detail, endpoint) {
    super(`${endpoint} answered ${status}: ${describeDetail(detail)}`);
    this.name = 'PmkpiError';
    this.status = status;
    this.detail = detail;
    this.endpoint = endpoint;
  }
}

function describeDetail(detail) {
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    // pydantic-style entries: {"loc": ["body", "total_users"], "msg": "..."}
    return detail
      .map((e) => `${(Array.isArray(e?.loc) ? e.loc.slice(1).join('.') : '') || 'body'}: ${e?.msg ?? JSON.stringify(e)}`)
      .join('; ');
  }
  return JSON.stringify(detail);
}

// ---- loading the module once ---------------------------------------------------------------------

const cores = new Map(); // one instance per distinct wasm location; the default one is keyed ''

function nodeBuiltin(name) {
  const p = globalThis.process;
  return p && typeof p.getBuiltinModule === 'function' ? p.getBuiltinModule(name) : undefined;
}

function moduleArguments({ wasmUrl, locateFile, wasmBinary }) {
  if (wasmBinary) return { wasmBinary };
  if (wasmUrl != null) {
    const url = String(wasmUrl);
    const fs = nodeBuiltin('fs');
    // Node's fetch cannot read file: URLs, so read local files directly.
    if (fs && url.startsWith('file:')) return { wasmBinary: fs.readFileSync(nodeBuiltin('url').fileURLToPath(url)) };
    if (fs && nodeBuiltin('path').isAbsolute(url) && fs.existsSync(url)) return { wasmBinary: fs.readFileSync(url) };
    return { locateFile: (file) => (file.endsWith('.wasm') ? url : file) };
  }
  if (locateFile) return { locateFile };
  return {}; // bundlers resolve the .wasm next to the glue; in Node the glue reads it from disk
}

const recordsCores = new Map();

function loadModule(cache, create, options) {
  const key = options.wasmBinary ?? options.locateFile ?? (options.wasmUrl != null ? String(options.wasmUrl) : '');
  let core = cache.get(key);
  if (!core) {
    core = create().then((factory) => factory(moduleArguments(options))).then(prepareCore);
    cache.set(key, core);
    core.catch(() => cache.delete(key)); // a failed load (bad URL, offline) may be retried
  }
  return core;
}

const loadCore = (options) => loadModule(cores, async () => createPmkpiCore, options);
/** The records module; `options` say where its .wasm is, as createClient's options.records. */
const loadRecordsCore = (options = {}) => loadModule(recordsCores, loadRecordsGlue, options);

const isRecordsTarget = (target) => target.startsWith('/records/') || target === '/records';

/**
 * The raw binding, and client.metrics built from the catalog (GET /metrics/list) on first use: the
 * listing is the largest answer of the API, and clients that only fetch never pay for it.
 */
function prepareCore(module) {
  const handle = module._handle;
  let metrics = null;
  const metricFunctions = (recordsHandle) => (metrics ??= buildMetrics(handle, recordsHandle));
  return { handle, metricFunctions, module };
}

function buildMetrics(handle, recordsHandle) {
  const listing = JSON.parse(handle('GET', '/metrics/list', '').body);
  const metrics = {};
  for (const [key, category] of Object.entries(listing.categories)) {
    for (const route of category.keys.map((k) => listing[key][k])) {
      const { endpoint } = route;
      const method = route.method ?? 'POST';
      metrics[camelCase(route.id)] = async (body = {}) => {
        const answer = isRecordsTarget(endpoint) ? await recordsHandle() : handle;
        const r = answer(method, endpoint, 'application/json', JSON.stringify(body));
        const data = JSON.parse(r.body);
        if (r.status >= 400) throw new PmkpiError(r.status, data?.detail, endpoint);
        return data;
      };
    }
  }
  return Object.freeze(metrics);
}

/** "retention-rate" -> "retentionRate": the catalog id as a JavaScript property name. */
export function camelCase(id) {
  return id.replace(/[-_]+([a-z0-9])/g, (_, c) => c.toUpperCase());
}

// ---- fetch ------------------------------------------------------------------------------------------

const METHOD_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const NORMALIZED_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
const FORBIDDEN_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const MAX_REDIRECTS = 20;

/** fetch's method normalisation: the six standard methods are upper-cased, others kept as given. */
function normalizeMethod(method) {
  const m = String(method);
  if (!METHOD_TOKEN.test(m)) throw new TypeError(`'${m}' is not a valid HTTP method.`);
  const upper = m.toUpperCase();
  if (FORBIDDEN_METHODS.has(upper)) throw new TypeError(`'${m}' HTTP method is unsupported.`);
  return NORMALIZED_METHODS.has(upper) ? upper : m;
}

function isRequest(input) {
  return typeof Request === 'function' && input instanceof Request;
}

function throwIfAborted(signal) {
  if (signal?.aborted) throw signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

function parseBase(baseUrl) {
  const url = new URL(String(baseUrl));
  return { href: url.href, origin: url.origin, path: url.pathname.replace(/\/+$/, '') };
}

function underBase(url, base) {
  if (url.origin !== base.origin) return false;
  return base.path === '' || url.pathname === base.path || url.pathname.startsWith(base.path + '/');
}

/** The router's target for a URL: its path below the base path (if under the base) and its query. */
function routerTarget(url, base) {
  let path = url.pathname;
  if (base.path !== '' && underBase(url, base)) path = path.slice(base.path.length) || '/';
  return path + url.search;
}

/** A body fetch would send as is: text or bytes, handed to the module without a Request. */
function directBody(body) {
  if (typeof body === 'string' || body instanceof ArrayBuffer) return body;
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  return undefined;
}

/**
 * {method, url, body, redirect} of a fetch call. Synchronous for a URL or path with a text or bytes
 * body (the common case); a Request or a Blob/FormData/URLSearchParams/stream body is read through
 * a real Request, so it arrives as fetch would send it.
 */
function readRequest(input, init, base) {
  if (isRequest(input)) return readRequestObject(init === undefined ? input : new Request(input, init));
  const url = new URL(input instanceof URL ? input.href : String(input), base.href);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`pmkpi answers http and https URLs only, not ${url.protocol}`);
  }
  const method = init?.method == null ? 'GET' : normalizeMethod(init.method);
  throwIfAborted(init?.signal);
  const contentType = init?.headers == null ? null : new Headers(init.headers).get('content-type');
  const redirect = init?.redirect ?? 'follow';
  if (redirect !== 'follow' && redirect !== 'manual' && redirect !== 'error') {
    throw new TypeError(`'${redirect}' is not a valid value for the redirect option.`);
  }
  if (init?.body == null) return { method, url, body: '', contentType: contentType ?? '', redirect };
  if (method === 'GET' || method === 'HEAD') throw new TypeError('Request with GET/HEAD method cannot have body.');
  const body = directBody(init.body);
  // As fetch sends it: a string body without the header goes as text/plain;charset=UTF-8 (which the
  // API, like FastAPI, answers with a 422); bytes go without one.
  if (body !== undefined) {
    return { method, url, body, contentType: contentType ?? (typeof body === 'string' ? 'text/plain;charset=UTF-8' : ''), redirect };
  }
  return readRequestObject(new Request(url.href, { ...init, method, duplex: 'half' }));
}

async function readRequestObject(request) {
  throwIfAborted(request.signal);
  const body = request.body === null ? '' : new Uint8Array(await request.arrayBuffer());
  const contentType = request.headers.get('content-type') ?? '';
  return { method: request.method, url: new URL(request.url), body, contentType, redirect: request.redirect };
}

/** The module's answer; a failure of the module itself (never of the request) is fetch's TypeError. */
function answerOf(handle, method, target, contentType, body) {
  try {
    return handle(method, target, contentType, body);
  } catch (cause) {
    throw new TypeError('fetch failed: the pmkpi WebAssembly module could not answer', { cause });
  }
}

async function fetchInProcess(handles, base, input, init) {
  let request = readRequest(input, init, base);
  if (request instanceof Promise) request = await request;
  const { method, url, body, contentType, redirect } = request;
  const target = routerTarget(url, base);
  const handle = isRecordsTarget(target) ? await handles.records() : handles.core;
  let answer = answerOf(handle, method, target, contentType, body);
  let responseUrl = url;
  let redirected = false;
  // The router's only redirect is Starlette's trailing-slash 307, which keeps method and body.
  for (let hops = 0; answer.status === 307 && redirect !== 'manual'; ++hops) {
    if (redirect === 'error') throw new TypeError('fetch failed: redirect received with redirect mode "error"');
    if (hops === MAX_REDIRECTS) throw new TypeError('fetch failed: too many redirects');
    const location = answer.headers.location;
    responseUrl = new URL(base.path + location, responseUrl);
    redirected = true;
    answer = answerOf(handle, method, location, contentType, body);
  }
  // An empty body stays null: a string body would make Response add a text/plain content-type.
  const hasBody = method !== 'HEAD' && answer.body !== '' && !NULL_BODY_STATUSES.has(answer.status);
  return new InProcessResponse(hasBody ? answer.body : null, answer, responseUrl.href, redirected);
}

const bodyUsedError = () => new TypeError('Body is unusable: Body has already been read');

/**
 * A real Response (instanceof Response, same status, headers, body stream, clone) whose text(),
 * json() and arrayBuffer() read the module's answer directly: the answer is already a string, and
 * the platform's body machinery (a stream, a reader, a decoder) costs several times the request
 * itself in Node. The stream is made only when `body` is touched; reading through it first, or
 * reading twice, fails as fetch's Response does.
 */
class InProcessResponse extends Response {
  #text;
  #used = false;
  #streamed = false;
  #url;
  #redirected;

  constructor(text, answer, url, redirected) {
    super(null, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
    this.#text = text;
    this.#url = url;
    this.#redirected = redirected;
  }

  get url() {
    return this.#url;
  }

  get redirected() {
    return this.#redirected;
  }

  get bodyUsed() {
    return this.#used || (this.#streamed && this.#stream.locked);
  }

  #stream = null;

  get body() {
    if (this.#text === null) return null;
    if (!this.#stream) {
      this.#stream = new Response(this.#text).body;
      this.#streamed = true;
      if (this.#used) this.#stream.getReader(); // already read: a locked, used stream, as fetch leaves it
    }
    return this.#stream;
  }

  #take() {
    if (this.bodyUsed) return bodyUsedError();
    this.#used = true;
    if (this.#stream) this.#stream.getReader();
    return null;
  }

  text() {
    const error = this.#take();
    return error ? Promise.reject(error) : Promise.resolve(this.#text ?? '');
  }

  json() {
    const error = this.#take();
    if (error) return Promise.reject(error);
    try {
      return Promise.resolve(JSON.parse(this.#text ?? ''));
    } catch (cause) {
      return Promise.reject(cause);
    }
  }

  arrayBuffer() {
    const error = this.#take();
    return error ? Promise.reject(error) : Promise.resolve(new TextEncoder().encode(this.#text ?? '').buffer);
  }

  bytes() {
    const error = this.#take();
    return error ? Promise.reject(error) : Promise.resolve(new TextEncoder().encode(this.#text ?? ''));
  }

  blob() {
    const error = this.#take();
    const type = this.headers.get('content-type') ?? '';
    return error ? Promise.reject(error) : Promise.resolve(new Blob(this.#text === null ? [] : [this.#text], { type }));
  }

  formData() {
    const error = this.#take();
    if (error) return Promise.reject(error);
    return new Response(this.#text, { headers: this.headers }).formData();
  }

  clone() {
    if (this.bodyUsed) throw new TypeError('Response.clone: Body has already been consumed.');
    return new InProcessResponse(this.#text, this, this.#url, this.#redirected);
  }
}

/**
 * Loads the module (once; later calls share it) and returns a client with a `fetch` that answers
 * every route of the API in-process, and `metrics.<id>(body)` for each catalog route.
 * options.wasmUrl / options.locateFile / options.wasmBinary say where the .wasm is (default: next to
 * the glue), options.records the same for the records module (pmkpi-records.wasm, loaded on the
 * first /records/* request); options.baseUrl resolves relative paths and is stripped from absolute
 * URLs under it.
 */
export async function createClient(options = {}) {
  const core = await loadCore(options);
  const base = parseBase(options.baseUrl ?? 'http://localhost/');
  const records = async () => {
    try {
      return (await loadRecordsCore(options.records)).handle;
    } catch (cause) {
      throw new TypeError('fetch failed: the pmkpi records module (pmkpi-records.wasm) could not load', { cause });
    }
  };
  const handles = { core: core.handle, records };
  return Object.freeze({
    fetch: (input, init) => fetchInProcess(handles, base, input, init),
    get metrics() {
      return core.metricFunctions(records);
    },
  });
}

/** An answer of the records tools: the status and the body as JSON text (a partial state can be large). */
const recordsAnswer = (r) => ({ status: r.status, body: r.body });

/**
 * The records engines on files, for the Import page's Workers and for sharded work in Node: the
 * records module (`options` say where its .wasm is, as createClient's options.records), without a
 * request text around the rows.
 *   preview(text, truncated)                  how the engines read a file's beginning (pmkpi/preview.hpp)
 *   compute(path, options, field, text)       the route's answer; field "csv", "ndjson" or "records"
 *   partial(path, options, field, text)       one file's partial state (docs/PARTIALS.md)
 *   mergeFinish(states)                       partial states (JSON texts) -> the route's answer
 *   onProgress(fn)                            fn(done, total) every 65,536 rows of a long read
 * compute, partial and mergeFinish answer {status, body} with the body as JSON text.
 */
export async function createRecordsTools(options = {}) {
  const { module } = await loadRecordsCore(options);
  return Object.freeze({
    preview: (text, truncated = false) => JSON.parse(module._preview(String(text), Boolean(truncated))),
    compute: (path, opts, field, text) => recordsAnswer(module._records(path, JSON.stringify(opts ?? {}), field, text)),
    partial: (path, opts, field, text) => recordsAnswer(module._partial(path, JSON.stringify(opts ?? {}), field, text)),
    mergeFinish: (states) => recordsAnswer(module._mergeFinish(states.map(String))),
    onProgress: (fn) => { module.onProgress = typeof fn === 'function' ? fn : undefined; },
  });
}

function absoluteHref(input) {
  if (isRequest(input)) return input.url;
  try {
    return new URL(input instanceof URL ? input.href : String(input), globalThis.location?.href).href;
  } catch {
    return null; // let the original fetch report the bad URL
  }
}

/**
 * Replaces globalThis.fetch: requests under options.baseUrl are answered in-process, every other
 * request goes to the original fetch. Returns the function that puts the original back.
 */
export function installFetch(options) {
  if (options?.baseUrl == null) throw new TypeError('installFetch needs { baseUrl }, e.g. { baseUrl: "http://localhost:8000" }');
  const base = parseBase(options.baseUrl);
  const original = globalThis.fetch;
  const ready = createClient(options);
  ready.catch(() => {}); // reported on the first intercepted request instead
  async function fetch(input, init) {
    const href = absoluteHref(input);
    if (href === null || !underBase(new URL(href), base)) {
      if (typeof original !== 'function') throw new TypeError('fetch is not available in this environment');
      return original.call(globalThis, input, init);
    }
    const client = await ready;
    return client.fetch(isRequest(input) ? input : href, init);
  }
  globalThis.fetch = fetch;
  return function uninstall() {
    if (globalThis.fetch === fetch) globalThis.fetch = original;
  };
}
