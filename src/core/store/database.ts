/**
 * The SQLite database of Zhenyan (better-sqlite3): opening, pragmas, versioned migrations, and the
 * {@link StorageError} every storage failure is wrapped in.
 *
 * Migrations are a list of numbered steps ({@link MIGRATIONS}). Each pending step runs in its own
 * transaction together with the row that records it in `schema_migrations`, and `PRAGMA user_version`
 * is set to the highest applied version, so a crash mid-migration leaves the previous version intact.
 * Opening twice is a no-op (idempotent). A database written by a newer build (version above the known
 * ones) is refused rather than misread.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { firstOccurrence } from '../schedule/plan.ts';

/** An open better-sqlite3 database. */
export type Db = Database.Database;

/** The default database file, relative to the working directory (`var/` is git-ignored). */
export const DEFAULT_DATABASE_PATH = 'var/zhenyan.db';

/** One schema migration. */
export interface Migration {
  /** Strictly increasing version, starting at 1. */
  version: number;
  /** Short description, stored in `schema_migrations.name`. */
  name: string;
  /** SQL script (may hold several statements), or a function for steps SQL alone cannot express. */
  up: string | ((db: Db) => void);
}

/**
 * The schema, version by version. Append only: never edit a released step.
 *
 * v1: `subscriptions` (one per channel) and `posts` (the log of daily posts, one row per channel and
 * local date: `UNIQUE (channel_id, local_date)` makes a duplicate post impossible by construction).
 * Timestamps are milliseconds since the Unix epoch (UTC).
 * v2: the scheduler's columns — `next_due_at` (indexed) and `next_local_date`, the lease
 * (`lease_owner`, `lease_until`), and the post `style`. PostgreSQL's list (`postgres.ts`) has the same
 * versions with the same meaning.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'subscriptions and posts log',
    up: `
      CREATE TABLE subscriptions (
        channel_id           TEXT PRIMARY KEY,
        guild_id             TEXT NOT NULL,
        time_of_day          TEXT NOT NULL CHECK (time_of_day GLOB '[0-2][0-9]:[0-5][0-9]'),
        time_zone            TEXT NOT NULL CHECK (length(time_zone) > 0),
        mention_role_id      TEXT,
        created_by           TEXT NOT NULL,
        created_at           INTEGER NOT NULL,
        updated_at           INTEGER NOT NULL,
        active_from          INTEGER NOT NULL,
        paused_at            INTEGER,
        pause_reason         TEXT CHECK (pause_reason IN ('guild-left', 'failures', 'manual')),
        last_error           TEXT,
        last_error_at        INTEGER,
        consecutive_failures INTEGER NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
        last_failure_date    TEXT,
        CHECK ((paused_at IS NULL) = (pause_reason IS NULL))
      ) STRICT;
      CREATE INDEX subscriptions_by_guild ON subscriptions (guild_id);

      CREATE TABLE posts (
        id          INTEGER PRIMARY KEY,
        channel_id  TEXT NOT NULL,
        guild_id    TEXT,
        local_date  TEXT NOT NULL CHECK (local_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        tip_id      TEXT,
        nonce       TEXT NOT NULL CHECK (length(nonce) BETWEEN 1 AND 25),
        status      TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
        message_id  TEXT,
        error       TEXT,
        attempts    INTEGER NOT NULL DEFAULT 0,
        retry_at    INTEGER,
        claimed_at  INTEGER NOT NULL,
        updated_at  INTEGER NOT NULL,
        UNIQUE (channel_id, local_date),
        CHECK (status <> 'sent' OR message_id IS NOT NULL)
      ) STRICT;
      CREATE INDEX posts_pending ON posts (status) WHERE status = 'pending';
    `,
  },
  {
    version: 2,
    name: 'scheduler scaling: next due instant, leases, post style',
    up: (db) => {
      db.exec(`
        ALTER TABLE subscriptions ADD COLUMN style TEXT NOT NULL DEFAULT 'text' CHECK (style IN ('text', 'card'));
        ALTER TABLE subscriptions ADD COLUMN next_due_at INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE subscriptions ADD COLUMN next_local_date TEXT NOT NULL DEFAULT '1970-01-01';
        ALTER TABLE subscriptions ADD COLUMN lease_owner TEXT;
        ALTER TABLE subscriptions ADD COLUMN lease_until INTEGER;
        CREATE INDEX subscriptions_due ON subscriptions (next_due_at) WHERE paused_at IS NULL;
      `);
      // Existing subscriptions wait for their latest occurrence (or the next one): a claim finds any
      // row already posted for it and moves on.
      const now = new Date();
      const update = db.prepare('UPDATE subscriptions SET next_due_at = ?, next_local_date = ? WHERE channel_id = ?');
      const rows = db.prepare('SELECT channel_id, time_of_day, time_zone, active_from FROM subscriptions').all() as Array<{
        channel_id: string;
        time_of_day: string;
        time_zone: string;
        active_from: number;
      }>;
      for (const row of rows) {
        const next = firstOccurrence({ time: row.time_of_day, timeZone: row.time_zone, activeFrom: new Date(row.active_from) }, now);
        update.run(next.at.getTime(), next.localDate, row.channel_id);
      }
    },
  },
];

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** Open read-only (no migrations are run; pending ones make opening fail). Default false. */
  readonly?: boolean;
  /** How long a write waits for another connection's lock, in ms (`PRAGMA busy_timeout`). Default 5000. */
  busyTimeoutMs?: number;
  /** The migrations to apply. Default {@link MIGRATIONS}; tests may pass their own. */
  migrations?: readonly Migration[];
}

/** What went wrong in storage, in words a user may see. */
export type StorageErrorKind = 'read-only' | 'full' | 'busy' | 'corrupt' | 'cannot-open' | 'io' | 'constraint' | 'other';

/**
 * A storage failure. `message` is for logs (`zhenyan: storage: …`, with the SQLite code); `userMessage`
 * is a friendly sentence for a Discord reply. Every write runs in a transaction, so when a write throws
 * this, nothing was changed.
 */
export class StorageError extends Error {
  /** Category of the failure. */
  readonly kind: StorageErrorKind;
  /** The SQLite extended result code (e.g. `SQLITE_READONLY`, `SQLITE_FULL`), or null. */
  readonly code: string | null;
  /** A sentence for the user, e.g. "Couldn't save: the database is read-only. Nothing was changed." */
  readonly userMessage: string;

  /**
   * @param message log message (prefixed with `zhenyan: ` if it is not already)
   * @param options kind, SQLite code, user message and the original error
   */
  constructor(message: string, options: { kind: StorageErrorKind; code: string | null; userMessage: string; cause?: unknown }) {
    super(message.startsWith('zhenyan: ') ? message : `zhenyan: ${message}`, { cause: options.cause });
    this.name = 'StorageError';
    this.kind = options.kind;
    this.code = options.code;
    this.userMessage = options.userMessage;
  }
}

function classify(code: string | null): StorageErrorKind {
  if (!code) return 'other';
  // PostgreSQL SQLSTATEs (five characters) and connection errors of the pg driver.
  if (/^[0-9A-Z]{5}$/.test(code)) {
    if (code === '25006') return 'read-only';
    if (code === '53100') return 'full';
    if (code === '40001' || code === '40P01' || code === '55P03' || code === '53300') return 'busy';
    if (code.startsWith('23')) return 'constraint';
    if (code.startsWith('08') || code.startsWith('57P') || code.startsWith('28') || code === '3D000') return 'cannot-open';
    if (code.startsWith('58') || code.startsWith('XX')) return 'io';
    return 'other';
  }
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'ECONNRESET' || code === 'EAI_AGAIN') return 'cannot-open';
  if (code.startsWith('SQLITE_READONLY')) return 'read-only';
  if (code === 'SQLITE_FULL') return 'full';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'corrupt';
  if (code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH') return 'cannot-open';
  if (code.startsWith('SQLITE_IOERR')) return 'io';
  if (code.startsWith('SQLITE_CONSTRAINT')) return 'constraint';
  return 'other';
}

const USER_REASONS: Record<StorageErrorKind, string> = {
  'read-only': 'the database is read-only',
  full: 'the disk is full',
  busy: 'the database is busy, please try again in a moment',
  corrupt: 'the database file is damaged',
  'cannot-open': 'the database cannot be opened or reached',
  io: 'a disk error occurred',
  constraint: 'the data was rejected as inconsistent',
  other: 'an unexpected storage error occurred',
};

/**
 * Wraps any error thrown by SQLite (or the file system while opening) into a {@link StorageError};
 * a StorageError passes through unchanged.
 *
 * @param error what was thrown
 * @param action what we were doing, for the log message and the user message, e.g. `save the subscription`
 * @param write whether the action writes (the user message then says nothing was changed). Default true.
 */
export function toStorageError(error: unknown, action: string, write = true): StorageError {
  if (error instanceof StorageError) return error;
  const rawCode = (error as { code?: unknown } | null)?.code;
  let code = typeof rawCode === 'string' ? rawCode : null;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') code = `SQLITE_CANTOPEN(${code})`;
  const kind = classify(code);
  const detail = error instanceof Error ? error.message : String(error);
  const userMessage = write
    ? `Couldn't ${action}: ${USER_REASONS[kind]}. Nothing was changed.`
    : `Couldn't ${action}: ${USER_REASONS[kind]}.`;
  return new StorageError(`zhenyan: storage: could not ${action} (${code ?? 'no code'}): ${detail}`, {
    kind,
    code,
    userMessage,
    cause: error,
  });
}

function checkMigrations(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version <= previous) {
      throw new Error(`zhenyan: migrations must have strictly increasing integer versions (got ${m.version} after ${previous})`);
    }
    previous = m.version;
  }
}

/** The highest applied migration version (0 for an empty database). */
export function schemaVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }) ?? 0);
}

/**
 * Applies the pending migrations, each in its own transaction with its `schema_migrations` row and
 * `user_version` bump. Returns the versions applied (empty when up to date). Safe to call repeatedly
 * and from several processes (a second process finds the work done under the write lock).
 *
 * @throws StorageError when the database is newer than `migrations` or a step fails
 */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): number[] {
  checkMigrations(migrations);
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  const applied: number[] = [];
  try {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    INTEGER PRIMARY KEY,
      name       TEXT NOT NULL,
      applied_at INTEGER NOT NULL
    ) STRICT`);
    for (const migration of migrations) {
      // IMMEDIATE takes the write lock first, so two processes starting together cannot both apply a step.
      const step = db.transaction(() => {
        const done = db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(migration.version);
        if (done) return false;
        if (typeof migration.up === 'string') db.exec(migration.up);
        else migration.up(db);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
          migration.version,
          migration.name,
          Date.now(),
        );
        db.pragma(`user_version = ${Math.max(migration.version, schemaVersion(db))}`);
        return true;
      });
      if (step.immediate()) applied.push(migration.version);
    }
  } catch (error) {
    throw toStorageError(error, 'update the database schema');
  }
  const current = schemaVersion(db);
  if (current > latest) {
    throw new StorageError(`zhenyan: storage: database schema version ${current} is newer than this build (${latest})`, {
      kind: 'other',
      code: null,
      userMessage: "Couldn't open the database: it was written by a newer version of the bot.",
    });
  }
  return applied;
}

/**
 * Opens (creating if needed) the database at `path` and brings its schema up to date.
 *
 * - Parent folders are created (`var/` for the default path).
 * - `:memory:` (or `''`) opens a private in-memory database, for tests.
 * - Pragmas: `journal_mode = WAL` (readers never block the writer; not applicable in memory),
 *   `foreign_keys = ON`, `busy_timeout` (default 5000 ms), `synchronous = NORMAL` (safe with WAL).
 *
 * @param path database file. Default {@link DEFAULT_DATABASE_PATH}.
 * @throws StorageError when the file cannot be opened or migrated
 */
export function openDatabase(path: string = DEFAULT_DATABASE_PATH, options: OpenDatabaseOptions = {}): Db {
  const readonly = options.readonly ?? false;
  const memory = path === ':memory:' || path === '';
  const migrations = options.migrations ?? MIGRATIONS;
  checkMigrations(migrations);
  let db: Db;
  try {
    if (!memory && !readonly) mkdirSync(dirname(resolve(path)), { recursive: true });
    db = new Database(memory ? ':memory:' : path, { readonly, fileMustExist: readonly });
  } catch (error) {
    throw toStorageError(error, 'open the database', false);
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('foreign_keys = ON');
    if (!readonly) {
      if (!memory) db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      migrate(db, migrations);
    } else {
      const latest = migrations[migrations.length - 1]?.version ?? 0;
      const current = schemaVersion(db);
      if (current !== latest) {
        throw new StorageError(`zhenyan: storage: read-only database is at schema version ${current}, expected ${latest}`, {
          kind: 'read-only',
          code: null,
          userMessage: "Couldn't open the database: it is read-only and needs an update.",
        });
      }
    }
  } catch (error) {
    db.close();
    throw toStorageError(error, 'open the database', false);
  }
  return db;
}
