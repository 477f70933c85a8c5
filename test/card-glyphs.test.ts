/**
 * Every character a card can print has a glyph in the fonts the bot ships: the quote in Noto Sans SC
 * 400 (emoji in the Twemoji font), names in 700, details and sources in 400. Reads the fonts'
 * character maps with fontkit, so an interview with a rare character fails here, loudly, with the
 * characters listed, instead of printing tofu boxes on a card.
 */
import * as fontkit from 'fontkit';
import { describe, expect, it } from 'vitest';
import { CARD_WEIGHTS, emojiFontFile, notoSansScFiles, type CardWeight } from '../src/card/fonts.ts';
import { graphemes } from '../src/core/card/layout.ts';
import { loadCorpus } from '../src/core/corpus/load.ts';
import { buildPassages } from '../src/core/corpus/passages.ts';

const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;
/** Joiners and selectors that shape an emoji sequence but need no glyph of their own. */
const INVISIBLE = new Set([0x200d, 0xfe0e, 0xfe0f]);

function codePoints(fontFiles: string[]): Set<number> {
  const set = new Set<number>();
  for (const file of fontFiles) for (const cp of (fontkit.openSync(file) as fontkit.Font).characterSet) set.add(cp);
  return set;
}

/** The characters of `texts` missing from the fonts, as "X U+XXXX in <where>" lines. */
function missing(texts: Array<{ text: string; where: string }>, text: Set<number>, emoji: Set<number>): string[] {
  const out = new Map<string, string>();
  for (const { text: value, where } of texts) {
    for (const g of graphemes(value)) {
      if (/^\s$/u.test(g) && g !== ' ' && g !== '\u3000') continue; // newlines and tabs are not drawn
      const isEmoji = EMOJI.test(g);
      for (const char of g) {
        const cp = char.codePointAt(0)!;
        if (INVISIBLE.has(cp)) continue;
        const covered = isEmoji ? emoji.has(cp) || text.has(cp) : text.has(cp);
        if (!covered && !out.has(char)) out.set(char, `${char} U+${cp.toString(16).toUpperCase().padStart(4, '0')} in ${where}`);
      }
    }
  }
  return [...out.values()];
}

describe('glyph coverage of the shipped fonts', () => {
  const interviews = loadCorpus();
  const passages = buildPassages(interviews);
  const fonts = new Map<CardWeight, Set<number>>(CARD_WEIGHTS.map((weight) => [weight, codePoints(notoSansScFiles(weight))]));
  const emoji = codePoints([emojiFontFile()]);

  it('reads real character maps (guards the test itself)', () => {
    expect(fonts.get(400)!.has('中'.codePointAt(0)!)).toBe(true);
    expect(fonts.get(400)!.has(0x10ffff)).toBe(false);
    expect(emoji.has(0x1f600)).toBe(true);
    // A slice is per unicode-range: the union must exceed any single file by far.
    expect(fonts.get(400)!.size).toBeGreaterThan(10_000);
  });

  it('has every character of every passage (the quote, weight 400; emoji in the emoji font)', () => {
    const texts = passages.map((p) => ({ text: p.text, where: p.id }));
    expect(missing(texts, fonts.get(400)!, emoji)).toEqual([]);
  });

  it('has every character of names (700) and of roles, companies, titles and publications (400)', () => {
    const names = interviews.flatMap((i) => i.speakers.map((s) => ({ text: s.name, where: `${i.id} speaker ${s.id}` })));
    const details = interviews.flatMap((i) => [
      { text: i.title, where: `${i.id} title` },
      { text: i.publication ?? '', where: `${i.id} publication` },
      { text: i.date ?? '', where: `${i.id} date` },
      ...i.speakers.map((s) => ({ text: `${s.role ?? ''} · ${s.company ?? ''}`, where: `${i.id} speaker ${s.id}` })),
    ]);
    const fixed = [{ text: '旁白 · narration 节选 · excerpt “…', where: 'card labels' }];
    expect(missing(names, fonts.get(700)!, emoji)).toEqual([]);
    expect(missing([...details, ...fixed], fonts.get(400)!, emoji)).toEqual([]);
    expect(missing([{ text: '箴言“', where: 'card mark' }], fonts.get(700)!, emoji)).toEqual([]);
  });
});
