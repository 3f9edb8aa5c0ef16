import { appendFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { ErrorBodySchema } from '@salesfleet/contracts';
import type { ApiDocs, OperationDoc } from '../openapi/registry';

/**
 * Response bodies checked against their contract: the schema the route documents for the status it
 * answered (from @salesfleet/contracts, through the OpenAPI registry), or the error body for a
 * failure. The test harness runs every JSON answer through it, so a route whose answer drifts from
 * its schema — a field renamed, added, dropped or of another type — fails the test that called it.
 */

/** A body that does not match its route's schema. */
export class ContractDrift extends Error {
  override name = 'ContractDrift';
}

function pattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}

const patterns = new WeakMap<OperationDoc, RegExp>();

/** The documented operation that serves `method path` (static segments win over parameters, as in the router). */
export function findOperation(docs: ApiDocs, method: string, path: string): OperationDoc | undefined {
  const m = method.toLowerCase();
  const matches = docs.operations().filter((op) => {
    if (op.method !== m) return false;
    let re = patterns.get(op);
    if (!re) patterns.set(op, (re = pattern(op.path)));
    return re.test(path);
  });
  const params = (op: OperationDoc) => op.path.split('/').filter((p) => p.startsWith(':')).length;
  return matches.sort((a, b) => params(a) - params(b))[0];
}

/** Where a body differs from what its schema kept of it (a key the schema does not name is dropped by the parse). */
function firstDifference(actual: unknown, parsed: unknown, path = ''): string {
  if (typeof actual === 'object' && actual !== null && typeof parsed === 'object' && parsed !== null) {
    for (const key of new Set([...Object.keys(actual), ...Object.keys(parsed)])) {
      const a = (actual as Record<string, unknown>)[key];
      const p = (parsed as Record<string, unknown>)[key];
      if (!isDeepStrictEqual(a, p)) return firstDifference(a, p, path ? `${path}.${key}` : key);
    }
  }
  return `${path || '(body)'}: ${JSON.stringify(actual)?.slice(0, 80)} is not in the schema`;
}

/**
 * Parses `body`, the JSON answer of `method path` with `status`, with the route's response schema and
 * returns it; throws ContractDrift when the status is not documented, the body does not parse, or it
 * carries a field the schema does not name. Paths no route documents (the documents, static files)
 * are returned unchecked, except that a failure must still have the error body.
 */
export function parseResponse(docs: ApiDocs, method: string, path: string, status: number, body: unknown): unknown {
  const route = `${method.toUpperCase()} ${path} → ${status}`;
  const op = findOperation(docs, method, path);
  const spec = op?.responses[status];
  const schema = spec?.schema ?? (status >= 400 ? ErrorBodySchema : undefined);
  if (op && !spec && status < 400) throw new ContractDrift(`${route}: the route does not document this status`);
  if (process.env.SALESFLEET_CONTRACT_COVERAGE && op)
    appendFileSync(process.env.SALESFLEET_CONTRACT_COVERAGE, `${op.method} ${op.path} ${status}\n`);
  if (!schema) return body;
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new ContractDrift(`${route}: ${issue ? `${issue.path.join('.') || '(body)'}: ${issue.message}` : 'does not parse'}`);
  }
  if (!isDeepStrictEqual(result.data, body)) throw new ContractDrift(`${route}: ${firstDifference(body, result.data)}`);
  return result.data;
}

/** Checks a JSON answer (without consuming it) against its route's schema; other answers pass. */
export async function checkResponse(docs: ApiDocs, method: string, url: string, res: Response): Promise<void> {
  if (!(res.headers.get('content-type') ?? '').startsWith('application/json')) return;
  const text = await res.clone().text();
  parseResponse(docs, method, new URL(url).pathname, res.status, text ? JSON.parse(text) : null);
}
