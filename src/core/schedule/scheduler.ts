/**
 * The daily-tip scheduler: decides when each subscribed channel gets its daily tip and drives the
 * posting through an injected `post` function (the Discord adapter), recording everything in the posts
 * log of the {@link SubscriptionStore}. Free of discord.js.
 *
 * Guarantees and rules:
 * - **At most one post per channel and local date.** The intent is recorded first (`pending` row, under
 *   `UNIQUE (channel_id, local_date)`), then the message is sent with a deterministic nonce
 *   ({@link postNonce}; the adapter must send it with `enforce_nonce: true` so Discord drops a retried
 *   duplicate), then the row is marked `sent`. A `pending` row found later (the process died mid-post, a
 *   transient failure, a timeout) is re-sent with the SAME nonce and tip. Limitation: Discord only
 *   deduplicates a nonce for a few minutes, so a re-send long after a crash that happened just after
 *   Discord accepted the message can still duplicate it; the grace window bounds how late that can be.
 * - **When.** Each subscription is due at its wall-clock time in its zone (DST handled by
 *   `zonedWallTimeToUtc`: a nonexistent time posts at the next valid minute, an ambiguous one at the
 *   first occurrence). A run posts, for every active subscription of an owned guild, the most recent due
 *   occurrence (today's, or yesterday's shortly after midnight) that has no posts-log row yet.
 * - **Grace window** (`graceMs`, default 6 hours): an occurrence missed by more than the grace (the bot
 *   was down) is not posted late; a `skipped` row with the reason is recorded and logged. Within the
 *   grace it is caught up at start-up or at the next run. Pending rows older than the grace are given up
 *   (`failed`, not re-sent) because a late re-send could duplicate.
 * - **Not due before it existed.** An occurrence whose due instant is before the subscription's
 *   `activeFrom` (creation, last change, or resume) is never posted: subscribing at 10:00 for 09:00
 *   starts tomorrow.
 * - **Failures.** Transient ones (`permanent: false`, thrown errors, timeouts) keep the row `pending`
 *   and are retried with exponential backoff (`retryDelayMs`, doubling, at most 1 hour) until the grace
 *   window from the claim runs out. Permanent ones (missing channel or permission) close the date as
 *   `failed`, are recorded on the subscription (`lastError`, `consecutiveFailures` counted once per
 *   local date), and the subscription is paused (`failures`) once `maxConsecutiveFailures` (default 3)
 *   consecutive days failed. A successful post resets the count.
 * - **Never silent.** Every post, failure and skip is logged with its reason; each run logs a summary;
 *   a timer callback never throws (errors are logged and the timer re-armed), and a heartbeat timer
 *   (`heartbeatMs`, default 15 minutes) re-checks even if no subscription is due.
 * - **Shards.** Only guilds for which `ownsGuild(guildId)` is true are posted or reconciled.
 */
import { createHash } from 'node:crypto';
import type { ClaimResult, PostRecord, Subscription, SubscriptionStore } from '../store/subscriptions.ts';
import { nextRunAt, previousRunAt } from './time.ts';

/** A pino-compatible logger (a pino `Logger` fits). Objects first, message second. */
export interface SchedulerLogger {
  /** Routine detail (not-due, already posted, not owned). */
  debug(obj: object, msg?: string): void;
  /** Posts, catch-ups, notable skips, run summaries. */
  info(obj: object, msg?: string): void;
  /** Failures that will be retried or counted. */
  warn(obj: object, msg?: string): void;
  /** Give-ups, pauses, storage errors, unexpected errors. */
  error(obj: object, msg?: string): void;
}

/** The clock the scheduler reads. */
export interface SchedulerClock {
  /** The current instant. */
  now(): Date;
}

/** What the adapter must post. */
export interface PostRequest {
  /** The guild id. */
  guildId: string;
  /** The channel to post in. */
  channelId: string;
  /** The tip (passage id) to post. */
  tipId: string;
  /** The channel's local date the post is for, `YYYY-MM-DD`. */
  localDate: string;
  /** Deterministic message nonce (≤ 25 chars): send it with `enforce_nonce: true`. Same on every re-send. */
  nonce: string;
  /** Role to mention, or null. */
  mentionRoleId: string | null;
  /**
   * 1 for the first send of this date, 2+ for re-sends (after a crash, timeout or transient failure).
   * Discord only deduplicates a nonce for a few minutes, so for attempt > 1 the adapter may first look
   * for an existing message (e.g. the bot's recent messages in the channel carrying this date's tip)
   * and report it as `{ ok: true, messageId }` instead of sending again.
   */
  attempt: number;
}

/**
 * What the adapter reports. `permanent: true` for errors that retrying will not fix today (unknown
 * channel, missing access or permission); `permanent: false` for transient ones it already retried with
 * backoff (rate limit, 5xx, network). When unsure whether the message was created, report transient:
 * the re-send uses the same nonce.
 */
export type PostResult = { ok: true; messageId: string } | { ok: false; permanent: boolean; reason: string };

/** The tip chosen for a channel and date (e.g. `tipForDay`'s result); only `tipId` is used. */
export interface TipChoice {
  /** The tip (passage) id. */
  tipId: string;
}

/** Timer handle as returned by `setTimer`. */
export type TimerHandle = unknown;

/** The store operations the scheduler uses (a {@link SubscriptionStore} fits). */
export type SchedulerStore = Pick<
  SubscriptionStore,
  | 'listSubscriptions'
  | 'getSubscription'
  | 'getPost'
  | 'claimPost'
  | 'recordSkip'
  | 'beginAttempt'
  | 'markPostSent'
  | 'markPostFailed'
  | 'markPostSkipped'
  | 'pendingPosts'
  | 'recordFailure'
  | 'noteError'
  | 'transaction'
>;

/** Dependencies and options of {@link DailyScheduler}. */
export interface DailySchedulerOptions {
  /** Subscriptions and posts log. */
  store: SchedulerStore;
  /** Chooses the tip for a channel and local date (null: nothing to post, logged and retried later). */
  pickTip: (channelId: string, localDate: string) => TipChoice | null;
  /** Posts a tip (the Discord adapter). Should retry transient errors itself; may throw (treated as transient). */
  post: (request: PostRequest) => Promise<PostResult>;
  /** Structured logger (pino-compatible). */
  logger: SchedulerLogger;
  /** Clock. Default: the system clock. */
  clock?: SchedulerClock;
  /** Arms a timer. Default: `setTimeout`. Delays passed are at most `maxTimerDelayMs`. */
  setTimer?: (callback: () => void, delayMs: number) => TimerHandle;
  /** Cancels a timer from `setTimer`. Default: `clearTimeout`. */
  clearTimer?: (handle: TimerHandle) => void;
  /** Whether this process (shard) posts for a guild. Default: always true. */
  ownsGuild?: (guildId: string) => boolean;
  /** How late a missed occurrence may still be posted, in ms (0 … 24 h). Default 6 hours. */
  graceMs?: number;
  /** Consecutive days with a permanent failure after which a subscription is paused. Default 3. */
  maxConsecutiveFailures?: number;
  /** First retry delay after a transient failure, in ms; doubles per attempt, at most 1 hour. Default 5 minutes. */
  retryDelayMs?: number;
  /** A post still unresolved after this many ms is treated as a transient failure (0: never). Default 5 minutes. */
  postTimeoutMs?: number;
  /** Wake-up at least this often, in ms, even if nothing is due (0: never). Default 15 minutes. */
  heartbeatMs?: number;
  /** Longest single timer delay; longer waits re-arm in steps. Default 2^31-1 ms (the `setTimeout` limit). */
  maxTimerDelayMs?: number;
  /** Delay before retrying after a run failed (e.g. the database was unavailable), in ms. Default 60 s. */
  errorRetryMs?: number;
  /** How many posts are sent concurrently. Default 4. */
  concurrency?: number;
  /**
   * A `pending` row touched (claimed or attempted) less than this many ms ago is assumed to be in flight
   * in another process and is not re-sent yet (a restart right after a crash waits at most this long).
   * Keep it well under Discord's nonce window (a few minutes). Default 60 s.
   */
  leaseMs?: number;
}

/** Why an occurrence was skipped (see {@link RunEvent}). */
export type SkipReason =
  | 'paused'
  | 'not-owned'
  | 'beyond-grace'
  | 'no-tip'
  | 'unsubscribed'
  | 'claimed-elsewhere';

/** One thing a run did. */
export interface RunEvent {
  /** The channel id. */
  channelId: string;
  /** The guild id, when known. */
  guildId: string | null;
  /** The local date concerned, when known. */
  localDate: string | null;
  /** Outcome. */
  outcome: 'posted' | 'retry' | 'failed' | 'skipped';
  /** For `skipped`: why. */
  skipReason?: SkipReason;
  /** Human-readable detail (error text, skip reason). */
  reason?: string;
  /** For `posted`: the Discord message id. */
  messageId?: string;
  /** For `failed`: whether the subscription got paused by this failure. */
  paused?: boolean;
}

/** Result of {@link DailyScheduler.runDue}. */
export interface RunSummary {
  /** The instant the run was for. */
  at: Date;
  /** Posts confirmed (first sends and re-sends of pending rows). */
  posted: RunEvent[];
  /** Failures (permanent, give-ups, storage errors) and transient failures scheduled for retry (`outcome: 'retry'`). */
  failed: RunEvent[];
  /** Occurrences skipped, with the reason. Paused and not-owned subscriptions are included. */
  skipped: RunEvent[];
  /** Subscriptions with nothing to do (not due yet, already handled, or subscribed after the due time). */
  upToDate: number;
}

/** A subscription's next run, for status displays. */
export interface ScheduledRun {
  /** The guild id. */
  guildId: string;
  /** The channel id. */
  channelId: string;
  /** `HH:MM`. */
  time: string;
  /** IANA zone. */
  timeZone: string;
  /** `scheduled`, or why it will not run. */
  state: 'scheduled' | 'paused' | 'not-owned' | 'invalid';
  /** The next occurrence strictly after now (also given when paused, for display), or null if invalid. */
  at: Date | null;
  /** The local date of that occurrence, or null. */
  localDate: string | null;
  /** Pause reason when paused. */
  pauseReason: Subscription['pauseReason'];
  /** Last error, or null. */
  lastError: string | null;
  /** Consecutive failed days. */
  consecutiveFailures: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const MAX_RETRY_DELAY = HOUR;
const MAX_TIMEOUT = 2 ** 31 - 1;

/**
 * The deterministic Discord message nonce for a channel's post of a local date: `zy` + the date's 8
 * digits + 15 hex digits of SHA-256(`channelId:localDate`) — exactly 25 characters, Discord's maximum.
 */
export function postNonce(channelId: string, localDate: string): string {
  const digest = createHash('sha256').update(`${channelId}:${localDate}`).digest('hex');
  return `zy${localDate.replace(/-/g, '')}${digest.slice(0, 15)}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface SendJob {
  sub: Subscription;
  localDate: string;
  tipId: string;
  nonce: string;
  claimedAt: Date;
  /** For a re-send: the row's attempts when read (compare-and-swap); null for a fresh claim. */
  expectedAttempts: number | null;
  dueAt: Date | null;
}

function ms(value: number | undefined, fallback: number, name: string, max = Number.MAX_SAFE_INTEGER): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0 || v > max) throw new Error(`zhenyan: scheduler option ${name} must be between 0 and ${max} (got ${v})`);
  return v;
}

/** Posts the daily tips on time, once per channel and local date. See the module comment for the rules. */
export class DailyScheduler {
  private readonly store: SchedulerStore;
  private readonly pickTip: DailySchedulerOptions['pickTip'];
  private readonly post: DailySchedulerOptions['post'];
  private readonly logger: SchedulerLogger;
  private readonly clock: SchedulerClock;
  private readonly setTimer: (callback: () => void, delayMs: number) => TimerHandle;
  private readonly clearTimer: (handle: TimerHandle) => void;
  private readonly ownsGuild: (guildId: string) => boolean;
  /** The grace window in ms (see {@link DailySchedulerOptions.graceMs}). */
  readonly graceMs: number;
  /** Consecutive failed days before pausing (see {@link DailySchedulerOptions.maxConsecutiveFailures}). */
  readonly maxConsecutiveFailures: number;
  private readonly retryDelayMs: number;
  private readonly postTimeoutMs: number;
  private readonly heartbeatMs: number;
  private readonly maxTimerDelayMs: number;
  private readonly errorRetryMs: number;
  private readonly concurrency: number;
  private readonly leaseMs: number;

  private started = false;
  private stopped = false;
  private timer: TimerHandle | null = null;
  private wakeAt: Date | null = null;
  private readonly inFlight = new Set<string>();
  private readonly active = new Set<Promise<unknown>>();
  private readonly timeouts = new Set<TimerHandle>();

  /** @param options dependencies and options, see {@link DailySchedulerOptions} */
  constructor(options: DailySchedulerOptions) {
    this.store = options.store;
    this.pickTip = options.pickTip;
    this.post = options.post;
    this.logger = options.logger;
    this.clock = options.clock ?? { now: () => new Date() };
    this.setTimer = options.setTimer ?? ((callback, delayMs) => setTimeout(callback, delayMs));
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.ownsGuild = options.ownsGuild ?? (() => true);
    this.graceMs = ms(options.graceMs, 6 * HOUR, 'graceMs', 24 * HOUR);
    const maxFailures = options.maxConsecutiveFailures ?? 3;
    if (!Number.isInteger(maxFailures) || maxFailures < 1) {
      throw new Error(`zhenyan: scheduler option maxConsecutiveFailures must be an integer >= 1 (got ${maxFailures})`);
    }
    this.maxConsecutiveFailures = maxFailures;
    this.retryDelayMs = Math.max(1000, ms(options.retryDelayMs, 5 * MINUTE, 'retryDelayMs'));
    this.postTimeoutMs = ms(options.postTimeoutMs, 5 * MINUTE, 'postTimeoutMs');
    this.heartbeatMs = ms(options.heartbeatMs, 15 * MINUTE, 'heartbeatMs');
    this.maxTimerDelayMs = Math.max(1, Math.min(MAX_TIMEOUT, ms(options.maxTimerDelayMs, MAX_TIMEOUT, 'maxTimerDelayMs')));
    this.errorRetryMs = Math.max(1, ms(options.errorRetryMs, MINUTE, 'errorRetryMs'));
    const concurrency = options.concurrency ?? 4;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`zhenyan: scheduler option concurrency must be an integer >= 1`);
    this.concurrency = concurrency;
    this.leaseMs = ms(options.leaseMs, MINUTE, 'leaseMs');
  }

  /**
   * Starts: reconciles pending posts (re-sends them with their nonce), catches up occurrences due within
   * the grace window, records older missed ones as skipped, and arms the timer. Never rejects: a failed
   * first run is logged and retried after `errorRetryMs`. Calling it again just runs again.
   */
  async start(): Promise<RunSummary> {
    this.started = true;
    this.stopped = false;
    this.logger.info(
      { graceMs: this.graceMs, maxConsecutiveFailures: this.maxConsecutiveFailures, heartbeatMs: this.heartbeatMs },
      'daily scheduler started',
    );
    return this.safeRun();
  }

  /**
   * Stops arming timers (the pending timer and post timeouts are cleared). Posts already in flight
   * complete and are recorded.
   */
  stop(): void {
    this.stopped = true;
    this.started = false;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.wakeAt = null;
    for (const handle of this.timeouts) this.clearTimer(handle);
    this.timeouts.clear();
    this.logger.info({}, 'daily scheduler stopped');
  }

  /**
   * Call after subscriptions were added, changed, removed, paused or resumed: runs what is due and
   * re-arms. A no-op before {@link start} (or after {@link stop}). Never rejects.
   */
  async onSubscriptionsChanged(): Promise<void> {
    if (!this.started) return;
    await this.safeRun();
  }

  /** When the armed timer will fire (null when none is armed). */
  nextWakeAt(): Date | null {
    return this.wakeAt;
  }

  /** Resolves when no run and no post of this scheduler is in progress. */
  async idle(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active]);
  }

  /**
   * The next run of every subscription (of `guildId` if given), soonest first, for status displays.
   * @throws StorageError when the store cannot be read
   */
  nextRuns(guildId?: string): ScheduledRun[] {
    const now = this.clock.now();
    const after = new Date(now.getTime() + 1);
    const runs = this.store.listSubscriptions(guildId).map((sub): ScheduledRun => {
      let at: Date | null = null;
      let localDate: string | null = null;
      try {
        const next = nextRunAt(after, sub.time, sub.timeZone);
        at = next.at;
        localDate = next.localDate;
      } catch {
        // invalid stored schedule: reported as state 'invalid'
      }
      const state: ScheduledRun['state'] =
        at === null ? 'invalid' : sub.pausedAt ? 'paused' : !this.ownsGuild(sub.guildId) ? 'not-owned' : 'scheduled';
      return {
        guildId: sub.guildId,
        channelId: sub.channelId,
        time: sub.time,
        timeZone: sub.timeZone,
        state,
        at,
        localDate,
        pauseReason: sub.pauseReason,
        lastError: sub.lastError,
        consecutiveFailures: sub.consecutiveFailures,
      };
    });
    return runs.sort((a, b) => (a.at?.getTime() ?? Infinity) - (b.at?.getTime() ?? Infinity) || (a.channelId < b.channelId ? -1 : 1));
  }

  /**
   * One run at instant `now` (default: the clock): re-sends pending rows (crash or transient failure,
   * same nonce), then posts every due, unposted occurrence within the grace window, records the ones
   * beyond it as skipped, waits for the posts to finish, and logs a summary. Re-arms the timer when
   * started. Overlapping runs are safe (a (channel, date) is never sent twice concurrently).
   *
   * @throws StorageError when the store cannot be read at all (per-post storage errors are reported in
   * the summary instead)
   */
  async runDue(now: Date = this.clock.now()): Promise<RunSummary> {
    const run = this.runOnce(now);
    this.track(run);
    return run;
  }

  private track(promise: Promise<unknown>): void {
    const tracked = promise.then(
      () => undefined,
      () => undefined,
    );
    this.active.add(tracked);
    void tracked.then(() => this.active.delete(tracked));
  }

  /** runDue that never rejects: errors are logged and a retry armed. */
  private async safeRun(): Promise<RunSummary> {
    const now = this.clock.now();
    try {
      return await this.runDue(now);
    } catch (error) {
      this.logger.error({ err: error, retryInMs: this.errorRetryMs }, 'daily run failed; will retry');
      this.armAt(this.clock.now().getTime() + this.errorRetryMs);
      return { at: now, posted: [], failed: [], skipped: [], upToDate: 0 };
    }
  }

  private async runOnce(now: Date): Promise<RunSummary> {
    const summary: RunSummary = { at: now, posted: [], failed: [], skipped: [], upToDate: 0 };
    const jobs: SendJob[] = [];
    const planned = new Set<string>();
    this.planPending(now, summary, jobs, planned);
    for (const sub of this.store.listSubscriptions()) {
      try {
        this.planSubscription(sub, now, summary, jobs, planned);
      } catch (error) {
        const event: RunEvent = {
          channelId: sub.channelId,
          guildId: sub.guildId,
          localDate: null,
          outcome: 'failed',
          reason: `could not plan the post: ${errorText(error)}`,
        };
        summary.failed.push(event);
        this.logger.error({ ...event, err: error }, 'daily tip not posted: planning failed');
      }
    }
    this.arm();
    await this.runPool(jobs.map((job) => () => this.send(job, summary)));
    this.arm();
    const skipCounts: Partial<Record<SkipReason, number>> = {};
    for (const event of summary.skipped) if (event.skipReason) skipCounts[event.skipReason] = (skipCounts[event.skipReason] ?? 0) + 1;
    const notable =
      summary.posted.length > 0 ||
      summary.failed.length > 0 ||
      summary.skipped.some((e) => e.skipReason !== 'paused' && e.skipReason !== 'not-owned');
    const fields = {
      at: now.toISOString(),
      posted: summary.posted.length,
      failed: summary.failed.filter((e) => e.outcome === 'failed').length,
      retrying: summary.failed.filter((e) => e.outcome === 'retry').length,
      skipped: skipCounts,
      upToDate: summary.upToDate,
      nextWakeAt: this.wakeAt?.toISOString() ?? null,
    };
    if (notable) this.logger.info(fields, 'daily run finished');
    else this.logger.debug(fields, 'daily run finished');
    return summary;
  }

  /** Pending rows: crash mid-post, transient failures awaiting retry, or posts in flight elsewhere. */
  private planPending(now: Date, summary: RunSummary, jobs: SendJob[], planned: Set<string>): void {
    for (const row of this.store.pendingPosts()) {
      const key = `${row.channelId}|${row.localDate}`;
      if (this.inFlight.has(key)) continue;
      try {
        this.planPendingRow(row, now, summary, jobs, planned, key);
      } catch (error) {
        const event: RunEvent = {
          channelId: row.channelId,
          guildId: row.guildId,
          localDate: row.localDate,
          outcome: 'failed',
          reason: `could not reconcile the pending post: ${errorText(error)}`,
        };
        summary.failed.push(event);
        this.logger.error({ ...event, err: error }, 'pending daily post not reconciled');
      }
    }
  }

  private planPendingRow(row: PostRecord, now: Date, summary: RunSummary, jobs: SendJob[], planned: Set<string>, key: string): void {
    const sub = this.store.getSubscription(row.channelId);
    const guildId = sub?.guildId ?? row.guildId;
    if (guildId !== null && !this.ownsGuild(guildId)) {
      summary.skipped.push({ channelId: row.channelId, guildId, localDate: row.localDate, outcome: 'skipped', skipReason: 'not-owned' });
      return;
    }
    const base = { channelId: row.channelId, guildId, localDate: row.localDate, nonce: row.nonce, tipId: row.tipId };
    if (!sub || row.tipId === null) {
      const reason = 'the channel unsubscribed before the pending post was confirmed; not re-sent';
      this.store.markPostSkipped(row.channelId, row.localDate, reason);
      summary.skipped.push({ ...base, outcome: 'skipped', skipReason: 'unsubscribed', reason });
      this.logger.warn({ ...base, reason }, 'pending daily post dropped');
      return;
    }
    if (sub.pausedAt) {
      const reason = `the subscription was paused (${sub.pauseReason}) before the pending post was confirmed; not re-sent`;
      this.store.markPostSkipped(row.channelId, row.localDate, reason);
      summary.skipped.push({ ...base, outcome: 'skipped', skipReason: 'paused', reason });
      this.logger.warn({ ...base, reason }, 'pending daily post dropped');
      return;
    }
    const age = now.getTime() - row.claimedAt.getTime();
    if (age > this.graceMs) {
      const reason =
        `unconfirmed post claimed ${Math.round(age / MINUTE)} min ago (beyond the ${Math.round(this.graceMs / MINUTE)} min grace window); ` +
        `not re-sent to avoid a duplicate${row.error ? `; last error: ${row.error}` : ''}`;
      this.store.transaction(() => {
        this.store.markPostFailed(row.channelId, row.localDate, reason, { permanent: true });
        this.store.noteError(row.channelId, reason);
      });
      const event: RunEvent = { ...base, outcome: 'failed', reason };
      summary.failed.push(event);
      this.logger.error({ ...base, attempts: row.attempts, reason }, 'daily post given up');
      return;
    }
    if (row.retryAt && row.retryAt.getTime() > now.getTime()) {
      summary.upToDate += 1;
      this.logger.debug({ ...base, retryAt: row.retryAt.toISOString() }, 'pending daily post waits for its retry time');
      return;
    }
    if (now.getTime() - row.updatedAt.getTime() < this.leaseMs) {
      summary.upToDate += 1;
      this.logger.debug(
        { ...base, leaseUntil: new Date(row.updatedAt.getTime() + this.leaseMs).toISOString() },
        'pending daily post was just attempted (maybe by another process); re-checked when its lease expires',
      );
      return;
    }
    planned.add(key);
    this.inFlight.add(key);
    jobs.push({
      sub,
      localDate: row.localDate,
      tipId: row.tipId,
      nonce: row.nonce,
      claimedAt: row.claimedAt,
      expectedAttempts: row.attempts,
      dueAt: null,
    });
    this.logger.info({ ...base, attempts: row.attempts, lastError: row.error }, 're-sending pending daily post with the same nonce');
  }

  private planSubscription(sub: Subscription, now: Date, summary: RunSummary, jobs: SendJob[], planned: Set<string>): void {
    const base = { channelId: sub.channelId, guildId: sub.guildId };
    if (sub.pausedAt) {
      summary.skipped.push({ ...base, localDate: null, outcome: 'skipped', skipReason: 'paused', reason: `paused: ${sub.pauseReason}` });
      this.logger.debug({ ...base, pauseReason: sub.pauseReason }, 'daily tip skipped: subscription paused');
      return;
    }
    if (!this.ownsGuild(sub.guildId)) {
      summary.skipped.push({ ...base, localDate: null, outcome: 'skipped', skipReason: 'not-owned' });
      this.logger.debug(base, 'daily tip skipped: guild not owned by this shard');
      return;
    }
    const due = previousRunAt(now, sub.time, sub.timeZone);
    const key = `${sub.channelId}|${due.localDate}`;
    if (due.at.getTime() < sub.activeFrom.getTime() || planned.has(key) || this.inFlight.has(key)) {
      summary.upToDate += 1;
      return;
    }
    const row = this.store.getPost(sub.channelId, due.localDate);
    if (row) {
      summary.upToDate += 1;
      return;
    }
    const nonce = postNonce(sub.channelId, due.localDate);
    const lateMs = now.getTime() - due.at.getTime();
    if (lateMs > this.graceMs) {
      const reason =
        `missed: due at ${due.at.toISOString()} (${sub.time} ${sub.timeZone}), now ${Math.round(lateMs / MINUTE)} min late, ` +
        `beyond the ${Math.round(this.graceMs / MINUTE)} min grace window`;
      if (this.store.recordSkip(sub.channelId, due.localDate, nonce, reason, { guildId: sub.guildId })) {
        summary.skipped.push({ ...base, localDate: due.localDate, outcome: 'skipped', skipReason: 'beyond-grace', reason });
        this.logger.warn({ ...base, localDate: due.localDate, reason }, 'daily tip skipped: beyond the grace window');
      } else {
        summary.upToDate += 1;
      }
      return;
    }
    const tip = this.pickTip(sub.channelId, due.localDate);
    if (!tip) {
      const reason = 'no tip available (empty tip list); will try again at the next run';
      summary.skipped.push({ ...base, localDate: due.localDate, outcome: 'skipped', skipReason: 'no-tip', reason });
      this.logger.warn({ ...base, localDate: due.localDate }, 'daily tip skipped: no tip available');
      return;
    }
    const claim: ClaimResult = this.store.claimPost(sub.channelId, due.localDate, tip.tipId, nonce, { guildId: sub.guildId });
    if (claim !== 'claimed') {
      // Another process claimed it between our read and our write; its row is handled there (or reconciled).
      summary.skipped.push({ ...base, localDate: due.localDate, outcome: 'skipped', skipReason: 'claimed-elsewhere', reason: claim });
      this.logger.debug({ ...base, localDate: due.localDate, claim }, 'daily tip already claimed elsewhere');
      return;
    }
    planned.add(key);
    this.inFlight.add(key);
    jobs.push({ sub, localDate: due.localDate, tipId: tip.tipId, nonce, claimedAt: now, expectedAttempts: null, dueAt: due.at });
    if (lateMs > MINUTE) {
      this.logger.info({ ...base, localDate: due.localDate, lateMin: Math.round(lateMs / MINUTE) }, 'catching up a missed daily tip within the grace window');
    }
  }

  private async runPool(tasks: Array<() => Promise<void>>): Promise<void> {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < tasks.length) {
        const task = tasks[next];
        next += 1;
        if (task) await task();
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, tasks.length) }, () => worker()));
  }

  /** Calls `post` with a timeout; never rejects. */
  private callPost(request: PostRequest, onLateResult: (result: PostResult) => void): Promise<PostResult> {
    let settled = false;
    return new Promise<PostResult>((resolve) => {
      let handle: TimerHandle | null = null;
      const finish = (result: PostResult): void => {
        if (settled) return;
        settled = true;
        if (handle !== null) {
          this.clearTimer(handle);
          this.timeouts.delete(handle);
        }
        resolve(result);
      };
      if (this.postTimeoutMs > 0) {
        handle = this.setTimer(() => {
          if (handle !== null) this.timeouts.delete(handle);
          finish({ ok: false, permanent: false, reason: `post timed out after ${this.postTimeoutMs} ms (outcome unknown)` });
        }, this.postTimeoutMs);
        this.timeouts.add(handle);
      }
      let pending: Promise<PostResult>;
      try {
        pending = Promise.resolve(this.post(request));
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (result) => {
          const valid: PostResult =
            result && result.ok === true && typeof result.messageId === 'string'
              ? result
              : result && result.ok === false
                ? { ok: false, permanent: result.permanent === true, reason: String(result.reason ?? 'unknown error') }
                : { ok: false, permanent: false, reason: `post returned an invalid result: ${JSON.stringify(result)}` };
          if (settled) onLateResult(valid);
          else finish(valid);
        },
        (error: unknown) => finish({ ok: false, permanent: false, reason: `post threw: ${errorText(error)}` }),
      );
    });
  }

  private async send(job: SendJob, summary: RunSummary): Promise<void> {
    const { sub, localDate, tipId, nonce } = job;
    const key = `${sub.channelId}|${localDate}`;
    const base = { channelId: sub.channelId, guildId: sub.guildId, localDate, tipId, nonce };
    // `key` was added to inFlight when the job was planned; removed when this send settles.
    try {
      if (job.expectedAttempts !== null && !this.store.beginAttempt(sub.channelId, localDate, job.expectedAttempts)) {
        summary.skipped.push({ ...base, outcome: 'skipped', skipReason: 'claimed-elsewhere', reason: 'another process re-sends it' });
        this.logger.debug(base, 'pending daily post taken by another process');
        return;
      }
      const attempt = job.expectedAttempts === null ? 1 : job.expectedAttempts + 1;
      const request: PostRequest = {
        guildId: sub.guildId,
        channelId: sub.channelId,
        tipId,
        localDate,
        nonce,
        mentionRoleId: sub.mentionRoleId,
        attempt,
      };
      const result = await this.callPost(request, (late) => {
        if (!late.ok) return;
        try {
          if (this.store.markPostSent(sub.channelId, localDate, late.messageId)) {
            this.logger.info({ ...base, messageId: late.messageId }, 'daily tip posted (confirmed after timeout)');
          }
        } catch (error) {
          this.logger.error({ ...base, err: error }, 'could not record a late-confirmed daily post; it stays pending');
        }
      });
      if (result.ok) {
        this.store.markPostSent(sub.channelId, localDate, result.messageId);
        summary.posted.push({ ...base, outcome: 'posted', messageId: result.messageId });
        this.logger.info(
          { ...base, messageId: result.messageId, attempt, dueAt: job.dueAt?.toISOString() },
          attempt > 1 ? 'daily tip posted (re-sent with the same nonce)' : 'daily tip posted',
        );
        return;
      }
      if (result.permanent) {
        const outcome = this.store.transaction(() => {
          this.store.markPostFailed(sub.channelId, localDate, result.reason, { permanent: true });
          return this.store.recordFailure(sub.channelId, localDate, result.reason, this.maxConsecutiveFailures);
        });
        const paused = outcome?.paused ?? false;
        summary.failed.push({ ...base, outcome: 'failed', reason: result.reason, paused });
        const fields = {
          ...base,
          reason: result.reason,
          consecutiveFailures: outcome?.consecutiveFailures ?? null,
          maxConsecutiveFailures: this.maxConsecutiveFailures,
        };
        if (paused) this.logger.error(fields, 'daily tip failed permanently; subscription paused after consecutive failed days');
        else this.logger.warn(fields, 'daily tip failed permanently for today');
        return;
      }
      const now = this.clock.now().getTime();
      const retryAt = now + Math.min(MAX_RETRY_DELAY, this.retryDelayMs * 2 ** Math.min(20, attempt - 1));
      if (retryAt - job.claimedAt.getTime() > this.graceMs) {
        const reason = `gave up after ${attempt} attempt(s), grace window exhausted; last error: ${result.reason}`;
        this.store.transaction(() => {
          this.store.markPostFailed(sub.channelId, localDate, reason, { permanent: true });
          this.store.noteError(sub.channelId, reason);
        });
        summary.failed.push({ ...base, outcome: 'failed', reason });
        this.logger.error({ ...base, attempt, reason }, 'daily tip given up');
        return;
      }
      this.store.transaction(() => {
        this.store.markPostFailed(sub.channelId, localDate, result.reason, { permanent: false, retryAt: new Date(retryAt) });
        this.store.noteError(sub.channelId, result.reason);
      });
      summary.failed.push({ ...base, outcome: 'retry', reason: result.reason });
      this.logger.warn({ ...base, attempt, reason: result.reason, retryAt: new Date(retryAt).toISOString() }, 'daily tip failed transiently; will re-send with the same nonce');
    } catch (error) {
      // Storage failed around the send: the row stays pending and is reconciled (same nonce) later.
      summary.failed.push({ ...base, outcome: 'failed', reason: `storage error: ${errorText(error)}` });
      this.logger.error({ ...base, err: error }, 'daily tip: could not record the outcome; it will be reconciled');
    } finally {
      this.inFlight.delete(key);
    }
  }

  /** Arms the timer for the next thing to do; never throws. */
  private arm(): void {
    if (!this.started || this.stopped) return;
    const nowMs = this.clock.now().getTime();
    try {
      let next = this.heartbeatMs > 0 ? nowMs + this.heartbeatMs : Infinity;
      const after = new Date(nowMs + 1);
      for (const sub of this.store.listSubscriptions()) {
        if (sub.pausedAt || !this.ownsGuild(sub.guildId)) continue;
        try {
          next = Math.min(next, nextRunAt(after, sub.time, sub.timeZone).at.getTime());
        } catch (error) {
          this.logger.error({ channelId: sub.channelId, err: error }, 'invalid stored schedule');
        }
      }
      for (const row of this.store.pendingPosts()) {
        if (this.inFlight.has(`${row.channelId}|${row.localDate}`)) continue;
        if (row.guildId !== null && !this.ownsGuild(row.guildId)) continue;
        next = Math.min(next, Math.max(row.retryAt?.getTime() ?? 0, row.updatedAt.getTime() + this.leaseMs, nowMs + 1000));
      }
      this.armAt(next);
    } catch (error) {
      this.logger.error({ err: error, retryInMs: this.errorRetryMs }, 'could not compute the next daily run; will retry');
      this.armAt(nowMs + this.errorRetryMs);
    }
  }

  private armAt(at: number): void {
    if (!this.started || this.stopped) return;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.wakeAt = null;
    if (!Number.isFinite(at)) return;
    const delay = Math.min(this.maxTimerDelayMs, Math.max(0, at - this.clock.now().getTime()));
    this.wakeAt = new Date(at);
    const handle = this.setTimer(() => {
      if (this.timer !== handle) return;
      this.timer = null;
      this.wakeAt = null;
      this.track(this.onTimer());
    }, delay);
    this.timer = handle;
  }

  private async onTimer(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.safeRun();
    } catch (error) {
      // safeRun never rejects; belt and braces so a timer callback can never stop the schedule silently.
      this.logger.error({ err: error }, 'daily timer failed');
      this.armAt(this.clock.now().getTime() + this.errorRetryMs);
    }
  }
}
