/** Fake command contexts for unit tests of commands without Discord. */
import pino from 'pino';
import type { AutocompleteContext, ButtonContext, ButtonMessage, Command, CommandContext, CommandOptions, ReplyPayload, Services } from '../../src/bot/types.ts';
import { readArguments } from '../../src/bot/options.ts';
import { testLibrary } from './bot-harness.ts';
import type { Config } from '../../src/config.ts';

/** Services over the real corpus, with a silent logger. */
export function testServices(overrides: Partial<Services> = {}): Services {
  const config: Config = {
    discordToken: undefined,
    discordClientId: undefined,
    discordGuildId: undefined,
    discordApiUrl: undefined,
    databasePath: ':memory:',
    logLevel: 'silent',
    defaultTimeZone: 'Asia/Shanghai',
    indexCacheDir: 'var/index-cache',
  };
  return { library: testLibrary(), logger: pino({ level: 'silent' }), config, now: () => new Date(), ...overrides };
}

function options(values: Record<string, string | number | boolean>, subcommand: string | null = null): CommandOptions {
  return {
    subcommand: () => subcommand,
    string: (name) => (values[name] === undefined ? null : String(values[name])),
    integer: (name) => (typeof values[name] === 'number' ? (values[name] as number) : null),
    boolean: (name) => (typeof values[name] === 'boolean' ? (values[name] as boolean) : null),
    channel: () => null,
    role: () => null,
  };
}

/** What a fake context recorded. */
export interface Recorded {
  replies: ReplyPayload[];
  updates: ReplyPayload[];
  choices: Array<{ name: string; value: string }>;
  deferred: boolean;
}

const base = { user: { id: '100000000000000001', name: 'tester' }, locale: 'en' as const, guildId: '300000000000000001', channelId: '300000000000000002', memberPermissions: null, appPermissions: null };

/** A slash-command context that records what the command answers. */
export function commandContext(commandName: string, values: Record<string, string | number | boolean> = {}, extra: Partial<CommandContext> = {}): { context: CommandContext; recorded: Recorded } {
  const recorded: Recorded = { replies: [], updates: [], choices: [], deferred: false };
  const context: CommandContext = {
    ...base,
    commandName,
    options: options(values, null),
    services: testServices(),
    reply: async (payload) => void recorded.replies.push(payload),
    defer: async () => void (recorded.deferred = true),
    ...extra,
  };
  return { context, recorded };
}

/** An autocomplete context. */
export function autocompleteContext(commandName: string, focused: { name: string; value: string }, extra: Partial<AutocompleteContext> = {}): { context: AutocompleteContext; recorded: Recorded } {
  const recorded: Recorded = { replies: [], updates: [], choices: [], deferred: false };
  const context: AutocompleteContext = {
    ...base,
    commandName,
    options: options({ [focused.name]: focused.value }),
    focused,
    services: testServices(),
    respond: async (choices) => void recorded.choices.push(...choices),
    ...extra,
  };
  return { context, recorded };
}

/** Runs a command's `execute` with its arguments read from the context's options, as the router does. */
export async function runCommand(command: Command, context: CommandContext): Promise<void> {
  await command.execute(context, readArguments(command.data, context.options));
}

/** The message a reply becomes, as a button on it sees it (`interactionUserId`: who ran the command, when known). */
export function messageOf(reply: ReplyPayload, interactionUserId: string | null = null): ButtonMessage {
  return { embeds: reply.embeds ?? [], interactionUserId };
}

/** A button context; `message` is the message the button is on (default none, as in the console). */
export function buttonContext(customId: string, services: Services, extra: Partial<ButtonContext> = {}): { context: ButtonContext; recorded: Recorded } {
  const recorded: Recorded = { replies: [], updates: [], choices: [], deferred: false };
  const context: ButtonContext = {
    ...base,
    customId,
    message: null,
    services,
    update: async (payload) => void recorded.updates.push(payload),
    reply: async (payload) => void recorded.replies.push(payload),
    defer: async () => void (recorded.deferred = true),
    ...extra,
  };
  return { context, recorded };
}
