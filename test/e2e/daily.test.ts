/**
 * Daily tips end to end: `/daily set` through the real discord.js client and the local fake Discord,
 * leading to a real `POST /channels/{id}/messages` at the chosen minute; permission checks; status;
 * and a restart that neither skips nor repeats a day.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { slashCommand, autocomplete, type FakeDiscordOptions } from '../support/fake-discord.ts';
import { startHarness, type BotHarness } from '../support/bot-harness.ts';
import { dailyTip } from '../../src/core/tips/daily.ts';
import { openDatabase } from '../../src/core/store/database.ts';
import { testLibrary } from '../support/bot-harness.ts';

const GUILD = '310000000000000001';
const TIPS = '310000000000000002';
const LOCKED = '310000000000000003';
const OTHER_GUILD_CHANNEL = '320000000000000009';
const ROLE = '310000000000000004';
const ADMIN = String(1n << 5n); // Manage Server
const EPHEMERAL = 64;
const SEND_MESSAGES = 2048n;

const fakeOptions: FakeDiscordOptions = {
  guilds: [
    {
      id: GUILD,
      name: 'Founders',
      preferredLocale: 'zh-CN',
      channels: [
        { id: TIPS, name: 'tips', type: 0 },
        // @everyone (and so the bot) may not send messages here.
        { id: LOCKED, name: 'locked', type: 0, permission_overwrites: [{ id: GUILD, type: 0, allow: '0', deny: String(SEND_MESSAGES) }] },
      ],
      roles: [{ id: ROLE, name: 'tips-fans' }],
    },
  ],
};

/** A clock that runs at real speed; `set` jumps it to an instant (after start-up, which takes a while). */
function settableClock(startIso: string): { now: () => Date; set: (iso: string) => void } {
  let offset = Date.parse(startIso) - Date.now();
  return {
    now: () => new Date(Date.now() + offset),
    set: (iso) => {
      offset = Date.parse(iso) - Date.now();
    },
  };
}

function clockFrom(startIso: string): () => Date {
  return settableClock(startIso).now;
}

function channelOption(id: string, guildId = GUILD) {
  return { channels: { [id]: { id, type: 0, name: `c${id.slice(-2)}`, guild_id: guildId, permissions: '0' } } };
}

function setCommand(channelId: string, values: Record<string, string>, extra: { memberPermissions?: string } = {}) {
  return slashCommand(
    'daily',
    { channel: { type: 7, value: channelId }, ...values },
    { guildId: GUILD, channelId: TIPS, subcommand: 'set', resolved: channelOption(channelId), memberPermissions: extra.memberPermissions ?? ADMIN },
  );
}

const harnesses: BotHarness[] = [];
afterEach(async () => {
  while (harnesses.length > 0) await harnesses.pop()!.stop();
});

async function start(options: { now: () => Date; databasePath?: string }): Promise<BotHarness> {
  const harness = await startHarness({
    fake: fakeOptions,
    config: { databasePath: options.databasePath ?? ':memory:' },
    bot: { now: options.now, daily: { leaseMs: 0, retryDelayMs: 200 } },
  });
  harnesses.push(harness);
  return harness;
}

describe('/daily set', () => {
  it('subscribes a channel and the tip arrives at the chosen minute as a real channel message', async () => {
    const clock = settableClock('2026-11-23T00:00:00Z');
    const now = clock.now;
    const { fake } = await start({ now });
    clock.set('2026-11-23T00:59:58.500Z'); // 08:59:58.5 in Shanghai
    const reply = await fake.sendInteraction(setCommand(TIPS, { time: '09:00', timezone: 'asia/shanghai', role: { type: 8, value: ROLE } as never }));
    expect(reply.data.flags).toBe(EPHEMERAL);
    expect(reply.data.content).toContain(`<#${TIPS}>`);
    expect(reply.data.content).toContain('**09:00** (Asia/Shanghai)');
    expect(reply.data.allowed_mentions).toEqual({ parse: [], users: [], roles: [], replied_user: false });

    const posted = await fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${TIPS}/messages`, 10_000);
    expect(posted.body.enforce_nonce).toBe(true);
    expect(posted.body.nonce).toMatch(/^zy20261123[0-9a-f]{15}$/u);
    // The only mention the bot ever makes: the role an admin set explicitly.
    expect(posted.body.allowed_mentions).toEqual({ parse: [], roles: [ROLE] });
    expect(posted.body.content).toBe(`<@&${ROLE}>`);
    const expected = dailyTip(testLibrary(), TIPS, '2026-11-23')!;
    expect(posted.body.embeds[0].title).toBe('每日箴言');
    expect(posted.body.embeds[0].description.replaceAll('\\', '')).toBe(expected.passage.text);
    // Not before the chosen minute (09:00 Shanghai = 01:00 UTC).
    expect(now().toISOString() >= '2026-11-23T01:00:00.000Z').toBe(true);

    // /tip in that channel shows the same tip; /daily status shows the last post.
    const tipReply = await fake.sendInteraction(slashCommand('tip', undefined, { guildId: GUILD, channelId: TIPS, locale: 'zh-CN' }));
    expect(tipReply.data.embeds[0].description).toBe(posted.body.embeds[0].description);
    const statusReply = await fake.sendInteraction(slashCommand('daily', undefined, { guildId: GUILD, channelId: TIPS, subcommand: 'status', memberPermissions: ADMIN }));
    const field = statusReply.data.embeds[0].fields[0];
    expect(field.value).toContain('09:00 Asia/Shanghai');
    expect(field.value).toContain('2026-11-23 · sent');
    expect(field.value).toContain('2026-11-24 09:00 Asia/Shanghai');
  });

  it('says exactly which permission is missing, and saves nothing', async () => {
    const { fake } = await start({ now: clockFrom('2026-11-23T00:00:00Z') });
    const reply = await fake.sendInteraction(setCommand(LOCKED, { time: '09:00' }));
    expect(reply.data.flags).toBe(EPHEMERAL);
    expect(reply.data.content).toBe(`I can't post in <#${LOCKED}>: I'm missing **Send Messages** there. Give me that permission and try again.`);
    const status = await fake.sendInteraction(slashCommand('daily', undefined, { guildId: GUILD, subcommand: 'status', memberPermissions: ADMIN }));
    expect(status.data.content).toContain('No daily tips in this server yet');
  });

  it('refuses members without Manage Server at run time, even if an admin overrode the default', async () => {
    const { fake } = await start({ now: clockFrom('2026-11-23T00:00:00Z') });
    const reply = await fake.sendInteraction(setCommand(TIPS, { time: '09:00' }, { memberPermissions: String(1n << 11n) }));
    expect(reply.data.content).toBe('You need the **Manage Server** permission to change daily tips.');
  });

  it.each([
    [{ time: '25:61' }, '"25:61" is not a time of day'],
    [{ time: '9' }, '"9" is not a time of day'],
    [{ time: '09:00', timezone: 'Mars/Olympus' }, '"Mars/Olympus" is not a time zone I know'],
  ])('rejects %j with a clear message', async (values, message) => {
    const { fake } = await start({ now: clockFrom('2026-11-23T00:00:00Z') });
    const reply = await fake.sendInteraction(setCommand(TIPS, values));
    expect(reply.data.flags).toBe(EPHEMERAL);
    expect(reply.data.content).toContain(message);
  });

  it('rejects a channel of another server', async () => {
    const { fake } = await start({ now: clockFrom('2026-11-23T00:00:00Z') });
    // As Discord resolves it: the channel carries its own server's id.
    const spec = { ...setCommand(OTHER_GUILD_CHANNEL, { time: '09:00' }), resolved: channelOption(OTHER_GUILD_CHANNEL, '320000000000000001') };
    const reply = await fake.sendInteraction(spec);
    expect(reply.data.content).toBe('Pick a text or announcement channel of this server.');
  });

  it('autocompletes time zones', async () => {
    const { fake } = await start({ now: clockFrom('2026-11-23T00:00:00Z') });
    const reply = await fake.sendInteraction(autocomplete('daily', 'timezone', { timezone: 'shang' }, { guildId: GUILD, subcommand: 'set' }));
    expect(reply.data.choices[0].value).toBe('Asia/Shanghai');
  });
});

describe('restarts', () => {
  it('re-sends with the same nonce after a crash between sending and recording: one message, one day', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhenyan-daily-'));
    const databasePath = join(dir, 'zhenyan.db');
    const clock = settableClock('2026-11-23T00:00:00Z');
    const now = clock.now;
    const first = await start({ now, databasePath });
    clock.set('2026-11-23T00:59:59.000Z');
    const fake = first.fake;
    await fake.sendInteraction(setCommand(TIPS, { time: '09:00' }));
    const sent = await fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${TIPS}/messages` && r.status === 200, 10_000);
    await first.bot.stop();

    // The state a crash right after Discord created the message leaves behind: the row still pending,
    // the subscription not advanced and leased by the dead process (lease expired by now).
    const db = new Database(databasePath);
    db.prepare("UPDATE posts SET status = 'pending', message_id = NULL").run();
    const due = Date.parse('2026-11-23T01:00:00Z'); // 09:00 in Asia/Shanghai
    db.prepare("UPDATE subscriptions SET next_local_date = '2026-11-23', next_due_at = ?, lease_owner = 'dead-process', lease_until = ?").run(due, due);
    db.close();

    // A new process on the same database, talking to the same Discord (which remembers the nonce).
    const second = await startHarness({ reuseFake: fake, config: { databasePath }, bot: { now, daily: { leaseMs: 0 } } });
    harnesses.push(second);
    const resent = await fake.waitForRequest((r) => r.seq > sent.seq && r.method === 'POST' && r.path === `/channels/${TIPS}/messages` && r.status === 200, 10_000);
    expect(resent.body.nonce).toBe(sent.body.nonce);
    expect(resent.body.embeds[0].description).toBe(sent.body.embeds[0].description);
    expect((resent.responseBody as { id: string }).id).toBe((sent.responseBody as { id: string }).id);
    // Wait until the re-send is recorded before stopping.
    await second.bot.services.daily!.whenIdle();
    await second.bot.stop();
    const inChannel = [...fake.messages.values()].filter((m: { channel_id: string; nonce?: string }) => m.channel_id === TIPS && m.nonce === sent.body.nonce);
    expect(inChannel).toHaveLength(1);
    const check = new Database(databasePath);
    const rows = check.prepare('SELECT local_date, status, message_id FROM posts').all() as Array<{ local_date: string; status: string; message_id: string }>;
    check.close();
    expect(rows).toEqual([{ local_date: '2026-11-23', status: 'sent', message_id: inChannel[0].id }]);
  });
});

describe('/daily off, preview, and losing a server', () => {
  it('turns a subscription off, previews today’s post privately, and pauses on GUILD_DELETE', async () => {
    const { fake, bot } = await start({ now: clockFrom('2026-11-23T00:00:00Z') });
    await fake.sendInteraction(setCommand(TIPS, { time: '21:30', timezone: 'Europe/London' }));
    const preview = await fake.sendInteraction(slashCommand('daily', undefined, { guildId: GUILD, channelId: TIPS, subcommand: 'preview', memberPermissions: ADMIN }));
    expect(preview.data.flags).toBe(EPHEMERAL);
    const tip = await fake.sendInteraction(slashCommand('tip', undefined, { guildId: GUILD, channelId: TIPS }));
    expect(preview.data.embeds[0].description).toBe(tip.data.embeds[0].description);

    fake.dispatch('GUILD_DELETE', { id: GUILD });
    await expect.poll(async () => (await bot.services.daily!.status(GUILD))[0]?.subscription.pauseReason).toBe('guild-left');

    await bot.services.daily!.guildJoined(GUILD);
    expect((await bot.services.daily!.status(GUILD))[0]!.subscription.pauseReason).toBeNull();
    const off = await fake.sendInteraction(slashCommand('daily', undefined, { guildId: GUILD, channelId: TIPS, subcommand: 'off', memberPermissions: ADMIN }));
    expect(off.data.content).toBe('Daily tips turned off (1).');
    expect(await bot.services.daily!.status(GUILD)).toEqual([]);
  });
});

describe('storage faults', () => {
  it('a read-only database during /daily set: a clear error, nothing saved, searches keep working', async () => {
    const database = openDatabase(':memory:');
    const harness = await startHarness({ fake: fakeOptions, bot: { now: clockFrom('2026-11-23T00:00:00Z'), database } });
    harnesses.push(harness);
    database.pragma('query_only = ON');
    const reply = await harness.fake.sendInteraction(setCommand(TIPS, { time: '09:00' }));
    expect(reply.data.flags).toBe(EPHEMERAL);
    expect(reply.data.content).toMatch(/read-only.*Nothing was changed/u);
    database.pragma('query_only = OFF');
    expect(await harness.bot.services.daily!.status(GUILD)).toEqual([]);
    const search = await harness.fake.sendInteraction(slashCommand('quote', { query: 'TiDB' }, { guildId: GUILD }));
    expect(search.data.embeds?.[0]?.description, JSON.stringify(search.data)).toContain('**TiDB**');
  });
});
