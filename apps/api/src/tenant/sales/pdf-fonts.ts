/// <reference path="./fontkit.d.ts" />
// (fontkit ships no types: the declaration travels with the file, so every program that compiles it — the bench too — has it.)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { create, type Font } from 'fontkit';

/**
 * Unicode fonts for the server's PDFs. pdfkit's standard fonts cover Latin-1 only (no Ł, no €, no
 * 東京), so the PDFs embed Noto Sans (Latin with its extensions, Greek, Cyrillic, currency signs) and,
 * for the characters it lacks, Noto Sans JP (kana and the CJK ideographs Japanese and Chinese names
 * use). Both come from npm font packages (TTF files, OFL); pdfkit embeds only the glyphs a document uses.
 */
const require = createRequire(import.meta.url);

const FILES = {
  regular: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  bold: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
  cjk: '@expo-google-fonts/noto-sans-jp/400Regular/NotoSansJP_400Regular.ttf',
  cjkBold: '@expo-google-fonts/noto-sans-jp/700Bold/NotoSansJP_700Bold.ttf',
} as const;
export type PdfFontName = keyof typeof FILES;

interface LoadedFont {
  data: Buffer;
  glyphs: Font;
}
const loaded = new Map<PdfFontName, LoadedFont>();

/** A font's bytes (read once per process) and its glyph coverage. */
export function pdfFont(name: PdfFontName): LoadedFont {
  let font = loaded.get(name);
  if (!font) {
    const data = readFileSync(require.resolve(FILES[name]));
    font = { data, glyphs: create(data) };
    loaded.set(name, font);
  }
  return font;
}

/** The text cut into runs, each in the first font that has its characters (the Latin font when neither has one). */
export function fontRuns(text: string, bold: boolean): { font: PdfFontName; text: string }[] {
  const main: PdfFontName = bold ? 'bold' : 'regular';
  const fallback: PdfFontName = bold ? 'cjkBold' : 'cjk';
  const runs: { font: PdfFontName; text: string }[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const font =
      cp < 0x250 || /\s/.test(ch) || pdfFont(main).glyphs.hasGlyphForCodePoint(cp) || !pdfFont(fallback).glyphs.hasGlyphForCodePoint(cp)
        ? main
        : fallback;
    const last = runs[runs.length - 1];
    if (last && last.font === font) last.text += ch;
    else runs.push({ font, text: ch });
  }
  return runs;
}
