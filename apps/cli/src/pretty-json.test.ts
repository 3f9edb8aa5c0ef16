import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createOutput } from './output';
import { prettyJsonChunks } from './pretty-json';

const VALUES: [string, unknown][] = [
  [
    'a listing',
    { tenants: Array.from({ length: 40 }, (_, i) => ({ id: i, slug: `t${i}`, tags: ['a', { b: [1, 2] }], at: new Date(i * 1e9) })) },
  ],
  ['empty containers', { a: [], b: {}, c: [[]], d: [{}], e: { f: { g: [] } } }],
  [
    'what JSON.stringify leaves out or turns to null',
    { u: undefined, f: () => 1, s: Symbol('x'), list: [undefined, () => 1, Symbol('y'), Number.NaN, -0, 1e21] },
  ],
  ['an object of nothing JSON can show', { u: undefined, f: () => 1 }],
  ['text that needs escaping', { 'key "with"\nnewline': 'line\nbreak\t"quoted" \u001b[31m \u2028 é 日本 😀', nested: { '': '' } }],
  [
    'toJSON and boxed values',
    { date: new Date(0), custom: { toJSON: () => ({ replaced: [1, 2] }) }, boxed: [new String('s'), new Number(3), new Boolean(false)] },
  ],
  [
    'a null-prototype object, a class instance and a Map',
    {
      bare: Object.assign(Object.create(null), { x: 1 }),
      instance: new (class {
        y = 2;
      })(),
      map: new Map([[1, 2]]),
    },
  ],
  ['scalars', 'just a string'],
  ['null', null],
  ['an array at the top', [1, 'two', { three: [3] }, [4, [5]]]],
];

const joined = (value: unknown, chunkChars?: number) => [...prettyJsonChunks(value, chunkChars)].join('');

describe('pretty JSON in chunks', () => {
  it.each(VALUES)('%s: the same bytes as JSON.stringify(value, null, 2), whatever the chunk size', (_label, value) => {
    const expected = `${JSON.stringify(value, null, 2)}\n`;
    for (const size of [1, 7, 100, 64 * 1024]) expect(joined(value, size)).toBe(expected);
  });

  it('yields pieces of one to two chunk sizes, not one string', () => {
    const value = { tenants: Array.from({ length: 500 }, (_, i) => ({ slug: `tenant-${i}`, name: 'x'.repeat(100) })) };
    const chunks = [...prettyJsonChunks(value, 4096)];
    expect(chunks.length).toBeGreaterThan(10);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeGreaterThanOrEqual(4096);
    for (const chunk of chunks) expect(chunk.length).toBeLessThan(2 * 4096);
  });

  it('refuses a circular structure as JSON.stringify does', () => {
    const root: Record<string, unknown> = { list: [] };
    (root.list as unknown[]).push(root);
    expect(() => joined(root)).toThrow(TypeError);
    const self: Record<string, unknown> = {};
    self.again = { self };
    expect(() => joined(self)).toThrow(TypeError);
  });
});

/** A reader that takes one chunk per turn of the event loop, recording how much was waiting at each write. */
function slowReader(highWaterMark: number) {
  const received: string[] = [];
  const waitingAtWrite: number[] = [];
  const stream = new Writable({
    highWaterMark,
    decodeStrings: false,
    write(chunk: string, _encoding, done) {
      received.push(chunk);
      setImmediate(done);
    },
  });
  const write = stream.write.bind(stream) as (chunk: string) => boolean;
  stream.write = ((chunk: string) => {
    waitingAtWrite.push(stream.writableLength);
    return write(chunk);
  }) as typeof stream.write;
  return { stream, received, waitingAtWrite };
}

describe('Output.json', () => {
  const value = { tenants: Array.from({ length: 3000 }, (_, i) => ({ id: i, slug: `s${i}`, name: `Tenant ${i}` })) };

  it('waits for the reader: never writes while the stream is over its high-water mark', async () => {
    const reader = slowReader(16 * 1024);
    const out = createOutput({ stdout: reader.stream, stderr: reader.stream, stdin: process.stdin, env: {} });
    await out.json(value);
    expect(reader.received.join('')).toBe(`${JSON.stringify(value, null, 2)}\n`);
    expect(reader.waitingAtWrite.length).toBeGreaterThan(3);
    for (const waiting of reader.waitingAtWrite) expect(waiting).toBeLessThan(16 * 1024);
  });

  it('stops, without hanging or throwing, when the reader goes away midway', async () => {
    const reader = slowReader(16 * 1024);
    reader.stream.on('error', () => undefined);
    const out = createOutput({ stdout: reader.stream, stderr: reader.stream, stdin: process.stdin, env: {} });
    setImmediate(() => reader.stream.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })));
    await out.json(value);
    const written = reader.received.join('').length;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(JSON.stringify(value, null, 2).length);
  });
});
