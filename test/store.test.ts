import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, StorageError, migrate, openDatabase, schemaVersion, type Db } from '../src/core/store/database.ts';
import { SubscriptionStore, type SubscriptionInput } from '../src/core/store/subscriptions.ts';

let dir: string;
const opened: Db[] = [];
let clock = new Date('2026-05-10T00:00:00Z');

function open(path: string, options: Parameters<typeof openDatabase>[1] = {}): Db {
  const db = openDatabase(path, options);
  opened.push(db);
  return db;
}

function storeOn(db: Db): SubscriptionStore {
  return new SubscriptionStore(db, { now: () => clock });
}

const input = (overrides: Partial<SubscriptionInput> = {}): SubscriptionInput => ({
  guildId: 'g1',
  channelId: 'c1',
  time: '09:00',
  timeZone: 'Asia/Shanghai',
  mentionRoleId: null,
  createdBy: 'u1',
  ...overrides,
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zhenyan-store-'));
  clock = new Date('2026-05-10T00:00:00Z');
});

afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('openDatabase and migrations', () => {
  it('creates parent folders, uses WAL and foreign keys, and migrates', () => {
    const path = join(dir, 'nested', 'var', 'zhenyan.db');
    const db = open(path);
    expect(existsSync(path)).toBe(true);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(Number(db.pragma('busy_timeout', { simple: true }))).toBe(5000);
    expect(schemaVersion(db)).toBe(MIGRATIONS[MIGRATIONS.length - 1]?.version);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>).map(
      (r) => r.name,
    );
    expect(tables).toEqual(expect.arrayContaining(['posts', 'schema_migrations', 'subscriptions']));
  });

  it('is idempotent: opening twice applies nothing the second time and keeps data', () => {
    const path = join(dir, 'z.db');
    const first = open(path);
    storeOn(first).upsertSubscription(input());
    first.close();
    const second = open(path);
    expect(migrate(second)).toEqual([]);
    expect(migrate(second)).toEqual([]);
    expect((second.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(MIGRATIONS.length);
    expect(storeOn(second).listSubscriptions()).toHaveLength(1);
  });

  it('supports :memory:', () => {
    const db = open(':memory:');
    expect(schemaVersion(db)).toBe(1);
    storeOn(db).upsertSubscription(input());
    expect(storeOn(db).listSubscriptions()).toHaveLength(1);
  });

  it('rolls back a failing migration step entirely', () => {
    const path = join(dir, 'z.db');
    open(path).close();
    const broken = [
      ...MIGRATIONS,
      { version: 2, name: 'broken', up: 'CREATE TABLE extra (x INTEGER); INSERT INTO nope VALUES (1);' },
    ];
    expect(() => openDatabase(path, { migrations: broken })).toThrow(StorageError);
    const db = open(path);
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get()).toBeUndefined();
  });

  it('applies a new migration once', () => {
    const path = join(dir, 'z.db');
    open(path).close();
    const more = [...MIGRATIONS, { version: 2, name: 'extra', up: 'CREATE TABLE extra (x INTEGER)' }];
    const db = open(path, { migrations: more });
    expect(schemaVersion(db)).toBe(2);
    expect(migrate(db, more)).toEqual([]);
  });

  it('refuses a database from a newer build', () => {
    const path = join(dir, 'z.db');
    const db = open(path);
    db.pragma('user_version = 99');
    db.close();
    expect(() => openDatabase(path)).toThrow(/newer than this build/);
  });

  it('wraps an unopenable path in a StorageError', () => {
    const error = (() => {
      try {
        openDatabase(join(dir, 'missing', 'z.db'), { readonly: true });
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).message).toMatch(/^zhenyan: /);
    expect((error as StorageError).userMessage).toMatch(/^Couldn't open the database/);
  });
});

describe('subscriptions', () => {
  it('creates and replaces one subscription per channel, normalising time and zone', () => {
    const store = storeOn(open(':memory:'));
    const created = store.upsertSubscription(input({ time: '9:05', timeZone: 'asia/shanghai', mentionRoleId: 'r1' }));
    expect(created.created).toBe(true);
    expect(created.subscription).toMatchObject({
      guildId: 'g1',
      channelId: 'c1',
      time: '09:05',
      timeZone: 'Asia/Shanghai',
      mentionRoleId: 'r1',
      createdBy: 'u1',
      pausedAt: null,
      pauseReason: null,
      consecutiveFailures: 0,
    });
    expect(created.subscription.activeFrom).toEqual(clock);
    clock = new Date('2026-05-10T03:00:00Z');
    const replaced = store.upsertSubscription(input({ time: '18:30', timeZone: 'Europe/London', createdBy: 'u2' }));
    expect(replaced.created).toBe(false);
    expect(replaced.subscription).toMatchObject({ time: '18:30', timeZone: 'Europe/London', mentionRoleId: null, createdBy: 'u2' });
    expect(replaced.subscription.createdAt).toEqual(new Date('2026-05-10T00:00:00Z'));
    expect(replaced.subscription.activeFrom).toEqual(clock);
    expect(store.listSubscriptions()).toHaveLength(1);
  });

  it('validates input with zhenyan errors and writes nothing', () => {
    const store = storeOn(open(':memory:'));
    expect(() => store.upsertSubscription(input({ time: '25:61' }))).toThrow(/^zhenyan: invalid time of day/);
    expect(() => store.upsertSubscription(input({ timeZone: 'Mars/Base' }))).toThrow(/^zhenyan: unknown time zone/);
    expect(() => store.upsertSubscription(input({ channelId: '' }))).toThrow(/^zhenyan: /);
    expect(store.listSubscriptions()).toEqual([]);
  });

  it('lists, filters and removes', () => {
    const store = storeOn(open(':memory:'));
    store.upsertSubscription(input({ channelId: 'c1' }));
    store.upsertSubscription(input({ channelId: 'c2' }));
    store.upsertSubscription(input({ guildId: 'g2', channelId: 'c3' }));
    expect(store.listSubscriptions().map((s) => s.channelId)).toEqual(['c1', 'c2', 'c3']);
    expect(store.listSubscriptions('g1').map((s) => s.channelId)).toEqual(['c1', 'c2']);
    expect(store.removeSubscription('g1', 'c2')).toBe(1);
    expect(store.removeSubscription('g2', 'c1')).toBe(0); // wrong guild
    expect(store.getSubscription('c2')).toBeNull();
    expect(store.removeSubscription('g1')).toBe(1);
    expect(store.listSubscriptions().map((s) => s.channelId)).toEqual(['c3']);
  });

  it('pauses a guild and resumes only what was paused for guild-left', () => {
    const store = storeOn(open(':memory:'));
    store.upsertSubscription(input({ channelId: 'c1' }));
    store.upsertSubscription(input({ channelId: 'c2' }));
    store.upsertSubscription(input({ channelId: 'c3', guildId: 'g2' }));
    expect(store.pauseSubscription('c2', 'failures')).toBe(true);
    expect(store.pauseGuild('g1', 'guild-left')).toBe(1); // c2 keeps its reason
    expect(store.getSubscription('c1')).toMatchObject({ pauseReason: 'guild-left' });
    expect(store.getSubscription('c2')).toMatchObject({ pauseReason: 'failures' });
    expect(store.getSubscription('c3')?.pausedAt).toBeNull();
    clock = new Date('2026-05-11T00:00:00Z');
    expect(store.resumeGuild('g1')).toBe(1);
    expect(store.getSubscription('c1')).toMatchObject({ pausedAt: null, pauseReason: null, activeFrom: clock });
    expect(store.getSubscription('c2')).toMatchObject({ pauseReason: 'failures' });
    expect(store.resumeSubscription('c2')).toBe(true);
    expect(store.getSubscription('c2')?.pausedAt).toBeNull();
  });

  it('counts failures once per local date, pauses after N, resets on success', () => {
    const store = storeOn(open(':memory:'));
    store.upsertSubscription(input());
    expect(store.recordFailure('c1', '2026-05-10', 'Missing Permissions', 3)).toEqual({ consecutiveFailures: 1, paused: false });
    expect(store.recordFailure('c1', '2026-05-10', 'Missing Permissions again', 3)).toEqual({ consecutiveFailures: 1, paused: false });
    expect(store.recordFailure('c1', '2026-05-11', 'Missing Permissions', 3)).toEqual({ consecutiveFailures: 2, paused: false });
    expect(store.recordSuccess('c1')).toBe(true);
    expect(store.getSubscription('c1')).toMatchObject({ consecutiveFailures: 0, lastError: null });
    store.recordFailure('c1', '2026-05-12', 'x', 3);
    store.recordFailure('c1', '2026-05-13', 'x', 3);
    expect(store.recordFailure('c1', '2026-05-14', 'Missing Access', 3)).toEqual({ consecutiveFailures: 3, paused: true });
    expect(store.getSubscription('c1')).toMatchObject({ pauseReason: 'failures', lastError: 'Missing Access', consecutiveFailures: 3 });
    expect(store.recordFailure('nope', '2026-05-14', 'x', 3)).toBeNull();
  });
});

describe('posts log', () => {
  it('UNIQUE (channel, date): a second claim returns pending, then already-sent', () => {
    const store = storeOn(open(':memory:'));
    store.upsertSubscription(input());
    expect(store.claimPost('c1', '2026-05-10', 'tip-1', 'nonce-1')).toBe('claimed');
    expect(store.claimPost('c1', '2026-05-10', 'tip-2', 'nonce-2')).toBe('pending');
    expect(store.getPost('c1', '2026-05-10')).toMatchObject({ tipId: 'tip-1', nonce: 'nonce-1', status: 'pending', attempts: 1, guildId: 'g1' });
    expect(store.pendingPosts().map((p) => p.localDate)).toEqual(['2026-05-10']);
    expect(store.markPostSent('c1', '2026-05-10', 'm1')).toBe(true);
    expect(store.markPostSent('c1', '2026-05-10', 'm2')).toBe(false);
    expect(store.claimPost('c1', '2026-05-10', 'tip-1', 'nonce-1')).toBe('already-sent');
    expect(store.getPost('c1', '2026-05-10')).toMatchObject({ status: 'sent', messageId: 'm1' });
    expect(store.pendingPosts()).toEqual([]);
    expect(store.lastPost('c1')).toMatchObject({ localDate: '2026-05-10', status: 'sent' });
    // the constraint itself, not just the repository, forbids a second row
    const db = opened[opened.length - 1] as Db;
    expect(() =>
      db
        .prepare("INSERT INTO posts (channel_id, local_date, nonce, status, claimed_at, updated_at) VALUES ('c1', '2026-05-10', 'n', 'pending', 0, 0)")
        .run(),
    ).toThrow(/UNIQUE/);
  });

  it('two connections (two processes) claiming the same date: exactly one wins', () => {
    const path = join(dir, 'z.db');
    const a = storeOn(open(path));
    const b = storeOn(open(path));
    a.upsertSubscription(input());
    const results = [a.claimPost('c1', '2026-05-10', 't', 'n'), b.claimPost('c1', '2026-05-10', 't', 'n')];
    expect(results.sort()).toEqual(['claimed', 'pending']);
  });

  it('failed and skipped rows close the date', () => {
    const store = storeOn(open(':memory:'));
    store.upsertSubscription(input());
    store.claimPost('c1', '2026-05-10', 't', 'n');
    expect(store.markPostFailed('c1', '2026-05-10', 'Unknown Channel', { permanent: true })).toBe(true);
    expect(store.claimPost('c1', '2026-05-10', 't', 'n')).toBe('closed');
    expect(store.recordSkip('c1', '2026-05-11', 'n2', 'beyond grace')).toBe(true);
    expect(store.recordSkip('c1', '2026-05-11', 'n2', 'again')).toBe(false);
    expect(store.getPost('c1', '2026-05-11')).toMatchObject({ status: 'skipped', error: 'beyond grace', tipId: null });
    expect(store.claimPost('c1', '2026-05-11', 't', 'n2')).toBe('closed');
    expect(store.lastPost('c1')?.localDate).toBe('2026-05-11');
    expect(store.lastPost('c1', { status: 'sent' })).toBeNull();
    expect(store.postHistory('c1').map((p) => p.status)).toEqual(['skipped', 'failed']);
  });

  it('transient failures keep the row pending with a retry time; beginAttempt is a compare-and-swap', () => {
    const store = storeOn(open(':memory:'));
    store.claimPost('c1', '2026-05-10', 't', 'n', { guildId: 'g9' });
    const retryAt = new Date('2026-05-10T00:05:00Z');
    expect(store.markPostFailed('c1', '2026-05-10', '503', { permanent: false, retryAt })).toBe(true);
    expect(store.getPost('c1', '2026-05-10')).toMatchObject({ status: 'pending', error: '503', retryAt, guildId: 'g9' });
    expect(store.beginAttempt('c1', '2026-05-10', 1)).toBe(true);
    expect(store.beginAttempt('c1', '2026-05-10', 1)).toBe(false);
    expect(store.getPost('c1', '2026-05-10')).toMatchObject({ attempts: 2, retryAt: null });
    expect(store.markPostSkipped('c1', '2026-05-10', 'unsubscribed')).toBe(true);
    expect(store.beginAttempt('c1', '2026-05-10', 2)).toBe(false);
  });

  it('markPostSent also clears the failure count, atomically', () => {
    const store = storeOn(open(':memory:'));
    store.upsertSubscription(input());
    store.recordFailure('c1', '2026-05-09', 'x', 3);
    store.claimPost('c1', '2026-05-10', 't', 'n');
    store.markPostSent('c1', '2026-05-10', 'm');
    expect(store.getSubscription('c1')).toMatchObject({ consecutiveFailures: 0, lastError: null });
  });
});

describe('storage failures: StorageError and nothing changed', () => {
  // Tests may run as root, where chmod 0444 does not stop writes. We simulate a read-only database in two
  // ways that SQLite itself enforces: opening the file with `{ readonly: true }` (SQLITE_READONLY) and
  // `PRAGMA query_only = ON` on a writable connection (also SQLITE_READONLY).
  function seed(path: string): void {
    const store = storeOn(open(path));
    store.upsertSubscription(input());
    store.claimPost('c1', '2026-05-10', 't', 'n');
  }

  function snapshot(path: string): unknown {
    const db = open(path, { readonly: true });
    const result = {
      subs: db.prepare('SELECT * FROM subscriptions ORDER BY channel_id').all(),
      posts: db.prepare('SELECT * FROM posts ORDER BY channel_id, local_date').all(),
    };
    db.close();
    return result;
  }

  function expectStorageError(fn: () => unknown, kind: StorageError['kind']): StorageError {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(StorageError);
      const e = error as StorageError;
      expect(e.kind).toBe(kind);
      expect(e.message).toMatch(/^zhenyan: storage: /);
      expect(e.userMessage).toMatch(/Nothing was changed\.$/);
      return e;
    }
    throw new Error('expected a StorageError');
  }

  it('read-only file (opened readonly)', () => {
    const path = join(dir, 'z.db');
    seed(path);
    const before = snapshot(path);
    const store = storeOn(open(path, { readonly: true }));
    const error = expectStorageError(() => store.upsertSubscription(input({ channelId: 'c2' })), 'read-only');
    expect(error.code).toMatch(/^SQLITE_READONLY/);
    expect(error.userMessage).toBe("Couldn't save the daily tip settings: the database is read-only. Nothing was changed.");
    expectStorageError(() => store.markPostSent('c1', '2026-05-10', 'm'), 'read-only');
    expectStorageError(() => store.claimPost('c1', '2026-05-11', 't', 'n'), 'read-only');
    expectStorageError(() => store.pauseGuild('g1', 'guild-left'), 'read-only');
    expectStorageError(() => store.removeSubscription('g1'), 'read-only');
    expect(store.listSubscriptions()).toHaveLength(1); // reads still work
    expect(snapshot(path)).toEqual(before);
  });

  it('read-only connection (PRAGMA query_only)', () => {
    const path = join(dir, 'z.db');
    seed(path);
    const before = snapshot(path);
    const db = open(path);
    db.pragma('query_only = ON');
    const store = storeOn(db);
    expectStorageError(() => store.upsertSubscription(input({ time: '10:00' })), 'read-only');
    expectStorageError(() => store.recordFailure('c1', '2026-05-10', 'x', 3), 'read-only');
    expect(snapshot(path)).toEqual(before);
  });

  it('disk full (max_page_count) mid-write leaves the database unchanged', () => {
    const path = join(dir, 'z.db');
    seed(path);
    const db = open(path);
    const pages = Number(db.pragma('page_count', { simple: true }));
    db.pragma(`max_page_count = ${pages}`);
    const before = snapshot(path);
    const store = storeOn(db);
    // A large value needs new pages: SQLITE_FULL in the middle of the transaction.
    const error = expectStorageError(
      () => store.upsertSubscription(input({ channelId: 'c2', createdBy: 'x'.repeat(200_000) })),
      'full',
    );
    expect(error.code).toBe('SQLITE_FULL');
    expect(error.userMessage).toContain('the disk is full');
    expect(snapshot(path)).toEqual(before);
    // still usable afterwards for small writes that fit
    expect(store.listSubscriptions()).toHaveLength(1);
  });

  it('a multi-step store.transaction is all or nothing', () => {
    const path = join(dir, 'z.db');
    seed(path);
    const before = snapshot(path);
    const store = storeOn(open(path));
    expect(() =>
      store.transaction(() => {
        store.markPostFailed('c1', '2026-05-10', 'Missing Access', { permanent: true });
        store.recordFailure('c1', '2026-05-10', 'Missing Access', 3);
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(snapshot(path)).toEqual(before);
  });
});
