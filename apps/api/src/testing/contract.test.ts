import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ApiDocs } from '../openapi/registry';
import { ContractDrift, parseResponse } from './contract';

function docs(): ApiDocs {
  const d = new ApiDocs();
  const Thing = z.object({ id: z.number().int(), name: z.string(), note: z.string().nullable() });
  d.add({
    method: 'get',
    path: '/api/things/:id',
    summary: 'a thing',
    tags: [],
    security: 'none',
    responses: { 200: { description: 'the thing', schema: z.object({ thing: Thing }) }, 204: { description: 'nothing' } },
  });
  d.add({
    method: 'get',
    path: '/api/things/count',
    summary: 'how many',
    tags: [],
    security: 'none',
    responses: { 200: { description: 'the count', schema: z.object({ count: z.number().int() }) } },
  });
  return d;
}

describe('parseResponse (the API answers what its contract says)', () => {
  const thing = { id: 1, name: 'a', note: null };

  it('accepts a body that matches the route’s schema, a documented status without body and a proper error body', () => {
    expect(parseResponse(docs(), 'GET', '/api/things/7', 200, { thing })).toEqual({ thing });
    expect(parseResponse(docs(), 'GET', '/api/things/count', 200, { count: 3 })).toEqual({ count: 3 });
    expect(parseResponse(docs(), 'GET', '/api/things/7', 204, null)).toBeNull();
    const error = { error: { code: 'NotFound', message: 'no such thing', requestId: 'r1' } };
    expect(parseResponse(docs(), 'GET', '/api/things/7', 404, error)).toEqual(error);
  });

  it('fails on a field of another type, a missing field, a field the schema does not name, an undocumented status', () => {
    const d = docs();
    expect(() => parseResponse(d, 'GET', '/api/things/7', 200, { thing: { ...thing, id: '1' } })).toThrow(ContractDrift);
    expect(() => parseResponse(d, 'GET', '/api/things/7', 200, { thing: { id: 1, name: 'a' } })).toThrow(/thing\.note/);
    expect(() => parseResponse(d, 'GET', '/api/things/7', 200, { thing: { ...thing, secret: 'x' } })).toThrow(/thing\.secret/);
    expect(() => parseResponse(d, 'GET', '/api/things/7', 201, { thing })).toThrow(/does not document/);
    // the static route, not /things/:id, serves /things/count
    expect(() => parseResponse(d, 'GET', '/api/things/count', 200, { thing })).toThrow(ContractDrift);
  });

  it('fails on a failure without the one error body', () => {
    expect(() => parseResponse(docs(), 'GET', '/api/things/7', 500, { message: 'boom' })).toThrow(ContractDrift);
    expect(() => parseResponse(docs(), 'GET', '/api/unknown', 404, 'Not Found')).toThrow(ContractDrift);
  });
});
