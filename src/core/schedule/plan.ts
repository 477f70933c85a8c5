/**
 * The pure planning of the daily tips: given a subscription, its posts-log row and the current instant,
 * what is due, what to re-send, what to verify first, what to skip or give up, and when the subscription
 * is due next. No timers, no storage, no network: the {@link DailyScheduler} does the I/O around these
 * decisions, and they are tested directly.
 *
 * Vocabulary: an *occurrence* is a subscription's daily post for one local date, due at the instant its
 * wall-clock time happens in its IANA zone ({@link zonedWallTimeToUtc}: a time skipped by DST posts at
 * the next valid minute, an ambiguous one at its first occurrence). Each subscription stores the
 * occurrence it waits for (`nextLocalDate`) and the instant it must be looked at next (`nextDueAt`: the
 * occurrence's due instant, or a retry instant while a transient failure is retried).
 */
import { addDays, nextRunAt, previousRunAt, zonedWallTimeToUtc } from './time.ts';

/** An occurrence: a local date and the UTC instant it is due. */
export interface Occurrence {
  /** The channel's local date, `YYYY-MM-DD`. */
  localDate: string;
  /** When it is due (UTC). */
  at: Date;
}

/** The schedule of a subscription, as far as planning needs it. */
export interface Schedule {
  /** Wall-clock time, `HH:MM`. */
  time: string;
  /** IANA zone. */
  timeZone: string;
  /** Occurrences due before this instant are never posted (creation, last change, resume). */
  activeFrom: Date;
}

/** The posts-log row of an occurrence, as far as planning needs it. */
export interface PostState {
  status: 'pending' | 'sent' | 'failed' | 'skipped';
  /** Send attempts started (0 for a row that never started a send). */
  attempts: number;
  /** When the row was created (the first claim of the occurrence). */
  claimedAt: Date;
  /** When the row last changed (the last attempt started or its outcome was recorded). */
  updatedAt: Date;
  /** Not before this instant (a transient failure's backoff), or null. */
  retryAt: Date | null;
}

/** Tuning of the planning rules. */
export interface PlanOptions {
  /** How late a missed occurrence may still be posted, and how long a pending row is re-sent, in ms. */
  graceMs: number;
  /**
   * How long Discord deduplicates a nonce, as far as we rely on it, in ms. A re-send whose previous
   * attempt started longer ago must first look for the message in the channel.
   */
  nonceWindowMs: number;
}

/**
 * What to do with a claimed occurrence:
 * - `send` — post it (attempt `attempt`; 1 for a first send). `verifyFirst`: an earlier attempt may have
 *   reached Discord longer ago than the nonce window, so look for the nonce in the channel before sending;
 * - `wait` — a retry time is still in the future (`until`);
 * - `done` — the occurrence already has a final row: just move on to the next one;
 * - `skip` — missed beyond the grace window (`reason`): record a `skipped` row and move on;
 * - `give-up` — a pending row unconfirmed for longer than the grace window: close it as `failed`.
 */
export type Decision =
  | { kind: 'send'; attempt: number; verifyFirst: boolean }
  | { kind: 'wait'; until: Date }
  | { kind: 'done' }
  | { kind: 'skip'; reason: string }
  | { kind: 'give-up'; reason: string };

const MINUTE = 60_000;
const minutes = (ms: number): number => Math.round(ms / MINUTE);

/** The due instant of the occurrence of `schedule` on `localDate`. */
export function occurrenceOn(schedule: Pick<Schedule, 'time' | 'timeZone'>, localDate: string): Occurrence {
  return { localDate, at: zonedWallTimeToUtc(localDate, schedule.time, schedule.timeZone) };
}

/**
 * The first occurrence a subscription waits for, seen at `now`: the most recent one (at or before now) if
 * it is not before `activeFrom` — so a restart catches up today's missed post, and an occurrence missed
 * long ago is planned as the latest one only — else the next one after now. A later time set the same day
 * still posts today (the claim finds today's row if it was already posted).
 */
export function firstOccurrence(schedule: Schedule, now: Date): Occurrence {
  const previous = previousRunAt(now, schedule.time, schedule.timeZone);
  if (previous.at.getTime() >= schedule.activeFrom.getTime()) return previous;
  const from = new Date(Math.max(now.getTime(), schedule.activeFrom.getTime()));
  return nextRunAt(from, schedule.time, schedule.timeZone);
}

/**
 * The occurrence after the one of `localDate` (the next local date's), but never one older than the most
 * recent occurrence at `now`: a subscription that fell behind (the bot was down for days) jumps to the
 * latest occurrence instead of walking through every missed day.
 */
export function occurrenceAfter(schedule: Schedule, localDate: string, now: Date): Occurrence {
  const following = occurrenceOn(schedule, addDays(localDate, 1));
  const latest = previousRunAt(now, schedule.time, schedule.timeZone);
  const candidate = latest.localDate > following.localDate ? latest : following;
  if (candidate.at.getTime() < schedule.activeFrom.getTime()) return firstOccurrence(schedule, now);
  return candidate;
}

/**
 * Whether the occurrence of `localDate` is superseded at `now`: a later occurrence (at or after
 * `activeFrom`) is already due, so this one is no longer the one to post or to record as missed.
 */
export function isSuperseded(schedule: Schedule, localDate: string, now: Date): boolean {
  const latest = previousRunAt(now, schedule.time, schedule.timeZone);
  return latest.localDate > localDate && latest.at.getTime() >= schedule.activeFrom.getTime();
}

/**
 * Decides what to do with the occurrence of `localDate` (due at `dueAt`), given its posts-log row (null
 * when none exists yet), at `now`. Pure.
 */
export function decide(occurrence: Occurrence, row: PostState | null, now: Date, options: PlanOptions): Decision {
  const nowMs = now.getTime();
  if (row === null) {
    const lateMs = nowMs - occurrence.at.getTime();
    if (lateMs > options.graceMs) {
      return {
        kind: 'skip',
        reason:
          `missed: due at ${occurrence.at.toISOString()}, now ${minutes(lateMs)} min late, ` +
          `beyond the ${minutes(options.graceMs)} min grace window`,
      };
    }
    return { kind: 'send', attempt: 1, verifyFirst: false };
  }
  if (row.status !== 'pending') return { kind: 'done' };
  const age = nowMs - row.claimedAt.getTime();
  if (age > options.graceMs) {
    return {
      kind: 'give-up',
      reason:
        `unconfirmed post claimed ${minutes(age)} min ago (beyond the ${minutes(options.graceMs)} min grace window); ` +
        'not re-sent to avoid a duplicate',
    };
  }
  if (row.retryAt !== null && row.retryAt.getTime() > nowMs) return { kind: 'wait', until: row.retryAt };
  // attempts = 0: the row was created but no send started (never reached Discord).
  const verifyFirst = row.attempts > 0 && nowMs - row.updatedAt.getTime() >= options.nonceWindowMs;
  return { kind: 'send', attempt: row.attempts + 1, verifyFirst };
}

/** What to do after a transient failure of attempt `attempt`: retry at an instant, or give up. */
export type RetryDecision = { kind: 'retry'; at: Date } | { kind: 'give-up'; reason: string };

/**
 * Exponential backoff after a transient failure: `retryDelayMs` doubling per attempt, at most
 * `maxRetryDelayMs`; given up when the retry would fall beyond the grace window from the first claim.
 */
export function afterTransientFailure(
  attempt: number,
  claimedAt: Date,
  now: Date,
  reason: string,
  options: { graceMs: number; retryDelayMs: number; maxRetryDelayMs: number },
): RetryDecision {
  const delay = Math.min(options.maxRetryDelayMs, options.retryDelayMs * 2 ** Math.min(20, Math.max(0, attempt - 1)));
  const at = now.getTime() + delay;
  if (at - claimedAt.getTime() > options.graceMs) {
    return { kind: 'give-up', reason: `gave up after ${attempt} attempt(s), grace window exhausted; last error: ${reason}` };
  }
  return { kind: 'retry', at: new Date(at) };
}

/** Whether a permanent failure that makes `consecutiveFailures` failed days pauses the subscription. */
export function pausesAfter(consecutiveFailures: number, maxConsecutiveFailures: number): boolean {
  return consecutiveFailures >= maxConsecutiveFailures;
}

/**
 * When to wake next: the earliest of the store's next due instant, the heartbeat, and (when something
 * is due but leased elsewhere) its lease expiry; never in the past, at most `maxTimerDelayMs` ahead.
 * Returns the instant, or null for "no timer" (nothing due and no heartbeat).
 */
export function nextWake(candidates: ReadonlyArray<Date | null>, now: Date, heartbeatMs: number): Date | null {
  let best = heartbeatMs > 0 ? now.getTime() + heartbeatMs : Infinity;
  for (const c of candidates) if (c !== null) best = Math.min(best, c.getTime());
  if (!Number.isFinite(best)) return null;
  return new Date(Math.max(best, now.getTime()));
}
