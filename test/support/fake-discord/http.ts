/**
 * HTTP plumbing of the fake Discord: records every request, parses JSON and multipart bodies, applies fault
 * rules, overrides and built-in routes (in that order), and writes the response with Discord-like headers.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { enforceGlobalLimit, routeRateLimitHeaders } from './rate-limits.ts';
import { decodePath, errorResponse, methodMatches, NOT_FOUND } from './responses.ts';
import type { FakeDiscordState } from './state.ts';
import type { FakeResponse, RecordedRequest } from './types.ts';

/** Handles one HTTP request (the `request` listener of the fake's server). */
export async function onHttp(s: FakeDiscordState, req: IncomingMessage, res: ServerResponse): Promise<void> {
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
    seq: s.requests.length + 1,
    method: (req.method ?? 'GET').toUpperCase(),
    path: decodePath(apiMatch?.[1] ?? url.pathname),
    url: req.url ?? '/',
    query: Object.fromEntries(url.searchParams),
    headers,
    authorization: auth === undefined ? 'none' : auth === `Bot ${s.token}` ? 'valid' : 'invalid',
    body: null,
    rawBody: '',
    files: [],
    receivedAt,
    receivedAtEpochMs,
  };
  s.requests.push(recorded);

  let response: FakeResponse;
  try {
    const parseError = await parseBody(recorded, raw, headers['content-type'] ?? '');
    response = parseError ?? (apiMatch ? await handle(s, recorded) : NOT_FOUND);
  } catch (error) {
    s.errors.push(`handler error for ${recorded.method} ${recorded.path}: ${String(error)}`);
    response = errorResponse(500, 0, `500: fake-discord handler error: ${String(error)}`);
  }
  await respond(s, req, res, recorded, response);
}

/** Parses a JSON or multipart (payload_json + files) body into `recorded`; a 400 for invalid JSON. */
export async function parseBody(recorded: RecordedRequest, raw: Buffer, contentType: string): Promise<FakeResponse | undefined> {
  if (raw.length === 0) return undefined;
  if (contentType.startsWith('multipart/form-data')) {
    recorded.rawBody = `<multipart ${raw.length} bytes>`;
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') recorded.body = JSON.parse(value);
      } else {
        recorded.files.push({ field, filename: value.name, contentType: value.type, size: value.size, bytes: Buffer.from(await value.arrayBuffer()) });
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

/** The response to a request: the first matching fault rule, then overrides, then built-in routes. */
export async function handle(s: FakeDiscordState, r: RecordedRequest): Promise<FakeResponse> {
  const limited = enforceGlobalLimit(s, r);
  if (limited) return limited;
  if (s.opts.restLatencyMs > 0 && !r.path.startsWith('/interactions/')) await s.sleep(s.opts.restLatencyMs);
  const ruleIndex = s.onceRules.findIndex((rule) => methodMatches(rule.method, r.method) && rule.matches(r.path));
  if (ruleIndex >= 0) {
    const [rule] = s.onceRules.splice(ruleIndex, 1);
    if (rule?.action.kind === 'respond') return rule.action.response;
    if (rule?.action.kind === 'delay') await s.sleep(rule.action.ms);
  }
  for (const o of [...s.overrides]) {
    if (!methodMatches(o.method, r.method) || !o.matches(r.path)) continue;
    const out = await o.handler(r);
    if (out) return out;
  }
  for (const route of s.builtins) {
    if (route.method !== r.method) continue;
    const m = route.re.exec(r.path);
    if (!m) continue;
    if (route.auth && r.authorization !== 'valid') return errorResponse(401, 0, '401: Unauthorized');
    return route.handle(r, m.slice(1) as string[]);
  }
  return NOT_FOUND;
}

/** Writes the response (after its delay, or drops the socket), records status and body, wakes waiters. */
export async function respond(s: FakeDiscordState, req: IncomingMessage, res: ServerResponse, r: RecordedRequest, fr: FakeResponse): Promise<void> {
  if (fr.delayMs) await s.sleep(fr.delayMs);
  if (s.stopped || res.destroyed) return;
  if (fr.drop) {
    r.status = 0;
    r.respondedAt = performance.now();
    req.socket.destroy();
    s.notify();
    return;
  }
  const status = fr.status ?? (fr.body === undefined ? 204 : 200);
  const headers: Record<string, string> = {
    via: '1.1 fake-discord',
    date: new Date().toUTCString(),
  };
  if (status !== 429) Object.assign(headers, routeRateLimitHeaders(r));
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
  s.notify();
}

