/** Highlight spans: where the matched terms stand in a passage's original (un-normalised) text. */

/** A half-open range `[start, end)` of UTF-16 offsets into the original text. */
export interface Highlight {
  start: number;
  end: number;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
const HAN = /\p{Script=Han}/u;

/**
 * Finds every occurrence of `terms` in `text`, comparing normalised forms (so the term `tidb` marks
 * `ＴｉＤＢ`, and `卖房` marks `賣房`). Latin terms only match at the start of a word (`ai` does not
 * mark `said`). Overlapping and touching ranges are merged; offsets never split a surrogate pair.
 * `normalizedText` is `normalize(text)`, for callers that have it cached. With `foldLatin` (the tokenizer's
 * English stemmer), a stem marks the whole word it came from.
 */
export function findHighlights(
  text: string,
  terms: readonly string[],
  normalize: (s: string) => string,
  normalizedText: string = normalize(text),
  foldLatin: ((word: string) => string) | null = null,
): Highlight[] {
  // Usually normalisation keeps every UTF-16 unit in place (lowercase, Traditional → Simplified chars):
  // then offsets map one to one. Otherwise normalise code point by code point and remember origins.
  let normalized = normalizedText;
  let origin: number[] | null = null;
  if (normalized.length !== text.length) {
    normalized = '';
    origin = [];
    let offset = 0;
    for (const char of text) {
      const piece = normalize(char);
      for (let i = 0; i < piece.length; i++) origin.push(offset);
      normalized += piece;
      offset += char.length;
    }
    origin.push(text.length);
  }

  const ranges: Highlight[] = [];
  for (const term of new Set(terms)) {
    if (term.length === 0) continue;
    const latin = !HAN.test(term);
    let from = 0;
    for (;;) {
      const at = normalized.indexOf(term, from);
      if (at < 0) break;
      from = at + 1;
      if (latin && at > 0 && WORD_CHAR.test(normalized[at - 1]!) && !HAN.test(normalized[at - 1]!)) continue;
      // An English stem (invest, container) marks the whole word it stands for (investment, containerization).
      // A longer word with another stem is not a match (container in containers: contain).
      const matchLength = latin && foldLatin !== null ? stemmedWordLength(normalized, at, term, foldLatin) : term.length;
      if (matchLength < 0) continue;
      if (origin === null) {
        ranges.push({ start: at, end: at + matchLength });
        continue;
      }
      const start = origin[at]!;
      const endIndex = at + matchLength;
      // Extend to the end of the original character that produced the last normalised unit.
      const end = endIndex < origin.length - 1 ? nextOrigin(origin, endIndex - 1) : text.length;
      ranges.push({ start, end });
    }
  }
  return mergeRanges(ranges);
}

/**
 * The length of the Latin word at `at` when it is `term` or folds to it; −1 when the word goes on and
 * folds to something else.
 */
function stemmedWordLength(normalized: string, at: number, term: string, foldLatin: (word: string) => string): number {
  let end = at + term.length;
  while (end < normalized.length && /[a-z]/u.test(normalized[end]!)) end++;
  if (end === at + term.length) return term.length;
  return foldLatin(normalized.slice(at, end)) === term ? end - at : -1;
}

function nextOrigin(origin: number[], index: number): number {
  const here = origin[index]!;
  for (let i = index + 1; i < origin.length; i++) if (origin[i]! !== here) return origin[i]!;
  return origin[origin.length - 1]!;
}

function mergeRanges(ranges: Highlight[]): Highlight[] {
  ranges.sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: Highlight[] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

/**
 * Renders `text` with each highlighted range passed through `mark` (e.g. wrap in `**`) and every other
 * range through `plain` (e.g. escape Markdown).
 */
export function applyHighlights(
  text: string,
  highlights: readonly Highlight[],
  mark: (segment: string) => string,
  plain: (segment: string) => string = (segment) => segment,
): string {
  let out = '';
  let cursor = 0;
  for (const { start, end } of highlights) {
    if (start < cursor) continue;
    out += plain(text.slice(cursor, start)) + mark(text.slice(start, end));
    cursor = end;
  }
  return out + plain(text.slice(cursor));
}

/** The highlights that fall inside `[start, end)` of a text, clipped and shifted to a slice starting at `start`. */
export function highlightsWithin(highlights: readonly Highlight[], start: number, end: number): Highlight[] {
  const out: Highlight[] = [];
  for (const h of highlights) {
    const from = Math.max(h.start, start);
    const to = Math.min(h.end, end);
    if (to > from) out.push({ start: from - start, end: to - start });
  }
  return out;
}
