/**
 * Rate limits of the fake Discord: injected 429s (per route or global) and the rate-limit headers of
 * ordinary responses.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { failNext } from './faults.ts';
import type { FakeDiscordState } from './state.ts';
import type { FakeResponse, RecordedRequest } from './types.ts';

/**
 * The next `count` matching requests get a 429. Per-route by default (x-ratelimit-* headers, scope user);
 * `global: true` adds `x-ratelimit-global: true` and scope global like Discord's global limit.
 */
export function rateLimitNext(
  s: FakeDiscordState,
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
  failNext(s, method, pathPattern, Array.from({ length: opts.count ?? 1 }, () => response));
}

/**
 * Rate-limit headers of an ordinary (non-429) response: a per-route bucket that never runs out. Interaction
 * callbacks carry none, like Discord's.
 */
export function routeRateLimitHeaders(r: RecordedRequest): Record<string, string> {
  if (r.path.startsWith('/interactions/')) return {};
  const bucket = createHash('sha1').update(`${r.method}:${r.path.replace(/\d{16,20}/g, ':id')}`).digest('hex').slice(0, 16);
  return {
    'x-ratelimit-bucket': bucket,
    'x-ratelimit-limit': '50',
    'x-ratelimit-remaining': '49',
    'x-ratelimit-reset': ((Date.now() + 1000) / 1000).toFixed(3),
    'x-ratelimit-reset-after': '1.000',
  };
}

/**
 * Discord's global limit (`globalRequestsPerSecond`): at most that many requests in each one-second
 * window (a window opens with the first request after the previous one closed, the model discord.js's
 * own limiter assumes); beyond it a global 429 with `retry_after` until the window closes. Interaction
 * callbacks and webhooks are exempt, as on Discord.
 */
export function enforceGlobalLimit(s: FakeDiscordState, r: RecordedRequest): FakeResponse | undefined {
  const limit = s.opts.globalRequestsPerSecond;
  if (!Number.isFinite(limit) || r.path.startsWith('/interactions/') || r.path.startsWith('/webhooks/')) return undefined;
  const now = Date.now();
  if (s.globalWindow.length === 0 || now - s.globalWindow[0]! >= 1000) s.globalWindow.length = 0;
  if (s.globalWindow.length < limit) {
    s.globalWindow.push(now);
    return undefined;
  }
  s.globalRateLimited += 1;
  const retryAfter = Math.max(1, 1000 - (now - s.globalWindow[0]!)) / 1000;
  return {
    status: 429,
    headers: { 'retry-after': String(Math.ceil(retryAfter)), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' },
    body: { message: 'You are being rate limited.', retry_after: retryAfter, global: true },
  };
}
