/**
 * One bot-like posting process for `bench/daily.ts`: the real DailyScheduler over the real store, posting
 * through discord.js's REST client (rate-limit handling included) to the fake Discord. Prints one JSON line
 * on SIGTERM after a graceful shutdown: posts, max lateness, worst event-loop stall.
 *
 * Env: STORE=sqlite:<path> | postgres:<url>#<schema>, API_URL, TOKEN, CONCURRENCY (default 16), GLOBAL_RPS (default 50).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { REST, Routes } from 'discord.js';
import { DailyScheduler, type PostResult } from '../src/core/schedule/scheduler.ts';
import { openPostgresStore } from '../src/core/store/postgres.ts';
import { openSqliteStoreQueued } from '../src/core/store/sqlite.ts';

const stall = monitorEventLoopDelay({ resolution: 10 });
const spec = process.env.STORE ?? '';
const store = spec.startsWith('postgres:')
  ? await openPostgresStore(spec.slice('postgres:'.length).split('#')[0]!, { schema: spec.split('#')[1] })
  : await openSqliteStoreQueued(spec.slice('sqlite:'.length));
// Measured from here: module loading and the store's connection are start-up, not the scheduler.
stall.enable();
// With N processes and no shared proxy, each takes 50/N of Discord's global limit (DISCORD_GLOBAL_RPS in the bot).
const rest = new REST({ api: process.env.API_URL, timeout: 30_000, retries: 3, globalRequestsPerSecond: Number(process.env.GLOBAL_RPS ?? 50) }).setToken(process.env.TOKEN ?? '');
let posted = 0;
let maxLateMs = 0;
let firstAt = 0;
let lastAt = 0;
const quiet = { debug() {}, info() {}, warn() {}, error(obj: object, msg?: string) { process.stderr.write(`${msg} ${JSON.stringify(obj).slice(0, 300)}\n`); } };
const scheduler = new DailyScheduler({
  store,
  logger: quiet,
  concurrency: Number(process.env.CONCURRENCY ?? 16),
  pickTip: () => ({ tipId: 'bench#1' }),
  post: async (request): Promise<PostResult> => {
    try {
      const message = (await rest.post(Routes.channelMessages(request.channelId), {
        body: { content: `tip ${request.localDate}`, nonce: request.nonce, enforce_nonce: true },
      })) as { id: string };
      return { ok: true, messageId: message.id };
    } catch (error) {
      return { ok: false, permanent: false, reason: String(error) };
    }
  },
  onEvent: (event) => {
    if (event.outcome !== 'posted') return;
    posted += 1;
    const now = Date.now();
    firstAt ||= now;
    lastAt = now;
    maxLateMs = Math.max(maxLateMs, event.lateMs ?? 0);
  },
});
void scheduler.start();
process.once('SIGTERM', () => {
  void (async () => {
    const finished = await scheduler.shutdown(10_000);
    await store.close();
    stall.disable();
    process.stdout.write(`${JSON.stringify({ posted, maxLateMs, firstAt, lastAt, finished, maxStallMs: stall.max / 1e6 })}\n`);
    process.exit(0);
  })();
});
process.stdout.write('ready\n');
