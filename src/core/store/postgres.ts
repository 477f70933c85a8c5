/**
 * The PostgreSQL adapter of the {@link DailyStore} (`pg`), selected by `DATABASE_URL=postgres://…`:
 * one database shared by every process of the bot, on any number of machines.
 *
 * - Migrations: the same versions as SQLite's (`database.ts`), in PostgreSQL's dialect, append-only,
 *   each in its own transaction with its `schema_migrations` row, applied at start-up under a
 *   session advisory lock, so processes starting together apply each step exactly once.
 * - `claimDue` selects due rows `FOR UPDATE SKIP LOCKED`: concurrent claimers never wait on, nor take,
 *   each other's rows.
 * - Errors: connection problems become a {@link StorageError} of kind `cannot-open` whose message names
 *   the host and the cause, never the password.
 */
import pg from 'pg';
import { StorageError, toStorageError } from './database.ts';
import { SqlDailyStore, type DailyStoreOptions, type SqlDriver, type SqlExecutor } from './subscriptions.ts';

/** One PostgreSQL migration (same numbering and meaning as SQLite's `MIGRATIONS`). */
export interface PgMigration {
  version: number;
  name: string;
  /** SQL script (several statements allowed). */
  up: string;
}

/** PostgreSQL's schema, version by version. Append only. Timestamps are ms since the epoch (BIGINT). */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    name: 'subscriptions and posts log',
    up: `
      CREATE TABLE subscriptions (
        channel_id           TEXT PRIMARY KEY,
        guild_id             TEXT NOT NULL,
        time_of_day          TEXT NOT NULL CHECK (time_of_day ~ '^[0-2][0-9]:[0-5][0-9]$'),
        time_zone            TEXT NOT NULL CHECK (length(time_zone) > 0),
        mention_role_id      TEXT,
        created_by           TEXT NOT NULL,
        created_at           BIGINT NOT NULL,
        updated_at           BIGINT NOT NULL,
        active_from          BIGINT NOT NULL,
        paused_at            BIGINT,
        pause_reason         TEXT CHECK (pause_reason IN ('guild-left', 'failures', 'manual')),
        last_error           TEXT,
        last_error_at        BIGINT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
        last_failure_date    TEXT,
        CHECK ((paused_at IS NULL) = (pause_reason IS NULL))
      );
      CREATE INDEX subscriptions_by_guild ON subscriptions (guild_id);

      CREATE TABLE posts (
        id          BIGSERIAL PRIMARY KEY,
        channel_id  TEXT NOT NULL,
        guild_id    TEXT,
        local_date  TEXT NOT NULL CHECK (local_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
        tip_id      TEXT,
        nonce       TEXT NOT NULL CHECK (length(nonce) BETWEEN 1 AND 25),
        status      TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
        message_id  TEXT,
        error       TEXT,
        attempts    INTEGER NOT NULL DEFAULT 0,
        retry_at    BIGINT,
        claimed_at  BIGINT NOT NULL,
        updated_at  BIGINT NOT NULL,
        UNIQUE (channel_id, local_date),
        CHECK (status <> 'sent' OR message_id IS NOT NULL)
      );
      CREATE INDEX posts_pending ON posts (status) WHERE status = 'pending';
    `,
  },
  {
    version: 2,
    name: 'scheduler scaling: next due instant, leases, post style',
    // A fresh PostgreSQL store has no subscriptions to backfill (there was no PostgreSQL before v2).
    up: `
      ALTER TABLE subscriptions ADD COLUMN style TEXT NOT NULL DEFAULT 'text' CHECK (style IN ('text', 'card'));
      ALTER TABLE subscriptions ADD COLUMN next_due_at BIGINT NOT NULL DEFAULT 0;
      ALTER TABLE subscriptions ADD COLUMN next_local_date TEXT NOT NULL DEFAULT '1970-01-01';
      ALTER TABLE subscriptions ADD COLUMN lease_owner TEXT;
      ALTER TABLE subscriptions ADD COLUMN lease_until BIGINT;
      CREATE INDEX subscriptions_due ON subscriptions (next_due_at) WHERE paused_at IS NULL;
    `,
  },
];

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions extends DailyStoreOptions {
  /**
   * A schema to use (created if missing) instead of the connection's default (`public`). Tests give each
   * file its own. Must be a plain identifier.
   */
  schema?: string;
  /** Connections in the pool. Default 10. */
  poolSize?: number;
  /** The migrations to apply. Default {@link PG_MIGRATIONS}. */
  migrations?: readonly PgMigration[];
  /** How long connecting may take, in ms. Default 10 000. */
  connectTimeoutMs?: number;
}

/**
 * Parses a PostgreSQL URL. Returns a description safe to log (`host:port/database`), or throws a
 * one-line {@link StorageError} that names the problem and never the password.
 */
export function describePostgresUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StorageError('zhenyan: DATABASE_URL is malformed (expected postgres://user:password@host:5432/database)', {
      kind: 'cannot-open',
      code: null,
      userMessage: "Couldn't open the database: its address is malformed.",
    });
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new StorageError(`zhenyan: DATABASE_URL must start with postgres:// or postgresql:// (got ${parsed.protocol}//…)`, {
      kind: 'cannot-open',
      code: null,
      userMessage: "Couldn't open the database: its address is not a PostgreSQL URL.",
    });
  }
  if (parsed.hostname === '') {
    throw new StorageError('zhenyan: DATABASE_URL has no host (expected postgres://user:password@host:5432/database)', {
      kind: 'cannot-open',
      code: null,
      userMessage: "Couldn't open the database: its address has no host.",
    });
  }
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname === '/' ? '' : parsed.pathname}`;
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** A 63-bit key for `pg_advisory_lock`, one per schema. */
function lockKey(schema: string): string {
  let h = 0n;
  for (const ch of `zhenyan-migrations:${schema}`) h = (h * 131n + BigInt(ch.codePointAt(0)!)) & 0x3fffffffffffffffn;
  return h.toString();
}

/** A {@link SqlDriver} over a `pg` pool. */
export class PostgresDriver implements SqlDriver {
  readonly kind = 'postgres' as const;
  readonly lockClause = ' FOR UPDATE SKIP LOCKED';
  private closed = false;

  constructor(
    readonly pool: pg.Pool,
    private readonly where: string,
  ) {}

  private static executor(client: pg.PoolClient | pg.Pool): SqlExecutor {
    return {
      all: async <T>(sql: string, params: readonly unknown[] = []) => (await client.query(sql, params as unknown[])).rows as T[],
      run: async (sql: string, params: readonly unknown[] = []) => (await client.query(sql, params as unknown[])).rowCount ?? 0,
    };
  }

  async write<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      const result = await fn(PostgresDriver.executor(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true; // the connection is gone: do not return it to the pool
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  read<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return fn(PostgresDriver.executor(this.pool));
  }

  toStorageError(error: unknown, action: string, write: boolean): StorageError {
    const wrapped = toStorageError(error, action, write);
    if (wrapped.kind !== 'cannot-open') return wrapped;
    // Name where, never how (the URL holds the password).
    return new StorageError(`zhenyan: storage: cannot reach PostgreSQL at ${this.where} (${wrapped.code ?? 'no code'}): ${errorText(error)}`, {
      kind: 'cannot-open',
      code: wrapped.code,
      userMessage: wrapped.userMessage,
      cause: error,
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  // AggregateError (IPv4 + IPv6 attempts) has an empty message.
  if (text === '' && error instanceof AggregateError) return error.errors.map(errorText).join('; ');
  return text.split('\n')[0] ?? '';
}

/** Applies the pending migrations under an advisory lock; returns the versions applied. */
export async function migratePostgres(pool: pg.Pool, schema: string, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<number[]> {
  const client = await pool.connect();
  const applied: number[] = [];
  const key = lockKey(schema);
  try {
    await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version    INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        applied_at BIGINT NOT NULL
      )`);
      for (const migration of migrations) {
        await client.query('BEGIN');
        try {
          const done = await client.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
          if (done.rowCount === 0) {
            await client.query(migration.up);
            await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [migration.version, migration.name, Date.now()]);
            applied.push(migration.version);
          }
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      }
      const latest = migrations[migrations.length - 1]?.version ?? 0;
      const current = Number((await client.query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations')).rows[0].v);
      if (current > latest) {
        throw new StorageError(`zhenyan: storage: database schema version ${current} is newer than this build (${latest})`, {
          kind: 'other',
          code: null,
          userMessage: "Couldn't open the database: it was written by a newer version of the bot.",
        });
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
  return applied;
}

/**
 * Connects to PostgreSQL at `url`, creates `options.schema` if given, applies the migrations, and returns
 * the store. Rejects with a one-line {@link StorageError} (no password) when the URL is malformed or the
 * server cannot be reached.
 */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<SqlDailyStore> {
  const where = describePostgresUrl(url);
  const schema = options.schema ?? 'public';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new Error(`zhenyan: invalid PostgreSQL schema name ${JSON.stringify(schema)}`);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    ...(options.schema ? { options: `-c search_path=${quoteIdent(schema)}` } : {}),
  });
  // An idle connection dropped by the server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const driver = new PostgresDriver(pool, where);
  try {
    if (options.schema) {
      const client = await pool.connect();
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
      } catch (error) {
        // Several processes creating it at once: one wins, the others see a unique violation.
        if ((error as { code?: string }).code !== '23505' && (error as { code?: string }).code !== '42P06') throw error;
      } finally {
        client.release();
      }
    }
    await migratePostgres(pool, schema, options.migrations);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw driver.toStorageError(error, 'open the database', false);
  }
  return new SqlDailyStore(driver, options);
}
