import { inflateSync } from 'node:zlib';
import type { Customer, Invoice } from '@salesfleet/models';
import { describe, expect, it } from 'vitest';
import { renderInvoicePdf } from './invoice-pdf';
import { fontRuns } from './pdf-fonts';

/**
 * The text a PDF viewer extracts from pdfkit's output: each content stream's TJ glyph strings read
 * through the ToUnicode map of the font selected (Tf) — what copy and search in a viewer see.
 */
function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const objects = new Map<string, { dict: string; stream: string | null }>();
  for (const m of raw.matchAll(/(\d+) 0 obj\s*([\s\S]*?)\nendobj/g)) {
    const body = m[2] ?? '';
    const at = body.indexOf('stream\n');
    const dict = at < 0 ? body : body.slice(0, at);
    const data = at < 0 ? null : Buffer.from(body.slice(at + 7, body.lastIndexOf('\nendstream')), 'latin1');
    const stream = data === null ? null : (dict.includes('/FlateDecode') ? inflateSync(data) : data).toString('latin1');
    objects.set(m[1] ?? '', { dict, stream });
  }
  const utf16 = (hex: string) => Buffer.from(hex, 'hex').swap16().toString('utf16le');
  const cmaps = new Map<string, Map<string, string>>();
  const cmapOf = (fontRef: string) => {
    let map = cmaps.get(fontRef);
    if (map) return map;
    map = new Map();
    const toUnicode = /\/ToUnicode (\d+) 0 R/.exec(objects.get(fontRef)?.dict ?? '')?.[1];
    const cmap = objects.get(toUnicode ?? '')?.stream ?? '';
    for (const r of cmap.matchAll(/<([0-9a-f]+)> <([0-9a-f]+)> \[([^\]]*)\]/gi)) {
      const start = Number.parseInt(r[1] ?? '0', 16);
      [...(r[3] ?? '').matchAll(/<([0-9a-f]+)>/gi)].forEach((u, i) =>
        map!.set((start + i).toString(16).padStart(4, '0'), utf16(u[1] ?? '')),
      );
    }
    cmaps.set(fontRef, map);
    return map;
  };
  const fonts = new Map<string, string>();
  for (const o of objects.values()) {
    const block = /\/Font\s*<<([^>]*)>>/.exec(o.dict)?.[1] ?? '';
    for (const f of block.matchAll(/\/(F\d+) (\d+) 0 R/g)) fonts.set(f[1] ?? '', f[2] ?? '');
  }
  let text = '';
  for (const o of objects.values()) {
    if (!o.stream?.includes(' Tf')) continue;
    let font = '';
    let y = Number.NaN;
    // A new line where the text matrix moves to another line; runs continued on one line (a font's
    // baseline a point or so off the other's) join up.
    for (const op of o.stream.matchAll(/\/(F\d+) [\d.]+ Tf|\[([^\]]*)\] TJ|1 0 0 1 [\d.]+ ([\d.]+) Tm/g)) {
      if (op[1]) font = fonts.get(op[1]) ?? '';
      else if (op[2] !== undefined) {
        const map = cmapOf(font);
        for (const hex of op[2].matchAll(/<([0-9a-f]+)>/gi)) text += (hex[1] ?? '').replace(/.{4}/g, (gid) => map.get(gid) ?? '\ufffd');
      } else if (op[3] !== undefined) {
        const next = Number(op[3]);
        if (!(Math.abs(next - y) < 3)) text += '\n';
        y = next;
      }
    }
  }
  return text;
}

const invoice = {
  number: 'INV-000007',
  status: 'issued',
  issueDate: '2026-03-10',
  subtotal: 900,
  tax: 180,
  total: 1080,
  amountPaid: 0,
  notes: 'Merci — спасибо — ありがとう',
  payments: [],
  lines: [{ description: 'Café crème, 東京ブレンド', quantity: 2, unitPrice: 450, taxRateBp: 2000, lineSubtotal: 900 }],
} as unknown as Invoice;
const customer = { name: 'Zoë Łukasz 東京', address: 'ul. Żółkiewskiego 5, Kraków', email: null, taxNumber: null } as unknown as Customer;

describe('invoice PDF', () => {
  it('prints names and amounts outside Latin-1 (Ł, €, Cyrillic, kana and kanji) with the embedded Unicode fonts', async () => {
    const pdf = await renderInvoicePdf({
      invoice,
      customer,
      company: { name: 'Sklep Żółć', address: null, taxNumber: 'PL 123' },
      locationName: 'Główny',
      currency: 'EUR',
      locale: 'de-DE',
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    expect(text).not.toContain('\ufffd');
    for (const expected of [
      'Zoë Łukasz 東京',
      'Sklep Żółć',
      'Główny',
      'Café crème, 東京ブレンド',
      'Merci — спасибо — ありがとう',
      'ul. Żółkiewskiego 5, Kraków',
    ])
      expect(text).toContain(expected);
    // de-DE amounts: "10,80 €" (a no-break space before the euro sign).
    expect(text).toContain('10,80\u00a0€');
    // Subsets of the two font families are embedded (not the standard Latin-1 Helvetica).
    const fonts = [...pdf.toString('latin1').matchAll(/\/BaseFont \/[A-Z]{6}\+(\S+)/g)].map((m) => m[1]);
    expect(new Set(fonts)).toEqual(new Set(['NotoSans-Regular', 'NotoSans-Bold', 'NotoSansJP-Regular']));
    expect(pdf.toString('latin1')).not.toContain('Helvetica');
  });

  it('cuts text into runs by the font that has the characters', () => {
    expect(fontRuns('Zoë Łukasz 東京 €5', false)).toEqual([
      { font: 'regular', text: 'Zoë Łukasz ' },
      { font: 'cjk', text: '東京' },
      { font: 'regular', text: ' €5' },
    ]);
    expect(fontRuns('東', true)).toEqual([{ font: 'cjkBold', text: '東' }]);
  });
});
