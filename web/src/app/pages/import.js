// The Import page: drop a billing system's subscription export or a product's event log (one file,
// or several files of one export), see how the engines read it (kind, preset, column mapping, first
// rows), and get its KPIs. Everything runs in Web Workers in this page: no file and no row is sent
// anywhere. Several files are analysed one Worker per file and merged (docs/PARTIALS.md), or, when
// they split the export by date rather than by customer, joined into one input.
import { h } from '../dom.js';
import { createRouteForm } from '../form.js';
import { formatNumber } from '../format.js';
import { loadUPlot } from '../chart.js';
import { createPool } from '../records-pool.js';
import { renderSubscriptionResults } from '../import-subscriptions.js';
import { renderEventResults } from '../import-events.js';

/** V8 cannot hold a string longer than this: a larger file must be split into several files. */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;
const KINDS = { subscriptions: 'Subscription export', events: 'Event log' };
// Options that the page sets from the file itself (rows, preset, mapping) or with its own pickers.
const OWN_FIELDS = new Set(['csv', 'records', 'ndjson', 'preset', 'mapping', 'on_error', 'segment_by', 'funnel', 'activation_event']);

const size = (bytes) => (bytes < 1024 * 1024 ? `${formatNumber(bytes / 1024, true)} KB` : `${formatNumber(bytes / 1024 / 1024, true)} MB`);

export function renderImport(ctx) {
  const { catalog, view } = ctx;
  const pool = createPool();
  loadUPlot(); // the charts' library, loaded before any file is chosen
  const state = { files: [], preview: null, kind: null, answer: null, running: false, onError: 'reject', join: false, extra: {} };
  const routeOf = (kind) => catalog.byEndpoint(`/records/${kind}`);

  const fileInput = h('input', { type: 'file', id: 'import-file', multiple: true, accept: '.csv,.tsv,.txt,.json,.ndjson,.jsonl,text/csv,application/json', onchange: () => choose([...fileInput.files]) });
  const drop = h('label', { class: 'dropzone', id: 'import-drop', for: 'import-file' },
    h('strong', {}, 'Drop a CSV, JSON or JSON-lines file here, or choose one'),
    h('span', { class: 'muted' }, 'Several files of one export can be dropped together. They are read in this page and never uploaded.'),
    fileInput);
  for (const type of ['dragenter', 'dragover']) drop.addEventListener(type, (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); choose([...e.dataTransfer.files]); });
  const pasteBox = h('textarea', { id: 'import-paste', rows: 6, spellcheck: 'false', placeholder: 'customer_id,plan,amount,interval,start,end\nc1,pro,49,month,2024-01-05,' });
  const paste = h('details', { class: 'paste' }, h('summary', {}, 'Or paste the rows'),
    h('label', { for: 'import-paste', class: 'visually-hidden' }, 'Rows to analyse (CSV or JSON)'), pasteBox,
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'secondary', id: 'import-paste-go', onclick: () => {
      if (pasteBox.value.trim()) choose([new File([pasteBox.value], 'pasted.csv', { type: 'text/csv' })]);
    } }, 'Read the pasted rows')));

  const setup = h('section', { class: 'panel', id: 'import-setup', hidden: true, 'aria-labelledby': 'import-setup-h' });
  const progress = h('div', { class: 'import-progress', id: 'import-progress', hidden: true, role: 'status' });
  const problems = h('div', { id: 'import-problems', 'aria-live': 'polite' });
  const results = h('div', { id: 'import-results', class: 'import-results' });
  let disposeResults = null;

  view.replaceChildren(
    h('h1', {}, 'Import data'),
    h('p', { class: 'lead' }, 'KPIs from your records: a billing system\'s subscription export (Stripe\'s, or any with a customer, an amount and dates) gives MRR and its movements, churn, retention, cohorts and LTV; a product\'s event log (Segment, PostHog, GA4 or your own) gives active users, sessions, retention, funnels and activation. ',
      h('strong', {}, 'The files are computed in this page and never leave it.'), ' Definitions: RECORDS.md.'),
    h('section', { class: 'panel import-start' }, drop, paste),
    setup, progress, problems, results);

  async function choose(files) {
    if (!files.length || state.running) return;
    const tooLarge = files.find((f) => f.size > MAX_FILE_BYTES);
    problems.replaceChildren();
    if (tooLarge) {
      problems.append(notice('error', `${tooLarge.name} is ${size(tooLarge.size)}: a browser holds at most ${size(MAX_FILE_BYTES)} of text per file. Split it into several files by customer or user (the page merges them), or use the CLI (pmkpi records).`));
      return;
    }
    Object.assign(state, { files, answer: null, onError: 'reject', join: false, extra: {} });
    clearResults();
    try {
      const { preview } = await pool.run(0, { op: 'preview', file: files[0] });
      state.preview = preview;
      state.kind = preview.kind ?? 'subscriptions';
    } catch (error) {
      problems.append(notice('error', `The file could not be read: ${error.message}`));
      return;
    }
    renderSetup();
    if (state.preview.error) problems.replaceChildren(renderDetail([state.preview.error], state.files[0].name));
  }

  function clearResults() {
    disposeResults?.();
    disposeResults = null;
    results.replaceChildren();
  }

  let form = null;
  const mappingSelects = new Map();
  function renderSetup() {
    const { preview } = state;
    const engine = preview.kinds?.[state.kind];
    const route = routeOf(state.kind);
    const header = preview.header ?? [];
    const kindSelect = h('select', { id: 'import-kind', onchange: () => { state.kind = kindSelect.value; state.extra = {}; renderSetup(); } },
      Object.entries(KINDS).map(([k, label]) => h('option', { value: k, selected: k === state.kind }, label)));
    const presetSelect = h('select', { id: 'import-preset' },
      h('option', { value: '' }, `Detect from the header${engine?.preset ? ` (${engine.preset})` : ''}`),
      (engine?.presets ?? []).map((p) => h('option', { value: p.name, title: p.description }, p.name)));
    mappingSelects.clear();
    const mappingRows = (engine?.columns ?? []).map((c) => {
      const select = h('select', { id: `map-${c.name}`, dataset: { column: c.name } },
        h('option', { value: '' }, c.required ? '(choose a column)' : '(not in the file)'),
        header.map((name) => h('option', { value: name, selected: name === c.source }, name)));
      mappingSelects.set(c.name, { select, detected: c.source ?? '' });
      return h('tr', { class: c.required && !c.source ? 'missing' : null },
        h('th', { scope: 'row' }, h('label', { for: `map-${c.name}` }, c.name), c.required ? h('span', { class: 'req' }, ' *') : null),
        h('td', {}, select), h('td', { class: 'muted' }, c.description));
    });
    const optionRoute = { ...route, fields: route.fields.filter((f) => !OWN_FIELDS.has(f.name)) };
    form = createRouteForm(optionRoute, { idPrefix: 'import-opt', submitLabel: 'Compute KPIs', withExample: false, onSubmit: () => run() });
    const segment = state.kind === 'subscriptions'
      ? h('div', { class: 'field' }, h('label', { for: 'import-segment' }, 'Segment by ', h('span', { class: 'opt' }, '(optional)')),
        h('select', { id: 'import-segment' }, h('option', { value: '' }, '(no segments)'), header.map((name) => h('option', { value: name, selected: name === state.extra.segment_by }, name))),
        h('p', { class: 'help' }, 'A column (plan, country, ...): MRR movements per value of it'))
      : null;
    const files = state.files.length > 1
      ? h('p', { id: 'import-files' }, `${state.files.length} files, ${size(state.files.reduce((n, f) => n + f.size, 0))}: `,
        state.files.map((f) => f.name).join(', '), '. ', h('span', { class: 'muted' }, state.join
          ? 'They are joined into one input (a file per period of one export).'
          : `One Worker per file (${pool.size} at once), merged: each customer or user must be in one file only.`))
      : h('p', { id: 'import-files' }, `${state.files[0].name}, ${size(state.files[0].size)}`);
    setup.hidden = false;
    setup.replaceChildren(
      h('h2', { id: 'import-setup-h' }, 'How the file is read'),
      files,
      h('div', { class: 'import-choices' },
        h('div', { class: 'field' }, h('label', { for: 'import-kind' }, 'The file is'), kindSelect,
          h('p', { class: 'help', id: 'import-detected' }, preview.kind ? `Detected: ${KINDS[preview.kind].toLowerCase()} (${preview.source}${preview.source === 'csv' ? `, delimiter "${preview.delimiter === '\t' ? 'tab' : preview.delimiter}"` : ''})` : 'Its columns fit neither engine: map them below.')),
        h('div', { class: 'field' }, h('label', { for: 'import-preset' }, 'Preset'), presetSelect,
          h('p', { class: 'help' }, engine?.preset ? engine.presets.find((p) => p.name === engine.preset)?.description : 'No preset matched the header; the columns are read by the names below.'))),
      h('h3', {}, 'Column mapping'),
      h('div', { class: 'table-scroll' }, h('table', { class: 'data-table mapping', id: 'import-mapping' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Column'), h('th', { scope: 'col' }, 'Read from'), h('th', { scope: 'col' }, 'Meaning'))),
        h('tbody', {}, mappingRows))),
      h('h3', {}, `First rows (${preview.rows?.length ?? 0})`),
      previewTable(preview),
      h('h3', {}, 'Options'),
      segment,
      form.form);
  }

  function previewTable(preview) {
    if (!preview.rows?.length) return h('p', { class: 'muted' }, 'No row could be read.');
    return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'First rows of the file' },
      h('table', { class: 'data-table', id: 'import-preview' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Line'), preview.header.map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', {}, preview.rows.map((r) => h('tr', {}, h('th', { scope: 'row' }, String(r.line)), preview.header.map((_, i) => h('td', {}, r.cells[i] ?? '')))))));
  }

  /** The route's options from the setup: preset, mapping changes, the form, the pickers. */
  function options() {
    const { body, localErrors } = form.read();
    if (localErrors.length) {
      form.showErrors(localErrors);
      return null;
    }
    const preset = setup.querySelector('#import-preset')?.value;
    const mapping = {};
    for (const [name, { select, detected }] of mappingSelects) if (select.value && select.value !== detected) mapping[name] = select.value;
    const segment = setup.querySelector('#import-segment')?.value;
    return {
      ...body,
      ...(preset ? { preset } : {}),
      ...(Object.keys(mapping).length ? { mapping } : {}),
      ...(segment ? { segment_by: segment } : {}),
      ...state.extra,
      on_error: state.onError,
    };
  }

  function showProgress(text, fraction) {
    progress.hidden = false;
    const bar = h('progress', { id: 'import-progress-bar', max: '1', ...(fraction == null ? {} : { value: String(fraction) }) });
    progress.replaceChildren(bar, h('span', { id: 'import-progress-text' }, text));
  }

  let rerunning = false;
  async function run({ rerun = false } = {}) {
    rerunning = rerun;
    const opts = options();
    if (!opts || state.running) return;
    state.running = true;
    problems.replaceChildren();
    const path = `/records/${state.kind}`;
    const started = performance.now();
    const files = state.files;
    const many = files.length > 1 && !state.join;
    const shares = files.map(() => 0);
    const report = (k, p) => {
      shares[k] = p.phase === 'read' ? 0.5 * (p.done / p.total) : p.phase === 'compute' ? 0.5 + 0.5 * (p.done / p.total) : 1;
      const total = shares.reduce((a, b) => a + b, 0) / shares.length;
      const what = p.phase === 'read' ? 'Reading' : 'Computing';
      showProgress(`${what}${files.length > 1 ? ` ${files.length} files` : ''}… ${Math.round(total * 100)}% (${((performance.now() - started) / 1000).toFixed(1)} s)`, total);
    };
    showProgress('Starting…', 0);
    try {
      let answer;
      if (many) {
        const states = await pool.runAll(files.map((file) => ({ op: 'partial', file, path, options: opts })), report);
        const failed = states.findIndex((s) => s.status !== 200);
        if (failed >= 0) answer = { ...states[failed], file: files[failed].name };
        else {
          showProgress(`Merging ${files.length} partial states…`, null);
          answer = await pool.run(0, { op: 'merge', states: states.map((s) => s.body) });
        }
      } else {
        answer = await pool.run(0, state.join ? { op: 'compute', files, path, options: opts } : { op: 'compute', file: files[0], path, options: opts }, (p) => report(0, p));
      }
      const seconds = (performance.now() - started) / 1000;
      progress.hidden = true;
      const body = JSON.parse(answer.body);
      if (answer.status !== 200) return showFailure(body.detail, answer.file);
      form.clearErrors();
      state.answer = body;
      showResults(body, seconds);
    } catch (error) {
      progress.hidden = true;
      problems.replaceChildren(notice('error', `The analysis stopped: ${error.message}`));
    } finally {
      state.running = false;
    }
  }

  function showFailure(detail, file) {
    clearResults();
    const list = Array.isArray(detail) ? detail : [{ msg: String(detail) }];
    const overlap = list.find((e) => e.type === 'shard_overlap');
    const rowErrors = list.filter((e) => Array.isArray(e.loc) && typeof e.loc[2] === 'number');
    const box = renderDetail(list, file);
    if (overlap) {
      box.append(h('p', {}, 'The files share customers or users, so they split the export by date, not by customer: read them as one input instead.'),
        h('button', { type: 'button', class: 'primary', id: 'import-join', onclick: () => { state.join = true; renderSetupKeep(); run(); } }, 'Analyse the files as one'));
    } else if (rowErrors.length && rowErrors.every((e) => /timestamp|datetime/.test(e.type) && /^\s*\d{9,}(\.\d+)?\s*$/.test(String(e.input)))) {
      box.append(h('p', { id: 'import-epoch-hint' }, 'These timestamps are epoch numbers: choose their unit (seconds, milliseconds or microseconds) in "Epoch timestamp unit" above, then compute again.'));
    } else if (rowErrors.length && state.onError === 'reject') {
      box.append(h('button', { type: 'button', class: 'primary', id: 'import-skip', onclick: () => { state.onError = 'skip'; run(); } }, 'Leave the bad rows out and compute the rest'));
    }
    const fieldErrors = list.filter((e) => Array.isArray(e.loc) && e.loc[0] === 'body' && typeof e.loc[1] === 'string' && !['csv', 'records', 'ndjson'].includes(e.loc[1]));
    if (fieldErrors.length) form.showErrors(fieldErrors);
    problems.replaceChildren(box);
    box.scrollIntoView({ block: 'start' });
  }

  /** The setup with the choices already made (the file list's wording changes when files are joined). */
  function renderSetupKeep() {
    const kept = options();
    renderSetup();
    if (kept) form.setState(Object.fromEntries(Object.entries(kept).filter(([k]) => !OWN_FIELDS.has(k))));
  }

  function showResults(answer, seconds) {
    clearResults();
    const render = state.kind === 'subscriptions' ? renderSubscriptionResults : renderEventResults;
    const rerun = (extra) => { Object.assign(state.extra, extra); run({ rerun: true }); };
    const rows = answer.rows;
    results.dataset.kind = state.kind;
    results.append(h('p', { class: 'import-summary', id: 'import-rows' },
      `${formatNumber(rows.read)} rows read, ${formatNumber(rows.used)} used, ${formatNumber(rows.rejected)} left out · computed in ${seconds.toFixed(2)} s in this page`,
      state.files.length > 1 ? ` from ${state.files.length} files${state.join ? ' joined' : ` (${Math.min(pool.size, state.files.length)} Workers, merged)`}` : ''));
    if (answer.warnings?.length) {
      results.append(h('details', { class: 'panel warnings', id: 'import-warnings', open: answer.warnings.length <= 5 },
        h('summary', {}, `${answer.warnings.length} warning${answer.warnings.length === 1 ? '' : 's'} (rows left out and other notes)`),
        h('ul', {}, answer.warnings.map((w) => h('li', {}, w)))));
    }
    disposeResults = render(results, answer, { ...ctx, rerun, extra: state.extra });
    if (!rerunning) results.scrollIntoView({ block: 'start' });
  }

  return () => {
    clearResults();
    pool.destroy();
  };
}

function notice(kind, text) {
  return h('div', { class: `panel notice ${kind}`, role: 'alert' }, h('p', {}, text));
}

/** The 422 entries as a reader sees them: each bad row by its line and column. */
function renderDetail(detail, file) {
  const where = (e) => {
    const loc = Array.isArray(e.loc) ? e.loc : [];
    if (typeof loc[2] === 'number') return `Line ${loc[2]}${loc[3] ? `, column ${loc[3]}` : ''}`;
    if (loc[0] === 'partials') return 'Files';
    return loc.slice(1).join('.') || 'The file';
  };
  return h('div', { class: 'panel notice error', role: 'alert', id: 'import-errors' },
    h('h2', {}, file ? `${file} cannot be analysed as it is` : 'The data cannot be analysed as it is'),
    h('ul', { class: 'row-errors' }, detail.map((e) => h('li', {}, h('strong', {}, `${where(e)}: `), e.msg,
      e.input != null && typeof e.input !== 'object' ? h('span', { class: 'muted' }, ` (found "${String(e.input).slice(0, 120)}")`) : null))),
    detail.length >= 20 ? h('p', { class: 'muted' }, 'The first 20 problems are listed.') : null);
}
