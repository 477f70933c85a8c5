/**
 * Gateway of the fake Discord (WebSocket, JSON text frames): HELLO, heartbeats, IDENTIFY → READY + GUILD_CREATE
 * per guild, RESUME → replay of missed dispatches + RESUMED, dispatching events, and the faults tests inject
 * (dropped connections, INVALID_SESSION, RECONNECT, raw frames).
 *
 * Sharding: each IDENTIFY's `shard: [id, count]` (default `[0, 1]`) opens that shard's session; sessions of
 * different shards live side by side, a new IDENTIFY replaces only its own shard's session. A guild's
 * GUILD_CREATE and its events go only to shard `(guild_id >> 22) % count`, DMs to shard 0. The fault
 * helpers (drop, invalid session, reconnect, raw frames) act on shard 0.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { guildCreatePayload } from './guilds.ts';
import type { FakeDiscordState } from './state.ts';
import type { Conn, GatewayConnectionInfo, Json, Session } from './types.ts';

/** A new WebSocket on the gateway: records it, checks encoding/compression, sends HELLO. */
export function onGatewayConnection(s: FakeDiscordState, ws: WebSocket, req: IncomingMessage): void {
  if (s.stopped) {
    ws.terminate();
    return;
  }
  const query = Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);
  const info: GatewayConnectionInfo = {
    index: s.gatewayConnections.length + 1,
    query,
    openedAt: performance.now(),
    received: [],
    identified: false,
    resumed: false,
  };
  s.gatewayConnections.push(info);
  const conn: Conn = { ws, info };
  s.conns.add(conn);
  ws.on('error', () => {
    /* connection errors surface as close */
  });
  ws.on('close', (code) => {
    info.closedAt = performance.now();
    info.closeCode = code;
    s.conns.delete(conn);
    for (const [shardId, active] of s.activeByShard) if (active === conn) s.activeByShard.delete(shardId);
    // Like Discord: a client closing with 1000/1001 ends the session.
    if ((code === 1000 || code === 1001) && conn.session) {
      conn.session.invalidated = true;
      s.sessions.delete(conn.session.id);
    }
    s.notify();
  });
  if ((query.encoding ?? 'json') !== 'json' || query.compress) {
    s.errors.push(`unsupported gateway params ${JSON.stringify(query)} (only encoding=json, no compress)`);
    ws.close(4012, 'fake-discord supports encoding=json without compression only');
    return;
  }
  ws.on('message', (raw, isBinary) => onGatewayMessage(s, conn, raw, isBinary));
  sendFrame(s, conn, { op: 10, d: { heartbeat_interval: s.opts.heartbeatIntervalMs, _trace: ['fake-discord'] }, s: null, t: null });
}

/** Sends a frame if the socket is open; stamps when an INTERACTION_CREATE first went out (for callback latency). */
export function sendFrame(s: FakeDiscordState, conn: Conn, frame: Json): void {
  if (conn.ws.readyState !== WebSocket.OPEN) return;
  if (frame.t === 'INTERACTION_CREATE') {
    const p = s.interactions.get(frame.d.id);
    if (p && p.sentAt === undefined) p.sentAt = performance.now();
  }
  conn.ws.send(JSON.stringify(frame));
}

/** One frame from the client: heartbeat, IDENTIFY, RESUME or one of the ops that need a session. */
export function onGatewayMessage(s: FakeDiscordState, conn: Conn, raw: WebSocket.RawData, isBinary: boolean): void {
  if (isBinary) {
    s.errors.push('binary gateway frame received');
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
      s.heartbeatsReceived++;
      if (s.heartbeatsToSkip > 0) {
        s.heartbeatsToSkip--;
        break;
      }
      s.heartbeatsAcked++;
      sendFrame(s, conn, { op: 11, d: null, s: null, t: null });
      break;
    }
    case 2:
      onIdentify(s, conn, msg.d ?? {});
      break;
    case 6:
      onResume(s, conn, msg.d ?? {});
      break;
    case 3: // presence update
    case 4: // voice state
    case 8: // request guild members
    case 31: // request soundboard sounds
      if (!conn.session) conn.ws.close(4003, 'Not authenticated.');
      break;
    default:
      s.errors.push(`unknown gateway opcode ${String(msg.op)}`);
      conn.ws.close(4001, 'Unknown opcode.');
  }
  s.notify();
}

/** IDENTIFY: a new session for its shard (that shard's previous one is invalidated), READY, then GUILD_CREATE per guild it owns. */
export function onIdentify(s: FakeDiscordState, conn: Conn, d: Json): void {
  s.identifies.push({ ...d, token: d.token === s.token ? '<valid>' : '<invalid>' });
  if (conn.session) {
    conn.ws.close(4005, 'Already authenticated.');
    return;
  }
  if (d.token !== s.token) {
    conn.ws.close(4004, 'Authentication failed.');
    return;
  }
  const shard: [number, number] = Array.isArray(d.shard) ? [Number(d.shard[0]), Number(d.shard[1])] : [0, 1];
  const [shardId, shardCount] = shard;
  if (!Number.isInteger(shardId) || !Number.isInteger(shardCount) || shardCount < 1 || shardId < 0 || shardId >= shardCount) {
    conn.ws.close(4010, 'Invalid shard.');
    return;
  }
  const otherCount = [...s.sessionByShard.values()].find((other) => !other.invalidated && other.shard[0] !== shardId)?.shard[1];
  if (otherCount !== undefined && otherCount !== shardCount) {
    s.errors.push(`IDENTIFY with shard count ${shardCount} while other shards use ${otherCount}`);
  }
  const session: Session = { id: randomBytes(16).toString('hex'), shard, seq: 0, buffer: [], invalidated: false };
  const previous = s.sessionByShard.get(shardId);
  if (previous) previous.invalidated = true;
  s.sessionByShard.set(shardId, session);
  s.sessions.set(session.id, session);
  conn.session = session;
  conn.info.identified = true;
  conn.info.shard = shard;
  s.activeByShard.set(shardId, conn);
  const owned = s.guilds.filter((g) => Number((BigInt(g.id) >> 22n) % BigInt(shardCount)) === shardId);
  dispatchOnShard(s, shardId, 'READY', {
    v: 10,
    user: s.botUser,
    user_settings: {},
    guilds: owned.map((g) => ({ id: g.id, unavailable: true })),
    relationships: [],
    private_channels: [],
    presences: [],
    guild_join_requests: [],
    geo_ordered_rtc_regions: ['fake'],
    session_type: 'normal',
    session_id: session.id,
    resume_gateway_url: s.gatewayUrl,
    shard,
    application: { id: s.applicationId, flags: 0 },
    _trace: ['fake-discord'],
  });
  for (const g of owned) dispatchOnShard(s, shardId, 'GUILD_CREATE', guildCreatePayload(g));
}

/** RESUME: replays what the client missed and sends RESUMED, or INVALID_SESSION / 4007 when it cannot. */
export function onResume(s: FakeDiscordState, conn: Conn, d: Json): void {
  s.resumes.push({ ...d, token: d.token === s.token ? '<valid>' : '<invalid>' });
  const session = typeof d.session_id === 'string' ? s.sessions.get(d.session_id) : undefined;
  if (d.token !== s.token) {
    conn.ws.close(4004, 'Authentication failed.');
    return;
  }
  if (!session || session.invalidated || session !== s.sessionByShard.get(session.shard[0])) {
    sendFrame(s, conn, { op: 9, d: false, s: null, t: null });
    return;
  }
  const seq = Number(d.seq ?? 0);
  if (seq > session.seq) {
    conn.ws.close(4007, 'Invalid seq.');
    return;
  }
  // Take over: any other connection of this session is stale.
  for (const other of s.conns) if (other !== conn && other.session === session) other.ws.terminate();
  conn.session = session;
  conn.info.resumed = true;
  conn.info.shard = session.shard;
  s.activeByShard.set(session.shard[0], conn);
  for (const frame of session.buffer) if (frame.s > seq) sendFrame(s, conn, frame);
  dispatchOnShard(s, session.shard[0], 'RESUMED', { _trace: ['fake-discord'] });
}

/**
 * Dispatches an event (op 0) on the shard that owns its guild (`guild_id`, or `id` for GUILD_* events;
 * shard 0 for events without a guild) with that shard's next sequence number. Without an open connection
 * the event is only buffered and will be replayed on RESUME (like Discord). Returns the sequence number.
 */
export function dispatch(s: FakeDiscordState, eventName: string, data: Json): number {
  return dispatchOnShard(s, shardOfEvent(s, eventName, data), eventName, data);
}

/** The shard an event goes to (see {@link dispatch}). */
export function shardOfEvent(s: FakeDiscordState, eventName: string, data: Json): number {
  const guildId = data?.guild_id ?? (eventName.startsWith('GUILD_') && typeof data?.id === 'string' ? data.id : undefined);
  return s.shardFor(guildId);
}

/** Dispatches an event on one shard's session (see {@link dispatch}). */
export function dispatchOnShard(s: FakeDiscordState, shardId: number, eventName: string, data: Json): number {
  const session = s.sessionByShard.get(shardId);
  if (!session) throw new Error(`FakeDiscord.dispatch: no gateway session for shard ${shardId} yet (never IDENTIFYed)`);
  const frame = { op: 0 as const, s: ++session.seq, t: eventName, d: data };
  session.buffer.push(frame);
  if (session.buffer.length > 2_000) session.buffer.splice(0, session.buffer.length - 2_000);
  const conn = s.activeByShard.get(shardId);
  if (conn && conn.session === session) sendFrame(s, conn, frame);
  return frame.s;
}

/** The active connection, or an error naming the fault helper that needed one. */
export function requireActive(s: FakeDiscordState, what: string): Conn {
  const conn = s.active;
  if (!conn) throw new Error(`FakeDiscord.${what}: no active gateway connection`);
  return conn;
}

/**
 * Drops the active gateway connection. 1006 (default) destroys the socket abruptly (no close frame);
 * any other code sends a close frame (4000 → client resumes; 4009 session timeout → resume; 1000 → re-identify).
 */
export function dropConnection(s: FakeDiscordState, code = 1006, reason = 'fake-discord drop'): void {
  const conn = s.active;
  if (!conn) throw new Error('FakeDiscord.dropConnection: no active gateway connection');
  s.active = undefined;
  if (code === 1006) conn.ws.terminate();
  else conn.ws.close(code, reason);
}

/** Sends op 9 INVALID_SESSION. Non-resumable also invalidates the session server-side. */
export function sendInvalidSession(s: FakeDiscordState, resumable: boolean): void {
  const conn = requireActive(s, 'sendInvalidSession');
  if (!resumable && conn.session) {
    conn.session.invalidated = true;
    s.sessions.delete(conn.session.id);
  }
  s.active = undefined; // not ready again until RESUME / IDENTIFY
  sendFrame(s, conn, { op: 9, d: resumable, s: null, t: null });
}

/** Sends op 7 RECONNECT (discord.js closes with 4200 and resumes). */
export function sendReconnect(s: FakeDiscordState): void {
  const conn = requireActive(s, 'sendReconnect');
  s.active = undefined;
  sendFrame(s, conn, { op: 7, d: null, s: null, t: null });
}

/** Sends an arbitrary raw frame on the active connection. */
export function sendRaw(s: FakeDiscordState, frame: Json): void {
  sendFrame(s, requireActive(s, 'sendRaw'), frame);
}

