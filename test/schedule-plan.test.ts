/** The pure planning rules of the daily scheduler (`plan.ts`): no store, no timers, no fakes. */
import { describe, expect, it } from 'vitest';
import { afterTransientFailure, decide, firstOccurrence, isSuperseded, nextWake, occurrenceAfter, occurrenceOn, type PostState } from '../src/core/schedule/plan.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const shanghai9 = { time: '09:00', timeZone: 'Asia/Shanghai' };
const d = (iso: string) => new Date(iso);
const options = { graceMs: 6 * HOUR, nonceWindowMs: 2 * MIN };
const row = (overrides: Partial<PostState> = {}): PostState => ({
  status: 'pending',
  attempts: 1,
  claimedAt: d('2026-05-10T01:00:00Z'),
  updatedAt: d('2026-05-10T01:00:00Z'),
  retryAt: null,
  ...overrides,
});

describe('occurrences', () => {
  it('firstOccurrence: the latest one if not before activeFrom, else the next one', () => {
    expect(firstOccurrence({ ...shanghai9, activeFrom: d('2026-05-09T00:00:00Z') }, d('2026-05-10T03:00:00Z'))).toEqual({
      localDate: '2026-05-10',
      at: d('2026-05-10T01:00:00Z'),
    });
    // subscribed at 10:00 for 09:00: tomorrow
    expect(firstOccurrence({ ...shanghai9, activeFrom: d('2026-05-10T02:00:00Z') }, d('2026-05-10T02:00:00Z')).localDate).toBe('2026-05-11');
    // subscribed at 08:00 for 09:00: today
    expect(firstOccurrence({ ...shanghai9, activeFrom: d('2026-05-10T00:00:00Z') }, d('2026-05-10T00:00:00Z')).localDate).toBe('2026-05-10');
  });

  it('occurrenceAfter: the next local date, or the latest due one after a long outage; DST-aware', () => {
    const schedule = { ...shanghai9, activeFrom: d('2026-01-01T00:00:00Z') };
    expect(occurrenceAfter(schedule, '2026-05-10', d('2026-05-10T01:00:01Z'))).toEqual({ localDate: '2026-05-11', at: d('2026-05-11T01:00:00Z') });
    expect(occurrenceAfter(schedule, '2026-05-10', d('2026-05-14T03:00:00Z'))).toEqual({ localDate: '2026-05-14', at: d('2026-05-14T01:00:00Z') });
    const ny = { time: '02:30', timeZone: 'America/New_York', activeFrom: d('2026-01-01T00:00:00Z') };
    expect(occurrenceAfter(ny, '2026-03-07', d('2026-03-07T08:00:00Z')).at).toEqual(d('2026-03-08T07:00:00Z')); // 02:30 does not exist: 03:00 EDT
    expect(occurrenceOn(ny, '2026-03-09').at).toEqual(d('2026-03-09T06:30:00Z'));
  });

  it('isSuperseded: a later occurrence is already due', () => {
    const schedule = { ...shanghai9, activeFrom: d('2026-01-01T00:00:00Z') };
    expect(isSuperseded(schedule, '2026-05-10', d('2026-05-10T05:00:00Z'))).toBe(false);
    expect(isSuperseded(schedule, '2026-05-10', d('2026-05-11T01:00:00Z'))).toBe(true);
    expect(isSuperseded({ ...schedule, activeFrom: d('2026-05-11T02:00:00Z') }, '2026-05-10', d('2026-05-11T03:00:00Z'))).toBe(false);
  });
});

describe('decide', () => {
  const occurrence = { localDate: '2026-05-10', at: d('2026-05-10T01:00:00Z') };

  it('no row: send within the grace window, skip beyond it', () => {
    expect(decide(occurrence, null, d('2026-05-10T06:59:00Z'), options)).toEqual({ kind: 'send', attempt: 1, verifyFirst: false });
    expect(decide(occurrence, null, d('2026-05-10T07:00:01Z'), options)).toMatchObject({ kind: 'skip', reason: expect.stringMatching(/beyond the 360 min grace window/) });
  });

  it('a final row: done', () => {
    for (const status of ['sent', 'failed', 'skipped'] as const) expect(decide(occurrence, row({ status }), d('2026-05-10T01:30:00Z'), options)).toEqual({ kind: 'done' });
  });

  it('a pending row: re-send within the nonce window, verify first after it, wait for a retry time, give up after the grace', () => {
    expect(decide(occurrence, row(), d('2026-05-10T01:01:00Z'), options)).toEqual({ kind: 'send', attempt: 2, verifyFirst: false });
    expect(decide(occurrence, row({ attempts: 3 }), d('2026-05-10T01:02:00Z'), options)).toEqual({ kind: 'send', attempt: 4, verifyFirst: true });
    expect(decide(occurrence, row({ retryAt: d('2026-05-10T01:05:00Z') }), d('2026-05-10T01:04:00Z'), options)).toEqual({ kind: 'wait', until: d('2026-05-10T01:05:00Z') });
    expect(decide(occurrence, row(), d('2026-05-10T07:00:01Z'), options)).toMatchObject({ kind: 'give-up' });
  });
});

describe('afterTransientFailure and nextWake', () => {
  it('backs off exponentially up to the cap, and gives up beyond the grace window', () => {
    const claimed = d('2026-05-10T01:00:00Z');
    const opts = { graceMs: 6 * HOUR, retryDelayMs: 5 * MIN, maxRetryDelayMs: HOUR };
    expect(afterTransientFailure(1, claimed, claimed, '503', opts)).toEqual({ kind: 'retry', at: d('2026-05-10T01:05:00Z') });
    expect(afterTransientFailure(3, claimed, claimed, '503', opts)).toEqual({ kind: 'retry', at: d('2026-05-10T01:20:00Z') });
    expect(afterTransientFailure(10, claimed, d('2026-05-10T03:00:00Z'), '503', opts)).toEqual({ kind: 'retry', at: d('2026-05-10T04:00:00Z') });
    expect(afterTransientFailure(10, claimed, d('2026-05-10T06:30:00Z'), '503', opts)).toMatchObject({ kind: 'give-up', reason: expect.stringMatching(/last error: 503/) });
  });

  it('wakes at the earliest candidate, never in the past, or at the heartbeat; null without either', () => {
    const now = d('2026-05-10T00:00:00Z');
    expect(nextWake([d('2026-05-10T00:10:00Z'), null], now, HOUR)).toEqual(d('2026-05-10T00:10:00Z'));
    expect(nextWake([d('2026-05-09T00:00:00Z')], now, HOUR)).toEqual(now);
    expect(nextWake([null, null], now, HOUR)).toEqual(d('2026-05-10T01:00:00Z'));
    expect(nextWake([], now, 0)).toBeNull();
  });
});
