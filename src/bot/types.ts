/**
 * The contract between commands and the transports that run them (Discord, the local console, tests).
 * Commands see these interfaces only, never a discord.js object, so the same handler answers in a real
 * server, in `npm start` without a token, and in unit tests.
 */
import type { APIApplicationCommandOptionChoice, APIEmbed } from 'discord-api-types/v10';
import type { Library } from '../core/library.ts';
import type { DailyService } from './daily-service.ts';
import type { CardService } from '../card/service.ts';
import type { Logger } from '../logger.ts';
import type { Config } from '../config.ts';
import type { ButtonData, ButtonKind } from './custom-id.ts';
import type { Locale } from './i18n.ts';
import type { ArgumentsOf, CommandData, CommandOptions } from './options.ts';
import type { ReplyPayload } from './payload.ts';

export type { ChannelOption, CommandOptions } from './options.ts';
export type { ReplyFile, ReplyPayload } from './payload.ts';

/** Who did what, where. */
export interface Invocation {
  user: { id: string; name: string };
  /** The user's client language (Discord `locale`), e.g. `zh-CN`, `en-US`. */
  locale: Locale;
  guildId: string | null;
  channelId: string | null;
  /** The member's permissions in the channel (Discord `member.permissions`), null outside a server. */
  memberPermissions: bigint | null;
  /** The bot's permissions in the channel (Discord `app_permissions`). */
  appPermissions: bigint | null;
}

/** Everything a command can use. Built once at start-up. */
export interface Services {
  library: Library;
  logger: Logger;
  config: Config;
  /** The clock (tests inject a fake one). */
  now: () => Date;
  /** Daily tips, when storage is available (absent in some tests). */
  daily?: DailyService;
  /** Quote cards (worker-thread renderer and cache); absent when cards are off (some tests). */
  cards?: CardService;
}

/** A slash command being run. */
export interface CommandContext extends Invocation {
  commandName: string;
  options: CommandOptions;
  services: Services;
  /** Answers the interaction (or edits the deferred answer). Call once; further calls send follow-ups. */
  reply(payload: ReplyPayload): Promise<void>;
  /** Acknowledges now and answers later (Discord allows 3 s for the first answer, 15 min after a defer). */
  defer(options?: { ephemeral?: boolean }): Promise<void>;
  /** The bot's permissions in a channel of this server, or null when they cannot be known (console). */
  botPermissionsIn?(channelId: string): Promise<bigint | null>;
}

/** An autocomplete request for one option. */
export interface AutocompleteContext extends Invocation {
  commandName: string;
  options: CommandOptions;
  focused: { name: string; value: string };
  services: Services;
  /** At most 25 choices; the transport truncates names to 100 characters. */
  respond(choices: Array<APIApplicationCommandOptionChoice<string>>): Promise<void>;
}

/** The message a clicked button is on, as Discord sends it with the click. */
export interface ButtonMessage {
  /** The message's embeds (Discord's JSON). */
  embeds: APIEmbed[];
  /**
   * Who ran the command that created the message (Discord's `interaction_metadata.user`), or null when
   * Discord does not say. Set by Discord, so a modified client cannot change it.
   */
  interactionUserId: string | null;
}

/** A button click on one of our messages. */
export interface ButtonContext extends Invocation {
  /** The button's `custom_id`, e.g. `quote:ctx:a-plan#12`. Untrusted: a modified client can send anything. */
  customId: string;
  /** The message the button is on, when the transport has it (Discord always does). */
  message: ButtonMessage | null;
  services: Services;
  /** Replaces the message the button is on. */
  update(payload: ReplyPayload): Promise<void>;
  /** Answers with a new message (usually ephemeral); after {@link ButtonContext.defer}, fills the placeholder. */
  reply(payload: ReplyPayload): Promise<void>;
  /** Acknowledges now with a "thinking…" placeholder (public unless `ephemeral`), answered later by `reply`. */
  defer(options?: { ephemeral?: boolean }): Promise<void>;
}

/**
 * A check before a command runs (see `preconditions.ts` for the shared ones): returns when it passes,
 * throws a `UserError` when it does not.
 */
export type Precondition = (context: CommandContext) => void | Promise<void>;

/** Handlers for the kinds of button a command owns, each receiving its decoded, typed data. */
export type ButtonHandlers = { [K in ButtonKind]?: (context: ButtonContext, data: ButtonData<K>) => Promise<void> };

/**
 * One slash command: plain data plus handlers. One file per command under `commands/`, written with
 * {@link defineCommand} so `execute` receives arguments typed from `data`.
 */
export interface Command<D extends CommandData = CommandData> {
  /** The definition registered with Discord by `npm run deploy`. */
  data: D;
  /** Runs the command with its options read and typed from {@link Command.data}. */
  execute(context: CommandContext, args: ArgumentsOf<D>): Promise<void>;
  autocomplete?(context: AutocompleteContext): Promise<void>;
  /** Handlers for this command's buttons, by kind (see `custom-id.ts`). A kind belongs to one command. */
  buttons?: ButtonHandlers;
  /** Checks run before {@link Command.execute}, in order; the first to throw a `UserError` answers. */
  preconditions?: readonly Precondition[];
}

/**
 * Declares a command, keeping `data` as written (literal option names and types) so `execute`'s
 * arguments are typed from it: a misspelled option name is a type error.
 */
export function defineCommand<const D extends CommandData>(command: Command<D>): Command<D> {
  return command;
}
