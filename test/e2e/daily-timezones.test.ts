/**
 * `/daily set` reads time zones the way people type them, through the real discord.js client and the fake
 * Discord: abbreviations resolve to zones with daylight saving time, `CST` is asked about, fixed offsets
 * are refused with a suggestion and change nothing, and autocomplete ranks abbreviations first.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { autocomplete, slashCommand, type FakeDiscordOptions } from '../support/fake-discord.ts';
import { startHarness, type BotHarness } from '../support/bot-harness.ts';

const GUILD = '330000000000000001';
const TIPS = '330000000000000002';
const ADMIN = String(1n << 5n); // Manage Server
const EPHEMERAL = 64;

const fakeOptions: FakeDiscordOptions = {
  guilds: [{ id: GUILD, name: 'Founders', channels: [{ id: TIPS, name: 'tips', type: 0 }] }],
};

function setCommand(timezone: string) {
  return slashCommand(
    'daily',
    { channel: { type: 7, value: TIPS }, time: '09:00', timezone },
    {
      guildId: GUILD,
      channelId: TIPS,
      subcommand: 'set',
      memberPermissions: ADMIN,
      resolved: { channels: { [TIPS]: { id: TIPS, type: 0, name: 'tips', guild_id: GUILD, permissions: '0' } } },
    },
  );
}

const harnesses: BotHarness[] = [];
afterEach(async () => {
  while (harnesses.length > 0) await harnesses.pop()!.stop();
});

describe('/daily set time zones', () => {
  it('resolves abbreviations, asks about CST, refuses fixed offsets, and autocompletes abbreviations first', async () => {
    const harness = await startHarness({ fake: fakeOptions, config: { databasePath: ':memory:' }, bot: { now: () => new Date('2026-01-15T00:00:00Z') } });
    harnesses.push(harness);
    const { fake, bot } = harness;
    const stored = async (): Promise<string | undefined> => (await bot.services.daily!.subscription(TIPS))?.timeZone;

    const est = await fake.sendInteraction(setCommand('EST'));
    expect(est.data.flags).toBe(EPHEMERAL);
    expect(est.data.content).toContain('(America/New_York)');
    expect(await stored()).toBe('America/New_York');

    const cst = await fake.sendInteraction(setCommand('CST'));
    expect(cst.data.flags).toBe(EPHEMERAL);
    expect(cst.data.content).toContain('"CST" can mean more than one time zone');
    expect(cst.data.content).toContain('`Asia/Shanghai` or `America/Chicago`');
    expect(await stored()).toBe('America/New_York'); // unchanged

    const fixed = await fake.sendInteraction(setCommand('Etc/GMT-8'));
    expect(fixed.data.content).toContain('fixed UTC offset');
    expect(fixed.data.content).toContain('for example `Asia/Shanghai`');
    expect(await stored()).toBe('America/New_York'); // unchanged

    const beijing = await fake.sendInteraction(setCommand('UTC+8'));
    expect(beijing.data.content).toContain('(Asia/Shanghai)');
    expect(await stored()).toBe('Asia/Shanghai');

    const choices = await fake.sendInteraction(autocomplete('daily', 'timezone', { timezone: 'est' }, { guildId: GUILD, subcommand: 'set' }));
    expect(choices.data.choices[0]).toEqual({ name: 'America/New_York (EST)', value: 'America/New_York' });
    const sp = await fake.sendInteraction(autocomplete('daily', 'timezone', { timezone: 'são paulo' }, { guildId: GUILD, subcommand: 'set' }));
    expect(sp.data.choices[0].value).toBe('America/Sao_Paulo');
  });
});
