/**
 * Metrics and health (`METRICS_PORT`): the real bot against the fake Discord, scraped over HTTP the way
 * Prometheus and a supervisor would. Counters are read back from the text format, so a renamed metric
 * or a label that stops being set fails here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { button, slashCommand, type FakeDiscordOptions } from '../support/fake-discord.ts';
import { startHarness, type BotHarness } from '../support/bot-harness.ts';
import { checkHealth } from '../../src/bot/metrics-server.ts';

const GUILD = '330000000000000001';
const TIPS = '330000000000000002';
const GONE = '330000000000000003';
const ADMIN = String(1n << 5n); // Manage Server

const fakeOptions: FakeDiscordOptions = {
  guilds: [{ id: GUILD, name: 'Metrics', channels: [{ id: TIPS, name: 'tips', type: 0 }, { id: GONE, name: 'gone', type: 0 }] }],
};

/** Parses the Prometheus text format into `name{labels}` → value (labels as written, sorted by prom-client). */
function parseMetrics(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const space = line.lastIndexOf(' ');
    values.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return values;
}

async function scrape(harness: BotHarness): Promise<Map<string, number>> {
  const response = await fetch(`${harness.bot.metricsServer!.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return parseMetrics(await response.text());
}

/** A clock at real speed that a test can jump (start-up takes a while on a busy machine). */
function settableClock(startIso: string): { now: () => Date; set: (iso: string) => void } {
  let offset = Date.parse(startIso) - Date.now();
  return { now: () => new Date(Date.now() + offset), set: (iso) => void (offset = Date.parse(iso) - Date.now()) };
}

const harnesses: BotHarness[] = [];
const directory = mkdtempSync(join(tmpdir(), 'zhenyan-metrics-'));
afterAll(async () => {
  while (harnesses.length > 0) await harnesses.pop()!.stop();
  rmSync(directory, { recursive: true, force: true });
});

describe('metrics and health endpoint', () => {
  it('counts interactions by command and outcome, latency, rate limits and shard pings', async () => {
    // Short heartbeats, so the gateway ping is known within the test.
    const harness = await startHarness({ fake: { ...fakeOptions, heartbeatIntervalMs: 150 }, config: { metrics: { host: '127.0.0.1', port: 0 } }, bot: { rateLimit: { limit: 3, windowMs: 60_000 } } });
    harnesses.push(harness);
    const { fake } = harness;
    expect(harness.bot.metricsServer!.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/u);

    const user = (id: string) => ({ user: { id, username: `u${id.slice(-2)}` }, guildId: GUILD });
    const first = await fake.sendInteraction(slashCommand('quote', { query: '创业' }, user('200000000000000501')));
    await fake.sendInteraction(slashCommand('quote', { query: '融资' }, user('200000000000000502')));
    await fake.sendInteraction(slashCommand('sources', {}, user('200000000000000503')));
    await fake.sendInteraction(slashCommand('no-such-command', {}, user('200000000000000504')));
    const message = { id: '400000000000000501', channel_id: first.interaction.channel_id, components: first.data.components, embeds: first.data.embeds };
    await fake.sendInteraction(button(first.data.components[0].components[2].custom_id, { ...user('200000000000000505'), message }));
    // One user over the limit of 3: the fourth is refused.
    for (let i = 0; i < 4; i++) await fake.sendInteraction(slashCommand('sources', {}, user('200000000000000506')));
    // A precondition refusal (no Manage Server): answered with a UserError, counted as refused.
    await fake.sendInteraction(
      slashCommand('daily', { channel: { type: 7, value: TIPS }, time: '09:00' }, { ...user('200000000000000508'), subcommand: 'set', memberPermissions: '0' }),
    );
    // A button prefix no command has: counted as "unknown", never as its attacker-chosen name.
    await fake.sendInteraction(button('evil-label-value:1', user('200000000000000507')));

    const metrics = await scrape(harness);
    expect(metrics.get('zhenyan_interactions_total{kind="command",command="quote",outcome="ok"}')).toBe(2);
    expect(metrics.get('zhenyan_interactions_total{kind="command",command="sources",outcome="ok"}')).toBe(4);
    expect(metrics.get('zhenyan_interactions_total{kind="command",command="sources",outcome="rate-limited"}')).toBe(1);
    expect(metrics.get('zhenyan_interactions_total{kind="command",command="unknown",outcome="unknown-command"}')).toBe(1);
    expect(metrics.get('zhenyan_interactions_total{kind="button",command="quoteContext",outcome="ok"}')).toBe(1);
    expect(metrics.get('zhenyan_interactions_total{kind="button",command="unknown",outcome="unknown-command"}')).toBe(1);
    expect([...metrics.keys()].some((key) => key.includes('evil-label-value'))).toBe(false);
    expect(metrics.get('zhenyan_interactions_total{kind="command",command="daily",outcome="refused"}')).toBe(1);
    expect(metrics.get('zhenyan_rate_limited_total{kind="command"}')).toBe(1);
    // Latency histogram: every /quote observed, in a bucket no later than +Inf.
    expect(metrics.get('zhenyan_interaction_duration_seconds_count{kind="command",command="quote"}')).toBe(2);
    expect(metrics.get('zhenyan_interaction_duration_seconds_bucket{le="+Inf",kind="command",command="quote"}')).toBe(2);
    expect(metrics.get('zhenyan_interaction_duration_seconds_sum{kind="command",command="quote"}')).toBeGreaterThan(0);
    // Shard 0 is connected and its heartbeat round trip is known; event-loop lag from prom-client's default metrics.
    expect(metrics.get('zhenyan_shard_ready{shard="0"}')).toBe(1);
    let ping = metrics.get('zhenyan_gateway_ping_seconds{shard="0"}');
    for (let i = 0; i < 20 && ping === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      ping = (await scrape(harness)).get('zhenyan_gateway_ping_seconds{shard="0"}');
    }
    expect(ping).toBeGreaterThanOrEqual(0);
    expect(ping).toBeLessThan(5);
    expect(metrics.has('nodejs_eventloop_lag_seconds')).toBe(true);
    expect(metrics.get('zhenyan_daily_posts_total{result="sent"}')).toBe(0);
  });

  it('serves /healthz: 200 with every check passing, 503 naming the one that fails', async () => {
    const harness = harnesses[0]!;
    const healthy = await fetch(`${harness.bot.metricsServer!.url}/healthz`);
    expect(healthy.status).toBe(200);
    expect(await healthy.json()).toEqual({ ok: true, checks: { corpus: true, shards: true, store: true } });

    const notFound = await fetch(`${harness.bot.metricsServer!.url}/secrets`);
    expect(notFound.status).toBe(404);

    // The store going away (closed database) makes the process not ready.
    harness.bot.daily.close();
    const unhealthy = await fetch(`${harness.bot.metricsServer!.url}/healthz`);
    expect(unhealthy.status).toBe(503);
    expect(await unhealthy.json()).toEqual({ ok: false, checks: { corpus: true, shards: true, store: false } });
  });

  it('treats a health check that throws as failing, without failing the endpoint', async () => {
    const report = await checkHealth({ fine: () => true, broken: () => { throw new Error('boom'); }, slow: async () => false });
    expect(report).toEqual({ ok: false, checks: { fine: true, broken: false, slow: false } });
  });

  it('counts daily posts sent, failed and late (a catch-up after a restart)', async () => {
    const databasePath = join(directory, 'daily.db');
    const clock = settableClock('2026-11-23T00:00:00Z');
    const first = await startHarness({ fake: fakeOptions, config: { databasePath, metrics: { host: '127.0.0.1', port: 0 } }, bot: { now: clock.now, daily: { retryDelayMs: 100 } } });
    harnesses.push(first);
    const subscribe = (channelId: string) =>
      first.fake.sendInteraction(
        slashCommand('daily', { channel: { type: 7, value: channelId }, time: '09:00', timezone: 'Asia/Shanghai' }, {
          guildId: GUILD,
          channelId,
          subcommand: 'set',
          memberPermissions: ADMIN,
          resolved: { channels: { [channelId]: { id: channelId, type: 0, name: 'c', guild_id: GUILD, permissions: '0' } } },
        }),
      );
    for (const channel of [TIPS, GONE]) expect((await subscribe(channel)).data.content).toContain('09:00');
    // Down over 09:00 Shanghai; back at 09:05: both posts are caught up, five minutes late.
    await first.bot.stop(); // the fake keeps running (stopped with `first` at the end)
    first.fake.failNext('POST', `/channels/${GONE}/messages`, [{ status: 404, body: { message: 'Unknown Channel', code: 10003 } }]);
    clock.set('2026-11-23T01:05:00Z');
    const second = await startHarness({ reuseFake: first.fake, config: { databasePath, metrics: { host: '127.0.0.1', port: 0 } }, bot: { now: clock.now, daily: { retryDelayMs: 100 } } });
    harnesses.push(second);
    await first.fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${TIPS}/messages` && r.status === 200, 10_000);
    await first.fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${GONE}/messages`, 10_000);
    await second.bot.daily.whenIdle();
    const metrics = await scrape(second);
    expect(metrics.get('zhenyan_daily_posts_total{result="sent"}')).toBe(1);
    expect(metrics.get('zhenyan_daily_posts_total{result="late"}')).toBe(1);
    expect(metrics.get('zhenyan_daily_posts_total{result="failed"}')).toBe(1);
  });
});
