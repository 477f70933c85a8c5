/**
 * The command-line front end: `npm run --silent cli -- <command>`. Its output is a stable contract
 * (other tools call it): see README.md, "Command line".
 *
 * Exit codes: 0 on success (including "no results"), 2 with a one-line message on stderr for bad usage,
 * 1 for an unexpected failure.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadLibrary, type Library } from '../core/library.ts';
import type { SearchResponse } from '../core/search/engine.ts';
import { applyHighlights, highlightsWithin } from '../core/search/highlight.ts';
import { questionLine, quoteParts, toQuoteRecord } from '../core/search/record.ts';
import { runCardCommand } from './card.ts';
import { runTipCommand } from './tip.ts';
import { checkCommand, importCommand } from './data-commands.ts';
import { UsageError, type CliIo, type ParsedArgs } from './io.ts';
import { formatProblem } from '../core/corpus/load.ts';

export { UsageError, type CliIo, type ParsedArgs } from './io.ts';

const USAGE = `usage: npm run --silent cli -- <command>
  search "<query>" [--limit N] [--speaker NAME] [--source ID] [--per-speaker] [--json]
                                   --per-speaker: the best passage of each speaker (N speakers)
  search --stdin --json            one query per input line, one JSON object per output line
  sources [--json]                 the interviews, their speakers and passage counts
  passages --json                  every indexed passage as JSON Lines
  tip [--date YYYY-MM-DD] [--timezone ZONE] [--channel ID] [--json]
  import <raw-file> [--id ID] [--speaker NAME]... [--title T] [--date YYYY-MM-DD] [--out PATH|-] [--force]
                                   a draft data file for a person to review (default data/interviews/<id>.md)
  check [--data-dir DIR]           validate every data file: file:line: message, exit 1 if any problem
  card <passage-id> --out FILE.png [--theme dark|light]   the quote card of a passage`;

function parse(args: string[], options: ParseArgsConfig['options']): ParsedArgs {
  try {
    const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true });
    return { values: values as ParsedArgs['values'], positionals };
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
}

/** Runs one CLI invocation and returns its exit code. `getLibrary` is called only by commands that need the index. */
export async function runCli(argv: string[], io: CliIo, getLibrary: () => Library = () => loadLibraryReporting(io)): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'search':
        return await searchCommand(rest, io, getLibrary);
      case 'sources':
        return sourcesCommand(rest, io, getLibrary);
      case 'passages':
        return passagesCommand(rest, io, getLibrary);
      case 'tip':
        return runTipCommand(rest, io, getLibrary, parse);
      case 'import':
        return importCommand(rest, io, parse);
      case 'check':
        return checkCommand(rest, io, parse);
      case 'card':
        return await runCardCommand(rest, io, getLibrary, parse);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}" (try: search, sources, passages, tip, import, check, card)`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`zhenyan: ${error.message}`);
      return 2;
    }
    throw error;
  }
}

async function searchCommand(args: string[], io: CliIo, getLibrary: () => Library): Promise<number> {
  const { values, positionals } = parse(args, {
    limit: { type: 'string' },
    speaker: { type: 'string' },
    source: { type: 'string' },
    json: { type: 'boolean' },
    stdin: { type: 'boolean' },
    'per-speaker': { type: 'boolean' },
  });
  const limit = typeof values.limit === 'string' ? Number(values.limit) : 5;
  if (!Number.isInteger(limit) || limit < 1 || limit > 50) throw new UsageError('--limit takes a whole number from 1 to 50');
  if (values.stdin) {
    if (!values.json) throw new UsageError('--stdin needs --json (one JSON object per line)');
    if (positionals.length > 0) throw new UsageError('give the query on standard input or as an argument, not both');
  } else if (positionals.length !== 1) {
    throw new UsageError('search takes one query: search "<query>" (quote it if it has spaces)');
  }
  const library = getLibrary();
  const speaker = typeof values.speaker === 'string' ? values.speaker : undefined;
  const source = typeof values.source === 'string' ? values.source : undefined;
  const perSpeaker = values['per-speaker'] === true;
  const run = (text: string) => (perSpeaker ? library.index.searchPerSpeaker({ text, limit, speaker, source }) : library.index.search({ text, limit, speaker, source }));

  if (values.stdin) {
    for await (const line of io.stdinLines()) io.stdout(JSON.stringify(searchJson(run(line))));
    return 0;
  }
  const response = run(positionals[0]!);
  io.stdout(values.json ? JSON.stringify(searchJson(response)) : renderSearch(response, io.color));
  return 0;
}

/** The JSON contract of `search --json`. */
export function searchJson(response: SearchResponse) {
  return {
    query: response.query,
    results: response.hits.map((hit) => ({ ...toQuoteRecord(hit.passage, hit.interview, hit.speaker, hit.question), score: round(hit.score) })),
    ...(response.problem ? { problem: response.problem, message: problemMessage(response) } : {}),
    ...(response.truncated ? { truncated: true } : {}),
    ...(response.hits.length === 0 ? { suggestions: response.suggestions } : {}),
  };
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}

/** A friendly one-line explanation of why a query found nothing. */
export function problemMessage(response: SearchResponse): string {
  switch (response.problem) {
    case 'empty':
      return 'Type something to search for, for example: 卖房创业, TiDB, 融资.';
    case 'no-terms':
      return 'That query has no words to search for (only punctuation, emoji or very common words). Try a name or a topic, like 云计算 or TiDB.';
    case 'unknown-speaker':
      return `No speaker by that name. Speakers: ${response.suggestions.join(', ')}.`;
    case 'unknown-source':
      return `No interview with that id. Interviews: ${response.suggestions.join(', ')}.`;
    case null:
      return response.suggestions.length > 0
        ? `No passage matches. Did you mean: ${response.suggestions.join(', ')}?`
        : 'No passage matches. Try fewer or other words.';
  }
}

function renderSearch(response: SearchResponse, color: boolean): string {
  if (response.hits.length === 0) return problemMessage(response);
  const bold = (s: string) => (color ? `\x1b[1m${s}\x1b[0m` : `[${s}]`);
  const lines: string[] = [];
  if (response.truncated) lines.push(`(query cut to its first ${response.query.length} characters)`);
  response.hits.forEach((hit, i) => {
    const who = hit.speaker ? `${hit.speaker.name}${hit.speaker.role || hit.speaker.company ? ` (${[hit.speaker.company, hit.speaker.role].filter(Boolean).join(' ')})` : ''}` : '(narration)';
    const where = [hit.interview.title, hit.interview.publication, hit.interview.date].filter(Boolean).join(' · ');
    lines.push(`${i + 1}. ${who}`);
    if (hit.question) lines.push(`   ${hit.question.speaker ?? ''}问：${questionLine(hit.question.passage)}`);
    // The narration around a speaker's words (「张鑫心里有点打鼓:」) is shown apart, in brackets.
    const parts = quoteParts(hit.passage);
    if (parts.before) lines.push(`   (${parts.before})`);
    lines.push(`   “${applyHighlights(parts.words, highlightsWithin(hit.highlights, parts.offset, parts.offset + parts.words.length), bold)}”`);
    if (parts.after) lines.push(`   (${parts.after})`);
    lines.push(`   — ${where}${hit.interview.url ? ` ${hit.interview.url}` : ''}`);
    lines.push(`   id ${hit.passage.id} · score ${round(hit.score)}`);
  });
  return lines.join('\n');
}

function sourcesCommand(args: string[], io: CliIo, getLibrary: () => Library): number {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError('sources takes no arguments');
  const library = getLibrary();
  const counts = new Map<string, number>();
  for (const passage of library.passages) counts.set(passage.interviewId, (counts.get(passage.interviewId) ?? 0) + 1);
  const sources = library.interviews.map(({ body: _body, ...meta }) => ({ ...meta, passages: counts.get(meta.id) ?? 0 }));
  if (values.json) {
    io.stdout(JSON.stringify({ sources }));
    return 0;
  }
  for (const source of sources) {
    io.stdout(`${source.id}  (${source.passages} passages)`);
    io.stdout(`  ${source.title}`);
    io.stdout(`  ${[source.publication, source.date, source.url].filter(Boolean).join(' · ') || '(publication unknown)'}`);
    io.stdout(`  speakers: ${source.speakers.map((s) => [s.name, s.company, s.role].filter(Boolean).join(' ')).join('; ')}`);
  }
  return 0;
}

function passagesCommand(args: string[], io: CliIo, getLibrary: () => Library): number {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError('passages takes no arguments');
  if (!values.json) throw new UsageError('passages prints JSON Lines: use passages --json');
  const library = getLibrary();
  for (const passage of library.passages) {
    const interview = library.interviews.find((i) => i.id === passage.interviewId)!;
    io.stdout(JSON.stringify({ id: passage.id, text: passage.text, speaker: passage.speakerName, source: passage.interviewId, title: interview.title }));
  }
  return 0;
}

/** Loads the library; a data file that is skipped as invalid is reported on stderr, once. */
function loadLibraryReporting(io: CliIo): Library {
  const library = loadLibrary();
  for (const problem of library.problems) io.stderr(`zhenyan: ${formatProblem(problem)} (file skipped; run: npm run --silent cli -- check)`);
  return library;
}
