import { ErrorBodySchema } from '@salesfleet/contracts';
import { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** How a route authenticates; drives both the guard middleware and the document's `security`. */
export type RouteSecurity = 'none' | 'platformSession' | 'tenantSession';

export interface ResponseSpec {
  description: string;
  /** Body schema (JSON). Omit for empty answers (204) or non-JSON ones with `contentType`. */
  schema?: z.ZodType;
  contentType?: string;
}

/** One documented operation, as registered by the route that serves it. */
export interface OperationDoc {
  method: HttpMethod;
  /** Full Hono path (`/api/platform/tenants/:slug`). */
  path: string;
  summary: string;
  description?: string;
  tags: string[];
  security: RouteSecurity;
  permission?: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, ResponseSpec>;
}

type JsonSchema = Record<string, unknown>;

/**
 * The routes' own zod schemas, collected as each route registers itself, turned into an OpenAPI 3.1
 * document on first request. There is no hand-written copy of any schema.
 */
export class ApiDocs {
  readonly #operations: OperationDoc[] = [];
  #document: JsonSchema | null = null;

  add(op: OperationDoc): void {
    const clash = this.#operations.find((o) => o.method === op.method && o.path === op.path);
    if (clash) throw new Error(`route ${op.method.toUpperCase()} ${op.path} registered twice`);
    this.#operations.push(op);
    this.#document = null;
  }

  operations(): readonly OperationDoc[] {
    return this.#operations;
  }

  document(): JsonSchema {
    this.#document ??= buildDocument(this.#operations);
    return this.#document;
  }
}

function operationId(method: HttpMethod, path: string): string {
  const words = path.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}');
}

function buildDocument(operations: readonly OperationDoc[]): JsonSchema {
  const components: Record<string, JsonSchema> = {};
  const convert = (schema: z.ZodType, io: 'input' | 'output'): JsonSchema => {
    const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
    const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
    delete json.$defs;
    delete json.$schema;
    const renames: Record<string, string> = {};
    for (const [id, def] of Object.entries(defs)) {
      let name = id;
      const existing = components[name];
      if (existing && JSON.stringify(existing) !== JSON.stringify(def)) name = `${id}${io === 'input' ? 'Input' : 'Output'}`;
      components[name] = def;
      renames[id] = name;
    }
    const text = JSON.stringify(json).replace(/"#\/\$defs\/([^"]+)"/g, (_m, id: string) =>
      JSON.stringify(`#/components/schemas/${renames[id] ?? id}`),
    );
    for (const [name, def] of Object.entries(components)) {
      components[name] = JSON.parse(
        JSON.stringify(def).replace(/"#\/\$defs\/([^"]+)"/g, (_m, id: string) =>
          JSON.stringify(`#/components/schemas/${renames[id] ?? id}`),
        ),
      ) as JsonSchema;
    }
    return JSON.parse(text) as JsonSchema;
  };
  const errorRef = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  });
  components.Error = (() => {
    const json = z.toJSONSchema(ErrorBodySchema, { unrepresentable: 'any' }) as JsonSchema;
    const defs = json.$defs as Record<string, JsonSchema> | undefined;
    return defs?.Error ?? json;
  })();

  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ['path', op.params],
      ['query', op.query],
    ] as const) {
      if (!schema) continue;
      const json = convert(schema, 'input');
      const props = (json.properties ?? {}) as Record<string, JsonSchema>;
      const required = new Set((json.required ?? []) as string[]);
      for (const [name, s] of Object.entries(props)) {
        const { description, ...rest } = s;
        parameters.push({
          name,
          in: where,
          required: where === 'path' || required.has(name),
          ...(description ? { description } : {}),
          schema: rest,
        });
      }
    }
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(op.responses)) {
      responses[status] = r.schema
        ? { description: r.description, content: { [r.contentType ?? 'application/json']: { schema: convert(r.schema, 'output') } } }
        : r.contentType
          ? { description: r.description, content: { [r.contentType]: {} } }
          : { description: r.description };
    }
    if (op.body || op.params || op.query) responses['400'] ??= errorRef('ValidationFailed (details: [{ path, message }]), MalformedJson');
    if (op.body) responses['415'] ??= errorRef('UnsupportedMediaType: the body must be application/json');
    if (op.security !== 'none') {
      responses['401'] ??= errorRef('Unauthenticated: no valid session');
      responses['403'] ??= errorRef(
        op.permission
          ? `PermissionDenied (needs ${op.permission}), PasswordChangeRequired, CsrfRejected`
          : 'PasswordChangeRequired, CsrfRejected',
      );
    }
    const operation: Record<string, unknown> = {
      operationId: operationId(op.method, op.path),
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      tags: op.tags,
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: convert(op.body, 'input') } } } } : {}),
      responses,
      security: op.security === 'none' ? [] : [{ [`${op.security}Cookie`]: [] }, { bearer: [] }],
      ...(op.permission ? { 'x-permission': op.permission } : {}),
    };
    (paths[openApiPath(op.path)] ??= {})[op.method] = operation;
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Salesfleet API',
      version: '1.0.0',
      description:
        'Platform API (`/api/platform/*` on the platform host, for platform admins) and tenant API (`/api/*` on `<tenant>.<base-domain>`). ' +
        'Errors always have the body `{ "error": { "code", "message", "requestId", "details"? } }`. ' +
        'Authenticate with the session cookie set by login or with `Authorization: Bearer <token>`; cookie-authenticated writes need a same-origin `Origin` header.',
    },
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        platformSessionCookie: { type: 'apiKey', in: 'cookie', name: 'sf_platform_session' },
        tenantSessionCookie: { type: 'apiKey', in: 'cookie', name: 'sf_session' },
        bearer: { type: 'http', scheme: 'bearer', description: 'The token returned by login' },
      },
    },
  };
}
