/** Random quotable passages, for `/random`. */
import type { Passage } from '../corpus/types.ts';
import type { QuoteIndex } from '../search/engine.ts';
import { scoreTip } from './select.ts';

/** What `/random` needs from the loaded corpus (`Library` satisfies it; see `TipSource` for why). */
export interface QuotableSource {
  readonly passages: readonly Passage[];
  readonly tipIds: readonly string[];
  readonly index: Pick<QuoteIndex, 'passage' | 'matchSpeakers'>;
}

/**
 * A random passage worth quoting, optionally by one speaker: drawn from the daily tips, or, when the
 * speaker has none, from their best-scoring passages. `random` returns a number in [0, 1).
 */
export function randomQuotable(
  library: QuotableSource,
  speaker: string | null,
  random: () => number,
): { passage: Passage | null; problem: 'unknown-speaker' | null } {
  let pool: Passage[];
  if (speaker && speaker.trim().length > 0) {
    const matches = library.index.matchSpeakers(speaker);
    if (matches.length === 0) return { passage: null, problem: 'unknown-speaker' };
    const keys = new Set(matches.map((m) => `${m.interviewId}#${m.speaker.id}`));
    const theirs = library.passages.filter((p) => keys.has(`${p.interviewId}#${p.speakerId ?? ''}`));
    const tips = new Set(library.tipIds);
    pool = theirs.filter((p) => tips.has(p.id));
    if (pool.length === 0) pool = bestByScore(theirs, 10);
  } else {
    pool = library.tipIds.map((id) => library.index.passage(id)).filter((p): p is Passage => p !== undefined);
  }
  if (pool.length === 0) return { passage: null, problem: null };
  return { passage: pool[Math.floor(random() * pool.length)] ?? null, problem: null };
}

/** The `n` passages with the highest tip score, best first (ties: corpus order). */
export function bestByScore(passages: readonly Passage[], n: number): Passage[] {
  return passages
    .map((passage, order) => ({ passage, order, score: scoreTip(passage, { maxChars: 400 }) }))
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, n)
    .map((entry) => entry.passage);
}
