// Reading a series a person pastes or loads: one value per line, a column copied from a
// spreadsheet, or a CSV file with an optional date column (any order, with or without a header).
// Dates in the common forms (2023-01-31, 2023-01, 2023/01, Jan 2023, January 2023, Q1 2023,
// 31.01.2023, 01/31/2023), numbers with thousands separators, currency or % signs, and decimal
// commas (semicolon CSVs from European spreadsheets). Nothing is dropped silently: every row not
// used is reported with its line number and the reason.

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_WORD = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const ISO = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;
const YEAR_MONTH_SLASH = /^(\d{4})[/.](\d{1,2})(?:[/.](\d{1,2}))?$/;
const NAMED_MONTH_YEAR = new RegExp(`^(?:(\\d{1,2})[ -])?${MONTH_WORD}[ ,-]*(?:(\\d{1,2}),? )?(\\d{4}|\\d{2})$`, 'i');
const YEAR_NAMED_MONTH = new RegExp(`^(\\d{4})[ -]${MONTH_WORD}$`, 'i');
const QUARTER = /^(?:q([1-4])[ -]?(\d{4})|(\d{4})[ -]?q([1-4]))$/i;
const DAY_MONTH_YEAR = /^(\d{1,2})([./])(\d{1,2})\2(\d{4})$/;

const pad = (n) => String(n).padStart(2, '0');

function validDate(y, m, d) {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function ymd(y, m, d = 1) {
  return validDate(y, m, d) ? `${y}-${pad(m)}-${pad(d)}T00:00:00` : null;
}

/**
 * A date cell as the API's ISO 8601 timestamp, or null. `order` says how to read a/b/yyyy: 'mdy'
 * (US, the default for slashes) or 'dmy' (the default for dots); parseSeries picks it per file.
 */
export function parseDate(text, order) {
  const t = String(text).trim();
  let m = ISO.exec(t);
  if (m) {
    const [, y, mo, d = '01', hh, mm, ss = '00', frac = '', zone = ''] = m;
    if (!validDate(+y, +mo, +d)) return null;
    return hh == null ? `${y}-${mo}-${d}T00:00:00` : `${y}-${mo}-${d}T${hh}:${mm}:${ss}${frac}${zone}`;
  }
  if ((m = YEAR_MONTH_SLASH.exec(t))) return ymd(+m[1], +m[2], m[3] ? +m[3] : 1);
  if ((m = NAMED_MONTH_YEAR.exec(t))) {
    const year = m[4].length === 2 ? 2000 + +m[4] : +m[4];
    return ymd(year, MONTHS.indexOf(m[2].slice(0, 3).toLowerCase()) + 1, +(m[1] ?? m[3] ?? 1));
  }
  if ((m = YEAR_NAMED_MONTH.exec(t))) return ymd(+m[1], MONTHS.indexOf(m[2].slice(0, 3).toLowerCase()) + 1);
  if ((m = QUARTER.exec(t))) {
    const [q, y] = m[1] ? [+m[1], +m[2]] : [+m[4], +m[3]];
    return ymd(y, q * 3 - 2);
  }
  if ((m = DAY_MONTH_YEAR.exec(t))) {
    const dayFirst = (order ?? (m[2] === '.' ? 'dmy' : 'mdy')) === 'dmy';
    return dayFirst ? ymd(+m[4], +m[3], +m[1]) : ymd(+m[4], +m[1], +m[3]);
  }
  return null;
}

/** "2024-01-01" -> "2024-01-01T00:00:00": the ISO 8601 form the API reads (other forms as parseDate). */
export function isoTimestamp(text) {
  return parseDate(text) ?? String(text).trim().replace(' ', 'T');
}

function splitRow(line, delimiter) {
  const cells = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; ++i) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cell += '"';
        ++i;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      cells.push(cell.trim());
      cell = '';
    } else cell += c;
  }
  cells.push(cell.trim());
  return cells;
}

function guessDelimiter(lines) {
  for (const d of ['\t', ';', ',']) if (lines.every((l) => l.text.includes(d))) return d;
  return lines.some((l) => l.text.includes(',')) ? ',' : null;
}

/** A comma that is a decimal separator: "45,5", "1.234,56" (a lone ",ddd" stays a thousands mark). */
function hasDecimalComma(cell) {
  return /^[^,]*\d,\d+\D*$/.test(cell) && !/\d,\d{3}\D*$/.test(cell) || /\d\.\d{3},\d/.test(cell);
}

/** A number cell: thousands separators, currency and % signs allowed; NaN when it is not a number. */
export function toNumber(text, decimalComma = false) {
  let cleaned = String(text).replace(/[\s\u00a0\u202f$€£¥%']/g, '');
  cleaned = decimalComma ? cleaned.replace(/\.(?=\d{3}(\D|$))/g, '').replace(',', '.') : cleaned.replace(/,(?=\d{3}(\D|$))/g, '');
  return cleaned === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(cleaned) ? NaN : Number(cleaned);
}

/** "MRR ($)" -> "mrr": how a column header and a metric name are compared. */
export function normalizeName(text) {
  return String(text ?? '').toLowerCase().replace(/\(.*?\)/g, '').replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

function dateOrder(cells) {
  for (const cell of cells) {
    const m = DAY_MONTH_YEAR.exec(cell.trim());
    if (m && +m[1] > 12) return 'dmy';
    if (m && +m[3] > 12) return 'mdy';
  }
  return undefined;
}

function singleColumn(lines) {
  const values = [];
  const problems = [];
  if (lines.length === 1) {
    const items = lines[0].text.split(/[\s,;]+/).filter(Boolean);
    items.forEach((item, i) => {
      const v = toNumber(item);
      if (Number.isFinite(v)) values.push(v);
      else problems.push({ line: lines[0].line, text: item, reason: `item ${i + 1}, “${item}” is not a number` });
    });
  } else {
    for (const { line, text } of lines) {
      const v = toNumber(text, hasDecimalComma(text));
      if (Number.isFinite(v)) values.push(v);
      else problems.push({ line, text, reason: `“${text}” is not a number` });
    }
  }
  return { values, timestamps: null, skipped: problems.length, problems, columns: [], valueColumn: null, header: null };
}

/** Columns where most data cells satisfy `test`. */
function mostly(rows, width, test) {
  return [...Array(width).keys()].filter((i) => {
    const cells = rows.map((r) => r.cells[i] ?? '').filter((c) => c !== '');
    return cells.length > 0 && cells.filter(test).length >= Math.max(1, cells.length * 0.6);
  });
}

function chooseColumn(numeric, names, { column, metricName }) {
  if (column != null && column !== '') {
    const byName = numeric.find((i) => names[i] === column);
    if (byName != null) return byName;
    if (numeric.includes(Number(column))) return Number(column);
  }
  if (numeric.length === 1) return numeric[0];
  const wanted = normalizeName(metricName);
  if (wanted) return numeric.find((i) => normalizeName(names[i]) === wanted) ?? null;
  return null;
}

/**
 * Parses text into {values, timestamps|null, skipped, problems, columns, valueColumn, valueName,
 * header, needsChoice}. With several columns, a column of dates becomes the timestamps; the values
 * come from `options.column` (a header name or index), else the only numeric column, else the one
 * named like `options.metricName`; otherwise `needsChoice` is set and no values are taken.
 * `problems` lists each row not used as {line, text, reason}.
 */
export function parseSeries(text, options = {}) {
  const lines = String(text).split(/\r?\n/).map((t, i) => ({ line: i + 1, text: t.trim() })).filter((l) => l.text !== '');
  if (!lines.length) return { values: [], timestamps: null, skipped: 0, problems: [], columns: [], valueColumn: null, header: null };
  const delimiter = guessDelimiter(lines);
  if (!delimiter || lines.length === 1) return singleColumn(lines);
  let rows = lines.map((l) => ({ line: l.line, cells: splitRow(l.text, delimiter) }));
  const decimalComma = delimiter !== ',' && rows.some((r) => r.cells.some(hasDecimalComma));
  const order = dateOrder(rows.flatMap((r) => r.cells));
  const isNumber = (c) => Number.isFinite(toNumber(c, decimalComma));
  const isDate = (c) => !isNumber(c) && parseDate(c, order) != null || ISO.test(c.trim());
  let header = null;
  if (rows[0].cells.every((c) => !isNumber(c) && !isDate(c))) {
    header = rows[0].cells;
    rows = rows.slice(1);
  }
  const width = Math.max(...rows.map((r) => r.cells.length), header?.length ?? 0);
  const names = [...Array(width).keys()].map((i) => header?.[i] || `column ${i + 1}`);
  const dateColumn = mostly(rows, width, isDate)[0];
  const numeric = mostly(rows, width, isNumber).filter((i) => i !== dateColumn);
  const columns = numeric.map((i) => ({ index: i, name: names[i] }));
  const valueColumn = chooseColumn(numeric, names, options);
  const base = { header, columns, valueColumn, valueName: valueColumn != null ? names[valueColumn] : undefined, decimalComma };
  if (valueColumn == null) {
    const problems = numeric.length ? [] : rows.map((r) => ({ line: r.line, text: r.cells.join(delimiter), reason: 'no number in this row' }));
    return { ...base, values: [], timestamps: null, skipped: problems.length, problems, needsChoice: numeric.length > 1 };
  }
  const values = [];
  const timestamps = [];
  const problems = [];
  for (const { line, cells } of rows) {
    const cell = cells[valueColumn] ?? '';
    const value = toNumber(cell, decimalComma);
    if (!Number.isFinite(value)) {
      problems.push({ line, text: cell, reason: cell === '' ? `no value in “${names[valueColumn]}”` : `“${cell}” is not a number` });
      continue;
    }
    if (dateColumn != null) {
      const date = parseDate(cells[dateColumn] ?? '', order);
      if (date == null) {
        problems.push({ line, text: cells[dateColumn] ?? '', reason: `“${cells[dateColumn] ?? ''}” is not a date (write 2023-01-31, 2023-01, Jan 2023 or 2023/01)` });
        continue;
      }
      timestamps.push(date);
    }
    values.push(value);
  }
  return { ...base, values, timestamps: dateColumn != null ? timestamps : null, skipped: problems.length, problems, needsChoice: false };
}
