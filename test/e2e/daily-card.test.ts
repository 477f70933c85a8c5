/**
 * The daily post with `style: card`, end to end through the fake Discord: `/daily set … style:card`,
 * `/daily status` shows the style, and the post at the chosen minute is a multipart upload of the card
 * (a PNG with its alt text) with the tip's embed and the deterministic nonce.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadImage } from '@napi-rs/canvas';
import { slashCommand, type FakeDiscordOptions } from '../support/fake-discord.ts';
import { startHarness, testLibrary, type BotHarness } from '../support/bot-harness.ts';
import { dailyTip } from '../../src/core/tips/daily.ts';

const GUILD = '330000000000000001';
const TIPS = '330000000000000002';
const ADMIN = String(1n << 5n);
const fakeOptions: FakeDiscordOptions = { guilds: [{ id: GUILD, name: 'Founders', preferredLocale: 'en-US', channels: [{ id: TIPS, name: 'tips', type: 0 }] }] };

let harness: BotHarness | undefined;
afterEach(async () => {
  await harness?.stop();
  harness = undefined;
});

function clockAt(startIso: string): { now: () => Date; set: (iso: string) => void } {
  let offset = Date.parse(startIso) - Date.now();
  return { now: () => new Date(Date.now() + offset), set: (iso) => void (offset = Date.parse(iso) - Date.now()) };
}

function setCommand(values: Record<string, string>) {
  return slashCommand(
    'daily',
    { channel: { type: 7, value: TIPS }, ...values },
    { guildId: GUILD, channelId: TIPS, subcommand: 'set', resolved: { channels: { [TIPS]: { id: TIPS, type: 0, name: 'tips', guild_id: GUILD, permissions: '0' } } }, memberPermissions: ADMIN },
  );
}

describe('/daily set style:card', () => {
  it('posts the card with the text and the nonce at the chosen minute; status shows the style', async () => {
    const clock = clockAt('2026-11-23T00:00:00Z');
    harness = await startHarness({ fake: fakeOptions, bot: { now: clock.now, daily: { leaseMs: 0, retryDelayMs: 200 } } });
    const { fake } = harness;
    clock.set('2026-11-23T00:59:58.000Z'); // 08:59:58 in Shanghai
    const reply = await fake.sendInteraction(setCommand({ time: '09:00', timezone: 'Asia/Shanghai', style: 'card' }));
    expect(reply.data.content).toContain('09:00');

    const status = await fake.sendInteraction(slashCommand('daily', undefined, { guildId: GUILD, channelId: TIPS, subcommand: 'status', memberPermissions: ADMIN }));
    expect(status.data.embeds[0].fields[0].value).toContain('09:00 Asia/Shanghai · card');

    // The first card loads the fonts in the worker: allow for a slow, shared machine.
    const posted = await fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${TIPS}/messages`, 60_000);
    expect(posted.body.enforce_nonce).toBe(true);
    expect(posted.body.nonce).toMatch(/^zy20261123[0-9a-f]{15}$/u);
    expect(posted.body.allowed_mentions).toEqual({ parse: [], roles: [] });
    const tip = dailyTip(testLibrary(), TIPS, '2026-11-23')!;
    // The text is in the message as well (searchable), and the card is attached with its alt text.
    expect(posted.body.embeds[0].description.replaceAll('\\', '')).toBe(tip.passage.text);
    expect(posted.files).toHaveLength(1);
    const image = await loadImage(posted.files[0]!.bytes);
    expect([image.width, image.height]).toEqual([1200, 630]);
    const description: string = posted.body.attachments[0].description;
    expect(description.length).toBeLessThanOrEqual(1024);
    expect(description).toContain(tip.passage.text.slice(0, 30));
    if (tip.speaker) expect(description).toContain(tip.speaker.name);
  }, 90_000);

  it('defaults to text: no file, and status says text', async () => {
    const clock = clockAt('2026-11-23T00:00:00Z');
    harness = await startHarness({ fake: fakeOptions, bot: { now: clock.now, daily: { leaseMs: 0, retryDelayMs: 200 } } });
    const { fake } = harness;
    clock.set('2026-11-23T00:59:58.500Z');
    await fake.sendInteraction(setCommand({ time: '09:00', timezone: 'Asia/Shanghai' }));
    const status = await fake.sendInteraction(slashCommand('daily', undefined, { guildId: GUILD, channelId: TIPS, subcommand: 'status', memberPermissions: ADMIN }));
    expect(status.data.embeds[0].fields[0].value).toContain('09:00 Asia/Shanghai · text');
    const posted = await fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${TIPS}/messages`, 10_000);
    expect(posted.files).toHaveLength(0);
    expect(posted.body.embeds).toHaveLength(1);
  });
});
