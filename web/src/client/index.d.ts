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
}

export interface InstallFetchOptions extends ClientOptions {
  /** Requests under this URL (origin and path prefix) are answered in-process. */
  baseUrl: string | URL;
}

/** Loads the module once (later calls share it) and returns a client. */
export function createClient(options?: ClientOptions): Promise<Client>;

/** Replaces globalThis.fetch for requests under baseUrl; returns the function that restores it. */
export function installFetch(options: InstallFetchOptions): () => void;

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
