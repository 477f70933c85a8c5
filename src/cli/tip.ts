/** `cli tip [--date YYYY-MM-DD] [--timezone ZONE] [--channel ID] [--json]`: the tip of a day, as the daily post shows it. */
import type { ParseArgsConfig } from 'node:util';
import type { Library } from '../core/library.ts';
import { localDate } from '../core/schedule/time.ts';
import { describeZoneProblem, resolveTimeZone } from '../core/schedule/zones.ts';
import { toQuoteRecord } from '../core/search/record.ts';
import { dailyTip } from '../core/tips/daily.ts';
import { UsageError, type CliIo, type ParsedArgs } from './io.ts';

type Parse = (args: string[], options: ParseArgsConfig['options']) => ParsedArgs;

/**
 * Runs the `tip` command. Without `--date` the day is today in `--timezone` (read like `/daily set` reads
 * it: `EST`, `UTC+8`, `Asia/Shanghai`…), else in `DEFAULT_TIMEZONE` when it is a zone, else Asia/Shanghai.
 */
export function runTipCommand(args: string[], io: CliIo, getLibrary: () => Library, parse: Parse): number {
  const { values, positionals } = parse(args, {
    date: { type: 'string' },
    timezone: { type: 'string' },
    channel: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError('tip takes no positional arguments: tip [--date YYYY-MM-DD] [--timezone ZONE] [--channel ID] [--json]');
  let zone = 'Asia/Shanghai';
  if (typeof values.timezone === 'string') {
    const resolved = resolveTimeZone(values.timezone);
    if (resolved.kind !== 'zone') throw new UsageError(`--timezone: ${describeZoneProblem(values.timezone, resolved)}`);
    zone = resolved.zone;
  } else if (process.env.DEFAULT_TIMEZONE) {
    const resolved = resolveTimeZone(process.env.DEFAULT_TIMEZONE);
    if (resolved.kind === 'zone') zone = resolved.zone;
  }
  const day = typeof values.date === 'string' ? values.date : localDate(new Date(), zone);
  if (!/^\d{4}-\d{2}-\d{2}$/u.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)) || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) {
    throw new UsageError(`--date takes a date as YYYY-MM-DD (got "${day}")`);
  }
  const channel = typeof values.channel === 'string' ? values.channel : null;
  if (channel !== null && !/^\d{1,20}$/u.test(channel)) throw new UsageError('--channel takes a Discord channel id (digits)');
  const tip = dailyTip(getLibrary(), channel, day);
  if (values.json) {
    io.stdout(JSON.stringify({ day, channel, tip: tip ? toQuoteRecord(tip.passage, tip.interview, tip.speaker) : null }));
    return 0;
  }
  if (!tip) {
    io.stdout('No tips in the corpus (see data/README.md, "Daily tips").');
    return 0;
  }
  io.stdout(`${day}${channel ? ` · channel ${channel}` : ''}`);
  io.stdout(`“${tip.passage.text}”`);
  io.stdout(`— ${tip.speaker?.name ?? '(narration)'} · ${[tip.interview.title, tip.interview.publication, tip.interview.date].filter(Boolean).join(' · ')}`);
  return 0;
}
