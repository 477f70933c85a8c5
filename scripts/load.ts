/**
 * Load and soak run of the real bot (real discord.js client) against the local fake Discord.
 *
 *   npm run load                                   # full size: burst 2,000, warm-up 15,000, soak 100,000
 *   npm run load -- --burst 300 --soak 3000 --warmup 1000
 *
 * The bot runs in a child process (node --expose-gc), so its heap and RSS are measured without the fake
 * Discord and the load generator, which run here. Phases:
 *
 * 1. burst: N mixed interactions (commands, autocomplete, button clicks) written to the gateway at once;
 *    every one must get exactly one 2xx callback of the expected type. Reports p50/p99 of dispatch → callback.
 * 2. rate limit: one user fires 30 commands at once: 8 answered (the documented 8 per 10 s), 22 polite
 *    ephemeral refusals, while other users' commands in the same moment are answered.
 * 3. warm-up then soak: interactions in concurrent batches; heap and RSS of the bot after forced GC, after
 *    the warm-up and after the soak (target: within 10 %), plus the sizes of its bounded caches.
 *
 * The default rate limit (8 per 10 s per user) is kept: traffic is spread over fresh user ids (at most 4
 * rate-limited actions each, 6 for a `/quote` owner who pages). Exit code 1 if any check fails.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FakeDiscord, noIdentifyThrottle, slashCommand } from '../test/support/fake-discord.ts';
import {
  exposeGc,
  fireBatch,
  LoadMix,
  measureAfterGc,
  percentChange,
  quantile,
  reseed,
  worldOf,
  type LoadItem,
  type LoadWorld,
  type MemorySample,
} from '../test/reliability/load-driver.ts';

/** What the bot process reports when measured. */
interface BotMeasurement extends MemorySample {
  cachedUsers: number;
  cachedMembers: number;
  interactionListeners: number;
  log: LogCounts;
}

interface LogCounts {
  lines: number;
  outcomes: Record<string, number>;
  failures: number;
  warnings: number;
  tokenLeaks: number;
  samples: string[];
}

type ToChild = { type: 'measure'; id: number } | { type: 'stop' };
type FromChild = { type: 'ready'; world: LoadWorld } | { type: 'measured'; id: number; data: BotMeasurement } | { type: 'fatal'; message: string };

const CHILD_FLAG = '--bot-child';

// ------------------------------------------------------------------------------------------------ bot process

async function runBot(): Promise<void> {
  const gc = await exposeGc();
  const { apiUrl, token } = JSON.parse(process.env.ZHENYAN_LOAD_FAKE ?? '{}') as { apiUrl: string; token: string };
  const { loadLibrary } = await import('../src/core/library.ts');
  const { createLogger } = await import('../src/logger.ts');
  const { startBot } = await import('../src/bot/start.ts');
  const { COMMANDS } = await import('../commands/index.ts');
  const send = (message: FromChild) => process.send!(message);

  const log: LogCounts = { lines: 0, outcomes: {}, failures: 0, warnings: 0, tokenLeaks: 0, samples: [] };
  const logger = createLogger({
    level: 'info',
    secrets: [token],
    destination: {
      write(chunk: string) {
        for (const line of chunk.split('\n')) {
          if (!line) continue;
          log.lines++;
          if (line.includes(token)) log.tokenLeaks++;
          const entry = JSON.parse(line) as { level: number; msg: string; outcome?: string };
          if (entry.msg === 'interaction' && entry.outcome) log.outcomes[entry.outcome] = (log.outcomes[entry.outcome] ?? 0) + 1;
          if (entry.level >= 50) log.failures++;
          else if (entry.level >= 40) log.warnings++;
          if (entry.level >= 40 && log.samples.length < 5) log.samples.push(line.slice(0, 400));
        }
      },
    },
  });
  const library = loadLibrary();
  const bot = await startBot({
    library,
    logger,
    config: {
      discordToken: token,
      discordClientId: undefined,
      discordGuildId: undefined,
      discordApiUrl: apiUrl,
      databasePath: ':memory:',
      logLevel: 'info',
      defaultTimeZone: 'Asia/Shanghai',
      indexCacheDir: 'var/index-cache',
    },
    handleSignals: false,
    client: { retries: 1, restTimeoutMs: 5_000, ws: noIdentifyThrottle },
    commands: COMMANDS,
  });
  process.on('message', (message: ToChild) => {
    if (message.type === 'stop') {
      void bot.stop().then(() => process.exit(0));
      return;
    }
    void measureAfterGc(gc).then((memory) => {
      const guild = bot.client.guilds.cache.first();
      send({
        type: 'measured',
        id: message.id,
        data: {
          ...memory,
          cachedUsers: bot.client.users.cache.size,
          cachedMembers: guild?.members.cache.size ?? 0,
          interactionListeners: bot.client.listenerCount('interactionCreate'),
          log: { ...log, outcomes: { ...log.outcomes }, samples: [...log.samples] },
        },
      });
    });
  });
  send({ type: 'ready', world: worldOf(library) });
}

// ------------------------------------------------------------------------------------------------ driver

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      burst: { type: 'string', default: '2000' },
      soak: { type: 'string', default: '100000' },
      warmup: { type: 'string', default: '15000' },
      batch: { type: 'string', default: '250' },
      seed: { type: 'string', default: '1' },
    },
  });
  const burstSize = Number(values.burst);
  const soakSize = Number(values.soak);
  const warmupSize = Number(values.warmup);
  const batchSize = Number(values.batch);
  const started = performance.now();
  const failures: string[] = [];

  const fake = await FakeDiscord.start();
  const child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG], {
    execArgv: [...process.execArgv, '--expose-gc'],
    env: { ...process.env, ZHENYAN_LOAD_FAKE: JSON.stringify({ apiUrl: fake.apiUrl, token: fake.token }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const bot = new BotProcess(child);
  const world = await bot.ready;
  await fake.waitForReady();
  console.log(`bot ready in ${seconds(performance.now() - started)} (library loaded in the bot process)`);

  const mix = new LoadMix(world, Number(values.seed));

  // 1. Burst.
  const seeds = await fireBatch(fake, mix.seedQuotes(Math.ceil(burstSize / 20)));
  for (const { callback } of seeds.answered) mix.addSeedFrom(callback);
  failures.push(...seeds.problems);
  fake.forgetHistory();
  const burstItems = Array.from({ length: burstSize }, () => mix.next());
  const burst = await fireBatch(fake, burstItems, 120_000);
  failures.push(...burst.problems.map((p) => `burst: ${p}`));
  const kinds = countBy(burstItems, (item) => item.kind);
  fake.forgetHistory();

  // 2. Per-user rate limit.
  const rate = await rateLimitCheck(fake);
  failures.push(...rate.problems);
  fake.forgetHistory();

  // 3. Warm-up, then soak.
  const runPhase = async (total: number, label: string) => {
    const phaseStart = performance.now();
    const latencies: number[] = [];
    for (let done = 0; done < total; ) {
      const size = Math.min(batchSize, total - done);
      const items: LoadItem[] = Array.from({ length: size }, () => mix.next());
      const result = await fireBatch(fake, items, 60_000);
      reseed(mix, result);
      failures.push(...result.problems.map((p) => `${label}: ${p}`));
      latencies.push(...result.latencies);
      fake.forgetHistory();
      done += size;
      if (done % 10_000 < batchSize && total >= 20_000) console.log(`  ${label}: ${done}/${total}`);
    }
    return { ms: performance.now() - phaseStart, latencies };
  };
  const warm = await runPhase(warmupSize, 'warm-up');
  const afterWarmup = await bot.measure();
  const soak = await runPhase(soakSize, 'soak');
  const afterSoak = await bot.measure();

  // The generator's own process, for comparison.
  const driverMemory = await measureAfterGc(await exposeGc());
  bot.stop();
  await new Promise((resolve) => child.once('exit', resolve));
  await fake.stop();

  const heapChange = percentChange(afterWarmup.heapUsed, afterSoak.heapUsed);
  const rssChange = percentChange(afterWarmup.rss, afterSoak.rss);
  if (heapChange > 10) failures.push(`soak: heap grew ${heapChange.toFixed(1)} % (> 10 %)`);
  if (rssChange > 10) failures.push(`soak: RSS grew ${rssChange.toFixed(1)} % (> 10 %)`);
  if (afterSoak.log.failures > 0) failures.push(`bot logged ${afterSoak.log.failures} error lines: ${afterSoak.log.samples.join(' | ')}`);
  if (afterSoak.log.tokenLeaks > 0) failures.push(`the token appeared in ${afterSoak.log.tokenLeaks} log lines`);
  if (afterSoak.interactionListeners !== afterWarmup.interactionListeners) failures.push('interactionCreate listeners changed during the soak');

  const total = performance.now() - started;
  const lines = [
    '',
    '=== Zhenyan load report ===',
    `node ${process.version}, ${new Date().toISOString()}; bot in a child process with --expose-gc; default rate limit 8/10 s, traffic spread over fresh user ids`,
    '',
    `burst: ${burst.sent} interactions dispatched at once (${formatCounts(kinds)})`,
    `  answered ${burst.answered.length}/${burst.sent}, problems ${burst.problems.length}; all callbacks in ${seconds(burst.wallMs)} (${Math.round(burst.sent / (burst.wallMs / 1000))}/s)`,
    `  dispatch → callback: p50 ${ms(quantile(burst.latencies, 0.5))}, p99 ${ms(quantile(burst.latencies, 0.99))}, max ${ms(Math.max(...burst.latencies))}`,
    '',
    `rate limit: one user, 30 commands at once: ${rate.answered} answered, ${rate.refused} refused ephemerally ("${rate.sample}"); other users: ${rate.othersAnswered}/${rate.others} answered`,
    '',
    `warm-up: ${warmupSize} interactions in ${seconds(warm.ms)} (${Math.round(warmupSize / (warm.ms / 1000))}/s, batches of ${batchSize})`,
    `soak: ${soakSize} interactions in ${seconds(soak.ms)} (${Math.round(soakSize / (soak.ms / 1000))}/s), p50 ${ms(quantile(soak.latencies, 0.5))}, p99 ${ms(quantile(soak.latencies, 0.99))}`,
    `  bot heap after warm-up ${mb(afterWarmup.heapUsed)}, after soak ${mb(afterSoak.heapUsed)}: ${signed(heapChange)} %`,
    `  bot RSS  after warm-up ${mb(afterWarmup.rss)}, after soak ${mb(afterSoak.rss)}: ${signed(rssChange)} %`,
    `  bounded state after warm-up → after soak: cached users ${afterWarmup.cachedUsers} → ${afterSoak.cachedUsers}, cached members ${afterWarmup.cachedMembers} → ${afterSoak.cachedMembers} (max 1000 each), interactionCreate listeners ${afterWarmup.interactionListeners} → ${afterSoak.interactionListeners}`,
    `  bot log: ${afterSoak.log.lines} lines, outcomes ${formatCounts(afterSoak.log.outcomes)}, ${afterSoak.log.warnings} warnings, ${afterSoak.log.failures} errors, token seen ${afterSoak.log.tokenLeaks} times`,
    `  (driver + fake Discord process after GC: heap ${mb(driverMemory.heapUsed)}, RSS ${mb(driverMemory.rss)})`,
    '',
    `total ${seconds(total)}; ${failures.length === 0 ? 'ALL CHECKS PASSED' : `${failures.length} FAILURES:`}`,
    ...failures.slice(0, 30).map((f) => `  - ${f}`),
  ];
  console.log(lines.join('\n'));
  process.exitCode = failures.length === 0 ? 0 : 1;
}

/** One user fires 30 commands at once, while 10 others each send one. */
async function rateLimitCheck(fake: FakeDiscord) {
  const flooder = { id: '299000000000000001', username: 'flooder' };
  const flood = Array.from({ length: 30 }, (_, i) => slashCommand(i % 2 === 0 ? 'random' : 'help', undefined, { user: flooder }));
  const others = Array.from({ length: 10 }, (_, i) => slashCommand('random', undefined, { user: { id: `29900000000000010${i}`, username: `other${i}` } }));
  const dispatched = [...flood, ...others].map((spec) => fake.dispatchInteraction(spec));
  const callbacks = await Promise.all(dispatched.map((d) => d.waitForCallback(30_000)));
  const refusal = (c: (typeof callbacks)[number]) => c.data?.flags === 64 && /going a bit fast/u.test(String(c.data?.content ?? ''));
  const floodCallbacks = callbacks.slice(0, 30);
  const otherCallbacks = callbacks.slice(30);
  const refused = floodCallbacks.filter(refusal).length;
  const answered = floodCallbacks.length - refused;
  const othersAnswered = otherCallbacks.filter((c) => !refusal(c) && c.type === 4).length;
  const problems: string[] = [];
  if (answered !== 8 || refused !== 22) problems.push(`rate limit: flooder got ${answered} answers and ${refused} refusals (want 8 and 22)`);
  if (othersAnswered !== others.length) problems.push(`rate limit: only ${othersAnswered}/${others.length} other users answered`);
  return { answered, refused, others: others.length, othersAnswered, sample: String(floodCallbacks.find(refusal)?.data?.content ?? ''), problems };
}

class BotProcess {
  readonly ready: Promise<LoadWorld>;
  private nextId = 1;
  private readonly pending = new Map<number, (data: BotMeasurement) => void>();

  constructor(private readonly child: ChildProcess) {
    this.ready = new Promise((resolve, reject) => {
      child.on('message', (message: FromChild) => {
        if (message.type === 'ready') resolve(message.world);
        else if (message.type === 'measured') this.pending.get(message.id)?.(message.data);
        else reject(new Error(message.message));
      });
      child.once('exit', (code) => reject(new Error(`bot process exited early (${code})`)));
    });
  }

  measure(): Promise<BotMeasurement> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ type: 'measure', id } satisfies ToChild);
    });
  }

  stop(): void {
    this.child.send({ type: 'stop' } satisfies ToChild);
  }
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

function formatCounts(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}

function seconds(value: number): string {
  return `${(value / 1000).toFixed(1)} s`;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;
}

// Last, so that every class above is initialised.
if (process.argv.includes(CHILD_FLAG)) await runBot();
else await main();
