/**
 * The state of one fake Discord, shared by its modules (gateway, REST routes, interactions, faults): what was
 * recorded, the gateway session, pending interactions, channels, fault rules, and the waiting machinery that
 * lets tests await a condition. {@link FakeDiscord} owns one and exposes the public parts.
 *
 * @module
 */
import WebSocket from 'ws';
import { discordToken, fullUser, snowflake } from './builders.ts';
import { normalizeGuild } from './guilds.ts';
import type {
  BuiltinRoute,
  Conn,
  FakeDiscordOptions,
  FakeGuildState,
  GatewayConnectionInfo,
  InteractionCallback,
  Json,
  OnceRule,
  PendingInteraction,
  RecordedRequest,
  RouteOverride,
  Session,
  Waiter,
} from './types.ts';

/** Mutable state of one fake Discord. Internal to test/support/fake-discord/: tests use {@link FakeDiscord}. */
export class FakeDiscordState {
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

  readonly opts: Required<Pick<FakeDiscordOptions, 'heartbeatIntervalMs' | 'validate' | 'nonceWindowMs' | 'shardCount' | 'maxConcurrency' | 'globalRequestsPerSecond' | 'restLatencyMs'>>;
  /** Times (ms) of the REST requests counted in the current one-second global window. */
  readonly globalWindow: number[] = [];
  /** How many requests the global limit refused (429). */
  globalRateLimited = 0;
  port = 0;
  stopped = false;
  readonly conns = new Set<Conn>();
  /** Per shard id: the connection with an identified/resumed session that the shard's dispatches go to. */
  readonly activeByShard = new Map<number, Conn>();
  /** Per shard id: the current gateway session (the only one of that shard RESUME accepts). */
  readonly sessionByShard = new Map<number, Session>();
  readonly sessions = new Map<string, Session>();
  readonly interactions = new Map<string, PendingInteraction>();
  readonly interactionsByToken = new Map<string, PendingInteraction>();
  readonly channels = new Map<string, Json>();
  /** `channelId:nonce` → the message it created, for `enforce_nonce` deduplication. */
  readonly nonces = new Map<string, { messageId: string; at: number }>();
  readonly onceRules: OnceRule[] = [];
  readonly overrides: RouteOverride[] = [];
  readonly waiters = new Set<Waiter>();
  readonly timers = new Set<NodeJS.Timeout>();
  heartbeatsToSkip = 0;
  /** Built-in REST routes; set once by the owner (they close over this state). */
  builtins: BuiltinRoute[] = [];

  constructor(options: FakeDiscordOptions) {
    this.applicationId = options.applicationId ?? snowflake();
    const botId = options.botUserId ?? this.applicationId;
    this.token = options.token ?? discordToken(botId);
    this.botUser = fullUser({ id: botId, username: options.botUsername ?? 'Zhenyan', bot: true, global_name: null });
    this.opts = {
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      validate: options.validate ?? true,
      nonceWindowMs: options.nonceWindowMs ?? 5 * 60_000,
      shardCount: options.shardCount ?? 1,
      maxConcurrency: options.maxConcurrency ?? 16,
      globalRequestsPerSecond: options.globalRequestsPerSecond ?? Infinity,
      restLatencyMs: options.restLatencyMs ?? 0,
    };
    const guilds = options.guilds ?? [
      { id: snowflake(), name: 'Fake Guild', channels: [{ id: snowflake(), name: 'general', type: 0 }] },
    ];
    this.guilds = guilds.map((g) => normalizeGuild(g, this.botUser));
    for (const g of this.guilds) for (const c of g.channels) this.channels.set(c.id, c);
  }

  /** `http://127.0.0.1:PORT/api`, for `new Client({ rest: { api } })`. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  /** `ws://127.0.0.1:PORT` (what GET /gateway/bot announces and READY's resume_gateway_url points to). */
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  /** Shard 0's active connection (the only one of an unsharded client). */
  get active(): Conn | undefined {
    return this.activeByShard.get(0);
  }
  set active(conn: Conn | undefined) {
    if (conn) this.activeByShard.set(0, conn);
    else this.activeByShard.delete(0);
  }

  /** Shard 0's current session (the only one of an unsharded client). */
  get session(): Session | undefined {
    return this.sessionByShard.get(0);
  }

  /** True while shard 0 has an open connection with an identified/resumed session. */
  get connected(): boolean {
    return this.active !== undefined && this.active.ws.readyState === WebSocket.OPEN;
  }

  /** Shard ids that have an open connection with an identified/resumed session, ascending. */
  get connectedShards(): number[] {
    return [...this.activeByShard]
      .filter(([, conn]) => conn.ws.readyState === WebSocket.OPEN)
      .map(([id]) => id)
      .sort((a, b) => a - b);
  }

  /**
   * The shard that receives events of `guildId`: `(guild_id >> 22) % count` with the shard count the
   * connected clients identified with; 0 for DMs or when nobody sharded.
   */
  shardFor(guildId: string | undefined | null): number {
    if (!guildId) return 0;
    const count = [...this.sessionByShard.values()].find((session) => !session.invalidated)?.shard[1] ?? 1;
    return Number((BigInt(guildId) >> 22n) % BigInt(count));
  }

  /** Resolves with `probe()` once it is defined (re-checked on every {@link notify}); rejects after `timeoutMs`. */
  waitUntil<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
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

  /** Re-checks every pending wait; call after any state change a test may await. */
  notify(): void {
    for (const w of [...this.waiters]) {
      if (w.probe()) {
        clearTimeout(w.timer);
        this.waiters.delete(w);
      }
    }
  }

  /** A timer that {@link FakeDiscord.stop} cancels. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
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
    for (const session of this.sessionByShard.values()) session.buffer.length = 0;
  }
}
