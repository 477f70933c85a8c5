/** The public, stable JSON shape of a quote (CLI `--json`, tips), built from domain objects. */
import type { InterviewMeta, Passage, Speaker } from '../corpus/types.ts';

/** A quote as other tools see it. Field names and types are a stable contract: add, never rename. */
export interface QuoteRecord {
  /** Passage id, stable across releases while the interview file keeps its paragraphs. */
  id: string;
  /** The passage, verbatim. */
  quote: string;
  /** The paragraphs around the passage, verbatim (null at the edges of the interview). */
  context: { before: string | null; after: string | null };
  /** The speaker's name, or null for narration. */
  speaker: string | null;
  /** The interview's original title. */
  title: string;
  publication: string | null;
  /** `YYYY-MM-DD` or null. */
  date: string | null;
  url: string | null;
  /** The interview id. */
  source: string;
  /**
   * The speaker's own words: `quote` without the narration around them (「张鑫心里有点打鼓:」, 「尤永康说。」),
   * verbatim; equal to `quote` when all of it is theirs.
   */
  words: string;
  /** The narration before and after `words` inside `quote`, or null when there is none. */
  narration: { before: string | null; after: string | null } | null;
  /** The question this passage answers (shortened, see {@link questionLine}), or null. */
  question: { id: string; speaker: string | null; text: string } | null;
}

/** A search result: a {@link QuoteRecord} with its score. */
export interface ScoredQuoteRecord extends QuoteRecord {
  /** BM25 score, only comparable within one query. */
  score: number;
}

/** A passage split into the speaker's own words and the narration around them (all verbatim slices). */
export interface QuoteParts {
  /** Narration before the words (「张鑫心里有点打鼓:“」 without the opening quote mark), or null. */
  before: string | null;
  /** The speaker's words: from the first quote span to the last, or the whole passage. */
  words: string;
  /** Where `words` starts in the passage text (UTF-16 offset), to shift highlights. */
  offset: number;
  /** Narration after the words (「尤永康说。」), or null. */
  after: string | null;
}

/** Opening and closing quotation marks that belong to the narration around a span, not to the words. */
const OPEN_MARKS = /[“"「『‘]+$/u;
const CLOSE_MARKS = /^[”"」』’]+/u;

/** Splits a passage into narration and the speaker's own words (see {@link QuoteParts}). */
export function quoteParts(passage: Pick<Passage, 'text' | 'quoteSpans'>): QuoteParts {
  const spans = passage.quoteSpans;
  if (!spans || spans.length === 0) return { before: null, words: passage.text, offset: 0, after: null };
  const text = passage.text;
  const start = spans[0]!.start;
  const end = spans[spans.length - 1]!.end;
  const before = text.slice(0, start).replace(OPEN_MARKS, '').trim();
  const after = text.slice(end).replace(CLOSE_MARKS, '').trim();
  const meaningful = (s: string): string | null => (/[\p{L}\p{N}]/u.test(s) ? s : null);
  return { before: meaningful(before), words: text.slice(start, end), offset: start, after: meaningful(after) };
}

/** Longest question line shown above an answer, in characters. */
export const QUESTION_LINE_CHARS = 60;

/**
 * The question a passage answers, as one short line: the last run of asking sentences of the question
 * passage (「请问TiDB开源软件的商业模式是什么?如何盈利?」), or its last sentence when none asks; the run's
 * first sentences are dropped while it is longer than `maxChars`, then it is cut with an ellipsis.
 */
export function questionLine(question: Pick<Passage, 'text'>, maxChars = QUESTION_LINE_CHARS): string {
  const sentences = (question.text.match(/[^。！？!?；]+[。！？!?；]*[”"」』）)]*/gu) ?? [question.text]).map((s) => s.trim()).filter(Boolean);
  const asks = (s: string): boolean => /[?？]/u.test(s);
  let end = sentences.length;
  while (end > 0 && !asks(sentences[end - 1]!)) end--;
  let run: string[];
  if (end === 0) run = sentences.slice(-1);
  else {
    let start = end - 1;
    while (start > 0 && asks(sentences[start - 1]!)) start--;
    run = sentences.slice(start, end);
  }
  while (run.length > 1 && Array.from(run.join('')).length > maxChars) run = run.slice(1);
  const chars = Array.from(run.join('') || question.text);
  return chars.length <= maxChars ? chars.join('') : `${chars.slice(0, maxChars - 1).join('')}…`;
}

/** Builds the public record of a passage; `question` is the question passage it answers, if any. */
export function toQuoteRecord(
  passage: Passage,
  interview: InterviewMeta,
  speaker: Speaker | null,
  question: { passage: Passage; speaker: string | null } | null = null,
): QuoteRecord {
  const parts = quoteParts(passage);
  return {
    id: passage.id,
    quote: passage.text,
    context: { before: passage.context.before, after: passage.context.after },
    speaker: speaker?.name ?? null,
    title: interview.title,
    publication: interview.publication,
    date: interview.date,
    url: interview.url,
    source: interview.id,
    words: parts.words,
    narration: parts.before === null && parts.after === null ? null : { before: parts.before, after: parts.after },
    question: question ? { id: question.passage.id, speaker: question.speaker, text: questionLine(question.passage) } : null,
  };
}
