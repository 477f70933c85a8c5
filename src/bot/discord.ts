/**
 * The Discord transport: turns discord.js interactions into the transport-agnostic contexts of
 * `types.ts` and hands them to the {@link InteractionRouter}. The only place (with `main.ts` and the
 * daily poster) that touches discord.js.
 */
import {
  Client,
  GatewayIntentBits,
  MessageFlags,
  Options,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ClientOptions,
  type ChatInputCommandInteraction,
  type Interaction,
  type InteractionReplyOptions,
} from 'discord.js';
import { toLocale } from './i18n.ts';
import { LIMITS, truncate } from './limits.ts';
import { toDiscordPayload } from './payload.ts';
import { planReply, type AckState } from './respond.ts';
import type { InteractionRouter } from './router.ts';
import type { ButtonMessage, ChannelOption, CommandOptions, Invocation, ReplyPayload, Services } from './types.ts';

/** Options of {@link createDiscordClient}. */
export interface DiscordClientOptions {
  /** This process's share of Discord's global limit, requests/s (`rest.globalRequestsPerSecond`). Default 50. */
  globalRequestsPerSecond?: number;
  /** REST base URL (`rest.api`): a proxy, or the local fake Discord in tests. Default: Discord. */
  apiUrl?: string;
  /** REST retries for 5xx/network errors. Default 3 (discord.js's default). */
  retries?: number;
  /** Shard ids this process runs, when sharded. Default: discord.js decides (one shard). */
  shards?: number[];
  /** Total shard count, when sharded. */
  shardCount?: number;
  /** REST request timeout in ms. Default: discord.js's (15 s). */
  restTimeoutMs?: number;
  /** Gateway options passed through (tests disable the identify throttle). Default: none. */
  ws?: ClientOptions['ws'];
}

/** Most users (and members per server) discord.js keeps cached; every interaction adds its user and member. */
const USER_CACHE_LIMIT = 1_000;
/** How often cached users and members (other than the bot) are swept, in seconds. */
const USER_SWEEP_INTERVAL_S = 3_600;

/**
 * A discord.js client with Zhenyan's settings: Guilds intent only, nobody pinged by default, and bounded,
 * expiring user and member caches (discord.js caches the user and member of every interaction forever by
 * default, which grows without bound on a busy bot; nothing here needs them after the interaction).
 */
export function createDiscordClient(options: DiscordClientOptions = {}): Client {
  const notMe = (id: string, client: Client): boolean => id !== client.user?.id;
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: { parse: [], repliedUser: false },
    makeCache: Options.cacheWithLimits({
      ...Options.DefaultMakeCacheSettings,
      UserManager: { maxSize: USER_CACHE_LIMIT, keepOverLimit: (user) => !notMe(user.id, user.client) },
      GuildMemberManager: { maxSize: USER_CACHE_LIMIT, keepOverLimit: (member) => !notMe(member.id, member.client) },
    }),
    sweepers: {
      ...Options.DefaultSweeperSettings,
      users: { interval: USER_SWEEP_INTERVAL_S, filter: () => (user) => notMe(user.id, user.client) },
      guildMembers: { interval: USER_SWEEP_INTERVAL_S, filter: () => (member) => notMe(member.id, member.client) },
    },
    rest: {
      ...(options.apiUrl ? { api: options.apiUrl } : {}),
      retries: options.retries ?? 3,
      // The process id in the User-Agent tells a proxy (or the fake Discord in tests) which process sent a request.
      userAgentAppendix: `Node.js ${process.version} pid/${process.pid}`,
      ...(options.globalRequestsPerSecond ? { globalRequestsPerSecond: options.globalRequestsPerSecond } : {}),
      ...(options.restTimeoutMs ? { timeout: options.restTimeoutMs } : {}),
    },
    ...(options.shards ? { shards: options.shards, shardCount: options.shardCount } : {}),
    ...(options.ws ? { ws: options.ws } : {}),
  });
}

export { toDiscordPayload } from './payload.ts';

/** {@link toDiscordPayload} for a first reply or a follow-up, which can be ephemeral. */
function toReply(payload: ReplyPayload): InteractionReplyOptions {
  return { ...toDiscordPayload(payload), ...(payload.ephemeral ? { flags: MessageFlags.Ephemeral } : {}) } as InteractionReplyOptions;
}

function invocation(interaction: ChatInputCommandInteraction | AutocompleteInteraction | ButtonInteraction): Invocation {
  return {
    user: { id: interaction.user.id, name: interaction.user.username },
    locale: toLocale(interaction.locale),
    guildId: interaction.guildId,
    channelId: interaction.channelId,
    memberPermissions: interaction.memberPermissions?.bitfield ?? null,
    appPermissions: interaction.appPermissions?.bitfield ?? null,
  };
}

function commandOptions(interaction: ChatInputCommandInteraction | AutocompleteInteraction): CommandOptions {
  const options = interaction.options;
  return {
    subcommand: () => options.getSubcommand(false),
    string: (name) => {
      const value = options.get(name)?.value;
      return typeof value === 'string' ? value : value === undefined || value === null ? null : String(value);
    },
    integer: (name) => {
      const value = options.get(name)?.value;
      return typeof value === 'number' ? value : null;
    },
    boolean: (name) => {
      const value = options.get(name)?.value;
      return typeof value === 'boolean' ? value : null;
    },
    channel: (name): ChannelOption | null => {
      const option = options.get(name);
      if (!option?.channel) return null;
      const channel = option.channel as { id: string; type: number; guildId?: string | null };
      return { id: channel.id, type: channel.type, guildId: channel.guildId ?? null, botPermissions: null };
    },
    role: (name) => {
      const value = options.get(name)?.value;
      return typeof value === 'string' ? value : null;
    },
  };
}

/** The bot's permissions in a channel of a cached guild, fetching its member if needed; null if unknown. */
async function botPermissionsIn(interaction: ChatInputCommandInteraction, channelId: string): Promise<bigint | null> {
  const guild = interaction.guild;
  if (!guild) return null;
  const channel = guild.channels.cache.get(channelId) ?? (await guild.channels.fetch(channelId).catch(() => null));
  if (!channel) return null;
  const me = guild.members.me ?? (await guild.members.fetchMe().catch(() => null));
  return me ? me.permissionsIn(channel).bitfield : null;
}

/** Routes every interaction of `client` through `router`. */
export function attachRouter(client: Client, router: InteractionRouter, services: Services): void {
  client.on('interactionCreate', (interaction: Interaction) => {
    void dispatch(interaction, router, services).catch((error: unknown) => {
      // The router never throws; this is a last line of defence so the process keeps running.
      services.logger.error({ err: error }, 'interaction dispatch failed');
    });
  });
}

/**
 * Sends answers for one command or button interaction as {@link planReply} decides: in particular a private answer
 * (an error, a refusal) after a public defer becomes an ephemeral follow-up and the public placeholder is
 * deleted, since editing a public placeholder cannot make it ephemeral.
 */
function responder(interaction: ChatInputCommandInteraction | ButtonInteraction): {
  reply: (payload: ReplyPayload) => Promise<void>;
  defer: (options?: { ephemeral?: boolean }) => Promise<void>;
  /** Buttons only: replaces the message the button is on (the first answer). */
  update: (payload: ReplyPayload) => Promise<void>;
} {
  let state: AckState = 'new';
  return {
    update: async (payload) => {
      if (!interaction.isButton()) throw new Error('zhenyan: update() is for buttons');
      if (state === 'new') await interaction.update(toDiscordPayload(payload));
      else await interaction.editReply(toDiscordPayload(payload));
      state = 'replied';
    },
    reply: async (payload) => {
      const { action, next } = planReply(state, payload.ephemeral === true);
      switch (action) {
        case 'reply':
          await interaction.reply(toReply(payload));
          break;
        case 'edit-placeholder':
          await interaction.editReply(toDiscordPayload(payload));
          break;
        case 'follow-up':
          await interaction.followUp(toReply(payload));
          break;
        case 'private-follow-up-and-delete-placeholder':
          await interaction.followUp(toReply({ ...payload, ephemeral: true }));
          await interaction.deleteReply().catch(() => undefined);
          break;
      }
      state = next;
    },
    defer: async (options) => {
      if (state !== 'new') return;
      await interaction.deferReply(options?.ephemeral ? { flags: MessageFlags.Ephemeral } : {});
      state = options?.ephemeral ? 'deferred-ephemeral' : 'deferred-public';
    },
  };
}

/** The message a button is on: its embeds and who ran the command that created it. */
function buttonMessage(interaction: ButtonInteraction): ButtonMessage {
  const message = interaction.message;
  return {
    embeds: message.embeds.map((embed) => embed.toJSON()),
    interactionUserId: message.interactionMetadata?.user.id ?? null,
  };
}

async function dispatch(interaction: Interaction, router: InteractionRouter, services: Services): Promise<void> {
  if (interaction.isChatInputCommand()) {
    await router.command({
      ...invocation(interaction),
      commandName: interaction.commandName,
      options: commandOptions(interaction),
      services,
      ...responder(interaction),
      botPermissionsIn: (channelId) => botPermissionsIn(interaction, channelId),
    });
  } else if (interaction.isAutocomplete()) {
    const focused = interaction.options.getFocused(true);
    await router.autocomplete({
      ...invocation(interaction),
      commandName: interaction.commandName,
      options: commandOptions(interaction),
      focused: { name: focused.name, value: String(focused.value) },
      services,
      respond: async (choices) => {
        await interaction.respond(
          choices.slice(0, LIMITS.choices).map((c) => ({ name: truncate(c.name, LIMITS.choiceName), value: truncate(c.value, LIMITS.choiceValue) })),
        );
      },
    });
  } else if (interaction.isButton()) {
    await router.button({
      ...invocation(interaction),
      customId: interaction.customId,
      message: buttonMessage(interaction),
      services,
      ...responder(interaction),
    });
  }
}
