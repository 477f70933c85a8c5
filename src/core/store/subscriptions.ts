/**
 * The store of daily-tip subscriptions and of the posts log: one asynchronous interface
 * ({@link DailyStore}) over two SQL databases, SQLite (the embedded default, `sqlite.ts`) and PostgreSQL
 * (shared by every process of a bot, `postgres.ts`). The SQL here is written once, in the subset both
 * speak; each adapter supplies a {@link SqlDriver} (transactions, placeholders, `FOR UPDATE SKIP LOCKED`).
 *
 * Every write runs in one transaction; any database failure (read-only file, disk full, busy, server
 * gone…) is thrown as a {@link StorageError} with a friendly `userMessage`, and then nothing was changed.
 *
 * Exactly once, with any number of processes (see `scheduler.ts` for the whole protocol):
 * - each subscription stores the occurrence it waits for (`next_local_date`) and when to look at it
 *   (`next_due_at`, UTC ms, indexed): a scheduler reads only what is due, never every subscription;
 * - {@link DailyStore.claimDue} leases due subscriptions to one process (`lease_owner`, `lease_until`),
 *   skipping rows another process holds; a dead process's lease simply expires and any process claims it;
 * - {@link DailyStore.startAttempt} records the intent (a `pending` posts row, or one more attempt of it)
 *   only while the lease is held, BEFORE the Discord request;
 * - {@link DailyStore.finish} records the outcome and advances the subscription in one transaction.
 *
 * The posts log has one row per (channel, local date), enforced by `UNIQUE (channel_id, local_date)`:
 * - `pending` — a send may be in flight or may have happened: re-send only with the SAME nonce;
 * - `sent` — confirmed, with the Discord message id (final);
 * - `failed` — given up for that date (final); `skipped` — deliberately not posted (final).
 */
import { canonicalTimeZone, formatTimeOfDay, parseTimeOfDay } from '../schedule/time.ts';
import { firstOccurrence, type Occurrence } from '../schedule/plan.ts';
import { StorageError, toStorageError } from './database.ts';

/** Why a subscription is paused. */
export type PauseReason =
  /** The bot left or was removed from the guild (GUILD_DELETE); resumed by {@link DailyStore.resumeGuild}. */
  | 'guild-left'
  /** Too many consecutive days with a permanent posting failure. */
  | 'failures'
  /** Paused by an administrator. */
  | 'manual';

/** A channel's daily-tip subscription. */
export interface Subscription {
  /** The guild (server) id. */
  guildId: string;
  /** The channel id: one subscription per channel. */
  channelId: string;
  /** Wall-clock time of the daily post, canonical `HH:MM`. */
  time: string;
  /** IANA time zone of `time`. */
  timeZone: string;
  /** Role to mention in the post, or null. */
  mentionRoleId: string | null;
  /** User id of whoever created or last changed the subscription. */
  createdBy: string;
  /** When the subscription was first created. */
  createdAt: Date;
  /** When it was last changed (settings, pause, failures). */
  updatedAt: Date;
  /**
   * When the current settings took effect (creation, last upsert, or resume). A daily occurrence whose
   * due instant is before this is never posted, so subscribing at 10:00 for 09:00 starts tomorrow.
   */
  activeFrom: Date;
  /** When it was paused, or null when active. */
  pausedAt: Date | null;
  /** Why it is paused, or null when active. */
  pauseReason: PauseReason | null;
  /** The last posting error, or null (cleared by a successful post). */
  lastError: string | null;
  /** When `lastError` happened, or null. */
  lastErrorAt: Date | null;
  /** Consecutive local dates with a permanent posting failure (reset by a successful post). */
  consecutiveFailures: number;
  /** Local date of the last counted failure (a date is counted once), or null. */
  lastFailureDate: string | null;
  /** How the daily post looks: `text` (the quote embed, default) or `card` (an image card). */
  style: PostStyle;
  /**
   * When the scheduler must look at this subscription next (UTC): the due instant of the occurrence it
   * waits for, or the retry instant of a transient failure. Indexed: the scheduler only reads what is due.
   */
  nextDueAt: Date;
  /** The local date of the occurrence the subscription waits for, `YYYY-MM-DD`. */
  nextLocalDate: string;
}

/** How a daily post looks. */
export type PostStyle = 'text' | 'card';

/** The post styles, for validation. */
export const POST_STYLES: readonly PostStyle[] = ['text', 'card'];

/** The settings a user gives with `/daily set`. */
export interface SubscriptionInput {
  /** The guild id. */
  guildId: string;
  /** The channel id (one subscription per channel: setting again replaces the settings). */
  channelId: string;
  /** Time of day, `HH:MM` or `H:MM` (see `parseTimeOfDay`); stored as `HH:MM`. */
  time: string;
  /** IANA time zone (case-insensitive; stored in canonical spelling). */
  timeZone: string;
  /** Role to mention, or null for none. */
  mentionRoleId: string | null;
  /** The user id making the change. */
  createdBy: string;
  /** Post style. Default `text`. */
  style?: PostStyle;
}

/** Status of a posts-log row; see the module comment. */
export type PostStatus = 'pending' | 'sent' | 'failed' | 'skipped';

/** One row of the posts log. */
export interface PostRecord {
  /** The channel id. */
  channelId: string;
  /** The guild id, or null when unknown (claimed without a subscription). */
  guildId: string | null;
  /** The channel's local date the post is for, `YYYY-MM-DD`. */
  localDate: string;
  /** The tip posted or to post; null for a skipped date without a tip. */
  tipId: string | null;
  /** The deterministic Discord message nonce (≤ 25 characters). */
  nonce: string;
  /** Row status. */
  status: PostStatus;
  /** The Discord message id once sent, else null. */
  messageId: string | null;
  /** The last error or skip reason, or null. */
  error: string | null;
  /** How many send attempts were started. */
  attempts: number;
  /** For a pending row after a transient failure: not before this instant. Null: as soon as possible. */
  retryAt: Date | null;
  /** When the row was created (the intent was recorded). */
  claimedAt: Date;
  /** When the row last changed. */
  updatedAt: Date;
}

/** Outcome of {@link DailyStore.finish}. */
export interface FailureOutcome {
  /** Consecutive failed days after this failure. */
  consecutiveFailures: number;
  /** Whether this failure paused the subscription (reason `failures`). */
  paused: boolean;
}

/** A due subscription leased to one process by {@link DailyStore.claimDue}. */
export interface Claim {
  /** The subscription (its `nextLocalDate` is the occurrence to handle). */
  subscription: Subscription;
  /** The posts-log row of that occurrence, or null when none exists yet. */
  post: PostRecord | null;
  /** The lease expiry: the claim is this process's until then. */
  leaseUntil: Date;
}

/** Arguments of {@link DailyStore.claimDue}. */
export interface ClaimRequest {
  /** The current instant: subscriptions with `nextDueAt <= now` and no live lease are claimed. */
  now: Date;
  /** This process's lease owner id (unique per process). */
  owner: string;
  /** Lease duration in ms. */
  leaseMs: number;
  /** At most this many claims. */
  limit: number;
}

/** Arguments of {@link DailyStore.startAttempt}. */
export interface AttemptRequest {
  channelId: string;
  guildId: string;
  localDate: string;
  tipId: string;
  nonce: string;
  /** The lease owner that claimed the subscription. */
  owner: string;
  now: Date;
  /** The lease is renewed to `now + leaseMs`, so the send gets a full lease. */
  leaseMs: number;
  /** The row's attempts as claimed (compare-and-swap); 0 when no row existed. */
  expectedAttempts: number;
}

/**
 * The outcome of a claim, recorded by {@link DailyStore.finish} in one transaction with the advance of
 * the subscription to `next` (and the release of the lease):
 * - `sent` — the post row becomes `sent` with the message id; failures are reset;
 * - `retry` — a transient failure: the row stays `pending` with the error; the subscription is looked at
 *   again at `retryAt` (same occurrence);
 * - `failed` — a permanent failure: the row becomes `failed`, the date is counted once in the
 *   subscription's consecutive failures, which pauses it (`failures`) at `pauseAfter`;
 * - `given-up` — a pending row closed as `failed` without counting a failed day (grace exhausted);
 * - `skipped` — the occurrence is deliberately not posted: a `skipped` row with the reason;
 * - `done` — the occurrence already had a final row: only advance;
 * - `release` — hand the claim back unchanged (shutdown, or a guild this process does not own);
 *   `holdUntil` keeps every process from claiming it again before that instant.
 */
export type Outcome =
  | { kind: 'sent'; messageId: string; next: Occurrence }
  | { kind: 'retry'; reason: string; retryAt: Date }
  | { kind: 'failed'; reason: string; pauseAfter: number; next: Occurrence }
  | { kind: 'given-up'; reason: string; next: Occurrence }
  | { kind: 'skipped'; reason: string; nonce: string; next: Occurrence }
  | { kind: 'done'; next: Occurrence }
  | { kind: 'release'; holdUntil?: Date };

/** Arguments of {@link DailyStore.finish}. */
export interface FinishRequest {
  channelId: string;
  guildId: string;
  localDate: string;
  owner: string;
  now: Date;
  outcome: Outcome;
}

/**
 * The daily-tip store. Asynchronous so that PostgreSQL and SQLite share one interface; every method
 * rejects with a {@link StorageError} on a database failure (nothing changed).
 */
export interface DailyStore {
  /** `sqlite` or `postgres`. */
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Creates or replaces the subscription of `input.channelId`. Replacing resets the pause, the error and
   * the failure count, sets `activeFrom` to now, recomputes the next due instant, and drops any lease.
   * @throws Error `zhenyan: invalid time of day …` / `zhenyan: unknown time zone …` for bad input
   */
  upsertSubscription(input: SubscriptionInput): Promise<{ subscription: Subscription; created: boolean }>;
  /**
   * Removes one channel's subscription (or all of a guild's); their pending posts become `skipped`.
   * Returns how many subscriptions were removed.
   */
  removeSubscription(guildId: string, channelId?: string): Promise<number>;
  /** The subscription of a channel, or null. */
  getSubscription(channelId: string): Promise<Subscription | null>;
  /** The subscriptions of one guild (or all: tests and tools only), ordered by guild then channel. */
  listSubscriptions(guildId?: string): Promise<Subscription[]>;
  /** How many subscriptions exist (paused ones included). */
  countSubscriptions(): Promise<number>;
  /** Pauses every active subscription of a guild; their pending posts become `skipped`. Returns how many. */
  pauseGuild(guildId: string, reason: PauseReason): Promise<number>;
  /** Resumes the guild's `guild-left` pauses from their next occurrence. Returns how many. */
  resumeGuild(guildId: string): Promise<number>;
  /** Pauses one subscription. False when there is none or it is already paused. */
  pauseSubscription(channelId: string, reason: PauseReason): Promise<boolean>;
  /** Resumes one subscription (any reason), clearing the failure count. False when not paused. */
  resumeSubscription(channelId: string): Promise<boolean>;
  /** Leases up to `limit` due subscriptions to `owner` (oldest due first), skipping leased ones. */
  claimDue(request: ClaimRequest): Promise<Claim[]>;
  /**
   * Records a send attempt BEFORE the Discord request, only while `owner` holds the lease: inserts the
   * `pending` row (first attempt) or increments `attempts` if it still equals `expectedAttempts`.
   * Returns the row, or null when the lease was lost or another process got there first (do not send).
   */
  startAttempt(request: AttemptRequest): Promise<PostRecord | null>;
  /** Records an outcome and advances/releases the subscription, in one transaction. See {@link Outcome}. */
  finish(request: FinishRequest): Promise<FailureOutcome | null>;
  /** Releases every lease of `owner` (clean shutdown). Returns how many. */
  releaseLeases(owner: string): Promise<number>;
  /**
   * When something may need this process next: the earliest future `nextDueAt`, and for due
   * subscriptions the earliest lease expiry (`now` when one is due and unleased). Nulls when none.
   */
  nextWake(now: Date): Promise<{ nextDueAt: Date | null; leaseExpiry: Date | null }>;
  /** The posts-log row of a channel and local date, or null. */
  getPost(channelId: string, localDate: string): Promise<PostRecord | null>;
  /** The channel's latest posts-log row (any status, or the given one), or null. */
  lastPost(channelId: string, options?: { status?: PostStatus }): Promise<PostRecord | null>;
  /** Posts-log rows with a status (oldest claim first), at most `limit` (default 1000). */
  postsWithStatus(status: PostStatus, limit?: number): Promise<PostRecord[]>;
  /** Every posts-log row (tests and tools; ordered by channel then date). */
  allPosts(): Promise<PostRecord[]>;
  /** Closes the connection(s). Idempotent. */
  close(): Promise<void>;
}

// ------------------------------------------------------------------------------------------ SQL layer

/** Runs SQL inside a transaction or a read. Placeholders are `$1`, `$2`… in both adapters. */
export interface SqlExecutor {
  /** Rows of a query. */
  all<T>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement; resolves to the number of rows changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
}

/** What an adapter provides to {@link SqlDailyStore}. */
export interface SqlDriver {
  readonly kind: 'sqlite' | 'postgres';
  /** `FOR UPDATE SKIP LOCKED` where supported (PostgreSQL); '' where the transaction already serialises writers (SQLite). */
  readonly lockClause: string;
  /** Runs `fn` in a write transaction (SQLite: `BEGIN IMMEDIATE`); commits, or rolls back and rethrows. */
  write<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs read-only queries. */
  read<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Converts a driver error into a StorageError. */
  toStorageError(error: unknown, action: string, write: boolean): StorageError;
  close(): Promise<void>;
}

interface SubscriptionRow {
  channel_id: string;
  guild_id: string;
  time_of_day: string;
  time_zone: string;
  mention_role_id: string | null;
  created_by: string;
  created_at: number;
  updated_at: number;
  active_from: number;
  paused_at: number | null;
  pause_reason: PauseReason | null;
  last_error: string | null;
  last_error_at: number | null;
  consecutive_failures: number;
  last_failure_date: string | null;
  style: PostStyle;
  next_due_at: number;
  next_local_date: string;
  lease_owner: string | null;
  lease_until: number | null;
}

interface PostRow {
  channel_id: string;
  guild_id: string | null;
  local_date: string;
  tip_id: string | null;
  nonce: string;
  status: PostStatus;
  message_id: string | null;
  error: string | null;
  attempts: number;
  retry_at: number | null;
  claimed_at: number;
  updated_at: number;
}

const num = (v: number | string): number => (typeof v === 'number' ? v : Number(v));
const date = (ms: number | string): Date => new Date(num(ms));
const dateOrNull = (ms: number | string | null): Date | null => (ms === null ? null : new Date(num(ms)));

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    guildId: row.guild_id,
    channelId: row.channel_id,
    time: row.time_of_day,
    timeZone: row.time_zone,
    mentionRoleId: row.mention_role_id,
    createdBy: row.created_by,
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
    activeFrom: date(row.active_from),
    pausedAt: dateOrNull(row.paused_at),
    pauseReason: row.pause_reason,
    lastError: row.last_error,
    lastErrorAt: dateOrNull(row.last_error_at),
    consecutiveFailures: num(row.consecutive_failures),
    lastFailureDate: row.last_failure_date,
    style: row.style,
    nextDueAt: date(row.next_due_at),
    nextLocalDate: row.next_local_date,
  };
}

function toPost(row: PostRow): PostRecord {
  return {
    channelId: row.channel_id,
    guildId: row.guild_id,
    localDate: row.local_date,
    tipId: row.tip_id,
    nonce: row.nonce,
    status: row.status,
    messageId: row.message_id,
    error: row.error,
    attempts: num(row.attempts),
    retryAt: dateOrNull(row.retry_at),
    claimedAt: date(row.claimed_at),
    updatedAt: date(row.updated_at),
  };
}

/** Longest error text kept in the database. */
const MAX_ERROR_CHARS = 500;
const clip = (text: string): string => (text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text);

/** Validates and normalises `/daily set` input; throws `zhenyan: …` errors for bad input. */
function validateInput(input: SubscriptionInput): { time: string; timeZone: string; style: PostStyle } {
  const parsed = parseTimeOfDay(input.time);
  if (!parsed) throw new Error(`zhenyan: invalid time of day ${JSON.stringify(input.time)} (expected HH:MM, 00:00–23:59)`);
  const timeZone = canonicalTimeZone(input.timeZone);
  if (!timeZone) throw new Error(`zhenyan: unknown time zone ${JSON.stringify(input.timeZone)}`);
  for (const [field, value] of [
    ['guildId', input.guildId],
    ['channelId', input.channelId],
    ['createdBy', input.createdBy],
  ] as const) {
    if (typeof value !== 'string' || value === '') throw new Error(`zhenyan: subscription ${field} must be a non-empty string`);
  }
  const style = input.style ?? 'text';
  if (!POST_STYLES.includes(style)) throw new Error(`zhenyan: unknown post style ${JSON.stringify(style)} (expected text or card)`);
  return { time: formatTimeOfDay(parsed), timeZone, style };
}

/** Options of {@link SqlDailyStore}. */
export interface DailyStoreOptions {
  /** The clock for timestamps of user actions (subscribe, pause…). Default: the system clock. */
  now?: () => Date;
}

/** {@link DailyStore} over a {@link SqlDriver}: the SQL shared by SQLite and PostgreSQL. */
export class SqlDailyStore implements DailyStore {
  readonly kind: 'sqlite' | 'postgres';
  private readonly now: () => Date;
  private closed = false;

  /**
   * @param driver the adapter's driver (see `openSqliteStore`, `openPostgresStore`)
   * @param options see {@link DailyStoreOptions}
   */
  constructor(
    private readonly driver: SqlDriver,
    options: DailyStoreOptions = {},
  ) {
    this.kind = driver.kind;
    this.now = options.now ?? (() => new Date());
  }

  private async write<T>(action: string, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    try {
      return await this.driver.write(fn);
    } catch (error) {
      throw this.driver.toStorageError(error, action, true);
    }
  }

  private async read<T>(action: string, fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    try {
      return await this.driver.read(fn);
    } catch (error) {
      throw this.driver.toStorageError(error, action, false);
    }
  }

  private static async subscriptionOf(tx: SqlExecutor, channelId: string): Promise<SubscriptionRow | undefined> {
    return (await tx.all<SubscriptionRow>('SELECT * FROM subscriptions WHERE channel_id = $1', [channelId]))[0];
  }

  /** Pending posts of the given channels become skipped (the subscription went away or paused). */
  private static async skipPending(tx: SqlExecutor, where: string, params: unknown[], reason: string, now: number): Promise<void> {
    const n = params.length;
    await tx.run(
      `UPDATE posts SET status = 'skipped', error = $${n + 1}, retry_at = NULL, updated_at = $${n + 2}
       WHERE status = 'pending' AND channel_id IN (SELECT channel_id FROM subscriptions WHERE ${where})`,
      [...params, reason, now],
    );
  }

  async upsertSubscription(input: SubscriptionInput): Promise<{ subscription: Subscription; created: boolean }> {
    const { time, timeZone, style } = validateInput(input);
    return this.write('save the daily tip settings', async (tx) => {
      const now = this.now();
      const next = firstOccurrence({ time, timeZone, activeFrom: now }, now);
      const existing = await SqlDailyStore.subscriptionOf(tx, input.channelId);
      await tx.run(
        `INSERT INTO subscriptions (channel_id, guild_id, time_of_day, time_zone, mention_role_id, created_by,
           created_at, updated_at, active_from, paused_at, pause_reason, last_error, last_error_at,
           consecutive_failures, last_failure_date, style, next_due_at, next_local_date, lease_owner, lease_until)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $7, NULL, NULL, NULL, NULL, 0, NULL, $8, $9, $10, NULL, NULL)
         ON CONFLICT (channel_id) DO UPDATE SET
           guild_id = excluded.guild_id, time_of_day = excluded.time_of_day, time_zone = excluded.time_zone,
           mention_role_id = excluded.mention_role_id, created_by = excluded.created_by,
           updated_at = excluded.updated_at, active_from = excluded.active_from,
           paused_at = NULL, pause_reason = NULL, last_error = NULL, last_error_at = NULL,
           consecutive_failures = 0, last_failure_date = NULL, style = excluded.style,
           next_due_at = excluded.next_due_at, next_local_date = excluded.next_local_date,
           lease_owner = NULL, lease_until = NULL`,
        [input.channelId, input.guildId, time, timeZone, input.mentionRoleId ?? null, input.createdBy, now.getTime(), style, next.at.getTime(), next.localDate],
      );
      const row = (await SqlDailyStore.subscriptionOf(tx, input.channelId))!;
      return { subscription: toSubscription(row), created: !existing };
    });
  }

  async removeSubscription(guildId: string, channelId?: string): Promise<number> {
    return this.write('remove the daily tip', async (tx) => {
      const now = this.now().getTime();
      const [where, params] = channelId === undefined ? ['guild_id = $1', [guildId]] : ['guild_id = $1 AND channel_id = $2', [guildId, channelId]];
      await SqlDailyStore.skipPending(tx, where, params, 'the channel unsubscribed before the post was confirmed', now);
      return tx.run(`DELETE FROM subscriptions WHERE ${where}`, params);
    });
  }

  async getSubscription(channelId: string): Promise<Subscription | null> {
    return this.read('read the daily tip settings', async (tx) => {
      const row = await SqlDailyStore.subscriptionOf(tx, channelId);
      return row ? toSubscription(row) : null;
    });
  }

  async listSubscriptions(guildId?: string): Promise<Subscription[]> {
    return this.read('read the daily tip settings', async (tx) => {
      const rows =
        guildId === undefined
          ? await tx.all<SubscriptionRow>('SELECT * FROM subscriptions ORDER BY guild_id, channel_id')
          : await tx.all<SubscriptionRow>('SELECT * FROM subscriptions WHERE guild_id = $1 ORDER BY channel_id', [guildId]);
      return rows.map(toSubscription);
    });
  }

  async countSubscriptions(): Promise<number> {
    return this.read('read the daily tip settings', async (tx) => num((await tx.all<{ n: number }>('SELECT COUNT(*) AS n FROM subscriptions'))[0]!.n));
  }

  async pauseGuild(guildId: string, reason: PauseReason): Promise<number> {
    return this.write('pause the daily tips', async (tx) => {
      const now = this.now().getTime();
      await SqlDailyStore.skipPending(tx, 'guild_id = $1 AND paused_at IS NULL', [guildId], `paused (${reason}) before the post was confirmed`, now);
      return tx.run(
        `UPDATE subscriptions SET paused_at = $1, pause_reason = $2, updated_at = $1, lease_owner = NULL, lease_until = NULL
         WHERE guild_id = $3 AND paused_at IS NULL`,
        [now, reason, guildId],
      );
    });
  }

  /** Resumes the rows selected by `where` from their next occurrence; `extra` is added to the SET. */
  private async resume(tx: SqlExecutor, where: string, params: unknown[], extra: string): Promise<number> {
    const now = this.now();
    const rows = await tx.all<SubscriptionRow>(`SELECT * FROM subscriptions WHERE ${where}`, params);
    for (const row of rows) {
      const next = firstOccurrence({ time: row.time_of_day, timeZone: row.time_zone, activeFrom: now }, now);
      await tx.run(
        `UPDATE subscriptions SET paused_at = NULL, pause_reason = NULL, active_from = $1, updated_at = $1,
           next_due_at = $2, next_local_date = $3, lease_owner = NULL, lease_until = NULL${extra}
         WHERE channel_id = $4`,
        [now.getTime(), next.at.getTime(), next.localDate, row.channel_id],
      );
    }
    return rows.length;
  }

  async resumeGuild(guildId: string): Promise<number> {
    return this.write('resume the daily tips', (tx) => this.resume(tx, "guild_id = $1 AND pause_reason = 'guild-left'", [guildId], ''));
  }

  async pauseSubscription(channelId: string, reason: PauseReason): Promise<boolean> {
    return this.write('pause the daily tip', async (tx) => {
      const now = this.now().getTime();
      await SqlDailyStore.skipPending(tx, 'channel_id = $1 AND paused_at IS NULL', [channelId], `paused (${reason}) before the post was confirmed`, now);
      return (
        (await tx.run(
          `UPDATE subscriptions SET paused_at = $1, pause_reason = $2, updated_at = $1, lease_owner = NULL, lease_until = NULL
           WHERE channel_id = $3 AND paused_at IS NULL`,
          [now, reason, channelId],
        )) > 0
      );
    });
  }

  async resumeSubscription(channelId: string): Promise<boolean> {
    return this.write(
      'resume the daily tip',
      async (tx) =>
        (await this.resume(tx, 'channel_id = $1 AND paused_at IS NOT NULL', [channelId], ', consecutive_failures = 0, last_failure_date = NULL')) > 0,
    );
  }

  async claimDue(request: ClaimRequest): Promise<Claim[]> {
    const now = request.now.getTime();
    const leaseUntil = now + request.leaseMs;
    return this.write('claim the due daily tips', async (tx) => {
      // The partial index on next_due_at (active rows) makes this read only what is due.
      const rows = await tx.all<SubscriptionRow>(
        `SELECT * FROM subscriptions
         WHERE paused_at IS NULL AND next_due_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
         ORDER BY next_due_at LIMIT $2${this.driver.lockClause}`,
        [now, request.limit],
      );
      if (rows.length === 0) return [];
      const claims: Claim[] = [];
      for (const row of rows) {
        await tx.run('UPDATE subscriptions SET lease_owner = $1, lease_until = $2 WHERE channel_id = $3', [request.owner, leaseUntil, row.channel_id]);
        const post = (await tx.all<PostRow>('SELECT * FROM posts WHERE channel_id = $1 AND local_date = $2', [row.channel_id, row.next_local_date]))[0];
        claims.push({ subscription: toSubscription(row), post: post ? toPost(post) : null, leaseUntil: new Date(leaseUntil) });
      }
      return claims;
    });
  }

  async startAttempt(request: AttemptRequest): Promise<PostRecord | null> {
    const now = request.now.getTime();
    return this.write('record the posting attempt', async (tx) => {
      const held = await tx.run(
        `UPDATE subscriptions SET lease_until = $1
         WHERE channel_id = $2 AND lease_owner = $3 AND lease_until > $4 AND next_local_date = $5`,
        [now + request.leaseMs, request.channelId, request.owner, now, request.localDate],
      );
      if (held === 0) return null;
      const changed =
        request.expectedAttempts === 0
          ? await tx.run(
              `INSERT INTO posts (channel_id, guild_id, local_date, tip_id, nonce, status, attempts, claimed_at, updated_at)
               VALUES ($1, $2, $3, $4, $5, 'pending', 1, $6, $6)
               ON CONFLICT (channel_id, local_date) DO NOTHING`,
              [request.channelId, request.guildId, request.localDate, request.tipId, request.nonce, now],
            )
          : await tx.run(
              `UPDATE posts SET attempts = attempts + 1, retry_at = NULL, updated_at = $1
               WHERE channel_id = $2 AND local_date = $3 AND status = 'pending' AND attempts = $4`,
              [now, request.channelId, request.localDate, request.expectedAttempts],
            );
      if (changed === 0) return null;
      const row = (await tx.all<PostRow>('SELECT * FROM posts WHERE channel_id = $1 AND local_date = $2', [request.channelId, request.localDate]))[0];
      return row ? toPost(row) : null;
    });
  }

  async finish(request: FinishRequest): Promise<FailureOutcome | null> {
    const { channelId, localDate, owner, outcome } = request;
    const now = request.now.getTime();
    return this.write('record the daily post', async (tx) => {
      const key = [channelId, localDate];
      // The posts row first: it is the truth about Discord, whoever holds the lease now.
      switch (outcome.kind) {
        case 'sent':
          await tx.run(
            `UPDATE posts SET status = 'sent', message_id = $3, error = NULL, retry_at = NULL, updated_at = $4
             WHERE channel_id = $1 AND local_date = $2 AND status <> 'sent'`,
            [...key, outcome.messageId, now],
          );
          break;
        case 'retry':
          await tx.run(
            `UPDATE posts SET error = $3, retry_at = $4, updated_at = $5 WHERE channel_id = $1 AND local_date = $2 AND status = 'pending'`,
            [...key, clip(outcome.reason), outcome.retryAt.getTime(), now],
          );
          break;
        case 'failed':
        case 'given-up':
          await tx.run(
            `UPDATE posts SET status = 'failed', error = $3, retry_at = NULL, updated_at = $4
             WHERE channel_id = $1 AND local_date = $2 AND status = 'pending'`,
            [...key, clip(outcome.reason), now],
          );
          break;
        case 'skipped':
          await tx.run(
            `INSERT INTO posts (channel_id, guild_id, local_date, tip_id, nonce, status, error, attempts, claimed_at, updated_at)
             VALUES ($1, $2, $3, NULL, $4, 'skipped', $5, 0, $6, $6)
             ON CONFLICT (channel_id, local_date) DO NOTHING`,
            [channelId, request.guildId, localDate, outcome.nonce, clip(outcome.reason), now],
          );
          break;
        default:
          break;
      }
      const sub = await SqlDailyStore.subscriptionOf(tx, channelId);
      // Fencing: only the lease holder advances the subscription (a changed or re-claimed one is not ours).
      if (!sub || sub.lease_owner !== owner || sub.next_local_date !== localDate) return null;
      const advance = 'next' in outcome ? [outcome.next.at.getTime(), outcome.next.localDate] : null;
      let result: FailureOutcome | null = null;
      switch (outcome.kind) {
        case 'sent':
          await tx.run(
            `UPDATE subscriptions SET last_error = NULL, last_error_at = NULL, consecutive_failures = 0, last_failure_date = NULL,
               next_due_at = $1, next_local_date = $2, lease_owner = NULL, lease_until = NULL WHERE channel_id = $3`,
            [...advance!, channelId],
          );
          break;
        case 'retry':
          await tx.run(
            `UPDATE subscriptions SET last_error = $1, last_error_at = $2, updated_at = $2, next_due_at = $3,
               lease_owner = NULL, lease_until = NULL WHERE channel_id = $4`,
            [clip(outcome.reason), now, outcome.retryAt.getTime(), channelId],
          );
          break;
        case 'failed': {
          const count = sub.last_failure_date === localDate ? num(sub.consecutive_failures) : num(sub.consecutive_failures) + 1;
          const pause = outcome.pauseAfter >= 1 && count >= outcome.pauseAfter;
          await tx.run(
            `UPDATE subscriptions SET last_error = $1, last_error_at = $2, updated_at = $2, consecutive_failures = $3,
               last_failure_date = $4, next_due_at = $5, next_local_date = $6, lease_owner = NULL, lease_until = NULL,
               paused_at = ${pause ? '$2' : 'paused_at'}, pause_reason = ${pause ? "'failures'" : 'pause_reason'}
             WHERE channel_id = $7`,
            [clip(outcome.reason), now, count, localDate, ...advance!, channelId],
          );
          result = { consecutiveFailures: count, paused: pause };
          break;
        }
        case 'given-up':
          await tx.run(
            `UPDATE subscriptions SET last_error = $1, last_error_at = $2, updated_at = $2, next_due_at = $3, next_local_date = $4,
               lease_owner = NULL, lease_until = NULL WHERE channel_id = $5`,
            [clip(outcome.reason), now, ...advance!, channelId],
          );
          break;
        case 'skipped':
        case 'done':
          await tx.run('UPDATE subscriptions SET next_due_at = $1, next_local_date = $2, lease_owner = NULL, lease_until = NULL WHERE channel_id = $3', [
            ...advance!,
            channelId,
          ]);
          break;
        case 'release':
          await tx.run('UPDATE subscriptions SET lease_owner = NULL, lease_until = $1 WHERE channel_id = $2', [outcome.holdUntil?.getTime() ?? null, channelId]);
          break;
      }
      return result;
    });
  }

  async releaseLeases(owner: string): Promise<number> {
    return this.write('release the daily tip leases', (tx) => tx.run('UPDATE subscriptions SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = $1', [owner]));
  }

  async nextWake(now: Date): Promise<{ nextDueAt: Date | null; leaseExpiry: Date | null }> {
    return this.read('read the daily schedule', async (tx) => {
      const t = now.getTime();
      const future = await tx.all<{ m: number | null }>('SELECT MIN(next_due_at) AS m FROM subscriptions WHERE paused_at IS NULL AND next_due_at > $1', [t]);
      const due = await tx.all<{ m: number | null }>(
        'SELECT MIN(COALESCE(lease_until, 0)) AS m FROM subscriptions WHERE paused_at IS NULL AND next_due_at <= $1',
        [t],
      );
      const m = due[0]?.m ?? null;
      return {
        nextDueAt: dateOrNull(future[0]?.m ?? null),
        leaseExpiry: m === null ? null : new Date(Math.max(num(m), t)),
      };
    });
  }

  async getPost(channelId: string, localDate: string): Promise<PostRecord | null> {
    return this.read('read the posts log', async (tx) => {
      const row = (await tx.all<PostRow>('SELECT * FROM posts WHERE channel_id = $1 AND local_date = $2', [channelId, localDate]))[0];
      return row ? toPost(row) : null;
    });
  }

  async lastPost(channelId: string, options: { status?: PostStatus } = {}): Promise<PostRecord | null> {
    return this.read('read the posts log', async (tx) => {
      const rows =
        options.status === undefined
          ? await tx.all<PostRow>('SELECT * FROM posts WHERE channel_id = $1 ORDER BY local_date DESC LIMIT 1', [channelId])
          : await tx.all<PostRow>('SELECT * FROM posts WHERE channel_id = $1 AND status = $2 ORDER BY local_date DESC LIMIT 1', [channelId, options.status]);
      return rows[0] ? toPost(rows[0]) : null;
    });
  }

  async postsWithStatus(status: PostStatus, limit = 1000): Promise<PostRecord[]> {
    return this.read('read the posts log', async (tx) =>
      (await tx.all<PostRow>('SELECT * FROM posts WHERE status = $1 ORDER BY claimed_at, channel_id LIMIT $2', [status, limit])).map(toPost),
    );
  }

  async allPosts(): Promise<PostRecord[]> {
    return this.read('read the posts log', async (tx) => (await tx.all<PostRow>('SELECT * FROM posts ORDER BY channel_id, local_date')).map(toPost));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.driver.close();
  }
}

export { StorageError, toStorageError };
