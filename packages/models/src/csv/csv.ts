/**
 * CSV as RFC 4180 describes it: comma-separated, fields with a comma, quote or line break in double
 * quotes, a quote inside doubled; CRLF or LF line ends; a UTF-8 byte-order mark is ignored. Small
 * enough to own rather than add a dependency for one format.
 */

/** Rows of fields, each with the 1-based line its record starts on (a quoted field may span lines). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

export function parseCsv(text: string): CsvRecord[] {
  const src = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let quoted = false;
  let wasQuoted = false;
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"') {
      if (field.length > 0 || wasQuoted) throw new CsvSyntaxError(line, 'a quote inside an unquoted field');
      quoted = true;
      wasQuoted = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      wasQuoted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      fields.push(field);
      if (!(fields.length === 1 && fields[0] === '' && !wasQuoted)) records.push({ line: start, fields });
      fields = [];
      field = '';
      wasQuoted = false;
      line++;
      start = line;
    } else {
      if (wasQuoted) throw new CsvSyntaxError(line, 'text after a closing quote');
      field += ch;
    }
  }
  if (quoted) throw new CsvSyntaxError(start, 'a quoted field is not closed');
  if (field !== '' || fields.length > 0 || wasQuoted) {
    fields.push(field);
    records.push({ line: start, fields });
  }
  return records;
}

function quote(value: string): string {
  return /[",\r\n]/.test(value) || /^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * One CSV document (CRLF line ends, as RFC 4180 says). A text that a spreadsheet would run as a
 * formula (starting with = + - @) is prefixed with an apostrophe, so an exported file cannot carry
 * formula injection into someone's spreadsheet; numbers are written as they are.
 */
export function formatCsv(header: readonly string[], rows: readonly (readonly (string | number | boolean | null)[])[]): string {
  const cell = (v: string | number | boolean | null) => {
    if (v === null) return '';
    if (typeof v !== 'string') return String(v);
    return quote(/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);
  };
  return `${[header.map((h) => quote(h)).join(','), ...rows.map((r) => r.map(cell).join(','))].join('\r\n')}\r\n`;
}
