/**
 * The fake Discord's sharding, checked with real discord.js clients: GET /gateway/bot recommends the shard
 * count, IDENTIFY carries `shard: [id, count]`, and each guild (its GUILD_CREATE, its interactions) reaches
 * only the connection of the shard that owns it, `(guild_id >> 22) % count`.
 */
import { Client, GatewayIntentBits, REST, Routes, type Interaction } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord, guildIdOnShard, noIdentifyThrottle, slashCommand } from './fake-discord.ts';

const SHARD_COUNT = 4;
// Two guilds per shard, so every shard owns something and a wrong modulo shows up.
const guildIds = Array.from({ length: SHARD_COUNT * 2 }, (_, n) => guildIdOnShard(n % SHARD_COUNT, SHARD_COUNT, n));
const ownerOf = (guildId: string): number => Number((BigInt(guildId) >> 22n) % BigInt(SHARD_COUNT));

let fake: FakeDiscord;
const clients: Array<{ client: Client; shards: number[]; seen: Array<{ guildId: string | null; shard: number }> }> = [];

beforeAll(async () => {
  fake = await FakeDiscord.start({
    shardCount: SHARD_COUNT,
    guilds: guildIds.map((id, n) => ({ id, name: `Guild ${n}`, channels: [{ id: guildIdOnShard(0, 1, 1000 + n), name: 'general', type: 0 }] })),
  });
  for (const shards of [
    [0, 1],
    [2, 3],
  ]) {
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: fake.restOptions(), shards, shardCount: SHARD_COUNT, ws: noIdentifyThrottle });
    const entry = { client, shards, seen: [] as Array<{ guildId: string | null; shard: number }> };
    client.on('interactionCreate', (interaction: Interaction) => {
      entry.seen.push({ guildId: interaction.guildId, shard: interaction.guild?.shardId ?? -1 });
      if (interaction.isChatInputCommand()) void interaction.reply({ content: `shards ${shards.join(',')}` });
    });
    const ready = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
    await client.login(fake.token);
    await ready;
    clients.push(entry);
  }
});

afterAll(async () => {
  for (const { client } of clients) await client.destroy();
  await fake?.stop();
});

describe('fake Discord sharding', () => {
  it('recommends its shard count in GET /gateway/bot', async () => {
    const rest = new REST({ api: fake.apiUrl }).setToken(fake.token);
    const gateway = (await rest.get(Routes.gatewayBot())) as { shards: number; session_start_limit: { max_concurrency: number } };
    expect(gateway.shards).toBe(SHARD_COUNT);
    expect(gateway.session_start_limit.max_concurrency).toBeGreaterThanOrEqual(1);
  });

  it('receives one IDENTIFY per shard with shard: [id, count]', () => {
    expect(fake.identifies.map((identify) => identify.shard).sort()).toEqual([
      [0, SHARD_COUNT],
      [1, SHARD_COUNT],
      [2, SHARD_COUNT],
      [3, SHARD_COUNT],
    ]);
    expect(fake.connectedShards).toEqual([0, 1, 2, 3]);
  });

  it('sends each guild only to the process whose shards own it', () => {
    for (const { client, shards } of clients) {
      const expected = guildIds.filter((id) => shards.includes(ownerOf(id))).sort();
      expect([...client.guilds.cache.keys()].sort()).toEqual(expected);
      for (const guild of client.guilds.cache.values()) expect(guild.shardId).toBe(ownerOf(guild.id));
    }
  });

  it('dispatches each interaction on the owner shard only, and it is answered once', async () => {
    for (const guildId of guildIds) {
      const callback = await fake.sendInteraction(slashCommand('ping', {}, { guildId }));
      const owner = clients.find(({ shards }) => shards.includes(ownerOf(guildId)))!;
      expect(callback.data.content).toBe(`shards ${owner.shards.join(',')}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100)); // a stray duplicate would arrive by now
    for (const { shards, seen } of clients) {
      expect(seen.length).toBe(guildIds.filter((id) => shards.includes(ownerOf(id))).length);
      for (const { guildId, shard } of seen) {
        expect(shard).toBe(ownerOf(guildId!));
        expect(shards).toContain(shard);
      }
    }
    for (const guildId of guildIds) {
      expect(fake.callbacks.filter((c) => c.interaction.guild_id === guildId)).toHaveLength(1);
    }
    expect(fake.errors).toEqual([]);
  });

  it('sends DMs to shard 0', async () => {
    const dm = fake.dispatchInteraction(slashCommand('ping', {}, { guildId: null }));
    expect(dm.shard).toBe(0);
    const callback = await dm.waitForCallback();
    expect(callback.data.content).toBe('shards 0,1');
  });

  it('closes an IDENTIFY for a shard that does not exist with 4010', async () => {
    const { default: WebSocket } = await import('ws');
    const socket = new WebSocket(`${fake.gatewayUrl}/?v=10&encoding=json`);
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.on('message', (raw) => {
      const frame = JSON.parse(String(raw));
      if (frame.op === 10) socket.send(JSON.stringify({ op: 2, d: { token: fake.token, intents: 1, properties: {}, shard: [4, 4] } }));
    });
    expect(await closed).toBe(4010);
  });
});
