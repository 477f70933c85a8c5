/**
 * Per-user state is bounded and expires: the rate limiter, with a fake clock. (Paging keeps no state:
 * `/quote`'s buttons re-run the search their message records; see test/commands.test.ts.)
 */
import { describe, expect, it } from 'vitest';
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
