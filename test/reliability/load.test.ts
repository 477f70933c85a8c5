/**
 * A small version of `npm run load` (scripts/load.ts): the real bot against the local fake Discord, in this
 * process. Checks correctness under load (every interaction exactly one 2xx callback of the right type), the
 * per-user rate limit, and that per-user state stays bounded over a soak. Timing is printed, never asserted;
 * the memory check is loose (the fake Discord and vitest share this heap): the 10 % target is the script's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type BotHarness } from '../support/bot-harness.ts';
import { slashCommand } from '../support/fake-discord.ts';
import { exposeGc, fireBatch, LoadMix, measureAfterGc, percentChange, quantile, reseed, worldOf, type MemorySample } from './load-driver.ts';

const BURST = 300;
const WARMUP = 1_000;
const SOAK = 3_000;
const BATCH = 250;

let harness: BotHarness;
let mix: LoadMix;

beforeAll(async () => {
  // Default rate limit (8 per 10 s per user): the traffic is spread over fresh user ids instead.
  harness = await startHarness();
  mix = new LoadMix(worldOf(harness.bot.services.library), 7);
});

afterAll(async () => {
  await harness?.stop();
});

function errorLines(): string[] {
  return harness.logLines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50);
}

describe('load', () => {
  it(`answers a burst of ${BURST} mixed interactions, each exactly once and without failure`, async () => {
    const seeds = await fireBatch(harness.fake, mix.seedQuotes(20));
    expect(seeds.problems).toEqual([]);
    for (const { callback } of seeds.answered) mix.addSeedFrom(callback);
    harness.fake.forgetHistory();

    const items = Array.from({ length: BURST }, () => mix.next());
    const result = await fireBatch(harness.fake, items, 60_000);
    expect(result.problems).toEqual([]);
    expect(result.answered).toHaveLength(BURST);
    const kinds = new Set(items.map((item) => item.kind));
    for (const kind of ['quote', 'random', 'speaker', 'ac-quote-speaker', 'btn-context', 'btn-page', 'btn-expired'] as const) expect(kinds).toContain(kind);
    expect(errorLines()).toEqual([]);
    console.log(`burst ${BURST}: p50 ${quantile(result.latencies, 0.5).toFixed(1)} ms, p99 ${quantile(result.latencies, 0.99).toFixed(1)} ms, all in ${result.wallMs.toFixed(0)} ms`);
    harness.fake.forgetHistory();
  });

  it('refuses one user beyond 8 commands per 10 s, politely and ephemerally, while others are answered', async () => {
    const flooder = { id: '299000000000000001', username: 'flooder' };
    const flood = Array.from({ length: 30 }, (_, i) => harness.fake.dispatchInteraction(slashCommand(i % 2 ? 'help' : 'random', undefined, { user: flooder, locale: 'zh-CN' })));
    const others = Array.from({ length: 5 }, (_, i) =>
      harness.fake.dispatchInteraction(slashCommand('random', undefined, { user: { id: `29900000000000020${i}`, username: `o${i}` } })),
    );
    const floodCallbacks = await Promise.all(flood.map((d) => d.waitForCallback(30_000)));
    const otherCallbacks = await Promise.all(others.map((d) => d.waitForCallback(30_000)));
    const refused = floodCallbacks.filter((c) => /^操作太快了，请 \d+ 秒后再试。$/u.test(c.data?.content ?? ''));
    expect(refused).toHaveLength(22);
    for (const c of refused) {
      expect(c.type).toBe(4);
      expect(c.data.flags).toBe(64);
      expect(c.data.allowed_mentions).toEqual({ parse: [], users: [], roles: [], replied_user: false });
    }
    // The first 8 in arrival order are the answered ones.
    expect(floodCallbacks.slice(0, 8).every((c) => !refused.includes(c))).toBe(true);
    for (const c of otherCallbacks) {
      expect(c.type).toBe(4);
      expect(c.data.embeds?.length).toBe(1);
    }
    // The log line is written once the reply is sent, just after the fake received it.
    const limitedLines = () => harness.logLines.map((l) => JSON.parse(l) as { outcome?: string; user?: string }).filter((e) => e.outcome === 'rate-limited');
    for (let i = 0; i < 200 && limitedLines().length < 22; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    const limited = limitedLines();
    expect(limited).toHaveLength(22);
    expect(new Set(limited.map((e) => e.user))).toEqual(new Set([flooder.id]));
    harness.fake.forgetHistory();
  });

  it(`keeps memory and per-user state bounded over a soak of ${SOAK}`, async () => {
    const gc = await exposeGc();
    const run = async (count: number) => {
      for (let done = 0; done < count; done += BATCH) {
        const result = await fireBatch(harness.fake, Array.from({ length: Math.min(BATCH, count - done) }, () => mix.next()), 60_000);
        expect(result.problems).toEqual([]);
        reseed(mix, result);
        harness.fake.forgetHistory();
      }
    };
    const listeners = () => harness.bot.client.listenerCount('interactionCreate');
    await run(WARMUP);
    harness.logLines.length = 0;
    const before: MemorySample = await measureAfterGc(gc);
    const listenersBefore = listeners();
    await run(SOAK);
    expect(errorLines()).toEqual([]);
    harness.logLines.length = 0;
    const after = await measureAfterGc(gc);

    const { bot } = harness;
    // discord.js caches every interaction's user and member; the bot bounds both (see createDiscordClient).
    expect(bot.client.users.cache.size).toBeLessThanOrEqual(1_000);
    expect(bot.client.guilds.cache.first()!.members.cache.size).toBeLessThanOrEqual(1_000);
    expect(bot.client.guilds.cache.first()!.members.me).not.toBeNull();
    expect(listeners()).toBe(listenersBefore);
    const heap = percentChange(before.heapUsed, after.heapUsed);
    console.log(`soak ${SOAK}: heap ${(before.heapUsed / 2 ** 20).toFixed(1)} → ${(after.heapUsed / 2 ** 20).toFixed(1)} MB (${heap.toFixed(1)} %), rss ${(before.rss / 2 ** 20).toFixed(0)} → ${(after.rss / 2 ** 20).toFixed(0)} MB`);
    // Loose on purpose (shared heap with the fake and vitest); scripts/load.ts holds the bot to 10 %.
    expect(heap).toBeLessThan(30);
  });
});
