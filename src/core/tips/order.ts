/**
 * Deterministic per-channel order of the daily tips.
 *
 * Each channel walks through ALL tips in its own order before any tip repeats:
 * - day index = whole days from {@link TIP_EPOCH} to the channel's local date (negative before it);
 * - with `n` tips, cycle = floor(dayIndex / n) and position = dayIndex mod n;
 * - each cycle uses its own permutation: a Fisher–Yates shuffle driven by mulberry32, seeded with a
 *   32-bit hash of `"<seed>#<cycle>"` where the seed is the channel id ({@link DEFAULT_TIP_SEED} when
 *   there is no channel, e.g. the CLI);
 * - no back-to-back repeat across a cycle boundary: when a cycle's first tip equals the previous cycle's
 *   last tip, the first two tips of the new cycle are swapped (deterministic; with exactly 2 tips every
 *   cycle reuses cycle 0's order so the two simply alternate).
 *
 * So the tip for a (channel, local date) is a pure function of the tip list, the channel id and the
 * date: `/tip` shows the same tip the daily post shows or will show. Note: the order depends on the SET of
 * tip ids (they are sorted and de-duplicated first); adding or removing tips reshuffles future days.
 */
import { daysBetween } from '../schedule/time.ts';

/** Day 0 of the tip calendar (a local date). */
export const TIP_EPOCH = '2024-01-01';

/** The seed used when there is no channel (CLI, previews outside a channel). */
export const DEFAULT_TIP_SEED = 'zhenyan:default';

/** The tip of one day for one channel, see {@link tipForDay}. */
export interface TipOfDay {
  /** The chosen tip id (one of the given ids). */
  tipId: string;
  /** Days from {@link TIP_EPOCH} to the local date (negative before the epoch). */
  dayIndex: number;
  /** Which pass through the whole list this day belongs to: floor(dayIndex / n). */
  cycle: number;
  /** Position within the cycle's permutation, 0 … n-1. */
  position: number;
}

/** 32-bit FNV-1a over UTF-16 code units, followed by a murmur3-style finaliser. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The raw (unadjusted) permutation of 0 … n-1 for a seed and cycle. */
function rawPermutation(n: number, seed: string, cycle: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  const random = mulberry32(hashString(`${seed}#${cycle}`));
  for (let i = n - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    const tmp = order[i] as number;
    order[i] = order[j] as number;
    order[j] = tmp;
  }
  return order;
}

/**
 * The permutation of indices 0 … n-1 that cycle `cycle` walks for `seed`, after the cycle-boundary
 * adjustment (first element never equals the previous cycle's last element when n > 1).
 */
export function tipPermutation(n: number, seed: string, cycle: number): number[] {
  if (!Number.isInteger(n) || n < 0) throw new Error(`zhenyan: invalid tip count ${n}`);
  if (n <= 1) return n === 1 ? [0] : [];
  // With two tips, swapping the first two also changes the last, so the rule would chain back through
  // every earlier cycle; instead every cycle reuses cycle 0's order, which alternates by construction.
  if (n === 2) return rawPermutation(2, seed, 0);
  const order = rawPermutation(n, seed, cycle);
  // For n >= 3 the adjustment only touches positions 0 and 1, so the previous cycle's last element is
  // its raw last element.
  const previous = rawPermutation(n, seed, cycle - 1);
  if (order[0] === previous[n - 1]) {
    const tmp = order[0] as number;
    order[0] = order[1] as number;
    order[1] = tmp;
  }
  return order;
}

/** Sorted (by UTF-16 code units), de-duplicated copy of the ids. */
function normaliseIds(tipIds: readonly string[]): string[] {
  return [...new Set(tipIds)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The tip for `channelId` on `localDate` (`YYYY-MM-DD` in the channel's zone).
 *
 * @param tipIds every tip id; order and duplicates do not matter (the ids are sorted and de-duplicated)
 * @param channelId the channel (the seed of its order), or null for {@link DEFAULT_TIP_SEED}
 * @param localDate the channel's local date
 * @returns the tip and where it sits in the channel's walk, or null when `tipIds` is empty
 * @throws `zhenyan: invalid local date` for a malformed date
 */
export function tipForDay(tipIds: readonly string[], channelId: string | null, localDate: string): TipOfDay | null {
  const dayIndex = daysBetween(TIP_EPOCH, localDate);
  const ids = normaliseIds(tipIds);
  const n = ids.length;
  if (n === 0) return null;
  const cycle = Math.floor(dayIndex / n);
  const position = dayIndex - cycle * n;
  const seed = channelId ?? DEFAULT_TIP_SEED;
  const order = tipPermutation(n, seed, cycle);
  const tipId = ids[order[position] as number] as string;
  return { tipId, dayIndex, cycle, position };
}
