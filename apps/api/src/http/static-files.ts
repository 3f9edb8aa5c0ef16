import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';
import type { Context } from 'hono';
import type { BaseEnv } from '../app-env';

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt', '.webmanifest']);

interface CachedFile {
  mtimeMs: number;
  size: number;
  etag: string;
  raw: Buffer;
  br?: Promise<Buffer>;
  gzip?: Promise<Buffer>;
}

export type CachePolicy = 'immutable' | 'no-cache';

/**
 * The built files of a web app (Vite output), served from memory: each file is read once (again
 * when it changes on disk), compressed once per encoding off the event loop (brotli, else gzip, as
 * the browser accepts), answered with an ETag so a revalidation of index.html costs a 304.
 */
export class StaticFiles {
  readonly root: string;
  readonly #cache = new Map<string, CachedFile>();

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** The file below the root named by a URL path (already stripped of its prefix), or null. */
  resolve(relative: string): string | null {
    let decoded: string;
    try {
      decoded = decodeURIComponent(relative);
    } catch {
      return null;
    }
    if (decoded === '' || decoded.includes('\0')) return null;
    const target = resolve(this.root, decoded);
    return target.startsWith(this.root + sep) ? target : null;
  }

  /** The file's bytes and ETag (read again when it changed on disk), or null when there is none. */
  async read(path: string): Promise<{ raw: Buffer; etag: string } | null> {
    return this.#load(path);
  }

  async #load(path: string): Promise<CachedFile | null> {
    let s;
    try {
      s = await stat(path);
    } catch {
      return null;
    }
    if (!s.isFile()) return null;
    const hit = this.#cache.get(path);
    if (hit && hit.mtimeMs === s.mtimeMs && hit.size === s.size) return hit;
    const raw = await readFile(path);
    const file: CachedFile = {
      mtimeMs: s.mtimeMs,
      size: s.size,
      raw,
      etag: `"${createHash('sha1').update(raw).digest('base64url').slice(0, 16)}"`,
    };
    this.#cache.set(path, file);
    return file;
  }

  /** Answers with the file at `path`, or null when there is none. */
  async serve<E extends BaseEnv>(c: Context<E>, path: string, cache: CachePolicy): Promise<Response | null> {
    const file = await this.#load(path);
    if (!file) return null;
    const ext = extname(path).toLowerCase();
    const headers: Record<string, string> = {
      'Content-Type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
      'Cache-Control': cache === 'immutable' ? 'public, max-age=31536000, immutable' : 'no-cache',
      ETag: file.etag,
      Vary: 'Accept-Encoding',
    };
    if (c.req.header('if-none-match') === file.etag) return new Response(null, { status: 304, headers });
    let body: Buffer = file.raw;
    if (COMPRESSIBLE.has(ext) && file.raw.length >= 1024) {
      const accepted = acceptedEncodings(c.req.header('accept-encoding'));
      if (accepted.has('br')) {
        file.br ??= brotli(file.raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: file.raw.length } });
        body = await file.br;
        headers['Content-Encoding'] = 'br';
      } else if (accepted.has('gzip')) {
        file.gzip ??= gzipAsync(file.raw, { level: 9 });
        body = await file.gzip;
        headers['Content-Encoding'] = 'gzip';
      }
    }
    headers['Content-Length'] = String(body.length);
    return new Response(c.req.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  }
}

/** Encodings an Accept-Encoding header allows (a `q=0` refuses one). */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q && Number(q.slice(2)) === 0) continue;
    out.add(name);
  }
  return out;
}
