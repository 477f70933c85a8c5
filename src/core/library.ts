/**
 * Loads everything the bot and the CLI search over: the curated interviews, their passages, the
 * tokenizer (with the corpus's user dictionary) and the search index. Load it once per process.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { DATA_DIR, loadCorpus } from './corpus/load.ts';
import { buildPassages } from './corpus/passages.ts';
import type { Interview, Passage } from './corpus/types.ts';
import { QuoteIndex } from './search/engine.ts';
import { IndexFileError, INDEX_FILE_VERSION } from './search/index-file.ts';
import { readTipCuration, selectTips } from './tips/select.ts';
import { createTokenizer, readUserWords, type Tokenizer } from './text/tokenizer.ts';
import { readSynonymGroups, synonymMap } from './text/synonyms.ts';

/** Bump when the tokenizer or index options change, so cached indexes are rebuilt. */
const INDEX_FORMAT_VERSION = 1;

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
  /** Told why a cache file was unusable (it is then rebuilt). Default: ignore. */
  onCacheProblem?: (message: string) => void;
}

/** The loaded corpus and its index. */
export interface Library {
  interviews: Interview[];
  passages: Passage[];
  tokenizer: Tokenizer;
  index: QuoteIndex;
  /** Ids of the passages that are daily tips, in passage order (see `tips/select.ts`). */
  tipIds: string[];
  /** How the index was obtained and how long each step took, for logs and benchmarks. */
  stats: { indexSource: 'built' | 'cache'; corpusMs: number; tokenizerMs: number; indexMs: number };
}

/** Every name and alias of every speaker: the segmenter must keep them whole. */
function speakerWords(interviews: Interview[]): string[] {
  return interviews.flatMap((interview) => interview.speakers.flatMap((s) => [s.name, ...s.aliases]));
}

/** Loads the corpus, builds or loads the index. Synchronous: call it before connecting to Discord. */
export function loadLibrary(options: LibraryOptions = {}): Library {
  const dataDir = options.dataDir ?? DATA_DIR;
  let started = performance.now();
  const interviews = options.interviews ?? loadCorpus(join(dataDir, 'interviews'));
  const passages = buildPassages(interviews);
  const corpusMs = performance.now() - started;

  started = performance.now();
  const userWords = [...readUserWords(join(dataDir, 'dict.txt')), ...speakerWords(interviews)];
  const tokenizer = options.tokenizer ?? createTokenizer({ userWords });
  const tokenizerMs = performance.now() - started;

  started = performance.now();
  // Synonyms are looked up by query term, so they are keyed the way the tokenizer cuts a query.
  const synonyms = synonymMap(readSynonymGroups(join(dataDir, 'synonyms.txt')), (word) => {
    const terms = tokenizer.tokenizeQuery(word);
    return terms.length === 1 ? terms[0]! : tokenizer.normalize(word);
  });
  const cacheFile = options.indexCacheDir ? join(options.indexCacheDir, `index-${cacheKey(interviews, passages, userWords)}.zi`) : null;
  let index: QuoteIndex | undefined;
  let indexSource: 'built' | 'cache' = 'built';
  if (cacheFile && existsSync(cacheFile)) {
    try {
      index = new QuoteIndex(interviews, passages, tokenizer, { indexFile: cacheFile, synonyms });
      indexSource = 'cache';
    } catch (error) {
      // A truncated or foreign cache file is rebuilt, never fatal.
      if (!(error instanceof IndexFileError)) throw error;
      options.onCacheProblem?.(error.message);
    }
  }
  if (!index) {
    index = new QuoteIndex(interviews, passages, tokenizer, { synonyms });
    if (cacheFile && options.indexCacheDir) {
      mkdirSync(options.indexCacheDir, { recursive: true });
      // Write then rename, so a crash never leaves a half-written cache behind.
      index.save(`${cacheFile}.tmp`);
      renameSync(`${cacheFile}.tmp`, cacheFile);
    }
  }
  const tipIds = selectTips(passages, { curation: readTipCuration(join(dataDir, 'tips.yaml')) });
  return { interviews, passages, tokenizer, index, tipIds, stats: { indexSource, corpusMs, tokenizerMs, indexMs: performance.now() - started } };
}

/** A hash of everything the serialized index depends on. */
function cacheKey(interviews: Interview[], passages: Passage[], userWords: string[]): string {
  const hash = createHash('sha256');
  hash.update(`v${INDEX_FORMAT_VERSION}.${INDEX_FILE_VERSION}\n${userWords.join('\t')}\n`);
  for (const interview of interviews) hash.update(`${interview.id}\t${interview.title}\t${JSON.stringify(interview.speakers)}\n`);
  for (const passage of passages) hash.update(`${passage.id}\t${passage.speakerId ?? ''}\t${passage.section ?? ''}\t${passage.text}\n`);
  return hash.digest('hex').slice(0, 16);
}
