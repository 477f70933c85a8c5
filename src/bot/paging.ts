/**
 * Short-lived state behind the previous/next buttons of `/quote`. Bounded (LRU) and expiring, so a
 * long-running bot never grows: after a restart or an expiry the buttons say "expired" instead.
 */
import { randomBytes } from 'node:crypto';

/** One search a user can page through. */
export interface PagingSession {
  /** The user who ran the search: the only one who may page. */
  ownerId: string;
  /** Passage ids of the hits, best first. */
  passageIds: string[];
  /** Query terms, for highlighting on later pages. */
  query: string;
  speaker: string | null;
  source: string | null;
  createdAt: number;
}

/** Options of {@link PagingStore}. */
export interface PagingStoreOptions {
  /** Most sessions kept; the least recently used goes first. Default 5,000. */
  maxEntries?: number;
  /** How long buttons work, in ms. Default 15 minutes (Discord's own interaction token lifetime). */
  ttlMs?: number;
  /** The clock, in ms. Default `Date.now`. */
  now?: () => number;
}

/** A bounded, expiring map from short random keys to {@link PagingSession}s. */
export class PagingStore {
  private readonly entries = new Map<string, PagingSession>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: PagingStoreOptions = {}) {
    this.maxEntries = options.maxEntries ?? 5000;
    this.ttlMs = options.ttlMs ?? 15 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Stores a session and returns its key (10 URL-safe characters). */
  put(session: Omit<PagingSession, 'createdAt'>): string {
    const key = randomBytes(8).toString('base64url').slice(0, 10);
    const now = this.now();
    // Drop expired sessions from the least recently used end, so idle state does not linger until evicted.
    for (const [oldKey, old] of this.entries) {
      if (now - old.createdAt <= this.ttlMs) break;
      this.entries.delete(oldKey);
    }
    this.entries.set(key, { ...session, createdAt: now });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return key;
  }

  /** The session, or undefined if unknown or expired (an expired one is dropped). */
  get(key: string): PagingSession | undefined {
    const session = this.entries.get(key);
    if (!session) return undefined;
    if (this.now() - session.createdAt > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    // Refresh recency for LRU eviction.
    this.entries.delete(key);
    this.entries.set(key, session);
    return session;
  }

  /** Number of live entries (for leak checks). */
  get size(): number {
    return this.entries.size;
  }
}
