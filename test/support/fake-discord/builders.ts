/**
 * Builders of the fake Discord: snowflakes, users, members, tokens, and the interaction specs tests pass to
 * `FakeDiscord.sendInteraction` (`slashCommand`, `autocomplete`, `button`, `stringSelect`, `modalSubmit`).
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import type {
  AutocompleteSpec,
  ComponentSpec,
  FakeUser,
  Json,
  ModalSubmitSpec,
  OptionsSpec,
  SlashCommandSpec,
} from './types.ts';

/** Spread into `new Client({ ws: noIdentifyThrottle })` to skip discord.js' 5 s IDENTIFY throttle in tests. */
export const noIdentifyThrottle = {
  buildIdentifyThrottler: () => ({
    async waitForIdentify(): Promise<void> {
      /* no throttling against the fake */
    },
  }),
};

const DISCORD_EPOCH = 1420070400000n;
let snowflakeIncrement = 0n;

/** A guild member object as Discord sends it (without `permissions`, which only interactions carry). */
export function memberJson(user: Json, roles: string[], nick: string | null): Json {
  return {
    user,
    roles,
    nick,
    avatar: null,
    joined_at: '2024-01-01T00:00:00.000Z',
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0,
    pending: false,
    communication_disabled_until: null,
  };
}

/** A fresh, increasing snowflake string for "now" (or the given ms epoch). */
export function snowflake(atMs: number = Date.now()): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return (((BigInt(atMs) - DISCORD_EPOCH) << 22n) | (1n << 17n) | snowflakeIncrement).toString();
}

/**
 * A guild id whose shard is `shardId` of `shardCount` (`(id >> 22) % count`); `n` picks among many such
 * ids (distinct for distinct `n`). Deterministic, so a test's guild layout is the same on every run.
 */
export function guildIdOnShard(shardId: number, shardCount: number, n = 0): string {
  // A 2023 timestamp: ids have 19 digits like real ones.
  const base = (1_700_000_000_000n - DISCORD_EPOCH) / BigInt(shardCount) * BigInt(shardCount);
  const timestampPart = base + BigInt(n) * BigInt(shardCount) + BigInt(shardId);
  return ((timestampPart << 22n) | BigInt(n % 4096)).toString();
}

/** Spec for a chat-input command (interaction type 2). */
export function slashCommand(
  name: string,
  options?: OptionsSpec,
  extra?: Omit<SlashCommandSpec, 'kind' | 'name' | 'options'>,
): SlashCommandSpec {
  return { kind: 'command', name, ...(options ? { options } : {}), ...extra };
}

/** Spec for an autocomplete interaction (type 4) with `focused` marking the focused option. */
export function autocomplete(
  name: string,
  focused: string,
  options?: OptionsSpec,
  extra?: Omit<AutocompleteSpec, 'kind' | 'name' | 'options' | 'focused'>,
): AutocompleteSpec {
  return { kind: 'autocomplete', name, focused, ...(options ? { options } : {}), ...extra };
}

/** Spec for a button press (type 3, component_type 2). */
export function button(customId: string, extra?: Omit<ComponentSpec, 'kind' | 'customId'>): ComponentSpec {
  return { kind: 'component', customId, ...extra };
}

/** Spec for a string-select choice (type 3, component_type 3). */
export function stringSelect(
  customId: string,
  values: string[],
  extra?: Omit<ComponentSpec, 'kind' | 'customId' | 'values'>,
): ComponentSpec {
  return { kind: 'component', customId, componentType: 3, values, ...extra };
}

/** Spec for a modal submit (type 5). */
export function modalSubmit(
  customId: string,
  fields: Record<string, string>,
  extra?: Omit<ModalSubmitSpec, 'kind' | 'customId' | 'fields'>,
): ModalSubmitSpec {
  return { kind: 'modal', customId, fields, ...extra };
}

const P = {
  AddReactions: 1n << 6n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  UseExternalEmojis: 1n << 18n,
  UseApplicationCommands: 1n << 31n,
  SendMessagesInThreads: 1n << 38n,
};
/** @everyone's permissions when a guild does not set them (what a fresh server grants). */
export const DEFAULT_EVERYONE_PERMISSIONS = (
  P.AddReactions |
  P.ViewChannel |
  P.SendMessages |
  P.EmbedLinks |
  P.AttachFiles |
  P.ReadMessageHistory |
  P.UseExternalEmojis |
  P.UseApplicationCommands |
  P.SendMessagesInThreads
).toString();

/** The user interactions come from unless a spec says otherwise. */
export const DEFAULT_USER: FakeUser = { id: '200000000000000001', username: 'tester', global_name: 'Tester' };

/** A user object as Discord sends it, with defaults for the missing fields. */
export function fullUser(u: Partial<FakeUser> & { id: string }): Json {
  return {
    username: `user${u.id.slice(-4)}`,
    global_name: null,
    discriminator: '0',
    avatar: null,
    public_flags: 0,
    flags: 0,
    ...u,
  };
}

/** A valid snowflake that is always the same for the same seed (DM channels, bot role, command ids). */
export function stableSnowflake(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  // 2021-ish timestamp + hash bits: valid, deterministic per seed.
  const ts = 1609459200000n - DISCORD_EPOCH + BigInt(h.readUInt32BE(0));
  return ((ts << 22n) | BigInt(h.readUInt16BE(4) & 0x3fffff)).toString();
}

/** A token shaped like a bot token (base64 bot id . timestamp . hmac). */
export function discordToken(botId: string): string {
  return `${Buffer.from(botId).toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(27).toString('base64url')}`;
}

/** Now as an ISO 8601 timestamp. */
export function isoNow(): string {
  return new Date().toISOString();
}
