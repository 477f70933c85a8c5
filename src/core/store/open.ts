/**
 * Opens the daily-tip store the configuration asks for: PostgreSQL when `DATABASE_URL` is set (shared
 * by every process of the bot), else SQLite at `DATABASE_PATH` (one process, one machine).
 */
import type { Db } from './database.ts';
import { openPostgresStore } from './postgres.ts';
import { openSqliteStoreQueued } from './sqlite.ts';
import type { DailyStore } from './subscriptions.ts';

/** Where the store lives. */
export interface StoreLocation {
  /** `postgres://…`: use PostgreSQL. */
  databaseUrl?: string | undefined;
  /** SQLite file (used when `databaseUrl` is unset). */
  databasePath: string;
}

/**
 * Opens and migrates the store. Rejects with a one-line `StorageError` (never the password) when the
 * URL is malformed, the server unreachable, or the file unopenable.
 */
export async function openStore(location: StoreLocation, options: { now?: () => Date; database?: Db } = {}): Promise<DailyStore> {
  if (options.database) return openSqliteStoreQueued(options.database, { now: options.now });
  if (location.databaseUrl) return openPostgresStore(location.databaseUrl, { now: options.now });
  return openSqliteStoreQueued(location.databasePath, { now: options.now });
}
