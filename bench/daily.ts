/**
 * `npm run bench:daily`: the daily-tip scheduler at scale. Prints one row per scenario:
 *
 * 1. **100,000 subscriptions** (random times, 8 zones), one process, each store: start-up added by the
 *    store and the first scheduler run, the latency of `/daily set` (upsert + re-plan) and `/daily status`
 *    (a server's subscriptions with their last post) while the scheduler runs for `--idle-s` seconds
 *    posting what falls due, and the worst event-loop stall (`monitorEventLoopDelay`).
 * 2. **10,000 channels due in the same minute** against the fake Discord enforcing 50 requests/s
 *    globally, on 1 and on 4 posting processes (`bench/daily-worker.ts`, each taking 50/N of the global
 *    limit, as `DISCORD_GLOBAL_RPS` does in the bot): posting time, max lateness, worst stall, and a
 *    duplicate/missing check.
 *
 * PostgreSQL: an embedded server (devDependency), or `--database-url`.
 *
 *   npm run bench:daily
 *   npm run bench:daily -- --due 2000 --subs 20000 --idle-s 10 --stores sqlite   # quicker
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { firstOccurrence } from '../src/core/schedule/plan.ts';
import { DailyScheduler } from '../src/core/schedule/scheduler.ts';
import { openDatabase } from '../src/core/store/database.ts';
import { openPostgresStore } from '../src/core/store/postgres.ts';
import { openSqliteStoreQueued } from '../src/core/store/sqlite.ts';
import type { DailyStore } from '../src/core/store/subscriptions.ts';
import { mulberry32 } from '../src/core/tips/order.ts';
import { startEmbeddedPostgres } from '../test/support/embedded-postgres.ts';
import { FakeDiscord } from '../test/support/fake-discord.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    subs: { type: 'string', default: '100000' },
    due: { type: 'string', default: '10000' },
    processes: { type: 'string', default: '1,4' },
    stores: { type: 'string', default: 'sqlite,postgres' },
    'idle-s': { type: 'string', default: '20' },
    'database-url': { type: 'string' },
    'skip-large': { type: 'boolean', default: false },
    'skip-due': { type: 'boolean', default: false },
  },
});
const SUBS = Number(values.subs);
const DUE = Number(values.due);
const STORES = values.stores.split(',') as Array<'sqlite' | 'postgres'>;
const ZONES = ['Asia/Shanghai', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'UTC', 'America/Los_Angeles', 'Australia/Sydney', 'Europe/Berlin'];

interface Row {
  scenario: string;
  subscriptions: number;
  duePerMinute: number;
  processes: number;
  store: string;
  postingS: string;
  maxLatenessS: string;
  worstStallMs: string;
  extra: string;
}
const rows: Row[] = [];
const log = (m: string) => process.stderr.write(`[bench:daily] ${m}\n`);

let pgUrl = values['database-url'];
let embedded: Awaited<ReturnType<typeof startEmbeddedPostgres>> | undefined;
const dirs: string[] = [];

interface Location {
  spec: string;
  open(): Promise<DailyStore>;
  insert(subs: Array<[string, string, string, string, number, string, number]>): Promise<void>;
}

/** A fresh database of `kind`; rows are (channel, guild, time, zone, activeFrom, nextLocalDate, nextDueAt). */
async function freshLocation(kind: 'sqlite' | 'postgres'): Promise<Location> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'zhenyan-bench-daily-'));
    dirs.push(dir);
    const path = join(dir, 'zhenyan.db');
    return {
      spec: `sqlite:${path}`,
      open: () => openSqliteStoreQueued(path),
      async insert(subs) {
        const db = openDatabase(path);
        const statement = db.prepare(
          `INSERT INTO subscriptions (channel_id, guild_id, time_of_day, time_zone, created_by, created_at, updated_at, active_from, next_local_date, next_due_at)
           VALUES (?, ?, ?, ?, 'bench', ?, ?, ?, ?, ?)`,
        );
        db.transaction(() => {
          for (const [c, g, t, z, from, date, due] of subs) statement.run(c, g, t, z, from, from, from, date, due);
        })();
        db.close();
      },
    };
  }
  pgUrl ??= (embedded = await startEmbeddedPostgres()).url;
  const schema = `bench_${Math.random().toString(36).slice(2, 10)}`;
  const url = pgUrl;
  return {
    spec: `postgres:${url}#${schema}`,
    open: () => openPostgresStore(url, { schema }),
    async insert(subs) {
      (await openPostgresStore(url, { schema })).close();
      const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
      await client.connect();
      for (let i = 0; i < subs.length; i += 2000) {
        const chunk = subs.slice(i, i + 2000);
        const cols = Array.from({ length: 7 }, (_, k) => chunk.map((r) => r[k]));
        await client.query(
          `INSERT INTO subscriptions (channel_id, guild_id, time_of_day, time_zone, created_by, created_at, updated_at, active_from, next_local_date, next_due_at)
           SELECT c, g, t, z, 'bench', f, f, f, d, n FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::bigint[]) AS x(c, g, t, z, f, d, n)`,
          cols,
        );
      }
      await client.end();
    },
  };
}

const pad = (n: number) => String(n).padStart(2, '0');
const fmt = (ms: number) => (ms / 1000).toFixed(1);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * A control process that does nothing but measure its own event-loop delay: on a shared machine part of
 * any stall is the operating system not scheduling the process, and this shows how much.
 */
async function startControl(): Promise<{ stop(): Promise<number> }> {
  const control = spawn(
    process.execPath,
    ['-e', "const h=require('node:perf_hooks').monitorEventLoopDelay({resolution:10});h.enable();setInterval(()=>{},1000);process.on('SIGTERM',()=>{process.stdout.write(String(h.max/1e6));process.exit(0)})"],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  control.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  return {
    async stop() {
      const exited = once(control, 'exit');
      control.kill('SIGTERM');
      await exited;
      return Number(out);
    },
  };
}

/** Scenario 1: 100,000 subscriptions, one process. */
async function large(kind: 'sqlite' | 'postgres'): Promise<void> {
  const random = mulberry32(42);
  const now = new Date();
  const subs = Array.from({ length: SUBS }, (_, i) => {
    const time = `${pad(Math.floor(random() * 24))}:${pad(Math.floor(random() * 60))}`;
    const timeZone = ZONES[i % ZONES.length]!;
    const next = firstOccurrence({ time, timeZone, activeFrom: now }, now);
    return [`9${String(i).padStart(17, '0')}`, `8${String(Math.floor(i / 10)).padStart(17, '0')}`, time, timeZone, now.getTime(), next.localDate, next.at.getTime()] as [
      string, string, string, string, number, string, number,
    ];
  });
  const location = await freshLocation(kind);
  const t0 = performance.now();
  await location.insert(subs);
  log(`${kind}: ${SUBS} subscriptions inserted in ${fmt(performance.now() - t0)} s`);
  // Keep a sample of guilds for /daily status; drop the rest and collect it now, so the bench's own
  // garbage does not show up as a scheduler stall (run with --expose-gc, as `npm run bench:daily` does).
  const guilds = Array.from({ length: 1000 }, (_, k) => subs[(k * 7919) % SUBS]![1]);
  subs.length = 0;
  (globalThis as { gc?: () => void }).gc?.();

  // A control process that does nothing, measured over the same time: on a shared machine part of any
  // stall is the operating system not scheduling us, and this shows how much.
  const control = await startControl();
  const stall = monitorEventLoopDelay({ resolution: 10 });
  stall.enable();
  const startT = performance.now();
  const store = await location.open();
  const openMs = performance.now() - startT;
  let posted = 0;
  const scheduler = new DailyScheduler({
    store,
    logger: quiet,
    pickTip: () => ({ tipId: 'bench#1' }),
    post: async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      posted += 1;
      return { ok: true, messageId: `m${posted}` };
    },
  });
  await scheduler.start();
  const startupMs = performance.now() - startT;
  const startupStallMs = stall.max / 1e6;
  stall.reset();

  // /daily set = upsert + re-plan (not awaited, as in the service); /daily status = a server's rows + last posts.
  const setMs: number[] = [];
  const statusMs: number[] = [];
  const until = performance.now() + Number(values['idle-s']) * 1000;
  let i = 0;
  while (performance.now() < until) {
    const guild = guilds[i % guilds.length]!;
    let t = performance.now();
    await store.upsertSubscription({ guildId: guild, channelId: `7${String(i).padStart(17, '0')}`, time: '09:00', timeZone: 'Asia/Shanghai', mentionRoleId: null, createdBy: 'bench' });
    void scheduler.onSubscriptionsChanged();
    setMs.push(performance.now() - t);
    t = performance.now();
    const list = await store.listSubscriptions(guild);
    await Promise.all(list.map((s) => store.lastPost(s.channelId)));
    statusMs.push(performance.now() - t);
    i += 1;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await scheduler.shutdown();
  await store.close();
  stall.disable();
  const controlStallMs = await control.stop();
  const p = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0;
  rows.push({
    scenario: 'idle + commands',
    subscriptions: SUBS,
    duePerMinute: Math.round(SUBS / 1440),
    processes: 1,
    store: kind,
    postingS: `${posted} posted`,
    maxLatenessS: '-',
    worstStallMs: (stall.max / 1e6).toFixed(0),
    extra: `start-up: store ${openMs.toFixed(0)} ms + first run ${(startupMs - openMs).toFixed(0)} ms (stall ${startupStallMs.toFixed(0)} ms); idle control process stall ${controlStallMs.toFixed(0)} ms; set p50 ${p(setMs, 0.5).toFixed(1)} / max ${Math.max(...setMs).toFixed(1)} ms; status p50 ${p(statusMs, 0.5).toFixed(1)} / max ${Math.max(...statusMs).toFixed(1)} ms (${i} each)`,
  });
  log(JSON.stringify(rows[rows.length - 1]));
}

/** Scenario 2: DUE channels due in the same minute, `processes` posting processes, 50 requests/s global. */
async function due(kind: 'sqlite' | 'postgres', processes: number): Promise<void> {
  const channels = Array.from({ length: DUE }, (_, i) => String(600000000000000000n + BigInt(i)));
  const guild = '500000000000000001';
  const fake = await FakeDiscord.start({
    guilds: [{ id: guild, name: 'Bench', channels: channels.map((id, i) => ({ id, name: `c${i}`, type: 0 })) }],
    globalRequestsPerSecond: 50,
    restLatencyMs: 20,
    validate: false,
  });
  const location = await freshLocation(kind);
  const t0 = Date.now();
  const minute = Math.floor(t0 / 60_000) * 60_000;
  const d = new Date(minute);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  const localDate = d.toISOString().slice(0, 10);
  await location.insert(channels.map((c) => [c, guild, time, 'UTC', minute - 1000, localDate, minute]));
  const control = await startControl();
  const start = Date.now();
  const workers: ChildProcess[] = [];
  const outputs: string[] = [];
  for (let i = 0; i < processes; i += 1) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/daily-worker.ts'], {
      cwd: ROOT,
      env: { ...process.env, STORE: location.spec, API_URL: fake.apiUrl, TOKEN: fake.token, GLOBAL_RPS: String(Math.floor(50 / processes)) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      outputs[i] = out;
    });
    workers.push(child);
  }
  const messages = () => fake.messages.size;
  const deadline = Date.now() + 600_000;
  while (messages() < DUE && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
  const doneAt = Date.now();
  const exits = workers.map((w) => once(w, 'exit'));
  for (const w of workers) w.kill('SIGTERM');
  await Promise.all(exits);
  const controlStallMs = await control.stop();
  const stats = outputs.map((o) => JSON.parse(o.trim().split('\n').pop() ?? '{}') as { posted: number; maxLateMs: number; firstAt: number; lastAt: number; maxStallMs: number });
  const perChannel = new Map<string, number>();
  for (const m of fake.messages.values()) perChannel.set(m.channel_id, (perChannel.get(m.channel_id) ?? 0) + 1);
  const duplicates = [...perChannel.values()].filter((n) => n > 1).length;
  const missing = DUE - perChannel.size;
  const firstAt = Math.min(...stats.map((s) => s.firstAt || Infinity));
  rows.push({
    scenario: 'all due at once',
    subscriptions: DUE,
    duePerMinute: DUE,
    processes,
    store: kind,
    postingS: fmt(doneAt - firstAt),
    maxLatenessS: fmt(doneAt - start),
    worstStallMs: Math.max(...stats.map((s) => s.maxStallMs)).toFixed(0),
    extra: `${duplicates} duplicates, ${missing} missing, ${fake.globalRateLimited} global 429s, posts per process ${stats.map((s) => s.posted).join('/')}; idle control process stall ${controlStallMs.toFixed(0)} ms`,
  });
  log(JSON.stringify(rows[rows.length - 1]));
  await fake.stop();
}

try {
  if (!values['skip-large']) for (const kind of STORES) await large(kind);
  if (!values['skip-due']) for (const kind of STORES) for (const n of values.processes.split(',').map(Number)) await due(kind, n);
} finally {
  await embedded?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
const header = '| scenario | subscriptions | due per minute | processes | store | posting time (s) | max lateness (s) | worst event-loop stall (ms) | notes |';
console.log(header);
console.log('|---|---:|---:|---:|---|---:|---:|---:|---|');
for (const r of rows) console.log(`| ${r.scenario} | ${r.subscriptions.toLocaleString('en')} | ${r.duePerMinute.toLocaleString('en')} | ${r.processes} | ${r.store} | ${r.postingS} | ${r.maxLatenessS} | ${r.worstStallMs} | ${r.extra} |`);
