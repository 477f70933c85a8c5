/**
 * `npm run cluster`: runs this machine's shards in several processes, restarted when they crash.
 *
 * discord-hybrid-sharding's ClusterManager forks `CLUSTER_PROCESSES` children (default: the number of CPU
 * cores, never more than there are shards), each running the ordinary `src/main.ts` with a contiguous
 * slice of the shards (`SHARD_IDS` / `SHARD_COUNT` of this machine; all shards when `SHARD_IDS` is unset;
 * `SHARD_COUNT` unset means `auto`). Why this tool and not discord.js's ShardingManager: see README
 * ("Scaling out").
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ChildProcess } from 'node:child_process';
import { ClusterManager, HeartbeatManager, type Cluster } from 'discord-hybrid-sharding';
import { ConfigError, describeConfig, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { planShards, recommendedShardCount } from './bot/shards.ts';

if (existsSync('.env')) process.loadEnvFile('.env');

/** Pause between starting two shards (hybrid-sharding's default, above Discord's 5 s per IDENTIFY). */
const DEFAULT_SPAWN_DELAY_MS = 7_000;
/** A child that crashes this many times within an hour is not restarted again (a crash loop needs a person). */
const MAX_RESTARTS_PER_HOUR = 10;
/** How long children get to disconnect cleanly on shutdown before they are killed. */
const SHUTDOWN_GRACE_MS = 10_000;

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}
const token = config.discordToken;
if (!token) fail('zhenyan: invalid configuration: DISCORD_TOKEN: required by npm run cluster (see .env.example)');
const spawnDelayText = process.env.CLUSTER_SPAWN_DELAY_MS?.trim();
if (spawnDelayText && !/^\d{1,6}$/u.test(spawnDelayText)) fail('zhenyan: invalid configuration: CLUSTER_SPAWN_DELAY_MS: must be milliseconds (0–999999) (see .env.example)');
const spawnDelayMs = spawnDelayText ? Number(spawnDelayText) : DEFAULT_SPAWN_DELAY_MS;

const logger = createLogger({ level: config.logLevel, secrets: [token] }).child({ component: 'cluster' });

let plan;
try {
  plan = await planShards(config.shards ?? { count: 'auto', ids: null }, () => recommendedShardCount(token, config.discordApiUrl));
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  fail(`zhenyan: cluster: could not ask Discord for the shard count (GET /gateway/bot): ${(error as Error).message}`);
}
if (!plan) throw new Error('unreachable: a shard plan always exists in cluster mode');
const processes = Math.min(config.clusterProcesses ?? cpus().length, plan.ids.length);

const manager = new ClusterManager(fileURLToPath(new URL('./main.ts', import.meta.url)), {
  mode: 'process',
  token,
  totalShards: plan.count,
  shardList: plan.ids,
  totalClusters: processes,
  respawn: true,
  restarts: { max: MAX_RESTARTS_PER_HOUR, interval: 60 * 60 * 1000, current: 0 },
  // Each child runs the TypeScript entry through tsx, as `npm start` does.
  execArgv: ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href],
  spawnOptions: { delay: spawnDelayMs, timeout: -1 },
});
// Restarts a child whose event loop stops answering (a hang is not a crash), after 5 missed 20 s heartbeats.
manager.extend(new HeartbeatManager({ interval: 20_000, maxMissedHeartbeats: 5 }));

const childProcesses = new Map<number, ChildProcess>();
manager.on('clusterCreate', (cluster: Cluster) => {
  cluster.on('spawn', (thread) => {
    const child = thread && 'pid' in thread ? thread : undefined;
    if (child) childProcesses.set(cluster.id, child);
    logger.info({ cluster: cluster.id, pid: child?.pid, shards: cluster.shardList }, 'process started');
  });
  cluster.on('death', (_cluster, thread) => {
    const child = thread && 'pid' in thread ? thread : undefined;
    const restartsLeft = cluster.restarts.max - cluster.restarts.current;
    if (stopping) return;
    if (restartsLeft > 0) {
      logger.warn({ cluster: cluster.id, pid: child?.pid, exitCode: child?.exitCode, signal: child?.signalCode, restartsLeft }, 'process exited: restarting it');
      return;
    }
    // A crash loop: its shards are offline. Stop everything and exit non-zero, so the supervisor
    // (systemd, Kubernetes…) notices and alerts instead of a half-running bot.
    logger.error({ cluster: cluster.id, pid: child?.pid, exitCode: child?.exitCode, maxRestartsPerHour: MAX_RESTARTS_PER_HOUR }, 'process exited: too many restarts, stopping the cluster');
    shutdown('crash loop', 1);
  });
});
manager.on('clusterReady', (cluster: Cluster) => logger.info({ cluster: cluster.id, shards: cluster.shardList }, 'process ready'));
manager.on('debug', (message: string) => logger.debug({ detail: message }, 'cluster manager'));

let stopping = false;
/** Stops every process (SIGTERM, then SIGKILL after the grace period) and exits with `exitCode`. */
function shutdown(reason: string, exitCode: number): void {
  if (stopping) return;
  stopping = true;
  manager.respawn = false;
  logger.info({ reason }, 'stopping every process');
  const exits = [...childProcesses.values()]
    .filter((child) => child.exitCode === null && child.signalCode === null)
    .map(
      (child) =>
        new Promise<void>((resolve) => {
          const killer = setTimeout(() => child.kill('SIGKILL'), SHUTDOWN_GRACE_MS);
          child.once('exit', () => {
            clearTimeout(killer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    );
  void Promise.all(exits).then(() => process.exit(exitCode));
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => shutdown(signal, 0));

logger.info({ config: describeConfig(config), processes, shardCount: plan.count, shards: plan.ids, spawnDelayMs }, 'starting the cluster');
await manager.spawn({ amount: plan.count, delay: spawnDelayMs, timeout: -1 });
