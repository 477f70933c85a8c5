/**
 * The repository of daily-tip subscriptions and of the posts log (see `database.ts` for the schema).
 *
 * Every write runs in a transaction; any SQLite failure (read-only file, disk full, busy…) is thrown as
 * a {@link StorageError} with a friendly `userMessage`, and then nothing was changed.
 *
 * The posts log is the single source of truth against duplicate posts: one row per (channel, local
 * date), enforced by `UNIQUE (channel_id, local_date)`. Row lifecycle:
 * - `pending` — the intent to post was recorded ({@link SubscriptionStore.claimPost}) and a send may be
 *   in flight or may have happened: it must be (re-)sent with the SAME nonce until confirmed;
 * - `sent` — confirmed, with the Discord message id (final);
 * - `failed` — given up for that date (permanent error, or transient errors until the grace ran out) (final);
 * - `skipped` — deliberately not posted (missed beyond the grace window, unsubscribed…) (final).
 */
import type { Database as DbType } from 'better-sqlite3';
import { canonicalTimeZone, formatTimeOfDay, parseTimeOfDay } from '../schedule/time.ts';
import { StorageError, toStorageError } from './database.ts';

/** Why a subscription is paused. */
export type PauseReason =
  /** The bot left or was removed from the guild (GUILD_DELETE); resumed by {@link SubscriptionStore.resumeGuild}. */
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
}

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

/**
 * Outcome of {@link SubscriptionStore.claimPost}:
 * - `claimed` — a new `pending` row was inserted: the caller now owns the send;
 * - `already-sent` — the date is already `sent`;
 * - `pending` — a `pending` row already exists (a crash mid-post, or another process is sending):
 *   re-send only with that row's nonce;
 * - `closed` — the date is `failed` or `skipped`: nothing to do.
 */
export type ClaimResult = 'claimed' | 'already-sent' | 'pending' | 'closed';

/** Options of {@link SubscriptionStore}. */
export interface SubscriptionStoreOptions {
  /** The clock used for timestamps. Default: `() => new Date()`. */
  now?: () => Date;
}

/** Optional details of {@link SubscriptionStore.claimPost}. */
export interface ClaimOptions {
  /** The guild id to record. Default: the channel's subscription's guild id, or null. */
  guildId?: string | null;
}

/** Outcome of {@link SubscriptionStore.recordFailure}. */
export interface FailureOutcome {
  /** Consecutive failed days after this failure. */
  consecutiveFailures: number;
  /** Whether this failure paused the subscription (reason `failures`). */
  paused: boolean;
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

const date = (ms: number): Date => new Date(ms);
const dateOrNull = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

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
    consecutiveFailures: row.consecutive_failures,
    lastFailureDate: row.last_failure_date,
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
    attempts: row.attempts,
    retryAt: dateOrNull(row.retry_at),
    claimedAt: date(row.claimed_at),
    updatedAt: date(row.updated_at),
  };
}

/** Longest error text kept in the database. */
const MAX_ERROR_CHARS = 500;
const clip = (text: string): string => (text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text);

/** Subscriptions and posts log over an open database (see `openDatabase`). */
export class SubscriptionStore {
  private readonly db: DbType;
  private readonly now: () => Date;

  /**
   * @param db an open, migrated database (`openDatabase`)
   * @param options see {@link SubscriptionStoreOptions}
   */
  constructor(db: DbType, options: SubscriptionStoreOptions = {}) {
    this.db = db;
    this.now = options.now ?? (() => new Date());
  }

  private nowMs(): number {
    return this.now().getTime();
  }

  /** Runs `fn` in a transaction, wrapping SQLite errors into StorageError (rolled back: nothing changed). */
  private write<T>(action: string, fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (error) {
      throw toStorageError(error, action, true);
    }
  }

  private read<T>(action: string, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw toStorageError(error, action, false);
    }
  }

  /**
   * Runs several store calls atomically: all their writes commit together or none do (nested calls use
   * savepoints). Errors are rethrown as StorageError (other errors from `fn` pass through after rollback).
   */
  transaction<T>(fn: () => T): T {
    try {
      return this.db.transaction(fn).immediate();
    } catch (error) {
      if (error instanceof StorageError) throw error;
      if (typeof (error as { code?: unknown } | null)?.code === 'string') throw toStorageError(error, 'save the changes');
      throw error;
    }
  }

  // ---------------------------------------------------------------- subscriptions

  /**
   * Creates or replaces the subscription of `input.channelId` (one per channel). Replacing resets the
   * pause, the error and the failure count, and sets `activeFrom` to now (so an occurrence that was
   * already due today is not posted late; a later time today still posts today, unless today's post
   * already exists).
   *
   * @throws Error `zhenyan: invalid time of day …` / `zhenyan: unknown time zone …` for bad input
   * @throws StorageError when the database cannot be written (nothing changed)
   */
  upsertSubscription(input: SubscriptionInput): { subscription: Subscription; created: boolean } {
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
    const time = formatTimeOfDay(parsed);
    return this.write('save the daily tip settings', () => {
      const now = this.nowMs();
      const existing = this.db.prepare('SELECT 1 FROM subscriptions WHERE channel_id = ?').get(input.channelId);
      this.db
        .prepare(
          `INSERT INTO subscriptions (channel_id, guild_id, time_of_day, time_zone, mention_role_id, created_by,
             created_at, updated_at, active_from, paused_at, pause_reason, last_error, last_error_at,
             consecutive_failures, last_failure_date)
           VALUES (@channel, @guild, @time, @zone, @role, @by, @now, @now, @now, NULL, NULL, NULL, NULL, 0, NULL)
           ON CONFLICT (channel_id) DO UPDATE SET
             guild_id = excluded.guild_id, time_of_day = excluded.time_of_day, time_zone = excluded.time_zone,
             mention_role_id = excluded.mention_role_id, created_by = excluded.created_by,
             updated_at = excluded.updated_at, active_from = excluded.active_from,
             paused_at = NULL, pause_reason = NULL, last_error = NULL, last_error_at = NULL,
             consecutive_failures = 0, last_failure_date = NULL`,
        )
        .run({
          channel: input.channelId,
          guild: input.guildId,
          time,
          zone: timeZone,
          role: input.mentionRoleId ?? null,
          by: input.createdBy,
          now,
        });
      const row = this.db.prepare('SELECT * FROM subscriptions WHERE channel_id = ?').get(input.channelId) as SubscriptionRow;
      return { subscription: toSubscription(row), created: !existing };
    });
  }

  /**
   * Removes the subscription of `channelId` in `guildId`, or every subscription of the guild when
   * `channelId` is omitted. The posts log is kept. Returns how many were removed.
   */
  removeSubscription(guildId: string, channelId?: string): number {
    return this.write('remove the daily tip', () =>
      channelId === undefined
        ? this.db.prepare('DELETE FROM subscriptions WHERE guild_id = ?').run(guildId).changes
        : this.db.prepare('DELETE FROM subscriptions WHERE guild_id = ? AND channel_id = ?').run(guildId, channelId).changes,
    );
  }

  /** The subscription of a channel, or null. */
  getSubscription(channelId: string): Subscription | null {
    return this.read('read the daily tip settings', () => {
      const row = this.db.prepare('SELECT * FROM subscriptions WHERE channel_id = ?').get(channelId) as SubscriptionRow | undefined;
      return row ? toSubscription(row) : null;
    });
  }

  /** All subscriptions (paused ones included), or those of one guild; ordered by guild then channel. */
  listSubscriptions(guildId?: string): Subscription[] {
    return this.read('read the daily tip settings', () => {
      const rows = (
        guildId === undefined
          ? this.db.prepare('SELECT * FROM subscriptions ORDER BY guild_id, channel_id').all()
          : this.db.prepare('SELECT * FROM subscriptions WHERE guild_id = ? ORDER BY channel_id').all(guildId)
      ) as SubscriptionRow[];
      return rows.map(toSubscription);
    });
  }

  /**
   * Pauses every active subscription of a guild (e.g. `guild-left` on GUILD_DELETE when the bot was
   * removed — not when the guild is merely unavailable). Already paused ones keep their reason. Returns
   * how many were paused.
   */
  pauseGuild(guildId: string, reason: PauseReason): number {
    return this.write('pause the daily tips', () => {
      const now = this.nowMs();
      return this.db
        .prepare(
          `UPDATE subscriptions SET paused_at = ?, pause_reason = ?, updated_at = ?
           WHERE guild_id = ? AND paused_at IS NULL`,
        )
        .run(now, reason, now, guildId).changes;
    });
  }

  /**
   * Resumes the guild's subscriptions that were paused for `guild-left` (on GUILD_CREATE); ones paused
   * for failures or by hand stay paused. `activeFrom` becomes now: they post from their next occurrence.
   * Returns how many were resumed.
   */
  resumeGuild(guildId: string): number {
    return this.write('resume the daily tips', () => {
      const now = this.nowMs();
      return this.db
        .prepare(
          `UPDATE subscriptions SET paused_at = NULL, pause_reason = NULL, active_from = ?, updated_at = ?
           WHERE guild_id = ? AND pause_reason = 'guild-left'`,
        )
        .run(now, now, guildId).changes;
    });
  }

  /** Pauses one subscription. Returns false when there is none or it is already paused. */
  pauseSubscription(channelId: string, reason: PauseReason): boolean {
    return this.write('pause the daily tip', () => {
      const now = this.nowMs();
      return (
        this.db
          .prepare('UPDATE subscriptions SET paused_at = ?, pause_reason = ?, updated_at = ? WHERE channel_id = ? AND paused_at IS NULL')
          .run(now, reason, now, channelId).changes > 0
      );
    });
  }

  /**
   * Resumes one subscription whatever the pause reason, clearing the failure count; `activeFrom` becomes
   * now. Returns false when there is none or it was not paused.
   */
  resumeSubscription(channelId: string): boolean {
    return this.write('resume the daily tip', () => {
      const now = this.nowMs();
      return (
        this.db
          .prepare(
            `UPDATE subscriptions SET paused_at = NULL, pause_reason = NULL, active_from = ?, updated_at = ?,
               consecutive_failures = 0, last_failure_date = NULL
             WHERE channel_id = ? AND paused_at IS NOT NULL`,
          )
          .run(now, now, channelId).changes > 0
      );
    });
  }

  /**
   * Records a permanent posting failure for the channel's `localDate`: sets `lastError`, and counts the
   * date once in `consecutiveFailures` (a second failure on the same date only updates the error). When
   * the count reaches `pauseAfter` (if given, ≥ 1) the subscription is paused with reason `failures`.
   * Returns null when the channel has no subscription.
   */
  recordFailure(channelId: string, localDate: string, reason: string, pauseAfter?: number): FailureOutcome | null {
    return this.write('record the posting error', () => {
      const row = this.db.prepare('SELECT * FROM subscriptions WHERE channel_id = ?').get(channelId) as SubscriptionRow | undefined;
      if (!row) return null;
      const now = this.nowMs();
      const count = row.last_failure_date === localDate ? row.consecutive_failures : row.consecutive_failures + 1;
      const pause = pauseAfter !== undefined && pauseAfter >= 1 && count >= pauseAfter && row.paused_at === null;
      this.db
        .prepare(
          `UPDATE subscriptions SET last_error = ?, last_error_at = ?, consecutive_failures = ?, last_failure_date = ?,
             updated_at = ?, paused_at = CASE WHEN ? THEN ? ELSE paused_at END,
             pause_reason = CASE WHEN ? THEN 'failures' ELSE pause_reason END
           WHERE channel_id = ?`,
        )
        .run(clip(reason), now, count, localDate, now, pause ? 1 : 0, now, pause ? 1 : 0, channelId);
      return { consecutiveFailures: count, paused: pause };
    });
  }

  /** Sets `lastError` without counting a failed day (e.g. transient errors). Returns false without subscription. */
  noteError(channelId: string, reason: string): boolean {
    return this.write('record the posting error', () => {
      const now = this.nowMs();
      return (
        this.db
          .prepare('UPDATE subscriptions SET last_error = ?, last_error_at = ?, updated_at = ? WHERE channel_id = ?')
          .run(clip(reason), now, now, channelId).changes > 0
      );
    });
  }

  /** Records a successful post: clears `lastError` and the failure count. Returns false without subscription. */
  recordSuccess(channelId: string): boolean {
    return this.write('record the post', () => {
      const now = this.nowMs();
      return (
        this.db
          .prepare(
            `UPDATE subscriptions SET last_error = NULL, last_error_at = NULL, consecutive_failures = 0,
               last_failure_date = NULL, updated_at = ? WHERE channel_id = ?`,
          )
          .run(now, channelId).changes > 0
      );
    });
  }

  // ---------------------------------------------------------------- posts log

  /**
   * Records the intent to post `tipId` in `channelId` for `localDate` BEFORE sending: inserts a
   * `pending` row (attempts = 1) unless the (channel, date) row exists, atomically (UNIQUE constraint).
   * See {@link ClaimResult}.
   */
  claimPost(channelId: string, localDate: string, tipId: string, nonce: string, options: ClaimOptions = {}): ClaimResult {
    return this.write('record the daily post', () => {
      const existing = this.db
        .prepare('SELECT status FROM posts WHERE channel_id = ? AND local_date = ?')
        .get(channelId, localDate) as { status: PostStatus } | undefined;
      if (existing) return statusToClaim(existing.status);
      const now = this.nowMs();
      const guildId = options.guildId !== undefined ? options.guildId : this.guildOf(channelId);
      this.db
        .prepare(
          `INSERT INTO posts (channel_id, guild_id, local_date, tip_id, nonce, status, attempts, claimed_at, updated_at)
           VALUES (?, ?, ?, ?, ?, 'pending', 1, ?, ?)`,
        )
        .run(channelId, guildId, localDate, tipId, nonce, now, now);
      return 'claimed';
    });
  }

  /**
   * Records that `localDate` is deliberately not posted (e.g. missed beyond the grace window), as a final
   * `skipped` row with `reason`. Returns false when the date already has a row (which is left unchanged).
   */
  recordSkip(
    channelId: string,
    localDate: string,
    nonce: string,
    reason: string,
    options: ClaimOptions & { tipId?: string | null } = {},
  ): boolean {
    return this.write('record the skipped post', () => {
      const now = this.nowMs();
      const guildId = options.guildId !== undefined ? options.guildId : this.guildOf(channelId);
      return (
        this.db
          .prepare(
            `INSERT INTO posts (channel_id, guild_id, local_date, tip_id, nonce, status, error, attempts, claimed_at, updated_at)
             VALUES (?, ?, ?, ?, ?, 'skipped', ?, 0, ?, ?)
             ON CONFLICT (channel_id, local_date) DO NOTHING`,
          )
          .run(channelId, guildId, localDate, options.tipId ?? null, nonce, clip(reason), now, now).changes > 0
      );
    });
  }

  /**
   * Starts another send attempt of a `pending` row: increments `attempts` only if it still equals
   * `expectedAttempts` (compare-and-swap), so among several processes reconciling the same row only one
   * sends each attempt. Returns whether this caller won.
   */
  beginAttempt(channelId: string, localDate: string, expectedAttempts: number): boolean {
    return this.write('record the posting attempt', () => {
      const now = this.nowMs();
      return (
        this.db
          .prepare(
            `UPDATE posts SET attempts = attempts + 1, retry_at = NULL, updated_at = ?
             WHERE channel_id = ? AND local_date = ? AND status = 'pending' AND attempts = ?`,
          )
          .run(now, channelId, localDate, expectedAttempts).changes > 0
      );
    });
  }

  /**
   * Marks a `pending` row `sent` with the Discord message id, and in the same transaction clears the
   * subscription's error and failure count. Returns false when there is no pending row (an already
   * `sent` row is left as is).
   */
  markPostSent(channelId: string, localDate: string, messageId: string): boolean {
    return this.write('record the daily post', () => {
      const now = this.nowMs();
      const changed =
        this.db
          .prepare(
            `UPDATE posts SET status = 'sent', message_id = ?, error = NULL, retry_at = NULL, updated_at = ?
             WHERE channel_id = ? AND local_date = ? AND status = 'pending'`,
          )
          .run(messageId, now, channelId, localDate).changes > 0;
      if (changed) this.recordSuccess(channelId);
      return changed;
    });
  }

  /**
   * Records a failed send of a `pending` row. `permanent: true` closes the date (`failed`, final);
   * otherwise the row stays `pending` (the message may or may not exist: it must be re-sent with the
   * same nonce) with the error and `retryAt` (default: now). Returns false when there is no pending row.
   */
  markPostFailed(channelId: string, localDate: string, reason: string, options: { permanent: boolean; retryAt?: Date | null }): boolean {
    return this.write('record the posting error', () => {
      const now = this.nowMs();
      const retryAt = options.permanent ? null : (options.retryAt?.getTime() ?? null);
      const status = options.permanent ? 'failed' : 'pending';
      return (
        this.db
          .prepare(
            `UPDATE posts SET status = ?, error = ?, retry_at = ?, updated_at = ?
             WHERE channel_id = ? AND local_date = ? AND status = 'pending'`,
          )
          .run(status, clip(reason), retryAt, now, channelId, localDate).changes > 0
      );
    });
  }

  /** Closes a `pending` row as `skipped` with `reason` (e.g. the channel unsubscribed meanwhile). */
  markPostSkipped(channelId: string, localDate: string, reason: string): boolean {
    return this.write('record the skipped post', () => {
      const now = this.nowMs();
      return (
        this.db
          .prepare(
            `UPDATE posts SET status = 'skipped', error = ?, retry_at = NULL, updated_at = ?
             WHERE channel_id = ? AND local_date = ? AND status = 'pending'`,
          )
          .run(clip(reason), now, channelId, localDate).changes > 0
      );
    });
  }

  /** The posts-log row of a channel and local date, or null. */
  getPost(channelId: string, localDate: string): PostRecord | null {
    return this.read('read the posts log', () => {
      const row = this.db.prepare('SELECT * FROM posts WHERE channel_id = ? AND local_date = ?').get(channelId, localDate) as
        | PostRow
        | undefined;
      return row ? toPost(row) : null;
    });
  }

  /**
   * The channel's most recent posts-log row (latest local date), any status, or null. Pass
   * `{ status: 'sent' }` for the last message actually posted.
   */
  lastPost(channelId: string, options: { status?: PostStatus } = {}): PostRecord | null {
    return this.read('read the posts log', () => {
      const row = (
        options.status === undefined
          ? this.db.prepare('SELECT * FROM posts WHERE channel_id = ? ORDER BY local_date DESC LIMIT 1').get(channelId)
          : this.db
              .prepare('SELECT * FROM posts WHERE channel_id = ? AND status = ? ORDER BY local_date DESC LIMIT 1')
              .get(channelId, options.status)
      ) as PostRow | undefined;
      return row ? toPost(row) : null;
    });
  }

  /** Every `pending` row (crash mid-post, or transient failure awaiting retry), oldest claim first. */
  pendingPosts(): PostRecord[] {
    return this.read('read the posts log', () =>
      (this.db.prepare("SELECT * FROM posts WHERE status = 'pending' ORDER BY claimed_at, channel_id").all() as PostRow[]).map(toPost),
    );
  }

  /** The channel's posts-log rows, newest first (at most `limit`, default 30). */
  postHistory(channelId: string, limit = 30): PostRecord[] {
    return this.read('read the posts log', () =>
      (
        this.db
          .prepare('SELECT * FROM posts WHERE channel_id = ? ORDER BY local_date DESC LIMIT ?')
          .all(channelId, Math.max(0, Math.floor(limit))) as PostRow[]
      ).map(toPost),
    );
  }

  private guildOf(channelId: string): string | null {
    const row = this.db.prepare('SELECT guild_id FROM subscriptions WHERE channel_id = ?').get(channelId) as
      | { guild_id: string }
      | undefined;
    return row?.guild_id ?? null;
  }
}

function statusToClaim(status: PostStatus): ClaimResult {
  switch (status) {
    case 'sent':
      return 'already-sent';
    case 'pending':
      return 'pending';
    default:
      return 'closed';
  }
}
