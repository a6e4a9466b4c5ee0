// One Worker of the Import page: reads a file the user chose (it never leaves the page) and runs the
// records engines on it in the WebAssembly module, off the main thread. Messages in:
//   {id, op: 'init', wasmBinary}                      the module's bytes, fetched once by the page
//   {id, op: 'preview', file}                         how the engines read the file's beginning
//   {id, op: 'compute' | 'partial', file | files, path, options}
//                                                     the route's answer, or one file's partial state;
//                                                     `files` are joined into one input first
//   {id, op: 'merge', states}                         partial states -> the route's answer
// Messages out: {id, type: 'progress', phase: 'read' | 'compute', done, total}, then
// {id, type: 'done', ...} or {id, type: 'error', message}.
import { createRecordsTools } from '../client/index.js';
// The records module's glue, loaded with the Worker when the page opens (not when a file comes).
import('../client/generated/pmkpi-records.js');
import { joinInputs } from './records-join.js';

const PREVIEW_BYTES = 256 * 1024;
let wasmBinary = null;
let tools = null;

async function ready() {
  tools ??= createRecordsTools(wasmBinary ? { wasmBinary } : {});
  return tools;
}

/** The file's text, reporting the bytes read as it goes. */
async function readText(file, report) {
  const reader = file.stream().getReader();
  const decoder = new TextDecoder();
  const parts = [];
  let done = 0;
  let last = 0;
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) break;
    done += chunk.value.byteLength;
    parts.push(decoder.decode(chunk.value, { stream: true }));
    if (done - last > 4 * 1024 * 1024 || done === file.size) {
      report(done, file.size);
      last = done;
    }
  }
  parts.push(decoder.decode());
  return parts.join('');
}

async function handle(data, post) {
  if (data.op === 'init') {
    wasmBinary = data.wasmBinary;
    await ready();
    return { ready: true };
  }
  const t = await ready();
  if (data.op === 'preview') {
    // a JSON array is only readable whole; any other source's first lines are enough
    const head = await data.file.slice(0, PREVIEW_BYTES).text();
    const whole = data.file.size <= PREVIEW_BYTES || /^\uFEFF?\s*\[/.test(head);
    return { preview: t.preview(whole ? await data.file.text() : head, !whole) };
  }
  if (data.op === 'merge') {
    post({ type: 'progress', phase: 'merge', done: 0, total: data.states.length });
    return t.mergeFinish(data.states);
  }
  const files = data.files ?? [data.file];
  const total = files.reduce((n, f) => n + f.size, 0);
  const texts = [];
  let before = 0;
  for (const file of files) {
    texts.push(await readText(file, (done) => post({ type: 'progress', phase: 'read', done: before + done, total })));
    before += file.size;
  }
  const input = joinInputs(files.map((f) => f.name), texts, (text) => t.preview(text.slice(0, 64 * 1024), text.length > 64 * 1024).source);
  if (input.error) return { status: 422, body: JSON.stringify({ detail: [input.error] }) };
  t.onProgress((done, all) => post({ type: 'progress', phase: 'compute', done, total: all }));
  try {
    return data.op === 'partial' ? t.partial(data.path, data.options, input.field, input.text) : t.compute(data.path, data.options, input.field, input.text);
  } finally {
    t.onProgress(null);
  }
}

self.onmessage = async ({ data }) => {
  const post = (message) => self.postMessage({ id: data.id, ...message });
  try {
    post({ type: 'done', ...(await handle(data, post)) });
  } catch (error) {
    post({ type: 'error', message: String(error?.message ?? error) });
  }
};
