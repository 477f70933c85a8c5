/**
 * Cuts curated interviews into passages, the unit of search: one paragraph, or a run of whole sentences of
 * a long paragraph. Passage ids are stable as long as the paragraph order of an interview does not change.
 */
import type { Interview, Passage } from './types.ts';

/** Options of {@link buildPassages}. */
export interface PassageOptions {
  /** Paragraphs shorter than this (in characters) are context only, never passages. Default 12. */
  minChars?: number;
  /** Paragraphs longer than this are split into runs of whole sentences of at most this length. Default 300. */
  maxChars?: number;
}

/** Default of {@link PassageOptions.minChars}. */
export const DEFAULT_MIN_CHARS = 12;
/** Default of {@link PassageOptions.maxChars}. */
export const DEFAULT_MAX_CHARS = 300;

/**
 * Where sentences end: a run of Chinese or ASCII terminators (。！？!?；… and their repetitions), or an ASCII
 * period followed by whitespace; closing quotes and brackets right after the terminator stay with it.
 */
const SENTENCE_END = /(?:[。！？!?；…]+|\.(?=\s))[”’」』）)】"']*\s*/gu;

/** Length in Unicode code points (a CJK character counts 1). */
export function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** A sentence as a half-open range of a paragraph's UTF-16 offsets, whitespace around it excluded. */
interface Span {
  start: number;
  end: number;
}

/** The sentences of `text` as ranges, never cut inside a sentence. */
function sentenceSpans(text: string): Span[] {
  const spans: Span[] = [];
  const push = (from: number, to: number): void => {
    const slice = text.slice(from, to);
    const lead = slice.length - slice.trimStart().length;
    const trail = slice.length - slice.trimEnd().length;
    if (slice.trim() !== '') spans.push({ start: from + lead, end: to - trail });
  };
  let start = 0;
  for (const m of text.matchAll(SENTENCE_END)) {
    const end = m.index + m[0].length;
    push(start, end);
    start = end;
  }
  push(start, text.length);
  return spans;
}

/** Splits text into sentences (trimmed), never inside one. */
export function splitSentences(text: string): string[] {
  return sentenceSpans(text).map((s) => text.slice(s.start, s.end));
}

/**
 * Groups sentences into runs of at most `maxChars` (a longer single sentence stays whole). A run is also
 * closed once it reaches `target`, which keeps the runs of one paragraph of similar length. Each run is
 * the verbatim slice of the paragraph from its first sentence to its last.
 */
function fill(text: string, spans: Span[], maxChars: number, target: number): string[] {
  const parts: string[] = [];
  let first: Span | null = null;
  let last: Span | null = null;
  for (const span of spans) {
    if (first !== null && last !== null) {
      const current = charLength(text.slice(first.start, last.end));
      if (charLength(text.slice(first.start, span.end)) > maxChars || current >= target) {
        parts.push(text.slice(first.start, last.end));
        first = null;
      }
    }
    first ??= span;
    last = span;
  }
  if (first !== null && last !== null) parts.push(text.slice(first.start, last.end));
  return parts;
}

/** Splits a long paragraph into balanced runs of whole sentences. */
function splitParagraph(text: string, maxChars: number): string[] {
  const spans = sentenceSpans(text);
  const greedy = fill(text, spans, maxChars, Infinity);
  if (greedy.length <= 1) return [text];
  const balanced = fill(text, spans, maxChars, Math.ceil(charLength(text) / greedy.length));
  return balanced.length <= greedy.length ? balanced : greedy;
}

/**
 * Builds the passages of interviews.
 *
 * Each paragraph of at least `minChars` characters gives one passage `<interview id>#<paragraph index>`;
 * a paragraph longer than `maxChars` gives runs of whole sentences `<interview id>#<index>.<part>` (parts
 * from 1). Shorter paragraphs (「尤永康说。」) are no passage but still serve as context.
 *
 * @param interviews - parsed interviews.
 * @param options - length thresholds, see {@link PassageOptions}.
 * @returns passages in interview order, then reading order.
 */
export function buildPassages(interviews: Interview[], options: PassageOptions = {}): Passage[] {
  const minChars = options.minChars ?? DEFAULT_MIN_CHARS;
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const passages: Passage[] = [];
  for (const interview of interviews) {
    const names = new Map(interview.speakers.map((s) => [s.id, s.name]));
    const paragraphs: { text: string; speakerId: string | null; section: string | null }[] = [];
    let section: string | null = null;
    for (const block of interview.body) {
      if (block.type === 'heading') section = block.text;
      else paragraphs.push({ text: block.text, speakerId: block.speakerId, section });
    }
    paragraphs.forEach((p, index) => {
      if (charLength(p.text) < minChars) return;
      const parts = charLength(p.text) > maxChars ? splitParagraph(p.text, maxChars) : [p.text];
      const context = { before: paragraphs[index - 1]?.text ?? null, after: paragraphs[index + 1]?.text ?? null };
      parts.forEach((text, i) => {
        passages.push({
          id: parts.length === 1 ? `${interview.id}#${index}` : `${interview.id}#${index}.${i + 1}`,
          text,
          speakerId: p.speakerId,
          speakerName: p.speakerId === null ? null : (names.get(p.speakerId) ?? null),
          interviewId: interview.id,
          paragraphIndex: index,
          section: p.section,
          context: { ...context },
        });
      });
    });
  }
  return passages;
}
