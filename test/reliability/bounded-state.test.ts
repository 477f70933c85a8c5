/** Per-user state is bounded and expires: the rate limiter and the paging store, with a fake clock. */
import { describe, expect, it } from 'vitest';
import { PagingStore } from '../../src/bot/paging.ts';
import { RateLimiter } from '../../src/bot/rate-limit.ts';

describe('RateLimiter', () => {
  it('allows 8 per 10 s by default, then says how long to wait', () => {
    let now = 0;
    const limiter = new RateLimiter({ now: () => now });
    for (let i = 0; i < 8; i++) expect(limiter.attempt('u')).toBe(0);
    expect(limiter.attempt('u')).toBe(10);
    now = 4_500;
    expect(limiter.attempt('u')).toBe(6);
    expect(limiter.attempt('other')).toBe(0);
    now = 10_000;
    expect(limiter.attempt('u')).toBe(0);
  });

  it('forgets users once their window has passed', () => {
    let now = 0;
    const limiter = new RateLimiter({ now: () => now });
    for (let i = 0; i < 500; i++) limiter.attempt(`user${i}`);
    expect(limiter.size).toBe(500);
    now = 10_001;
    limiter.attempt('late');
    expect(limiter.size).toBe(1);
  });

  it('never tracks more than maxUsers', () => {
    const limiter = new RateLimiter({ maxUsers: 100, now: () => 0 });
    for (let i = 0; i < 1_000; i++) limiter.attempt(`user${i}`);
    expect(limiter.size).toBe(100);
  });
});

describe('PagingStore', () => {
  const session = { ownerId: 'u', passageIds: ['a#1'], query: 'q', speaker: null, source: null };

  it('drops expired sessions when new ones arrive, not only when they are read', () => {
    let now = 0;
    const store = new PagingStore({ ttlMs: 1_000, now: () => now });
    for (let i = 0; i < 50; i++) store.put(session);
    expect(store.size).toBe(50);
    now = 1_001;
    const key = store.put(session);
    expect(store.size).toBe(1);
    expect(store.get(key)?.ownerId).toBe('u');
  });

  it('is bounded, least recently used first', () => {
    const store = new PagingStore({ maxEntries: 10, now: () => 0 });
    const first = store.put(session);
    for (let i = 0; i < 8; i++) store.put(session);
    expect(store.get(first)).toBeDefined(); // refreshed: now the most recent
    for (let i = 0; i < 5; i++) store.put(session);
    expect(store.size).toBe(10);
    expect(store.get(first)).toBeDefined();
  });
});
