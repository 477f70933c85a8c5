import { describe, expect, it } from 'vitest';
import { findHighlights } from '../src/core/search/highlight.ts';
import { foldLatinTerm, normalizeText } from '../src/core/text/tokenizer.ts';

const marked = (text: string, terms: string[], fold = true) =>
  findHighlights(text, terms, normalizeText, normalizeText(text), fold ? foldLatinTerm : null).map((h) => text.slice(h.start, h.end));

describe('findHighlights', () => {
  it('marks the whole English word a stem stands for, and only words with that stem', () => {
    expect(marked('We achieved containerization, not containers.', [foldLatinTerm('containerize')])).toEqual(['containerization']);
    expect(marked('After I entered the Investment bank', [foldLatinTerm('investments')])).toEqual(['Investment']);
  });

  it('without a folding function, marks the term as found (at a word start only)', () => {
    expect(marked('investment and said', ['invest', 'ai'], false)).toEqual(['invest']);
  });

  it('maps normalised matches back to the original text (full width, Traditional)', () => {
    expect(marked('用 ＴｉＤＢ 賣房創業', ['tidb', '卖房'])).toEqual(['ＴｉＤＢ', '賣房']);
  });
});
