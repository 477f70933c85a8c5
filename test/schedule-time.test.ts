import { describe, expect, it } from 'vitest';
import {
  addDays,
  canonicalTimeZone,
  daysBetween,
  isValidTimeZone,
  listTimeZones,
  localDate,
  localTimeOfDay,
  nextRunAt,
  parseTimeOfDay,
  previousRunAt,
  zonedWallTimeToUtc,
} from '../src/core/schedule/time.ts';

const iso = (d: Date): string => d.toISOString();
const at = (s: string): Date => new Date(s);

describe('parseTimeOfDay', () => {
  it('accepts HH:MM and H:MM, full-width colon and surrounding spaces', () => {
    expect(parseTimeOfDay('09:00')).toEqual({ hour: 9, minute: 0 });
    expect(parseTimeOfDay('9:05')).toEqual({ hour: 9, minute: 5 });
    expect(parseTimeOfDay('00:00')).toEqual({ hour: 0, minute: 0 });
    expect(parseTimeOfDay('23:59')).toEqual({ hour: 23, minute: 59 });
    expect(parseTimeOfDay(' 07:30 ')).toEqual({ hour: 7, minute: 30 });
    expect(parseTimeOfDay('08：15')).toEqual({ hour: 8, minute: 15 });
  });

  it.each(['25:61', '24:00', '23:60', '', '9', 'ab:cd', '7:5', '123:00', '9:00 pm', '-1:00', '09:00:00', '9.30'])(
    'rejects %j',
    (input) => {
      expect(parseTimeOfDay(input)).toBeNull();
    },
  );
});

describe('time zones', () => {
  it('validates zones', () => {
    for (const tz of ['UTC', 'Asia/Shanghai', 'America/New_York', 'Europe/London', 'Asia/Kolkata', 'Asia/Calcutta']) {
      expect(isValidTimeZone(tz)).toBe(true);
    }
    for (const tz of ['', 'Mars/Olympus_Mons', 'Asia/Shanghai ', '+08:00', 'not a zone']) {
      expect(isValidTimeZone(tz)).toBe(false);
    }
  });

  it('canonicalises spelling', () => {
    expect(canonicalTimeZone('asia/shanghai')).toBe('Asia/Shanghai');
    expect(canonicalTimeZone('utc')).toBe('UTC');
    expect(canonicalTimeZone('asia/kolkata')).toBe('Asia/Kolkata');
    expect(canonicalTimeZone('Nowhere/Else')).toBeNull();
  });

  it('throws a zhenyan error for an invalid zone', () => {
    expect(() => localDate(new Date(), 'Mars/Olympus_Mons')).toThrow(/^zhenyan: unknown time zone/);
    expect(() => zonedWallTimeToUtc('2026-01-01', '09:00', 'Nope/Nope')).toThrow(/^zhenyan: /);
    expect(() => nextRunAt(new Date(), '09:00', 'Nope/Nope')).toThrow(/^zhenyan: /);
  });

  it('throws for an invalid time or date', () => {
    expect(() => zonedWallTimeToUtc('2026-01-01', '25:61', 'UTC')).toThrow(/^zhenyan: invalid time of day/);
    expect(() => zonedWallTimeToUtc('2026-02-30', '09:00', 'UTC')).toThrow(/^zhenyan: invalid local date/);
    expect(() => zonedWallTimeToUtc('26-1-1', '09:00', 'UTC')).toThrow(/^zhenyan: invalid local date/);
  });

  it('lists zones including UTC, sorted, without duplicates', () => {
    const zones = listTimeZones();
    expect(zones).toContain('UTC');
    expect(zones).toContain('Asia/Shanghai');
    expect(zones).toContain('Asia/Kolkata');
    expect(new Set(zones).size).toBe(zones.length);
    expect([...zones].sort()).toEqual([...zones]);
    for (const zone of zones) expect(isValidTimeZone(zone)).toBe(true);
  });
});

describe('local dates', () => {
  it('computes the local date of an instant', () => {
    const instant = at('2026-06-30T18:30:00Z');
    expect(localDate(instant, 'UTC')).toBe('2026-06-30');
    expect(localDate(instant, 'Asia/Shanghai')).toBe('2026-07-01'); // 02:30 next day
    expect(localDate(instant, 'Asia/Kolkata')).toBe('2026-07-01'); // 00:00 next day (+05:30)
    expect(localDate(at('2026-06-30T18:29:59Z'), 'Asia/Kolkata')).toBe('2026-06-30');
    expect(localDate(instant, 'America/New_York')).toBe('2026-06-30');
    expect(localTimeOfDay(instant, 'Asia/Kolkata')).toBe('00:00');
    expect(localTimeOfDay(at('2026-01-01T00:00:00Z'), 'UTC')).toBe('00:00');
  });

  it('does calendar arithmetic', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(daysBetween('2024-01-01', '2025-01-01')).toBe(366);
    expect(daysBetween('2026-03-08', '2026-03-07')).toBe(-1);
  });
});

describe('zonedWallTimeToUtc', () => {
  it('handles fixed-offset zones', () => {
    expect(iso(zonedWallTimeToUtc('2026-01-15', '09:00', 'Asia/Shanghai'))).toBe('2026-01-15T01:00:00.000Z');
    expect(iso(zonedWallTimeToUtc('2026-07-15', '09:00', 'Asia/Shanghai'))).toBe('2026-07-15T01:00:00.000Z');
    expect(iso(zonedWallTimeToUtc('2026-01-01', '00:30', 'Asia/Shanghai'))).toBe('2025-12-31T16:30:00.000Z');
    expect(iso(zonedWallTimeToUtc('2026-03-08', '02:30', 'UTC'))).toBe('2026-03-08T02:30:00.000Z');
    expect(iso(zonedWallTimeToUtc('2026-06-01', '09:00', 'Asia/Kolkata'))).toBe('2026-06-01T03:30:00.000Z');
    expect(iso(zonedWallTimeToUtc('2026-06-01', '05:29', 'Asia/Kolkata'))).toBe('2026-05-31T23:59:00.000Z');
    expect(iso(zonedWallTimeToUtc('2026-06-01', { hour: 0, minute: 0 }, 'Asia/Kolkata'))).toBe('2026-05-31T18:30:00.000Z');
  });

  it('New York, normal days on both sides of DST', () => {
    expect(iso(zonedWallTimeToUtc('2026-01-15', '09:00', 'America/New_York'))).toBe('2026-01-15T14:00:00.000Z'); // EST
    expect(iso(zonedWallTimeToUtc('2026-07-15', '09:00', 'America/New_York'))).toBe('2026-07-15T13:00:00.000Z'); // EDT
  });

  it('New York spring forward 2026-03-08: 02:30 does not exist → 03:00 EDT', () => {
    expect(iso(zonedWallTimeToUtc('2026-03-08', '02:30', 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(zonedWallTimeToUtc('2026-03-08', '02:00', 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z');
    expect(iso(zonedWallTimeToUtc('2026-03-08', '02:59', 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z');
    expect(localTimeOfDay(zonedWallTimeToUtc('2026-03-08', '02:30', 'America/New_York'), 'America/New_York')).toBe('03:00');
    // just before and after the gap
    expect(iso(zonedWallTimeToUtc('2026-03-08', '01:59', 'America/New_York'))).toBe('2026-03-08T06:59:00.000Z'); // EST
    expect(iso(zonedWallTimeToUtc('2026-03-08', '03:00', 'America/New_York'))).toBe('2026-03-08T07:00:00.000Z'); // EDT
    expect(iso(zonedWallTimeToUtc('2026-03-08', '09:00', 'America/New_York'))).toBe('2026-03-08T13:00:00.000Z'); // EDT
  });

  it('New York fall back 2026-11-01: 01:30 happens twice → the first (EDT)', () => {
    expect(iso(zonedWallTimeToUtc('2026-11-01', '01:30', 'America/New_York'))).toBe('2026-11-01T05:30:00.000Z');
    expect(iso(zonedWallTimeToUtc('2026-11-01', '01:00', 'America/New_York'))).toBe('2026-11-01T05:00:00.000Z');
    expect(iso(zonedWallTimeToUtc('2026-11-01', '02:00', 'America/New_York'))).toBe('2026-11-01T07:00:00.000Z'); // EST
    expect(iso(zonedWallTimeToUtc('2026-11-01', '00:59', 'America/New_York'))).toBe('2026-11-01T04:59:00.000Z');
  });

  it('London spring forward 2026-03-29 (01:00 GMT → 02:00 BST) and fall back 2026-10-25', () => {
    expect(iso(zonedWallTimeToUtc('2026-03-29', '01:30', 'Europe/London'))).toBe('2026-03-29T01:00:00.000Z'); // → 02:00 BST
    expect(iso(zonedWallTimeToUtc('2026-03-29', '00:59', 'Europe/London'))).toBe('2026-03-29T00:59:00.000Z');
    expect(iso(zonedWallTimeToUtc('2026-03-29', '09:00', 'Europe/London'))).toBe('2026-03-29T08:00:00.000Z');
    expect(iso(zonedWallTimeToUtc('2026-10-25', '01:30', 'Europe/London'))).toBe('2026-10-25T00:30:00.000Z'); // first, BST
    expect(iso(zonedWallTimeToUtc('2026-10-25', '09:00', 'Europe/London'))).toBe('2026-10-25T09:00:00.000Z'); // GMT
  });

  it('round-trips every minute of a DST day in New York except the gap', () => {
    for (let m = 0; m < 24 * 60; m += 1) {
      const time = { hour: Math.floor(m / 60), minute: m % 60 };
      const utc = zonedWallTimeToUtc('2026-03-08', time, 'America/New_York');
      const inGap = time.hour === 2;
      const expected = inGap ? '03:00' : `${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
      expect(localTimeOfDay(utc, 'America/New_York')).toBe(expected);
      expect(localDate(utc, 'America/New_York')).toBe('2026-03-08');
    }
  });
});

describe('nextRunAt / previousRunAt', () => {
  it('returns today when the time is still ahead, tomorrow otherwise; inclusive of now', () => {
    const now = at('2026-05-10T00:30:00Z'); // 08:30 in Shanghai
    expect(nextRunAt(now, '09:00', 'Asia/Shanghai')).toEqual({ at: at('2026-05-10T01:00:00Z'), localDate: '2026-05-10' });
    expect(nextRunAt(now, '08:00', 'Asia/Shanghai')).toEqual({ at: at('2026-05-11T00:00:00Z'), localDate: '2026-05-11' });
    expect(nextRunAt(at('2026-05-10T01:00:00Z'), '09:00', 'Asia/Shanghai').localDate).toBe('2026-05-10'); // at == now
    expect(nextRunAt(at('2026-05-10T01:00:00.001Z'), '09:00', 'Asia/Shanghai').localDate).toBe('2026-05-11');
    expect(previousRunAt(now, '08:00', 'Asia/Shanghai')).toEqual({ at: at('2026-05-10T00:00:00Z'), localDate: '2026-05-10' });
    expect(previousRunAt(now, '09:00', 'Asia/Shanghai')).toEqual({ at: at('2026-05-09T01:00:00Z'), localDate: '2026-05-09' });
  });

  it('UTC across midnight', () => {
    expect(nextRunAt(at('2026-12-31T23:59:00Z'), '00:00', 'UTC')).toEqual({ at: at('2027-01-01T00:00:00Z'), localDate: '2027-01-01' });
  });

  it('Kolkata +05:30', () => {
    expect(nextRunAt(at('2026-06-01T03:00:00Z'), '09:00', 'Asia/Kolkata')).toEqual({
      at: at('2026-06-01T03:30:00Z'),
      localDate: '2026-06-01',
    });
  });

  it('New York: a daily 02:30 across spring forward posts at 03:00 local, once', () => {
    const runs: string[] = [];
    let now = at('2026-03-06T12:00:00Z');
    for (let i = 0; i < 4; i += 1) {
      const next = nextRunAt(now, '02:30', 'America/New_York');
      runs.push(`${next.localDate} ${iso(next.at)} ${localTimeOfDay(next.at, 'America/New_York')}`);
      now = new Date(next.at.getTime() + 1);
    }
    expect(runs).toEqual([
      '2026-03-07 2026-03-07T07:30:00.000Z 02:30',
      '2026-03-08 2026-03-08T07:00:00.000Z 03:00',
      '2026-03-09 2026-03-09T06:30:00.000Z 02:30',
      '2026-03-10 2026-03-10T06:30:00.000Z 02:30',
    ]);
  });

  it('New York: a daily 01:30 across fall back happens once (the first), not twice', () => {
    const runs: string[] = [];
    let now = at('2026-10-31T12:00:00Z');
    for (let i = 0; i < 3; i += 1) {
      const next = nextRunAt(now, '01:30', 'America/New_York');
      runs.push(`${next.localDate} ${iso(next.at)}`);
      now = new Date(next.at.getTime() + 1);
    }
    expect(runs).toEqual([
      '2026-11-01 2026-11-01T05:30:00.000Z', // 01:30 EDT
      '2026-11-02 2026-11-02T06:30:00.000Z', // skips 01:30 EST (06:30Z on 11-01)
      '2026-11-03 2026-11-03T06:30:00.000Z',
    ]);
    // between the two 01:30s, the previous run is the first one, the next is tomorrow
    const between = at('2026-11-01T06:00:00Z'); // 01:00 EST (second pass)
    expect(previousRunAt(between, '01:30', 'America/New_York').at).toEqual(at('2026-11-01T05:30:00Z'));
    expect(nextRunAt(between, '01:30', 'America/New_York').localDate).toBe('2026-11-02');
    expect(nextRunAt(at('2026-11-01T06:30:00Z'), '01:30', 'America/New_York').localDate).toBe('2026-11-02');
  });

  it('London across both 2026 changes', () => {
    const from = (s: string, time: string) => nextRunAt(at(s), time, 'Europe/London');
    expect(from('2026-03-28T12:00:00Z', '09:00')).toEqual({ at: at('2026-03-29T08:00:00Z'), localDate: '2026-03-29' });
    expect(from('2026-03-28T12:00:00Z', '01:30')).toEqual({ at: at('2026-03-29T01:00:00Z'), localDate: '2026-03-29' });
    expect(from('2026-10-24T12:00:00Z', '09:00')).toEqual({ at: at('2026-10-25T09:00:00Z'), localDate: '2026-10-25' });
    expect(from('2026-10-24T12:00:00Z', '01:30')).toEqual({ at: at('2026-10-25T00:30:00Z'), localDate: '2026-10-25' });
    expect(from('2026-10-25T00:30:00.001Z', '01:30')).toEqual({ at: at('2026-10-26T01:30:00Z'), localDate: '2026-10-26' });
  });

  it('a year of daily runs has one run per local date in every zone', () => {
    for (const tz of ['UTC', 'Asia/Shanghai', 'America/New_York', 'Europe/London', 'Asia/Kolkata']) {
      for (const time of ['00:00', '01:30', '02:30', '09:00', '23:59']) {
        let now = at('2026-01-01T00:00:00Z');
        let previous: string | null = null;
        for (let i = 0; i < 366; i += 1) {
          const next = nextRunAt(now, time, tz);
          if (previous !== null) expect(next.localDate).toBe(addDays(previous, 1));
          previous = next.localDate;
          now = new Date(next.at.getTime() + 1);
        }
      }
    }
  });
});
