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
}

/** A search result: a {@link QuoteRecord} with its score. */
export interface ScoredQuoteRecord extends QuoteRecord {
  /** BM25 score, only comparable within one query. */
  score: number;
}

/** Builds the public record of a passage. */
export function toQuoteRecord(passage: Passage, interview: InterviewMeta, speaker: Speaker | null): QuoteRecord {
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
  };
}
