/**
 * REST fault injection of the fake Discord: route overrides, canned responses for the next matching
 * requests, and delays. Rate limits (429s) are in rate-limits.ts.
 *
 * @module
 */
import { toMatcher } from './responses.ts';
import type { FakeDiscordState } from './state.ts';
import type { FakeResponse, RecordedRequest, RouteOverride } from './types.ts';

/**
 * Registers a route override, consulted (most recent first) before the built-in routes. The handler may
 * return undefined to fall through. `pathPattern`: RegExp on the path relative to /api/v10, or a string
 * (exact path, or with `:param` / `*` segments). Returns an unregister function.
 */
export function route(
  s: FakeDiscordState,
  method: string,
  pathPattern: RegExp | string,
  handler: (req: RecordedRequest) => FakeResponse | undefined | Promise<FakeResponse | undefined>,
): () => void {
  const o: RouteOverride = { method, matches: toMatcher(pathPattern), handler };
  s.overrides.unshift(o);
  return () => {
    const i = s.overrides.indexOf(o);
    if (i >= 0) s.overrides.splice(i, 1);
  };
}

/** The next `responses.length` matching requests get these responses (in order); later ones are served normally. */
export function failNext(s: FakeDiscordState, method: string, pathPattern: RegExp | string, responses: FakeResponse[]): void {
  const matches = toMatcher(pathPattern);
  for (const response of responses) s.onceRules.push({ method, matches, action: { kind: 'respond', response } });
}

/** Delays the next `count` matching requests by `ms`, then serves them normally. */
export function delayNext(s: FakeDiscordState, method: string, pathPattern: RegExp | string, ms: number, count = 1): void {
  const matches = toMatcher(pathPattern);
  for (let i = 0; i < count; i++) s.onceRules.push({ method, matches, action: { kind: 'delay', ms } });
}

/** Drops pending failNext/rateLimitNext/delayNext rules and route overrides. */
export function clearFaults(s: FakeDiscordState): void {
  s.onceRules.length = 0;
  s.overrides.length = 0;
}
