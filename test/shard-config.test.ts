/**
 * SHARD_COUNT / SHARD_IDS / CLUSTER_PROCESSES / METRICS_PORT: parsed and validated in `src/config.ts`;
 * bad values stop `npm start` and `npm run cluster` with one line on stderr and exit code 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseShardIds } from '../src/config.ts';
import { planShards } from '../src/bot/shards.ts';
import { applyClusterEnv } from '../src/bot/cluster-child.ts';
import { FakeDiscord } from './support/fake-discord.ts';
import { runEntry } from './support/processes.ts';

function problem(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
}

describe('shard configuration', () => {
  it('is unset by default: one shard, no metrics server', () => {
    const config = loadConfig({});
    expect(config.shards).toBeUndefined();
    expect(config.metrics).toBeUndefined();
    expect(config.clusterProcesses).toBeUndefined();
  });

  it('reads counts, lists and ranges', () => {
    expect(loadConfig({ SHARD_COUNT: '4' }).shards).toEqual({ count: 4, ids: null });
    expect(loadConfig({ SHARD_COUNT: 'auto' }).shards).toEqual({ count: 'auto', ids: null });
    expect(loadConfig({ SHARD_COUNT: '4', SHARD_IDS: '0,1' }).shards).toEqual({ count: 4, ids: [0, 1] });
    expect(loadConfig({ SHARD_COUNT: '8', SHARD_IDS: '4-7' }).shards).toEqual({ count: 8, ids: [4, 5, 6, 7] });
    expect(loadConfig({ SHARD_COUNT: '16', SHARD_IDS: ' 9, 0-2 ' }).shards).toEqual({ count: 16, ids: [0, 1, 2, 9] });
    expect(loadConfig({ CLUSTER_PROCESSES: '3', METRICS_PORT: '9464' })).toMatchObject({ clusterProcesses: 3, metrics: { host: '127.0.0.1', port: 9464 } });
    expect(loadConfig({ METRICS_PORT: '0', METRICS_HOST: '0.0.0.0' }).metrics).toEqual({ host: '0.0.0.0', port: 0 });
  });

  it.each([
    [{ SHARD_COUNT: 'many' }, 'SHARD_COUNT: must be a whole number of shards'],
    [{ SHARD_COUNT: '0' }, 'SHARD_COUNT: must be a whole number of shards'],
    [{ SHARD_COUNT: '-2' }, 'SHARD_COUNT: must be a whole number of shards'],
    [{ SHARD_COUNT: '2.5' }, 'SHARD_COUNT: must be a whole number of shards'],
    [{ SHARD_IDS: '0,1' }, 'SHARD_IDS: needs SHARD_COUNT'],
    [{ SHARD_COUNT: '4', SHARD_IDS: '0-4' }, 'SHARD_IDS: shard 4 does not exist with SHARD_COUNT=4'],
    [{ SHARD_COUNT: '4', SHARD_IDS: '3-1' }, 'SHARD_IDS: range 3-1 goes backwards'],
    [{ SHARD_COUNT: '4', SHARD_IDS: '1,1' }, 'SHARD_IDS: names a shard twice'],
    [{ SHARD_COUNT: '4', SHARD_IDS: 'a,b' }, 'SHARD_IDS: must be shard ids and ranges'],
    [{ SHARD_COUNT: '4', SHARD_IDS: '0,,1' }, 'SHARD_IDS: must be shard ids and ranges'],
    [{ CLUSTER_PROCESSES: '0' }, 'CLUSTER_PROCESSES: must be a whole number of processes'],
    [{ METRICS_PORT: '70000' }, 'METRICS_PORT: must be a port number'],
  ])('refuses %j in one line', (env, expected) => {
    const message = problem(env);
    expect(message).toContain(expected);
    expect(message).not.toContain('\n');
  });

  it('bounds a huge range instead of allocating it', () => {
    expect(parseShardIds('0-99999')).toMatch(/more than/u);
  });

  it('plans every shard by default, and checks ids against the recommended count (auto)', async () => {
    expect(await planShards(undefined, async () => 4)).toBeUndefined();
    expect(await planShards({ count: 'auto', ids: null }, async () => 3)).toEqual({ ids: [0, 1, 2], count: 3 });
    expect(await planShards({ count: 2, ids: [1] }, async () => 99)).toEqual({ ids: [1], count: 2 });
    await expect(planShards({ count: 'auto', ids: [0, 5] }, async () => 4)).rejects.toThrow(/SHARD_IDS: shard 5 does not exist with 4 shards/u);
  });
});

describe('a process started by npm run cluster', () => {
  const fromManager = { CLUSTER_MANAGER: 'true', CLUSTER_MANAGER_MODE: 'process', SHARD_LIST: '2,3', TOTAL_SHARDS: '4', CLUSTER: '1' };

  it('runs the shards the manager gave it, whatever the machine-wide SHARD_IDS said', () => {
    const env = applyClusterEnv({ ...fromManager, SHARD_COUNT: '4', SHARD_IDS: '0-3', METRICS_PORT: '9464' }, true);
    expect(loadConfig(env)).toMatchObject({ shards: { count: 4, ids: [2, 3] }, metrics: { port: 9465 } });
  });

  it('keeps METRICS_PORT=0 (a free port) and leaves a plain npm start alone', () => {
    expect(applyClusterEnv({ ...fromManager, METRICS_PORT: '0' }, true).METRICS_PORT).toBe('0');
    expect(applyClusterEnv({ ...fromManager, SHARD_IDS: '0' }, false).SHARD_IDS).toBe('0');
    expect(applyClusterEnv({ SHARD_IDS: '0' }, true).SHARD_IDS).toBe('0');
  });
});

describe('processes refuse bad shard settings with one line and exit code 1', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await FakeDiscord.start({ shardCount: 2 });
  });
  afterAll(async () => {
    await fake?.stop();
  });

  it.each([
    ['src/main.ts', { SHARD_COUNT: 'lots' }, /^zhenyan: invalid configuration: SHARD_COUNT: must be a whole number/u],
    ['src/main.ts', { SHARD_COUNT: 'auto', SHARD_IDS: '2-3' }, /^zhenyan: invalid configuration: SHARD_IDS: shard 2 does not exist with 2 shards/u],
    ['src/cluster.ts', { CLUSTER_PROCESSES: 'two' }, /^zhenyan: invalid configuration: CLUSTER_PROCESSES: must be/u],
    ['src/cluster.ts', { SHARD_COUNT: '2', SHARD_IDS: '0-2' }, /^zhenyan: invalid configuration: SHARD_IDS: shard 2 does not exist/u],
  ])('%s with %j', async (entry, env, expected) => {
    const run = runEntry(entry, { DISCORD_TOKEN: fake.token, DISCORD_API_URL: fake.apiUrl, DATABASE_PATH: ':memory:', ...env });
    const code = await run.exited;
    expect(code).toBe(1);
    const stderr = run.stderr().trimEnd();
    expect(stderr.split('\n'), stderr).toHaveLength(1);
    expect(stderr).toMatch(expected);
    expect(stderr).not.toContain(fake.token);
  }, 60_000);
});
