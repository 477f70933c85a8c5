/**
 * The daily-tip scheduler: posts each subscribed channel's tip once per local date, with any number of
 * processes sharing one {@link DailyStore}, any of which may die at any moment. Free of discord.js: the
 * Discord adapter is the injected `post` (and `findPosted`). The rules themselves (what is due, what to
 * re-send or verify, what to skip or give up, when next) are the pure functions of `plan.ts`; this file
 * is the timers and the I/O around them.
 *
 * The protocol, per occurrence (a channel's post for one local date):
 * 1. **Claim.** `claimDue` leases due subscriptions to this process (`FOR UPDATE SKIP LOCKED` on
 *    PostgreSQL, `BEGIN IMMEDIATE` on SQLite). Only what is due is read (indexed `next_due_at`), so a run
 *    costs what is due, not what exists. A dead process's lease expires (`leaseMs`, default 60 s, well
 *    inside Discord's nonce window) and any live process claims the occurrence.
 * 2. **Record the intent.** `startAttempt` inserts the `pending` row (or counts one more attempt of it)
 *    while the lease is held — under `UNIQUE (channel_id, local_date)` — BEFORE the request.
 * 3. **Post** with the deterministic {@link postNonce} and `enforce_nonce: true`: Discord returns the
 *    existing message for a nonce it has seen within its window. A re-send whose previous attempt is
 *    older than `nonceWindowMs` first looks for the nonce in the channel (`findPosted`), because Discord
 *    no longer deduplicates it.
 * 4. **Record the outcome and advance** the subscription to its next occurrence, in one transaction
 *    (`finish`); only the lease holder advances (a re-claimed or changed subscription is not touched).
 *
 * Other rules (kept from the single-process scheduler): an occurrence due before the subscription's
 * `activeFrom` is never posted; one missed by more than `graceMs` (default 6 h) is recorded `skipped`
 * and only the latest missed one is considered; transient failures keep the row `pending` and retry
 * with exponential backoff (same nonce) until the grace runs out; permanent ones close the date as
 * `failed` and pause the subscription after `maxConsecutiveFailures` failed days. Every outcome is
 * logged and reported to `onEvent` (metrics). A timer callback never throws; a heartbeat re-checks.
 *
 * Shutdown ({@link DailyScheduler.shutdown}): stop claiming, wait (bounded) for the posts in flight,
 * record their outcomes, release this process's leases.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Claim, DailyStore, Outcome } from '../store/subscriptions.ts';
import { afterTransientFailure, decide, isSuperseded, nextWake, occurrenceAfter, occurrenceOn, type Occurrence } from './plan.ts';

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
   * Discord only deduplicates a nonce for a few minutes; the scheduler calls `findPosted` first when an
   * earlier attempt is older than that.
   */
  attempt: number;
  /** How the post looks (`text` or `card`). */
  style: 'text' | 'card';
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

/** Dependencies and options of {@link DailyScheduler}. */
export interface DailySchedulerOptions {
  /** Subscriptions and posts log, possibly shared with other processes. */
  store: DailyStore;
  /** Chooses the tip for a channel and local date (null: nothing to post, logged and retried later). */
  pickTip: (channelId: string, localDate: string) => TipChoice | null;
  /** Posts a tip (the Discord adapter). Should retry transient errors itself; may throw (treated as transient). */
  post: (request: PostRequest) => Promise<PostResult>;
  /**
   * Looks for a message carrying `request.nonce` among the channel's recent messages: its id, or null
   * when there is none. Called before re-sending a post whose previous attempt may have reached Discord
   * longer ago than `nonceWindowMs`. Without it such a re-send relies on the nonce alone.
   */
  findPosted?: (request: PostRequest) => Promise<string | null>;
  /** Structured logger (pino-compatible). */
  logger: SchedulerLogger;
  /** Called for every outcome (posted, retry, failed, skipped): the hook for metrics. Must not throw. */
  onEvent?: (event: RunEvent) => void;
  /** Clock. Default: the system clock. */
  clock?: SchedulerClock;
  /** Arms a timer. Default: `setTimeout`. Delays passed are at most `maxTimerDelayMs`. */
  setTimer?: (callback: () => void, delayMs: number) => TimerHandle;
  /** Cancels a timer from `setTimer`. Default: `clearTimeout`. */
  clearTimer?: (handle: TimerHandle) => void;
  /** Whether this process (shard) posts for a guild. Default: always true. */
  ownsGuild?: (guildId: string) => boolean;
  /** This process's lease owner id; unique per process. Default: a random UUID. */
  owner?: string;
  /** How late a missed occurrence may still be posted, in ms (0 … 24 h). Default 6 hours. */
  graceMs?: number;
  /** Consecutive days with a permanent failure after which a subscription is paused. Default 3. */
  maxConsecutiveFailures?: number;
  /** First retry delay after a transient failure, in ms; doubles per attempt, at most 1 hour. Default 5 minutes. */
  retryDelayMs?: number;
  /** A post still unresolved after this many ms is a transient failure (0: never). Keep it under `leaseMs`. Default: 30 s or half the lease, whichever is less. */
  postTimeoutMs?: number;
  /** Wake-up at least this often, in ms, even if nothing is due (0: never). Default 5 minutes. */
  heartbeatMs?: number;
  /** Longest single timer delay; longer waits re-arm in steps. Default 2^31-1 ms (the `setTimeout` limit). */
  maxTimerDelayMs?: number;
  /** Delay before retrying after a run failed (e.g. the database was unavailable), in ms. Default 60 s. */
  errorRetryMs?: number;
  /** How many posts this process sends concurrently. Default 16. */
  concurrency?: number;
  /**
   * How long a claim is this process's, in ms; renewed when a send starts. A process that dies holds its
   * claims this long. Keep it well under Discord's nonce window. Default 60 s.
   */
  leaseMs?: number;
  /** How long Discord is trusted to deduplicate a nonce, in ms. Default 2 minutes (Discord: "a few minutes"). */
  nonceWindowMs?: number;
}

/** Why an occurrence was skipped (see {@link RunEvent}). */
export type SkipReason = 'not-owned' | 'beyond-grace' | 'no-tip' | 'claimed-elsewhere' | 'shutting-down';

/** One thing a run did. */
export interface RunEvent {
  /** The channel id. */
  channelId: string;
  /** The guild id. */
  guildId: string | null;
  /** The local date concerned. */
  localDate: string | null;
  /** Outcome. */
  outcome: 'posted' | 'retry' | 'failed' | 'skipped';
  /** For `skipped`: why. */
  skipReason?: SkipReason;
  /** Human-readable detail (error text, skip reason). */
  reason?: string;
  /** For `posted`: the Discord message id. */
  messageId?: string;
  /** For `posted`: how long after the due instant it was confirmed, in ms. */
  lateMs?: number;
  /** For `failed`: whether the subscription got paused by this failure. */
  paused?: boolean;
}

/** Result of {@link DailyScheduler.runDue}. */
export interface RunSummary {
  /** The instant the run started. */
  at: Date;
  /** Posts confirmed (first sends and re-sends). */
  posted: RunEvent[];
  /** Failures (permanent, give-ups, storage errors) and transient failures scheduled for retry (`outcome: 'retry'`). */
  failed: RunEvent[];
  /** Occurrences skipped, with the reason. */
  skipped: RunEvent[];
  /** Claims with nothing to do (already handled, or waiting for a retry time). */
  upToDate: number;
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

function ms(value: number | undefined, fallback: number, name: string, max = Number.MAX_SAFE_INTEGER): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0 || v > max) throw new Error(`zhenyan: scheduler option ${name} must be between 0 and ${max} (got ${v})`);
  return v;
}

/** Posts the daily tips on time, once per channel and local date. See the module comment for the protocol. */
export class DailyScheduler {
  private readonly store: DailyStore;
  private readonly pickTip: DailySchedulerOptions['pickTip'];
  private readonly post: DailySchedulerOptions['post'];
  private readonly findPosted: DailySchedulerOptions['findPosted'];
  private readonly logger: SchedulerLogger;
  private readonly onEvent: (event: RunEvent) => void;
  private readonly clock: SchedulerClock;
  private readonly setTimer: (callback: () => void, delayMs: number) => TimerHandle;
  private readonly clearTimer: (handle: TimerHandle) => void;
  private readonly ownsGuild: (guildId: string) => boolean;
  /** This process's lease owner id. */
  readonly owner: string;
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
  private readonly nonceWindowMs: number;

  private started = false;
  private stopped = false;
  private timer: TimerHandle | null = null;
  private wakeAt: Date | null = null;
  private readonly active = new Set<Promise<unknown>>();
  private readonly timeouts = new Set<TimerHandle>();
  private armSeq = 0;
  private current: Promise<RunSummary> | null = null;
  private rerun = false;

  /** @param options dependencies and options, see {@link DailySchedulerOptions} */
  constructor(options: DailySchedulerOptions) {
    this.store = options.store;
    this.pickTip = options.pickTip;
    this.post = options.post;
    this.findPosted = options.findPosted;
    this.logger = options.logger;
    const onEvent = options.onEvent;
    this.onEvent = (event) => {
      try {
        onEvent?.(event);
      } catch (error) {
        this.logger.error({ err: error }, 'daily onEvent hook threw');
      }
    };
    this.clock = options.clock ?? { now: () => new Date() };
    this.setTimer = options.setTimer ?? ((callback, delayMs) => setTimeout(callback, delayMs));
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.ownsGuild = options.ownsGuild ?? (() => true);
    this.owner = options.owner ?? randomUUID();
    this.graceMs = ms(options.graceMs, 6 * HOUR, 'graceMs', 24 * HOUR);
    const maxFailures = options.maxConsecutiveFailures ?? 3;
    if (!Number.isInteger(maxFailures) || maxFailures < 1) {
      throw new Error(`zhenyan: scheduler option maxConsecutiveFailures must be an integer >= 1 (got ${maxFailures})`);
    }
    this.maxConsecutiveFailures = maxFailures;
    this.retryDelayMs = Math.max(1000, ms(options.retryDelayMs, 5 * MINUTE, 'retryDelayMs'));
    this.leaseMs = Math.max(1, ms(options.leaseMs, MINUTE, 'leaseMs'));
    this.postTimeoutMs = ms(options.postTimeoutMs, Math.min(30_000, Math.floor(this.leaseMs / 2)), 'postTimeoutMs');
    this.heartbeatMs = ms(options.heartbeatMs, 5 * MINUTE, 'heartbeatMs');
    this.maxTimerDelayMs = Math.max(1, Math.min(MAX_TIMEOUT, ms(options.maxTimerDelayMs, MAX_TIMEOUT, 'maxTimerDelayMs')));
    this.errorRetryMs = Math.max(1, ms(options.errorRetryMs, MINUTE, 'errorRetryMs'));
    const concurrency = options.concurrency ?? 16;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`zhenyan: scheduler option concurrency must be an integer >= 1`);
    this.concurrency = concurrency;
    this.nonceWindowMs = ms(options.nonceWindowMs, 2 * MINUTE, 'nonceWindowMs');
  }

  /**
   * Starts: runs what is due (takes over expired leases, catches up within the grace window, records
   * older missed occurrences as skipped) and arms the timer. Never rejects: a failed first run is logged
   * and retried after `errorRetryMs`.
   */
  async start(): Promise<RunSummary> {
    this.started = true;
    this.stopped = false;
    this.logger.info(
      { owner: this.owner, graceMs: this.graceMs, leaseMs: this.leaseMs, concurrency: this.concurrency, heartbeatMs: this.heartbeatMs },
      'daily scheduler started',
    );
    return this.safeRun();
  }

  /**
   * Stops claiming and arming timers (post timeouts are cleared). Posts already in flight complete and
   * are recorded; use {@link shutdown} to wait for them and release the leases.
   */
  stop(): void {
    if (!this.stopped) this.logger.info({ owner: this.owner }, 'daily scheduler stopped');
    this.stopped = true;
    this.started = false;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.wakeAt = null;
  }

  /**
   * Graceful shutdown: stops claiming, waits up to `timeoutMs` (default 10 s) for the posts in flight
   * (their outcomes are recorded), then releases this process's leases so another process can take
   * over at once. Returns whether everything in flight finished in time (false: the unfinished rows
   * stay `pending`, and are re-sent with their nonce by whoever claims them next). Never rejects.
   */
  async shutdown(timeoutMs = 10_000): Promise<boolean> {
    this.stop();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finished = await Promise.race([
      this.idle().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    for (const handle of this.timeouts) this.clearTimer(handle);
    this.timeouts.clear();
    try {
      const released = await this.store.releaseLeases(this.owner);
      this.logger.info({ owner: this.owner, finished, released }, 'daily scheduler shut down');
    } catch (error) {
      this.logger.error({ err: error }, 'could not release the daily leases; they expire by themselves');
    }
    return finished;
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
   * One run: claims and handles due occurrences until none is left (`concurrency` at a time), then
   * re-arms the timer when started. A call during a run joins it (the run looks for due work once more
   * before it ends). Runs of several processes never overlap on a claim (claims are exclusive).
   *
   * @throws StorageError when the store cannot be read at all (per-post storage errors are reported in
   * the summary instead)
   */
  async runDue(): Promise<RunSummary> {
    // One run at a time per process: a request during a run makes that run look again before it ends
    // (so a burst of /daily set calls during a big posting minute does not multiply the posts in flight).
    if (this.current) {
      this.rerun = true;
      return this.current;
    }
    const run = this.runOnce().finally(() => {
      this.current = null;
    });
    this.current = run;
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
      return await this.runDue();
    } catch (error) {
      this.logger.error({ err: error, retryInMs: this.errorRetryMs }, 'daily run failed; will retry');
      this.armAt(this.clock.now().getTime() + this.errorRetryMs);
      return { at: now, posted: [], failed: [], skipped: [], upToDate: 0 };
    }
  }

  private async runOnce(): Promise<RunSummary> {
    const summary: RunSummary = { at: this.clock.now(), posted: [], failed: [], skipped: [], upToDate: 0 };
    let firstError: unknown = null;
    // A pool of `concurrency` handlers fed by claims for exactly the free slots: an idle run is one
    // claim transaction, and a busy one never holds more leases than it is sending.
    const running = new Set<Promise<void>>();
    let exhausted = false;
    while (!this.stopped) {
      const free = this.concurrency - running.size;
      if (!exhausted && free > 0) {
        let claims: Claim[] = [];
        try {
          claims = await this.store.claimDue({ now: this.clock.now(), owner: this.owner, leaseMs: this.leaseMs, limit: free });
        } catch (error) {
          firstError ??= error;
          exhausted = true;
        }
        // Only an empty claim ends the run: a handled claim may have advanced to an occurrence due now.
        if (claims.length === 0) exhausted = true;
        for (const claim of claims) {
          const task: Promise<void> = this.handle(claim, summary).finally(() => running.delete(task));
          running.add(task);
        }
        if (!exhausted && claims.length === free) continue;
      }
      if (!exhausted && running.size < this.concurrency && running.size > 0) {
        await Promise.race(running);
        continue;
      }
      if (running.size === 0) {
        if (!this.rerun) break;
        this.rerun = false;
        exhausted = false;
        continue;
      }
      await Promise.race(running);
    }
    await Promise.all(running);
    if (firstError !== null && summary.posted.length + summary.failed.length + summary.skipped.length + summary.upToDate === 0) throw firstError;
    if (firstError !== null) this.logger.error({ err: firstError }, 'daily run: a claim failed; the rest is retried at the next wake-up');
    await this.arm(firstError !== null);
    const notable = summary.posted.length > 0 || summary.failed.length > 0 || summary.skipped.some((e) => e.skipReason !== 'not-owned');
    const fields = {
      posted: summary.posted.length,
      failed: summary.failed.filter((e) => e.outcome === 'failed').length,
      retrying: summary.failed.filter((e) => e.outcome === 'retry').length,
      skipped: summary.skipped.length,
      upToDate: summary.upToDate,
      nextWakeAt: this.wakeAt?.toISOString() ?? null,
    };
    if (notable) this.logger.info(fields, 'daily run finished');
    else this.logger.debug(fields, 'daily run finished');
    return summary;
  }

  private report(summary: RunSummary, event: RunEvent): void {
    if (event.outcome === 'posted') summary.posted.push(event);
    else if (event.outcome === 'skipped') summary.skipped.push(event);
    else summary.failed.push(event);
    this.onEvent(event);
  }

  /** Handles one claim end to end; never rejects (storage errors leave the claim to expire and be retried). */
  private async handle(claim: Claim, summary: RunSummary): Promise<void> {
    const sub = claim.subscription;
    const localDate = sub.nextLocalDate;
    const base = { channelId: sub.channelId, guildId: sub.guildId, localDate };
    const finish = (outcome: Outcome) =>
      this.store.finish({ channelId: sub.channelId, guildId: sub.guildId, localDate, owner: this.owner, now: this.clock.now(), outcome });
    try {
      let occurrence: Occurrence;
      let next: Occurrence;
      try {
        occurrence = occurrenceOn(sub, localDate);
        next = occurrenceAfter(sub, localDate, this.clock.now());
      } catch (error) {
        // An invalid stored schedule: hold it for a while instead of spinning on it.
        await finish({ kind: 'release', holdUntil: new Date(this.clock.now().getTime() + this.errorRetryMs) });
        this.report(summary, { ...base, outcome: 'failed', reason: `invalid stored schedule: ${errorText(error)}` });
        this.logger.error({ ...base, err: error }, 'daily tip not posted: invalid stored schedule');
        return;
      }
      if (!this.ownsGuild(sub.guildId)) {
        // Another shard posts it: hold it for a lease so this process does not spin on it.
        await finish({ kind: 'release', holdUntil: new Date(this.clock.now().getTime() + this.leaseMs) });
        this.report(summary, { ...base, outcome: 'skipped', skipReason: 'not-owned' });
        this.logger.debug(base, 'daily tip skipped: guild not owned by this shard');
        return;
      }
      if (claim.post === null && isSuperseded(sub, localDate, this.clock.now())) {
        // Down for longer than a day: only the latest missed occurrence counts (recorded or posted next).
        await finish({ kind: 'done', next });
        summary.upToDate += 1;
        return;
      }
      const decision = decide(occurrence, claim.post, this.clock.now(), { graceMs: this.graceMs, nonceWindowMs: this.nonceWindowMs });
      switch (decision.kind) {
        case 'done':
          await finish({ kind: 'done', next });
          summary.upToDate += 1;
          return;
        case 'wait':
          await finish({ kind: 'release', holdUntil: decision.until });
          summary.upToDate += 1;
          return;
        case 'skip':
          await finish({ kind: 'skipped', reason: decision.reason, nonce: postNonce(sub.channelId, localDate), next });
          this.report(summary, { ...base, outcome: 'skipped', skipReason: 'beyond-grace', reason: decision.reason });
          this.logger.warn({ ...base, reason: decision.reason }, 'daily tip skipped: beyond the grace window');
          return;
        case 'give-up': {
          const reason = `${decision.reason}${claim.post?.error ? `; last error: ${claim.post.error}` : ''}`;
          if (claim.post !== null) {
            const request: PostRequest = { guildId: sub.guildId, channelId: sub.channelId, tipId: claim.post.tipId ?? '', localDate, nonce: claim.post.nonce, mentionRoleId: sub.mentionRoleId, attempt: claim.post.attempts, style: sub.style };
            if (await this.recordIfPosted(request, occurrence, next, summary, finish)) return;
          }
          await finish({ kind: 'given-up', reason, next });
          this.report(summary, { ...base, outcome: 'failed', reason });
          this.logger.error({ ...base, attempts: claim.post?.attempts, reason }, 'daily post given up');
          return;
        }
        case 'send':
          await this.send(claim, occurrence, next, decision.attempt, decision.verifyFirst, summary, finish);
          return;
      }
    } catch (error) {
      // Storage failed (or pickTip threw): the lease expires and whoever claims it next continues (same nonce).
      this.report(summary, { ...base, outcome: 'failed', reason: `could not handle the claim: ${errorText(error)}` });
      this.logger.error({ ...base, err: error }, 'daily tip: could not handle the claim; it is retried when its lease expires');
    }
  }

  private async send(
    claim: Claim,
    occurrence: Occurrence,
    next: Occurrence,
    attempt: number,
    verifyFirst: boolean,
    summary: RunSummary,
    finish: (outcome: Outcome) => Promise<unknown>,
  ): Promise<void> {
    const sub = claim.subscription;
    const localDate = occurrence.localDate;
    const tipId = claim.post?.tipId ?? this.pickTip(sub.channelId, localDate)?.tipId ?? null;
    const nonce = claim.post?.nonce ?? postNonce(sub.channelId, localDate);
    const base = { channelId: sub.channelId, guildId: sub.guildId, localDate, tipId, nonce };
    if (tipId === null) {
      const reason = 'no tip available (empty tip list); will try again later';
      await finish({ kind: 'release', holdUntil: new Date(this.clock.now().getTime() + this.errorRetryMs) });
      this.report(summary, { ...base, outcome: 'skipped', skipReason: 'no-tip', reason });
      this.logger.warn(base, 'daily tip skipped: no tip available');
      return;
    }
    if (this.stopped) {
      // Shutting down: do not start a send; the claim goes back at once.
      await finish({ kind: 'release' });
      this.report(summary, { ...base, outcome: 'skipped', skipReason: 'shutting-down' });
      return;
    }
    const row = await this.store.startAttempt({
      channelId: sub.channelId,
      guildId: sub.guildId,
      localDate,
      tipId,
      nonce,
      owner: this.owner,
      now: this.clock.now(),
      leaseMs: this.leaseMs,
      expectedAttempts: claim.post?.attempts ?? 0,
    });
    if (row === null) {
      this.report(summary, { ...base, outcome: 'skipped', skipReason: 'claimed-elsewhere', reason: 'the lease was lost or another process sends it' });
      this.logger.debug(base, 'daily tip taken by another process');
      return;
    }
    const request: PostRequest = { guildId: sub.guildId, channelId: sub.channelId, tipId, localDate, nonce, mentionRoleId: sub.mentionRoleId, attempt, style: sub.style };
    if (verifyFirst && this.findPosted) {
      let found: string | null = null;
      try {
        found = await this.findPosted(request);
      } catch (error) {
        // Unknown whether it exists: do not send blindly; retry later like a transient failure.
        const outcome = afterTransientFailure(attempt, row.claimedAt, this.clock.now(), `could not check for an earlier post: ${errorText(error)}`, this.retryOptions());
        await this.recordTransient(outcome, base, attempt, summary, finish, next, `could not check for an earlier post: ${errorText(error)}`);
        return;
      }
      if (found !== null) {
        await finish({ kind: 'sent', messageId: found, next });
        const lateMs = this.clock.now().getTime() - occurrence.at.getTime();
        this.report(summary, { ...base, outcome: 'posted', messageId: found, lateMs });
        this.logger.info({ ...base, messageId: found, attempt }, 'daily tip found already posted (earlier attempt); recorded without re-sending');
        return;
      }
    }
    const result = await this.callPost(request, (late) => {
      if (!late.ok) return;
      finish({ kind: 'sent', messageId: late.messageId, next }).then(
        () => this.logger.info({ ...base, messageId: late.messageId }, 'daily tip posted (confirmed after timeout)'),
        (error: unknown) => this.logger.error({ ...base, err: error }, 'could not record a late-confirmed daily post; it stays pending'),
      );
    });
    if (result.ok) {
      await finish({ kind: 'sent', messageId: result.messageId, next });
      const lateMs = this.clock.now().getTime() - occurrence.at.getTime();
      this.report(summary, { ...base, outcome: 'posted', messageId: result.messageId, lateMs });
      this.logger.info(
        { ...base, messageId: result.messageId, attempt, dueAt: occurrence.at.toISOString(), lateMs },
        attempt > 1 ? 'daily tip posted (re-sent with the same nonce)' : 'daily tip posted',
      );
      return;
    }
    if (result.permanent) {
      const outcome = await finish({ kind: 'failed', reason: result.reason, pauseAfter: this.maxConsecutiveFailures, next });
      const failure = outcome as { consecutiveFailures: number; paused: boolean } | null;
      const paused = failure?.paused ?? false;
      this.report(summary, { ...base, outcome: 'failed', reason: result.reason, paused });
      const fields = { ...base, reason: result.reason, consecutiveFailures: failure?.consecutiveFailures ?? null, maxConsecutiveFailures: this.maxConsecutiveFailures };
      if (paused) this.logger.error(fields, 'daily tip failed permanently; subscription paused after consecutive failed days');
      else this.logger.warn(fields, 'daily tip failed permanently for today');
      return;
    }
    const decision = afterTransientFailure(attempt, row.claimedAt, this.clock.now(), result.reason, this.retryOptions());
    // The last attempt's reply may have been lost after Discord created the message.
    if (decision.kind === 'give-up' && (await this.recordIfPosted(request, occurrence, next, summary, finish))) return;
    await this.recordTransient(decision, base, attempt, summary, finish, next, result.reason);
  }

  /**
   * Before an unconfirmed row is closed as failed: an earlier attempt may have reached Discord (its
   * process died after the POST, or the reply was lost), so look for the nonce in the channel and record
   * the message as sent when it is there. True when it was found and recorded. A failed look-up counts
   * as not found: giving up is still right, as re-sending could duplicate.
   */
  private async recordIfPosted(
    request: PostRequest,
    occurrence: Occurrence,
    next: Occurrence,
    summary: RunSummary,
    finish: (outcome: Outcome) => Promise<unknown>,
  ): Promise<boolean> {
    if (!this.findPosted) return false;
    const base = { channelId: request.channelId, guildId: request.guildId, localDate: request.localDate, tipId: request.tipId, nonce: request.nonce };
    let found: string | null = null;
    try {
      found = await this.findPosted(request);
    } catch (error) {
      this.logger.warn({ ...base, err: error }, 'could not look for an earlier post before giving up');
      return false;
    }
    if (found === null) return false;
    await finish({ kind: 'sent', messageId: found, next });
    const lateMs = this.clock.now().getTime() - occurrence.at.getTime();
    this.report(summary, { ...base, outcome: 'posted', messageId: found, lateMs });
    this.logger.info({ ...base, messageId: found }, 'daily tip found already posted (earlier attempt) instead of giving up; recorded without re-sending');
    return true;
  }

  private retryOptions() {
    return { graceMs: this.graceMs, retryDelayMs: this.retryDelayMs, maxRetryDelayMs: MAX_RETRY_DELAY };
  }

  private async recordTransient(
    decision: ReturnType<typeof afterTransientFailure>,
    base: Omit<RunEvent, 'outcome'> & Record<string, unknown>,
    attempt: number,
    summary: RunSummary,
    finish: (outcome: Outcome) => Promise<unknown>,
    next: Occurrence,
    reason: string,
  ): Promise<void> {
    if (decision.kind === 'give-up') {
      await finish({ kind: 'given-up', reason: decision.reason, next });
      this.report(summary, { ...base, outcome: 'failed', reason: decision.reason });
      this.logger.error({ ...base, attempt, reason: decision.reason }, 'daily tip given up');
      return;
    }
    await finish({ kind: 'retry', reason, retryAt: decision.at });
    this.report(summary, { ...base, outcome: 'retry', reason });
    this.logger.warn({ ...base, attempt, reason, retryAt: decision.at.toISOString() }, 'daily tip failed transiently; will re-send with the same nonce');
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

  /** Arms the timer for the next thing to do (store's next due instant, lease expiries, heartbeat); never throws. */
  private async arm(afterError = false): Promise<void> {
    if (!this.started || this.stopped) return;
    const seq = ++this.armSeq;
    const now = this.clock.now();
    try {
      const wake = await this.store.nextWake(now);
      if (seq !== this.armSeq) return; // a later arm() superseded this one
      const candidates = [wake.nextDueAt, wake.leaseExpiry];
      if (afterError) candidates.push(new Date(now.getTime() + this.errorRetryMs));
      const at = nextWake(candidates, now, this.heartbeatMs);
      // Something due and unleased right after a run (claimed by nobody in a race): look again in a
      // second rather than spinning.
      this.armAt(at === null ? Infinity : Math.max(at.getTime(), now.getTime() + (at.getTime() <= now.getTime() ? 1000 : 0)));
    } catch (error) {
      this.logger.error({ err: error, retryInMs: this.errorRetryMs }, 'could not compute the next daily run; will retry');
      this.armAt(now.getTime() + this.errorRetryMs);
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
