/**
 * A local, in-process fake of Discord (gateway over WebSocket + REST over HTTP) for end-to-end tests
 * that run the REAL discord.js `Client`.
 *
 * ```ts
 * const fake = await FakeDiscord.start();
 * const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: fake.restOptions({ retries: 1 }) });
 * await client.login(fake.token);
 * const cb = await fake.sendInteraction(slashCommand('quote', { query: 'focus' }));
 * expect(cb.type).toBe(4);
 * await client.destroy();
 * await fake.stop();
 * ```
 *
 * One HTTP server on 127.0.0.1 (random port) serves both `/api/v10/...` and the gateway WebSocket upgrade.
 * The gateway speaks JSON text frames only (no zlib / etf). A single gateway session (shard 0 of 1) is modelled:
 * IDENTIFY → READY (+ GUILD_CREATE per configured guild), RESUME → replay of missed dispatches + RESUMED,
 * heartbeats ACKed unless told otherwise. Every REST request is recorded in {@link FakeDiscord.requests}.
 *
 * Caveats worth knowing (measured against discord.js 14.28 / @discordjs/ws 1.2 / @discordjs/rest 2.6):
 * - discord.js throttles IDENTIFY to one per 5 s per client (SimpleIdentifyThrottler). A reconnect that must
 *   re-IDENTIFY (non-resumable invalid session, close 1000/4007/4009...) therefore stalls ~5-6.5 s unless the
 *   client is built with `ws: noIdentifyThrottle` (exported below).
 * - Stop the client (`client.destroy()`) BEFORE `fake.stop()`, otherwise discord.js keeps trying to reconnect.
 * - discord.js always appends `?with_response=false|true` to interaction callbacks.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import WebSocket, { WebSocketServer } from 'ws';

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
}

/** Spread into `new Client({ ws: noIdentifyThrottle })` to skip discord.js' 5 s IDENTIFY throttle in tests. */
export const noIdentifyThrottle = {
  buildIdentifyThrottler: () => ({
    async waitForIdentify(): Promise<void> {
      /* no throttling against the fake */
    },
  }),
};

// ---------------------------------------------------------------------------------------------------------------
// Helpers: snowflakes, builders
// ---------------------------------------------------------------------------------------------------------------

const DISCORD_EPOCH = 1420070400000n;
let snowflakeIncrement = 0n;

/** A guild member object as Discord sends it (without `permissions`, which only interactions carry). */
function memberJson(user: Json, roles: string[], nick: string | null): Json {
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
const DEFAULT_EVERYONE_PERMISSIONS = (
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

const DEFAULT_USER: FakeUser = { id: '200000000000000001', username: 'tester', global_name: 'Tester' };

function fullUser(u: Partial<FakeUser> & { id: string }): Json {
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

function stableSnowflake(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  // 2021-ish timestamp + hash bits: valid, deterministic per seed.
  const ts = 1609459200000n - DISCORD_EPOCH + BigInt(h.readUInt32BE(0));
  return ((ts << 22n) | BigInt(h.readUInt16BE(4) & 0x3fffff)).toString();
}

function discordToken(botId: string): string {
  return `${Buffer.from(botId).toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(27).toString('base64url')}`;
}

function isoNow(): string {
  return new Date().toISOString();
}

function errorResponse(status: number, code: number, message: string, errors?: Json): FakeResponse {
  return { status, body: errors ? { message, code, errors } : { message, code } };
}

const NOT_FOUND: FakeResponse = errorResponse(404, 0, '404: Not Found');

function formError(field: string, code: string, message: string): FakeResponse {
  return errorResponse(400, 50035, 'Invalid Form Body', { [field]: { _errors: [{ code, message }] } });
}

type Matcher = (path: string) => boolean;

function toMatcher(pattern: RegExp | string): Matcher {
  if (pattern instanceof RegExp) return (path) => pattern.test(path);
  const normalized = pattern.replace(/^\/api(?:\/v\d+)?/, '').replace(/\?.*$/, '');
  if (!/[:*]/.test(normalized)) return (path) => path === normalized;
  const source = normalized
    .split('/')
    .map((seg) => (seg === '*' ? '.*' : seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  const re = new RegExp(`^${source}$`);
  return (path) => re.test(path);
}

/** Percent-decodes each path segment (discord.js sends `@original` as `%40original`). */
function decodePath(path: string): string {
  return path
    .split('/')
    .map((seg) => {
      try {
        return decodeURIComponent(seg);
      } catch {
        return seg;
      }
    })
    .join('/');
}

function methodMatches(want: string, got: string): boolean {
  return want === '*' || want.toUpperCase() === got;
}

// ---------------------------------------------------------------------------------------------------------------
// Internal state types
// ---------------------------------------------------------------------------------------------------------------

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

interface Session {
  id: string;
  seq: number;
  /** Sent dispatches, for RESUME replay. */
  buffer: Array<{ op: 0; s: number; t: string; d: Json }>;
  invalidated: boolean;
}

interface Conn {
  ws: WebSocket;
  info: GatewayConnectionInfo;
  session?: Session;
}

interface PendingInteraction {
  payload: Json;
  sentAt?: number;
  callback?: InteractionCallback;
  originalMessageId?: string;
  componentMessageId?: string;
  followups: Set<string>;
}

interface OnceRule {
  method: string;
  matches: Matcher;
  action: { kind: 'respond'; response: FakeResponse } | { kind: 'delay'; ms: number };
}

interface RouteOverride {
  method: string;
  matches: Matcher;
  handler: (req: RecordedRequest) => FakeResponse | undefined | Promise<FakeResponse | undefined>;
}

interface Waiter {
  probe: () => boolean;
  timer: NodeJS.Timeout;
  reject: (e: Error) => void;
}

interface BuiltinRoute {
  method: string;
  re: RegExp;
  auth: boolean;
  handle: (req: RecordedRequest, params: string[]) => FakeResponse | Promise<FakeResponse>;
}

// ---------------------------------------------------------------------------------------------------------------
// FakeDiscord
// ---------------------------------------------------------------------------------------------------------------

/** Local fake Discord (gateway + REST). Create with {@link FakeDiscord.start}. */
export class FakeDiscord {
  /** Every REST request, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** Every interaction callback, in arrival order. */
  readonly callbacks: InteractionCallback[] = [];
  /** Every gateway connection ever opened. */
  readonly gatewayConnections: GatewayConnectionInfo[] = [];
  /** IDENTIFY payloads received (token redacted). */
  readonly identifies: Json[] = [];
  /** RESUME payloads received (token redacted). */
  readonly resumes: Json[] = [];
  /** Every message the fake holds (channel messages, interaction originals and followups), by id. */
  readonly messages = new Map<string, Json>();
  /** Registered application commands: key 'global' or a guild id. */
  readonly commands = new Map<string, Json[]>();
  /** Non-fatal protocol problems noticed (unsupported encoding, bad payloads...). */
  readonly errors: string[] = [];

  readonly applicationId: string;
  readonly token: string;
  readonly botUser: Json;
  readonly guilds: FakeGuildState[];
  /** Heartbeats received / acknowledged. */
  heartbeatsReceived = 0;
  heartbeatsAcked = 0;

  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly opts: Required<Pick<FakeDiscordOptions, 'heartbeatIntervalMs' | 'validate' | 'nonceWindowMs'>>;
  private port = 0;
  private stopped = false;
  private readonly conns = new Set<Conn>();
  private active: Conn | undefined;
  private session: Session | undefined;
  private readonly sessions = new Map<string, Session>();
  private readonly interactions = new Map<string, PendingInteraction>();
  private readonly interactionsByToken = new Map<string, PendingInteraction>();
  private readonly channels = new Map<string, Json>();
  private readonly nonces = new Map<string, { messageId: string; at: number }>();
  private readonly onceRules: OnceRule[] = [];
  private readonly overrides: RouteOverride[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private heartbeatsToSkip = 0;
  private readonly builtins: BuiltinRoute[];

  private constructor(options: FakeDiscordOptions) {
    this.applicationId = options.applicationId ?? snowflake();
    const botId = options.botUserId ?? this.applicationId;
    this.token = options.token ?? discordToken(botId);
    this.botUser = fullUser({ id: botId, username: options.botUsername ?? 'Zhenyan', bot: true, global_name: null });
    this.opts = {
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      validate: options.validate ?? true,
      nonceWindowMs: options.nonceWindowMs ?? 5 * 60_000,
    };
    const guilds = options.guilds ?? [
      { id: snowflake(), name: 'Fake Guild', channels: [{ id: snowflake(), name: 'general', type: 0 }] },
    ];
    this.guilds = guilds.map((g) => this.normalizeGuild(g));
    for (const g of this.guilds) for (const c of g.channels) this.channels.set(c.id, c);
    this.builtins = this.buildRoutes();
    this.server = createServer((req, res) => void this.onHttp(req, res));
    this.server.keepAliveTimeout = 5_000;
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onGatewayConnection(ws, req));
    });
  }

  /** Starts the fake on 127.0.0.1 with a random port. */
  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => {
        fake.server.off('error', reject);
        resolve();
      });
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** `http://127.0.0.1:PORT/api`, for `new Client({ rest: { api } })`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /** `ws://127.0.0.1:PORT` (what GET /gateway/bot announces and READY's resume_gateway_url points to). */
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Port the fake listens on. */
  get listeningPort(): number {
    return this.port;
  }

  /** First configured guild (convenience), or undefined. */
  get guild(): FakeGuildState | undefined {
    return this.guilds[0];
  }

  /**
   * REST options for `new Client({ rest: fake.restOptions() })`: points at the fake, with short timeouts and
   * no rate-limit offset so tests stay fast. Override anything via `extra`.
   */
  restOptions<T extends Record<string, unknown>>(extra?: T): { api: string; timeout: number; offset: number; retries: number } & T {
    return { api: this.apiUrl, timeout: 5_000, offset: 0, retries: 1, ...(extra as T) };
  }

  /** Current gateway sequence number (0 before the first IDENTIFY). */
  get sequence(): number {
    return this.session?.seq ?? 0;
  }

  /** Number of IDENTIFY / RESUME payloads received so far. */
  get identifyCount(): number {
    return this.identifies.length;
  }
  get resumeCount(): number {
    return this.resumes.length;
  }

  /** True while a gateway connection is open and has an identified/resumed session. */
  get connected(): boolean {
    return this.active !== undefined && this.active.ws.readyState === WebSocket.OPEN;
  }

  // ------------------------------------------------------------------------------------------ lifecycle

  /** Closes all sockets and the server, rejects pending waits. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const w of [...this.waiters]) {
      clearTimeout(w.timer);
      w.reject(new Error('FakeDiscord stopped'));
    }
    this.waiters.clear();
    for (const c of this.conns) c.ws.terminate();
    this.conns.clear();
    this.active = undefined;
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ------------------------------------------------------------------------------------------ waiting

  private waitUntil<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const now = probe();
    if (now !== undefined) return Promise.resolve(now);
    if (this.stopped) return Promise.reject(new Error(`FakeDiscord stopped (while waiting for ${what})`));
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        probe: () => {
          const v = probe();
          if (v === undefined) return false;
          resolve(v);
          return true;
        },
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`FakeDiscord: timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs),
        reject,
      };
      this.waiters.add(waiter);
    });
  }

  private notify(): void {
    for (const w of [...this.waiters]) {
      if (w.probe()) {
        clearTimeout(w.timer);
        this.waiters.delete(w);
      }
    }
  }

  /** Resolves once a client has IDENTIFYed or RESUMEd and got READY/RESUMED on a still-open connection. */
  waitForReady(timeoutMs = 10_000): Promise<void> {
    return this.waitUntil(() => (this.connected ? true : undefined), timeoutMs, 'a ready gateway connection').then(
      () => undefined,
    );
  }

  /** Resolves when the total number of IDENTIFYs reaches `count` (default: one more than now). */
  waitForIdentify(count = this.identifyCount + 1, timeoutMs = 10_000): Promise<Json> {
    return this.waitUntil(
      () => (this.identifies.length >= count ? this.identifies[count - 1] : undefined),
      timeoutMs,
      `IDENTIFY #${count}`,
    );
  }

  /** Resolves when the total number of RESUMEs reaches `count` (default: one more than now). */
  waitForResume(count = this.resumeCount + 1, timeoutMs = 10_000): Promise<Json> {
    return this.waitUntil(
      () => (this.resumes.length >= count ? this.resumes[count - 1] : undefined),
      timeoutMs,
      `RESUME #${count}`,
    );
  }

  /**
   * Resolves with the first recorded request (already received ones included) matching `predicate`, once it
   * has been answered (so `status`/`responseBody` are set). Use `r.seq > n` to ignore older requests.
   */
  waitForRequest(predicate: (r: RecordedRequest) => boolean, timeoutMs = 5_000): Promise<RecordedRequest> {
    return this.waitUntil(
      () => this.requests.find((r) => r.status !== undefined && predicate(r)),
      timeoutMs,
      'a matching REST request',
    );
  }

  /** Resolves with the first callback (already received ones included) matching `predicate`. */
  waitForCallback(predicate: (c: InteractionCallback) => boolean, timeoutMs = 5_000): Promise<InteractionCallback> {
    return this.waitUntil(() => this.callbacks.find(predicate), timeoutMs, 'a matching interaction callback');
  }

  // ------------------------------------------------------------------------------------------ REST fault injection

  /**
   * Registers a route override, consulted (most recent first) before the built-in routes. The handler may
   * return undefined to fall through. `pathPattern`: RegExp on the path relative to /api/v10, or a string
   * (exact path, or with `:param` / `*` segments). Returns an unregister function.
   */
  route(
    method: string,
    pathPattern: RegExp | string,
    handler: (req: RecordedRequest) => FakeResponse | undefined | Promise<FakeResponse | undefined>,
  ): () => void {
    const o: RouteOverride = { method, matches: toMatcher(pathPattern), handler };
    this.overrides.unshift(o);
    return () => {
      const i = this.overrides.indexOf(o);
      if (i >= 0) this.overrides.splice(i, 1);
    };
  }

  /** The next `responses.length` matching requests get these responses (in order); later ones are served normally. */
  failNext(method: string, pathPattern: RegExp | string, responses: FakeResponse[]): void {
    const matches = toMatcher(pathPattern);
    for (const response of responses) this.onceRules.push({ method, matches, action: { kind: 'respond', response } });
  }

  /**
   * The next `count` matching requests get a 429. Per-route by default (x-ratelimit-* headers, scope user);
   * `global: true` adds `x-ratelimit-global: true` and scope global like Discord's global limit.
   */
  rateLimitNext(
    method: string,
    pathPattern: RegExp | string,
    opts: { retryAfterMs: number; global?: boolean; count?: number; scope?: 'user' | 'shared' | 'global' },
  ): void {
    const secs = opts.retryAfterMs / 1000;
    const headers: Record<string, string> = { 'retry-after': String(secs) };
    if (opts.global) {
      headers['x-ratelimit-global'] = 'true';
      headers['x-ratelimit-scope'] = 'global';
    } else {
      Object.assign(headers, {
        'x-ratelimit-limit': '5',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': ((Date.now() + opts.retryAfterMs) / 1000).toFixed(3),
        'x-ratelimit-reset-after': secs.toFixed(3),
        'x-ratelimit-scope': opts.scope ?? 'user',
      });
    }
    const response: FakeResponse = {
      status: 429,
      headers,
      body: { message: 'You are being rate limited.', retry_after: secs, global: opts.global ?? false },
    };
    this.failNext(method, pathPattern, Array.from({ length: opts.count ?? 1 }, () => response));
  }

  /** Delays the next `count` matching requests by `ms`, then serves them normally. */
  delayNext(method: string, pathPattern: RegExp | string, ms: number, count = 1): void {
    const matches = toMatcher(pathPattern);
    for (let i = 0; i < count; i++) this.onceRules.push({ method, matches, action: { kind: 'delay', ms } });
  }

  /**
   * Forgets recorded history so long load runs stay bounded in memory: recorded requests and callbacks, messages,
   * answered interactions, nonces, closed gateway connections, and the RESUME replay buffer (IDENTIFY/RESUME
   * records are kept). Interactions still
   * waiting for their callback are kept. Call it only when every dispatched event has been handled (e.g. all
   * callbacks are in): a RESUME after it cannot replay what was forgotten. `RecordedRequest.seq` keeps counting
   * from the number of requests still recorded (it restarts low).
   */
  forgetHistory(): void {
    this.requests.length = 0;
    this.callbacks.length = 0;
    this.messages.clear();
    this.nonces.clear();
    for (const [id, p] of this.interactions) {
      if (!p.callback) continue;
      this.interactions.delete(id);
      this.interactionsByToken.delete(p.payload.token);
    }
    const open = this.gatewayConnections.filter((c) => c.closedAt === undefined);
    this.gatewayConnections.length = 0;
    this.gatewayConnections.push(...open);
    for (const c of this.conns) c.info.received.length = 0;
    if (this.session) this.session.buffer.length = 0;
  }

  /** Drops pending failNext/rateLimitNext/delayNext rules and route overrides. */
  clearFaults(): void {
    this.onceRules.length = 0;
    this.overrides.length = 0;
  }

  // ------------------------------------------------------------------------------------------ gateway faults

  /**
   * Drops the active gateway connection. 1006 (default) destroys the socket abruptly (no close frame);
   * any other code sends a close frame (4000 → client resumes; 4009 session timeout → resume; 1000 → re-identify).
   */
  dropConnection(code = 1006, reason = 'fake-discord drop'): void {
    const conn = this.active;
    if (!conn) throw new Error('FakeDiscord.dropConnection: no active gateway connection');
    this.active = undefined;
    if (code === 1006) conn.ws.terminate();
    else conn.ws.close(code, reason);
  }

  /** Sends op 9 INVALID_SESSION. Non-resumable also invalidates the session server-side. */
  sendInvalidSession(resumable: boolean): void {
    const conn = this.requireActive('sendInvalidSession');
    if (!resumable && conn.session) {
      conn.session.invalidated = true;
      this.sessions.delete(conn.session.id);
    }
    this.active = undefined; // not ready again until RESUME / IDENTIFY
    this.sendFrame(conn, { op: 9, d: resumable, s: null, t: null });
  }

  /** Sends op 7 RECONNECT (discord.js closes with 4200 and resumes). */
  sendReconnect(): void {
    const conn = this.requireActive('sendReconnect');
    this.active = undefined;
    this.sendFrame(conn, { op: 7, d: null, s: null, t: null });
  }

  /** Stops answering heartbeats (for `count` heartbeats, default forever) → discord.js sees a zombie connection. */
  stopAckingHeartbeats(count = Number.POSITIVE_INFINITY): void {
    this.heartbeatsToSkip = count;
  }

  resumeAckingHeartbeats(): void {
    this.heartbeatsToSkip = 0;
  }

  /** Sends an arbitrary raw frame on the active connection. */
  sendRaw(frame: Json): void {
    this.sendFrame(this.requireActive('sendRaw'), frame);
  }

  /**
   * Dispatches an event (op 0) with the next sequence number. Without an open connection the event is only
   * buffered and will be replayed on RESUME (like Discord). Returns the sequence number.
   */
  dispatch(eventName: string, data: Json): number {
    const session = this.session;
    if (!session) throw new Error('FakeDiscord.dispatch: no gateway session yet (client never IDENTIFYed)');
    const frame = { op: 0 as const, s: ++session.seq, t: eventName, d: data };
    session.buffer.push(frame);
    if (session.buffer.length > 2_000) session.buffer.splice(0, session.buffer.length - 2_000);
    const conn = this.active;
    if (conn && conn.session === session) this.sendFrame(conn, frame);
    return frame.s;
  }

  private requireActive(what: string): Conn {
    const conn = this.active;
    if (!conn) throw new Error(`FakeDiscord.${what}: no active gateway connection`);
    return conn;
  }

  // ------------------------------------------------------------------------------------------ interactions

  /** Builds a full INTERACTION_CREATE payload from a spec (without dispatching it). */
  buildInteraction(spec: InteractionSpec): Json {
    if (spec.kind === 'raw') {
      return { id: snowflake(), token: this.newInteractionToken(), application_id: this.applicationId, version: 1, ...spec.payload };
    }
    const user = fullUser({ ...DEFAULT_USER, ...spec.user, id: spec.user?.id ?? DEFAULT_USER.id });
    const guild =
      spec.guildId === null ? undefined : spec.guildId ? this.guilds.find((g) => g.id === spec.guildId) : this.guilds[0];
    const guildId = spec.guildId === null ? undefined : (spec.guildId ?? guild?.id);
    let channel: Json;
    if (guildId) {
      const wanted = spec.channelId ?? guild?.channels.find((c) => c.type === 0)?.id ?? guild?.channels[0]?.id ?? snowflake();
      channel = this.channels.get(wanted) ?? { id: wanted, type: 0, name: `channel-${wanted.slice(-4)}`, guild_id: guildId };
    } else {
      const dmId = spec.channelId ?? stableSnowflake(`dm:${user.id}`);
      channel = { id: dmId, type: 1, last_message_id: null, flags: 0, recipients: [user] };
    }
    if (!this.channels.has(channel.id)) this.channels.set(channel.id, channel);

    const everyone = guild?.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS;
    const appPermissions = spec.appPermissions ?? (BigInt(everyone) | BigInt(guild?.botPermissions ?? '0')).toString();
    const payload: Json = {
      id: spec.id ?? snowflake(),
      application_id: this.applicationId,
      token: spec.token ?? this.newInteractionToken(),
      version: 1,
      channel,
      channel_id: channel.id,
      locale: spec.locale ?? 'en-US',
      app_permissions: appPermissions,
      entitlements: [],
      authorizing_integration_owners: guildId ? { '0': guildId } : { '1': user.id },
      context: spec.context ?? (guildId ? 0 : 1),
      attachment_size_limit: 10 * 1024 * 1024,
    };
    if (guildId) {
      payload.guild_id = guildId;
      payload.guild_locale = spec.guildLocale ?? guild?.preferredLocale ?? 'en-US';
      payload.guild = { id: guildId, locale: payload.guild_locale, features: [] };
      payload.member = { ...memberJson(user, spec.roles ?? [], spec.nick ?? null), permissions: spec.memberPermissions ?? everyone };
    } else {
      payload.user = user;
    }

    switch (spec.kind) {
      case 'command':
      case 'autocomplete': {
        let options = this.buildOptions(spec.options, spec.kind === 'autocomplete' ? spec.focused : undefined);
        if (spec.subcommand) options = [{ type: 1, name: spec.subcommand, options }];
        if (spec.subcommandGroup) options = [{ type: 2, name: spec.subcommandGroup, options }];
        payload.type = spec.kind === 'command' ? 2 : 4;
        payload.data = {
          id: spec.commandId ?? this.commandIdFor(spec.name, guildId),
          name: spec.name,
          type: 1,
          options,
          ...(spec.kind === 'command' && spec.resolved ? { resolved: spec.resolved } : {}),
        };
        break;
      }
      case 'component': {
        const componentType = spec.componentType ?? 2;
        const message =
          spec.message ??
          this.makeMessage(channel.id, {
            content: 'component host',
            components: [
              {
                type: 1,
                components: [
                  componentType === 2
                    ? { type: 2, style: 1, label: 'Press', custom_id: spec.customId }
                    : { type: componentType, custom_id: spec.customId, options: [] },
                ],
              },
            ],
          }, { author: this.botUser, guildId });
        if (!message.id) message.id = snowflake();
        this.messages.set(message.id, message);
        payload.type = 3;
        payload.message = message;
        payload.data = {
          custom_id: spec.customId,
          component_type: componentType,
          ...(spec.values ? { values: spec.values } : componentType !== 2 ? { values: [] } : {}),
        };
        break;
      }
      case 'modal': {
        payload.type = 5;
        payload.data = {
          custom_id: spec.customId,
          components: Object.entries(spec.fields).map(([id, value]) => ({
            type: 1,
            components: [{ type: 4, custom_id: id, value }],
          })),
        };
        break;
      }
    }
    return spec.extra ? { ...payload, ...spec.extra } : payload;
  }

  /**
   * Builds (if needed) and dispatches an INTERACTION_CREATE. Returns immediately with the id/token and a lazy
   * `waitForCallback` (no unhandled rejections if you never wait).
   */
  dispatchInteraction(specOrPayload: InteractionSpec): DispatchedInteraction {
    const payload = this.buildInteraction(specOrPayload);
    const pending: PendingInteraction = { payload, followups: new Set() };
    if (payload.type === 3 && payload.message?.id) pending.componentMessageId = payload.message.id;
    this.interactions.set(payload.id, pending);
    this.interactionsByToken.set(payload.token, pending);
    this.dispatch('INTERACTION_CREATE', payload);
    return {
      payload,
      id: payload.id,
      token: payload.token,
      waitForCallback: (timeoutMs = 5_000) =>
        this.waitUntil(() => pending.callback, timeoutMs, `the callback of interaction ${payload.id}`),
    };
  }

  /** Dispatches an INTERACTION_CREATE and resolves with the first callback request for it. */
  async sendInteraction(spec: InteractionSpec, timeoutMs = 5_000): Promise<InteractionCallback> {
    return this.dispatchInteraction(spec).waitForCallback(timeoutMs);
  }

  /** The original response message of an interaction (after a type 4/5/7 callback), if any. */
  originalMessage(interactionIdOrToken: string): Json | undefined {
    const p = this.interactions.get(interactionIdOrToken) ?? this.interactionsByToken.get(interactionIdOrToken);
    return p?.originalMessageId ? this.messages.get(p.originalMessageId) : undefined;
  }

  /** Requests whose path starts with `/webhooks/{app}/{token}` (edits, followups, deletes) for an interaction. */
  webhookRequests(interactionToken: string): RecordedRequest[] {
    const prefix = `/webhooks/${this.applicationId}/${interactionToken}`;
    return this.requests.filter((r) => r.path.startsWith(prefix));
  }

  private newInteractionToken(): string {
    return `aW50ZXJhY3Rpb246${randomBytes(60).toString('base64url')}`;
  }

  private commandIdFor(name: string, guildId: string | undefined): string {
    for (const key of [guildId ?? '', 'global']) {
      const found = this.commands.get(key)?.find((c) => c.name === name);
      if (found) return found.id;
    }
    return stableSnowflake(`cmd:${this.applicationId}:${name}`);
  }

  private buildOptions(spec: OptionsSpec | undefined, focused: string | undefined): Json[] {
    let options: Json[];
    if (!spec) options = [];
    else if (Array.isArray(spec)) options = spec.map((o) => ({ ...o }));
    else {
      options = Object.entries(spec).map(([name, v]) => {
        if (typeof v === 'object') return { name, type: v.type, value: v.value };
        const type = typeof v === 'string' ? 3 : typeof v === 'boolean' ? 5 : Number.isInteger(v) ? 4 : 10;
        return { name, type, value: v };
      });
    }
    if (focused !== undefined) {
      let f = options.find((o) => o.name === focused);
      if (!f) {
        f = { name: focused, type: 3, value: '' };
        options.push(f);
      }
      f.focused = true;
    }
    return options;
  }

  // ------------------------------------------------------------------------------------------ gateway

  private onGatewayConnection(ws: WebSocket, req: IncomingMessage): void {
    if (this.stopped) {
      ws.terminate();
      return;
    }
    const query = Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);
    const info: GatewayConnectionInfo = {
      index: this.gatewayConnections.length + 1,
      query,
      openedAt: performance.now(),
      received: [],
      identified: false,
      resumed: false,
    };
    this.gatewayConnections.push(info);
    const conn: Conn = { ws, info };
    this.conns.add(conn);
    ws.on('error', () => {
      /* connection errors surface as close */
    });
    ws.on('close', (code) => {
      info.closedAt = performance.now();
      info.closeCode = code;
      this.conns.delete(conn);
      if (this.active === conn) this.active = undefined;
      // Like Discord: a client closing with 1000/1001 ends the session.
      if ((code === 1000 || code === 1001) && conn.session) {
        conn.session.invalidated = true;
        this.sessions.delete(conn.session.id);
      }
      this.notify();
    });
    if ((query.encoding ?? 'json') !== 'json' || query.compress) {
      this.errors.push(`unsupported gateway params ${JSON.stringify(query)} (only encoding=json, no compress)`);
      ws.close(4012, 'fake-discord supports encoding=json without compression only');
      return;
    }
    ws.on('message', (raw, isBinary) => this.onGatewayMessage(conn, raw, isBinary));
    this.sendFrame(conn, { op: 10, d: { heartbeat_interval: this.opts.heartbeatIntervalMs, _trace: ['fake-discord'] }, s: null, t: null });
  }

  private sendFrame(conn: Conn, frame: Json): void {
    if (conn.ws.readyState !== WebSocket.OPEN) return;
    if (frame.t === 'INTERACTION_CREATE') {
      const p = this.interactions.get(frame.d.id);
      if (p && p.sentAt === undefined) p.sentAt = performance.now();
    }
    conn.ws.send(JSON.stringify(frame));
  }

  private onGatewayMessage(conn: Conn, raw: WebSocket.RawData, isBinary: boolean): void {
    if (isBinary) {
      this.errors.push('binary gateway frame received');
      conn.ws.close(4002, 'Error while decoding payload.');
      return;
    }
    let msg: Json;
    try {
      msg = JSON.parse(raw.toString());
    } catch {
      conn.ws.close(4002, 'Error while decoding payload.');
      return;
    }
    conn.info.received.push(msg.op);
    switch (msg.op) {
      case 1: {
        this.heartbeatsReceived++;
        if (this.heartbeatsToSkip > 0) {
          this.heartbeatsToSkip--;
          break;
        }
        this.heartbeatsAcked++;
        this.sendFrame(conn, { op: 11, d: null, s: null, t: null });
        break;
      }
      case 2:
        this.onIdentify(conn, msg.d ?? {});
        break;
      case 6:
        this.onResume(conn, msg.d ?? {});
        break;
      case 3: // presence update
      case 4: // voice state
      case 8: // request guild members
      case 31: // request soundboard sounds
        if (!conn.session) conn.ws.close(4003, 'Not authenticated.');
        break;
      default:
        this.errors.push(`unknown gateway opcode ${String(msg.op)}`);
        conn.ws.close(4001, 'Unknown opcode.');
    }
    this.notify();
  }

  private onIdentify(conn: Conn, d: Json): void {
    this.identifies.push({ ...d, token: d.token === this.token ? '<valid>' : '<invalid>' });
    if (conn.session) {
      conn.ws.close(4005, 'Already authenticated.');
      return;
    }
    if (d.token !== this.token) {
      conn.ws.close(4004, 'Authentication failed.');
      return;
    }
    const session: Session = { id: randomBytes(16).toString('hex'), seq: 0, buffer: [], invalidated: false };
    if (this.session) this.session.invalidated = true;
    this.session = session;
    this.sessions.set(session.id, session);
    conn.session = session;
    conn.info.identified = true;
    this.active = conn;
    const shard = Array.isArray(d.shard) ? d.shard : [0, 1];
    this.dispatch('READY', {
      v: 10,
      user: this.botUser,
      user_settings: {},
      guilds: this.guilds.map((g) => ({ id: g.id, unavailable: true })),
      relationships: [],
      private_channels: [],
      presences: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: ['fake'],
      session_type: 'normal',
      session_id: session.id,
      resume_gateway_url: this.gatewayUrl,
      shard,
      application: { id: this.applicationId, flags: 0 },
      _trace: ['fake-discord'],
    });
    for (const g of this.guilds) this.dispatch('GUILD_CREATE', this.guildCreatePayload(g));
  }

  private onResume(conn: Conn, d: Json): void {
    this.resumes.push({ ...d, token: d.token === this.token ? '<valid>' : '<invalid>' });
    const session = typeof d.session_id === 'string' ? this.sessions.get(d.session_id) : undefined;
    if (d.token !== this.token) {
      conn.ws.close(4004, 'Authentication failed.');
      return;
    }
    if (!session || session.invalidated || session !== this.session) {
      this.sendFrame(conn, { op: 9, d: false, s: null, t: null });
      return;
    }
    const seq = Number(d.seq ?? 0);
    if (seq > session.seq) {
      conn.ws.close(4007, 'Invalid seq.');
      return;
    }
    // Take over: any other connection of this session is stale.
    for (const other of this.conns) if (other !== conn && other.session === session) other.ws.terminate();
    conn.session = session;
    conn.info.resumed = true;
    this.active = conn;
    for (const frame of session.buffer) if (frame.s > seq) this.sendFrame(conn, frame);
    this.dispatch('RESUMED', { _trace: ['fake-discord'] });
  }

  // ------------------------------------------------------------------------------------------ guild payloads

  private normalizeGuild(g: FakeGuild): FakeGuildState {
    const everyonePermissions = g.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS;
    const botPermissions = g.botPermissions ?? '0';
    const botRoleId = stableSnowflake(`botrole:${g.id}`);
    const role = (r: FakeRole, position: number): Json => ({
      name: `role-${r.id.slice(-4)}`,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      position,
      permissions: '0',
      managed: false,
      mentionable: false,
      flags: 0,
      ...r,
    });
    const roles = [
      role({ id: g.id, name: '@everyone', permissions: everyonePermissions }, 0),
      role({ id: botRoleId, name: this.botUser.username, permissions: botPermissions, managed: true, tags: { bot_id: this.botUser.id } }, 1),
      ...(g.roles ?? []).map((r, i) => role(r, r.position ?? i + 2)),
    ];
    const channels = (g.channels ?? []).map((c, i) => ({
      type: 0,
      name: `channel-${c.id.slice(-4)}`,
      position: i,
      permission_overwrites: [],
      parent_id: null,
      nsfw: false,
      topic: null,
      last_message_id: null,
      rate_limit_per_user: 0,
      flags: 0,
      ...c,
      guild_id: g.id,
    }));
    const member = (m: FakeMember): Json => memberJson(fullUser(m.user), m.roles ?? [], m.nick ?? null);
    const members = [member({ user: this.botUser, roles: [botRoleId] }), ...(g.members ?? []).map(member)];
    return {
      id: g.id,
      name: g.name ?? `guild-${g.id.slice(-4)}`,
      ownerId: g.ownerId ?? DEFAULT_USER.id,
      preferredLocale: g.preferredLocale ?? 'en-US',
      channels,
      roles,
      members,
      everyonePermissions,
      botPermissions,
      botRoleId,
    };
  }

  private restGuildPayload(g: FakeGuildState): Json {
    return {
      id: g.id,
      name: g.name,
      icon: null,
      icon_hash: null,
      splash: null,
      discovery_splash: null,
      owner_id: g.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: g.roles,
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      max_presences: null,
      max_members: 500_000,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: g.preferredLocale,
      public_updates_channel_id: null,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
      incidents_data: null,
    };
  }

  private guildCreatePayload(g: FakeGuildState): Json {
    return {
      ...this.restGuildPayload(g),
      joined_at: '2024-01-01T00:00:00.000Z',
      large: false,
      unavailable: false,
      member_count: g.members.length,
      voice_states: [],
      members: g.members,
      channels: g.channels,
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      lazy: true,
    };
  }

  // ------------------------------------------------------------------------------------------ messages

  private makeMessage(
    channelId: string,
    body: Json,
    extra: { author?: Json; guildId?: string | undefined; webhookId?: string; interaction?: Json; files?: RecordedFile[] },
  ): Json {
    const id = snowflake();
    const attachments = (extra.files ?? []).map((f, i) => ({
      id: snowflake(),
      filename: body?.attachments?.[i]?.filename ?? f.filename,
      size: f.size,
      content_type: f.contentType,
      url: `https://cdn.discordapp.com/attachments/${channelId}/${id}/${f.filename}`,
      proxy_url: `https://media.discordapp.net/attachments/${channelId}/${id}/${f.filename}`,
    }));
    const msg: Json = {
      id,
      type: extra.interaction ? 20 : 0,
      channel_id: channelId,
      author: extra.author ?? this.botUser,
      content: body?.content ?? '',
      timestamp: isoNow(),
      edited_timestamp: null,
      tts: body?.tts ?? false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      mention_channels: [],
      attachments,
      embeds: (body?.embeds ?? []).map((e: Json) => ({ type: 'rich', ...e })),
      reactions: [],
      pinned: false,
      flags: body?.flags ?? 0,
      components: body?.components ?? [],
      ...(extra.guildId ? { guild_id: extra.guildId } : {}),
      ...(body?.nonce !== undefined ? { nonce: body.nonce } : {}),
      ...(body?.message_reference ? { message_reference: body.message_reference } : {}),
      ...(body?.poll ? { poll: body.poll } : {}),
      ...(extra.webhookId ? { webhook_id: extra.webhookId, application_id: this.applicationId } : {}),
      ...(extra.interaction ? { interaction_metadata: extra.interaction } : {}),
    };
    return msg;
  }

  private editMessage(msg: Json, body: Json, files: RecordedFile[]): Json {
    for (const key of ['content', 'components', 'flags', 'poll'] as const) {
      if (body?.[key] !== undefined) msg[key] = body[key] ?? (key === 'content' ? '' : key === 'flags' ? 0 : null);
    }
    if (body?.embeds !== undefined) msg.embeds = (body.embeds ?? []).map((e: Json) => ({ type: 'rich', ...e }));
    if (body?.attachments !== undefined || files.length) {
      const kept = (body?.attachments ?? msg.attachments ?? []).filter((a: Json) => msg.attachments?.some((x: Json) => x.id === a.id));
      const added = this.makeMessage(msg.channel_id, {}, { files }).attachments;
      msg.attachments = [...kept, ...added];
    }
    msg.flags = (Number(msg.flags ?? 0) & ~128) >>> 0; // editing clears LOADING
    msg.edited_timestamp = isoNow();
    return msg;
  }

  private validateMessage(body: Json, files: RecordedFile[], creating: boolean): FakeResponse | undefined {
    if (!this.opts.validate) return undefined;
    const content = body?.content;
    if (typeof content === 'string' && content.length > 2000) {
      return formError('content', 'BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
    }
    const embeds: Json[] | undefined = body?.embeds ?? undefined;
    if (embeds && embeds.length > 10) return formError('embeds', 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
    let total = 0;
    for (const e of embeds ?? []) {
      if ((e.title?.length ?? 0) > 256) return formError('embeds', 'BASE_TYPE_MAX_LENGTH', 'Embed title must be 256 or fewer in length.');
      if ((e.description?.length ?? 0) > 4096) return formError('embeds', 'BASE_TYPE_MAX_LENGTH', 'Embed description must be 4096 or fewer in length.');
      if ((e.fields?.length ?? 0) > 25) return formError('embeds', 'BASE_TYPE_MAX_LENGTH', 'Embed fields must be 25 or fewer in length.');
      total += (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text?.length ?? 0) + (e.author?.name?.length ?? 0);
      for (const f of e.fields ?? []) {
        if ((f.name?.length ?? 0) > 256 || (f.value?.length ?? 0) > 1024) {
          return formError('embeds', 'BASE_TYPE_MAX_LENGTH', 'Embed field name ≤ 256 and value ≤ 1024.');
        }
        total += (f.name?.length ?? 0) + (f.value?.length ?? 0);
      }
    }
    if (total > 6000) return formError('embeds', 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
    if (creating) {
      const empty =
        !(typeof content === 'string' && content.length > 0) &&
        !(embeds && embeds.length) &&
        !(body?.components && body.components.length) &&
        !(body?.sticker_ids && body.sticker_ids.length) &&
        !body?.poll &&
        files.length === 0;
      if (empty) return errorResponse(400, 50006, 'Cannot send an empty message');
    }
    return undefined;
  }

  // ------------------------------------------------------------------------------------------ HTTP plumbing

  private async onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    const receivedAtEpochMs = Date.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const apiMatch = /^\/api(?:\/v\d+)?(\/.*)$/.exec(url.pathname);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      if (k === 'authorization' || v === undefined) continue;
      headers[k] = Array.isArray(v) ? v.join(', ') : v;
    }
    const auth = req.headers.authorization;
    const recorded: RecordedRequest = {
      seq: this.requests.length + 1,
      method: (req.method ?? 'GET').toUpperCase(),
      path: decodePath(apiMatch?.[1] ?? url.pathname),
      url: req.url ?? '/',
      query: Object.fromEntries(url.searchParams),
      headers,
      authorization: auth === undefined ? 'none' : auth === `Bot ${this.token}` ? 'valid' : 'invalid',
      body: null,
      rawBody: '',
      files: [],
      receivedAt,
      receivedAtEpochMs,
    };
    this.requests.push(recorded);

    let response: FakeResponse;
    try {
      const parseError = await this.parseBody(recorded, raw, headers['content-type'] ?? '');
      response = parseError ?? (apiMatch ? await this.handle(recorded) : NOT_FOUND);
    } catch (error) {
      this.errors.push(`handler error for ${recorded.method} ${recorded.path}: ${String(error)}`);
      response = errorResponse(500, 0, `500: fake-discord handler error: ${String(error)}`);
    }
    await this.respond(req, res, recorded, response);
  }

  private async parseBody(recorded: RecordedRequest, raw: Buffer, contentType: string): Promise<FakeResponse | undefined> {
    if (raw.length === 0) return undefined;
    if (contentType.startsWith('multipart/form-data')) {
      recorded.rawBody = `<multipart ${raw.length} bytes>`;
      const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
      for (const [field, value] of form.entries()) {
        if (typeof value === 'string') {
          if (field === 'payload_json') recorded.body = JSON.parse(value);
        } else {
          recorded.files.push({ field, filename: value.name, contentType: value.type, size: value.size });
        }
      }
      return undefined;
    }
    recorded.rawBody = raw.toString('utf8');
    if (contentType.startsWith('application/json')) {
      try {
        recorded.body = JSON.parse(recorded.rawBody);
      } catch {
        return errorResponse(400, 50109, 'The request body contains invalid JSON.');
      }
    }
    return undefined;
  }

  private async handle(r: RecordedRequest): Promise<FakeResponse> {
    const ruleIndex = this.onceRules.findIndex((rule) => methodMatches(rule.method, r.method) && rule.matches(r.path));
    if (ruleIndex >= 0) {
      const [rule] = this.onceRules.splice(ruleIndex, 1);
      if (rule?.action.kind === 'respond') return rule.action.response;
      if (rule?.action.kind === 'delay') await this.sleep(rule.action.ms);
    }
    for (const o of [...this.overrides]) {
      if (!methodMatches(o.method, r.method) || !o.matches(r.path)) continue;
      const out = await o.handler(r);
      if (out) return out;
    }
    for (const route of this.builtins) {
      if (route.method !== r.method) continue;
      const m = route.re.exec(r.path);
      if (!m) continue;
      if (route.auth && r.authorization !== 'valid') return errorResponse(401, 0, '401: Unauthorized');
      return route.handle(r, m.slice(1) as string[]);
    }
    return NOT_FOUND;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  private async respond(req: IncomingMessage, res: ServerResponse, r: RecordedRequest, fr: FakeResponse): Promise<void> {
    if (fr.delayMs) await this.sleep(fr.delayMs);
    if (this.stopped || res.destroyed) return;
    if (fr.drop) {
      r.status = 0;
      r.respondedAt = performance.now();
      req.socket.destroy();
      this.notify();
      return;
    }
    const status = fr.status ?? (fr.body === undefined ? 204 : 200);
    const headers: Record<string, string> = {
      via: '1.1 fake-discord',
      date: new Date().toUTCString(),
    };
    if (status !== 429 && !r.path.startsWith('/interactions/')) {
      const bucket = createHash('sha1').update(`${r.method}:${r.path.replace(/\d{16,20}/g, ':id')}`).digest('hex').slice(0, 16);
      Object.assign(headers, {
        'x-ratelimit-bucket': bucket,
        'x-ratelimit-limit': '50',
        'x-ratelimit-remaining': '49',
        'x-ratelimit-reset': ((Date.now() + 1000) / 1000).toFixed(3),
        'x-ratelimit-reset-after': '1.000',
      });
    }
    let payload: string | undefined;
    if (fr.body !== undefined && status !== 204) {
      if (typeof fr.body === 'string') {
        payload = fr.body;
        headers['content-type'] = 'text/plain; charset=utf-8';
      } else {
        payload = JSON.stringify(fr.body);
        headers['content-type'] = 'application/json';
      }
    }
    Object.assign(headers, Object.fromEntries(Object.entries(fr.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])));
    r.status = status;
    r.responseBody = fr.body;
    r.respondedAt = performance.now();
    res.writeHead(status, headers);
    res.end(payload);
    this.notify();
  }

  // ------------------------------------------------------------------------------------------ built-in routes

  private buildRoutes(): BuiltinRoute[] {
    const S = '([^/]+)';
    const route = (method: string, path: string, handle: BuiltinRoute['handle'], auth = true): BuiltinRoute => ({
      method,
      re: new RegExp(`^${path.replace(/:\w+/g, S)}$`),
      auth,
      handle,
    });
    const ok = (body: Json, status = 200): FakeResponse => ({ status, body });
    const noContent: FakeResponse = { status: 204 };
    const gateway = (): Json => ({ url: this.gatewayUrl });
    return [
      route('GET', '/gateway', () => ok(gateway()), false),
      route('GET', '/gateway/bot', () =>
        ok({
          ...gateway(),
          shards: 1,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
        }),
      ),
      route('GET', '/users/@me', () => ok(this.botUser)),
      route('GET', '/users/:id', (_r, [id]) => {
        if (id === this.botUser.id) return ok(this.botUser);
        for (const g of this.guilds) {
          const m = g.members.find((x) => x.user.id === id);
          if (m) return ok(m.user);
        }
        if (id === DEFAULT_USER.id) return ok(fullUser(DEFAULT_USER));
        return errorResponse(404, 10013, 'Unknown User');
      }),
      route('GET', '/applications/@me', () =>
        ok({
          id: this.applicationId,
          name: this.botUser.username,
          icon: null,
          description: '',
          bot_public: false,
          bot_require_code_grant: false,
          flags: 0,
          verify_key: 'fake',
          team: null,
          owner: fullUser(DEFAULT_USER),
          bot: this.botUser,
          approximate_guild_count: this.guilds.length,
          install_params: { scopes: ['bot', 'applications.commands'], permissions: '0' },
          integration_types_config: { '0': {} },
        }),
      ),
      // ---- application commands
      route('GET', '/applications/:app/commands', (_r, [app]) => this.listCommands(app, 'global')),
      route('PUT', '/applications/:app/commands', (r, [app]) => this.putCommands(app, 'global', r.body)),
      route('POST', '/applications/:app/commands', (r, [app]) => this.upsertCommand(app, 'global', r.body)),
      route('DELETE', '/applications/:app/commands/:id', (_r, [app, id]) => this.deleteCommand(app, 'global', id)),
      route('GET', '/applications/:app/guilds/:guild/commands', (_r, [app, g]) => this.listCommands(app, g)),
      route('PUT', '/applications/:app/guilds/:guild/commands', (r, [app, g]) => this.putCommands(app, g, r.body)),
      route('POST', '/applications/:app/guilds/:guild/commands', (r, [app, g]) => this.upsertCommand(app, g, r.body)),
      route('DELETE', '/applications/:app/guilds/:guild/commands/:id', (_r, [app, g, id]) => this.deleteCommand(app, g, id)),
      // ---- interactions
      route('POST', '/interactions/:id/:token/callback', (r, [id, token]) => this.onCallback(r, id ?? '', token ?? ''), false),
      route('GET', '/webhooks/:app/:token/messages/:message', (_r, [app, t, m]) => this.webhookGet(app, t, m), false),
      route('PATCH', '/webhooks/:app/:token/messages/:message', (r, [app, t, m]) => this.webhookEdit(r, app, t, m), false),
      route('DELETE', '/webhooks/:app/:token/messages/:message', (_r, [app, t, m]) => this.webhookDelete(app, t, m), false),
      route('POST', '/webhooks/:app/:token', (r, [app, t]) => this.webhookFollowup(r, app, t), false),
      // ---- channels
      route('GET', '/channels/:id', (_r, [id]) => {
        const c = this.channels.get(id ?? '');
        return c ? ok(c) : errorResponse(404, 10003, 'Unknown Channel');
      }),
      route('POST', '/channels/:id/messages', (r, [id]) => this.createChannelMessage(r, id ?? '')),
      route('GET', '/channels/:id/messages/:mid', (_r, [cid, mid]) => {
        const m = this.messages.get(mid ?? '');
        return m && m.channel_id === cid ? ok(m) : errorResponse(404, 10008, 'Unknown Message');
      }),
      route('PATCH', '/channels/:id/messages/:mid', (r, [cid, mid]) => {
        const m = this.messages.get(mid ?? '');
        if (!m || m.channel_id !== cid) return errorResponse(404, 10008, 'Unknown Message');
        return this.validateMessage(r.body, r.files, false) ?? ok(this.editMessage(m, r.body, r.files));
      }),
      route('DELETE', '/channels/:id/messages/:mid', (_r, [cid, mid]) => {
        const m = this.messages.get(mid ?? '');
        if (!m || m.channel_id !== cid) return errorResponse(404, 10008, 'Unknown Message');
        this.messages.delete(m.id);
        return noContent;
      }),
      route('POST', '/channels/:id/typing', (_r, [id]) =>
        this.channels.has(id ?? '') ? noContent : errorResponse(404, 10003, 'Unknown Channel'),
      ),
      // ---- guilds
      route('GET', '/guilds/:id', (r, [id]) => {
        const g = this.guilds.find((x) => x.id === id);
        if (!g) return errorResponse(404, 10004, 'Unknown Guild');
        const body = this.restGuildPayload(g);
        if (r.query.with_counts === 'true') Object.assign(body, { approximate_member_count: g.members.length, approximate_presence_count: 1 });
        return ok(body);
      }),
      route('GET', '/guilds/:id/channels', (_r, [id]) => {
        const g = this.guilds.find((x) => x.id === id);
        return g ? ok(g.channels) : errorResponse(404, 10004, 'Unknown Guild');
      }),
      route('GET', '/guilds/:id/roles', (_r, [id]) => {
        const g = this.guilds.find((x) => x.id === id);
        return g ? ok(g.roles) : errorResponse(404, 10004, 'Unknown Guild');
      }),
      route('GET', '/guilds/:id/members/:uid', (_r, [id, uid]) => {
        const g = this.guilds.find((x) => x.id === id);
        if (!g) return errorResponse(404, 10004, 'Unknown Guild');
        const m = g.members.find((x) => x.user.id === uid);
        return m ? ok(m) : errorResponse(404, 10007, 'Unknown Member');
      }),
    ];
  }

  // ---- commands

  private commandScope(app: string | undefined, scope: string | undefined): FakeResponse | undefined {
    if (app !== this.applicationId) return errorResponse(403, 50001, 'Missing Access');
    if (scope !== 'global' && !this.guilds.some((g) => g.id === scope)) return errorResponse(403, 50001, 'Missing Access');
    return undefined;
  }

  private listCommands(app: string | undefined, scope: string | undefined): FakeResponse {
    return this.commandScope(app, scope) ?? { status: 200, body: this.commands.get(scope ?? '') ?? [] };
  }

  private normalizeCommand(scope: string, body: Json, existing: Json | undefined): Json {
    return {
      type: 1,
      description: '',
      options: [],
      default_member_permissions: null,
      nsfw: false,
      description_localizations: null,
      name_localizations: null,
      ...body,
      id: existing?.id ?? snowflake(),
      application_id: this.applicationId,
      version: snowflake(),
      ...(scope === 'global' ? {} : { guild_id: scope }),
    };
  }

  private putCommands(app: string | undefined, scope: string | undefined, body: Json): FakeResponse {
    const bad = this.commandScope(app, scope);
    if (bad) return bad;
    if (!Array.isArray(body)) return formError('_root', 'ARRAY_TYPE_CONVERT', 'Must be an array.');
    if (body.length > 100) return formError('_root', 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
    const old = this.commands.get(scope ?? '') ?? [];
    const next = body.map((c: Json) => this.normalizeCommand(scope ?? '', c, old.find((o) => o.name === c.name && (o.type ?? 1) === (c.type ?? 1))));
    this.commands.set(scope ?? '', next);
    return { status: 200, body: next };
  }

  private upsertCommand(app: string | undefined, scope: string | undefined, body: Json): FakeResponse {
    const bad = this.commandScope(app, scope);
    if (bad) return bad;
    const list = this.commands.get(scope ?? '') ?? [];
    const i = list.findIndex((o) => o.name === body?.name);
    const cmd = this.normalizeCommand(scope ?? '', body, list[i]);
    if (i >= 0) list[i] = cmd;
    else list.push(cmd);
    this.commands.set(scope ?? '', list);
    return { status: i >= 0 ? 200 : 201, body: cmd };
  }

  private deleteCommand(app: string | undefined, scope: string | undefined, id: string | undefined): FakeResponse {
    const bad = this.commandScope(app, scope);
    if (bad) return bad;
    const list = this.commands.get(scope ?? '') ?? [];
    const i = list.findIndex((o) => o.id === id);
    if (i < 0) return errorResponse(404, 10063, 'Unknown application command');
    list.splice(i, 1);
    return { status: 204 };
  }

  // ---- interaction callback + webhooks

  private onCallback(r: RecordedRequest, id: string, token: string): FakeResponse {
    const p = this.interactions.get(id);
    if (!p || p.payload.token !== token) return errorResponse(404, 10062, 'Unknown interaction');
    if (p.callback) return errorResponse(400, 40060, 'Interaction has already been acknowledged.');
    const body = r.body ?? {};
    const type = Number(body.type);
    const data = body.data;
    const interactionType = p.payload.type;
    const guildId: string | undefined = p.payload.guild_id;
    const channelId: string = p.payload.channel?.id ?? p.payload.channel_id;
    const allowed: Record<number, number[]> = { 1: [1], 2: [4, 5, 9], 3: [4, 5, 6, 7, 9], 4: [8], 5: [4, 5, 6, 7] };
    if (type === 1 || !(allowed[interactionType] ?? []).includes(type)) {
      return errorResponse(400, 40043, `Interaction callback type ${type} is invalid for interaction type ${interactionType}`);
    }
    let message: Json | undefined;
    if (type === 4) {
      const invalid = this.validateMessage(data, r.files, true);
      if (invalid) return invalid;
    }
    if (type === 7 && this.opts.validate) {
      const invalid = this.validateMessage(data, r.files, false);
      if (invalid) return invalid;
    }
    if (type === 8 && this.opts.validate) {
      const choices: Json[] = data?.choices ?? [];
      if (choices.length > 25) return formError('data.choices', 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      if (choices.some((c) => typeof c.name !== 'string' || c.name.length < 1 || c.name.length > 100)) {
        return formError('data.choices', 'BASE_TYPE_BAD_LENGTH', 'Choice name must be between 1 and 100 in length.');
      }
    }
    const interactionMeta = this.interactionMetadata(p);
    if (type === 4 || type === 5) {
      const flags = Number(data?.flags ?? 0) & 64;
      message = this.makeMessage(channelId, type === 4 ? data : { content: '', flags: flags | 128 }, {
        author: this.botUser,
        guildId,
        webhookId: this.applicationId,
        interaction: interactionMeta,
        files: r.files,
      });
      if (type === 4) message.flags = Number(data?.flags ?? 0);
      this.messages.set(message.id, message);
      p.originalMessageId = message.id;
    } else if ((type === 6 || type === 7) && p.componentMessageId) {
      message = this.messages.get(p.componentMessageId);
      if (message && type === 7) this.editMessage(message, data, r.files);
      if (message) p.originalMessageId = message.id;
    }
    const callback: InteractionCallback = {
      interactionId: id,
      token,
      type,
      data,
      body,
      withResponse: r.query.with_response === 'true',
      latencyMs: p.sentAt === undefined ? Number.NaN : r.receivedAt - p.sentAt,
      interaction: p.payload,
      request: r,
    };
    p.callback = callback;
    this.callbacks.push(callback);
    if (!callback.withResponse) return { status: 204 };
    return {
      status: 200,
      body: {
        interaction: {
          id,
          type: interactionType,
          activity_instance_id: null,
          response_message_id: message?.id ?? null,
          response_message_loading: type === 5,
          response_message_ephemeral: ((Number(message?.flags ?? 0) & 64) !== 0),
        },
        resource: { type, ...(message ? { message } : {}) },
      },
    };
  }

  /** `interaction_metadata` of messages created by an interaction (discord.js requires `user`). */
  private interactionMetadata(p: PendingInteraction): Json {
    return {
      id: p.payload.id,
      type: p.payload.type,
      user: p.payload.member?.user ?? p.payload.user,
      authorizing_integration_owners: p.payload.authorizing_integration_owners,
      ...(p.payload.type === 2 ? { name: p.payload.data?.name, command_type: p.payload.data?.type ?? 1 } : {}),
      ...(p.payload.type === 3 && p.componentMessageId ? { interacted_message_id: p.componentMessageId } : {}),
    };
  }

  private webhookTarget(app: string | undefined, token: string | undefined): PendingInteraction | FakeResponse {
    const p = token ? this.interactionsByToken.get(token) : undefined;
    if (app !== this.applicationId || !p) return errorResponse(404, 10015, 'Unknown Webhook');
    return p;
  }

  private resolveWebhookMessage(p: PendingInteraction, messageId: string | undefined): Json | undefined {
    const id = messageId === '@original' ? p.originalMessageId : messageId;
    if (!id || (id !== p.originalMessageId && !p.followups.has(id))) return undefined;
    return this.messages.get(id);
  }

  private webhookGet(app: string | undefined, token: string | undefined, messageId: string | undefined): FakeResponse {
    const p = this.webhookTarget(app, token);
    if (!('payload' in p)) return p;
    const m = this.resolveWebhookMessage(p, messageId);
    return m ? { status: 200, body: m } : errorResponse(404, 10008, 'Unknown Message');
  }

  private webhookEdit(r: RecordedRequest, app: string | undefined, token: string | undefined, messageId: string | undefined): FakeResponse {
    const p = this.webhookTarget(app, token);
    if (!('payload' in p)) return p;
    const m = this.resolveWebhookMessage(p, messageId);
    if (!m) return errorResponse(404, 10008, 'Unknown Message');
    const invalid = this.validateMessage(r.body, r.files, false);
    if (invalid) return invalid;
    return { status: 200, body: this.editMessage(m, r.body, r.files) };
  }

  private webhookDelete(app: string | undefined, token: string | undefined, messageId: string | undefined): FakeResponse {
    const p = this.webhookTarget(app, token);
    if (!('payload' in p)) return p;
    const m = this.resolveWebhookMessage(p, messageId);
    if (!m) return errorResponse(404, 10008, 'Unknown Message');
    this.messages.delete(m.id);
    if (m.id === p.originalMessageId) delete p.originalMessageId;
    p.followups.delete(m.id);
    return { status: 204 };
  }

  private webhookFollowup(r: RecordedRequest, app: string | undefined, token: string | undefined): FakeResponse {
    const p = this.webhookTarget(app, token);
    if (!('payload' in p)) return p;
    if (!p.callback) return errorResponse(404, 10015, 'Unknown Webhook');
    const invalid = this.validateMessage(r.body, r.files, true);
    if (invalid) return invalid;
    const channelId: string = p.payload.channel?.id ?? p.payload.channel_id;
    const message = this.makeMessage(channelId, r.body, {
      author: this.botUser,
      guildId: p.payload.guild_id,
      webhookId: this.applicationId,
      interaction: {
        ...this.interactionMetadata(p),
        ...(p.originalMessageId ? { original_response_message_id: p.originalMessageId } : {}),
      },
      files: r.files,
    });
    this.messages.set(message.id, message);
    p.followups.add(message.id);
    return r.query.wait === 'true' ? { status: 200, body: message } : { status: 204 };
  }

  // ---- channel messages

  private createChannelMessage(r: RecordedRequest, channelId: string): FakeResponse {
    const channel = this.channels.get(channelId);
    if (!channel) return errorResponse(404, 10003, 'Unknown Channel');
    const body = r.body ?? {};
    const invalid = this.validateMessage(body, r.files, true);
    if (invalid) return invalid;
    const now = Date.now();
    const nonceKey = body.nonce !== undefined && body.enforce_nonce === true ? `${channelId}:${String(body.nonce)}` : undefined;
    if (nonceKey) {
      const seen = this.nonces.get(nonceKey);
      const prior = seen && now - seen.at <= this.opts.nonceWindowMs ? this.messages.get(seen.messageId) : undefined;
      if (prior) return { status: 200, body: prior };
    }
    const message = this.makeMessage(channelId, body, { author: this.botUser, guildId: channel.guild_id, files: r.files });
    this.messages.set(message.id, message);
    channel.last_message_id = message.id;
    if (nonceKey) this.nonces.set(nonceKey, { messageId: message.id, at: now });
    return { status: 200, body: message };
  }
}
