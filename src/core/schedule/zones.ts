/**
 * Time zones as people type them: `EST`, `pst`, `北京时间`, `UTC+8`, `são paulo`, `纽约`, `Asia/Shanghai`.
 *
 * - {@link resolveTimeZone} turns what someone typed into one IANA zone, or says why it cannot: the name
 *   is ambiguous (`CST`: China or US Central?), it is a fixed offset (`+08:00`, `Etc/GMT-8`, `UTC+5`: no
 *   daylight-saving rules, so refused with a suggestion), or it is unknown (with the closest names).
 * - {@link suggestTimeZones} ranks zones for an autocomplete box.
 *
 * The names (abbreviations, Chinese and English place names, obvious zones per offset) are data in
 * `zone-names.ts`; the zone list is `listTimeZones()` (from `Intl.supportedValuesOf('timeZone')`). The
 * time maths stays in `time.ts`. Nothing here imports discord.js: this is the domain core.
 */
import { canonicalTimeZone, listTimeZones } from './time.ts';
import {
  ABBREVIATIONS,
  ICU_ONLY_IDS,
  OFFSET_SUGGESTIONS,
  OFFSETS_THAT_RESOLVE,
  PLACE_NAMES,
  POPULAR_ZONES,
  type ZoneAlias,
} from './zone-names.ts';

/** What {@link resolveTimeZone} made of an input. */
export type TimeZoneResolution =
  /** One IANA zone, in the spelling to store. */
  | { kind: 'zone'; zone: string }
  /** The input names several zones equally (e.g. `CST`): ask which one. `options` best first. */
  | { kind: 'ambiguous'; options: string[] }
  /** A fixed UTC offset, refused; `suggestions` are real zones on that offset (best first, maybe empty). */
  | { kind: 'fixed-offset'; offsetMinutes: number; suggestions: string[] }
  /** Not a zone; `suggestions` are the closest zone names (maybe empty). */
  | { kind: 'unknown'; suggestions: string[] };

/** One autocomplete choice. */
export interface ZoneSuggestion {
  /** IANA zone id (the value to submit). */
  zone: string;
  /** What to show: the zone id, plus the name that matched or the offset (`America/New_York (EST)`). */
  label: string;
}

/** Options for {@link suggestTimeZones}. */
export interface SuggestOptions {
  /** At most this many suggestions. Default 25 (Discord's maximum). */
  limit?: number;
  /** The instant whose UTC offsets an offset query (`utc+5`) is matched against. Default: now. */
  now?: Date;
}

/**
 * The input as typed, made comparable: Unicode NFKC (full-width `＋８：００` → `+8:00`), minus-like dashes
 * → `-`, runs of whitespace → one space, trimmed.
 */
function normalizeInput(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u2212\u2010-\u2015]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Key for matching names: {@link normalizeInput}, accents removed (`são` → `sao`), lower case, and `_`,
 * `-`, `/` and spaces folded to one space (`new_york`, `New-York` and `new york` are equal).
 */
export function foldZoneName(text: string): string {
  return normalizeInput(text)
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\s_\-/]+/g, ' ')
    .trim();
}

/** A parsed fixed offset: minutes east of UTC, and the word written before it (`utc`, `gmt`, `cst`…), if any. */
interface ParsedOffset {
  minutes: number;
  prefix: string | null;
}

/** `+8`, `+08:00`, `-0530`, `UTC+8`, `GMT-05:00`, `CST+8`, `UTC +5:30`. Hours ≤ 14, minutes < 60. */
const OFFSET_PATTERN = /^(?:(utc|gmt|cst|bjt)\s?)?([+-])\s?(\d{1,2})(?:[:h]?(\d{2}))?$/i;
/** `Etc/GMT-8` is UTC+8: POSIX signs are inverted. Whole hours only. */
const ETC_PATTERN = /^etc\/gmt([+-])(\d{1,2})$/i;

function parseOffset(text: string): ParsedOffset | null {
  const etc = ETC_PATTERN.exec(text);
  if (etc) {
    const hours = Number(etc[2]);
    if (hours > 14) return null;
    return { minutes: (etc[1] === '-' ? 1 : -1) * hours * 60 || 0, prefix: 'etc' };
  }
  const m = OFFSET_PATTERN.exec(text);
  if (!m) return null;
  const hours = Number(m[3]);
  const minutes = m[4] === undefined ? 0 : Number(m[4]);
  if (hours > 14 || minutes > 59) return null;
  return { minutes: (m[2] === '-' ? -1 : 1) * (hours * 60 + minutes) || 0, prefix: m[1]?.toLowerCase() ?? null };
}

/** An offset written the way that resolves (see `OFFSETS_THAT_RESOLVE`): after UTC/GMT, or CST for +8. */
function resolvingOffsetZone(offset: ParsedOffset): string | undefined {
  const zone = OFFSETS_THAT_RESOLVE[offset.minutes];
  if (!zone) return undefined;
  if (offset.prefix === 'utc' || offset.prefix === 'gmt') return zone;
  if (offset.prefix === 'cst' && offset.minutes === 8 * 60) return zone;
  return undefined;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

/** The UTC offset of `zone` at `at`, in minutes east of UTC (Intl's `longOffset`, e.g. `GMT+05:30`). */
export function utcOffsetMinutes(zone: string, at: Date): number {
  let formatter = offsetFormatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    offsetFormatters.set(zone, formatter);
  }
  const name = formatter.formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
  if (!m) return 0; // plain "GMT"
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

/** `+08:00`, `-05:00`, `+05:30`: an offset as people read it. */
function formatOffset(minutes: number): string {
  const abs = Math.abs(minutes);
  return `${minutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** Sort key: popular zones first (in their order), then the rest alphabetically. */
function popularity(zone: string): number {
  const i = POPULAR_ZONES.indexOf(zone);
  return i < 0 ? POPULAR_ZONES.length : i;
}

function byPopularity(a: string, b: string): number {
  return popularity(a) - popularity(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Zones on UTC offset `minutes` at `now`, best first: the obvious zone of that offset (data), then
 * popular zones, then alphabetical. "On this offset right now" is what someone typing an offset looks at.
 */
function zonesOnOffset(minutes: number, now: Date): string[] {
  const obvious = OFFSET_SUGGESTIONS[minutes];
  const on = suggestableZones().filter((zone) => zone !== obvious && utcOffsetMinutes(zone, now) === minutes);
  return [...(obvious ? [obvious] : []), ...on];
}

/** The alias entry for an exact (folded) name, from abbreviations first, then place names. */
function aliasFor(key: string): ZoneAlias | undefined {
  return Object.hasOwn(ABBREVIATIONS, key) ? ABBREVIATIONS[key] : Object.hasOwn(PLACE_NAMES, key) ? PLACE_NAMES[key] : undefined;
}

function aliasZones(alias: ZoneAlias): readonly string[] {
  return 'ask' in alias ? alias.ask : alias;
}

/**
 * Reads a time zone as someone typed it. In order:
 * 1. an abbreviation or name from `zone-names.ts` (`EST` → America/New_York, `北京时间` → Asia/Shanghai,
 *    `beijing` → Asia/Shanghai; `CST` → ambiguous, China or US Central);
 * 2. a fixed offset (`+08:00`, `UTC+5`, `Etc/GMT-8`): refused with the obvious real zone, except
 *    `UTC+8`/`GMT+8`/`CST+8` (→ Asia/Shanghai) and `UTC+0`/`GMT+0` (→ UTC), see `OFFSETS_THAT_RESOLVE`;
 * 3. an IANA zone id in any case (`asia/kolkata` → Asia/Kolkata, `US/Eastern` → America/New_York), except
 *    the old three-letter ids only ICU knows (`BST` would be Bangladesh) and `Etc/` fixed offsets;
 * 4. otherwise unknown, with up to three close names.
 *
 * `now` only matters for suggestions on an offset without an obvious zone (zones on it at that instant).
 */
export function resolveTimeZone(input: string, now: Date = new Date()): TimeZoneResolution {
  const text = normalizeInput(typeof input === 'string' ? input : '');
  if (text === '') return { kind: 'unknown', suggestions: [] };

  const alias = aliasFor(foldZoneName(text));
  if (alias) {
    if ('ask' in alias) return { kind: 'ambiguous', options: [...alias.ask] };
    return { kind: 'zone', zone: alias[0]! };
  }

  const offset = parseOffset(text);
  if (offset) {
    const zone = resolvingOffsetZone(offset);
    if (zone) return { kind: 'zone', zone };
    return { kind: 'fixed-offset', offsetMinutes: offset.minutes, suggestions: zonesOnOffset(offset.minutes, now).slice(0, 3) };
  }

  const key = foldZoneName(text);
  const byCity = zoneIndex().find(({ id, city }) => id === key || city === key);
  if (byCity) return { kind: 'zone', zone: byCity.zone };

  const trustIntl = text.includes('/') || !ICU_ONLY_IDS.has(text.toUpperCase());
  const canonical = trustIntl ? canonicalTimeZone(text) : null;
  if (canonical) {
    const etc = /^Etc\/GMT([+-]\d{1,2})$/.exec(canonical);
    if (etc) {
      const minutes = -Number(etc[1]) * 60 || 0;
      return { kind: 'fixed-offset', offsetMinutes: minutes, suggestions: zonesOnOffset(minutes, now).slice(0, 3) };
    }
    return { kind: 'zone', zone: canonical };
  }
  return { kind: 'unknown', suggestions: suggestTimeZones(text, { limit: 3, now }).map((s) => s.zone) };
}

let suggestable: string[] | null = null;

/**
 * The zones worth offering, popular first then alphabetical: `listTimeZones()` without the old spelling
 * of a renamed zone when the new one is listed too (`Asia/Calcutta` when `Asia/Kolkata` is there: ICU
 * canonicalises both to the old one). Old spellings still resolve when typed.
 */
function suggestableZones(): string[] {
  if (suggestable) return suggestable;
  const all = listTimeZones();
  // Only the names listTimeZones() adds to Intl's own list can have an old twin; Intl maps them to it.
  const intl = new Set<string>(Intl.supportedValuesOf('timeZone'));
  const legacy = new Set<string>();
  for (const zone of all) {
    if (intl.has(zone) || zone === 'UTC') continue;
    const icuId = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    if (icuId !== zone && all.includes(icuId)) legacy.add(icuId);
  }
  suggestable = all.filter((zone) => !legacy.has(zone)).sort(byPopularity);
  return suggestable;
}

/** Folded zone ids and their last segment (the city), computed once per zone list. */
let foldedZones: Array<{ zone: string; id: string; city: string }> | null = null;

function zoneIndex(): Array<{ zone: string; id: string; city: string }> {
  foldedZones ??= suggestableZones().map((zone) => ({
    zone,
    id: foldZoneName(zone),
    city: foldZoneName(zone.slice(zone.lastIndexOf('/') + 1)),
  }));
  return foldedZones;
}

/** How an alias key is shown in a label: abbreviations in capitals (`EST`), other names as written. */
function aliasLabel(key: string): string {
  return Object.hasOwn(ABBREVIATIONS, key) && /^[a-z]{2,5}$/.test(key) ? key.toUpperCase() : key;
}

/**
 * Zones for an autocomplete box, best first, at most `limit`.
 *
 * Ranking (ties: the order of the data, then popular zones, then alphabetical):
 * 0. exact abbreviation or name (`est`, `pst`, `cst` → both of its zones, `纽约`, `beijing`), exact zone id
 *    or city (`são paulo`, `sao paulo`, `new_york`), or the offset typed (`utc+8`, `+05:30`: its obvious zone);
 * 1. the other zones on that offset now; a city starting with the query;
 * 2. a zone id starting with the query (`europe/`);
 * 3. an abbreviation or name starting with the query (`bei` → Asia/Shanghai);
 * 4. a zone id containing the query; 5. a name containing it (3 characters or more).
 *
 * An empty query returns popular zones. Matching folds case, accents, full-width forms and `_ - /`.
 */
export function suggestTimeZones(query: string, options: SuggestOptions = {}): ZoneSuggestion[] {
  const max = Math.max(0, Math.floor(options.limit ?? 25));
  const zones = new Set(suggestableZones());
  const text = normalizeInput(typeof query === 'string' ? query : '');
  const q = foldZoneName(text);
  if (q === '') return POPULAR_ZONES.filter((zone) => zones.has(zone)).slice(0, max).map((zone) => ({ zone, label: zone }));

  const best = new Map<string, { score: number; label: string }>();
  const consider = (zone: string, score: number, label: string = zone): void => {
    if (!zones.has(zone)) return;
    const previous = best.get(zone);
    if (previous === undefined || score < previous.score) best.set(zone, { score, label });
  };

  const offset = parseOffset(text);
  if (offset) {
    const onOffset = zonesOnOffset(offset.minutes, options.now ?? new Date());
    const shown = formatOffset(offset.minutes);
    const first = resolvingOffsetZone(offset) ?? OFFSET_SUGGESTIONS[offset.minutes];
    onOffset.forEach((zone, i) => consider(zone, zone === first ? 0 : 1 + i / 1000, `${zone} (UTC${shown})`));
  }

  for (const { zone, id, city } of zoneIndex()) {
    if (id === q || city === q) consider(zone, 0);
    else if (city.startsWith(q)) consider(zone, 1);
    else if (id.startsWith(q)) consider(zone, 2);
    else if (id.includes(q)) consider(zone, 4);
  }

  for (const table of [PLACE_NAMES, ABBREVIATIONS] as const) {
    for (const [key, alias] of Object.entries(table)) {
      const score = key === q ? 0 : key.startsWith(q) ? 3 : q.length >= 3 && key.includes(q) ? 5 : -1;
      if (score < 0) continue;
      aliasZones(alias).forEach((zone, i) => consider(zone, score + i / 1000, `${zone} (${aliasLabel(key)})`));
    }
  }

  return [...best.entries()]
    .sort((a, b) => a[1].score - b[1].score || byPopularity(a[0], b[0]))
    .slice(0, max)
    .map(([zone, { label }]) => ({ zone, label }));
}

/**
 * One English line saying why `input` is not a zone, for operators (configuration, command line):
 * `"CST" is ambiguous: use Asia/Shanghai or America/Chicago`. Users in Discord get localized messages.
 */
export function describeZoneProblem(input: string, problem: Exclude<TimeZoneResolution, { kind: 'zone' }>): string {
  const or = (zones: string[]): string => zones.join(' or ');
  if (problem.kind === 'ambiguous') return `"${input}" is ambiguous: use ${or(problem.options)}`;
  if (problem.kind === 'fixed-offset') {
    const hint = problem.suggestions.length > 0 ? `, e.g. ${or(problem.suggestions)}` : '';
    return `"${input}" is a fixed UTC offset (no daylight saving time): use an IANA zone${hint}`;
  }
  const hint = problem.suggestions.length > 0 ? ` (did you mean ${or(problem.suggestions)}?)` : ' (e.g. Asia/Shanghai)';
  return `"${input}" is not an IANA time zone${hint}`;
}
