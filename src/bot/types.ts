/**
 * The contract between commands and the transports that run them (Discord, the local console, tests).
 * Commands see these interfaces only, never a discord.js object, so the same handler answers in a real
 * server, in `npm start` without a token, and in unit tests.
 */
import type {
  APIActionRowComponent,
  APIApplicationCommandOptionChoice,
  APIComponentInMessageActionRow,
  APIEmbed,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import type { Library } from '../core/library.ts';
import type { Logger } from '../logger.ts';
import type { Config } from '../config.ts';
import type { Locale } from './i18n.ts';
import type { PagingStore } from './paging.ts';

/** A reply, in Discord's JSON shapes. The transport always adds `allowed_mentions` itself. */
export interface ReplyPayload {
  content?: string;
  embeds?: APIEmbed[];
  components?: Array<APIActionRowComponent<APIComponentInMessageActionRow>>;
  /** Only the person who used the command sees it. */
  ephemeral?: boolean;
  /**
   * Role ids this message may ping. Empty or absent: nobody. Only the daily post uses it, and only
   * for a role a server admin set explicitly.
   */
  mentionRoleIds?: string[];
}

/** A channel option's value as resolved by Discord. */
export interface ChannelOption {
  id: string;
  /** Discord channel type (0 = text, 5 = announcement, ...). */
  type: number;
  /** The server the channel belongs to, when Discord says. */
  guildId: string | null;
  /** The bot's permissions in that channel, when Discord resolved them. */
  botPermissions: bigint | null;
}

/** Typed access to a command's options. */
export interface CommandOptions {
  /** The chosen subcommand, or null. */
  subcommand(): string | null;
  string(name: string): string | null;
  integer(name: string): number | null;
  channel(name: string): ChannelOption | null;
  /** A role option's id. */
  role(name: string): string | null;
}

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
  paging: PagingStore;
  logger: Logger;
  config: Config;
  /** The clock (tests inject a fake one). */
  now: () => Date;
  /** Daily tips, when storage is available (absent in some tests). */
  daily?: import('./daily-service.ts').DailyService;
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

/** A button click on one of our messages. */
export interface ButtonContext extends Invocation {
  /** The button's `custom_id`, e.g. `quote:page:k3f9:2`. Untrusted: a modified client can send anything. */
  customId: string;
  services: Services;
  /** Replaces the message the button is on. */
  update(payload: ReplyPayload): Promise<void>;
  /** Answers with a new message (usually ephemeral). */
  reply(payload: ReplyPayload): Promise<void>;
}

/** One slash command: plain data plus handlers. One file per command under `commands/`. */
export interface Command {
  /** The definition registered with Discord by `npm run deploy`. */
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(context: CommandContext): Promise<void>;
  autocomplete?(context: AutocompleteContext): Promise<void>;
  /** The `custom_id` prefix this command's buttons use (e.g. `quote`), routed to {@link Command.button}. */
  buttonPrefix?: string;
  button?(context: ButtonContext): Promise<void>;
}
