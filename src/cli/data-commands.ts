/**
 * The CLI commands that work on data files: `import` (raw transcript → draft data file) and `check`
 * (validate every data file). See `data/README.md` for the workflow they support.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeRawBytes, RawInputError } from '../core/corpus/decode.ts';
import { htmlToText } from '../core/corpus/html.ts';
import { ImportError, importRawText } from '../core/corpus/import.ts';
import { DATA_DIR, formatProblem, readCorpus, type CorpusProblem } from '../core/corpus/load.ts';
import { buildPassages } from '../core/corpus/passages.ts';
import { readTipCuration } from '../core/tips/select.ts';
import { UsageError, type CliIo, type ParsedArgs } from './io.ts';

type Parse = (args: string[], options: NonNullable<Parameters<typeof import('node:util').parseArgs>[0]>['options']) => ParsedArgs;

/** The relevance set that `check` reads to warn about interviews no search case covers. */
const RELEVANCE_FILE = fileURLToPath(new URL('../../test/fixtures/relevance.json', import.meta.url));

/** Shortens a removed item for the listing. */
function preview(text: string, max = 100): string {
  const flat = text.replace(/\s+/g, ' ');
  return [...flat].length > max ? `${[...flat].slice(0, max).join('')}…` : flat;
}

/**
 * Writes `content` to `file` atomically: a temporary file in the same folder, flushed, then renamed over
 * the target, so a reader sees the old file or the new one, never a partial one.
 */
export function writeFileAtomic(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** `import <raw-file> [--id ID] [--speaker NAME]... [--title T] [--date YYYY-MM-DD] [--out PATH|-] [--force]` */
export function importCommand(args: string[], io: CliIo, parse: Parse, dataDir: string = DATA_DIR): number {
  const { values, positionals } = parse(args, {
    id: { type: 'string' },
    speaker: { type: 'string', multiple: true },
    title: { type: 'string' },
    date: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('import takes one file: import <raw-file> [--id ID] [--speaker NAME] [--out PATH]');
  const input = positionals[0]!;
  let stat;
  try {
    stat = statSync(input);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `no such file: ${input}` : `cannot read ${input} (${code ?? 'error'})`);
  }
  if (stat.isDirectory()) throw new UsageError(`${input} is a directory: give the raw transcript file`);
  if (!stat.isFile()) throw new UsageError(`${input} is not a regular file`);

  const out = typeof values.out === 'string' ? values.out : undefined;
  // An id given by the output file name (`--out data/interviews/foo.md`) is the id: the two must agree.
  const outId = out !== undefined && out !== '-' && out.endsWith('.md') ? path.basename(out, '.md') : undefined;
  const id = typeof values.id === 'string' ? values.id : outId;
  let draft;
  const notes: string[] = [];
  try {
    const decoded = decodeRawBytes(readFileSync(input));
    if (decoded.note) notes.push(decoded.note);
    let text = decoded.text;
    const removedHtml: string[] = [];
    if (/\.x?html?$/i.test(input)) {
      const html = htmlToText(text);
      text = html.text;
      removedHtml.push(...html.removed);
    }
    draft = importRawText(text, {
      id,
      speakers: (values.speaker as string[] | undefined) ?? [],
      title: typeof values.title === 'string' ? values.title : undefined,
      date: typeof values.date === 'string' ? values.date : undefined,
      sourceName: path.basename(input).replace(/\.[^.]*$/, '').replace(/\.raw$/, ''),
    });
    draft.removed.unshift(...removedHtml.map((r) => ({ kind: 'html', text: r })));
  } catch (error) {
    if (error instanceof RawInputError || error instanceof ImportError) throw new UsageError(`${input}: ${error.message}`);
    throw error;
  }
  if (outId !== undefined && draft.interview.id !== outId) {
    throw new UsageError(`the id "${draft.interview.id}" must match the file name ${path.basename(out!)}: drop --id or name the file ${draft.interview.id}.md`);
  }

  for (const note of notes) io.stderr(`zhenyan: note: ${note}`);
  io.stderr(`zhenyan: removed ${draft.removed.length} junk item(s):`);
  for (const r of draft.removed) io.stderr(`  - ${r.kind}: ${preview(r.text)}`);
  const speakers = draft.interview.speakers.map((s) => `${s.name} (${s.id}, ${s.part ?? 'guest'})`).join(', ') || 'none';
  const paragraphs = draft.interview.body.filter((b) => b.type === 'paragraph');
  const attributed = paragraphs.filter((b) => b.type === 'paragraph' && b.speakerId !== null).length;
  io.stderr(`zhenyan: ${paragraphs.length} paragraphs, ${attributed} attributed; ${draft.turns} speaker turns; speakers: ${speakers}`);

  const target = out ?? path.join(dataDir, 'interviews', `${draft.interview.id}.md`);
  if (target === '-') {
    io.stdout(draft.markdown.replace(/\n$/, ''));
  } else {
    if (existsSync(target) && !values.force) throw new UsageError(`${target} already exists: use --force to overwrite it (nothing written)`);
    try {
      writeFileAtomic(target, draft.markdown);
    } catch (error) {
      throw new UsageError(`cannot write ${target} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): nothing written`);
    }
    io.stderr(`zhenyan: draft written to ${target}`);
  }
  io.stderr('zhenyan: still to check by hand:');
  for (const item of draft.checklist) io.stderr(`  [ ] ${item}`);
  return 0;
}

/** Reads the ids named by the relevance set (any `source` field), or null when there is none. */
function relevanceSources(file: string): Set<string> | null {
  if (!existsSync(file)) return null;
  try {
    const sources = new Set<string>();
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(visit);
      else if (value && typeof value === 'object') {
        for (const [key, v] of Object.entries(value)) {
          if ((key === 'source' || key === 'expected_source') && typeof v === 'string') sources.add(v);
          else visit(v);
        }
      }
    };
    visit(JSON.parse(readFileSync(file, 'utf8')));
    return sources;
  } catch {
    return null;
  }
}

/** `check [--data-dir DIR]`: every problem of every data file at once, `file:line: message`; exit 1 if any. */
export function checkCommand(args: string[], io: CliIo, parse: Parse, relevanceFile: string = RELEVANCE_FILE): number {
  const { values, positionals } = parse(args, { 'data-dir': { type: 'string' } });
  if (positionals.length > 0) throw new UsageError('check takes no arguments (only --data-dir DIR)');
  const dataDir = typeof values['data-dir'] === 'string' ? path.resolve(values['data-dir']) : DATA_DIR;
  const interviewsDir = path.join(dataDir, 'interviews');
  if (!existsSync(interviewsDir)) throw new UsageError(`no interviews folder at ${interviewsDir}`);

  const { interviews, problems } = readCorpus(interviewsDir);
  const errors: CorpusProblem[] = [...problems];
  const warnings: CorpusProblem[] = [];
  for (const name of readdirSync(interviewsDir).sort()) {
    if (!name.endsWith('.md') && !name.startsWith('.')) {
      warnings.push({ file: path.join(interviewsDir, name), line: 1, message: 'not a data file (only *.md files are read): move it out of interviews/' });
    }
  }
  for (const interview of interviews) {
    const file = path.join(interviewsDir, `${interview.id}.md`);
    const spoken = new Set(interview.body.flatMap((b) => (b.type === 'paragraph' && b.speakerId !== null ? [b.speakerId] : [])));
    for (const s of interview.speakers) {
      if (!spoken.has(s.id)) warnings.push({ file, line: 1, message: `speaker "${s.id}" is declared but never speaks` });
    }
  }
  const tipsFile = path.join(dataDir, 'tips.yaml');
  try {
    const curation = readTipCuration(tipsFile);
    const ids = new Set(buildPassages(interviews).map((p) => p.id));
    for (const id of [...curation.include, ...curation.exclude]) {
      if (!ids.has(id)) errors.push({ file: tipsFile, line: 1, message: `passage id "${id}" does not exist (a paragraph was added or removed above it?)` });
    }
  } catch (error) {
    errors.push({ file: tipsFile, line: 1, message: (error as Error).message.replace(/^zhenyan: [^:]*: /, '') });
  }
  const covered = relevanceSources(relevanceFile);
  if (covered !== null) {
    for (const interview of interviews) {
      if (!covered.has(interview.id)) {
        warnings.push({ file: path.join(interviewsDir, `${interview.id}.md`), line: 1, message: `warning: no relevance case names this interview in ${path.relative(process.cwd(), relevanceFile)} (its search quality is untested)` });
      }
    }
  }
  for (const problem of errors) io.stdout(formatProblem(problem));
  for (const warning of warnings) io.stdout(formatProblem({ ...warning, message: warning.message.startsWith('warning:') ? warning.message : `warning: ${warning.message}` }));
  io.stderr(`zhenyan: check: ${interviews.length} valid interview(s), ${errors.length} problem(s), ${warnings.length} warning(s)`);
  return errors.length > 0 ? 1 : 0;
}
