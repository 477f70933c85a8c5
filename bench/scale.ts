/**
 * `npm run bench:scale`: memory and latency of the multi-process layouts, against the local fake Discord.
 *
 * For each layout P × S (processes × shards per process; 4 shards in all): `npm run cluster`'s real code
 * (`src/cluster.ts`, discord-hybrid-sharding) with `SHARD_COUNT=4 CLUSTER_PROCESSES=P`, 8 guilds (2 per
 * shard), then
 * - RSS of every bot process and of the cluster manager, after a 200-interaction warm-up (steady state)
 *   and again after the burst;
 * - a burst of 2,000 `/quote` interactions dispatched at once, spread evenly over the four shards
 *   (distinct users, so the per-user rate limit is not what is measured), latency = INTERACTION_CREATE
 *   sent by the fake → the bot's callback received by it (p50 / p95 / p99 / max), and the wall time;
 * - the CPU time the bot processes spent on the burst, per interaction: unlike the latency of a burst,
 *   it does not depend on what else the machine runs, and 1,000 / it is what one core can answer per second.
 *
 *   npm run bench:scale                      # 1x4, 2x2, 4x1
 *   npm run bench:scale -- --layouts 2x2     # one layout
 *   npm run bench:scale -- --burst 500       # a smaller burst
 *
 * Numbers depend on the machine and on what else runs on it: note the core count and load printed first.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FakeDiscord, guildIdOnShard, slashCommand, type DispatchedInteraction } from '../test/support/fake-discord.ts';
import { cpuSeconds, rssBytes, runEntry, type RunningProcess } from '../test/support/processes.ts';

const SHARDS = 4;
const GUILDS_PER_SHARD = 2;
const WARM_UP = 200;

const { values } = parseArgs({
  options: {
    layouts: { type: 'string', default: '1x4,2x2,4x1' },
    burst: { type: 'string', default: '2000' },
  },
});
const burstSize = Number(values.burst);
const layouts = values.layouts!.split(',').map((text) => {
  const [processes, shardsEach] = text.split('x').map(Number) as [number, number];
  if (!(processes * shardsEach === SHARDS)) throw new Error(`layout ${text}: processes x shards must be ${SHARDS}`);
  return { processes, shardsEach, name: text };
});

const queries = (JSON.parse(readFileSync(new URL('./queries.json', import.meta.url), 'utf8')) as Array<{ kind: string; text: string }>)
  .filter((q) => q.kind.startsWith('zh'))
  .map((q) => q.text);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

const mb = (bytes: number | null): number => (bytes === null ? Number.NaN : Math.round(bytes / 1e5) / 10);

interface LayoutResult {
  layout: string;
  startupS: number;
  rssWarmMB: number[];
  rssAfterMB: number[];
  managerMB: number;
  burst: { n: number; answered: number; p50: number; p95: number; p99: number; max: number; wallS: number };
  /** CPU ms of the bot processes (all of them) per interaction of the burst. */
  cpuMsPerInteraction: number;
}

async function sendAll(fake: FakeDiscord, guildIds: string[], count: number, userBase: number): Promise<{ latencies: number[]; answered: number; wallS: number }> {
  const started = performance.now();
  const dispatched: DispatchedInteraction[] = [];
  for (let i = 0; i < count; i++) {
    const guildId = guildIds[i % guildIds.length]!;
    const user = { id: String(200_000_000_000_000_000n + BigInt(userBase + i)), username: `u${i}` };
    dispatched.push(fake.dispatchInteraction(slashCommand('quote', { query: queries[i % queries.length]! }, { guildId, user })));
  }
  const callbacks = await Promise.all(dispatched.map((d) => d.waitForCallback(120_000).catch(() => undefined)));
  const wallS = (performance.now() - started) / 1000;
  const answered = callbacks.filter((c) => c?.type === 4);
  return { latencies: answered.map((c) => c!.latencyMs).sort((a, b) => a - b), answered: answered.length, wallS };
}

async function runLayout(layout: { processes: number; shardsEach: number; name: string }): Promise<LayoutResult> {
  const guildIds = Array.from({ length: SHARDS * GUILDS_PER_SHARD }, (_, n) => guildIdOnShard(n % SHARDS, SHARDS, n));
  const fake = await FakeDiscord.start({
    shardCount: SHARDS,
    guilds: guildIds.map((id, n) => ({ id, name: `Guild ${n}`, channels: [{ id: guildIdOnShard(0, 1, 5000 + n), name: 'general', type: 0 }] })),
  });
  const directory = mkdtempSync(join(tmpdir(), 'zhenyan-scale-'));
  let cluster: RunningProcess | undefined;
  try {
    const started = performance.now();
    cluster = runEntry('src/cluster.ts', {
      DISCORD_TOKEN: fake.token,
      DISCORD_CLIENT_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      SHARD_COUNT: String(SHARDS),
      CLUSTER_PROCESSES: String(layout.processes),
      CLUSTER_SPAWN_DELAY_MS: '0',
      DATABASE_PATH: join(directory, 'zhenyan.db'),
    });
    await fake.waitForShards([0, 1, 2, 3], 180_000);
    for (let id = 0; id < layout.processes; id++) {
      await cluster.waitForLine((l) => l.msg === 'process ready' && l.cluster === id, 180_000, `process ${id} ready`);
    }
    const startupS = (performance.now() - started) / 1000;
    const pids = [...new Map(cluster.lines.filter((l) => l.msg === 'process started').map((l) => [l.cluster as number, l.pid as number])).values()];

    await sendAll(fake, guildIds, WARM_UP, 0);
    fake.forgetHistory();
    const rssWarmMB = await Promise.all(pids.map(async (pid) => mb(await rssBytes(pid))));
    const cpuBefore = await Promise.all(pids.map((pid) => cpuSeconds(pid)));
    const burst = await sendAll(fake, guildIds, burstSize, 1_000_000);
    const cpuAfter = await Promise.all(pids.map((pid) => cpuSeconds(pid)));
    const cpuS = cpuAfter.reduce<number>((total, after, i) => total + (after ?? Number.NaN) - (cpuBefore[i] ?? Number.NaN), 0);
    const rssAfterMB = await Promise.all(pids.map(async (pid) => mb(await rssBytes(pid))));
    const managerMB = mb(await rssBytes(cluster.child.pid!));
    const round = (n: number): number => Math.round(n * 10) / 10;
    return {
      layout: layout.name,
      startupS: round(startupS),
      rssWarmMB,
      rssAfterMB,
      managerMB,
      burst: {
        n: burstSize,
        answered: burst.answered,
        p50: round(percentile(burst.latencies, 50)),
        p95: round(percentile(burst.latencies, 95)),
        p99: round(percentile(burst.latencies, 99)),
        max: round(burst.latencies.at(-1) ?? Number.NaN),
        wallS: round(burst.wallS),
      },
      cpuMsPerInteraction: Math.round((cpuS * 1000 * 100) / burstSize) / 100,
    };
  } finally {
    await cluster?.stop(15_000);
    await fake.stop();
    rmSync(directory, { recursive: true, force: true });
  }
}

const sum = (xs: number[]): number => Math.round(xs.reduce((a, b) => a + b, 0) * 10) / 10;
process.stdout.write(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}, Node ${process.version}\n`);
const results: LayoutResult[] = [];
for (const layout of layouts) {
  const result = await runLayout(layout);
  results.push(result);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

process.stdout.write('\n| processes × shards | RSS per bot process (MB) | bot total (MB) | + manager (MB) | after burst, total (MB) | burst answered | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | burst wall (s) | bot CPU per interaction (ms) | start-up (s) |\n');
process.stdout.write('|---|---|---|---|---|---|---|---|---|---|---|---|---|\n');
for (const r of results) {
  process.stdout.write(
    `| ${r.layout.replace('x', ' × ')} | ${r.rssWarmMB.join(', ')} | ${sum(r.rssWarmMB)} | ${r.managerMB} | ${sum(r.rssAfterMB)} | ${r.burst.answered}/${r.burst.n} | ${r.burst.p50} | ${r.burst.p95} | ${r.burst.p99} | ${r.burst.max} | ${r.burst.wallS} | ${r.cpuMsPerInteraction} | ${r.startupS} |\n`,
  );
}
