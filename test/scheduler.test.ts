import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DailyScheduler,
  postNonce,
  type DailySchedulerOptions,
  type PostRequest,
  type PostResult,
  type SchedulerLogger,
} from '../src/core/schedule/scheduler.ts';
import { addDays, localDate } from '../src/core/schedule/time.ts';
import { openDatabase, StorageError, type Db } from '../src/core/store/database.ts';
import { SubscriptionStore, type SubscriptionInput } from '../src/core/store/subscriptions.ts';
import { mulberry32, tipForDay } from '../src/core/tips/order.ts';

// ------------------------------------------------------------------------------------------ harness

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const TIPS = Array.from({ length: 17 }, (_, i) => `talk-${i}#${i}`);

/** A settable clock shared by the store and the schedulers. */
class FakeClock {
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
class FakeTimers {
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

class MemoryLogger implements SchedulerLogger {
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

type Behaviour =
  | 'deliver'
  | 'kill-before-send' // the process dies before the request reaches Discord
  | 'kill-after-send' // Discord created the message, the process dies before recording it
  | 'transient' // 503 after the adapter's own retries, nothing created
  | 'transient-after-send' // Discord created the message but the response was lost (timeout)
  | 'throw'
  | { permanent: string };

/**
 * A fake Discord channel API: `enforce_nonce` semantics (a nonce seen before returns the existing message
 * instead of creating one; the window is unlimited here, which is stricter than Discord's few minutes for
 * the duplicate count but lets us also count distinct nonces).
 */
class FakeDiscord {
  readonly messages: Array<{ id: string; channelId: string; nonce: string; tipId: string; localDate: string }> = [];
  readonly calls: Array<PostRequest & { process: number }> = [];
  private readonly byNonce = new Map<string, string>();
  private seq = 0;
  /** What the next calls do (shifted per call); default deliver. */
  script: Behaviour[] = [];
  /** Or a function deciding per call. */
  decide: ((request: PostRequest) => Behaviour) | null = null;
  constructor(private readonly store?: SubscriptionStore) {}

  messagesFor(channelId: string, date: string): number {
    return this.messages.filter((m) => m.channelId === channelId && m.localDate === date).length;
  }

  private deliver(request: PostRequest): string {
    const existing = this.byNonce.get(request.nonce);
    if (existing) return existing;
    this.seq += 1;
    const id = `m${this.seq}`;
    this.byNonce.set(request.nonce, id);
    this.messages.push({ id, channelId: request.channelId, nonce: request.nonce, tipId: request.tipId, localDate: request.localDate });
    return id;
  }

  /** A post function for one process; `onKill` marks the process dead. */
  postFor(process: { id: number; dead: boolean; kill: () => void }): (request: PostRequest) => Promise<PostResult> {
    return async (request) => {
      if (process.dead) return new Promise<PostResult>(() => {}); // a dead process does nothing
      this.calls.push({ ...request, process: process.id });
      if (this.store) {
        // Invariant: never asked to post a date that is already recorded as sent.
        expect(this.store.getPost(request.channelId, request.localDate)?.status).toBe('pending');
      }
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

interface Env {
  db: Db;
  clock: FakeClock;
  store: SubscriptionStore;
  discord: FakeDiscord;
  logger: MemoryLogger;
}

let env: Env;
let processSeq = 0;

function makeEnv(startIso: string): Env {
  const db = openDatabase(':memory:');
  const clock = new FakeClock(startIso);
  const store = new SubscriptionStore(db, { now: clock.now });
  return { db, clock, store, discord: new FakeDiscord(store), logger: new MemoryLogger() };
}

/** One process: a scheduler with its own timers and a kill switch. */
interface Proc {
  id: number;
  dead: boolean;
  kill: () => void;
  killed: Promise<void>;
  timers: FakeTimers;
  scheduler: DailyScheduler;
}

function spawn(e: Env, options: Partial<DailySchedulerOptions> = {}): Proc {
  processSeq += 1;
  let resolveKilled: () => void = () => {};
  const killed = new Promise<void>((resolve) => {
    resolveKilled = resolve;
  });
  const proc = { id: processSeq, dead: false, killed } as Proc;
  proc.kill = () => {
    proc.dead = true;
    resolveKilled();
  };
  proc.timers = new FakeTimers(e.clock);
  proc.scheduler = new DailyScheduler({
    store: e.store,
    clock: { now: e.clock.now },
    setTimer: proc.timers.setTimer,
    clearTimer: proc.timers.clearTimer,
    logger: e.logger,
    pickTip: (channelId, date) => tipForDay(TIPS, channelId, date),
    post: e.discord.postFor(proc),
    ...options,
  });
  return proc;
}

/** Waits until the process is idle or dead. */
async function settle(proc: Proc): Promise<void> {
  await Promise.race([proc.scheduler.idle(), proc.killed]);
  // let microtasks of a just-killed process run (they are part of "dying")
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

/** Fires the process's timers in order up to `untilMs` (advancing the clock), stopping if it dies. */
async function runUntil(e: Env, proc: Proc, untilMs: number): Promise<void> {
  for (;;) {
    if (proc.dead) return;
    const next = proc.timers.next();
    if (!next || next.at > untilMs) break;
    proc.timers.timers.delete(next.id);
    e.clock.t = Math.max(e.clock.t, next.at);
    next.fn();
    await settle(proc);
  }
  if (!proc.dead) e.clock.t = Math.max(e.clock.t, untilMs);
}

/** Simulates a crash: the process stops doing anything (its timers are gone). */
function die(proc: Proc): void {
  proc.kill();
  proc.scheduler.stop();
}

const sub = (overrides: Partial<SubscriptionInput> = {}): SubscriptionInput => ({
  guildId: 'g1',
  channelId: 'c1',
  time: '09:00',
  timeZone: 'Asia/Shanghai',
  mentionRoleId: null,
  createdBy: 'admin',
  ...overrides,
});

beforeEach(() => {
  env = makeEnv('2026-05-09T12:00:00Z'); // 20:00 in Shanghai, the day before
});

afterEach(() => {
  env.db.close();
});

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

describe('DailyScheduler: normal operation', () => {
  it('posts at the due time via the armed timer, once per day, with the tip of the day', async () => {
    env.store.upsertSubscription(sub({ mentionRoleId: 'role-1' }));
    const p = spawn(env);
    await p.scheduler.start();
    expect(p.scheduler.nextWakeAt()?.toISOString()).toBe('2026-05-09T12:15:00.000Z'); // heartbeat first
    expect(p.scheduler.nextRuns()[0]).toMatchObject({ at: new Date('2026-05-10T01:00:00Z'), localDate: '2026-05-10', state: 'scheduled' });
    await runUntil(env, p, Date.parse('2026-05-12T12:00:00Z'));
    expect(env.discord.calls.map((c) => [c.localDate, c.tipId, c.mentionRoleId, c.attempt])).toEqual([
      ['2026-05-10', tipForDay(TIPS, 'c1', '2026-05-10')?.tipId, 'role-1', 1],
      ['2026-05-11', tipForDay(TIPS, 'c1', '2026-05-11')?.tipId, 'role-1', 1],
      ['2026-05-12', tipForDay(TIPS, 'c1', '2026-05-12')?.tipId, 'role-1', 1],
    ]);
    expect(env.store.getPost('c1', '2026-05-11')).toMatchObject({ status: 'sent', messageId: 'm2', nonce: postNonce('c1', '2026-05-11') });
    expect(env.logger.has('info', /^daily tip posted$/)).toBe(true);
    p.scheduler.stop();
  });

  it('posts exactly at the due minute (not before) and a second runDue the same day does nothing', async () => {
    env.store.upsertSubscription(sub());
    const p = spawn(env);
    let s = await p.scheduler.runDue(new Date('2026-05-10T00:59:59.999Z'));
    expect(s.posted).toHaveLength(0);
    s = await p.scheduler.runDue(new Date('2026-05-10T01:00:00Z'));
    expect(s.posted).toHaveLength(1);
    s = await p.scheduler.runDue(new Date('2026-05-10T05:00:00Z'));
    expect(s.posted).toHaveLength(0);
    expect(s.upToDate).toBe(1);
    expect(env.discord.calls).toHaveLength(1);
  });

  it('a subscription created after its time today starts tomorrow', async () => {
    env.clock.set('2026-05-10T02:00:00Z'); // 10:00 Shanghai
    env.store.upsertSubscription(sub({ time: '09:00' }));
    const p = spawn(env);
    const s = await p.scheduler.start();
    expect(s.posted).toHaveLength(0);
    expect(s.skipped).toHaveLength(0);
    expect(env.store.getPost('c1', '2026-05-10')).toBeNull();
    await runUntil(env, p, Date.parse('2026-05-11T02:00:00Z'));
    expect(env.discord.calls.map((c) => c.localDate)).toEqual(['2026-05-11']);
    p.scheduler.stop();
  });

  it('changing the time later the same day still posts today (once)', async () => {
    env.store.upsertSubscription(sub({ time: '09:00' }));
    const p = spawn(env);
    await p.scheduler.start();
    await runUntil(env, p, Date.parse('2026-05-10T02:00:00Z')); // posted at 09:00
    env.store.upsertSubscription(sub({ time: '11:00' }));
    await p.scheduler.onSubscriptionsChanged();
    await runUntil(env, p, Date.parse('2026-05-10T12:00:00Z'));
    expect(env.discord.calls.map((c) => c.localDate)).toEqual(['2026-05-10']); // UNIQUE: still one post today
    p.scheduler.stop();
  });

  it('posts across DST: New York 02:30 on spring-forward day at 03:00 EDT, 01:30 on fall-back day once', async () => {
    const e = makeEnv('2026-03-06T12:00:00Z');
    e.store.upsertSubscription(sub({ channelId: 'ny-spring', time: '02:30', timeZone: 'America/New_York' }));
    const p = spawn(e);
    await p.scheduler.start();
    const postedAt: string[] = [];
    await runUntil(e, p, Date.parse('2026-03-10T12:00:00Z'));
    for (const m of e.discord.messages) postedAt.push(m.localDate);
    expect(postedAt).toEqual(['2026-03-07', '2026-03-08', '2026-03-09', '2026-03-10']);
    const rows = ['2026-03-07', '2026-03-08', '2026-03-09'].map((d) => e.store.getPost('ny-spring', d)?.claimedAt.toISOString());
    expect(rows).toEqual(['2026-03-07T07:30:00.000Z', '2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z']);
    p.scheduler.stop();

    e.clock.set('2026-10-31T12:00:00Z');
    e.store.upsertSubscription(sub({ channelId: 'ny-fall', time: '01:30', timeZone: 'America/New_York' }));
    const q = spawn(e);
    await q.scheduler.start();
    await runUntil(e, q, Date.parse('2026-11-02T12:00:00Z'));
    const fall = e.discord.messages.filter((m) => m.channelId === 'ny-fall').map((m) => m.localDate);
    expect(fall).toEqual(['2026-11-01', '2026-11-02']);
    expect(e.store.getPost('ny-fall', '2026-11-01')?.claimedAt.toISOString()).toBe('2026-11-01T05:30:00.000Z'); // first 01:30 (EDT)
    q.scheduler.stop();
    e.db.close();
  });

  it('nextRuns reports state for status displays', async () => {
    env.store.upsertSubscription(sub({ channelId: 'c1' }));
    env.store.upsertSubscription(sub({ channelId: 'c2', guildId: 'g2', time: '08:00' }));
    env.store.upsertSubscription(sub({ channelId: 'c3', guildId: 'g3' }));
    env.store.pauseGuild('g3', 'guild-left');
    const p = spawn(env, { ownsGuild: (g) => g !== 'g2' });
    const runs = p.scheduler.nextRuns();
    expect(runs.map((r) => [r.channelId, r.state])).toEqual([
      ['c2', 'not-owned'],
      ['c1', 'scheduled'],
      ['c3', 'paused'],
    ]);
    expect(p.scheduler.nextRuns('g1').map((r) => r.channelId)).toEqual(['c1']);
  });

  it('accepts a pino logger', () => {
    const logger: SchedulerLogger = pino({ enabled: false });
    expect(() => spawn(env, { logger })).not.toThrow();
  });

  it('validates options with zhenyan errors', () => {
    expect(() => spawn(env, { graceMs: -1 })).toThrow(/^zhenyan: /);
    expect(() => spawn(env, { graceMs: 2 * DAY })).toThrow(/^zhenyan: /);
    expect(() => spawn(env, { maxConsecutiveFailures: 0 })).toThrow(/^zhenyan: /);
  });
});

describe('DailyScheduler: restarts and kills during a post', () => {
  it('(a1) killed right after the claim, before post was called: restart re-sends with the same nonce', async () => {
    env.store.upsertSubscription(sub());
    // The first process claimed the date (transaction committed) and died before calling post.
    env.clock.set('2026-05-10T01:00:00Z');
    const tip = tipForDay(TIPS, 'c1', '2026-05-10')?.tipId as string;
    expect(env.store.claimPost('c1', '2026-05-10', tip, postNonce('c1', '2026-05-10'))).toBe('claimed');
    expect(env.discord.calls).toHaveLength(0);
    env.clock.set('2026-05-10T01:02:00Z');
    const p = spawn(env);
    const s = await p.scheduler.start();
    expect(env.discord.calls).toHaveLength(1);
    expect(env.discord.calls[0]).toMatchObject({ nonce: postNonce('c1', '2026-05-10'), tipId: tip, attempt: 2 });
    expect(s.posted).toHaveLength(1);
    expect(env.store.getPost('c1', '2026-05-10')).toMatchObject({ status: 'sent', messageId: 'm1', attempts: 2 });
    expect(env.discord.messages).toHaveLength(1);
    expect(env.logger.has('info', /re-sending pending daily post with the same nonce/)).toBe(true);
    p.scheduler.stop();
  });

  it('(a2) killed while calling post, before the request reached Discord: restart posts once', async () => {
    env.store.upsertSubscription(sub());
    env.discord.script = ['kill-before-send'];
    const first = spawn(env);
    await first.scheduler.start();
    await runUntil(env, first, Date.parse('2026-05-10T02:00:00Z'));
    expect(first.dead).toBe(true);
    die(first);
    expect(env.store.getPost('c1', '2026-05-10')?.status).toBe('pending');
    expect(env.discord.messages).toHaveLength(0);
    env.clock.t += 3 * MIN;
    const second = spawn(env);
    await second.scheduler.start();
    const nonces = env.discord.calls.map((c) => [c.process, c.nonce]);
    expect(nonces).toEqual([
      [first.id, postNonce('c1', '2026-05-10')],
      [second.id, postNonce('c1', '2026-05-10')],
    ]);
    expect(env.discord.messages).toHaveLength(1);
    expect(env.store.getPost('c1', '2026-05-10')).toMatchObject({ status: 'sent', messageId: 'm1' });
    second.scheduler.stop();
  });

  it('(b) killed after Discord created the message but before it was recorded: re-sent with the SAME nonce, one message', async () => {
    env.store.upsertSubscription(sub());
    env.discord.script = ['kill-after-send'];
    const first = spawn(env);
    await first.scheduler.start();
    await runUntil(env, first, Date.parse('2026-05-10T02:00:00Z'));
    expect(first.dead).toBe(true);
    die(first);
    expect(env.discord.messages).toHaveLength(1); // the message exists...
    expect(env.store.getPost('c1', '2026-05-10')?.status).toBe('pending'); // ...but was not recorded
    env.clock.t += 1 * MIN;
    const second = spawn(env);
    await second.scheduler.start();
    expect(env.discord.calls).toHaveLength(2);
    expect(env.discord.calls[1]?.nonce).toBe(env.discord.calls[0]?.nonce);
    expect(env.discord.calls[1]?.tipId).toBe(env.discord.calls[0]?.tipId);
    expect(env.discord.messages).toHaveLength(1); // Discord deduplicated by nonce
    expect(env.store.getPost('c1', '2026-05-10')).toMatchObject({ status: 'sent', messageId: 'm1' });
    // and nothing more happens for that date
    await runUntil(env, second, Date.parse('2026-05-10T12:00:00Z'));
    expect(env.discord.calls).toHaveLength(2);
    second.scheduler.stop();
  });

  it('(c) mid-day restart catches up within the grace window', async () => {
    env.store.upsertSubscription(sub()); // 09:00 Shanghai = 01:00Z
    env.clock.set('2026-05-10T03:30:00Z'); // 11:30, the process was down at 09:00
    const p = spawn(env);
    const s = await p.scheduler.start();
    expect(s.posted).toHaveLength(1);
    expect(env.discord.calls.map((c) => c.localDate)).toEqual(['2026-05-10']);
    expect(env.logger.has('info', /catching up a missed daily tip within the grace window/)).toBe(true);
    p.scheduler.stop();
  });

  it('(c) restart beyond the grace window: no late post, recorded as skipped with the reason logged; next day normal', async () => {
    env.store.upsertSubscription(sub());
    env.clock.set('2026-05-10T07:30:00Z'); // 15:30 = 6.5 h late, grace 6 h
    const p = spawn(env);
    const s = await p.scheduler.start();
    expect(s.posted).toHaveLength(0);
    expect(s.skipped).toEqual([expect.objectContaining({ channelId: 'c1', localDate: '2026-05-10', skipReason: 'beyond-grace' })]);
    expect(env.discord.calls).toHaveLength(0);
    expect(env.store.getPost('c1', '2026-05-10')).toMatchObject({ status: 'skipped', error: expect.stringMatching(/beyond the 360 min grace window/) });
    expect(env.logger.has('warn', /beyond the grace window/)).toBe(true);
    expect(env.logger.has('info', /daily run finished/)).toBe(true);
    // a later run does not record it again, and tomorrow posts normally
    await runUntil(env, p, Date.parse('2026-05-11T02:00:00Z'));
    expect(env.discord.calls.map((c) => c.localDate)).toEqual(['2026-05-11']);
    expect(env.logger.lines.filter((l) => /beyond the grace window/.test(l.msg))).toHaveLength(1);
    p.scheduler.stop();
  });

  it('(c) the grace window is an option', async () => {
    env.store.upsertSubscription(sub());
    env.clock.set('2026-05-10T01:45:00Z'); // 45 min late
    const p = spawn(env, { graceMs: 30 * MIN });
    const s = await p.scheduler.start();
    expect(s.skipped.map((e) => e.skipReason)).toEqual(['beyond-grace']);
    p.scheduler.stop();
  });

  it('catches up yesterday\'s late-evening post shortly after midnight', async () => {
    env.store.upsertSubscription(sub({ time: '23:50' }));
    env.clock.set('2026-05-10T16:20:00Z'); // 00:20 on 05-11 Shanghai; 23:50 on 05-10 was missed
    const p = spawn(env);
    await p.scheduler.start();
    expect(env.discord.calls.map((c) => c.localDate)).toEqual(['2026-05-10']);
    p.scheduler.stop();
  });

  it('a pending row older than the grace window is given up, not re-sent', async () => {
    env.store.upsertSubscription(sub());
    env.clock.set('2026-05-10T01:00:00Z');
    env.store.claimPost('c1', '2026-05-10', 'talk-1#1', postNonce('c1', '2026-05-10'));
    env.clock.set('2026-05-10T08:00:00Z');
    const p = spawn(env);
    const s = await p.scheduler.start();
    expect(env.discord.calls).toHaveLength(0);
    expect(s.failed).toHaveLength(1);
    expect(env.store.getPost('c1', '2026-05-10')?.status).toBe('failed');
    expect(env.logger.has('error', /daily post given up/)).toBe(true);
    p.scheduler.stop();
  });
});

describe('DailyScheduler: failures', () => {
  it('transient failure: retried later with the same nonce, counts nothing towards pausing', async () => {
    env.store.upsertSubscription(sub());
    env.discord.script = ['transient', 'throw', 'transient-after-send', 'deliver'];
    const p = spawn(env);
    await p.scheduler.start();
    await runUntil(env, p, Date.parse('2026-05-10T03:00:00Z'));
    const calls = env.discord.calls;
    expect(calls).toHaveLength(4);
    expect(new Set(calls.map((c) => c.nonce)).size).toBe(1);
    expect(calls.map((c) => c.attempt)).toEqual([1, 2, 3, 4]);
    expect(env.discord.messages).toHaveLength(1); // the 'transient-after-send' one, deduplicated on the 4th call
    expect(env.store.getPost('c1', '2026-05-10')).toMatchObject({ status: 'sent', messageId: 'm1', attempts: 4 });
    expect(env.store.getSubscription('c1')).toMatchObject({ consecutiveFailures: 0, lastError: null, pausedAt: null });
    expect(env.logger.has('warn', /failed transiently; will re-send with the same nonce/)).toBe(true);
    p.scheduler.stop();
  });

  it('a post that never resolves times out and is retried with the same nonce', async () => {
    env.store.upsertSubscription(sub());
    let hangs = 1;
    const base = env.discord.postFor({ id: 99, dead: false, kill: () => {} });
    const p = spawn(env, {
      postTimeoutMs: MIN,
      post: (request) => (hangs-- > 0 ? new Promise<PostResult>(() => {}) : base(request)),
    });
    await p.scheduler.start();
    // do not await idle (the first post hangs forever): drive the timers by hand
    const until = Date.parse('2026-05-10T02:00:00Z');
    for (let i = 0; i < 500; i += 1) {
      const next = p.timers.next();
      if (!next || next.at > until) break;
      p.timers.timers.delete(next.id);
      env.clock.t = Math.max(env.clock.t, next.at);
      next.fn();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(env.discord.calls).toHaveLength(1);
    expect(env.store.getPost('c1', '2026-05-10')).toMatchObject({ status: 'sent', attempts: 2 });
    expect(env.logger.has('warn', /failed transiently/)).toBe(true);
    p.scheduler.stop();
  });

  it('transient failures until the grace window runs out: given up, not paused', async () => {
    env.store.upsertSubscription(sub());
    env.discord.decide = () => 'transient';
    const p = spawn(env);
    await p.scheduler.start();
    await runUntil(env, p, Date.parse('2026-05-10T12:00:00Z'));
    const post = env.store.getPost('c1', '2026-05-10');
    expect(post?.status).toBe('failed');
    expect(post?.error).toMatch(/gave up after \d+ attempt/);
    expect(new Set(env.discord.calls.map((c) => c.nonce)).size).toBe(1);
    // exponential backoff (5, 10, 20, 40, 60, 60… min) within the 6 h grace window
    expect(env.discord.calls.length).toBeGreaterThanOrEqual(5);
    expect(env.discord.calls.length).toBeLessThanOrEqual(12);
    expect(env.store.getSubscription('c1')).toMatchObject({ pausedAt: null, consecutiveFailures: 0 });
    expect(env.store.getSubscription('c1')?.lastError).toMatch(/gave up/);
    expect(env.logger.has('error', /daily tip given up/)).toBe(true);
    p.scheduler.stop();
  });

  it('(d) missing permission: recorded each day, paused only after 3 consecutive failed days', async () => {
    env.store.upsertSubscription(sub());
    env.discord.decide = () => ({ permanent: 'Missing Permissions (50013)' });
    const p = spawn(env);
    await p.scheduler.start();
    await runUntil(env, p, Date.parse('2026-05-10T12:00:00Z'));
    expect(env.discord.calls).toHaveLength(1); // no retry the same day
    expect(env.store.getSubscription('c1')).toMatchObject({ consecutiveFailures: 1, pausedAt: null, lastError: 'Missing Permissions (50013)' });
    expect(env.store.getPost('c1', '2026-05-10')?.status).toBe('failed');
    await runUntil(env, p, Date.parse('2026-05-11T12:00:00Z'));
    expect(env.store.getSubscription('c1')).toMatchObject({ consecutiveFailures: 2, pausedAt: null });
    await runUntil(env, p, Date.parse('2026-05-12T12:00:00Z'));
    expect(env.store.getSubscription('c1')).toMatchObject({ consecutiveFailures: 3, pauseReason: 'failures' });
    expect(env.logger.has('error', /subscription paused after consecutive failed days/)).toBe(true);
    await runUntil(env, p, Date.parse('2026-05-15T12:00:00Z'));
    expect(env.discord.calls).toHaveLength(3); // paused: no more attempts
    expect(p.scheduler.nextRuns()[0]?.state).toBe('paused');
    p.scheduler.stop();
  });

  it('(d) a success between failures resets the count', async () => {
    env.store.upsertSubscription(sub());
    env.discord.script = [{ permanent: 'Missing Permissions' }, { permanent: 'Missing Permissions' }, 'deliver', { permanent: 'Missing Permissions' }];
    const p = spawn(env, { maxConsecutiveFailures: 2 });
    await p.scheduler.start();
    await runUntil(env, p, Date.parse('2026-05-10T12:00:00Z'));
    expect(env.store.getSubscription('c1')?.consecutiveFailures).toBe(1);
    await runUntil(env, p, Date.parse('2026-05-11T12:00:00Z'));
    expect(env.store.getSubscription('c1')).toMatchObject({ consecutiveFailures: 2, pauseReason: 'failures' });
    env.store.resumeSubscription('c1');
    await p.scheduler.onSubscriptionsChanged();
    await runUntil(env, p, Date.parse('2026-05-13T12:00:00Z'));
    expect(env.store.getSubscription('c1')).toMatchObject({ consecutiveFailures: 1, pausedAt: null });
    p.scheduler.stop();
  });

  it('(e) deleted channel: recorded as a permanent failure, paused after the limit', async () => {
    env.store.upsertSubscription(sub({ channelId: 'gone' }));
    env.store.upsertSubscription(sub({ channelId: 'ok' }));
    env.discord.decide = (r) => (r.channelId === 'gone' ? { permanent: 'Unknown Channel (10003)' } : 'deliver');
    const p = spawn(env);
    await p.scheduler.start();
    await runUntil(env, p, Date.parse('2026-05-13T12:00:00Z'));
    expect(env.store.getSubscription('gone')).toMatchObject({ pauseReason: 'failures', lastError: 'Unknown Channel (10003)' });
    expect(env.discord.calls.filter((c) => c.channelId === 'gone')).toHaveLength(3);
    expect(env.discord.messages.filter((m) => m.channelId === 'ok').map((m) => m.localDate)).toEqual([
      '2026-05-10',
      '2026-05-11',
      '2026-05-12',
      '2026-05-13',
    ]);
    p.scheduler.stop();
  });

  it('(f) guild removed: paused (guild-left), nothing posted; re-added: resumes from the next occurrence', async () => {
    env.store.upsertSubscription(sub({ channelId: 'c1' }));
    env.store.upsertSubscription(sub({ channelId: 'c2' }));
    env.store.upsertSubscription(sub({ channelId: 'other', guildId: 'g2' }));
    const p = spawn(env);
    await p.scheduler.start();
    // GUILD_DELETE at 08:00 on 05-10
    await runUntil(env, p, Date.parse('2026-05-10T00:00:00Z'));
    expect(env.store.pauseGuild('g1', 'guild-left')).toBe(2);
    await p.scheduler.onSubscriptionsChanged();
    await runUntil(env, p, Date.parse('2026-05-10T12:00:00Z'));
    expect(env.discord.calls.map((c) => c.channelId)).toEqual(['other']);
    const s = await p.scheduler.runDue(env.clock.now());
    expect(s.skipped.filter((e) => e.skipReason === 'paused').map((e) => e.channelId)).toEqual(['c1', 'c2']);
    // GUILD_CREATE again at 20:00
    expect(env.store.resumeGuild('g1')).toBe(2);
    await p.scheduler.onSubscriptionsChanged();
    await runUntil(env, p, Date.parse('2026-05-11T12:00:00Z'));
    expect(env.discord.messages.filter((m) => m.localDate === '2026-05-10').map((m) => m.channelId)).toEqual(['other']);
    expect(env.discord.messages.filter((m) => m.localDate === '2026-05-11').map((m) => m.channelId).sort()).toEqual(['c1', 'c2', 'other']);
    p.scheduler.stop();
  });

  it('(f) a pending post of a guild that left is dropped, not re-sent', async () => {
    env.store.upsertSubscription(sub());
    env.clock.set('2026-05-10T01:00:00Z');
    env.store.claimPost('c1', '2026-05-10', 'talk-1#1', postNonce('c1', '2026-05-10'));
    env.store.pauseGuild('g1', 'guild-left');
    const p = spawn(env);
    await p.scheduler.start();
    expect(env.discord.calls).toHaveLength(0);
    expect(env.store.getPost('c1', '2026-05-10')?.status).toBe('skipped');
    p.scheduler.stop();
  });

  it('(g) ownsGuild false: not posted, not claimed; the owning shard posts it', async () => {
    env.store.upsertSubscription(sub({ channelId: 'a', guildId: 'even' }));
    env.store.upsertSubscription(sub({ channelId: 'b', guildId: 'odd' }));
    const shard0 = spawn(env, { ownsGuild: (g) => g === 'even' });
    const shard1 = spawn(env, { ownsGuild: (g) => g === 'odd' });
    env.clock.set('2026-05-10T01:00:00Z');
    const s0 = await shard0.scheduler.runDue(env.clock.now());
    expect(env.discord.calls.map((c) => c.channelId)).toEqual(['a']);
    expect(env.store.getPost('b', '2026-05-10')).toBeNull();
    expect(s0.skipped.find((e) => e.channelId === 'b')?.skipReason).toBe('not-owned');
    await shard1.scheduler.runDue(env.clock.now());
    expect(env.discord.calls.map((c) => c.channelId)).toEqual(['a', 'b']);
    // a pending row of a guild the shard does not own is left to its owner
    env.clock.set('2026-05-11T01:00:00Z');
    env.store.claimPost('b', '2026-05-11', 'talk-1#1', postNonce('b', '2026-05-11'));
    env.clock.t += 2 * MIN; // past the lease of the (crashed) claimer
    await shard0.scheduler.runDue(env.clock.now());
    expect(env.store.getPost('b', '2026-05-11')?.status).toBe('pending');
    await shard1.scheduler.runDue(env.clock.now());
    expect(env.store.getPost('b', '2026-05-11')?.status).toBe('sent');
  });

  it('two processes on the same database at the same instant post once', async () => {
    env.store.upsertSubscription(sub());
    const a = spawn(env);
    const b = spawn(env);
    env.clock.set('2026-05-10T01:00:00Z');
    const [sa, sb] = await Promise.all([a.scheduler.runDue(env.clock.now()), b.scheduler.runDue(env.clock.now())]);
    expect(env.discord.calls).toHaveLength(1);
    expect(sa.posted.length + sb.posted.length).toBe(1);
  });
});

describe('DailyScheduler: timers never stop silently', () => {
  it('re-arms in steps when the wait exceeds maxTimerDelayMs', async () => {
    env.store.upsertSubscription(sub());
    const p = spawn(env, { heartbeatMs: 0, maxTimerDelayMs: 2 * HOUR });
    await p.scheduler.start();
    expect(p.timers.delays[0]).toBe(2 * HOUR);
    expect(p.scheduler.nextWakeAt()?.toISOString()).toBe('2026-05-10T01:00:00.000Z');
    await runUntil(env, p, Date.parse('2026-05-10T02:00:00Z'));
    expect(env.discord.calls).toHaveLength(1);
    expect(p.timers.delays.every((d) => d <= 2 * HOUR)).toBe(true);
    p.scheduler.stop();
  });

  it('never passes setTimeout more than 2^31-1 ms', async () => {
    const p = spawn(env, { heartbeatMs: 0 });
    env.store.upsertSubscription(sub());
    await p.scheduler.start();
    expect(Math.max(...p.timers.delays)).toBeLessThanOrEqual(2 ** 31 - 1);
    p.scheduler.stop();
    expect(p.timers.timers.size).toBe(0);
  });

  it('a storage error in a timer run is logged and retried; the schedule continues', async () => {
    env.store.upsertSubscription(sub());
    let failures = 2;
    const flaky = new Proxy(env.store, {
      get(target, prop, receiver) {
        if (prop === 'listSubscriptions' && failures > 0 && env.clock.t >= Date.parse('2026-05-10T01:00:00Z')) {
          return () => {
            failures -= 1;
            throw new StorageError('zhenyan: storage: disk I/O error', { kind: 'io', code: 'SQLITE_IOERR', userMessage: 'x' });
          };
        }
        const value = Reflect.get(target, prop, receiver) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const p = spawn(env, { store: flaky });
    await p.scheduler.start();
    await runUntil(env, p, Date.parse('2026-05-10T02:00:00Z'));
    expect(env.logger.has('error', /daily run failed; will retry|could not compute the next daily run/)).toBe(true);
    expect(env.discord.calls).toHaveLength(1);
    expect(env.discord.calls[0]?.localDate).toBe('2026-05-10');
    expect(p.timers.timers.size).toBe(1); // still armed
    p.scheduler.stop();
  });

  it('an exception from pickTip is logged, not thrown out of the timer', async () => {
    env.store.upsertSubscription(sub());
    let throws = true;
    const p = spawn(env, {
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
    expect(env.logger.has('error', /planning failed/)).toBe(true);
    expect(env.discord.calls).toHaveLength(1); // the heartbeat run 15 min later posted it
    p.scheduler.stop();
  });
});

describe('DailyScheduler: property — never two posts per channel and date across random kills', () => {
  const channels: SubscriptionInput[] = [
    sub({ channelId: 'sh', guildId: 'g1', time: '09:00', timeZone: 'Asia/Shanghai' }),
    sub({ channelId: 'ny', guildId: 'g2', time: '02:30', timeZone: 'America/New_York' }),
    sub({ channelId: 'ny2', guildId: 'g2', time: '01:30', timeZone: 'America/New_York' }),
    sub({ channelId: 'ldn', guildId: 'g3', time: '01:30', timeZone: 'Europe/London' }),
    sub({ channelId: 'in', guildId: 'g4', time: '00:00', timeZone: 'Asia/Kolkata' }),
    sub({ channelId: 'utc', guildId: 'g5', time: '23:59', timeZone: 'UTC' }),
    sub({ channelId: 'sh2', guildId: 'g1', time: '09:00', timeZone: 'Asia/Shanghai' }),
  ];

  const seeds = Array.from({ length: 12 }, (_, i) => i + 1);
  const totals = { kills: 0, killAfterSend: 0, killBeforeSend: 0, idleCrashes: 0, resends: 0, restarts: 0 };

  it.each(seeds)('seed %i: 10 simulated days', async (seed) => {
    const random = mulberry32(seed * 7919);
    // Alternate between the spring and autumn DST periods.
    const start = seed % 2 === 0 ? '2026-03-03T12:00:00Z' : '2026-10-27T12:00:00Z';
    const e = makeEnv(start);
    for (const c of channels) e.store.upsertSubscription(c);
    const end = e.clock.t + 10 * DAY;

    let callsUntilKill = -1;
    let killKind: 'kill-before-send' | 'kill-after-send' = 'kill-before-send';
    e.discord.decide = () => {
      if (callsUntilKill === 0) {
        callsUntilKill = -1;
        totals.kills += 1;
        if (killKind === 'kill-after-send') totals.killAfterSend += 1;
        else totals.killBeforeSend += 1;
        return killKind;
      }
      if (callsUntilKill > 0) callsUntilKill -= 1;
      const r = random();
      if (r < 0.08) return 'transient';
      if (r < 0.12) return 'transient-after-send';
      if (r < 0.14) return 'throw';
      return 'deliver';
    };

    while (e.clock.t < end) {
      totals.restarts += 1;
      const proc = spawn(e);
      // Choose how this process dies: during the k-th post, or while idle at a random instant.
      if (random() < 0.6) {
        callsUntilKill = Math.floor(random() * 8);
        killKind = random() < 0.5 ? 'kill-before-send' : 'kill-after-send';
      } else {
        callsUntilKill = -1;
      }
      const crashAt = Math.min(end, e.clock.t + Math.floor(random() * 2 * DAY));
      void proc.scheduler.start();
      await settle(proc);
      if (!proc.dead) await runUntil(e, proc, crashAt);
      if (!proc.dead) totals.idleCrashes += 1;
      die(proc);
      callsUntilKill = -1;
      // Down for up to 90 minutes (less than the 6 h grace window).
      e.clock.t += Math.floor(random() * 90 * MIN);
    }
    // A final process runs to let the last pending retries finish.
    const last = spawn(e);
    void last.scheduler.start();
    await settle(last);
    await runUntil(e, last, e.clock.t + 8 * HOUR);
    last.scheduler.stop();

    // 1. At most one message per channel and local date, and every call for a date used one nonce and one tip.
    const byKey = new Map<string, { nonces: Set<string>; tips: Set<string>; calls: number }>();
    for (const call of e.discord.calls) {
      const key = `${call.channelId}|${call.localDate}`;
      const entry = byKey.get(key) ?? { nonces: new Set(), tips: new Set(), calls: 0 };
      entry.nonces.add(call.nonce);
      entry.tips.add(call.tipId);
      entry.calls += 1;
      byKey.set(key, entry);
      expect(call.nonce).toBe(postNonce(call.channelId, call.localDate));
      expect(call.tipId).toBe(tipForDay(TIPS, call.channelId, call.localDate)?.tipId);
      if (entry.calls > 1) totals.resends += 1;
    }
    for (const entry of byKey.values()) {
      expect(entry.nonces.size).toBe(1);
      expect(entry.tips.size).toBe(1);
    }
    const perKey = new Map<string, number>();
    for (const m of e.discord.messages) perKey.set(`${m.channelId}|${m.localDate}`, (perKey.get(`${m.channelId}|${m.localDate}`) ?? 0) + 1);
    for (const count of perKey.values()) expect(count).toBe(1);

    // 2. Liveness: every channel got its tip every day (downtime stays within the grace window), and the
    //    posts log agrees with Discord.
    for (const c of channels) {
      let date = addDays(localDate(new Date(Date.parse(start) + DAY), c.timeZone), 0);
      const lastDate = localDate(new Date(end - DAY), c.timeZone);
      while (date <= lastDate) {
        const row = e.store.getPost(c.channelId, date);
        const messages = e.discord.messages.filter((m) => m.channelId === c.channelId && m.localDate === date);
        expect({ date, channel: c.channelId, messages: messages.length, status: row?.status }).toEqual({
          date,
          channel: c.channelId,
          messages: 1,
          status: 'sent',
        });
        expect(row?.messageId).toBe(messages[0]?.id);
        date = addDays(date, 1);
      }
    }
    expect(e.store.pendingPosts()).toEqual([]);
    e.db.close();
  });

  it('the simulation exercised both kill points and re-sends', () => {
    console.info('simulation totals', totals);
    expect(totals.killBeforeSend).toBeGreaterThan(3);
    expect(totals.killAfterSend).toBeGreaterThan(3);
    expect(totals.idleCrashes).toBeGreaterThan(3);
    expect(totals.resends).toBeGreaterThan(5);
  });
});
