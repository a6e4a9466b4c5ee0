// Reading a series a person pastes or loads: one value per line, a column copied from a
// spreadsheet, or a CSV file with an optional date column (any order, with or without a header).

const DATE_LIKE = /^\d{4}-\d{2}(-\d{2})?([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function splitRow(line, delimiter) {
  const cells = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; ++i) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cell += '"'; ++i; }
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) { cells.push(cell.trim()); cell = ''; }
    else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

function guessDelimiter(lines) {
  for (const d of ['\t', ';', ',']) if (lines.every((l) => l.includes(d))) return d;
  return lines.some((l) => l.includes(',')) ? ',' : null;
}

function toNumber(text) {
  const cleaned = text.replace(/[\s$€£%]/g, '').replace(/,(?=\d{3}(\D|$))/g, '');
  return cleaned === '' ? NaN : Number(cleaned);
}

/** "2024-01-01" -> "2024-01-01T00:00:00": the ISO 8601 form the API reads. */
export function isoTimestamp(text) {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return `${t}T00:00:00`;
  if (/^\d{4}-\d{2}$/.test(t)) return `${t}-01T00:00:00`;
  return t.replace(' ', 'T');
}

function isDate(text) {
  return DATE_LIKE.test(text.trim());
}

/**
 * Parses text into {values, timestamps|null, skipped}. With several columns, a column whose cells
 * are all dates becomes the timestamps and the last numeric column the values; a first row that is
 * not data is taken as a header.
 */
export function parseSeries(text) {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (!lines.length) return { values: [], timestamps: null, skipped: 0 };
  const delimiter = guessDelimiter(lines);
  if (!delimiter || lines.length === 1) {
    // a single column, or everything on one line separated by commas/spaces
    const items = lines.flatMap((l) => l.split(/[\s,;]+/)).filter(Boolean);
    const values = items.map(toNumber);
    const keep = values.filter(Number.isFinite);
    return { values: keep, timestamps: null, skipped: values.length - keep.length };
  }
  let rows = lines.map((l) => splitRow(l, delimiter));
  const width = Math.max(...rows.map((r) => r.length));
  const isDataRow = (row) => row.some((c) => Number.isFinite(toNumber(c)) || isDate(c));
  let header = null;
  if (!isDataRow(rows[0]) || rows[0].every((c) => !Number.isFinite(toNumber(c)) && !isDate(c))) {
    header = rows[0];
    rows = rows.slice(1);
  }
  const dateColumn = [...Array(width).keys()].find((i) => rows.every((r) => r[i] != null && isDate(r[i])));
  const numericColumns = [...Array(width).keys()].filter((i) => i !== dateColumn && rows.every((r) => r[i] === '' || r[i] == null || Number.isFinite(toNumber(r[i]))));
  const valueColumn = numericColumns[numericColumns.length - 1];
  if (valueColumn == null) return { values: [], timestamps: null, skipped: rows.length, header };
  const values = [];
  const timestamps = [];
  let skipped = 0;
  for (const row of rows) {
    const value = toNumber(row[valueColumn] ?? '');
    if (!Number.isFinite(value)) { ++skipped; continue; }
    values.push(value);
    if (dateColumn != null) timestamps.push(isoTimestamp(row[dateColumn]));
  }
  return { values, timestamps: dateColumn != null ? timestamps : null, skipped, header, valueName: header?.[valueColumn] };
}
