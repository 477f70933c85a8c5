/**
 * Time zones as people type them (src/core/schedule/zones.ts): golden resolutions, the DST the resolved
 * zones keep, refusals of fixed offsets, the data's integrity, and autocomplete ranking.
 */
import { describe, expect, it } from 'vitest';
import { listTimeZones } from '../src/core/schedule/time.ts';
import { ABBREVIATIONS, OFFSET_SUGGESTIONS, OFFSETS_THAT_RESOLVE, PLACE_NAMES, POPULAR_ZONES } from '../src/core/schedule/zone-names.ts';
import { foldZoneName, resolveTimeZone, suggestTimeZones, utcOffsetMinutes } from '../src/core/schedule/zones.ts';

const WINTER = new Date('2026-01-15T12:00:00Z');
const SUMMER = new Date('2026-07-15T12:00:00Z');
const zoneOf = (input: string): string | undefined => {
  const r = resolveTimeZone(input, WINTER);
  return r.kind === 'zone' ? r.zone : undefined;
};
const top = (query: string, n = 1): string[] => suggestTimeZones(query, { now: WINTER }).slice(0, n).map((s) => s.zone);

describe('resolveTimeZone: what people type', () => {
  it.each([
    ['EST', 'America/New_York'],
    ['est', 'America/New_York'],
    ['EDT', 'America/New_York'],
    ['ET', 'America/New_York'],
    ['Eastern Time', 'America/New_York'],
    ['PST', 'America/Los_Angeles'],
    ['pdt', 'America/Los_Angeles'],
    ['PT', 'America/Los_Angeles'],
    ['CDT', 'America/Chicago'],
    ['MST', 'America/Denver'],
    ['北京时间', 'Asia/Shanghai'],
    ['北京時間', 'Asia/Shanghai'],
    ['CST+8', 'Asia/Shanghai'],
    ['UTC+8', 'Asia/Shanghai'],
    ['utc+08:00', 'Asia/Shanghai'],
    ['GMT+8', 'Asia/Shanghai'],
    ['UTC＋８', 'Asia/Shanghai'],
    ['CET', 'Europe/Berlin'],
    ['CEST', 'Europe/Berlin'],
    ['GMT', 'Europe/London'],
    ['BST', 'Europe/London'],
    ['JST', 'Asia/Tokyo'],
    ['KST', 'Asia/Seoul'],
    ['IST', 'Asia/Kolkata'],
    ['HKT', 'Asia/Hong_Kong'],
    ['SGT', 'Asia/Singapore'],
    ['AEST', 'Australia/Sydney'],
    ['AEDT', 'Australia/Sydney'],
    ['NZDT', 'Pacific/Auckland'],
    ['MSK', 'Europe/Moscow'],
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
    ['UTC+0', 'UTC'],
    ['Etc/UTC', 'UTC'],
    ['Asia/Shanghai', 'Asia/Shanghai'],
    ['asia/kolkata', 'Asia/Kolkata'],
    ['Asia/Calcutta', 'Asia/Calcutta'],
    ['US/Eastern', 'America/New_York'],
    ['  beijing ', 'Asia/Shanghai'],
    ['纽约', 'America/New_York'],
    ['São Paulo', 'America/Sao_Paulo'],
    ['sao paulo', 'America/Sao_Paulo'],
    ['new york', 'America/New_York'],
    ['London', 'Europe/London'],
  ])('%j → %s', (input, zone) => {
    expect(resolveTimeZone(input, WINTER)).toEqual({ kind: 'zone', zone });
  });

  it('resolves abbreviations to zones that keep daylight saving time, not to fixed offsets', () => {
    const cases: Array<[string, number, number]> = [
      ['EST', -300, -240],
      ['EDT', -300, -240],
      ['PST', -480, -420],
      ['CET', 60, 120],
      ['GMT', 0, 60],
      ['BST', 0, 60],
      ['AEST', 660, 600], // southern hemisphere: summer in January
    ];
    for (const [input, winter, summer] of cases) {
      const zone = zoneOf(input)!;
      expect([input, utcOffsetMinutes(zone, WINTER), utcOffsetMinutes(zone, SUMMER)]).toEqual([input, winter, summer]);
    }
  });

  it('asks about CST, offering China and US Central', () => {
    for (const input of ['CST', 'cst', ' Cst ']) {
      expect(resolveTimeZone(input)).toEqual({ kind: 'ambiguous', options: ['Asia/Shanghai', 'America/Chicago'] });
    }
  });

  it.each([
    ['Etc/GMT-8', 480, 'Asia/Shanghai'],
    ['+08:00', 480, 'Asia/Shanghai'],
    ['＋０８：００', 480, 'Asia/Shanghai'],
    ['UTC+5', 300, 'Asia/Karachi'],
    ['UTC+05:30', 330, 'Asia/Kolkata'],
    ['+0530', 330, 'Asia/Kolkata'],
    ['UTC-5', -300, 'America/New_York'],
    ['UTC−8', -480, 'America/Los_Angeles'],
    ['Etc/GMT+5', -300, 'America/New_York'],
    ['GMT-3', -180, 'America/Sao_Paulo'],
    ['UTC+9', 540, 'Asia/Tokyo'],
    ['-03:30', -210, 'America/St_Johns'],
  ])('refuses the fixed offset %j, suggesting a real zone', (input, offsetMinutes, first) => {
    const r = resolveTimeZone(input, WINTER);
    expect(r.kind).toBe('fixed-offset');
    if (r.kind !== 'fixed-offset') return;
    expect(r.offsetMinutes).toBe(offsetMinutes);
    expect(r.suggestions[0]).toBe(first);
    expect(r.suggestions.length).toBeLessThanOrEqual(3);
    // Every suggestion is a real zone on that offset at that moment.
    for (const zone of r.suggestions) {
      expect(resolveTimeZone(zone)).toEqual({ kind: 'zone', zone });
      expect(utcOffsetMinutes(zone, WINTER)).toBe(offsetMinutes);
    }
  });

  it('suggests zones on the offset at that moment when no zone is obvious', () => {
    const r = resolveTimeZone('UTC+2', SUMMER);
    expect(r.kind).toBe('fixed-offset');
    if (r.kind !== 'fixed-offset') return;
    expect(r.suggestions.length).toBeGreaterThan(0);
    for (const zone of r.suggestions) expect(utcOffsetMinutes(zone, SUMMER)).toBe(120);
  });

  it('never takes the three-letter ids only ICU knows (BST = Bangladesh, EST = Panama)', () => {
    // ICU would say Asia/Dhaka, America/Panama, Pacific/Guadalcanal.
    expect(zoneOf('BST')).toBe('Europe/London');
    expect(zoneOf('EST')).toBe('America/New_York');
    expect(resolveTimeZone('SST').kind).toBe('unknown');
    expect(resolveTimeZone('VST').kind).toBe('unknown');
  });

  it.each(['', '   ', 'Mars/Olympus_Mons', 'not a zone', '+15:00', 'UTC+8:75', '9'])('%j is unknown', (input) => {
    expect(resolveTimeZone(input).kind).toBe('unknown');
  });

  it('offers close names for an unknown input when there are some', () => {
    const r = resolveTimeZone('shanghai city');
    expect(r.kind).toBe('unknown');
    expect(resolveTimeZone('Europe/Lond')).toEqual({ kind: 'unknown', suggestions: ['Europe/London'] });
  });

  it('resolves every listed zone to itself', () => {
    for (const zone of listTimeZones()) expect(resolveTimeZone(zone, WINTER)).toEqual({ kind: 'zone', zone });
  });
});

describe('zone-names data', () => {
  const allNamed = [
    ...Object.values(ABBREVIATIONS).flatMap((a) => ('ask' in a ? a.ask : a)),
    ...Object.values(PLACE_NAMES).flat(),
    ...Object.values(OFFSET_SUGGESTIONS),
    ...Object.values(OFFSETS_THAT_RESOLVE),
    ...POPULAR_ZONES,
  ];

  it('names only zones this runtime lists', () => {
    const zones = new Set(listTimeZones());
    expect(allNamed.filter((zone) => !zones.has(zone))).toEqual([]);
  });

  it('writes every key folded, and no key in both tables', () => {
    for (const key of [...Object.keys(ABBREVIATIONS), ...Object.keys(PLACE_NAMES)]) expect(foldZoneName(key)).toBe(key);
    expect(Object.keys(ABBREVIATIONS).filter((key) => Object.hasOwn(PLACE_NAMES, key))).toEqual([]);
  });

  it('suggests for each offset a zone that is on it at least part of the year', () => {
    for (const [minutes, zone] of Object.entries(OFFSET_SUGGESTIONS)) {
      expect([utcOffsetMinutes(zone, WINTER), utcOffsetMinutes(zone, SUMMER)]).toContain(Number(minutes));
    }
  });
});

describe('suggestTimeZones (autocomplete)', () => {
  it('ranks exact abbreviations first', () => {
    expect(top('est', 3)).toEqual(['America/New_York', 'America/Toronto', 'America/Detroit']);
    for (const zone of ['America/Creston', 'Europe/Bucharest', 'Europe/Budapest', 'Europe/London']) {
      expect(top('est', 3)).not.toContain(zone);
    }
    expect(top('pst')).toEqual(['America/Los_Angeles']);
    expect(top('PT')).toEqual(['America/Los_Angeles']);
    expect(top('cst', 2)).toEqual(['Asia/Shanghai', 'America/Chicago']);
    expect(top('ist')).toEqual(['Asia/Kolkata']);
    expect(top('北京时间')).toEqual(['Asia/Shanghai']);
  });

  it('finds offsets, accented and Chinese city names', () => {
    expect(top('utc+8')).toEqual(['Asia/Shanghai']);
    expect(top('UTC+8', 4)).toEqual(['Asia/Shanghai', 'Asia/Hong_Kong', 'Asia/Taipei', 'Asia/Singapore']);
    expect(top('+05:30')).toEqual(['Asia/Kolkata']);
    expect(top('utc-5')).toEqual(['America/New_York']);
    expect(top('são paulo')).toEqual(['America/Sao_Paulo']);
    expect(top('sao paulo')).toEqual(['America/Sao_Paulo']);
    expect(top('são', 2)).toContain('America/Sao_Paulo');
    expect(top('纽约')).toEqual(['America/New_York']);
    expect(top('紐約')).toEqual(['America/New_York']);
    expect(top('伦敦')).toEqual(['Europe/London']);
    expect(top('东京')).toEqual(['Asia/Tokyo']);
    expect(top('旧金山')).toEqual(['America/Los_Angeles']);
    expect(top('悉尼')).toEqual(['Australia/Sydney']);
  });

  it('finds zone ids and cities', () => {
    expect(top('shanghai')).toEqual(['Asia/Shanghai']);
    expect(top('SHANGHAI')).toEqual(['Asia/Shanghai']);
    expect(top('london')).toEqual(['Europe/London']);
    expect(top('new york')).toEqual(['America/New_York']);
    expect(top('new_york')).toEqual(['America/New_York']);
    expect(top('kolkata')).toEqual(['Asia/Kolkata']);
    expect(top('beijing')).toEqual(['Asia/Shanghai']);
    expect(top('北京')).toEqual(['Asia/Shanghai']);
    expect(top('mumbai')).toEqual(['Asia/Kolkata']);
    expect(top('san francisco')).toEqual(['America/Los_Angeles']);
    expect(top('utc')).toEqual(['UTC']);
    // prefix matches before substring matches
    expect(top('lon')).toEqual(['Europe/London']);
    const europe = suggestTimeZones('europe/');
    expect(europe).toHaveLength(25);
    expect(europe.every((s) => s.zone.startsWith('Europe/'))).toBe(true);
  });

  it('labels matches, offers each zone once under its current name, and every value resolves to itself', () => {
    expect(suggestTimeZones('est', { now: WINTER })[0]).toEqual({ zone: 'America/New_York', label: 'America/New_York (EST)' });
    expect(suggestTimeZones('utc+8', { now: WINTER })[0]).toEqual({ zone: 'Asia/Shanghai', label: 'Asia/Shanghai (UTC+08:00)' });
    for (const query of ['a', 'asia', 'europe/', 'kol', 'kyiv', 'kiev', '+05:30', 'utc+2', 'america', 'cst', '上海', 'st']) {
      const suggestions = suggestTimeZones(query, { now: SUMMER });
      const zones = suggestions.map((s) => s.zone);
      expect(new Set(zones).size).toBe(zones.length);
      expect(zones).not.toContain('Asia/Calcutta'); // Asia/Kolkata is listed instead
      expect(zones).not.toContain('Europe/Kiev');
      for (const { zone, label } of suggestions) {
        expect(label.length).toBeLessThanOrEqual(100);
        expect(label.startsWith(zone)).toBe(true);
        expect(resolveTimeZone(zone)).toEqual({ kind: 'zone', zone });
      }
    }
  });

  it('respects the limit and suggests popular zones for an empty query', () => {
    expect(suggestTimeZones('a', { limit: 5 })).toHaveLength(5);
    expect(suggestTimeZones('').map((s) => s.zone)).toEqual(POPULAR_ZONES);
    expect(suggestTimeZones('zzzzzz')).toEqual([]);
  });
});
