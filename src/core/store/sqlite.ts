/**
 * The SQLite adapter of the {@link DailyStore} (better-sqlite3, the embedded default).
 *
 * better-sqlite3 is synchronous and one connection has one transaction at a time, so every operation
 * goes through one queue per process: an asynchronous transaction never interleaves with another one. Writes are `BEGIN IMMEDIATE` (the write lock first: two processes on one file
 * serialise there, waiting up to `busy_timeout`), which is what makes `claimDue` exclusive on SQLite.
 *
 * One file, one machine: SQLite's locks do not work reliably on network file systems, and two machines
 * must never share a file — use PostgreSQL (`DATABASE_URL`) to run the bot on several machines.
 */
import type { Statement } from 'better-sqlite3';
import { openDatabase, toStorageError, type Db, type OpenDatabaseOptions } from './database.ts';
import { SqlDailyStore, type DailyStoreOptions, type SqlDriver, type SqlExecutor } from './subscriptions.ts';

/** Rewrites `$1`-style placeholders to `?` and returns the parameter order. */
function translate(sql: string): { sql: string; order: number[] } {
  const order: number[] = [];
  const text = sql.replace(/\$(\d+)/g, (_, n: string) => {
    order.push(Number(n) - 1);
    return '?';
  });
  return { sql: text, order };
}

/** A {@link SqlDriver} over one better-sqlite3 connection. */
export class SqliteDriver implements SqlDriver {
  readonly kind = 'sqlite' as const;
  readonly lockClause = '';
  private readonly statements = new Map<string, { statement: Statement; order: number[]; reader: boolean }>();
  /**
   * One queue for every SQLite connection of this process: a transaction spans awaits, and a second
   * connection's `BEGIN IMMEDIATE` in the same thread would block on the busy timeout while the first
   * one can never finish. Other processes are serialised by SQLite's lock (and `busy_timeout`).
   */
  private static queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly executor: SqlExecutor;

  /** @param db an open, migrated database (see `openDatabase`); closed by {@link close} */
  constructor(readonly db: Db) {
    this.executor = {
      all: async <T>(sql: string, params: readonly unknown[] = []) => {
        const { statement, order, reader } = this.prepare(sql);
        const args = order.map((i) => params[i]);
        return (reader ? statement.all(...args) : (statement.run(...args), [])) as T[];
      },
      run: async (sql: string, params: readonly unknown[] = []) => {
        const { statement, order } = this.prepare(sql);
        return statement.run(...order.map((i) => params[i])).changes;
      },
    };
  }

  private prepare(sql: string): { statement: Statement; order: number[]; reader: boolean } {
    let entry = this.statements.get(sql);
    if (!entry) {
      const { sql: text, order } = translate(sql);
      const statement = this.db.prepare(text);
      entry = { statement, order, reader: statement.reader };
      this.statements.set(sql, entry);
    }
    return entry;
  }

  /**
   * Runs `task` alone among this process's SQLite operations (e.g. opening and migrating another
   * connection while a transaction of this process is in flight would wait on the lock forever).
   */
  static exclusive<T>(task: () => T | Promise<T>): Promise<T> {
    const result = SqliteDriver.queue.then(task, task);
    SqliteDriver.queue = result.catch(() => undefined);
    return result;
  }

  /** Runs `task` after every earlier SQLite operation of this process has finished. */
  private serial<T>(task: () => Promise<T>): Promise<T> {
    return SqliteDriver.exclusive(task);
  }

  write<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.executor);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
  }

  read<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.serial(() => fn(this.executor));
  }

  toStorageError(error: unknown, action: string, write: boolean) {
    return toStorageError(error, action, write);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.serial(async () => this.db.close());
  }
}

/**
 * Opens (creating and migrating) the SQLite store at `path` (`:memory:` for a private one), or wraps an
 * already open database (tests inject storage faults that way). Synchronous: when this process may have
 * another SQLite transaction in flight, use {@link openSqliteStoreQueued}.
 *
 * @throws StorageError when the file cannot be opened or migrated
 */
export function openSqliteStore(
  source: string | Db,
  options: DailyStoreOptions & { database?: OpenDatabaseOptions } = {},
): SqlDailyStore {
  const db = typeof source === 'string' ? openDatabase(source, options.database) : source;
  return new SqlDailyStore(new SqliteDriver(db), options);
}

/** {@link openSqliteStore} run in this process's SQLite queue (safe while other connections are busy). */
export function openSqliteStoreQueued(
  source: string | Db,
  options: DailyStoreOptions & { database?: OpenDatabaseOptions } = {},
): Promise<SqlDailyStore> {
  return SqliteDriver.exclusive(() => openSqliteStore(source, options));
}
