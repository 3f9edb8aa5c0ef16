import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip, type Gzip } from 'node:zlib';
import type { ArchiveColumn } from './table-plan';
import { ArchiveInvalid, type Engine } from '@salesfleet/contracts';

/**
 * The engine-neutral backup archive: one gzip'd file of JSON lines, written as it is read so memory
 * stays flat whatever the tenant's size.
 *
 *   {"kind":"header", format, formatVersion, tenant, engine, schemaVersion, migrations, createdAt, tables:[{name, columns, primaryKey, rows}]}
 *   {"kind":"table","name":"customers"}
 *   [1,"Acme","2026-12-07T01:00:00.000Z",true,…]        one JSON array per row, in the header's column order, by primary key
 *   {"kind":"end","name":"customers","rows":2,"sha256":"…"}
 *   … every table, each after the tables it references …
 *   {"kind":"manifest", tenant, engine, schemaVersion, createdAt, tables:[{name, rows, sha256}]}
 *
 * Values are canonical whatever the engine: datetimes as ISO 8601 UTC strings, dates `YYYY-MM-DD`,
 * booleans true/false, integers as numbers. A table's SHA-256 is over its row lines exactly as
 * written (each `JSON.stringify(row) + "\n"`), so re-reading the rows from any engine gives the same
 * digest. A sidecar `<file>.manifest.json` repeats the manifest (plus the file's own size and SHA-256)
 * so listing backups does not decompress them.
 */
export const ARCHIVE_FORMAT = 'salesfleet-tenant-archive';
export const ARCHIVE_FORMAT_VERSION = 1;
export const ARCHIVE_EXTENSION = '.sfbackup.gz';

export interface ArchiveTenant {
  slug: string;
  name: string;
  adminEmail: string;
  maxUsers: number;
  multiLocation: boolean;
}

export interface ArchiveTableHeader {
  name: string;
  columns: ArchiveColumn[];
  primaryKey: string[];
  /** Rows counted in the same snapshot. */
  rows: number;
}

export interface ArchiveHeader {
  kind: 'header';
  format: typeof ARCHIVE_FORMAT;
  formatVersion: number;
  tenant: ArchiveTenant;
  engine: Engine;
  /** The last applied tenant migration. */
  schemaVersion: string | null;
  /** Every applied tenant migration, oldest first. */
  migrations: string[];
  createdAt: string;
  tables: ArchiveTableHeader[];
}

export interface ManifestTable {
  name: string;
  rows: number;
  sha256: string;
}

export interface ArchiveManifest {
  kind: 'manifest';
  format: typeof ARCHIVE_FORMAT;
  formatVersion: number;
  tenant: ArchiveTenant;
  engine: Engine;
  schemaVersion: string | null;
  createdAt: string;
  tables: ManifestTable[];
}

/** The sidecar: the manifest plus facts about the file itself. */
export interface ManifestFile extends ArchiveManifest {
  file: { name: string; bytes: number; sha256: string };
  durationMs: number;
}

export type RowValue = string | number | boolean | null;

/** A value as the archive holds it (see the module comment), from whatever the driver returned. */
export function canonicalValue(value: unknown, column: ArchiveColumn): RowValue {
  if (value === null || value === undefined) return null;
  switch (column.family) {
    case 'boolean':
      return value === true || value === 1 || value === '1' || value === 't' || value === 'true';
    case 'integer':
    case 'bigint': {
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isSafeInteger(n) ? n : String(value);
    }
    case 'datetime':
      return canonicalDateTime(value);
    case 'date':
      if (value instanceof Date) return value.toISOString().slice(0, 10);
      return String(value).slice(0, 10);
    case 'float':
      return typeof value === 'number' ? value : Number(value);
    default:
      if (Buffer.isBuffer(value)) return value.toString('base64');
      return typeof value === 'string' ? value : String(value);
  }
}

const SQL_DATETIME = /^(\d{4}-\d\d-\d\d)[ T](\d\d:\d\d:\d\d)(\.\d+)?\s*(Z|[+-]\d\d:?\d\d)?$/;

function canonicalDateTime(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  const text = String(value).trim();
  const m = SQL_DATETIME.exec(text);
  // Without a zone the value is UTC (Sequelize writes every engine in UTC).
  const date = m ? new Date(`${m[1]}T${m[2]}${(m[3] ?? '').slice(0, 4)}${normalizeZone(m[4])}`) : new Date(text);
  if (Number.isNaN(date.getTime())) throw new Error(`not a date-time: ${JSON.stringify(text)}`);
  return date.toISOString();
}

function normalizeZone(zone: string | undefined): string {
  if (!zone || zone === 'Z') return 'Z';
  return zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
}

/**
 * The value to bind for a canonical archive value in `dialect`. Datetimes are bound as the text each
 * engine stores for Sequelize (UTC): SQLite `YYYY-MM-DD HH:MM:SS.SSS +00:00`, MySQL `YYYY-MM-DD
 * HH:MM:SS[.SSS]`, PostgreSQL ISO 8601 with Z; booleans as 1/0 outside PostgreSQL.
 */
export function databaseValue(value: RowValue, column: ArchiveColumn, dialect: string): unknown {
  if (value === null) return null;
  if (column.family === 'datetime') {
    const date = new Date(value as string);
    // MySQL DATETIME(0) would round the milliseconds; cut them so what is stored is what is compared.
    if (column.wholeSeconds) date.setUTCMilliseconds(0);
    const iso = date.toISOString();
    if (dialect === 'postgres') return iso;
    const text = `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
    if (dialect === 'sqlite') return `${text} +00:00`;
    return column.wholeSeconds ? text.slice(0, 19) : text;
  }
  if (column.family === 'boolean' && dialect !== 'postgres') return value ? 1 : 0;
  return value;
}

/** What a row line looks like once stored in `target` (milliseconds cut where the column keeps seconds). */
export function storedRow(row: RowValue[], targetColumns: readonly ArchiveColumn[]): RowValue[] {
  return row.map((v, i) => {
    const column = targetColumns[i]!;
    if (v === null || column.family !== 'datetime' || !column.wholeSeconds) return v;
    const date = new Date(v as string);
    date.setUTCMilliseconds(0);
    return date.toISOString();
  });
}

/** SHA-256 over row lines, as the archive defines a table's checksum. */
export class TableDigest {
  readonly #hash: Hash = createHash('sha256');
  rows = 0;

  /** Adds a row; returns its line (with the newline). */
  add(row: RowValue[]): string {
    const line = `${JSON.stringify(row)}\n`;
    this.#hash.update(line);
    this.rows++;
    return line;
  }

  digest(): string {
    return this.#hash.digest('hex');
  }
}

/**
 * Writes an archive to `<path>.partial` (created 0600, never over an existing file) and renames it
 * into place only when complete, so a crash never leaves a file that looks like a backup.
 */
export class ArchiveWriter {
  readonly path: string;
  readonly #partial: string;
  readonly #gzip: Gzip;
  readonly #file: WriteStream;
  readonly #fileHash = createHash('sha256');
  #bytes = 0;
  #failed: Error | null = null;
  readonly #closed: Promise<void>;

  /**
   * `level`: gzip's (default 6). A move's archive uses 1: it is read back at once, and level 6 costs
   * several times the CPU for a file about a third smaller.
   */
  constructor(path: string, { level = 6 }: { level?: number } = {}) {
    this.path = path;
    this.#partial = `${path}.partial`;
    this.#gzip = createGzip({ level });
    this.#file = createWriteStream(this.#partial, { flags: 'wx', mode: 0o600 });
    this.#gzip.on('data', (chunk: Buffer) => {
      this.#fileHash.update(chunk);
      this.#bytes += chunk.length;
    });
    this.#gzip.pipe(this.#file);
    this.#closed = new Promise<void>((resolve, reject) => {
      this.#file.on('close', resolve);
      this.#file.on('error', (err) => {
        this.#failed = err;
        reject(err);
      });
      this.#gzip.on('error', (err) => {
        this.#failed = err;
        reject(err);
      });
    });
    this.#closed.catch(() => undefined);
  }

  /** Writes text, waiting when the compressor is behind (flat memory). */
  async write(text: string): Promise<void> {
    if (this.#failed) throw this.#failed;
    if (!this.#gzip.write(text)) await new Promise<void>((resolve) => this.#gzip.once('drain', resolve));
  }

  async writeRecord(record: object): Promise<void> {
    await this.write(`${JSON.stringify(record)}\n`);
  }

  /** Finishes the file and moves it into place; returns its size and SHA-256. */
  async finish(): Promise<{ bytes: number; sha256: string }> {
    this.#gzip.end();
    await this.#closed;
    await rename(this.#partial, this.path);
    return { bytes: this.#bytes, sha256: this.#fileHash.digest('hex') };
  }

  /** Abandons the file (removes the partial). */
  async abort(): Promise<void> {
    this.#gzip.destroy();
    this.#file.destroy();
    await rm(this.#partial, { force: true });
  }
}

export async function writeManifestFile(path: string, manifest: ManifestFile): Promise<void> {
  const partial = `${path}.partial`;
  await writeFile(partial, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  await rename(partial, path);
}

/** The sidecar's path for an archive path. */
export function manifestPathOf(archivePath: string): string {
  return `${archivePath}.manifest.json`;
}

/** A section of an archive as `readArchive` yields it. */
export type ArchiveEvent =
  | { kind: 'header'; header: ArchiveHeader }
  | { kind: 'table'; table: ArchiveTableHeader }
  | { kind: 'row'; table: ArchiveTableHeader; row: RowValue[] }
  | { kind: 'end'; table: ArchiveTableHeader; rows: number; sha256: string }
  | { kind: 'manifest'; manifest: ArchiveManifest };

/**
 * Reads an archive line by line and checks its structure and every checksum as it goes: a row whose
 * table's digest does not match its end record, a count that differs from the header, or a manifest
 * that disagrees throws ArchiveInvalid. Nothing is held in memory but the current line.
 */
export async function* readArchive(path: string, label = path): AsyncGenerator<ArchiveEvent> {
  const input = createReadStream(path);
  const gunzip = createGunzip();
  const failure: { error: Error | null } = { error: null };
  input.on('error', (err) => {
    failure.error = err;
    gunzip.destroy(err);
  });
  const lines = createInterface({ input: input.pipe(gunzip), crlfDelay: Number.POSITIVE_INFINITY });
  const bad = (reason: string) => new ArchiveInvalid(label, reason);
  let header: ArchiveHeader | null = null;
  let manifest: ArchiveManifest | null = null;
  let current: { table: ArchiveTableHeader; digest: TableDigest } | null = null;
  const seen: ManifestTable[] = [];
  let lineNo = 0;
  try {
    for await (const line of lines) {
      lineNo++;
      if (manifest) throw bad(`content after the manifest (line ${lineNo})`);
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw bad(`line ${lineNo} is not JSON`);
      }
      if (Array.isArray(value)) {
        if (!current) throw bad(`row outside a table (line ${lineNo})`);
        if (value.length !== current.table.columns.length)
          throw bad(`row of ${current.table.name} with the wrong number of values (line ${lineNo})`);
        current.digest.add(value as RowValue[]);
        yield { kind: 'row', table: current.table, row: value as RowValue[] };
        continue;
      }
      const record = value as { kind?: string; name?: string; rows?: number; sha256?: string };
      if (!header) {
        if (record.kind !== 'header' || (record as ArchiveHeader).format !== ARCHIVE_FORMAT) throw bad('not a Salesfleet tenant archive');
        header = record as ArchiveHeader;
        if (header.formatVersion > ARCHIVE_FORMAT_VERSION)
          throw bad(`archive format ${header.formatVersion} is newer than this version reads`);
        yield { kind: 'header', header };
        continue;
      }
      if (record.kind === 'table') {
        if (current) throw bad(`table ${record.name} starts inside ${current.table.name}`);
        const table = header.tables.find((t) => t.name === record.name);
        if (!table) throw bad(`table ${record.name} is not in the header`);
        if (seen.some((s) => s.name === table.name)) throw bad(`table ${table.name} appears twice`);
        current = { table, digest: new TableDigest() };
        yield { kind: 'table', table };
      } else if (record.kind === 'end') {
        if (!current || record.name !== current.table.name) throw bad(`unexpected end of table ${record.name}`);
        const sha256 = current.digest.digest();
        const rows = current.digest.rows;
        if (rows !== record.rows || rows !== current.table.rows)
          throw bad(`table ${current.table.name} has ${rows} rows, its records say ${record.rows}/${current.table.rows}`);
        if (sha256 !== record.sha256) throw bad(`table ${current.table.name} does not match its SHA-256`);
        seen.push({ name: current.table.name, rows, sha256 });
        yield { kind: 'end', table: current.table, rows, sha256 };
        current = null;
      } else if (record.kind === 'manifest') {
        if (current) throw bad(`manifest inside table ${current.table.name}`);
        manifest = record as ArchiveManifest;
        const expected = JSON.stringify(seen);
        const stated = JSON.stringify(manifest.tables.map(({ name, rows, sha256 }) => ({ name, rows, sha256 })));
        if (expected !== stated) throw bad('the manifest does not match the tables');
        if (seen.length !== header.tables.length) throw bad('tables are missing');
        if (manifest.schemaVersion !== header.schemaVersion || manifest.tenant.slug !== header.tenant.slug)
          throw bad('the manifest does not match the header');
        yield { kind: 'manifest', manifest };
      } else {
        throw bad(`unknown record at line ${lineNo}`);
      }
    }
  } catch (err) {
    if (err instanceof ArchiveInvalid) throw err;
    if (failure.error)
      throw bad((failure.error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : failure.error.message);
    throw bad(`unreadable (${(err as Error).message})`);
  } finally {
    lines.close();
    input.destroy();
  }
  if (!header) throw bad('the file is empty');
  if (!manifest) throw bad('the archive is truncated (no manifest)');
}

/**
 * The header alone (the first line). Its checksums are not checked here: whoever reads the rows next
 * (loadArchive) checks each table as it goes.
 */
export async function readArchiveHeader(path: string, label = path): Promise<ArchiveHeader> {
  for await (const event of readArchive(path, label)) {
    if (event.kind === 'header') return event.header;
  }
  throw new ArchiveInvalid(label, 'the file is empty');
}

/** Reads the whole archive, checking every checksum; returns its header and manifest. Nothing else is kept. */
export async function verifyArchive(path: string, label = path): Promise<{ header: ArchiveHeader; manifest: ArchiveManifest }> {
  let header: ArchiveHeader | null = null;
  let manifest: ArchiveManifest | null = null;
  for await (const event of readArchive(path, label)) {
    if (event.kind === 'header') header = event.header;
    else if (event.kind === 'manifest') manifest = event.manifest;
  }
  return { header: header!, manifest: manifest! };
}
