/**
 * Types of the fake Discord: the public ones tests use (options, recorded requests, interaction specs…) and the
 * internal state records shared by the fake's modules (sessions, connections, pending interactions, rules).
 *
 * @module
 */
import type WebSocket from 'ws';

// ---------------------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------------------

/**
 * A loosely typed JSON object (API payloads). `any` on purpose: tests poke into recorded bodies a lot and the
 * fake must not fight discord-api-types' unions.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A Discord user as configured for the fake. Missing fields get defaults. */
export interface FakeUser {
  id: string;
  username?: string;
  global_name?: string | null;
  discriminator?: string;
  avatar?: string | null;
  bot?: boolean;
  [key: string]: unknown;
}

/** A guild channel. `type` defaults to 0 (GuildText), `name` to `channel-<id>`. */
export interface FakeChannel {
  id: string;
  type?: number;
  name?: string;
  [key: string]: unknown;
}

/** A guild role. `permissions` is a bitfield string (default '0'). */
export interface FakeRole {
  id: string;
  name?: string;
  permissions?: string;
  position?: number;
  [key: string]: unknown;
}

/** A guild member besides the bot itself. */
export interface FakeMember {
  user: FakeUser;
  roles?: string[];
  nick?: string | null;
}

/** A guild announced in READY and sent as GUILD_CREATE after every IDENTIFY. */
export interface FakeGuild {
  id: string;
  name?: string;
  ownerId?: string;
  preferredLocale?: string;
  channels?: FakeChannel[];
  /** Extra roles; the @everyone role (id = guild id) is always added. */
  roles?: FakeRole[];
  members?: FakeMember[];
  /** Permissions of @everyone (bitfield string). Default: view/send/embed/attach/history/reactions/app commands. */
  everyonePermissions?: string;
  /** Permissions of the bot's managed role. Default '0' (so the bot has the @everyone permissions). */
  botPermissions?: string;
}

/** Options for {@link FakeDiscord.start}. */
export interface FakeDiscordOptions {
  /** Application id (snowflake). Random by default. */
  applicationId?: string;
  /** Bot user id. Defaults to `applicationId` (as for real bots). */
  botUserId?: string;
  botUsername?: string;
  /** Bot token accepted by REST and IDENTIFY. Random, Discord-shaped by default. */
  token?: string;
  /**
   * Guilds the bot is in. Default: one guild "Fake Guild" with a text channel `general`.
   * Pass `[]` for no guilds (interactions then default to DMs).
   */
  guilds?: FakeGuild[];
  /** HELLO heartbeat_interval. Default 41250 (Discord's real value). */
  heartbeatIntervalMs?: number;
  /** Validate message bodies like Discord does (empty message, 2000 chars, 10 embeds, 25 choices...). Default true. */
  validate?: boolean;
  /** How long `enforce_nonce` deduplicates channel messages. Default 5 minutes. */
  nonceWindowMs?: number;
  /**
   * The shard count `GET /gateway/bot` recommends (`shards`). Default 1. Clients may IDENTIFY with any
   * `shard: [id, count]`; each guild (its GUILD_CREATE and its interactions) goes to the connection of shard
   * `(guild_id >> 22) % count` only, DMs to shard 0, as on Discord.
   */
  shardCount?: number;
  /**
   * `session_start_limit.max_concurrency` of `GET /gateway/bot`. Default 16, so discord.js identifies a
   * process's shards without its 5 s wait between them (a large bot's value; real small bots get 1).
   */
  maxConcurrency?: number;
  /**
   * Discord's global rate limit: at most this many REST requests per second (interaction callbacks and
   * webhooks exempt, as on Discord); beyond it a 429 with `x-ratelimit-global: true` and `retry_after`.
   * Default: unlimited.
   */
  globalRequestsPerSecond?: number;
  /** Simulated latency of every REST answer, in ms. Default 0. */
  restLatencyMs?: number;
}

/** A response a test wants the REST server to give. */
export interface FakeResponse {
  /** Default 200 (204 when body is undefined and status unspecified). */
  status?: number;
  /** JSON-serialised unless a string (sent as text/plain) or undefined (no body). */
  body?: unknown;
  /** Extra/overriding headers. */
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Destroy the TCP socket instead of answering (client sees ECONNRESET / "other side closed"). */
  drop?: boolean;
}

/** A file part of a multipart request. */
export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  /** The uploaded bytes (tests decode images from them). */
  bytes: Buffer;
}

/** One REST request as received by the fake. */
export interface RecordedRequest {
  /** 1-based arrival order. */
  seq: number;
  method: string;
  /** Path relative to `/api/v10`, without query, percent-decoded per segment, e.g. `/webhooks/1/tok/messages/@original`. */
  path: string;
  /** Original request URL (path + query). */
  url: string;
  query: Record<string, string>;
  /** Lower-cased request headers WITHOUT `authorization`. */
  headers: Record<string, string>;
  /** Whether a valid `Bot <token>` header was sent. */
  authorization: 'valid' | 'invalid' | 'none';
  /** Parsed JSON body (for multipart: the parsed `payload_json`), or null. */
  body: Json;
  rawBody: string;
  files: RecordedFile[];
  /** performance.now() when the request arrived. */
  receivedAt: number;
  /** Date.now() when the request arrived. */
  receivedAtEpochMs: number;
  /** Filled in once answered (0 when the socket was dropped). */
  status?: number;
  responseBody?: unknown;
  /** performance.now() when the response was written. */
  respondedAt?: number;
}

/** An interaction callback (`POST /interactions/{id}/{token}/callback`) as seen by the fake. */
export interface InteractionCallback {
  interactionId: string;
  token: string;
  /** Callback type: 4 reply, 5 deferred reply, 6 deferred update, 7 update, 8 autocomplete, 9 modal... */
  type: number;
  /** `body.data` (may be undefined for types 5/6 without flags). */
  data: Json;
  body: Json;
  withResponse: boolean;
  /** ms between the INTERACTION_CREATE frame being written to the socket and the callback request arriving. */
  latencyMs: number;
  /** The INTERACTION_CREATE payload that was dispatched. */
  interaction: Json;
  request: RecordedRequest;
}

/** Option values for {@link slashCommand}: type is inferred (string 3, integer 4, boolean 5) unless explicit. */
export type OptionValue = string | number | boolean | { type: number; value: string | number | boolean };
/** Either a name → value map or raw API options. */
export type OptionsSpec = Record<string, OptionValue> | Json[];

/** Fields shared by every interaction spec; all optional. */
export interface InteractionContextSpec {
  id?: string;
  token?: string;
  /** Guild to run in; default: first configured guild. `null` → a DM interaction. */
  guildId?: string | null;
  /** Channel; default: the guild's first text channel (or a DM channel). */
  channelId?: string;
  /** Invoking user (default `{ id: '200000000000000001', username: 'tester' }`). */
  user?: Partial<FakeUser>;
  /** member.permissions (bitfield string). Default: the @everyone permissions of the guild. */
  memberPermissions?: string;
  roles?: string[];
  nick?: string | null;
  locale?: string;
  guildLocale?: string;
  /** app_permissions (bitfield string). Default: computed from the guild's roles. */
  appPermissions?: string;
  /** 0 guild, 1 bot DM, 2 private channel. Default 0 in guilds, 1 in DMs. */
  context?: number;
  /** Shallow-merged into the final payload (escape hatch). */
  extra?: Record<string, unknown>;
}

export interface SlashCommandSpec extends InteractionContextSpec {
  kind: 'command';
  name: string;
  commandId?: string;
  subcommandGroup?: string;
  subcommand?: string;
  options?: OptionsSpec;
  resolved?: Json;
}

export interface AutocompleteSpec extends InteractionContextSpec {
  kind: 'autocomplete';
  name: string;
  commandId?: string;
  subcommandGroup?: string;
  subcommand?: string;
  options?: OptionsSpec;
  /** Name of the focused option (must be present in `options`; added as '' if missing). */
  focused: string;
}

export interface ComponentSpec extends InteractionContextSpec {
  kind: 'component';
  customId: string;
  /** 2 button (default), 3 string select, 5 user select, ... */
  componentType?: number;
  values?: string[];
  /** The message carrying the component. Default: a bot message in the channel with a button `customId`. */
  message?: Json;
}

export interface ModalSubmitSpec extends InteractionContextSpec {
  kind: 'modal';
  customId: string;
  /** text input custom_id → value */
  fields: Record<string, string>;
}

/** A full payload you built yourself; `id`/`token` are generated when missing and it is registered as usual. */
export interface RawInteractionSpec {
  kind: 'raw';
  payload: Json;
}

export type InteractionSpec = SlashCommandSpec | AutocompleteSpec | ComponentSpec | ModalSubmitSpec | RawInteractionSpec;

/** Returned by {@link FakeDiscord.dispatchInteraction}. */
export interface DispatchedInteraction {
  payload: Json;
  id: string;
  token: string;
  /** The shard whose connection it was dispatched on (the guild's owner; 0 for DMs). */
  shard: number;
  /** Resolves with the first callback for this interaction (checks already-received ones first). */
  waitForCallback(timeoutMs?: number): Promise<InteractionCallback>;
}

/** A gateway connection as observed by the fake. */
export interface GatewayConnectionInfo {
  /** 1-based. */
  index: number;
  query: Record<string, string>;
  openedAt: number;
  closedAt?: number;
  /** Close code as seen by the server (1006 when terminated). */
  closeCode?: number;
  /** Opcodes received (in order). */
  received: number[];
  identified: boolean;
  resumed: boolean;
  /** `[shard id, shard count]` of the session this connection identified or resumed. */
  shard?: [number, number];
}

// ---------------------------------------------------------------------------------------------------------------
// Internal state types (shared by the modules of test/support/fake-discord/, not re-exported)
// ---------------------------------------------------------------------------------------------------------------

/** Decides whether a REST path (relative to /api/v10) matches a fault rule or override. */
export type Matcher = (path: string) => boolean;

/** A configured guild after defaults were applied (API-shaped channels, roles incl. @everyone and the bot role, members incl. the bot). */
export interface FakeGuildState {
  id: string;
  name: string;
  ownerId: string;
  preferredLocale: string;
  channels: Json[];
  roles: Json[];
  members: Json[];
  everyonePermissions: string;
  botPermissions: string;
  botRoleId: string;
}

export interface Session {
  id: string;
  /** `[shard id, shard count]` from IDENTIFY (`[0, 1]` when the client did not shard). */
  shard: [number, number];
  seq: number;
  /** Sent dispatches, for RESUME replay. */
  buffer: Array<{ op: 0; s: number; t: string; d: Json }>;
  invalidated: boolean;
}

export interface Conn {
  ws: WebSocket;
  info: GatewayConnectionInfo;
  session?: Session;
}

export interface PendingInteraction {
  payload: Json;
  /** The shard whose connection the INTERACTION_CREATE was dispatched on. */
  shard?: number;
  sentAt?: number;
  callback?: InteractionCallback;
  originalMessageId?: string;
  componentMessageId?: string;
  followups: Set<string>;
}

export interface OnceRule {
  method: string;
  matches: Matcher;
  action: { kind: 'respond'; response: FakeResponse } | { kind: 'delay'; ms: number };
}

export interface RouteOverride {
  method: string;
  matches: Matcher;
  handler: (req: RecordedRequest) => FakeResponse | undefined | Promise<FakeResponse | undefined>;
}

export interface Waiter {
  probe: () => boolean;
  timer: NodeJS.Timeout;
  reject: (e: Error) => void;
}

export interface BuiltinRoute {
  method: string;
  re: RegExp;
  auth: boolean;
  handle: (req: RecordedRequest, params: string[]) => FakeResponse | Promise<FakeResponse>;
}
