/**
 * Property: every reply payload the bot can build from hostile input stays within Discord's limits and pings
 * nobody. Commands run through the real router with fake contexts (as the console does); what would be sent
 * is checked after `toDiscordPayload`, the transport's last step. The limit helpers are checked directly too.
 */
import fc from 'fast-check';
import type { APIEmbed } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { toDiscordPayload } from '../../src/bot/discord.ts';
import { clampEmbed, escapeMarkdown, LIMITS, truncate } from '../../src/bot/limits.ts';
import type { ReplyPayload } from '../../src/bot/types.ts';
import { hostileText, hostileUnit, hugeText, LOCALES, propertyRouter, type Run } from './hostile.ts';

const NO_PINGS = { parse: [], users: [], roles: [], repliedUser: false };

function embedTotal(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

function expectEmbedWithinLimits(embed: APIEmbed): void {
  expect(embed.title?.length ?? 0).toBeLessThanOrEqual(LIMITS.embedTitle);
  expect(embed.description?.length ?? 0).toBeLessThanOrEqual(LIMITS.embedDescription);
  expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(LIMITS.footer);
  expect(embed.author?.name.length ?? 0).toBeLessThanOrEqual(LIMITS.author);
  expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(LIMITS.fields);
  for (const field of embed.fields ?? []) {
    expect(field.name.length).toBeGreaterThan(0);
    expect(field.name.length).toBeLessThanOrEqual(LIMITS.fieldName);
    expect(field.value.length).toBeGreaterThan(0);
    expect(field.value.length).toBeLessThanOrEqual(LIMITS.fieldValue);
  }
  expect(embedTotal(embed)).toBeLessThanOrEqual(LIMITS.embedTotal);
}

/** Raw mention syntax that Discord would render as a mention (escaped forms carry a zero-width space). */
const RAW_MENTION = /@everyone|@here|<@[!&]?\d|<#\d/u;

function expectSendable(payload: ReplyPayload): void {
  expect(payload.mentionRoleIds ?? []).toEqual([]);
  const sent = toDiscordPayload(payload);
  expect(sent.allowedMentions).toEqual(NO_PINGS);
  const content = typeof sent.content === 'string' ? sent.content : '';
  expect(content.length).toBeLessThanOrEqual(LIMITS.content);
  const embeds = (sent.embeds ?? []) as APIEmbed[];
  expect(embeds.length).toBeLessThanOrEqual(10);
  expect(content.length > 0 || embeds.length > 0).toBe(true);
  for (const embed of embeds) {
    expectEmbedWithinLimits(embed);
    const text = [embed.title, embed.description, embed.author?.name, embed.footer?.text, ...(embed.fields ?? []).flatMap((f) => [f.name, f.value])].join('\n');
    expect(text).not.toMatch(RAW_MENTION);
  }
  expect(content).not.toMatch(RAW_MENTION);
  for (const row of payload.components ?? []) {
    expect(row.components.length).toBeLessThanOrEqual(5);
    for (const component of row.components) {
      if ('custom_id' in component) expect(component.custom_id.length).toBeLessThanOrEqual(LIMITS.customId);
      if ('label' in component && component.label) expect(component.label.length).toBeLessThanOrEqual(80);
    }
  }
}

function expectRunOk(run: Run): void {
  expect(run.outcome).not.toBe('error');
  for (const payload of [...run.replies, ...run.updates]) expectSendable(payload);
  for (const choices of run.choices) {
    expect(choices.length).toBeLessThanOrEqual(LIMITS.choices);
    for (const choice of choices) {
      expect(choice.name.length).toBeGreaterThan(0);
      expect(choice.name.length).toBeLessThanOrEqual(LIMITS.choiceName);
      expect(choice.value.length).toBeLessThanOrEqual(LIMITS.choiceValue);
    }
  }
}

const bot = propertyRouter();
const { library } = bot.services;
const speakers = library.index.speakers().map((entry) => entry.speaker.name);
const sources = library.interviews.map((interview) => interview.id);
const locale = fc.constantFrom(...LOCALES);
const maybeSpeaker = fc.option(fc.oneof(hostileText, fc.constantFrom(...speakers)), { nil: undefined });
const maybeSource = fc.option(fc.oneof(hostileText, fc.constantFrom(...sources)), { nil: undefined });
const query = fc.oneof({ arbitrary: hostileText, weight: 5 }, { arbitrary: fc.constantFrom('卖房创业', '融资', 'TiDB', '创业 @everyone', '**创业**'), weight: 2 });

describe('reply payloads from hostile input', () => {
  it('/quote, its buttons, /random and /speaker stay within limits and ping nobody', async () => {
    await fc.assert(
      fc.asyncProperty(query, maybeSpeaker, maybeSource, fc.oneof(hostileText, fc.constantFrom(...speakers)), locale, async (text, speaker, source, name, loc) => {
        const quote = await bot.command('quote', { query: text, speaker, source }, loc);
        expectRunOk(quote);
        // Page through and open the context of whatever it found.
        const ids = (quote.replies[0]?.components ?? []).flatMap((row) => row.components).flatMap((c) => ('custom_id' in c ? [c.custom_id] : []));
        const message = { embeds: quote.replies[0]?.embeds ?? [], interactionUserId: '100000000000000001' };
        for (const id of ids) expectRunOk(await bot.button(id, '100000000000000001', loc, message));
        expectRunOk(await bot.command('random', { speaker }, loc));
        expectRunOk(await bot.command('speaker', { name }, loc));
      }),
      { numRuns: 150 },
    );
  });

  it('every speaker’s /speaker card and every /random by speaker fit (the whole corpus, all locales)', async () => {
    for (const loc of LOCALES) {
      for (const name of speakers) {
        expectRunOk(await bot.command('speaker', { name }, loc));
        expectRunOk(await bot.command('random', { speaker: name }, loc));
      }
      expectRunOk(await bot.command('sources', {}, loc));
      expectRunOk(await bot.command('help', {}, loc));
    }
  });

  it('handles 10k-character options', async () => {
    await fc.assert(
      fc.asyncProperty(hugeText, locale, async (text, loc) => {
        expectRunOk(await bot.command('quote', { query: text }, loc));
        expectRunOk(await bot.command('quote', { query: '融资', speaker: text }, loc));
        expectRunOk(await bot.command('speaker', { name: text }, loc));
        expectRunOk(await bot.autocomplete('quote', { name: 'speaker', value: text }, loc));
      }),
      { numRuns: 8 },
    );
  });

  it('autocomplete answers at most 25 choices of 1–100 characters', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText, fc.constantFrom(['quote', 'speaker'], ['quote', 'source'], ['random', 'speaker'], ['speaker', 'name'], ['quote', 'query']), async (value, [command, option]) => {
        const run = await bot.autocomplete(command!, { name: option!, value });
        expectRunOk(run);
        expect(run.choices).toHaveLength(1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('limit helpers', () => {
  it('truncate: within the limit, a prefix of the input, never splitting a surrogate pair', () => {
    fc.assert(
      fc.property(fc.string({ unit: hostileUnit, maxLength: 80 }), fc.integer({ min: 0, max: 100 }), (text, max) => {
        const out = truncate(text, max);
        expect(out.length).toBeLessThanOrEqual(max);
        if (text.length <= max) {
          expect(out).toBe(text);
          return;
        }
        if (out.length === 0) return;
        expect(out.endsWith('…')).toBe(true);
        const kept = out.slice(0, -1);
        expect(text.startsWith(kept)).toBe(true);
        const last = kept.charCodeAt(kept.length - 1);
        const next = text.charCodeAt(kept.length);
        const split = last >= 0xd800 && last <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
        expect(split).toBe(false);
      }),
      { numRuns: 1_000 },
    );
  });

  it('escapeMarkdown leaves no live mention', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        expect(escapeMarkdown(text)).not.toMatch(RAW_MENTION);
      }),
      { numRuns: 1_000 },
    );
  });

  const part = (max: number) => fc.string({ unit: fc.oneof(hostileUnit, fc.constant('x'.repeat(50))), maxLength: max, size: 'max' });
  const embed: fc.Arbitrary<APIEmbed> = fc.record(
    {
      title: part(80),
      description: part(400),
      author: part(80).map((name) => ({ name })),
      footer: part(300).map((text) => ({ text })),
      fields: fc.array(fc.record({ name: part(30), value: part(60) }), { maxLength: 40, size: 'max' }),
    },
    { requiredKeys: [] },
  );

  it('clampEmbed: any embed comes out within every limit, 6,000 in total included', () => {
    fc.assert(
      fc.property(embed, (input) => {
        expectEmbedWithinLimits(clampEmbed(input));
      }),
      { numRuns: 500 },
    );
  });
});
