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
 * The gateway speaks JSON text frames only (no zlib / etf). One session per shard (`shard: [id, count]` in
 * IDENTIFY, `[0, 1]` by default; `shardCount` sets what GET /gateway/bot recommends): IDENTIFY → READY
 * (+ GUILD_CREATE per guild the shard owns), RESUME → replay of missed dispatches + RESUMED, a guild's events
 * and interactions on its owner shard only (`(guild_id >> 22) % count`), DMs on shard 0;
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
 * The implementation is split by concern in this folder:
 * - `types.ts`: public types (options, recorded requests, interaction specs) and internal state records;
 * - `builders.ts`: snowflakes, users, members, tokens and the interaction spec builders (`slashCommand`…);
 * - `state.ts`: the mutable state one fake holds and the waiting machinery (`waitUntil`/`notify`);
 * - `gateway.ts`: WebSocket gateway (HELLO, heartbeats, IDENTIFY/RESUME, dispatch, gateway faults);
 * - `http.ts`: HTTP plumbing (recording, body parsing, dispatch to rules/overrides/routes, response headers);
 * - `rest-routes.ts`: the built-in REST routes; `commands.ts`: application commands;
 * - `interactions.ts`: INTERACTION_CREATE payloads, callbacks and interaction webhooks;
 * - `messages.ts`: message objects, validation, channel messages with nonce deduplication;
 * - `guilds.ts`: guild defaults and payloads; `responses.ts`: error bodies and path matching;
 * - `faults.ts`: route overrides and canned/delayed responses; `rate-limits.ts`: 429s and rate-limit headers.
 * This file holds {@link FakeDiscord}, the facade tests use; `test/support/fake-discord.ts` re-exports it.
 *
 * @module
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { clearFaults, delayNext, failNext, route } from './faults.ts';
import { dispatch, dropConnection, onGatewayConnection, sendInvalidSession, sendRaw, sendReconnect } from './gateway.ts';
import { onHttp } from './http.ts';
import { buildInteraction, dispatchInteraction, originalMessage, webhookRequests } from './interactions.ts';
import { rateLimitNext } from './rate-limits.ts';
import { buildRoutes } from './rest-routes.ts';
import { FakeDiscordState } from './state.ts';
import type {
  DispatchedInteraction,
  FakeDiscordOptions,
  FakeGuildState,
  FakeResponse,
  GatewayConnectionInfo,
  InteractionCallback,
  InteractionSpec,
  Json,
  RecordedRequest,
} from './types.ts';

export { autocomplete, button, guildIdOnShard, modalSubmit, noIdentifyThrottle, slashCommand, snowflake, stringSelect } from './builders.ts';
export type {
  AutocompleteSpec,
  ComponentSpec,
  DispatchedInteraction,
  FakeChannel,
  FakeDiscordOptions,
  FakeGuild,
  FakeGuildState,
  FakeMember,
  FakeResponse,
  FakeRole,
  FakeUser,
  GatewayConnectionInfo,
  InteractionCallback,
  InteractionContextSpec,
  InteractionSpec,
  Json,
  ModalSubmitSpec,
  OptionsSpec,
  OptionValue,
  RawInteractionSpec,
  RecordedFile,
  RecordedRequest,
  SlashCommandSpec,
} from './types.ts';

/** Local fake Discord (gateway + REST). Create with {@link FakeDiscord.start}. */
export class FakeDiscord {
  /** Every REST request, in arrival order. */
  readonly requests: RecordedRequest[];
  /** Every interaction callback, in arrival order. */
  readonly callbacks: InteractionCallback[];
  /** Every gateway connection ever opened. */
  readonly gatewayConnections: GatewayConnectionInfo[];
  /** IDENTIFY payloads received (token redacted). */
  readonly identifies: Json[];
  /** RESUME payloads received (token redacted). */
  readonly resumes: Json[];
  /** Every message the fake holds (channel messages, interaction originals and followups), by id. */
  readonly messages: Map<string, Json>;
  /** Registered application commands: key 'global' or a guild id. */
  readonly commands: Map<string, Json[]>;
  /** Non-fatal protocol problems noticed (unsupported encoding, bad payloads...). */
  readonly errors: string[];

  readonly applicationId: string;
  readonly token: string;
  readonly botUser: Json;
  readonly guilds: FakeGuildState[];

  private readonly state: FakeDiscordState;
  private readonly server: Server;
  private readonly wss: WebSocketServer;

  private constructor(options: FakeDiscordOptions) {
    const s = new FakeDiscordState(options);
    this.state = s;
    this.requests = s.requests;
    this.callbacks = s.callbacks;
    this.gatewayConnections = s.gatewayConnections;
    this.identifies = s.identifies;
    this.resumes = s.resumes;
    this.messages = s.messages;
    this.commands = s.commands;
    this.errors = s.errors;
    this.applicationId = s.applicationId;
    this.token = s.token;
    this.botUser = s.botUser;
    this.guilds = s.guilds;
    s.builtins = buildRoutes(s);
    this.server = createServer((req, res) => void onHttp(s, req, res));
    this.server.keepAliveTimeout = 5_000;
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      this.wss.handleUpgrade(req, socket, head, (ws) => onGatewayConnection(s, ws, req));
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
    fake.state.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** Heartbeats received. */
  get heartbeatsReceived(): number {
    return this.state.heartbeatsReceived;
  }

  /** Heartbeats acknowledged. */
  get heartbeatsAcked(): number {
    return this.state.heartbeatsAcked;
  }

  /** How many REST requests the global limit (`globalRequestsPerSecond`) refused with a 429. */
  get globalRateLimited(): number {
    return this.state.globalRateLimited;
  }

  /** `http://127.0.0.1:PORT/api`, for `new Client({ rest: { api } })`. */
  get apiUrl(): string {
    return this.state.apiUrl;
  }

  /** `ws://127.0.0.1:PORT` (what GET /gateway/bot announces and READY's resume_gateway_url points to). */
  get gatewayUrl(): string {
    return this.state.gatewayUrl;
  }

  /** Port the fake listens on. */
  get listeningPort(): number {
    return this.state.port;
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
    return this.state.session?.seq ?? 0;
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
    return this.state.connected;
  }

  /** Shard ids with an open, identified/resumed connection, ascending. */
  get connectedShards(): number[] {
    return this.state.connectedShards;
  }

  /** The shard that receives a guild's events under the shard count the clients identified with (0 for DMs). */
  shardFor(guildId: string | null | undefined): number {
    return this.state.shardFor(guildId);
  }

  // ------------------------------------------------------------------------------------------ lifecycle

  /** Closes all sockets and the server, rejects pending waits. Idempotent. */
  async stop(): Promise<void> {
    const s = this.state;
    if (s.stopped) return;
    s.stopped = true;
    for (const t of s.timers) clearTimeout(t);
    s.timers.clear();
    for (const w of [...s.waiters]) {
      clearTimeout(w.timer);
      w.reject(new Error('FakeDiscord stopped'));
    }
    s.waiters.clear();
    for (const c of s.conns) c.ws.terminate();
    s.conns.clear();
    s.activeByShard.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ------------------------------------------------------------------------------------------ waiting

  /** Resolves once a client has IDENTIFYed or RESUMEd and got READY/RESUMED on a still-open connection. */
  waitForReady(timeoutMs = 10_000): Promise<void> {
    return this.state.waitUntil(() => (this.connected ? true : undefined), timeoutMs, 'a ready gateway connection').then(
      () => undefined,
    );
  }

  /** Resolves once every shard in `shardIds` has an open, identified/resumed connection. */
  waitForShards(shardIds: readonly number[], timeoutMs = 10_000): Promise<void> {
    return this.state
      .waitUntil(() => (shardIds.every((id) => this.connectedShards.includes(id)) ? true : undefined), timeoutMs, `shards ${shardIds.join(',')} ready`)
      .then(() => undefined);
  }

  /** Resolves when the total number of IDENTIFYs reaches `count` (default: one more than now). */
  waitForIdentify(count = this.identifyCount + 1, timeoutMs = 10_000): Promise<Json> {
    return this.state.waitUntil(
      () => (this.identifies.length >= count ? this.identifies[count - 1] : undefined),
      timeoutMs,
      `IDENTIFY #${count}`,
    );
  }

  /** Resolves when the total number of RESUMEs reaches `count` (default: one more than now). */
  waitForResume(count = this.resumeCount + 1, timeoutMs = 10_000): Promise<Json> {
    return this.state.waitUntil(
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
    return this.state.waitUntil(
      () => this.requests.find((r) => r.status !== undefined && predicate(r)),
      timeoutMs,
      'a matching REST request',
    );
  }

  /** Resolves with the first callback (already received ones included) matching `predicate`. */
  waitForCallback(predicate: (c: InteractionCallback) => boolean, timeoutMs = 5_000): Promise<InteractionCallback> {
    return this.state.waitUntil(() => this.callbacks.find(predicate), timeoutMs, 'a matching interaction callback');
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
    return route(this.state, method, pathPattern, handler);
  }

  /** The next `responses.length` matching requests get these responses (in order); later ones are served normally. */
  failNext(method: string, pathPattern: RegExp | string, responses: FakeResponse[]): void {
    failNext(this.state, method, pathPattern, responses);
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
    rateLimitNext(this.state, method, pathPattern, opts);
  }

  /** Delays the next `count` matching requests by `ms`, then serves them normally. */
  delayNext(method: string, pathPattern: RegExp | string, ms: number, count = 1): void {
    delayNext(this.state, method, pathPattern, ms, count);
  }

  /** See {@link FakeDiscordState.forgetHistory}: forgets recorded history so long load runs stay bounded in memory. */
  forgetHistory(): void {
    this.state.forgetHistory();
  }

  /** Drops pending failNext/rateLimitNext/delayNext rules and route overrides. */
  clearFaults(): void {
    clearFaults(this.state);
  }

  // ------------------------------------------------------------------------------------------ gateway faults

  /**
   * Drops the active gateway connection. 1006 (default) destroys the socket abruptly (no close frame);
   * any other code sends a close frame (4000 → client resumes; 4009 session timeout → resume; 1000 → re-identify).
   */
  dropConnection(code = 1006, reason = 'fake-discord drop'): void {
    dropConnection(this.state, code, reason);
  }

  /** Sends op 9 INVALID_SESSION. Non-resumable also invalidates the session server-side. */
  sendInvalidSession(resumable: boolean): void {
    sendInvalidSession(this.state, resumable);
  }

  /** Sends op 7 RECONNECT (discord.js closes with 4200 and resumes). */
  sendReconnect(): void {
    sendReconnect(this.state);
  }

  /** Stops answering heartbeats (for `count` heartbeats, default forever) → discord.js sees a zombie connection. */
  stopAckingHeartbeats(count = Number.POSITIVE_INFINITY): void {
    this.state.heartbeatsToSkip = count;
  }

  resumeAckingHeartbeats(): void {
    this.state.heartbeatsToSkip = 0;
  }

  /** Sends an arbitrary raw frame on the active connection. */
  sendRaw(frame: Json): void {
    sendRaw(this.state, frame);
  }

  /**
   * Dispatches an event (op 0) with the next sequence number. Without an open connection the event is only
   * buffered and will be replayed on RESUME (like Discord). Returns the sequence number.
   */
  dispatch(eventName: string, data: Json): number {
    return dispatch(this.state, eventName, data);
  }

  // ------------------------------------------------------------------------------------------ interactions

  /** Builds a full INTERACTION_CREATE payload from a spec (without dispatching it). */
  buildInteraction(spec: InteractionSpec): Json {
    return buildInteraction(this.state, spec);
  }

  /**
   * Builds (if needed) and dispatches an INTERACTION_CREATE. Returns immediately with the id/token and a lazy
   * `waitForCallback` (no unhandled rejections if you never wait).
   */
  dispatchInteraction(specOrPayload: InteractionSpec): DispatchedInteraction {
    return dispatchInteraction(this.state, specOrPayload);
  }

  /** Dispatches an INTERACTION_CREATE and resolves with the first callback request for it. */
  async sendInteraction(spec: InteractionSpec, timeoutMs = 5_000): Promise<InteractionCallback> {
    return this.dispatchInteraction(spec).waitForCallback(timeoutMs);
  }

  /** The original response message of an interaction (after a type 4/5/7 callback), if any. */
  originalMessage(interactionIdOrToken: string): Json | undefined {
    return originalMessage(this.state, interactionIdOrToken);
  }

  /** Requests whose path starts with `/webhooks/{app}/{token}` (edits, followups, deletes) for an interaction. */
  webhookRequests(interactionToken: string): RecordedRequest[] {
    return webhookRequests(this.state, interactionToken);
  }
}
