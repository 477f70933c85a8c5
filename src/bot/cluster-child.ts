/**
 * The child side of `npm run cluster`: a process started by discord-hybrid-sharding's ClusterManager runs
 * the ordinary `src/main.ts`. These helpers translate the manager's hand-over into Zhenyan's own
 * variables and report readiness back, so `npm start` and a cluster child run the same code path.
 */
import type { Client } from 'discord.js';
import { ClusterClient } from 'discord-hybrid-sharding';

/**
 * True in a process forked by the cluster manager: discord-hybrid-sharding sets these variables and the
 * process has an IPC channel to its parent (`hasIpc`, default: whether `process.send` exists).
 */
export function isClusterChild(env: NodeJS.ProcessEnv = process.env, hasIpc = typeof process.send === 'function'): boolean {
  return env.CLUSTER_MANAGER === 'true' && env.CLUSTER_MANAGER_MODE === 'process' && hasIpc;
}

/**
 * Maps the manager's `SHARD_LIST` / `TOTAL_SHARDS` / `CLUSTER` onto `SHARD_IDS` / `SHARD_COUNT` (which
 * override whatever the manager's own environment said), and gives each child its own metrics port
 * (`METRICS_PORT + cluster id`; 0 stays 0, a free port). Mutates and returns `env`.
 */
export function applyClusterEnv(env: NodeJS.ProcessEnv = process.env, hasIpc = typeof process.send === 'function'): NodeJS.ProcessEnv {
  if (!isClusterChild(env, hasIpc)) return env;
  env.SHARD_IDS = env.SHARD_LIST ?? '';
  env.SHARD_COUNT = env.TOTAL_SHARDS ?? '';
  const clusterId = Number(env.CLUSTER ?? 0);
  const basePort = env.METRICS_PORT?.trim();
  if (basePort && /^\d+$/u.test(basePort) && Number(basePort) > 0) env.METRICS_PORT = String(Number(basePort) + clusterId);
  return env;
}

/**
 * Tells the manager this child's shards are ready (the manager then starts its heartbeat watchdog, which
 * restarts a child whose event loop stops answering). Call from `startBot({ onReady })`.
 */
export function reportClusterReady(client: Client): void {
  new ClusterClient(client).triggerReady();
}

/**
 * Stops the bot and exits when the manager goes away (its IPC channel closes), so no orphan keeps a
 * gateway connection open. `stop` is read at that moment: the bot may still be starting.
 */
export function exitWithManager(stop: () => Promise<void> | undefined): void {
  process.once('disconnect', () => {
    void Promise.resolve(stop())
      .catch(() => undefined)
      .finally(() => process.exit(0));
  });
}
