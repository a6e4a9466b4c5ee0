// Declarations of the client's own functions. The request and response types of every route come
// from generated/openapi.d.ts (openapi-typescript on GET /openapi.json) and the list of
// client.metrics keys from generated/metrics.d.ts (GET /metrics/list): both generated at build
// time, so nothing here names a route.
import type { components, operations, paths } from './generated/openapi.js';
import type { MetricEndpoints } from './generated/metrics.js';

export type { components, operations, paths, MetricEndpoints };

type PostOperation<P extends keyof paths> = paths[P] extends { post: infer Op } ? Op : never;

/** The JSON body a POST route accepts. */
export type RequestBody<P extends keyof paths> =
  PostOperation<P> extends { requestBody: { content: { 'application/json': infer Body } } } ? Body : never;

/** The JSON body of a POST route's 200 answer. */
export type ResponseBody<P extends keyof paths> =
  PostOperation<P> extends { responses: { 200: { content: { 'application/json': infer Body } } } } ? Body : never;

/** One function per catalog route: resolves with the 200 body, rejects with a PmkpiError on 4xx/5xx. */
export type Metrics = {
  readonly [K in keyof MetricEndpoints]: (
    body: RequestBody<MetricEndpoints[K]>,
  ) => Promise<ResponseBody<MetricEndpoints[K]>>;
};

export interface Client {
  /** The WHATWG fetch signature, answered in-process: a real Response, never a rejection for 4xx/5xx. */
  readonly fetch: typeof globalThis.fetch;
  readonly metrics: Metrics;
}

export interface ClientOptions {
  /** Where the .wasm is served from (default: next to the module, which bundlers resolve). */
  wasmUrl?: string | URL;
  /** Emscripten's locateFile(file, scriptDirectory): the URL of each file the module loads. */
  locateFile?: (file: string, scriptDirectory: string) => string;
  /** The .wasm bytes, when the caller already has them. */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Base of relative paths given to fetch, and prefix removed from absolute URLs under it (default http://localhost/). */
  baseUrl?: string | URL;
  /** Where the records module (pmkpi-records.wasm, loaded on the first /records/* request) is, as above. */
  records?: ModuleLocation;
}

/** Where a module's .wasm is: a URL, Emscripten's locateFile, or its bytes (default: next to its glue). */
export interface ModuleLocation {
  wasmUrl?: string | URL;
  locateFile?: (file: string, scriptDirectory: string) => string;
  wasmBinary?: ArrayBuffer | Uint8Array;
}

export interface InstallFetchOptions extends ClientOptions {
  /** Requests under this URL (origin and path prefix) are answered in-process. */
  baseUrl: string | URL;
}

/** Loads the module once (later calls share it) and returns a client. */
export function createClient(options?: ClientOptions): Promise<Client>;

/** Replaces globalThis.fetch for requests under baseUrl; returns the function that restores it. */
export function installFetch(options: InstallFetchOptions): () => void;

/** An answer of the records tools: the HTTP status and the body as JSON text. */
export interface RecordsAnswer {
  readonly status: number;
  readonly body: string;
}

/** Where a file's rows go in the route's body: CSV text, JSON lines, or a JSON array of records. */
export type RecordsField = 'csv' | 'ndjson' | 'records';

/** The records engines on files (the Import page's Workers, sharded work in Node). */
export interface RecordsTools {
  /** How the engines read a file's beginning: source, delimiter, header, first rows, the fitting engine, its preset and columns. */
  preview(text: string, truncated?: boolean): Record<string, unknown>;
  /** The route's answer (POST /records/events or /records/subscriptions) on one file's rows. */
  compute(path: '/records/events' | '/records/subscriptions', options: Record<string, unknown>, field: RecordsField, text: string): RecordsAnswer;
  /** One file's partial state (docs/PARTIALS.md), to merge with other files' states. */
  partial(path: '/records/events' | '/records/subscriptions', options: Record<string, unknown>, field: RecordsField, text: string): RecordsAnswer;
  /** Partial states (JSON texts) merged into the route's answer: the single pass's, byte for byte. */
  mergeFinish(states: readonly string[]): RecordsAnswer;
  /** Called every 65,536 rows of a long read with the bytes (or items) read and the total. */
  onProgress(fn: ((done: number, total: number) => void) | null): void;
}

/** Loads the records module (pmkpi-records.wasm; shared with createClient's) and returns its tools. */
export function createRecordsTools(options?: ModuleLocation): Promise<RecordsTools>;

/** "retention-rate" -> "retentionRate": the key of a catalog id in client.metrics. */
export function camelCase(id: string): string;

type ValidationEntry = components['schemas'] extends { ValidationError: infer E } ? E : unknown;

/** A 4xx/5xx answer of a client.metrics call. */
export class PmkpiError extends Error {
  constructor(status: number, detail: unknown, endpoint: string);
  readonly name: 'PmkpiError';
  /** The HTTP status: 400 (inputs contradict each other), 422 (validation), ... */
  readonly status: number;
  /** The server's `detail`: a sentence (400) or the list of invalid fields (422). */
  readonly detail: string | ValidationEntry[];
  readonly endpoint: string;
}
