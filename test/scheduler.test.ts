/**
 * The daily scheduler against both store adapters, with simulated processes (each with its own timers
 * and lease owner) sharing one store, a settable clock, and a fake Discord channel API that honours
 * `enforce_nonce` only within a nonce window, like Discord.
 */
import { pino } from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DailyScheduler,
  postNonce,
  type DailySchedulerOptions,
  type PostRequest,
  type PostResult,
  type RunEvent,
  type SchedulerLogger,
} from '../src/core/schedule/scheduler.ts';
import { StorageError } from '../src/core/store/database.ts';
import type { DailyStore, SubscriptionInput } from '../src/core/store/subscriptions.ts';
import { tipForDay } from '../src/core/tips/order.ts';
import { STORE_KINDS, sqliteKind, type StoreKind } from './support/stores.ts';

// ------------------------------------------------------------------------------------------ harness

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
export const TIPS = Array.from({ length: 17 }, (_, i) => `talk-${i}#${i}`);
/** Discord deduplicates a nonce for "a few minutes": the fake uses 5. */
export const DISCORD_NONCE_WINDOW = 5 * MIN;

/** A settable clock shared by the store and the schedulers. */
export class FakeClock {
  t: number;
  constructor(iso: string) {
    this.t = Date.parse(iso);
  }
  now = (): Date => new Date(this.t);
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
}

/** Timers of one scheduler instance (a "process"); dropped when the process dies. */
export class FakeTimers {
  private seq = 0;
  readonly timers = new Map<number, { at: number; fn: () => void }>();
  readonly delays: number[] = [];
  constructor(private readonly clock: FakeClock) {}
  setTimer = (fn: () => void, delayMs: number): number => {
    expect(delayMs).toBeGreaterThanOrEqual(0);
    expect(delayMs).toBeLessThanOrEqual(2 ** 31 - 1);
    this.delays.push(delayMs);
    this.seq += 1;
    this.timers.set(this.seq, { at: this.clock.t + delayMs, fn });
    return this.seq;
  };
  clearTimer = (handle: unknown): void => {
    this.timers.delete(handle as number);
  };
  next(): { id: number; at: number; fn: () => void } | null {
    let best: { id: number; at: number; fn: () => void } | null = null;
    for (const [id, t] of this.timers) if (!best || t.at < best.at || (t.at === best.at && id < best.id)) best = { id, ...t };
    return best;
  }
}

interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  obj: Record<string, unknown>;
  msg: string;
}

export class MemoryLogger implements SchedulerLogger {
  readonly lines: LogLine[] = [];
  debug(obj: object, msg = ''): void {
    this.lines.push({ level: 'debug', obj: obj as Record<string, unknown>, msg });
  }
  info(obj: object, msg = ''): void {
    this.lines.push({ level: 'info', obj: obj as Record<string, unknown>, msg });
  }
  warn(obj: object, msg = ''): void {
    this.lines.push({ level: 'warn', obj: obj as Record<string, unknown>, msg });
  }
  error(obj: object, msg = ''): void {
    this.lines.push({ level: 'error', obj: obj as Record<string, unknown>, msg });
  }
  has(level: LogLine['level'], pattern: RegExp): boolean {
    return this.lines.some((l) => l.level === level && pattern.test(l.msg));
  }
}

export type Behaviour =
  | 'deliver'
  | 'kill-before-send' // the process dies before the request reaches Discord
  | 'kill-after-send' // Discord created the message, the process dies before recording it
  | 'transient' // 503 after the adapter's own retries, nothing created
  | 'transient-after-send' // Discord created the message but the reply was lost
  | 'throw'
  | { permanent: string };

/**
 * A fake Discord channel API: a nonce seen within {@link DISCORD_NONCE_WINDOW} returns the existing
 * message (`enforce_nonce`); after that window a POST with the same nonce creates a second message, as
 * on Discord. Messages keep their nonce, so `findPosted` can read them back (GET /channels/{id}/messages).
 */
export class FakeDiscord {
  readonly messages: Array<{ id: string; channelId: string; nonce: string; tipId: string; localDate: string; at: number }> = [];
  readonly calls: Array<PostRequest & { process: number }> = [];
  lookups = 0;
  private seq = 0;
  script: Behaviour[] = [];
  decide: ((request: PostRequest) => Behaviour) | null = null;
  constructor(private readonly clock: FakeClock) {}

  private deliver(request: PostRequest): string {
    const existing = this.messages.find((m) => m.channelId === request.channelId && m.nonce === request.nonce && this.clock.t - m.at < DISCORD_NONCE_WINDOW);
    if (existing) return existing.id;
    this.seq += 1;
    const id = `m${this.seq}`;
    this.messages.push({ id, channelId: request.channelId, nonce: request.nonce, tipId: request.tipId, localDate: request.localDate, at: this.clock.t });
    return id;
  }

  /** GET /channels/{id}/messages, looking for the nonce. */
  findPostedFor(process: { dead: boolean }): (request: PostRequest) => Promise<string | null> {
    return async (request) => {
      if (process.dead) return new Promise<string | null>(() => {});
      this.lookups += 1;
      return this.messages.find((m) => m.channelId === request.channelId && m.nonce === request.nonce)?.id ?? null;
    };
  }

  postFor(process: { id: number; dead: boolean; kill: () => void }): (request: PostRequest) => Promise<PostResult> {
    return async (request) => {
      if (process.dead) return new Promise<PostResult>(() => {}); // a dead process does nothing
      this.calls.push({ ...request, process: process.id });
      const behaviour = this.decide ? this.decide(request) : (this.script.shift() ?? 'deliver');
      if (behaviour === 'deliver') return { ok: true, messageId: this.deliver(request) };
      if (behaviour === 'kill-before-send') {
        process.kill();
        return new Promise<PostResult>(() => {});
      }
      if (behaviour === 'kill-after-send') {
        this.deliver(request);
        process.kill();
        return new Promise<PostResult>(() => {});
      }
      if (behaviour === 'transient') return { ok: false, permanent: false, reason: '503 Service Unavailable' };
      if (behaviour === 'transient-after-send') {
        this.deliver(request);
        return { ok: false, permanent: false, reason: 'request timed out' };
      }
      if (behaviour === 'throw') throw new Error('socket hang up');
      return { ok: false, permanent: true, reason: behaviour.permanent };
    };
  }
}

/** One process: a scheduler with its own timers and a kill switch. */
export interface Proc {
  id: number;
  dead: boolean;
  kill: () => void;
  killed: Promise<void>;
  timers: FakeTimers;
  scheduler: DailyScheduler;
}

/** A store location shared by simulated processes. */
export class Env {
  readonly clock: FakeClock;
  readonly discord: FakeDiscord;
  readonly logger = new MemoryLogger();
  store!: DailyStore;
  private location = '';
  private readonly stores: DailyStore[] = [];
  private seq = 0;

  constructor(
    readonly kind: StoreKind,
    startIso: string,
  ) {
    this.clock = new FakeClock(startIso);
    this.discord = new FakeDiscord(this.clock);
  }

  async init(): Promise<this> {
    this.location = this.kind.location();
    this.store = await this.openStore();
    return this;
  }

  /** Another connection to the same database (each process has its own). */
  async openStore(): Promise<DailyStore> {
    const store = await this.kind.open(this.location, { now: this.clock.now });
    this.stores.push(store);
    return store;
  }

  spawn(options: Partial<DailySchedulerOptions> = {}, store: DailyStore = this.store): Proc {
    this.seq += 1;
    let resolveKilled: () => void = () => {};
    const killed = new Promise<void>((resolve) => {
      resolveKilled = resolve;
    });
    const proc = { id: this.seq, dead: false, killed } as Proc;
    proc.kill = () => {
      proc.dead = true;
      resolveKilled();
    };
    proc.timers = new FakeTimers(this.clock);
    proc.scheduler = new DailyScheduler({
      store: frozenWhenDead(store, proc),
      owner: `proc-${this.seq}`,
      clock: { now: this.clock.now },
      setTimer: proc.timers.setTimer,
      clearTimer: proc.timers.clearTimer,
      logger: this.logger,
      pickTip: (channelId, date) => tipForDay(TIPS, channelId, date),
      post: this.discord.postFor(proc),
      findPosted: this.discord.findPostedFor(proc),
      nonceWindowMs: 2 * MIN,
      // One process alone needs no heartbeat to notice others' work; hourly keeps the simulation short.
      heartbeatMs: HOUR,
      ...options,
    });
    return proc;
  }

  async close(): Promise<void> {
    for (const store of this.stores.splice(0)) await store.close();
  }
}

/**
 * The store as one simulated process sees it: once the process is dead, a call never starts and a call
 * in flight never returns. Without this, a killed process's other handlers (it may hold several claims)
 * kept running on the real database while the simulated clock jumped ahead, and decided with a clock
 * hours later than any live process could (a flaky "skipped beyond grace" on a loaded machine).
 */
function frozenWhenDead(store: DailyStore, proc: { dead: boolean }): DailyStore {
  const never = new Promise<never>(() => {});
  return new Proxy(store, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (proc.dead) return never;
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.then(
          (v) => (proc.dead ? never : v),
          (error: unknown) => (proc.dead ? never : Promise.reject(error)),
        );
      };
    },
  });
}

/** Waits until the process is idle or dead. */
export async function settle(proc: Proc): Promise<void> {
  await Promise.race([proc.scheduler.idle(), proc.killed]);
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

/** Fires the live processes' timers in time order up to `untilMs` (advancing the clock). */
export async function runAll(e: Env, procs: Proc[], untilMs: number): Promise<void> {
  for (;;) {
    // Settle first: a process just started has its first run in flight and no timer yet; moving the
    // clock under it would make it act hours "later" than any real process could.
    await Promise.all(procs.map((p) => settle(p)));
    let best: { proc: Proc; id: number; at: number; fn: () => void } | null = null;
    for (const proc of procs) {
      if (proc.dead) continue;
      const next = proc.timers.next();
      if (next && (!best || next.at < best.at)) best = { proc, ...next };
    }
    if (!best || best.at > untilMs) break;
    best.proc.timers.timers.delete(best.id);
    e.clock.t = Math.max(e.clock.t, best.at);
    best.fn();
    await Promise.all(procs.map((p) => settle(p)));
  }
  e.clock.t = Math.max(e.clock.t, untilMs);
}

const runUntil = (e: Env, proc: Proc, untilMs: number) => runAll(e, [proc], untilMs);

/** Simulates a crash: the process stops doing anything (its timers are gone, its leases stay). */
export function die(proc: Proc): void {
  proc.kill();
  proc.scheduler.stop();
  proc.timers.timers.clear();
}

export const sub = (overrides: Partial<SubscriptionInput> = {}): SubscriptionInput => ({
  guildId: 'g1',
  channelId: 'c1',
  time: '09:00',
  timeZone: 'Asia/Shanghai',
  mentionRoleId: null,
  createdBy: 'admin',
  ...overrides,
});

afterAll(() => sqliteKind.cleanup());

// ------------------------------------------------------------------------------------------ tests

describe('postNonce', () => {
  it('is deterministic, at most 25 characters, distinct per channel and date', () => {
    const n = postNonce('123456789012345678', '2026-05-10');
    expect(n).toHaveLength(25);
    expect(n).toBe(postNonce('123456789012345678', '2026-05-10'));
    expect(n).not.toBe(postNonce('123456789012345678', '2026-05-11'));
    expect(n).not.toBe(postNonce('123456789012345679', '2026-05-10'));
  });
});

describe.each(STORE_KINDS)('DailyScheduler on $name', (kind) => {
  let env: Env;
  const envs: Env[] = [];
  async function makeEnv(startIso: string): Promise<Env> {
    const e = await new Env(kind, startIso).init();
    envs.push(e);
    return e;
  }
  beforeEach(async () => {
    env = await makeEnv('2026-05-09T12:00:00Z'); // 20:00 in Shanghai, the day before
  });
  afterEach(async () => {
    for (const e of envs.splice(0)) await e.close();
  });

  describe('normal operation', () => {
    it('posts at the due time via the armed timer, once per day, with the tip of the day', async () => {
      await env.store.upsertSubscription(sub({ mentionRoleId: 'role-1' }));
      const p = env.spawn();
      await p.scheduler.start();
      expect(p.scheduler.nextWakeAt()?.toISOString()).toBe('2026-05-09T13:00:00.000Z'); // heartbeat first
      await runUntil(env, p, Date.parse('2026-05-12T12:00:00Z'));
      expect(env.discord.calls.map((c) => [c.localDate, c.tipId, c.mentionRoleId, c.attempt, c.style])).toEqual([
        ['2026-05-10', tipForDay(TIPS, 'c1', '2026-05-10')?.tipId, 'role-1', 1, 'text'],
        ['2026-05-11', tipForDay(TIPS, 'c1', '2026-05-11')?.tipId, 'role-1', 1, 'text'],
        ['2026-05-12', tipForDay(TIPS, 'c1', '2026-05-12')?.tipId, 'role-1', 1, 'text'],
      ]);
      expect(await env.store.getPost('c1', '2026-05-11')).toMatchObject({ status: 'sent', messageId: 'm2', nonce: postNonce('c1', '2026-05-11') });
      expect(await env.store.getSubscription('c1')).toMatchObject({ nextLocalDate: '2026-05-13', nextDueAt: new Date('2026-05-13T01:00:00Z') });
      expect(env.logger.has('info', /^daily tip posted$/)).toBe(true);
      p.scheduler.stop();
    });

    it('posts exactly at the due minute (not before); a second run the same day does nothing', async () => {
      await env.store.upsertSubscription(sub());
      const p = env.spawn();
      env.clock.set('2026-05-10T00:59:59.999Z');
      expect((await p.scheduler.runDue()).posted).toHaveLength(0);
      env.clock.set('2026-05-10T01:00:00Z');
      expect((await p.scheduler.runDue()).posted).toHaveLength(1);
      env.clock.set('2026-05-10T05:00:00Z');
      const s = await p.scheduler.runDue();
      expect(s.posted).toHaveLength(0);
      expect(env.discord.calls).toHaveLength(1);
    });

    it('a subscription created after its time today starts tomorrow', async () => {
      env.clock.set('2026-05-10T02:00:00Z'); // 10:00 Shanghai
      await env.store.upsertSubscription(sub({ time: '09:00' }));
      const p = env.spawn();
      const s = await p.scheduler.start();
      expect(s.posted).toHaveLength(0);
      expect(s.skipped).toHaveLength(0);
      expect(await env.store.getPost('c1', '2026-05-10')).toBeNull();
      await runUntil(env, p, Date.parse('2026-05-11T02:00:00Z'));
      expect(env.discord.calls.map((c) => c.localDate)).toEqual(['2026-05-11']);
      p.scheduler.stop();
    });

    it('changing the time later the same day still posts today (once)', async () => {
      await env.store.upsertSubscription(sub({ time: '09:00' }));
      const p = env.spawn();
      await p.scheduler.start();
      await runUntil(env, p, Date.parse('2026-05-10T02:00:00Z')); // posted at 09:00
      await env.store.upsertSubscription(sub({ time: '11:00' }));
      await p.scheduler.onSubscriptionsChanged();
      await runUntil(env, p, Date.parse('2026-05-10T12:00:00Z'));
      expect(env.discord.calls.map((c) => c.localDate)).toEqual(['2026-05-10']); // UNIQUE: still one post today
      expect(await env.store.getSubscription('c1')).toMatchObject({ nextLocalDate: '2026-05-11' });
      p.scheduler.stop();
    });

    it('posts across DST: New York 02:30 on spring-forward day at 03:00 EDT, 01:30 on fall-back day once', async () => {
      const e = await makeEnv('2026-03-06T12:00:00Z');
      await e.store.upsertSubscription(sub({ channelId: 'ny-spring', time: '02:30', timeZone: 'America/New_York' }));
      const p = e.spawn();
      await p.scheduler.start();
      await runUntil(e, p, Date.parse('2026-03-10T12:00:00Z'));
      expect(e.discord.messages.map((m) => m.localDate)).toEqual(['2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10']);
      const rows = await Promise.all(['2026-03-07', '2026-03-08', '2026-03-09'].map(async (d) => (await e.store.getPost('ny-spring', d))?.claimedAt.toISOString()));
      expect(rows).toEqual(['2026-03-07T07:30:00.000Z', '2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z']);
      p.scheduler.stop();

      e.clock.set('2026-10-31T12:00:00Z');
      await e.store.upsertSubscription(sub({ channelId: 'ny-fall', time: '01:30', timeZone: 'America/New_York' }));
      const q = e.spawn();
      await q.scheduler.start();
      await runUntil(e, q, Date.parse('2026-11-02T12:00:00Z'));
      expect(e.discord.messages.filter((m) => m.channelId === 'ny-fall').map((m) => m.localDate)).toEqual(['2026-11-01', '2026-11-02']);
      expect((await e.store.getPost('ny-fall', '2026-11-01'))?.claimedAt.toISOString()).toBe('2026-11-01T05:30:00.000Z'); // first 01:30 (EDT)
      q.scheduler.stop();
    });

    it('reports every outcome to onEvent with the lateness of posts (the metrics hook)', async () => {
      await env.store.upsertSubscription(sub());
      const events: RunEvent[] = [];
      const p = env.spawn({ onEvent: (event) => events.push(event) });
      env.clock.set('2026-05-10T01:03:00Z');
      await p.scheduler.runDue();
      expect(events).toEqual([expect.objectContaining({ outcome: 'posted', channelId: 'c1', localDate: '2026-05-10', lateMs: 3 * MIN })]);
    });

    it('accepts a pino logger and validates options with zhenyan errors', () => {
      const logger: SchedulerLogger = pino({ enabled: false });
      expect(() => env.spawn({ logger })).not.toThrow();
      expect(() => env.spawn({ graceMs: -1 })).toThrow(/^zhenyan: /);
      expect(() => env.spawn({ graceMs: 2 * DAY })).toThrow(/^zhenyan: /);
      expect(() => env.spawn({ maxConsecutiveFailures: 0 })).toThrow(/^zhenyan: /);
      expect(() => env.spawn({ concurrency: 0 })).toThrow(/^zhenyan: /);
    });
  });

  describe('restarts and kills during a post', () => {
    /** One subscription (c1, 09:00 Shanghai); its process is killed during the 01:00 UTC post, as `how` says. */
    const killedDuringThe0100Post = async (how: 'kill-before-send' | 'kill-after-send'): Promise<void> => {
      await env.store.upsertSubscription(sub());
      env.discord.script = [how];
      const first = env.spawn();
      env.clock.set('2026-05-10T01:00:00Z');
      void first.scheduler.start();
      await settle(first);
      expect(first.dead).toBe(true);
      die(first);
    };

    it('killed after recording the attempt, before the request: another process takes over when the lease expires', async () => {
      await env.store.upsertSubscription(sub());
      env.discord.script = ['kill-before-send'];
      const first = env.spawn();
      const second = env.spawn({}, await env.openStore());
      env.clock.set('2026-05-10T01:00:00Z');
      void first.scheduler.start();
      await settle(first);
      expect(first.dead).toBe(true);
      die(first);
      expect((await env.store.getPost('c1', '2026-05-10'))?.status).toBe('pending');
      expect(env.discord.messages).toHaveLength(0);
      await second.scheduler.start(); // lease still held by the dead process
      expect(env.discord.calls).toHaveLength(1);
      await runUntil(env, second, Date.parse('2026-05-10T01:05:00Z'));
      expect(env.discord.calls.map((c) => [c.process, c.nonce, c.attempt])).toEqual([
        [first.id, postNonce('c1', '2026-05-10'), 1],
        [second.id, postNonce('c1', '2026-05-10'), 2],
      ]);
      expect(env.discord.calls[1]!.tipId).toBe(env.discord.calls[0]!.tipId);
      expect(env.discord.messages).toHaveLength(1);
      expect(await env.store.getPost('c1', '2026-05-10')).toMatchObject({ status: 'sent', messageId: 'm1', attempts: 2 });
      second.scheduler.stop();
    });

    it('killed after Discord created the message: the re-send within the nonce window is deduplicated by Discord', async () => {
      await killedDuringThe0100Post('kill-after-send');
      expect(env.discord.messages).toHaveLength(1); // the message exists...
      expect((await env.store.getPost('c1', '2026-05-10'))?.status).toBe('pending'); // ...but was not recorded
      env.clock.t += 1 * MIN + 1; // the lease (60 s) expired
      const second = env.spawn();
      await second.scheduler.start();
      expect(env.discord.calls.map((c) => c.nonce)).toEqual([postNonce('c1', '2026-05-10'), postNonce('c1', '2026-05-10')]);
      expect(env.discord.lookups).toBe(0); // within the window: the nonce suffices
      expect(env.discord.messages).toHaveLength(1);
      expect(await env.store.getPost('c1', '2026-05-10')).toMatchObject({ status: 'sent', messageId: 'm1' });
      await runUntil(env, second, Date.parse('2026-05-10T12:00:00Z'));
      expect(env.discord.calls).toHaveLength(2);
      second.scheduler.stop();
    });

    it('restarted later than the nonce window: finds the earlier message by its nonce instead of posting again', async () => {
      await killedDuringThe0100Post('kill-after-send');
      env.clock.t += 40 * MIN; // everything was down for 40 minutes: Discord forgot the nonce
      const second = env.spawn();
      const s = await second.scheduler.start();
      expect(env.discord.lookups).toBe(1);
      expect(env.discord.calls).toHaveLength(1); // no second POST
      expect(env.discord.messages).toHaveLength(1);
      expect(s.posted).toEqual([expect.objectContaining({ messageId: 'm1' })]);
      expect(await env.store.getPost('c1', '2026-05-10')).toMatchObject({ status: 'sent', messageId: 'm1' });
      second.scheduler.stop();
    });

    it('a lost reply is retried after the backoff: looked up first (older than the nonce window), one message', async () => {
      await env.store.upsertSubscription(sub());
      env.discord.script = ['transient-after-send'];
      const p = env.spawn();
      await p.scheduler.start();
      await runUntil(env, p, Date.parse('2026-05-10T02:00:00Z'));
      expect(env.discord.calls).toHaveLength(1);
      expect(env.discord.lookups).toBe(1);
      expect(env.discord.messages).toHaveLength(1);
      expect(await env.store.getPost('c1', '2026-05-10')).toMatchObject({ status: 'sent', messageId: 'm1', attempts: 2 });
      p.scheduler.stop();
    });

    it('mid-day restart catches up within the grace window', async () => {
      await env.store.upsertSubscription(sub()); // 09:00 Shanghai = 01:00Z
      env.clock.set('2026-05-10T03:30:00Z'); // 11:30, the process was down at 09:00
      const p = env.spawn();
      const s = await p.scheduler.start();
      expect(s.posted).toEqual([expect.objectContaining({ localDate: '2026-05-10', lateMs: 150 * MIN })]);
      p.scheduler.stop();
    });

    it('restart beyond the grace window: no late post, recorded as skipped once with the reason; next day normal', async () => {
      await env.store.upsertSubscription(sub());
      env.clock.set('2026-05-10T07:30:00Z'); // 15:30 = 6.5 h late, grace 6 h
      const p = env.spawn();
      const s = await p.scheduler.start();
      expect(s.posted).toHaveLength(0);
      expect(s.skipped).toEqual([expect.objectContaining({ channelId: 'c1', localDate: '2026-05-10', skipReason: 'beyond-grace' })]);
      expect(await env.store.getPost('c1', '2026-05-10')).toMatchObject({ status: 'skipped', error: expect.stringMatching(/beyond the 360 min grace window/) });
      expect(env.logger.has('warn', /beyond the grace window/)).toBe(true);
      await runUntil(env, p, Date.parse('2026-05-11T02:00:00Z'));
      expect(env.discord.calls.map((c) => c.localDate)).toEqual(['2026-05-11']);
      expect(env.logger.lines.filter((l) => /beyond the grace window/.test(l.msg))).toHaveLength(1);
      p.scheduler.stop();
    });

    it('down for days: only the latest missed occurrence is considered (no walk through every day)', async () => {
      await env.store.upsertSubscription(sub());
      env.clock.set('2026-05-14T03:00:00Z'); // 4 days later, 2 h after today's 09:00
      const p = env.spawn();
      const s = await p.scheduler.start();
      expect(s.posted.map((e) => e.localDate)).toEqual(['2026-05-14']);
      expect((await env.store.allPosts()).map((r) => r.localDate)).toEqual(['2026-05-14']);
      p.scheduler.stop();
    });

    it('the grace window is an option', async () => {
      await env.store.upsertSubscription(sub());
      env.clock.set('2026-05-10T01:45:00Z'); // 45 min late
      const p = env.spawn({ graceMs: 30 * MIN });
      const s = await p.scheduler.start();
      expect(s.skipped.map((e) => e.skipReason)).toEqual(['beyond-grace']);
      p.scheduler.stop();
    });

    it("catches up yesterday's late-evening post shortly after midnight", async () => {
      await env.store.upsertSubscription(sub({ time: '23:50' }));
      env.clock.set('2026-05-10T16:20:00Z'); // 00:20 on 05-11 Shanghai; 23:50 on 05-10 was missed
      const p = env.spawn();
      await p.scheduler.start();
      expect(env.discord.calls.map((c) => c.localDate)).toEqual(['2026-05-10']);
      p.scheduler.stop();
    });

    /** Killed during the 01:00 post (`how`), restarted at 08:00: past the 6 h grace window. */
    const restartedAfterGrace = async (how: 'kill-before-send' | 'kill-after-send') => {
      await killedDuringThe0100Post(how);
      env.clock.set('2026-05-10T08:00:00Z');
      const p = env.spawn();
      return { p, s: await p.scheduler.start() };
    };

    it('a pending row older than the grace window is given up, not re-sent', async () => {
      const { p, s } = await restartedAfterGrace('kill-before-send');
      expect(env.discord.calls).toHaveLength(1); // only the dead process's
      expect(s.failed).toHaveLength(1);
      expect((await env.store.getPost('c1', '2026-05-10'))?.status).toBe('failed');
      expect(env.logger.has('error', /daily post given up/)).toBe(true);
      p.scheduler.stop();
    });

    it('a pending row older than the grace window whose message did reach Discord is recorded as sent, not given up', async () => {
      const { p, s } = await restartedAfterGrace('kill-after-send');
      expect(env.discord.calls).toHaveLength(1); // not re-sent
      expect(s.failed).toEqual([]);
      expect(s.posted.map((e) => e.messageId)).toEqual([env.discord.messages[0]!.id]);
      expect(await env.store.getPost('c1', '2026-05-10')).toMatchObject({ status: 'sent', messageId: env.discord.messages[0]!.id });
      expect(env.logger.has('info', /found already posted .* instead of giving up/)).toBe(true);
      p.scheduler.stop();
    });

    it('a lost reply on the last attempt of the grace window: looked up, recorded as sent instead of given up', async () => {
      await env.store.upsertSubscription(sub());
      // A grace window shorter than the retry delay: the first transient failure is also the last attempt.
      const p = env.spawn({ graceMs: 3 * MIN, retryDelayMs: 5 * MIN });
      env.discord.decide = () => 'transient-after-send';
      await p.scheduler.start();
      await runUntil(env, p, Date.parse('2026-05-10T12:00:00Z'));
      expect(env.discord.calls).toHaveLength(1);
      expect(env.discord.messages).toHaveLength(1);
      expect(await env.store.getPost('c1', '2026-05-10')).toMatchObject({ status: 'sent', messageId: env.discord.messages[0]!.id });
      p.scheduler.stop();
    });
  });

  describe('failures', () => {
    it('transient failures: retried later with the same nonce, counting nothing towards pausing', async () => {
      await env.store.upsertSubscription(sub());
      env.discord.script = ['transient', 'throw', 'deliver'];
      const p = env.spawn();
      await p.scheduler.start();
      await runUntil(env, p, Date.parse('2026-05-10T03:00:00Z'));
      const calls = env.discord.calls;
      expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3]);
      expect(new Set(calls.map((c) => c.nonce)).size).toBe(1);
      expect(env.discord.messages).toHaveLength(1);
      expect(await env.store.getPost('c1', '2026-05-10')).toMatchObject({ status: 'sent', attempts: 3 });
      expect(await env.store.getSubscription('c1')).toMatchObject({ consecutiveFailures: 0, lastError: null, pausedAt: null });
      expect(env.logger.has('warn', /failed transiently; will re-send with the same nonce/)).toBe(true);
      p.scheduler.stop();
    });

    it('a post that never resolves times out and is retried with the same nonce', async () => {
      await env.store.upsertSubscription(sub());
      let hangs = 1;
      const base = env.discord.postFor({ id: 99, dead: false, kill: () => {} });
      const p = env.spawn({ postTimeoutMs: 30_000, post: (request) => (hangs-- > 0 ? new Promise<PostResult>(() => {}) : base(request)) });
      await p.scheduler.start();
      const until = Date.parse('2026-05-10T02:00:00Z');
      for (let i = 0; i < 200; i += 1) {
        const next = p.timers.next();
        if (!next || next.at > until) break;
        p.timers.timers.delete(next.id);
        env.clock.t = Math.max(env.clock.t, next.at);
        next.fn();
        await new Promise((resolve) => setTimeout(resolve, 50)); // the first post never settles: no idle() to wait for
      }
      expect(env.discord.calls).toHaveLength(1);
      expect(await env.store.getPost('c1', '2026-05-10')).toMatchObject({ status: 'sent', attempts: 2 });
      expect(env.logger.has('warn', /failed transiently/)).toBe(true);
      p.scheduler.stop();
    });

    it('transient failures until the grace window runs out: given up, not paused', async () => {
      await env.store.upsertSubscription(sub());
      env.discord.decide = () => 'transient';
      const p = env.spawn();
      await p.scheduler.start();
      await runUntil(env, p, Date.parse('2026-05-10T12:00:00Z'));
      const post = await env.store.getPost('c1', '2026-05-10');
      expect(post?.status).toBe('failed');
      expect(post?.error).toMatch(/gave up after \d+ attempt/);
      expect(env.discord.calls.length).toBeGreaterThanOrEqual(5);
      expect(env.discord.calls.length).toBeLessThanOrEqual(12);
      expect(await env.store.getSubscription('c1')).toMatchObject({ pausedAt: null, consecutiveFailures: 0, nextLocalDate: '2026-05-11' });
      expect(env.logger.has('error', /daily tip given up/)).toBe(true);
      p.scheduler.stop();
    });

    it('missing permission: recorded each day, paused after 3 consecutive failed days; a success resets the count', async () => {
      await env.store.upsertSubscription(sub());
      await env.store.upsertSubscription(sub({ channelId: 'c2' }));
      env.discord.decide = (r) => (r.channelId === 'c1' || r.localDate === '2026-05-11' ? { permanent: '403 50013: Missing Permissions' } : 'deliver');
      const p = env.spawn();
      await p.scheduler.start();
      await runUntil(env, p, Date.parse('2026-05-14T12:00:00Z'));
      expect(env.discord.calls.filter((c) => c.channelId === 'c1').map((c) => c.localDate)).toEqual(['2026-05-10', '2026-05-11', '2026-05-12']);
      expect(await env.store.getSubscription('c1')).toMatchObject({ pauseReason: 'failures', consecutiveFailures: 3 });
      expect(await env.store.getSubscription('c2')).toMatchObject({ pauseReason: null, consecutiveFailures: 0 });
      expect(env.logger.has('error', /subscription paused after consecutive failed days/)).toBe(true);
      p.scheduler.stop();
    });

    it('guild removed: paused, nothing posted; re-added: resumes from the next occurrence', async () => {
      await env.store.upsertSubscription(sub());
      const p = env.spawn();
      await p.scheduler.start();
      await runUntil(env, p, Date.parse('2026-05-10T02:00:00Z'));
      await env.store.pauseGuild('g1', 'guild-left');
      await runUntil(env, p, Date.parse('2026-05-12T02:00:00Z'));
      expect(env.discord.calls.map((c) => c.localDate)).toEqual(['2026-05-10']);
      await env.store.resumeGuild('g1');
      await p.scheduler.onSubscriptionsChanged();
      await runUntil(env, p, Date.parse('2026-05-13T02:00:00Z'));
      expect(env.discord.calls.map((c) => c.localDate)).toEqual(['2026-05-10', '2026-05-13']);
      p.scheduler.stop();
    });

    it('ownsGuild false: not posted by that process; the owning process posts it', async () => {
      await env.store.upsertSubscription(sub());
      env.clock.set('2026-05-10T01:00:00Z');
      const other = env.spawn({ ownsGuild: () => false });
      const s = await other.scheduler.runDue();
      expect(s.skipped.map((e) => e.skipReason)).toEqual(['not-owned']);
      expect(env.discord.calls).toHaveLength(0);
      const owner = env.spawn({ ownsGuild: () => true });
      env.clock.t += MIN; // the hold expires
      expect((await owner.scheduler.runDue()).posted).toHaveLength(1);
    });

    it('two processes on the same store at the same instant post once', async () => {
      for (let i = 0; i < 20; i += 1) await env.store.upsertSubscription(sub({ channelId: `c${i}` }));
      env.clock.set('2026-05-10T01:00:00Z');
      const a = env.spawn();
      const b = env.spawn({}, await env.openStore());
      const [sa, sb] = await Promise.all([a.scheduler.runDue(), b.scheduler.runDue()]);
      expect(sa.posted.length + sb.posted.length).toBe(20);
      expect(env.discord.messages).toHaveLength(20);
      expect(env.discord.calls).toHaveLength(20);
    });
  });

  describe('timers never stop silently', () => {
    it('re-arms in steps when the wait exceeds maxTimerDelayMs', async () => {
      await env.store.upsertSubscription(sub());
      const p = env.spawn({ heartbeatMs: 0, maxTimerDelayMs: 2 * HOUR });
      await p.scheduler.start();
      expect(p.timers.delays[0]).toBe(2 * HOUR);
      expect(p.scheduler.nextWakeAt()?.toISOString()).toBe('2026-05-10T01:00:00.000Z');
      await runUntil(env, p, Date.parse('2026-05-10T02:00:00Z'));
      expect(env.discord.calls).toHaveLength(1);
      expect(p.timers.delays.every((d) => d <= 2 * HOUR)).toBe(true);
      p.scheduler.stop();
      expect(p.timers.timers.size).toBe(0);
    });

    it('a storage error in a timer run is logged and retried; the schedule continues', async () => {
      await env.store.upsertSubscription(sub());
      let failures = 2;
      const store = env.store;
      const flaky = new Proxy(store, {
        get(target, prop, receiver) {
          if (prop === 'claimDue' && failures > 0 && env.clock.t >= Date.parse('2026-05-10T01:00:00Z')) {
            return async () => {
              failures -= 1;
              throw new StorageError('zhenyan: storage: disk I/O error', { kind: 'io', code: 'SQLITE_IOERR', userMessage: 'x' });
            };
          }
          const value = Reflect.get(target, prop, receiver) as unknown;
          return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      const p = env.spawn({}, flaky);
      await p.scheduler.start();
      await runUntil(env, p, Date.parse('2026-05-10T04:00:00Z'));
      expect(env.logger.has('error', /daily run failed; will retry|a claim failed/)).toBe(true);
      expect(env.discord.calls.map((c) => c.localDate)).toEqual(['2026-05-10']);
      expect(p.timers.timers.size).toBe(1); // still armed
      p.scheduler.stop();
    });

    it('an exception from pickTip is logged, not thrown out of the timer; retried when the lease expires', async () => {
      await env.store.upsertSubscription(sub());
      let throws = true;
      const p = env.spawn({
        pickTip: (channelId, date) => {
          if (throws) {
            throws = false;
            throw new Error('corpus not loaded');
          }
          return tipForDay(TIPS, channelId, date);
        },
      });
      await p.scheduler.start();
      await runUntil(env, p, Date.parse('2026-05-10T02:00:00Z'));
      expect(env.logger.has('error', /could not handle the claim/)).toBe(true);
      expect(env.discord.calls).toHaveLength(1);
      p.scheduler.stop();
    });
  });

  describe('graceful shutdown', () => {
    it('200 posts due, shut down mid-way: 0 posts after close, 0 rows pending; a restart posts the rest once', async () => {
      // Real timers here: posts take 10 ms each, 16 in flight.
      for (let i = 0; i < 200; i += 1) await env.store.upsertSubscription(sub({ channelId: `c${String(i).padStart(3, '0')}` }));
      env.clock.set('2026-05-10T01:00:00Z');
      let closed = false;
      let postsAfterClose = 0;
      const delivered = new Map<string, number>();
      const slowPost = async (request: PostRequest): Promise<PostResult> => {
        if (closed) postsAfterClose += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
        delivered.set(request.nonce, (delivered.get(request.nonce) ?? 0) + 1);
        return { ok: true, messageId: `m-${request.channelId}` };
      };
      const scheduler = new DailyScheduler({
        store: env.store,
        clock: { now: env.clock.now },
        logger: env.logger,
        pickTip: (channelId, date) => tipForDay(TIPS, channelId, date),
        post: slowPost,
      });
      void scheduler.start();
      await new Promise((resolve) => setTimeout(resolve, 60));
      const finished = await scheduler.shutdown(10_000);
      closed = true;
      expect(finished).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(postsAfterClose).toBe(0);
      expect(await env.store.postsWithStatus('pending')).toEqual([]);
      const sentBefore = (await env.store.postsWithStatus('sent')).length;
      expect(sentBefore).toBeGreaterThan(0);
      expect(sentBefore).toBeLessThan(200);
      expect(sentBefore).toBe(delivered.size);
      // released: a restart right away (no lease to wait for) posts the rest, each once
      closed = false;
      const restart = new DailyScheduler({
        store: env.store,
        clock: { now: env.clock.now },
        logger: env.logger,
        pickTip: (channelId, date) => tipForDay(TIPS, channelId, date),
        post: slowPost,
      });
      const s = await restart.runDue();
      expect(s.posted).toHaveLength(200 - sentBefore);
      expect(delivered.size).toBe(200);
      expect([...delivered.values()].every((n) => n === 1)).toBe(true);
    });
  });
});

// ------------------------------------------------------------------------------------------ crash simulation

describe.each(STORE_KINDS)('crash simulation: several processes on one $name store, random SIGKILLs', (kind) => {
  const channels: SubscriptionInput[] = [
    sub({ channelId: 'sh', guildId: 'g1', time: '09:00', timeZone: 'Asia/Shanghai' }),
    sub({ channelId: 'ny', guildId: 'g2', time: '02:30', timeZone: 'America/New_York' }),
    sub({ channelId: 'ny2', guildId: 'g2', time: '01:30', timeZone: 'America/New_York' }),
    sub({ channelId: 'ldn', guildId: 'g3', time: '01:30', timeZone: 'Europe/London' }),
    sub({ channelId: 'in', guildId: 'g4', time: '00:00', timeZone: 'Asia/Kolkata' }),
    sub({ channelId: 'utc', guildId: 'g5', time: '23:59', timeZone: 'UTC' }),
    sub({ channelId: 'sh2', guildId: 'g1', time: '09:00', timeZone: 'Asia/Shanghai' }),
  ];
  const seeds = kind.name === 'sqlite' ? [1, 2, 3, 4, 5, 6] : [1, 2];
  const totals = { killAfterSend: 0, killBeforeSend: 0, idleKills: 0, lostReplies: 0, takeovers: 0, lookups: 0, restarts: 0 };
  const envs: Env[] = [];
  afterEach(async () => {
    for (const e of envs.splice(0)) await e.close();
  });

  it.each(seeds)('seed %i: 3 processes, 6 simulated days across a DST change', async (seed) => {
    const { mulberry32 } = await import('../src/core/tips/order.ts');
    const random = mulberry32(seed * 7919 + (kind.name === 'sqlite' ? 0 : 17));
    const start = seed % 2 === 0 ? '2026-03-05T12:00:00Z' : '2026-10-29T12:00:00Z';
    const e = await new Env(kind, start).init();
    envs.push(e);
    for (const c of channels) await e.store.upsertSubscription(c);
    const end = e.clock.t + 6 * DAY;

    /** Per process: how many more calls until it is killed during a post, and how. */
    const killPlan = new Map<number, { calls: number; how: 'kill-before-send' | 'kill-after-send' }>();
    e.discord.decide = (request) => {
      const caller = e.discord.calls[e.discord.calls.length - 1]!.process;
      const plan = killPlan.get(caller);
      if (plan && plan.calls === 0) {
        killPlan.delete(caller);
        if (plan.how === 'kill-after-send') totals.killAfterSend += 1;
        else totals.killBeforeSend += 1;
        return plan.how;
      }
      if (plan) plan.calls -= 1;
      if (request.attempt > 1) totals.takeovers += 1;
      const r = random();
      if (r < 0.06) return 'transient';
      if (r < 0.12) {
        totals.lostReplies += 1;
        return 'transient-after-send';
      }
      if (r < 0.14) return 'throw';
      return 'deliver';
    };

    const live: Array<{ proc: Proc; dieAt: number }> = [];
    const spawnOne = async (): Promise<void> => {
      totals.restarts += 1;
      const proc = e.spawn({ heartbeatMs: 15 * MIN }, await e.openStore());
      if (random() < 0.5) killPlan.set(proc.id, { calls: Math.floor(random() * 6), how: random() < 0.5 ? 'kill-before-send' : 'kill-after-send' });
      live.push({ proc, dieAt: e.clock.t + Math.floor(random() * 1.5 * DAY) });
      void proc.scheduler.start();
    };
    for (let i = 0; i < 3; i += 1) await spawnOne();
    const restartAt: number[] = [];

    while (e.clock.t < end) {
      const nextDeath = Math.min(...live.map((l) => l.dieAt), ...restartAt, end);
      await runAll(e, live.map((l) => l.proc), nextDeath);
      for (const l of [...live]) {
        if (l.proc.dead || l.dieAt <= e.clock.t) {
          if (!l.proc.dead) totals.idleKills += 1;
          die(l.proc);
          live.splice(live.indexOf(l), 1);
          // Restarted after up to 2 hours (within the 6 h grace window).
          restartAt.push(e.clock.t + Math.floor(random() * 2 * HOUR));
        }
      }
      for (const at of [...restartAt]) {
        if (at <= e.clock.t) {
          restartAt.splice(restartAt.indexOf(at), 1);
          await spawnOne();
        }
      }
      if (live.length === 0 && restartAt.length > 0) e.clock.t = Math.max(e.clock.t, Math.min(...restartAt));
    }
    // Every process is killed; one clean process finishes what is left (retries, expired leases).
    for (const l of live) die(l.proc);
    killPlan.clear();
    e.discord.decide = () => 'deliver';
    const last = e.spawn({}, await e.openStore());
    void last.scheduler.start();
    await settle(last);
    await runAll(e, [last], e.clock.t + 8 * HOUR);
    last.scheduler.stop();
    totals.lookups += e.discord.lookups;

    // 1. Exactly one message per channel and local date; every call for a date used one nonce and one tip.
    const perKey = new Map<string, number>();
    for (const m of e.discord.messages) perKey.set(`${m.channelId}|${m.localDate}`, (perKey.get(`${m.channelId}|${m.localDate}`) ?? 0) + 1);
    expect([...perKey.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    for (const call of e.discord.calls) {
      expect(call.nonce).toBe(postNonce(call.channelId, call.localDate));
      expect(call.tipId).toBe(tipForDay(TIPS, call.channelId, call.localDate)?.tipId);
    }
    // 2. Nothing due was skipped, and 3. the store agrees with Discord.
    const { addDays, localDate } = await import('../src/core/schedule/time.ts');
    const rows = await e.store.allPosts();
    for (const c of channels) {
      let date = localDate(new Date(Date.parse(start) + DAY), c.timeZone);
      const lastDate = localDate(new Date(end - DAY), c.timeZone);
      while (date <= lastDate) {
        const row = rows.find((r) => r.channelId === c.channelId && r.localDate === date);
        const messages = e.discord.messages.filter((m) => m.channelId === c.channelId && m.localDate === date);
        expect({ channel: c.channelId, date, messages: messages.length, status: row?.status, messageId: row?.messageId }).toEqual({
          channel: c.channelId,
          date,
          messages: 1,
          status: 'sent',
          messageId: messages[0]?.id,
        });
        date = addDays(date, 1);
      }
    }
    for (const m of e.discord.messages) {
      expect(rows.find((r) => r.channelId === m.channelId && r.localDate === m.localDate)?.messageId).toBe(m.id);
    }
    expect(rows.filter((r) => r.status === 'pending')).toEqual([]);
  }, 120_000);

  it('the simulation exercised kills before and after the POST, lost replies, takeovers and nonce look-ups', () => {
    console.info(`crash simulation totals (${kind.name})`, totals);
    expect(totals.killBeforeSend).toBeGreaterThan(1);
    expect(totals.killAfterSend).toBeGreaterThan(1);
    expect(totals.idleKills).toBeGreaterThan(1);
    expect(totals.lostReplies).toBeGreaterThan(1);
    expect(totals.takeovers).toBeGreaterThan(3);
    expect(totals.lookups).toBeGreaterThan(0);
  });
});
