/** The tip of the day for a channel: one function shared by the daily post, `/tip` and the CLI. */
import type { InterviewMeta, Passage, Speaker } from '../corpus/types.ts';
import type { QuoteIndex } from '../search/engine.ts';
import { tipForDay, type TipOfDay } from './order.ts';

/**
 * What the tip of the day needs from the loaded corpus (`Library` satisfies it). Declared here so the
 * parts of the core do not import `core/library.ts`, which assembles them.
 */
export interface TipSource {
  /** Ids of the tip passages, in passage order. */
  readonly tipIds: readonly string[];
  readonly index: Pick<QuoteIndex, 'passage' | 'describe'>;
}

/** A day's tip with everything needed to show it. */
export interface DailyTip extends TipOfDay {
  passage: Passage;
  interview: InterviewMeta;
  speaker: Speaker | null;
}

/**
 * The tip for `channelId` (null: the default order) on `localDate` (`YYYY-MM-DD`, the channel's
 * zone), or null when the corpus has no tips. Deterministic: the same inputs give the same tip.
 */
export function dailyTip(library: TipSource, channelId: string | null, localDate: string): DailyTip | null {
  const day = tipForDay(library.tipIds, channelId, localDate);
  if (!day) return null;
  const passage = library.index.passage(day.tipId);
  if (!passage) return null;
  return { ...day, ...library.index.describe(passage) };
}
