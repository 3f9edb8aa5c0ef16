/** The size of the pieces `prettyJsonChunks` yields by default: a pipe's buffer on Linux. */
export const JSON_CHUNK_CHARS = 64 * 1024;

/**
 * `JSON.stringify(value, null, 2)` followed by a newline, as strings of one to two `chunkChars`
 * characters joined in order: `list-tenants --json` at 10,000 tenants is 8.7 MB, which as one string
 * (and one buffer to write it) cost more than reading the registry. Plain objects and arrays are
 * walked, an array's elements stringified a chunk's worth at a time, anything else is left to
 * JSON.stringify whole, so the bytes are the same — except that a `toJSON(key)` is not always given
 * the key JSON.stringify would give it (an element's index counts from the start of its chunk).
 */
export function* prettyJsonChunks(value: unknown, chunkChars = JSON_CHUNK_CHARS): Generator<string> {
  let chunk = '';
  for (const piece of pieces(value, '', new Set(), chunkChars)) {
    chunk += piece;
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}\n`;
}

type Container = Record<string, unknown> | unknown[];

/** Arrays and plain objects without a toJSON: walked here; the rest goes to JSON.stringify whole. */
function isContainer(value: unknown): value is Container {
  if (typeof value !== 'object' || value === null || typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function circular(): TypeError {
  return new TypeError('Converting circular structure to JSON');
}

/**
 * `elements` as they appear inside an array `indent` deep, between its brackets (`\n    1,\n    2`):
 * stringified as one array nested in as many arrays as the indent has levels, which puts them at
 * their indentation (no copy to re-indent them), then cut out (a slice: no copy either).
 */
function stringifiedElements(elements: unknown[], indent: string): string {
  let nested: unknown = elements;
  let head = `${indent}[`;
  let tail = `\n${indent}]`;
  for (let level = indent.length / 2 - 1; level >= 0; level--) {
    nested = [nested];
    const outer = ' '.repeat(level * 2);
    head = `${outer}[\n${head}`;
    tail = `${tail}\n${outer}]`;
  }
  const text = JSON.stringify(nested, null, 2);
  return text.slice(head.length, text.length - tail.length);
}

/** A value that is not walked, as a member of an object `indent` deep (undefined where JSON.stringify omits it). */
function stringified(value: unknown, indent: string): string | undefined {
  const text = JSON.stringify(value, null, 2) as string | undefined;
  // JSON escapes newlines inside strings: every newline of the text is its own layout.
  return text === undefined || indent === '' ? text : text.replaceAll('\n', `\n${indent}`);
}

function* pieces(value: unknown, indent: string, walking: Set<Container>, chunkChars: number): Generator<string> {
  if (!isContainer(value)) {
    yield stringified(value, indent) ?? 'undefined';
    return;
  }
  if (walking.has(value)) throw circular();
  walking.add(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) yield '[]';
    else {
      // Elements a chunk's worth at a time (how many: from the size of those before).
      let count = 1;
      for (let from = 0; from < value.length; ) {
        const elements = value.slice(from, from + count);
        if (elements.some((e) => isContainer(e) && walking.has(e))) throw circular();
        const text = stringifiedElements(elements, indent);
        yield from === 0 ? `[${text}` : `,${text}`;
        from += elements.length;
        count = Math.max(1, Math.ceil((chunkChars * elements.length) / Math.max(1, text.length)));
      }
      yield `\n${indent}]`;
    }
  } else {
    let empty = true;
    for (const key of Object.keys(value)) {
      const member = value[key];
      const head = `${empty ? '{' : ','}\n${inner}${JSON.stringify(key)}: `;
      if (isContainer(member)) {
        empty = false;
        yield head;
        yield* pieces(member, inner, walking, chunkChars);
      } else {
        const text = stringified(member, inner);
        if (text === undefined) continue;
        empty = false;
        yield head + text;
      }
    }
    yield empty ? '{}' : `\n${indent}}`;
  }
  walking.delete(value);
}
