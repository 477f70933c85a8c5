/** Per-user rate limiting: a sliding window, bounded in memory, so one user cannot flood the bot. */

/** Options of {@link RateLimiter}. */
export interface RateLimiterOptions {
  /** Commands (and button clicks) allowed per window. Default 8. */
  limit?: number;
  /** Window length in ms. Default 10,000. */
  windowMs?: number;
  /** Most users tracked at once; idle ones are dropped first. Default 10,000. */
  maxUsers?: number;
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
}

/** Sliding-window limiter keyed by user id. */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly maxUsers: number;
  private readonly now: () => number;

  constructor(options: RateLimiterOptions = {}) {
    this.limit = options.limit ?? 8;
    this.windowMs = options.windowMs ?? 10_000;
    this.maxUsers = options.maxUsers ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Records an attempt; returns 0 when allowed, else the seconds to wait before the next one is. */
  attempt(userId: string): number {
    const now = this.now();
    const recent = (this.hits.get(userId) ?? []).filter((time) => now - time < this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(userId, recent);
      return Math.max(1, Math.ceil((recent[0]! + this.windowMs - now) / 1000));
    }
    recent.push(now);
    // Re-insert so the map's order is least-recently-active first.
    this.hits.delete(userId);
    this.hits.set(userId, recent);
    while (this.hits.size > this.maxUsers) this.hits.delete(this.hits.keys().next().value as string);
    this.expire(now);
    return 0;
  }

  /**
   * Forgets users whose last attempt is out of the window (they would be allowed anyway). The map is ordered
   * least-recently-active first, so this stops at the first user still inside the window: O(expired).
   */
  private expire(now: number): void {
    for (const [userId, times] of this.hits) {
      const last = times[times.length - 1];
      if (last !== undefined && now - last < this.windowMs) break;
      this.hits.delete(userId);
    }
  }

  /** Users currently tracked (for leak checks). */
  get size(): number {
    return this.hits.size;
  }
}
