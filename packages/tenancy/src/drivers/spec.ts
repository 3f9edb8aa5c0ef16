import { type Engine, ValidationFailed } from '@salesfleet/contracts';
import { createHash } from 'node:crypto';
import { isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { MASK } from '../mask';

/**
 * Where a database lives. For SQLite `database` is the file's path relative to the data dir
 * (`tenants/<slug>.sqlite`, `registry.sqlite`) and host/port/user/password are null. `password` is
 * plain text in memory only (decrypted just before connecting); format specs with `describeSpec`.
 */
export interface DatabaseSpec {
  engine: Engine;
  database: string;
  host: string | null;
  port: number | null;
  user: string | null;
  password: string | null;
  /**
   * PostgreSQL only: the tenant is this schema (`t_<slug>`) of the shared `database` — the
   * `postgres-schema` placement. Absent or null: the tenant is the whole database.
   */
  schema?: string | null;
}

/** Discrete connection parameters as the CLI and API accept them (`--database-host` …). */
export interface DatabaseParams {
  engine?: string;
  url?: string;
  host?: string;
  port?: number | string;
  user?: string;
  password?: string;
  name?: string;
  /** A schema of a shared PostgreSQL database (`--schema-name`); implied by the engine `postgres-schema`. */
  schema?: string;
}

/** Engine spellings that mean the `postgres-schema` placement (a schema in a shared PostgreSQL database). */
const SCHEMA_ENGINES = new Set(['postgres-schema', 'postgresql-schema', 'pg-schema', 'django_tenants.postgresql_backend']);

/** Whether an engine name asks for the `postgres-schema` placement. */
export function isSchemaEngine(raw: string | undefined | null): boolean {
  return raw !== undefined && raw !== null && SCHEMA_ENGINES.has(raw.trim().toLowerCase());
}

const ENGINE_ALIASES: Record<string, Engine> = {
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
  'django.db.backends.sqlite3': 'sqlite',
  postgres: 'postgres',
  postgresql: 'postgres',
  pg: 'postgres',
  'django.db.backends.postgresql': 'postgres',
  'django.db.backends.postgresql_psycopg2': 'postgres',
  'django.contrib.gis.db.backends.postgis': 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
  'django.db.backends.mysql': 'mysql',
};

export const DEFAULT_PORTS: Record<Exclude<Engine, 'sqlite'>, number> = { postgres: 5432, mysql: 3306 };

/** `sqlite`, `postgres`/`postgresql`, `mysql`/`mariadb` and the old `django.db.backends.*` names. */
export function normalizeEngine(raw: string): Engine {
  const engine = isSchemaEngine(raw) ? 'postgres' : ENGINE_ALIASES[raw.trim().toLowerCase()];
  if (!engine) {
    throw new ValidationFailed(`Unknown database engine "${raw}" (use sqlite, postgres, postgres-schema or mysql)`, [
      { path: 'database.engine', message: 'must be sqlite, postgres/postgresql, postgres-schema or mysql/mariadb' },
    ]);
  }
  return engine;
}

/**
 * Parses `postgres://user:pass@host:5432/db`, `postgresql://…`, `mysql://…`, `mariadb://…` or
 * `sqlite:relative/path.sqlite`. A server URL without a path has `database: ''` (the caller picks a
 * name). Percent-encoded user names and passwords are decoded.
 */
export function parseDatabaseUrl(url: string): DatabaseSpec {
  const bad = (message: string) => new ValidationFailed(`Invalid database URL: ${message}`, [{ path: 'database.url', message }]);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw bad('not a URL (expected postgres://user:password@host:port/name)');
  }
  const scheme = u.protocol.slice(0, -1).toLowerCase();
  if (scheme === 'sqlite' || scheme === 'sqlite3') {
    const path = decodeURIComponent(`${u.host}${u.pathname}`);
    if (!path) throw bad('sqlite URL without a path');
    return { engine: 'sqlite', database: path, host: null, port: null, user: null, password: null };
  }
  const engine = ENGINE_ALIASES[scheme];
  if (!engine || engine === 'sqlite') throw bad(`unsupported scheme "${scheme}:" (use postgres://, mysql:// or mariadb://)`);
  if (!u.hostname) throw bad('missing host');
  const port = u.port ? Number(u.port) : DEFAULT_PORTS[engine];
  let database: string;
  try {
    database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  } catch {
    throw bad('malformed database name');
  }
  if (database.includes('/')) throw bad('the path must be just the database name');
  const schema = u.searchParams.get('schema');
  if (schema !== null && engine !== 'postgres') throw bad('only PostgreSQL URLs take ?schema=');
  return {
    engine,
    database,
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port,
    user: u.username ? decodeURIComponent(u.username) : null,
    password: u.password ? decodeURIComponent(u.password) : null,
    ...(schema !== null ? { schema: assertSafeIdentifier(schema, 'schema') } : {}),
  };
}

/** A spec from discrete parameters (`url` wins where both are given; discrete values override parts). */
export function specFromParams(params: DatabaseParams): DatabaseSpec {
  let spec: DatabaseSpec;
  if (params.url) {
    spec = parseDatabaseUrl(params.url);
    if (params.engine && normalizeEngine(params.engine) !== spec.engine) {
      throw new ValidationFailed('The database engine contradicts the database URL', [
        { path: 'database.engine', message: `the URL is a ${spec.engine} URL` },
      ]);
    }
  } else {
    const engine = normalizeEngine(params.engine ?? 'sqlite');
    spec = { engine, database: '', host: null, port: null, user: null, password: null };
    if (engine !== 'sqlite') {
      spec.host = '127.0.0.1';
      spec.port = DEFAULT_PORTS[engine];
    }
  }
  if (spec.engine === 'sqlite') {
    if (params.host || params.port || params.user || params.password) {
      throw new ValidationFailed('SQLite databases take no host, port, user or password', [
        { path: 'database', message: 'host/port/user/password do not apply to sqlite' },
      ]);
    }
    if (params.name) spec.database = params.name;
    return spec;
  }
  if (params.host) spec.host = params.host.trim();
  if (params.port !== undefined && params.port !== '') {
    const port = Number(params.port);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new ValidationFailed('Invalid database port', [{ path: 'database.port', message: 'must be 1–65535' }]);
    }
    spec.port = port;
  }
  if (params.user) spec.user = params.user;
  if (params.password) spec.password = params.password;
  if (params.name) spec.database = params.name;
  if (params.schema) spec.schema = assertSafeIdentifier(params.schema.trim(), 'schema');
  if (spec.schema && spec.engine !== 'postgres') {
    throw new ValidationFailed('Only PostgreSQL tenants can be a schema', [
      { path: 'database.schema', message: 'a schema needs the postgres-schema engine (or a postgres:// URL)' },
    ]);
  }
  return spec;
}

/** `postgres://user:***@host:5432/db` or `sqlite:tenants/acme.sqlite` — safe to print and log. */
export function describeSpec(spec: DatabaseSpec): string {
  return specToUrl(spec, { mask: true });
}

/** The spec as a URL; with `mask` the password becomes `***`. */
export function specToUrl(spec: DatabaseSpec, { mask = false } = {}): string {
  if (spec.engine === 'sqlite') return `sqlite:${spec.database}`;
  const auth = spec.user
    ? `${encodeURIComponent(spec.user)}${spec.password ? `:${mask ? MASK : encodeURIComponent(spec.password)}` : ''}@`
    : '';
  const host = spec.host?.includes(':') ? `[${spec.host}]` : spec.host;
  const schema = spec.schema ? `?schema=${spec.schema}` : '';
  return `${spec.engine}://${auth}${host}:${spec.port}/${encodeURIComponent(spec.database)}${schema}`;
}

/** The URL with its password replaced by `***` (unparseable input → `<invalid url>`). */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = MASK;
    return u.toString().replace('%2A%2A%2A', MASK);
  } catch {
    return '<invalid url>';
  }
}

const IDENT = /^[a-z0-9_]{1,63}$/;

/** Database and schema names we create or drop: `[a-z0-9_]{1,63}`, so quoting can never be escaped. */
export function assertSafeIdentifier(name: string, what: 'name' | 'schema' = 'name'): string {
  const reserved = what === 'schema' && (name === 'public' || name.startsWith('pg_') || name === 'information_schema');
  if (!IDENT.test(name) || reserved) {
    const label = what === 'schema' ? 'Schema name' : 'Database name';
    throw new ValidationFailed(`${label} "${name.slice(0, 80)}" is not allowed (use 1–63 of a-z, 0-9 and _)`, [
      { path: `database.${what}`, message: reserved ? 'is a system schema' : 'must match [a-z0-9_]{1,63}' },
    ]);
  }
  return name;
}

/**
 * Name of a tenant's managed schema (the `postgres-schema` placement): `t_<slug>` with `-` → `_`,
 * shortened with a hash suffix past PostgreSQL's 63-byte limit.
 */
export function managedSchemaName(slug: string): string {
  const base = `t_${slug.replace(/-/g, '_')}`;
  if (base.length <= 63) return base;
  const hash = createHash('sha256').update(slug).digest('hex').slice(0, 8);
  return `${base.slice(0, 54)}_${hash}`;
}

/** The shared database schema tenants go to when none is named (never a managed tenant database: no `sales_` prefix). */
export const DEFAULT_SCHEMA_DATABASE = 'salesfleet_schemas';

/**
 * Name of a managed server database: `sales_<slug>` with `-` → `_`. Slugs longer than 57 characters
 * are shortened with a hash suffix so the name stays within PostgreSQL's 63-byte limit.
 */
export function managedDatabaseName(slug: string): string {
  const base = `sales_${slug.replace(/-/g, '_')}`;
  if (base.length <= 63) return base;
  const hash = createHash('sha256').update(slug).digest('hex').slice(0, 8);
  return `${base.slice(0, 54)}_${hash}`;
}

/** Relative path of a tenant's managed SQLite file. `slug` must already be validated. */
export function sqliteTenantPath(slug: string): string {
  return `tenants/${slug}.sqlite`;
}

/**
 * Absolute path of a SQLite database given relative to the data dir; refuses anything that would
 * leave the data dir (`..`, absolute paths, symlink-free lexical check).
 */
export function resolveSqlitePath(dataDir: string, database: string): string {
  const root = resolve(dataDir);
  const path = isAbsolute(database) ? resolve(database) : resolve(root, database);
  const rel = relative(root, path);
  if (!rel || rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..')) {
    throw new ValidationFailed('SQLite databases must live inside the data directory', [
      { path: 'database.name', message: 'path escapes the data directory' },
    ]);
  }
  return join(root, rel);
}

/** Whether two specs name the same database (ignoring the password). */
export function sameDatabase(a: DatabaseSpec, b: DatabaseSpec): boolean {
  return (
    a.engine === b.engine &&
    a.database === b.database &&
    (a.host ?? '') === (b.host ?? '') &&
    (a.port ?? 0) === (b.port ?? 0) &&
    (a.user ?? '') === (b.user ?? '') &&
    (a.schema ?? null) === (b.schema ?? null)
  );
}

/** Host names that all mean this machine's loopback interface. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]', 'ip6-localhost', 'localhost.localdomain']);

/**
 * The identity of a database however it is spelled — `engine:host:port/name` with the host
 * lower-cased (every loopback spelling is `127.0.0.1`, a trailing dot dropped), the engine's default
 * port filled in and the name lower-cased; for SQLite `sqlite:` and the path with `.`, `..` and
 * doubled slashes resolved. The registry stores it under a unique index: a database belongs to at
 * most one tenant. (Registry migration 202612070200 backfills with this same rule.)
 */
export function databaseKey(db: {
  engine: Engine;
  host: string | null;
  port: number | null;
  name: string;
  schema?: string | null;
}): string {
  if (db.engine === 'sqlite') {
    const path = posix.normalize(db.name.replace(/\\/g, '/'));
    return `sqlite:${path.replace(/^(\.\/)+/, '')}`;
  }
  let host = (db.host ?? '127.0.0.1').trim().toLowerCase().replace(/\.$/, '');
  if (LOOPBACK.has(host) || host === '') host = '127.0.0.1';
  const port = db.port ?? DEFAULT_PORTS[db.engine];
  // A schema tenant's key names its schema too: the schemas of one shared database are distinct keys.
  const schema = db.schema ? `/${db.schema}` : '';
  return `${db.engine}:${host}:${port}/${db.name.trim().toLowerCase()}${schema}`;
}

/**
 * Where to connect to serve a database: through `pooler` (its host and port) when the database lives
 * on `server`, else at the database itself. Database, user and password stay the tenant's.
 */
export function throughPooler(spec: DatabaseSpec, server: DatabaseSpec | null, pooler: DatabaseSpec | null): DatabaseSpec {
  if (!server || !pooler || spec.engine !== 'postgres' || server.engine !== 'postgres') return spec;
  const onServer = databaseKey({ ...spec, name: '', schema: null }) === databaseKey({ ...server, name: '', schema: null });
  return onServer ? { ...spec, host: pooler.host, port: pooler.port } : spec;
}
