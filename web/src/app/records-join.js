// Several files of one export joined into one input (the Import page's "analyse as one file"): an
// export split by date (a file per month) has the same customers or users in several files, so the
// files cannot be merged as shards; their rows are read as one input instead. CSV files must share
// their header line (the repeated headers are dropped), JSON lines are concatenated, JSON arrays
// concatenated item by item. The engines parse the joined text; nothing here reads a row.

const BOM = '\uFEFF';

function headerLine(text) {
  const body = text.startsWith(BOM) ? text.slice(1) : text;
  const end = body.indexOf('\n');
  return (end < 0 ? body : body.slice(0, end)).replace(/\r$/, '');
}

function afterHeader(text) {
  const end = text.indexOf('\n');
  return end < 0 ? '' : text.slice(end + 1);
}

const withNewline = (text) => (text === '' || text.endsWith('\n') ? text : `${text}\n`);

const problem = (field, msg, input) => ({ error: { type: 'value_error', loc: ['body', field], msg, input } });

/**
 * {field, text} of the files' texts read as one input, or {error} (a 422 entry) when they cannot be:
 * sources of different kinds, or CSV files with different header lines. `sourceOf(text)` names a
 * text's source ("csv", "ndjson", "records") as the engines read it.
 */
export function joinInputs(names, texts, sourceOf) {
  const sources = texts.map(sourceOf);
  const field = sources[0];
  if (texts.length === 1) return { field, text: texts[0] };
  const other = sources.findIndex((s) => s !== field);
  if (other >= 0) return problem(field, `${names[other]} is ${sources[other]} and ${names[0]} is ${field}: files read as one must be of one kind`, names[other]);
  if (field === 'records') {
    const items = [];
    for (const text of texts) items.push(...JSON.parse(text));
    return { field, text: JSON.stringify(items) };
  }
  if (field === 'ndjson') return { field, text: texts.map(withNewline).join('') };
  const header = headerLine(texts[0]);
  const differs = texts.findIndex((t) => headerLine(t) !== header);
  if (differs >= 0) {
    return problem('csv', `${names[differs]} has other columns than ${names[0]} (its first line is "${headerLine(texts[differs]).slice(0, 200)}"): files read as one must share their header`, names[differs]);
  }
  return { field, text: withNewline(texts[0]) + texts.slice(1).map((t) => withNewline(afterHeader(t))).join('') };
}
