import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import type { BaseEnv, PlatformAdminEnv, PlatformEnv, TenantEnv, TenantUserEnv } from '../app-env';
import type { ApiDocs, HttpMethod, ResponseSpec, RouteSecurity } from '../openapi/registry';
import { readJsonBody } from './body';
import { zodIssues, type FieldIssue } from './validation';
import { NotFound, ValidationFailed } from '@salesfleet/contracts';

type AnyObject = z.ZodObject;

export interface RouteSpec<
  P extends AnyObject | undefined,
  Q extends AnyObject | undefined,
  B extends z.ZodType | undefined,
  A extends boolean = boolean,
> {
  method: HttpMethod;
  /** Path below the router's prefix, Hono syntax (`/tenants/:slug`). */
  path: string;
  summary: string;
  description?: string;
  /** `false` for the few routes anyone may call (login, sign-in page). Default: a session is required. */
  auth?: A;
  /** Permission codename the session must hold (tenant routes). */
  permission?: string;
  /** Also allowed while the user must change a one-time password (me, logout, change-password). */
  allowDuringPasswordChange?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  responses: Record<number, ResponseSpec>;
}

export type RouteInput<P, Q, B> = {
  params: P extends z.ZodType ? z.output<P> : Record<string, never>;
  query: Q extends z.ZodType ? z.output<Q> : Record<string, never>;
  body: B extends z.ZodType ? z.output<B> : undefined;
};

export type RouteHandler<E extends BaseEnv, P, Q, B> = (c: Context<E>, input: RouteInput<P, Q, B>) => Response | Promise<Response>;

/** The environment a route's handler runs in: the signed-in one unless the spec says `auth: false`. */
export type RouteEnv<A extends boolean, E extends BaseEnv, SE extends BaseEnv> = [A] extends [true] ? SE : E;

/**
 * What a route needs before its handler runs (authentication, permission, CSRF), from its spec. For a
 * route with `auth`, the guard sets what the signed-in environment `SE` adds to the area's `E` (the
 * session's principal): `ApiRoutes` relies on it to run the handler with `Context<SE>`.
 */
export type RouteGuard<E extends BaseEnv> = (spec: {
  auth: boolean;
  permission?: string;
  allowDuringPasswordChange: boolean;
  method: HttpMethod;
}) => MiddlewareHandler<E>[];

export interface ApiRoutesOptions<E extends BaseEnv> {
  /** Where the router is mounted (`app.route(prefix, routes.router)`); documentation paths start with it. */
  prefix: string;
  tags: string[];
  security: Exclude<RouteSecurity, 'none'>;
  guard: RouteGuard<E>;
}

/**
 * A Hono router whose routes are declared once with their zod schemas: the same declaration validates
 * input at the edge (400 `ValidationFailed` with field details), applies the area's guard (session,
 * permission) and registers the operation in the OpenAPI document.
 *
 * `E` is the area's environment (what every request of the router carries), `SE` the signed-in one
 * (`E` plus the principal the guard sets): a handler gets `Context<SE>` unless its spec says `auth: false`.
 */
export class ApiRoutes<E extends BaseEnv, SE extends E> {
  readonly router = new Hono<E>();
  readonly #docs: ApiDocs;
  readonly #options: ApiRoutesOptions<E>;

  constructor(docs: ApiDocs, options: ApiRoutesOptions<E>) {
    this.#docs = docs;
    this.#options = options;
  }

  get prefix(): string {
    return this.#options.prefix;
  }

  add<
    P extends AnyObject | undefined = undefined,
    Q extends AnyObject | undefined = undefined,
    B extends z.ZodType | undefined = undefined,
    A extends boolean = true,
  >(spec: RouteSpec<P, Q, B, A>, handler: RouteHandler<RouteEnv<A, E, SE>, P, Q, B>): this {
    const auth = spec.auth !== false;
    const { prefix, tags, security } = this.#options;
    this.#docs.add({
      method: spec.method,
      path: joinPath(prefix, spec.path),
      summary: spec.summary,
      ...(spec.description ? { description: spec.description } : {}),
      tags,
      security: auth ? security : 'none',
      ...(spec.permission ? { permission: spec.permission } : {}),
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.query ? { query: spec.query } : {}),
      ...(spec.body ? { body: spec.body } : {}),
      responses: spec.responses,
    });
    const guards = this.#options.guard({
      auth,
      ...(spec.permission ? { permission: spec.permission } : {}),
      allowDuringPasswordChange: spec.allowDuringPasswordChange === true,
      method: spec.method,
    });
    // With `auth`, the guards ran first and set the principal: the context is the signed-in one.
    const run: MiddlewareHandler<E> = async (c) => handler(c as unknown as Context<RouteEnv<A, E, SE>>, await parseInput(c, spec));
    this.router.on(spec.method.toUpperCase(), [spec.path], ...guards, run);
    return this;
  }
}

/** The tenant API (`/api/*` on tenant hosts): handlers of signed-in routes get the user. */
export type TenantApiRoutes = ApiRoutes<TenantEnv, TenantUserEnv>;
/** The platform API (`/api/platform/*`): handlers of signed-in routes get the admin. */
export type PlatformApiRoutes = ApiRoutes<PlatformEnv, PlatformAdminEnv>;

function joinPath(prefix: string, path: string): string {
  const p = `${prefix.replace(/\/$/, '')}${path === '/' ? '' : path}`;
  return p === '' ? '/' : p;
}

async function parseInput<
  E extends BaseEnv,
  P extends AnyObject | undefined,
  Q extends AnyObject | undefined,
  B extends z.ZodType | undefined,
>(c: Context<E>, spec: RouteSpec<P, Q, B, boolean>): Promise<RouteInput<P, Q, B>> {
  let params: unknown = {};
  if (spec.params) {
    const r = spec.params.safeParse(c.req.param());
    // A path that names no valid id names no row: 404, like a missing one.
    if (!r.success) throw new NotFound('Resource', describePath(c));
    params = r.data;
  }
  let query: unknown = {};
  if (spec.query) {
    const raw = c.req.query();
    assertNoNul(raw, 'Invalid query parameters');
    const r = spec.query.safeParse(raw);
    if (!r.success) throw invalid('Invalid query parameters', zodIssues(r.error));
    query = r.data;
  }
  let body: unknown;
  if (spec.body) {
    const raw = await readJsonBody(c);
    assertNoNul(raw, 'Invalid request body');
    const r = spec.body.safeParse(raw);
    if (!r.success) throw invalid('Invalid request body', zodIssues(r.error));
    body = r.data;
  }
  return { params, query, body } as RouteInput<P, Q, B>;
}

/** A 400 whose message names the first rule that failed (`newPassword: at least 12 characters`). */
function invalid(what: string, issues: FieldIssue[]): ValidationFailed {
  const first = issues[0];
  const rule = first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : '';
  return new ValidationFailed(rule ? `${what}: ${rule}` : what, issues);
}

/** No API input nests deeper than this; deeper JSON is refused before anything walks it. */
const MAX_INPUT_DEPTH = 32;

/**
 * A NUL character is never meaningful text, and SQLite's driver throws on it inside a bound string:
 * refuse it at the edge, in any query value and anywhere in a JSON body, naming the field. Walks
 * iteratively and refuses absurd nesting, so a hostile body cannot exhaust the stack.
 */
function assertNoNul(value: unknown, what: string): void {
  const found: FieldIssue[] = [];
  const pending: { v: unknown; path: string[] }[] = [{ v: value, path: [] }];
  while (pending.length > 0 && found.length < 10) {
    const { v, path } = pending.pop()!;
    if (path.length > MAX_INPUT_DEPTH)
      throw invalid(what, [{ path: path.slice(0, 3).join('.'), message: `nested deeper than ${MAX_INPUT_DEPTH} levels` }]);
    if (typeof v === 'string') {
      if (v.includes('\u0000')) found.push({ path: path.join('.'), message: 'must not contain NUL characters' });
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => pending.push({ v: item, path: [...path, String(i)] }));
    } else if (typeof v === 'object' && v !== null) {
      for (const [key, item] of Object.entries(v)) {
        if (key.includes('\u0000'))
          found.push({ path: [...path, key.replaceAll('\u0000', '\\0')].join('.'), message: 'must not contain NUL characters' });
        pending.push({ v: item, path: [...path, key] });
      }
    }
  }
  if (found.length > 0) throw invalid(what, found);
}

function describePath(c: Context): string {
  return c.req.path.length > 120 ? `${c.req.path.slice(0, 120)}…` : c.req.path;
}
