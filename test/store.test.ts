import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { MIGRATIONS, StorageError, migrate, openDatabase, schemaVersion, type Db } from '../src/core/store/database.ts';
import { openPostgresStore } from '../src/core/store/postgres.ts';
import { openSqliteStore } from '../src/core/store/sqlite.ts';
import type { DailyStore, SubscriptionInput } from '../src/core/store/subscriptions.ts';
import { STORE_KINDS, postgresKind, sqliteKind } from './support/stores.ts';

const LATEST = MIGRATIONS[MIGRATIONS.length - 1]!.version;
let dir: string;
const opened: Db[] = [];
let clock = new Date('2026-05-10T00:00:00Z');

function open(path: string, options: Parameters<typeof openDatabase>[1] = {}): Db {
  const db = openDatabase(path, options);
  opened.push(db);
  return db;
}

function storeOn(db: Db): DailyStore {
  return openSqliteStore(db, { now: () => clock });
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

/** 09:00 in Shanghai on 2026-05-10 and 05-11. */
const DUE_10 = new Date('2026-05-10T01:00:00Z');
const next = { localDate: '2026-05-11', at: new Date('2026-05-11T01:00:00Z') };
const attempt = { channelId: 'c1', guildId: 'g1', localDate: '2026-05-10', tipId: 't1', nonce: 'n1', now: DUE_10, leaseMs: 60_000 };
const finishBase = { channelId: 'c1', guildId: 'g1', localDate: '2026-05-10', owner: 'p1', now: DUE_10 };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zhenyan-store-'));
  clock = new Date('2026-05-10T00:00:00Z');
});

afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

afterAll(() => {
  sqliteKind.cleanup();
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

  it('is idempotent: opening twice applies nothing the second time and keeps data', async () => {
    const path = join(dir, 'z.db');
    const first = open(path);
    await storeOn(first).upsertSubscription(input());
    first.close();
    const second = open(path);
    expect(migrate(second)).toEqual([]);
    expect(migrate(second)).toEqual([]);
    expect((second.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(MIGRATIONS.length);
    expect(await storeOn(second).listSubscriptions()).toHaveLength(1);
  });

  it('supports :memory:', async () => {
    const db = open(':memory:');
    expect(schemaVersion(db)).toBe(LATEST);
    const store = storeOn(db);
    await store.upsertSubscription(input());
    expect(await store.listSubscriptions()).toHaveLength(1);
  });

  it('rolls back a failing migration step entirely', () => {
    const path = join(dir, 'z.db');
    open(path).close();
    const broken = [
      ...MIGRATIONS,
      { version: LATEST + 1, name: 'broken', up: 'CREATE TABLE extra (x INTEGER); INSERT INTO nope VALUES (1);' },
    ];
    expect(() => openDatabase(path, { migrations: broken })).toThrow(StorageError);
    const db = open(path);
    expect(schemaVersion(db)).toBe(LATEST);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'extra'").get()).toBeUndefined();
  });

  it('applies a new migration once', () => {
    const path = join(dir, 'z.db');
    open(path).close();
    const more = [...MIGRATIONS, { version: LATEST + 1, name: 'extra', up: 'CREATE TABLE extra (x INTEGER)' }];
    const db = open(path, { migrations: more });
    expect(schemaVersion(db)).toBe(LATEST + 1);
    expect(migrate(db, more)).toEqual([]);
  });

  it('refuses a database from a newer build', () => {
    const path = join(dir, 'z.db');
    const db = open(path);
    db.pragma('user_version = 99');
    db.close();
    expect(() => openDatabase(path)).toThrow(/newer than this build/);
  });

  it('v2 backfills the next due instant of subscriptions written by v1', () => {
    const path = join(dir, 'z.db');
    const v1 = open(path, { migrations: MIGRATIONS.slice(0, 1) });
    v1.prepare(
      `INSERT INTO subscriptions (channel_id, guild_id, time_of_day, time_zone, created_by, created_at, updated_at, active_from)
       VALUES ('c1', 'g1', '09:00', 'Asia/Shanghai', 'u', 0, 0, 0)`,
    ).run();
    v1.close();
    const db = open(path);
    const row = db.prepare('SELECT next_due_at, next_local_date, style FROM subscriptions').get() as { next_due_at: number; next_local_date: string; style: string };
    expect(row.style).toBe('text');
    // the latest 09:00 in Shanghai at or before now (the real clock: migrations run once, at start-up)
    expect(new Date(row.next_due_at).toISOString().slice(11)).toBe('01:00:00.000Z');
    expect(row.next_due_at).toBeLessThanOrEqual(Date.now());
    expect(row.next_due_at).toBeGreaterThan(Date.now() - 86_400_000);
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

describe.each(STORE_KINDS)('DailyStore on $name', (kind) => {
  const stores: DailyStore[] = [];
  let location: string;
  async function openStore(): Promise<DailyStore> {
    const store = await kind.open(location, { now: () => clock });
    stores.push(store);
    return store;
  }
  beforeEach(() => {
    location = kind.location();
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
  });

  it('creates and replaces one subscription per channel, normalising input, with its next due instant', async () => {
    const store = await openStore();
    const first = await store.upsertSubscription(input({ time: '9:00', timeZone: 'asia/shanghai' }));
    expect(first.created).toBe(true);
    expect(first.subscription).toMatchObject({ time: '09:00', timeZone: 'Asia/Shanghai', style: 'text', nextLocalDate: '2026-05-10' });
    expect(first.subscription.nextDueAt).toEqual(DUE_10);
    clock = new Date('2026-05-10T02:00:00Z'); // 10:00 in Shanghai: today's 09:00 has passed
    const second = await store.upsertSubscription(input({ time: '09:30', style: 'card', mentionRoleId: 'r1' }));
    expect(second.created).toBe(false);
    expect(second.subscription).toMatchObject({ time: '09:30', style: 'card', mentionRoleId: 'r1', nextLocalDate: '2026-05-11' });
    expect(second.subscription.activeFrom).toEqual(clock);
    expect(await store.getSubscription('c1')).toEqual(second.subscription);
    expect(await store.countSubscriptions()).toBe(1);
  });

  it('validates input with zhenyan errors and writes nothing', async () => {
    const store = await openStore();
    await expect(store.upsertSubscription(input({ time: '25:00' }))).rejects.toThrow(/^zhenyan: invalid time of day/);
    await expect(store.upsertSubscription(input({ timeZone: 'Mars/Base' }))).rejects.toThrow(/^zhenyan: unknown time zone/);
    await expect(store.upsertSubscription(input({ style: 'gif' as 'card' }))).rejects.toThrow(/^zhenyan: unknown post style/);
    await expect(store.upsertSubscription(input({ channelId: '' }))).rejects.toThrow(/channelId/);
    expect(await store.listSubscriptions()).toEqual([]);
  });

  it('lists per guild, removes one or all, and skips their pending posts', async () => {
    const store = await openStore();
    await store.upsertSubscription(input());
    await store.upsertSubscription(input({ channelId: 'c2' }));
    await store.upsertSubscription(input({ guildId: 'g2', channelId: 'c3' }));
    expect((await store.listSubscriptions('g1')).map((s) => s.channelId)).toEqual(['c1', 'c2']);
    const [claim] = await store.claimDue({ now: DUE_10, owner: 'p1', leaseMs: 60_000, limit: 1 });
    expect(claim?.subscription.channelId).toBe('c1');
    await store.startAttempt({ ...attempt, owner: 'p1', expectedAttempts: 0 });
    expect(await store.removeSubscription('g1', 'c1')).toBe(1);
    expect((await store.getPost('c1', '2026-05-10'))?.status).toBe('skipped');
    expect(await store.removeSubscription('g1')).toBe(1);
    expect((await store.listSubscriptions()).map((s) => s.channelId)).toEqual(['c3']);
  });

  it('claims only what is due, leases it, and skips what another owner holds until the lease expires', async () => {
    const store = await openStore();
    await store.upsertSubscription(input());
    await store.upsertSubscription(input({ channelId: 'c2', time: '10:00' }));
    expect(await store.claimDue({ now: new Date(DUE_10.getTime() - 1), owner: 'p1', leaseMs: 60_000, limit: 10 })).toEqual([]);
    const claims = await store.claimDue({ now: DUE_10, owner: 'p1', leaseMs: 60_000, limit: 10 });
    expect(claims.map((c) => c.subscription.channelId)).toEqual(['c1']);
    expect(claims[0]).toMatchObject({ post: null, leaseUntil: new Date(DUE_10.getTime() + 60_000) });
    expect(await store.claimDue({ now: new Date(DUE_10.getTime() + 59_999), owner: 'p2', leaseMs: 60_000, limit: 10 })).toEqual([]);
    const takeover = await store.claimDue({ now: new Date(DUE_10.getTime() + 60_000), owner: 'p2', leaseMs: 60_000, limit: 10 });
    expect(takeover.map((c) => c.subscription.channelId)).toEqual(['c1']);
    // p1's lease is gone: it may not start a send any more
    expect(await store.startAttempt({ ...attempt, owner: 'p1', now: new Date(DUE_10.getTime() + 60_001), expectedAttempts: 0 })).toBeNull();
    expect(await store.startAttempt({ ...attempt, owner: 'p2', now: new Date(DUE_10.getTime() + 60_001), expectedAttempts: 0 })).toMatchObject({
      status: 'pending',
      attempts: 1,
      nonce: 'n1',
    });
  });

  it('two connections (two processes) claiming at once get disjoint sets', async () => {
    const a = await openStore();
    const b = await openStore();
    for (let i = 0; i < 40; i += 1) await a.upsertSubscription(input({ channelId: `c${String(i).padStart(2, '0')}` }));
    const [left, right] = await Promise.all([
      a.claimDue({ now: DUE_10, owner: 'a', leaseMs: 60_000, limit: 25 }),
      b.claimDue({ now: DUE_10, owner: 'b', leaseMs: 60_000, limit: 25 }),
    ]);
    const ids = [...left, ...right].map((c) => c.subscription.channelId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(40);
  });

  it('startAttempt is a compare-and-swap on attempts; finish records the post and advances in one step', async () => {
    const store = await openStore();
    await store.upsertSubscription(input());
    await store.claimDue({ now: DUE_10, owner: 'p1', leaseMs: 60_000, limit: 1 });
    expect(await store.startAttempt({ ...attempt, owner: 'p1', expectedAttempts: 0 })).not.toBeNull();
    expect(await store.startAttempt({ ...attempt, owner: 'p1', expectedAttempts: 0 })).toBeNull(); // the row exists
    expect(await store.startAttempt({ ...attempt, owner: 'p1', expectedAttempts: 2 })).toBeNull(); // stale count
    expect(await store.startAttempt({ ...attempt, owner: 'p1', expectedAttempts: 1 })).toMatchObject({ attempts: 2 });
    await store.finish({ ...finishBase, outcome: { kind: 'sent', messageId: 'm1', next } });
    expect(await store.getPost('c1', '2026-05-10')).toMatchObject({ status: 'sent', messageId: 'm1', attempts: 2 });
    const sub = await store.getSubscription('c1');
    expect(sub).toMatchObject({ nextLocalDate: '2026-05-11', nextDueAt: next.at, lastError: null });
    expect(await store.postsWithStatus('pending')).toEqual([]);
    expect(await store.lastPost('c1', { status: 'sent' })).toMatchObject({ localDate: '2026-05-10' });
  });

  it('UNIQUE (channel, local date): a second row for the same date cannot be created', async () => {
    const store = await openStore();
    await store.upsertSubscription(input());
    await store.claimDue({ now: DUE_10, owner: 'p1', leaseMs: 60_000, limit: 1 });
    await store.startAttempt({ ...attempt, owner: 'p1', expectedAttempts: 0 });
    await store.finish({ ...finishBase, outcome: { kind: 'skipped', reason: 'x', nonce: 'n1', next } });
    expect((await store.allPosts()).filter((p) => p.localDate === '2026-05-10')).toHaveLength(1);
    expect((await store.getPost('c1', '2026-05-10'))?.status).toBe('pending'); // a pending row is not overwritten by a skip insert
  });

  it('retry keeps the row pending with the error and the retry instant as the next due', async () => {
    const store = await openStore();
    await store.upsertSubscription(input());
    await store.claimDue({ now: DUE_10, owner: 'p1', leaseMs: 60_000, limit: 1 });
    await store.startAttempt({ ...attempt, owner: 'p1', expectedAttempts: 0 });
    const retryAt = new Date(DUE_10.getTime() + 300_000);
    await store.finish({ ...finishBase, outcome: { kind: 'retry', reason: '503', retryAt } });
    expect(await store.getPost('c1', '2026-05-10')).toMatchObject({ status: 'pending', error: '503', retryAt });
    expect(await store.getSubscription('c1')).toMatchObject({ nextDueAt: retryAt, nextLocalDate: '2026-05-10', lastError: '503' });
    const [claim] = await store.claimDue({ now: retryAt, owner: 'p2', leaseMs: 60_000, limit: 1 });
    expect(claim?.post).toMatchObject({ status: 'pending', attempts: 1 });
  });

  it('counts a permanent failure once per local date, pauses after N, resets on success', async () => {
    const store = await openStore();
    await store.upsertSubscription(input());
    let day = new Date(DUE_10);
    for (let i = 0; i < 3; i += 1) {
      const [claim] = await store.claimDue({ now: day, owner: 'p1', leaseMs: 60_000, limit: 1 });
      const localDate = claim!.subscription.nextLocalDate;
      await store.startAttempt({ ...attempt, localDate, now: day, owner: 'p1', expectedAttempts: 0 });
      const following = { localDate: `2026-05-${11 + i}`, at: new Date(day.getTime() + 86_400_000) };
      const outcome = await store.finish({ ...finishBase, localDate, now: day, outcome: { kind: 'failed', reason: 'Missing Access', pauseAfter: 3, next: following } });
      expect(outcome).toEqual({ consecutiveFailures: i + 1, paused: i === 2 });
      day = following.at;
    }
    const sub = await store.getSubscription('c1');
    expect(sub).toMatchObject({ pauseReason: 'failures', consecutiveFailures: 3, lastError: 'Missing Access' });
    expect(await store.claimDue({ now: new Date(day.getTime() + 86_400_000), owner: 'p1', leaseMs: 60_000, limit: 1 })).toEqual([]);
    clock = new Date(day.getTime() + 3_600_000);
    expect(await store.resumeSubscription('c1')).toBe(true);
    expect(await store.getSubscription('c1')).toMatchObject({ pausedAt: null, consecutiveFailures: 0, nextLocalDate: '2026-05-14' });
  });

  it('pauses a guild (pending posts skipped, nothing claimed) and resumes only guild-left pauses', async () => {
    const store = await openStore();
    await store.upsertSubscription(input());
    await store.upsertSubscription(input({ channelId: 'c2' }));
    expect(await store.pauseSubscription('c2', 'manual')).toBe(true);
    await store.claimDue({ now: DUE_10, owner: 'p1', leaseMs: 60_000, limit: 5 });
    await store.startAttempt({ ...attempt, owner: 'p1', expectedAttempts: 0 });
    expect(await store.pauseGuild('g1', 'guild-left')).toBe(1);
    expect((await store.getPost('c1', '2026-05-10'))?.status).toBe('skipped');
    expect(await store.claimDue({ now: new Date('2026-05-12T00:00:00Z'), owner: 'p1', leaseMs: 60_000, limit: 5 })).toEqual([]);
    clock = new Date('2026-05-10T03:00:00Z');
    expect(await store.resumeGuild('g1')).toBe(1);
    expect(await store.getSubscription('c1')).toMatchObject({ pauseReason: null, nextLocalDate: '2026-05-11', activeFrom: clock });
    expect(await store.getSubscription('c2')).toMatchObject({ pauseReason: 'manual' });
  });

  it('finish by a process that lost its lease records the post but does not advance', async () => {
    const store = await openStore();
    await store.upsertSubscription(input());
    await store.claimDue({ now: DUE_10, owner: 'p1', leaseMs: 1000, limit: 1 });
    await store.startAttempt({ ...attempt, owner: 'p1', leaseMs: 1000, expectedAttempts: 0 });
    const later = new Date(DUE_10.getTime() + 5000);
    await store.claimDue({ now: later, owner: 'p2', leaseMs: 60_000, limit: 1 });
    await store.finish({ ...finishBase, outcome: { kind: 'sent', messageId: 'm1', next } });
    expect((await store.getPost('c1', '2026-05-10'))?.status).toBe('sent');
    expect(await store.getSubscription('c1')).toMatchObject({ nextLocalDate: '2026-05-10' }); // p2 will see 'sent' and advance
  });

  it('releaseLeases hands claims back; nextWake reports the next due instant and lease expiries', async () => {
    const store = await openStore();
    expect(await store.nextWake(DUE_10)).toEqual({ nextDueAt: null, leaseExpiry: null });
    await store.upsertSubscription(input());
    await store.upsertSubscription(input({ channelId: 'c2', time: '10:00' }));
    expect(await store.nextWake(new Date(DUE_10.getTime() - 1))).toEqual({ nextDueAt: DUE_10, leaseExpiry: null });
    expect(await store.nextWake(DUE_10)).toEqual({ nextDueAt: new Date('2026-05-10T02:00:00Z'), leaseExpiry: DUE_10 }); // due, unleased: now
    await store.claimDue({ now: DUE_10, owner: 'p1', leaseMs: 60_000, limit: 5 });
    expect((await store.nextWake(DUE_10)).leaseExpiry).toEqual(new Date(DUE_10.getTime() + 60_000));
    expect(await store.releaseLeases('p1')).toBe(1);
    expect(await store.claimDue({ now: DUE_10, owner: 'p2', leaseMs: 60_000, limit: 5 })).toHaveLength(1);
  });

  it('migrations: several stores opening at once apply each version once', async () => {
    const opened = await Promise.all(Array.from({ length: 4 }, () => openStore()));
    await opened[0]!.upsertSubscription(input());
    for (const s of opened) expect(await s.countSubscriptions()).toBe(1);
  });
});

describe('PostgreSQL connection errors', () => {
  it('a malformed DATABASE_URL is one line naming the problem, without the password', async () => {
    for (const url of ['postgres//user:s3cret@host/db', 'mysql://user:s3cret@host/db', 'postgres://user:s3cret@/db']) {
      const error = await openPostgresStore(url).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StorageError);
      expect((error as Error).message).toMatch(/^zhenyan: DATABASE_URL /);
      expect((error as Error).message).not.toContain('s3cret');
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('an unreachable server is one line naming host and cause, without the password', async () => {
    const error = await openPostgresStore('postgres://user:s3cret@127.0.0.1:1/db', { connectTimeoutMs: 2000 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).kind).toBe('cannot-open');
    expect((error as Error).message).toMatch(/^zhenyan: storage: cannot reach PostgreSQL at 127\.0\.0\.1:1\/db \(ECONNREFUSED\)/);
    expect((error as Error).message).not.toContain('s3cret');
    expect((error as Error).message).not.toContain('\n');
  });

  it('a wrong password is reported without echoing it', async () => {
    const url = new URL(inject('postgresUrl'));
    url.password = 'wrong-s3cret';
    const error = await openPostgresStore(url.toString(), { schema: postgresKind.location() }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).kind).toBe('cannot-open');
    expect((error as Error).message).toMatch(/^zhenyan: storage: cannot reach PostgreSQL at 127\.0\.0\.1:\d+\/postgres \(28P01\)/);
    expect((error as Error).message).not.toContain('wrong-s3cret');
  });
});

describe('storage failures: StorageError and nothing changed', () => {
  // Tests may run as root, where chmod 0444 does not stop writes. We simulate a read-only database in two
  // ways that SQLite itself enforces: opening the file with `{ readonly: true }` (SQLITE_READONLY) and
  // `PRAGMA query_only = ON` on a writable connection (also SQLITE_READONLY).
  async function seed(path: string): Promise<void> {
    const store = storeOn(open(path));
    await store.upsertSubscription(input());
    const [claim] = await store.claimDue({ now: new Date('2026-05-10T01:00:00Z'), owner: 'p1', leaseMs: 60_000, limit: 10 });
    await store.startAttempt({ ...attempt, owner: 'p1', expectedAttempts: 0, localDate: claim!.subscription.nextLocalDate });
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

  async function expectStorageError(fn: () => Promise<unknown>, kind: StorageError['kind']): Promise<StorageError> {
    try {
      await fn();
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

  it('read-only file (opened readonly)', async () => {
    const path = join(dir, 'z.db');
    await seed(path);
    const before = snapshot(path);
    const store = storeOn(open(path, { readonly: true }));
    const error = await expectStorageError(() => store.upsertSubscription(input({ channelId: 'c2' })), 'read-only');
    expect(error.code).toMatch(/^SQLITE_READONLY/);
    expect(error.userMessage).toBe("Couldn't save the daily tip settings: the database is read-only. Nothing was changed.");
    await expectStorageError(() => store.finish({ ...finishBase, outcome: { kind: 'sent', messageId: 'm', next } }), 'read-only');
    await expectStorageError(() => store.claimDue({ now: new Date('2026-05-12T00:00:00Z'), owner: 'p2', leaseMs: 1000, limit: 5 }), 'read-only');
    await expectStorageError(() => store.pauseGuild('g1', 'guild-left'), 'read-only');
    await expectStorageError(() => store.removeSubscription('g1'), 'read-only');
    expect(await store.listSubscriptions()).toHaveLength(1); // reads still work
    expect(snapshot(path)).toEqual(before);
  });

  it('read-only connection (PRAGMA query_only)', async () => {
    const path = join(dir, 'z.db');
    await seed(path);
    const before = snapshot(path);
    const db = open(path);
    db.pragma('query_only = ON');
    const store = storeOn(db);
    await expectStorageError(() => store.upsertSubscription(input({ time: '10:00' })), 'read-only');
    await expectStorageError(() => store.finish({ ...finishBase, outcome: { kind: 'failed', reason: 'x', pauseAfter: 3, next } }), 'read-only');
    expect(snapshot(path)).toEqual(before);
  });

  it('disk full (max_page_count) mid-write leaves the database unchanged', async () => {
    const path = join(dir, 'z.db');
    await seed(path);
    const db = open(path);
    const pages = Number(db.pragma('page_count', { simple: true }));
    db.pragma(`max_page_count = ${pages}`);
    const before = snapshot(path);
    const store = storeOn(db);
    // A large value needs new pages: SQLITE_FULL in the middle of the transaction.
    const error = await expectStorageError(
      () => store.upsertSubscription(input({ channelId: 'c2', createdBy: 'x'.repeat(200_000) })),
      'full',
    );
    expect(error.code).toBe('SQLITE_FULL');
    expect(error.userMessage).toContain('the disk is full');
    expect(snapshot(path)).toEqual(before);
    // still usable afterwards for small writes that fit
    expect(await store.listSubscriptions()).toHaveLength(1);
  });
});
