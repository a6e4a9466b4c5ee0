// The Import page's Workers: one per file, up to the number of cores. The page fetches the records
// module's bytes (pmkpi-records.wasm) once, when the Import page opens, and hands a copy to each Worker, so
// that no request at all leaves the page while files are analysed. Worker 0 instantiates the
// module at once (it previews the first file); the others when they get their first file.
import wasmUrl from '../client/generated/pmkpi-records.wasm?url';

export const MAX_WORKERS = 8;

export function defaultPoolSize() {
  return Math.max(1, Math.min(navigator.hardwareConcurrency || 2, MAX_WORKERS));
}

export function createPool(size = defaultPoolSize()) {
  const bytes = fetch(wasmUrl).then((r) => {
    if (!r.ok) throw new Error(`the WebAssembly module answered HTTP ${r.status}`);
    return r.arrayBuffer();
  });
  bytes.catch(() => {}); // reported by the first job
  const pending = new Map();
  let nextId = 0;
  const slots = [];

  function call(worker, message, onProgress, transfer = []) {
    const id = ++nextId;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject, onProgress, worker });
      worker.postMessage({ ...message, id }, transfer);
    });
  }

  function spawn(index) {
    const worker = new Worker(new URL('./records-worker.js', import.meta.url), { type: 'module', name: `pmkpi records ${index + 1}` });
    worker.onmessage = ({ data }) => {
      const job = pending.get(data.id);
      if (!job) return;
      if (data.type === 'progress') return job.onProgress?.(data);
      pending.delete(data.id);
      if (data.type === 'error') job.reject(new Error(data.message));
      else job.resolve(data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      for (const [id, job] of pending) {
        if (job.worker !== worker) continue;
        pending.delete(id);
        job.reject(new Error(`the analysis stopped: ${event.message || 'the Worker failed (out of memory?)'}`));
      }
    };
    const slot = { worker, ready: null, queue: Promise.resolve() };
    slot.init = () => (slot.ready ??= bytes.then((b) => call(worker, { op: 'init', wasmBinary: b.slice(0) })));
    return slot;
  }

  for (let i = 0; i < size; ++i) slots.push(spawn(i));
  slots[0].init().catch(() => {});

  /** Runs `message` on Worker `index`, after the jobs already given to it. */
  function run(index, message, onProgress) {
    const slot = slots[index];
    const job = slot.queue.then(() => slot.init()).then(() => call(slot.worker, message, onProgress));
    slot.queue = job.catch(() => {});
    return job;
  }

  /** Runs every message, each on the next free Worker; answers in the messages' order. */
  async function runAll(messages, onProgress) {
    const answers = new Array(messages.length);
    let next = 0;
    async function drain(index) {
      while (next < messages.length) {
        const k = next++;
        answers[k] = await run(index, messages[k], (p) => onProgress?.(k, p));
      }
    }
    await Promise.all(slots.slice(0, Math.min(slots.length, messages.length)).map((_, i) => drain(i)));
    return answers;
  }

  return {
    size,
    run,
    runAll,
    destroy() {
      for (const slot of slots) slot.worker.terminate();
      for (const job of pending.values()) job.reject(new Error('the page was left'));
      pending.clear();
    },
  };
}
