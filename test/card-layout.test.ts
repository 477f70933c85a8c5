/**
 * Golden tests of the card's line breaker (no canvas): a fixed-advance measure stands in for the font.
 * Wide characters and emoji are 1 em, ASCII 0.5 em, a space 0.25 em; at the reference size of 100 a
 * line of `n` columns is `n * 100` wide.
 */
import { describe, expect, it } from 'vitest';
import { breakUnits, ELLIPSIS, fitLine, graphemes, layoutQuote, wrapUnits } from '../src/core/card/layout.ts';
import { ALT_TEXT_LIMIT, cardAltText } from '../src/core/card/content.ts';
import { loadCorpus } from '../src/core/corpus/load.ts';
import { buildPassages } from '../src/core/corpus/passages.ts';

const measure = (text: string) =>
  graphemes(text).reduce((w, g) => w + (g === ' ' ? 25 : /^[\x21-\x7e]$/u.test(g) ? 50 : 100), 0);
const wrap = (text: string, columns: number) => wrapUnits(breakUnits(text), columns * 100, measure);

describe('line breaking (golden)', () => {
  it('never starts a line with closing punctuation: the character before moves down with it', () => {
    expect(wrap('一二三四五，六七八九十。', 5)).toEqual(['一二三四', '五，六七八', '九十。']);
    expect(wrap('一二三四”五六', 4)).toEqual(['一二三', '四”五六']);
    expect(wrap('一二三四》》五', 4)).toEqual(['一二三', '四》》五']);
    expect(wrap('一二三四,五六', 4)).toEqual(['一二三', '四,五六']);
    expect(wrap('一二三四?五六', 4)).toEqual(['一二三', '四?五六']);
  });

  it('never ends a line with opening punctuation', () => {
    expect(wrap('一二三四“五六七八', 5)).toEqual(['一二三四', '“五六七八']);
    expect(wrap('一二三《四五六', 4)).toEqual(['一二三', '《四五六']);
    expect(wrap('一二三（四五六', 4)).toEqual(['一二三', '（四五六']);
  });

  it('keeps ASCII double quotes on the right side by parity', () => {
    // The first " opens (stays with 你), the second closes (stays with 好).
    expect(wrap('他说"你好"好', 3)).toEqual(['他说', '"你好"', '好']);
  });

  it('keeps Latin words, numbers and versions whole and breaks at spaces', () => {
    expect(wrap('我们用TiDB 3.0做了很多', 6)).toEqual(['我们用TiDB', '3.0做了很多']);
    expect(wrap('营收增长了120%以上', 6)).toEqual(['营收增长了', '120%以上']);
    expect(wrap('The quick brown fox jumps over the lazy dog.', 8)).toEqual(['The quick brown', 'fox jumps over', 'the lazy dog.']);
    expect(wrap("it’s a K8s-based stack", 5)).toEqual(['it’s a', 'K8s-based', 'stack']);
  });

  it('breaks a URL longer than a line after its punctuation, and keeps a short URL whole', () => {
    expect(wrap('看 https://github.com/pingcap/tidb/blob/master/README.md 吧', 6)).toEqual([
      '看 https://',
      'github.com/',
      'pingcap/',
      'tidb/blob/',
      'master/',
      'README.md 吧',
    ]);
    expect(wrap('官网是 https://x.io/ 欢迎', 7)).toEqual(['官网是', 'https://x.io/', '欢迎']);
  });

  it('never splits an emoji sequence: ZWJ sequences, flags, skin tones, keycaps', () => {
    expect(wrap('👩‍💻👩‍💻👩‍💻🇨🇳🇨🇳', 4)).toEqual(['👩‍💻👩‍💻👩‍💻🇨🇳', '🇨🇳']);
    expect(wrap('好👍🏽👍🏽1️⃣', 3)).toEqual(['好👍🏽👍🏽', '1️⃣']);
    // An emoji before closing punctuation moves down with it.
    expect(wrap('一二三😀。', 4)).toEqual(['一二三', '😀。']);
  });

  it('keeps —— and …… in one piece (a dash may start a line, an ellipsis may not)', () => {
    expect(wrap('一二三——四', 4)).toEqual(['一二三', '——四']);
    expect(wrap('一二三……四', 4)).toEqual(['一二', '三……四']);
  });

  it('honours newlines and drops spaces at line ends', () => {
    expect(wrap('one\ntwo three', 20)).toEqual(['one', 'two three']);
    expect(wrap('aaaa bbbb', 2)).toEqual(['aaaa', 'bbbb']);
  });
});

describe('layoutQuote', () => {
  const box = { maxWidth: 1000, maxHeight: 1000, maxFontSize: 100, minFontSize: 50, referenceSize: 100 };

  it('balances lines instead of leaving a short last line', () => {
    const layout = layoutQuote('一二三四五六七八九十一二三四五六七八九十一二三', measure, box);
    expect(layout.fontSize).toBe(100);
    expect(layout.lines.map((l) => l.text)).toEqual(['一二三四五六七八', '九十一二三四五六', '七八九十一二三']);
    expect(layout.truncated).toBe(false);
  });

  it('shrinks the font until the quote fits the box', () => {
    const text = '一二三四五六七八九十'.repeat(8); // 80 characters
    const layout = layoutQuote(text, measure, box);
    expect(layout.fontSize).toBeLessThan(100);
    expect(layout.lines.length * layout.lineHeight).toBeLessThanOrEqual(box.maxHeight);
    expect(layout.lines.every((l) => l.width <= box.maxWidth)).toBe(true);
    expect(layout.lines.map((l) => l.text).join('')).toBe(text);
    // The next size up would not have fitted.
    const bigger = layoutQuote(text, measure, { ...box, maxFontSize: layout.fontSize + 2 });
    expect(bigger.fontSize).toBe(layout.fontSize);
  });

  it('cuts a quote too long for the card at a sentence, adds … and says so', () => {
    const text = '一二三四五。六七八九十。一二三四五六七八九十一二三。四五六七八九十一二三四五六七八九十一二三';
    const layout = layoutQuote(text, measure, { ...box, maxWidth: 500, maxHeight: 150, lineHeight: 1 });
    expect(layout.truncated).toBe(true);
    expect(layout.text).toBe(`一二三四五。六七八九十。一二三四五六七八九十一二三。${ELLIPSIS}`);
    expect(layout.lines.map((l) => l.text).join('')).toBe(layout.text);
    expect(text.startsWith(layout.text.slice(0, -1))).toBe(true);
  });

  it('cuts inside a sentence only when no sentence fits', () => {
    const text = '一二三四五六七八九十，一二三四五六七八九十一二三四五六七八九十一二三';
    const layout = layoutQuote(text, measure, { ...box, maxWidth: 500, maxHeight: 100, lineHeight: 1 });
    expect(layout.truncated).toBe(true);
    expect(layout.text).toBe(`一二三四五六七八九十，${ELLIPSIS}`);
  });
});

describe('fitLine', () => {
  it('keeps a line that fits and cuts one that does not with …', () => {
    expect(fitLine('季昕华 · UCloud', measure, 2000, 100).cut).toBe(false);
    const cut = fitLine('美信拓扑CEO一乐：从「玩物丧志」到「好高骛远」', measure, 600, 100);
    expect(cut).toMatchObject({ text: '美信拓扑CE…', cut: true });
    expect(cut.width).toBeLessThanOrEqual(600);
  });
});

describe('every passage of the corpus', () => {
  const passages = buildPassages(loadCorpus());
  const noStart = new Set([...'，。？！、；：”’》）,.?!;:']);
  const noEnd = new Set([...'“‘《（']);

  it('lays out within the box, keeps the punctuation rules and the words, and loses no character', () => {
    for (const passage of passages) {
      const layout = layoutQuote(passage.text, measure, { maxWidth: 1040, maxHeight: 400, maxFontSize: 56, minFontSize: 26 });
      const lines = layout.lines.map((l) => l.text);
      expect(layout.lines.every((l) => l.width <= 1040 + 1e-6), passage.id).toBe(true);
      for (let i = 0; i < lines.length; i++) {
        if (i > 0) expect(noStart.has(graphemes(lines[i]!)[0] ?? ''), `${passage.id} line ${i}: ${lines[i]}`).toBe(false);
        if (i < lines.length - 1) expect(noEnd.has(graphemes(lines[i]!).at(-1) ?? ''), `${passage.id} line ${i}: ${lines[i]}`).toBe(false);
      }
      // Verbatim: the lines are the text with only line-end whitespace removed.
      expect(lines.join('').replace(/\s+/gu, ''), passage.id).toBe(layout.text.replace(/\s+/gu, ''));
      if (!layout.truncated) expect(layout.text).toBe(passage.text);
      // Latin words (letters and digits) are never split across lines: find each line end in the text.
      let offset = 0;
      for (const line of lines.slice(0, -1)) {
        offset = layout.text.indexOf(line, offset) + line.length;
        const joint = layout.text.slice(offset - 1, offset + 1);
        expect(/^[A-Za-z0-9]{2}$/u.test(joint), `${passage.id}: ${line}`).toBe(false);
      }
    }
  });
});

describe('cardAltText', () => {
  const base = { passageId: 'x#1', speakerName: '季昕华', speakerDetail: '创始人 · UCloud', title: 'A计划', publication: null };

  it('is the quote verbatim and who said it', () => {
    const alt = cardAltText({ ...base, quote: '卖房创业，"云备胎"。' });
    expect(alt).toBe('“卖房创业，"云备胎"。” — 季昕华, 创始人 · UCloud (A计划)');
  });

  it('stays within 1,024 characters for a long quote, keeps the speaker, never splits an emoji', () => {
    const quote = '创业👩‍💻'.repeat(400);
    const alt = cardAltText({ ...base, quote });
    expect(alt.length).toBeLessThanOrEqual(ALT_TEXT_LIMIT);
    expect(alt).toContain('— 季昕华');
    const kept = alt.slice(1, alt.indexOf('…”'));
    expect(quote.startsWith(kept)).toBe(true);
    expect(graphemes(kept).every((g) => g === '创' || g === '业' || g === '👩‍💻')).toBe(true);
  });
});
