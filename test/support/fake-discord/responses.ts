/**
 * REST helpers of the fake Discord: Discord-shaped error bodies and path matching for routes and fault rules.
 *
 * @module
 */
import type { FakeResponse, Json, Matcher } from './types.ts';

/** A Discord error body (`{ message, code, errors? }`) with that status. */
export function errorResponse(status: number, code: number, message: string, errors?: Json): FakeResponse {
  return { status, body: errors ? { message, code, errors } : { message, code } };
}

/** The 404 for unknown paths. */
export const NOT_FOUND: FakeResponse = errorResponse(404, 0, '404: Not Found');

/** A 400 Invalid Form Body (50035) naming the field. */
export function formError(field: string, code: string, message: string): FakeResponse {
  return errorResponse(400, 50035, 'Invalid Form Body', { [field]: { _errors: [{ code, message }] } });
}

/** A path matcher from a RegExp or a pattern (exact path, or `:param` / `*` segments). */
export function toMatcher(pattern: RegExp | string): Matcher {
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
export function decodePath(path: string): string {
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

/** True when `want` is `*` or names the method `got`. */
export function methodMatches(want: string, got: string): boolean {
  return want === '*' || want.toUpperCase() === got;
}
