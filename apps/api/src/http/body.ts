import type { Context } from 'hono';
import { MalformedJson, UnsupportedMediaType } from '@salesfleet/contracts';

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * The request body as parsed JSON. An empty body is `{}` (so `POST …/resume` needs no body); a body
 * that is not declared JSON is 415, JSON that does not parse is 400 — never a 500. The size limit is
 * enforced earlier, for every request, by the app's body-limit middleware.
 */
export async function readJsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  const contentType = c.req.header('content-type') ?? '';
  const mediaType = contentType.split(';')[0]!.trim();
  if (!JSON_TYPE.test(mediaType)) throw new UnsupportedMediaType(contentType);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new MalformedJson();
  }
}
