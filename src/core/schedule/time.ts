/**
 * Pure time-zone maths for the daily tip, built on `Intl.DateTimeFormat` only (no time-zone library).
 *
 * Vocabulary:
 * - an *instant* is a `Date` (a point on the UTC time line);
 * - a *local date* is a calendar date `YYYY-MM-DD` on the wall clock of an IANA time zone;
 * - a *time of day* is a wall-clock `HH:MM` in that zone.
 *
 * Daylight-saving rules (see {@link zonedWallTimeToUtc}):
 * - a wall time that does not exist (spring-forward gap, e.g. 02:30 on 2026-03-08 in New York) maps to
 *   the next valid minute, i.e. the first instant after the gap (03:00 local);
 * - a wall time that happens twice (fall-back overlap, e.g. 01:30 on 2026-11-01 in New York) maps to its
 *   first occurrence (the earlier instant, still on daylight time), so a daily post happens once.
 *
 * Nothing here imports discord.js: this is the domain core.
 */

/** A wall-clock time of day. */
export interface TimeOfDay {
  /** Hour, 0–23. */
  hour: number;
  /** Minute, 0–59. */
  minute: number;
}

/** The next occurrence of a daily wall-clock time, see {@link nextRunAt}. */
export interface NextRun {
  /** The instant (UTC) of the occurrence. */
  at: Date;
  /**
   * The local date (`YYYY-MM-DD`, in the subscription's zone) the occurrence belongs to. This is the
   * date the daily post is "for" (the posts log key), even in the pathological case where a gap moves
   * the instant past local midnight.
   */
  localDate: string;
}

/** Wall-clock fields of an instant in a zone. */
interface WallFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A cached `en-US` formatter with numeric fields and a 00–23 hour cycle; throws on an invalid zone. */
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

function wallFields(instant: Date | number, timeZone: string): WallFields {
  const fields: WallFields = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  let negativeYear = false;
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    switch (part.type) {
      case 'year':
        fields.year = Number(part.value);
        break;
      case 'month':
        fields.month = Number(part.value);
        break;
      case 'day':
        fields.day = Number(part.value);
        break;
      case 'hour':
        // Some ICU versions print midnight as "24" even with h23; normalise.
        fields.hour = Number(part.value) % 24;
        break;
      case 'minute':
        fields.minute = Number(part.value);
        break;
      case 'second':
        fields.second = Number(part.value);
        break;
      case 'era':
        negativeYear = part.value.startsWith('B');
        break;
      default:
        break;
    }
  }
  if (negativeYear) fields.year = 1 - fields.year;
  return fields;
}

/** The wall-clock reading of `instant` in `timeZone`, as milliseconds of a UTC-based "wall" time line. */
function wallMs(instant: number, timeZone: string): number {
  const f = wallFields(instant, timeZone);
  return Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
}

/** The zone's UTC offset at `instant`, in milliseconds (east positive), whole seconds. */
function offsetMs(instant: number, timeZone: string): number {
  const floored = Math.floor(instant / 1000) * 1000;
  return wallMs(floored, timeZone) - floored;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function formatDate(year: number, month: number, day: number): string {
  const y = year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : String(year);
  return `${y}-${pad2(month)}-${pad2(day)}`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Parses a local date `YYYY-MM-DD` into its fields; throws `zhenyan: invalid local date` on anything
 * else (including impossible dates such as 2026-02-30).
 */
export function parseLocalDate(date: string): { year: number; month: number; day: number } {
  const match = DATE_RE.exec(date);
  if (match) {
    const year = Number(match[1]);
    const month = Number(match[2]);
    const day = Number(match[3]);
    const check = new Date(Date.UTC(year, month - 1, day));
    if (check.getUTCFullYear() === year && check.getUTCMonth() === month - 1 && check.getUTCDate() === day) {
      return { year, month, day };
    }
  }
  throw new Error(`zhenyan: invalid local date ${JSON.stringify(date)} (expected YYYY-MM-DD)`);
}

/** Adds `days` (may be negative) to a local date `YYYY-MM-DD`; calendar arithmetic, no zone involved. */
export function addDays(date: string, days: number): string {
  const { year, month, day } = parseLocalDate(date);
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return formatDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/**
 * Whole days from local date `from` to local date `to` (`to - from`), both `YYYY-MM-DD`; negative when
 * `to` is earlier.
 */
export function daysBetween(from: string, to: string): number {
  const a = parseLocalDate(from);
  const b = parseLocalDate(to);
  return Math.round((Date.UTC(b.year, b.month - 1, b.day) - Date.UTC(a.year, a.month - 1, a.day)) / DAY_MS);
}

/**
 * Whether `tz` is a time zone this runtime's `Intl` knows: an IANA name (`Asia/Shanghai`,
 * `America/New_York`, also legacy links such as `Asia/Calcutta`) or `UTC`. Names are matched the way
 * `Intl` matches them (case-insensitively); use {@link canonicalTimeZone} to get the spelling to store.
 * Fixed offsets like `+08:00` are rejected: a daily schedule needs a zone with rules.
 */
export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== 'string' || tz.trim() === '' || tz !== tz.trim()) return false;
  if (/^[+-]\d/.test(tz)) return false;
  try {
    formatterFor(tz);
    return true;
  } catch {
    return false;
  }
}

/**
 * The spelling to store for a valid zone: the entry of {@link listTimeZones} that matches `tz`
 * case-insensitively (so `asia/kolkata` → `Asia/Kolkata`, `utc` → `UTC`), else what `Intl` resolves it
 * to. Returns null when `tz` is not valid (see {@link isValidTimeZone}).
 */
export function canonicalTimeZone(tz: string): string | null {
  if (!isValidTimeZone(tz)) return null;
  const lower = tz.toLowerCase();
  const listed = listTimeZones().find((zone) => zone.toLowerCase() === lower);
  if (listed) return listed;
  return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
}

/**
 * Parses a wall-clock time of day. Accepted: `H:MM` or `HH:MM`, 24-hour clock, hour 0–23 (one or two
 * digits, so `7:05` and `07:05` are both 07:05), minute 00–59 (exactly two digits, so `7:5` is rejected
 * as ambiguous), surrounding whitespace ignored, and the full-width colon `：` accepted as a colon
 * (common in Chinese input). Rejected (null): `24:00`, `25:61`, `''`, `'9'`, `'ab:cd'`, `'9:00 pm'`.
 */
export function parseTimeOfDay(input: string): TimeOfDay | null {
  if (typeof input !== 'string') return null;
  const match = /^(\d{1,2})[:：](\d{2})$/.exec(input.trim());
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  if (hour > 23 || minute > 59) return null;
  return { hour, minute };
}

/** Formats a time of day as `HH:MM` (the canonical stored form). */
export function formatTimeOfDay(time: TimeOfDay): string {
  return `${pad2(time.hour)}:${pad2(time.minute)}`;
}

function toTimeOfDay(time: TimeOfDay | string): TimeOfDay {
  if (typeof time !== 'string') {
    if (
      Number.isInteger(time.hour) &&
      Number.isInteger(time.minute) &&
      time.hour >= 0 &&
      time.hour <= 23 &&
      time.minute >= 0 &&
      time.minute <= 59
    ) {
      return time;
    }
    throw new Error(`zhenyan: invalid time of day ${JSON.stringify(time)}`);
  }
  const parsed = parseTimeOfDay(time);
  if (!parsed) throw new Error(`zhenyan: invalid time of day ${JSON.stringify(time)} (expected HH:MM, 00:00–23:59)`);
  return parsed;
}

function assertZone(tz: string): void {
  if (!isValidTimeZone(tz)) throw new Error(`zhenyan: unknown time zone ${JSON.stringify(tz)}`);
}

/**
 * The local date (`YYYY-MM-DD`) of `instant` on the wall clock of `tz`. Throws
 * `zhenyan: unknown time zone` for an invalid zone.
 */
export function localDate(instant: Date, tz: string): string {
  assertZone(tz);
  const f = wallFields(instant, tz);
  return formatDate(f.year, f.month, f.day);
}

/**
 * The wall-clock time (`HH:MM`) of `instant` in `tz`, for display. Throws for an invalid zone.
 */
export function localTimeOfDay(instant: Date, tz: string): string {
  assertZone(tz);
  const f = wallFields(instant, tz);
  return formatTimeOfDay({ hour: f.hour, minute: f.minute });
}

/**
 * The instant at which the wall clock of `tz` reads `time` on local date `date`.
 *
 * - Normal case: the unique instant.
 * - Overlap (fall back, the wall time happens twice): the EARLIEST instant.
 * - Gap (spring forward, the wall time does not exist): the next valid minute, which is the instant the
 *   gap ends (e.g. New York 2026-03-08 02:30 → 03:00 EDT = 07:00Z). Not "shifted by the gap length".
 *
 * @param date local date `YYYY-MM-DD`
 * @param time `HH:MM` string (see {@link parseTimeOfDay}) or a {@link TimeOfDay}
 * @param tz IANA zone or `UTC`
 * @throws `zhenyan: …` on an invalid date, time or zone
 */
export function zonedWallTimeToUtc(date: string, time: TimeOfDay | string, tz: string): Date {
  assertZone(tz);
  const { year, month, day } = parseLocalDate(date);
  const { hour, minute } = toTimeOfDay(time);
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // Any solution t of t + offset(t) = wall lies in [wall - 14h, wall + 12h]; sample the offsets in force
  // around it (zones change offset at most once in such a window in practice, sampling 3 points is safe).
  const offsets = new Set<number>();
  for (const probe of [wall - 14 * HOUR_MS, wall - 2 * HOUR_MS, wall, wall + 2 * HOUR_MS, wall + 14 * HOUR_MS]) {
    offsets.add(offsetMs(probe, tz));
  }
  let best: number | null = null;
  for (const offset of offsets) {
    const candidate = wall - offset;
    if (wallMs(candidate, tz) === wall && (best === null || candidate < best)) best = candidate;
  }
  if (best !== null) return new Date(best);
  // Gap: the wall clock jumps over `wall`. Find the first whole minute whose wall reading is >= wall.
  const sorted = [...offsets].sort((a, b) => a - b);
  let lo = Math.floor((wall - (sorted[sorted.length - 1] ?? 0)) / MINUTE_MS); // wall reading < wall
  let hi = Math.ceil((wall - (sorted[0] ?? 0)) / MINUTE_MS); // wall reading > wall
  if (wallMs(lo * MINUTE_MS, tz) >= wall) return new Date(lo * MINUTE_MS);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallMs(mid * MINUTE_MS, tz) >= wall) hi = mid;
    else lo = mid;
  }
  return new Date(hi * MINUTE_MS);
}

/**
 * The next occurrence of the daily wall-clock `time` in `tz` at or after `now` (inclusive: if `now` is
 * exactly the occurrence, that occurrence is returned). Use `new Date(now.getTime() + 1)` for "strictly
 * after". DST rules of {@link zonedWallTimeToUtc} apply, so an occurrence in a fall-back overlap is
 * returned once (the first), and after it has passed the next one is the following day's.
 *
 * @throws `zhenyan: …` on an invalid time or zone
 */
export function nextRunAt(now: Date, time: TimeOfDay | string, tz: string): NextRun {
  const t = toTimeOfDay(time);
  // Start one day back: in rare gap cases an occurrence for yesterday's date lands after midnight.
  let date = addDays(localDate(now, tz), -1);
  for (let i = 0; i < 4; i += 1) {
    const at = zonedWallTimeToUtc(date, t, tz);
    if (at.getTime() >= now.getTime()) return { at, localDate: date };
    date = addDays(date, 1);
  }
  // Unreachable for real zones (an occurrence exists every day); kept as a guard.
  throw new Error(`zhenyan: no occurrence of ${formatTimeOfDay(t)} in ${tz} after ${now.toISOString()}`);
}

/**
 * The most recent occurrence of the daily wall-clock `time` in `tz` at or before `now` (inclusive), or
 * its local date and instant. The counterpart of {@link nextRunAt}, used for "is today's post due".
 */
export function previousRunAt(now: Date, time: TimeOfDay | string, tz: string): NextRun {
  const t = toTimeOfDay(time);
  // Tomorrow's occurrence is never at or before now (gaps only move a wall time forward), so start today.
  let date = localDate(now, tz);
  for (let i = 0; i < 4; i += 1) {
    const at = zonedWallTimeToUtc(date, t, tz);
    if (at.getTime() <= now.getTime()) return { at, localDate: date };
    date = addDays(date, -1);
  }
  throw new Error(`zhenyan: no occurrence of ${formatTimeOfDay(t)} in ${tz} before ${now.toISOString()}`);
}

/**
 * Current IANA names that some ICU builds only know under a legacy link (e.g. ICU lists `Asia/Calcutta`
 * but accepts `Asia/Kolkata`). Added to {@link listTimeZones} when the runtime accepts them.
 */
const MODERN_NAMES = [
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Asia/Ho_Chi_Minh',
  'Asia/Yangon',
  'Europe/Kyiv',
  'America/Nuuk',
  'Atlantic/Faroe',
  'Pacific/Kanton',
  'America/Argentina/Buenos_Aires',
];

let zoneList: readonly string[] | null = null;

/**
 * Every zone name a user may pick: `Intl.supportedValuesOf('timeZone')` plus `UTC` plus the current
 * spellings of renamed zones (see source), sorted, without duplicates. Computed once. Reading what people
 * type (abbreviations, offsets, place names) and autocomplete are in `zones.ts`.
 */
export function listTimeZones(): readonly string[] {
  if (zoneList) return zoneList;
  const names = new Set<string>(['UTC']);
  try {
    for (const name of Intl.supportedValuesOf('timeZone')) names.add(name);
  } catch {
    // Very old runtimes: the short list below still makes autocomplete useful.
  }
  for (const name of MODERN_NAMES) {
    if (!names.has(name) && isValidTimeZone(name)) names.add(name);
  }
  zoneList = Object.freeze([...names].sort());
  return zoneList;
}
