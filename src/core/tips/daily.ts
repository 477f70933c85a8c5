/** The tip of the day for a channel: one function shared by the daily post, `/tip` and the CLI. */
import type { InterviewMeta, Passage, Speaker } from '../corpus/types.ts';
import type { Library } from '../library.ts';
import { tipForDay, type TipOfDay } from './order.ts';

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
export function dailyTip(library: Library, channelId: string | null, localDate: string): DailyTip | null {
  const day = tipForDay(library.tipIds, channelId, localDate);
  if (!day) return null;
  const passage = library.index.passage(day.tipId);
  if (!passage) return null;
  return { ...day, ...library.index.describe(passage) };
}
