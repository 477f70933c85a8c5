/**
 * Loads the curated corpus from `data/interviews/*.md`. The default location is resolved from this source
 * file (not the working directory), so the bot, the CLI and the tests find it from any cwd.
 *
 * Two ways to load: {@link readCorpus} never throws for a bad file (it reports the problem and skips the
 * file, so the bot and the CLI keep serving the other interviews); {@link loadCorpus} throws on the first
 * problem (tests and tools that must not run on a damaged corpus).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseInterview } from './format.ts';
import type { Interview } from './types.ts';

/**
 * Absolute path of the data directory: the project's `data/`, or `ZHENYAN_DATA_DIR` when set (to run
 * the bot, the CLI or the test suite on another corpus, e.g. a copy of `data/` with new interviews).
 */
export const DATA_DIR: string = process.env.ZHENYAN_DATA_DIR
  ? path.resolve(process.env.ZHENYAN_DATA_DIR)
  : path.resolve(fileURLToPath(new URL('../../../data/', import.meta.url)));

/** Absolute path of the curated interviews, `data/interviews/`. */
export const INTERVIEWS_DIR: string = path.join(DATA_DIR, 'interviews');

/** A problem with one data file, printed as `file:line: message`. */
export interface CorpusProblem {
  file: string;
  line: number;
  message: string;
}

/** Formats a problem the way `cli check` and the start-up log print it: `file:line: message`. */
export function formatProblem(problem: CorpusProblem): string {
  return `${problem.file}:${problem.line}: ${problem.message}`;
}

/** Splits a parser error `zhenyan: <file>:<line>: <message>` into a problem. */
function problemOf(error: unknown, file: string): CorpusProblem {
  const message = error instanceof Error ? error.message : String(error);
  const m = /^zhenyan: (.*):(\d+): (.*)$/s.exec(message);
  return m ? { file: m[1]!, line: Number(m[2]), message: m[3]! } : { file, line: 1, message };
}

/**
 * Reads and parses every `*.md` file of `dir`, skipping the bad ones.
 *
 * @param dir - directory of interview files; defaults to {@link INTERVIEWS_DIR}.
 * @returns the valid interviews sorted by id, and one problem per file that was skipped (a parse error,
 *   a file name that differs from its id, an id already used by another file, an unreadable file).
 */
export function readCorpus(dir: string = INTERVIEWS_DIR): { interviews: Interview[]; problems: CorpusProblem[] } {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort();
  const byId = new Map<string, string>();
  const interviews: Interview[] = [];
  const problems: CorpusProblem[] = [];
  for (const name of files) {
    const file = path.join(dir, name);
    let interview: Interview;
    try {
      interview = parseInterview(readFileSync(file, 'utf8'), file);
    } catch (error) {
      problems.push(problemOf(error, file));
      continue;
    }
    const expected = name.slice(0, -'.md'.length);
    if (interview.id !== expected) {
      problems.push({ file, line: 2, message: `id "${interview.id}" does not match the file name (expected "${expected}")` });
      continue;
    }
    const other = byId.get(interview.id);
    if (other !== undefined) {
      problems.push({ file, line: 2, message: `duplicate interview id "${interview.id}" (also in ${other})` });
      continue;
    }
    byId.set(interview.id, file);
    interviews.push(interview);
  }
  return { interviews: interviews.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), problems };
}

/**
 * Reads and parses every `*.md` file of `dir`.
 *
 * @param dir - directory of interview files; defaults to {@link INTERVIEWS_DIR}.
 * @returns the interviews sorted by id.
 * @throws Error `zhenyan: <file>:<line>: <message>` for the first bad file (see {@link readCorpus}).
 */
export function loadCorpus(dir: string = INTERVIEWS_DIR): Interview[] {
  const { interviews, problems } = readCorpus(dir);
  if (problems.length > 0) throw new Error(`zhenyan: ${formatProblem(problems[0]!)}`);
  return interviews;
}
