/**
 * Shared fast-check arbitraries of hostile text, and a router with fake contexts (like the console's) that
 * records every payload a command builds. Not a test file.
 */
import fc from 'fast-check';
import { COMMANDS } from '../../commands/index.ts';
import { InteractionRouter, type Outcome } from '../../src/bot/router.ts';
import type { AutocompleteContext, ButtonContext, ButtonMessage, CommandContext, CommandOptions, ReplyPayload, Services } from '../../src/bot/types.ts';
import type { Locale } from '../../src/bot/i18n.ts';
import type { APIApplicationCommandOptionChoice } from 'discord-api-types/v10';
import { testServices } from '../support/contexts.ts';

/** Pieces that tend to break text handling: mentions, markdown, invisible and bidi controls, combining marks... */
export const HOSTILE_PIECES = [
  '@everyone', '@here', '<@123456789012345678>', '<@!123456789012345678>', '<@&987654321098765432>', '<#111111111111111111>',
  '</quote:1>', '<:emoji:1>', '<a:emoji:1>', '<t:0:R>', '**', '__', '*', '_', '~~', '||', '`', '```', '> ', '>>> ', '# ', '-# ', '- ',
  '[link](https://evil.example)', '\\', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u200e', '\u200f', '\u202a', '\u202b',
  '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u0301', '\u0336', '\u20dd', '\u0e49', '\ud83d', '\ude00',
  '\ud83d\ude00', '👨‍👩‍👧', '🇨🇳', '\ufdfa', '\ufb03', '\u337b', '卖房创业', '融资', '資料庫', 'TiDB', 'ＴｉＤＢ', '季昕华', 'liang yupeng', '\n',
  '\t', '\r\n', '\0', '\uffff', '\ufffd', ' ', '　', '？', '。', 'https://discord.gg/x', ':', 'quote:page:', '%00', '../',
];

/** One unit of hostile text: a hostile piece, any code point, a lone surrogate, a combining mark, or a Han character. */
export const hostileUnit: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...HOSTILE_PIECES), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 3 },
  { arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)), weight: 1 },
  { arbitrary: fc.integer({ min: 0x300, max: 0x36f }).map((c) => String.fromCharCode(c)), weight: 1 },
  { arbitrary: fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCharCode(c)), weight: 2 },
);

/** Hostile text of ordinary length. */
export const hostileText = fc.string({ unit: hostileUnit, maxLength: 40, size: 'max' });

/** Hostile text of 10,000+ UTF-16 units (a 10k-character message from a modified client). */
export const hugeText = fc
  .tuple(fc.string({ unit: hostileUnit, minLength: 1, maxLength: 30 }), fc.string({ unit: hostileUnit, maxLength: 200 }))
  .map(([piece, tail]) => (piece.repeat(Math.ceil(10_000 / piece.length)) + tail).slice(0, 10_000 + tail.length));

export const LOCALES: Locale[] = ['en', 'zh-CN', 'zh-TW'];

/** Services over the real corpus with a silent logger (the same as the command unit tests use). */
export const propertyServices = (): Services => testServices();

/** What one run through the router produced. */
export interface Run {
  outcome: Outcome;
  replies: ReplyPayload[];
  updates: ReplyPayload[];
  choices: Array<Array<APIApplicationCommandOptionChoice<string>>>;
}

function options(values: Record<string, string | undefined>): CommandOptions {
  return {
    subcommand: () => null,
    string: (name) => values[name] ?? null,
    integer: () => null,
    boolean: () => null,
    channel: () => null,
    role: () => null,
  };
}

/** A router over every command (no rate limit, like the console) and helpers to run fake interactions. */
export function propertyRouter(services = propertyServices()) {
  const router = new InteractionRouter(COMMANDS, services, null);
  const invocation = (userId: string, locale: Locale) => ({
    user: { id: userId, name: 'prop' },
    locale,
    guildId: '300000000000000001',
    channelId: '300000000000000002',
    memberPermissions: null,
    appPermissions: null,
  });
  return {
    router,
    services,
    async command(name: string, values: Record<string, string | undefined>, locale: Locale = 'en', userId = '100000000000000001'): Promise<Run> {
      const run: Run = { outcome: 'ok', replies: [], updates: [], choices: [] };
      const context: CommandContext = {
        ...invocation(userId, locale),
        commandName: name,
        options: options(values),
        services,
        reply: async (payload) => void run.replies.push(payload),
        defer: async () => undefined,
      };
      run.outcome = await router.command(context);
      return run;
    },
    async autocomplete(name: string, focused: { name: string; value: string }, locale: Locale = 'en'): Promise<Run> {
      const run: Run = { outcome: 'ok', replies: [], updates: [], choices: [] };
      const context: AutocompleteContext = {
        ...invocation('100000000000000001', locale),
        commandName: name,
        options: options({ [focused.name]: focused.value }),
        focused,
        services,
        respond: async (choices) => void run.choices.push(choices),
      };
      run.outcome = await router.autocomplete(context);
      return run;
    },
    /** Clicks a button with `customId` on `message` (the message it is on; default none). */
    async button(customId: string, userId = '100000000000000001', locale: Locale = 'en', message: ButtonMessage | null = null): Promise<Run> {
      const run: Run = { outcome: 'ok', replies: [], updates: [], choices: [] };
      const context: ButtonContext = {
        ...invocation(userId, locale),
        customId,
        message,
        services,
        update: async (payload) => void run.updates.push(payload),
        reply: async (payload) => void run.replies.push(payload),
        defer: async () => undefined,
      };
      run.outcome = await router.button(context);
      return run;
    },
  };
}
