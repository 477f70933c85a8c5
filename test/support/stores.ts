/**
 * Both store adapters for `describe.each`: SQLite (in memory or in a temp file) and PostgreSQL (the
 * run's server from `global-postgres.ts`, a fresh schema per store so tests never see each other's rows).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { openPostgresStore } from '../../src/core/store/postgres.ts';
import { openSqliteStoreQueued } from '../../src/core/store/sqlite.ts';
import type { DailyStore } from '../../src/core/store/subscriptions.ts';

/** Opens stores of one adapter. A "location" lets several stores (processes) share one database. */
export interface StoreKind {
  name: 'sqlite' | 'postgres';
  /** A new, empty database location. */
  location(): string;
  /** Opens a store (a new connection) on `location`. */
  open(location: string, options?: { now?: () => Date }): Promise<DailyStore>;
  /** The DATABASE_URL / DATABASE_PATH environment of a child process using `location`. */
  env(location: string): Record<string, string>;
  /** Removes what `location` created (temp files; PostgreSQL schemas are dropped with the server). */
  cleanup(): void;
}

const tempDirs: string[] = [];

/** SQLite in a temp file (so that several connections, like several processes, can share it). */
export const sqliteKind: StoreKind = {
  name: 'sqlite',
  location() {
    const dir = mkdtempSync(join(tmpdir(), 'zhenyan-store-'));
    tempDirs.push(dir);
    return join(dir, 'zhenyan.db');
  },
  async open(location, options = {}) {
    return openSqliteStoreQueued(location, options);
  },
  env(location) {
    return { DATABASE_PATH: location };
  },
  cleanup() {
    for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  },
};

/** The PostgreSQL URL of the run, with the schema appended as `#schema` in a location. */
export const postgresKind: StoreKind = {
  name: 'postgres',
  location() {
    return `t_${randomBytes(6).toString('hex')}`;
  },
  async open(location, options = {}) {
    return openPostgresStore(inject('postgresUrl'), { ...options, schema: location, poolSize: 4 });
  },
  env(location) {
    const url = new URL(inject('postgresUrl'));
    url.searchParams.set('options', `-c search_path=${location}`);
    return { DATABASE_URL: url.toString() };
  },
  cleanup() {},
};

/** Both adapters, for `describe.each(STORE_KINDS)('…', (kind) => …)`. */
export const STORE_KINDS: readonly StoreKind[] = [sqliteKind, postgresKind];

