/**
 * `npm run cluster` end to end: the real cluster manager (discord-hybrid-sharding) starts two bot
 * processes with two shards each (`SHARD_COUNT=auto`, which the fake Discord answers with 4) against the
 * sharded fake Discord. Every interaction is answered exactly once, by the process whose shards own its
 * guild; a process killed mid-run is restarted, takes its shards back, and answers the buttons of a
 * message it sent before it died.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord, button, guildIdOnShard, slashCommand, type InteractionCallback } from '../support/fake-discord.ts';
import { runEntry, type LogLine, type RunningProcess } from '../support/processes.ts';

const SHARD_COUNT = 4;
const guildIds = Array.from({ length: SHARD_COUNT * 2 }, (_, n) => guildIdOnShard(n % SHARD_COUNT, SHARD_COUNT, n));
const ownerOf = (guildId: string): number => Number((BigInt(guildId) >> 22n) % BigInt(SHARD_COUNT));

let fake: FakeDiscord;
let cluster: RunningProcess;
let directory: string;

/** pid → the shards that process said it runs (its `running shards` log line). */
function shardsByPid(): Map<number, number[]> {
  return new Map(cluster.lines.filter((l) => l.msg === 'running shards').map((l) => [l.pid!, l.shards as number[]]));
}

const interactionLines = (): LogLine[] => cluster.lines.filter((l) => l.msg === 'interaction' || l.msg === 'interaction failed');

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'zhenyan-cluster-'));
  fake = await FakeDiscord.start({
    shardCount: SHARD_COUNT,
    guilds: guildIds.map((id, n) => ({ id, name: `Guild ${n}`, channels: [{ id: guildIdOnShard(0, 1, 2000 + n), name: 'general', type: 0 }] })),
  });
  cluster = runEntry('src/cluster.ts', {
    DISCORD_TOKEN: fake.token,
    DISCORD_CLIENT_ID: fake.applicationId,
    DISCORD_API_URL: fake.apiUrl,
    SHARD_COUNT: 'auto',
    CLUSTER_PROCESSES: '2',
    CLUSTER_SPAWN_DELAY_MS: '0',
    DATABASE_PATH: join(directory, 'zhenyan.db'),
  });
  await fake.waitForShards([0, 1, 2, 3], 60_000);
  await cluster.waitForLine((l) => l.msg === 'process ready' && l.cluster === 0, 30_000, 'cluster 0 ready');
  await cluster.waitForLine((l) => l.msg === 'process ready' && l.cluster === 1, 30_000, 'cluster 1 ready');
}, 90_000);

afterAll(async () => {
  await cluster?.stop(10_000);
  await fake?.stop();
  if (directory) rmSync(directory, { recursive: true, force: true });
});

describe('npm run cluster', () => {
  it('splits the recommended shard count over the processes: two shards each', () => {
    const plans = [...shardsByPid().values()].map((shards) => shards.join(',')).sort();
    expect(plans).toEqual(['0,1', '2,3']);
    for (const line of cluster.lines.filter((l) => l.msg === 'running shards')) expect(line.shardCount).toBe(SHARD_COUNT);
    expect(fake.identifies.map((identify) => identify.shard[1])).toEqual(Array(fake.identifies.length).fill(SHARD_COUNT));
  });

  it('answers every interaction exactly once, in the process that owns its guild', async () => {
    const before = interactionLines().length;
    const dispatched = guildIds.flatMap((guildId, n) =>
      [0, 1, 2].map((k) => fake.dispatchInteraction(slashCommand(k === 2 ? 'sources' : 'quote', k === 2 ? {} : { query: '创业' }, { guildId, user: { id: `2000000000000${String(n * 10 + k).padStart(5, '0')}` } }))),
    );
    const callbacks = await Promise.all(dispatched.map((d) => d.waitForCallback(15_000)));
    for (const callback of callbacks) expect(callback.type).toBe(4);
    // No second answer arrives for any of them.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const d of dispatched) expect(fake.callbacks.filter((c) => c.interactionId === d.id)).toHaveLength(1);

    // Log lines are written asynchronously: wait for all of them (and the 300 ms above for any extra one).
    await cluster.waitForLine(() => interactionLines().length - before >= dispatched.length, 10_000, 'every interaction logged');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const byPid = shardsByPid();
    const handled = interactionLines().slice(before);
    expect(handled).toHaveLength(dispatched.length);
    for (const line of handled) {
      const guild = line.guild as string;
      expect(byPid.get(line.pid!), `guild ${guild} answered by pid ${line.pid}`).toContain(ownerOf(guild));
    }
    // Both processes did some of the work.
    expect(new Set(handled.map((l) => l.pid)).size).toBe(2);
  });

  it('restarts a process that crashed; it takes its shards back and answers buttons sent before the crash', async () => {
    const guildId = guildIds.find((id) => ownerOf(id) === 2)!;
    const asker = { id: '200000000000077777', username: 'asker' };
    const first: InteractionCallback = await fake.sendInteraction(slashCommand('quote', { query: '融资' }, { guildId, user: asker }), 15_000);
    const next = first.data.components[0].components[1];
    const message = { id: '400000000000000099', channel_id: first.interaction.channel_id, components: first.data.components, embeds: first.data.embeds };

    const victim = [...shardsByPid()].find(([, shards]) => shards.includes(2))![0];
    const identifiesBefore = fake.identifyCount;
    process.kill(victim, 'SIGKILL');
    await cluster.waitForLine((l) => l.msg === 'process exited: restarting it', 10_000, 'the manager noticing the crash');
    const restarted = await cluster.waitForLine((l) => l.msg === 'running shards' && l.pid !== victim && (l.shards as number[]).includes(2), 30_000, 'the restarted process');
    expect(restarted.shards).toEqual([2, 3]);
    await fake.waitForIdentify(identifiesBefore + 2, 30_000);
    await fake.waitForShards([0, 1, 2, 3], 30_000);
    await cluster.waitForLine((l) => l.msg === 'connected to Discord' && l.pid === restarted.pid, 30_000, 'the restarted process connected');

    const page2 = await fake.sendInteraction(button(next.custom_id, { user: asker, guildId, message }), 15_000);
    expect(page2.type).toBe(7); // UPDATE_MESSAGE: the new process re-ran the search from the button alone
    expect(page2.data.embeds[0].description).not.toBe(first.data.embeds[0].description);
    const answered = await cluster.waitForLine((l) => l.msg === 'interaction' && l.kind === 'button', 10_000, 'the button logged');
    expect(answered.pid).toBe(restarted.pid);
    expect(answered.outcome).toBe('ok');
  }, 60_000);
});
