/**
 * Text layout for quote cards, free of any canvas: line breaking with the Chinese rules, balanced
 * lines, font-size shrink to fit, and a cut at a sentence when a quote is too long for the card.
 *
 * Widths come from an injected {@link MeasureText}, so the renderer passes the canvas's
 * `measureText` and tests pass a simple fixed-advance function (golden tests without a canvas).
 *
 * Why hand-written: no npm line breaker does Chinese kinsoku, whole Latin words inside Chinese,
 * grapheme-safe emoji and balancing together (`linebreak` implements UAX #14, which allows a break
 * before “ and after ” in CJK and knows nothing of widths). The rules here are the short list the
 * card needs, on top of `Intl.Segmenter` for graphemes and words.
 *
 * The text is never changed: lines are slices of the input (spaces at a line end dropped); only a
 * cut adds `…` at the end, and the result then says `truncated: true`.
 */

/** Width of `text` in pixels when set at {@link LayoutOptions.referenceSize}. */
export type MeasureText = (text: string) => number;

/**
 * Punctuation that must not start a line (Chinese 避头 rules): closing marks, pause and stop marks,
 * the ellipsis and the interpunct, full-width and ASCII.
 */
const NO_LINE_START = new Set([...'，。？！、；：”’》）」』】〕〉〗｝〙〛﹂﹄…·‥,.?!;:)]}%％‰℃°']);
/** Punctuation that must not end a line (避尾): opening marks and currency signs. */
const NO_LINE_END = new Set([...'“‘《（「『【〔〈〖｛〘〚﹁﹃([{$¥￥£€#']);

/** Wide (East Asian) characters: each grapheme is a break opportunity. */
const WIDE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303F\uFF00-\uFFEF\u2E80-\u2FFF\u31C0-\u31EF“”‘’…—·]/u;
/** Emoji: pictographs, keycaps and flags (regional indicator pairs). A grapheme is never split. */
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;
const SPACE = /^[ \t\u00A0\u2000-\u200A\u202F\u205F]+$/u;
const LETTER = /[\p{L}\p{N}]/u;

const graphemeSegmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' });
const wordSegmenter = new Intl.Segmenter('en', { granularity: 'word' });

/** Splits a string into user-perceived characters (👩‍💻 and 🇨🇳 are one each). */
export function graphemes(text: string): string[] {
  return Array.from(graphemeSegmenter.segment(text), (s) => s.segment);
}

/** One unbreakable piece of text, and the spaces that follow it (dropped at a line end). */
export interface Unit {
  text: string;
  /** Whitespace after the unit: drawn between units on a line, dropped at a line end. */
  space: string;
  /** A newline follows: the line must end after this unit. */
  hardBreak: boolean;
}

type TokenKind = 'word' | 'wide' | 'emoji' | 'space' | 'newline';
interface Token {
  text: string;
  kind: TokenKind;
}

/** Groups graphemes into tokens: Latin runs (words, numbers, URLs with their ASCII punctuation) stay whole. */
function tokenize(text: string): Token[] {
  const chars = graphemes(text);
  const tokens: Token[] = [];
  for (let i = 0; i < chars.length; i++) {
    const g = chars[i]!;
    let kind: TokenKind;
    if (g === '\n' || g === '\r\n' || g === '\r') kind = 'newline';
    else if (SPACE.test(g)) kind = 'space';
    else if (EMOJI.test(g)) kind = 'emoji';
    else if (WIDE.test(g)) {
      // A curly apostrophe inside a Latin word ("it’s") belongs to the word.
      const inWord = (g === '’' || g === '‘') && LETTER.test(chars[i - 1] ?? '') && /^[A-Za-z]/u.test(chars[i + 1] ?? '');
      kind = inWord ? 'word' : 'wide';
    } else kind = 'word';
    const last = tokens.at(-1);
    if (last && last.kind === kind && (kind === 'word' || kind === 'space')) last.text += g;
    else tokens.push({ text: g, kind });
  }
  return tokens;
}

/** First and last grapheme of a token. */
function firstChar(text: string): string {
  return graphemes(text)[0] ?? '';
}
function lastChar(text: string): string {
  return graphemes(text).at(-1) ?? '';
}

/** True when a line may end between `a` and `b` (neither is whitespace). */
function canBreakBetween(a: Token, b: Token, aEndsOpen: boolean, bStartsClose: boolean): boolean {
  if (bStartsClose || aEndsOpen) return false;
  // "——" and "……" are one mark each and never split.
  if ((a.text.endsWith('—') && b.text.startsWith('—')) || (a.text.endsWith('…') && b.text.startsWith('…'))) return false;
  return true;
}

/**
 * Cuts text into {@link Unit}s: the pieces between which a line may break. Breaks are allowed between
 * wide characters and emoji, after spaces, and between a Latin run and a wide character, except
 * before closing punctuation and after opening punctuation. ASCII `"` is opening or closing by parity.
 */
export function breakUnits(text: string): Unit[] {
  const tokens = tokenize(text);
  const units: Unit[] = [];
  let quoteOpen = false;
  // Classify ASCII double quotes once, in order, by parity.
  const opens = new Map<Token, { startsClose: boolean; endsOpen: boolean }>();
  for (const token of tokens) {
    if (token.kind === 'space' || token.kind === 'newline') continue;
    const first = firstChar(token.text);
    const last = lastChar(token.text);
    let startsClose = NO_LINE_START.has(first);
    let endsOpen = NO_LINE_END.has(last);
    if (first === '"') {
      startsClose = quoteOpen;
    }
    if (token.kind === 'word') {
      for (const ch of token.text) if (ch === '"') quoteOpen = !quoteOpen;
    } else if (token.text === '"') quoteOpen = !quoteOpen;
    if (last === '"') endsOpen = quoteOpen;
    opens.set(token, { startsClose, endsOpen });
  }

  let current: Unit | null = null;
  let previous: Token | null = null;
  for (const token of tokens) {
    if (token.kind === 'newline') {
      if (current) current.hardBreak = true;
      else units.push({ text: '', space: '', hardBreak: true });
      current = null;
      previous = null;
      continue;
    }
    if (token.kind === 'space') {
      if (current) current.space += token.text;
      // Leading spaces (start of text or of a line after a newline) are not drawn.
      previous = token;
      continue;
    }
    const info = opens.get(token)!;
    const joinToCurrent =
      current !== null &&
      previous !== null &&
      (previous.kind === 'space'
        ? info.startsClose // "TiDB ," keeps the stray comma with its word
        : !canBreakBetween(previous, token, opens.get(previous)!.endsOpen, info.startsClose));
    if (joinToCurrent && current) {
      current.text += current.space + token.text;
      current.space = '';
    } else {
      current = { text: token.text, space: '', hardBreak: false };
      units.push(current);
    }
    previous = token;
  }
  return units;
}

/** Splits a unit wider than a line: at word boundaries (a URL after `/`, `.`, `?`), else at graphemes. */
function splitOverlong(unit: Unit, maxWidth: number, width: (s: string) => number): Unit[] {
  const pieces: string[] = [];
  for (const { segment, isWordLike } of wordSegmenter.segment(unit.text)) {
    // Punctuation stays at the end of the piece before it: "github.com/" | "pingcap/" | "tidb".
    if (!isWordLike && pieces.length > 0 && width(pieces.at(-1)! + segment) <= maxWidth) pieces[pieces.length - 1] += segment;
    else if (width(segment) <= maxWidth) pieces.push(segment);
    else pieces.push(...graphemes(segment));
  }
  const out: Unit[] = [];
  let line = '';
  for (const piece of pieces) {
    if (line && width(line + piece) > maxWidth) {
      out.push({ text: line, space: '', hardBreak: false });
      line = '';
    }
    line += piece;
  }
  out.push({ text: line, space: unit.space, hardBreak: unit.hardBreak });
  return out;
}

/** Greedy first-fit wrap of units at `maxWidth` (widths already scaled). Returns the lines' text. */
export function wrapUnits(units: readonly Unit[], maxWidth: number, width: (s: string) => number): string[] {
  const lines: string[] = [];
  let line = '';
  let pendingSpace = '';
  let lineWidth = 0;
  let open = false;
  const flush = () => {
    lines.push(line);
    line = '';
    pendingSpace = '';
    lineWidth = 0;
    open = false;
  };
  for (const original of units) {
    const parts = width(original.text) > maxWidth ? splitOverlong(original, maxWidth, width) : [original];
    for (const unit of parts) {
      const w = width(unit.text);
      const spaceW = pendingSpace ? width(pendingSpace) : 0;
      if (open && lineWidth + spaceW + w > maxWidth) flush();
      if (open) {
        line += pendingSpace + unit.text;
        lineWidth += spaceW + w;
      } else {
        line = unit.text;
        lineWidth = w;
        open = true;
      }
      pendingSpace = unit.space;
      if (unit.hardBreak) flush();
    }
  }
  if (open) flush();
  return lines;
}

/** Options of {@link layoutQuote}. Sizes are pixels. */
export interface LayoutOptions {
  /** Width of the text box. */
  maxWidth: number;
  /** Height of the text box. */
  maxHeight: number;
  /** Largest font size (short quotes). Default 56. */
  maxFontSize?: number;
  /** Smallest font size; below it the quote is cut. Default 26. */
  minFontSize?: number;
  /** Step between tried sizes. Default 2. */
  step?: number;
  /** Line height as a multiple of the font size. Default 1.55 (airy enough for Chinese). */
  lineHeight?: number;
  /** The size at which `measure` reports widths; widths scale linearly with size. Default 100. */
  referenceSize?: number;
  /** Make lines of similar length instead of a full lines and a short last one. Default true. */
  balance?: boolean;
}

/** A laid-out quote. */
export interface QuoteLayout {
  fontSize: number;
  /** Distance between baselines, pixels. */
  lineHeight: number;
  /** The lines, top to bottom, each with its width at `fontSize`. */
  lines: Array<{ text: string; width: number }>;
  /** The text that was laid out: the quote, or a prefix of it ending in `…`. */
  text: string;
  /** True when the quote did not fit at the smallest size and was cut (the card must say so). */
  truncated: boolean;
}

/** The text `…` is appended to when a quote is cut. */
export const ELLIPSIS = '…';

/**
 * Lays out a quote in a box: the largest font size (from `maxFontSize` down to `minFontSize`) at
 * which it fits, balanced lines, and, when it does not fit even at the smallest size, the longest
 * prefix ending at a sentence (else a clause, else a break opportunity) followed by `…`.
 */
export function layoutQuote(text: string, measure: MeasureText, options: LayoutOptions): QuoteLayout {
  const maxFontSize = options.maxFontSize ?? 56;
  const minFontSize = options.minFontSize ?? 26;
  const step = options.step ?? 2;
  const lineHeightRatio = options.lineHeight ?? 1.55;
  const reference = options.referenceSize ?? 100;
  const balance = options.balance ?? true;

  const cache = new Map<string, number>();
  const baseWidth = (s: string) => {
    let w = cache.get(s);
    if (w === undefined) {
      w = measure(s);
      cache.set(s, w);
    }
    return w;
  };
  const units = breakUnits(text);
  const linesAt = (size: number, units: readonly Unit[]) => {
    const scale = size / reference;
    return wrapUnits(units, options.maxWidth, (s) => baseWidth(s) * scale);
  };
  const fits = (size: number, lineCount: number) => lineCount * size * lineHeightRatio <= options.maxHeight;

  for (let size = maxFontSize; size >= minFontSize; size -= step) {
    const lines = linesAt(size, units);
    if (fits(size, lines.length)) return finish(text, units, size, false);
  }

  // Too long even at the smallest size: cut at the last sentence that fits.
  const size = minFontSize;
  const cut = (prefix: string) => linesAt(size, breakUnits(prefix + ELLIPSIS));
  // A longer prefix never needs fewer lines, so binary-search the cut points (shortest first).
  for (const pattern of [SENTENCE_END, CLAUSE_END]) {
    const ends = cutPoints(text, pattern);
    let best: string | null = null;
    let low = 0;
    let high = ends.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const prefix = text.slice(0, ends[mid]).trimEnd();
      if (prefix && fits(size, cut(prefix).length)) {
        best = prefix;
        low = mid + 1;
      } else high = mid - 1;
    }
    if (best) return finish(best + ELLIPSIS, breakUnits(best + ELLIPSIS), size, true);
  }
  // No sentence or clause fits: the most units that fit (binary search on the unit count).
  let low = 0;
  let high = units.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    const prefix = joinUnits(units.slice(0, mid));
    if (fits(size, cut(prefix).length)) low = mid;
    else high = mid - 1;
  }
  const prefix = joinUnits(units.slice(0, low));
  return finish(prefix + ELLIPSIS, breakUnits(prefix + ELLIPSIS), size, true);

  function finish(laidOut: string, units: Unit[], size: number, truncated: boolean): QuoteLayout {
    const scale = size / reference;
    const width = (s: string) => baseWidth(s) * scale;
    let lines = wrapUnits(units, options.maxWidth, width);
    if (balance && lines.length > 1) lines = balanceLines(units, lines.length, options.maxWidth, width);
    return {
      fontSize: size,
      lineHeight: size * lineHeightRatio,
      lines: lines.map((line) => ({ text: line, width: width(line) })),
      text: laidOut,
      truncated,
    };
  }
}

/** The narrowest width that still gives `lineCount` lines, so lines come out of similar length. */
function balanceLines(units: readonly Unit[], lineCount: number, maxWidth: number, width: (s: string) => number): string[] {
  let low = Math.max(...units.map((u) => Math.min(width(u.text), maxWidth)));
  let high = maxWidth;
  let best = wrapUnits(units, maxWidth, width);
  for (let i = 0; i < 14 && high - low > 0.5; i++) {
    const mid = (low + high) / 2;
    const lines = wrapUnits(units, mid, width);
    if (lines.length <= lineCount) {
      best = lines;
      high = mid;
    } else low = mid;
  }
  return best;
}

function joinUnits(units: readonly Unit[]): string {
  return units.map((u, i) => u.text + (i < units.length - 1 ? (u.hardBreak ? '\n' : u.space) : '')).join('');
}

/** A sentence ends at 。！？!? (and ASCII `.` or `;` before a space), with any closing quotes after it. */
const SENTENCE_END = /[。！？!?；]+[”’」』）)]*|[.;]+[”’"')]*(?=\s)/gu;
/** A clause ends at a comma or pause mark. */
const CLAUSE_END = /[，、：,:]/gu;

/** End offsets of each match of `pattern`, in increasing order. */
function cutPoints(text: string, pattern: RegExp): number[] {
  return Array.from(text.matchAll(pattern), (match) => match.index + match[0].length);
}

/**
 * Fits one line of plain text (a name, a title) in `maxWidth` at `fontSize`, cutting at a grapheme
 * and adding `…` when it is too long. Not for quotes: they go through {@link layoutQuote}.
 */
export function fitLine(text: string, measure: MeasureText, maxWidth: number, fontSize: number, referenceSize = 100): { text: string; width: number; cut: boolean } {
  const width = (s: string) => (measure(s) * fontSize) / referenceSize;
  const full = width(text);
  if (full <= maxWidth) return { text, width: full, cut: false };
  const chars = graphemes(text);
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (width(chars.slice(0, mid).join('').trimEnd() + ELLIPSIS) <= maxWidth) low = mid;
    else high = mid - 1;
  }
  const cut = chars.slice(0, low).join('').trimEnd() + ELLIPSIS;
  return { text: cut, width: width(cut), cut: true };
}
