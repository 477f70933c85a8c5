/**
 * Loads everything the bot and the CLI search over: the curated interviews, their passages, the
 * tokenizer (with the corpus's user dictionary) and the search index. Load it once per process.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR, readCorpus, type CorpusProblem } from './corpus/load.ts';
import { buildPassages } from './corpus/passages.ts';
import type { Interview, Passage } from './corpus/types.ts';
import { QuoteIndex } from './search/engine.ts';
import { IndexFileError, INDEX_FILE_VERSION } from './search/index-file.ts';
import { readTipCuration, selectTips } from './tips/select.ts';
import { createTokenizer, readUserWords, type Tokenizer } from './text/tokenizer.ts';
import { readSynonymGroups, synonymMap } from './text/synonyms.ts';

/** Bump when the tokenizer or index options change, so cached indexes are rebuilt. */
const INDEX_FORMAT_VERSION = 4; // 2: the speaker field also holds the speaker's company; 3: Porter2 English stems; 4: separable verbs, user words that jieba knows left alone

/** Options of {@link loadLibrary}. */
export interface LibraryOptions {
  /** Folder holding `interviews/`, `dict.txt` and `synonyms.txt`. Default: the project's `data/`. */
  dataDir?: string;
  /**
   * Already-parsed interviews to use instead of reading `dataDir/interviews` (benchmarks, tests).
   * Default: read from `dataDir`.
   */
  interviews?: Interview[];
  /**
   * Folder for the prebuilt index cache. The cache key is a hash of the passages and the index
   * format, so editing `data/` rebuilds it automatically. Default: none (always build in memory).
   */
  indexCacheDir?: string;
  /** A tokenizer to share (benchmarks). Default: a new one with `dataDir/dict.txt` and speaker names. */
  tokenizer?: Tokenizer;
  /**
   * Told why the cache could not be used (unreadable or damaged: the index is then built) or not be written
   * (the built index is then used from memory). Neither is fatal. Default: ignore.
   */
  onCacheProblem?: (message: string) => void;
}

/** The loaded corpus and its index. */
export interface Library {
  interviews: Interview[];
  passages: Passage[];
  tokenizer: Tokenizer;
  index: QuoteIndex;
  /** The curated synonyms the index searches with (query term → its synonyms), from `synonyms.txt`. */
  synonyms: ReadonlyMap<string, readonly string[]>;
  /** Ids of the passages that are daily tips, in passage order (see `tips/select.ts`). */
  tipIds: string[];
  /**
   * Data files that were skipped because they are invalid, one problem each (`file:line: message` with
   * `formatProblem`). The rest of the corpus is served; callers log these. Empty when all files are valid.
   */
  problems: CorpusProblem[];
  /** How the index was obtained and how long each step took, for logs and benchmarks. */
  stats: { indexSource: 'built' | 'cache'; corpusMs: number; tokenizerMs: number; indexMs: number };
}

/** The Chinese words of the synonym groups (two characters or more), for the segmenter. */
function synonymSegmenterWords(groups: readonly string[][]): string[] {
  return groups.flat().filter((word) => /\p{Script=Han}/u.test(word) && Array.from(word).length >= 2);
}

/** Every name and alias of every speaker: the segmenter must keep them whole. */
function speakerWords(interviews: Interview[]): string[] {
  return interviews.flatMap((interview) => interview.speakers.flatMap((s) => [s.name, ...s.aliases]));
}

/**
 * Loads the corpus, builds or loads the index. Synchronous: call it before connecting to Discord (see
 * `bot/library-holder.ts` for a reload while running). An invalid data file is skipped and reported in
 * `problems`, never fatal.
 */
export function loadLibrary(options: LibraryOptions = {}): Library {
  const dataDir = options.dataDir ?? DATA_DIR;
  let started = performance.now();
  const read = options.interviews ? { interviews: options.interviews, problems: [] } : readCorpus(join(dataDir, 'interviews'));
  const { interviews, problems } = read;
  const passages = buildPassages(interviews);
  const corpusMs = performance.now() - started;

  started = performance.now();
  const synonymGroups = readSynonymGroups(join(dataDir, 'synonyms.txt'));
  // The synonym file's Chinese words are words for the segmenter too: 出糗 or 天使融资 would otherwise be
  // cut into pieces (出 / 糗) that no synonym lookup can match.
  const userWords = [...readUserWords(join(dataDir, 'dict.txt')), ...speakerWords(interviews), ...synonymSegmenterWords(synonymGroups)];
  const tokenizer = options.tokenizer ?? createTokenizer({ userWords });
  const tokenizerMs = performance.now() - started;

  started = performance.now();
  // Synonyms are looked up by query term, so they are keyed the way the tokenizer cuts a query.
  const synonyms = synonymMap(synonymGroups, (word) => {
    const terms = tokenizer.tokenizeQuery(word);
    return terms.length === 1 ? terms[0]! : tokenizer.normalize(word);
  });
  const cacheFile = options.indexCacheDir ? join(options.indexCacheDir, `index-${cacheKey(interviews, passages, userWords)}.zi`) : null;
  let index: QuoteIndex | undefined;
  let indexSource: 'built' | 'cache' = 'built';
  if (cacheFile) {
    try {
      index = new QuoteIndex(interviews, passages, tokenizer, { indexFile: cacheFile, synonyms });
      indexSource = 'cache';
    } catch (error) {
      // No cache yet, one that vanished (another process cleaning up), or a truncated or foreign one: build.
      if (!(error instanceof IndexFileError) && !isFileSystemError(error)) throw error;
      // readIndexFile wraps what failed (e.g. the open) as the cause. No file is the normal first start
      // (and a folder that cannot exist is reported once, by the write below).
      const cause = error instanceof IndexFileError && error.cause !== undefined ? error.cause : error;
      const code = fileSystemCode(cause);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') options.onCacheProblem?.(error instanceof Error ? error.message : String(error));
    }
  }
  if (!index) {
    index = new QuoteIndex(interviews, passages, tokenizer, { synonyms });
    if (cacheFile && options.indexCacheDir) writeCache(index, options.indexCacheDir, cacheFile, options.onCacheProblem);
  }
  const tipIds = selectTips(passages, { curation: readTipCuration(join(dataDir, 'tips.yaml')) });
  return { interviews, passages, tokenizer, index, synonyms, tipIds, problems, stats: { indexSource, corpusMs, tokenizerMs, indexMs: performance.now() - started } };
}

/** A hash of everything the serialized index depends on. */
function cacheKey(interviews: Interview[], passages: Passage[], userWords: string[]): string {
  const hash = createHash('sha256');
  hash.update(`v${INDEX_FORMAT_VERSION}.${INDEX_FILE_VERSION}\n${userWords.join('\t')}\n`);
  for (const interview of interviews) hash.update(`${interview.id}\t${interview.title}\t${JSON.stringify(interview.speakers)}\n`);
  for (const passage of passages) hash.update(`${passage.id}\t${passage.speakerId ?? ''}\t${passage.section ?? ''}\t${passage.text}\n`);
  return hash.digest('hex').slice(0, 16);
}

/** Temporary files older than this are left over from a process that died while writing: removed. */
const STALE_TEMPORARY_MS = 10 * 60_000;

/**
 * Writes the index to `cacheFile` so that processes starting together never see a partial file nor trip
 * over each other: each writes its own temporary file (pid + random suffix) and renames it into place,
 * which is atomic; the last rename wins and every candidate is complete and identical. A failure (disk
 * full, read-only folder) is reported and ignored: the index is already built in memory.
 */
function writeCache(index: QuoteIndex, cacheDir: string, cacheFile: string, report: ((message: string) => void) | undefined): void {
  const temporary = `${cacheFile}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    mkdirSync(cacheDir, { recursive: true });
    index.save(temporary);
    renameSync(temporary, cacheFile);
  } catch (error) {
    report?.(`Zhenyan index cache: could not write ${cacheFile}, using the index built in memory: ${error instanceof Error ? error.message : String(error)}`);
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing more to do: a leftover is removed by a later start (see removeStaleTemporaries).
    }
    return;
  }
  removeStaleTemporaries(cacheDir);
}

/** Best effort: removes `*.tmp` files of the cache folder that no live writer can still be writing. */
function removeStaleTemporaries(cacheDir: string): void {
  try {
    for (const name of readdirSync(cacheDir)) {
      if (!name.startsWith('index-') || !name.endsWith('.tmp')) continue;
      const path = join(cacheDir, name);
      try {
        if (Date.now() - statSync(path).mtimeMs > STALE_TEMPORARY_MS) rmSync(path, { force: true });
      } catch {
        // Renamed or removed by another process meanwhile.
      }
    }
  } catch {
    // The folder is unreadable: the cache still works, the leftovers stay.
  }
}

/** An error from a file-system call (it has a string `code` such as `ENOENT`). */
function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

function fileSystemCode(error: unknown): string | undefined {
  return isFileSystemError(error) ? error.code : undefined;
}
