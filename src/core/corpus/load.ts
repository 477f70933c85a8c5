/**
 * Loads the curated corpus from `data/interviews/*.md`. The default location is resolved from this source
 * file (not the working directory), so the bot, the CLI and the tests find it from any cwd.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseInterview } from './format.ts';
import type { Interview } from './types.ts';

/** Absolute path of the project's `data/` directory. */
export const DATA_DIR: string = path.resolve(fileURLToPath(new URL('../../../data/', import.meta.url)));

/** Absolute path of the curated interviews, `data/interviews/`. */
export const INTERVIEWS_DIR: string = path.join(DATA_DIR, 'interviews');

/**
 * Reads and parses every `*.md` file of `dir`.
 *
 * @param dir - directory of interview files; defaults to {@link INTERVIEWS_DIR}.
 * @returns the interviews sorted by id.
 * @throws Error when a file does not parse (see `parseInterview`), when a file name differs from its id
 *   (`<id>.md`), or when two files share an id.
 */
export function loadCorpus(dir: string = INTERVIEWS_DIR): Interview[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort();
  const byId = new Map<string, string>();
  const interviews: Interview[] = [];
  for (const name of files) {
    const file = path.join(dir, name);
    const interview = parseInterview(readFileSync(file, 'utf8'), file);
    const expected = name.slice(0, -'.md'.length);
    if (interview.id !== expected) {
      throw new Error(`zhenyan: ${file}:1: id "${interview.id}" does not match the file name (expected "${expected}")`);
    }
    const other = byId.get(interview.id);
    if (other !== undefined) throw new Error(`zhenyan: ${file}:1: duplicate interview id "${interview.id}" (also in ${other})`);
    byId.set(interview.id, file);
    interviews.push(interview);
  }
  return interviews.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
