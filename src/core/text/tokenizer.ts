/**
 * The one tokenizer Zhenyan uses for indexing and querying alike.
 *
 * Pipeline: NFKC (full-width ＴｉＤＢ → TiDB) → lowercase → Traditional → Simplified Chinese (opencc) →
 * nodejieba segmentation with HMM on (so ASCII words such as TiDB, K8s, 3.0 stay whole) → drop
 * punctuation, whitespace and stop words → light English plural folding.
 *
 * Index time uses jieba's search mode (`cutForSearch`: 基础架构 → 基础, 架构, 基础架构) and query time its
 * precise mode (`cut`), the usual jieba search pattern: the index holds both the compound and its parts,
 * and the query only needs one of them, so queries stay short and fast.
 */
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as OpenCC from 'opencc-js/t2cn';
import porter2 from 'wink-porter2-stemmer';
import { separableVerbTerms } from './separable-verbs.ts';
import { DEFAULT_STOP_WORDS } from './stopwords.ts';

const require = createRequire(import.meta.url);

/** The subset of nodejieba's API the tokenizer needs; injectable so tests and benchmarks can share one load. */
export interface Segmenter {
  cut(sentence: string, strict?: boolean): string[];
  cutForSearch(sentence: string, strict?: boolean): string[];
  insertWord(word: string, tag?: string): boolean;
}

/** Options of {@link createTokenizer}. */
export interface TokenizerOptions {
  /**
   * Extra words for the segmenter (names, companies, terms). Inserted with `insertWord`, which is instant;
   * `nodejieba.load({ userDict })` is avoided on purpose: it reloads every dictionary (~1 s) and aborts the
   * process if the path does not exist. Default: none.
   */
  userWords?: Iterable<string>;
  /** Words dropped from every token stream. Default: {@link DEFAULT_STOP_WORDS}. */
  stopWords?: ReadonlySet<string>;
  /** The segmenter. Default: nodejieba, loaded once per process. */
  segmenter?: Segmenter;
}

/** Turns text into search terms. Every function is pure given the options. */
export interface Tokenizer {
  /** Terms to index for a passage (jieba search mode: compounds and their parts). */
  tokenizeForIndex(text: string): string[];
  /**
   * Terms of a query (jieba precise mode). Traditional Chinese is converted with both the Taiwan
   * character and phrase tables and the terms are merged, so 資料庫 also finds 数据库.
   */
  tokenizeQuery(text: string): string[];
  /** The normalisation applied before segmentation (NFKC, lowercase, Traditional → Simplified). */
  normalize(text: string): string;
}

let loadedJieba: Segmenter | undefined;

/**
 * Which nodejieba build is installed: `'shared-dictionary'` when `scripts/slim-nodejieba.mjs` (run by
 * `npm install`) rebuilt it so that its text-rank extractor shares the segmenter's dictionary (~110 MB less
 * RSS), `'stock'` otherwise. Logged at start-up; both builds segment identically.
 */
export function nodejiebaBuild(): 'shared-dictionary' | 'stock' {
  try {
    const packageDir = dirname(require.resolve('nodejieba/package.json'));
    return existsSync(join(packageDir, 'build', 'Release', '.zhenyan-shared-dictionary')) ? 'shared-dictionary' : 'stock';
  } catch {
    return 'stock';
  }
}

/**
 * A one-entry idf table passed to nodejieba instead of its 6 MB one: the idf table only serves keyword
 * extraction (`extract`), which Zhenyan never calls, and parsing it costs ~0.2 s and ~16 MB per start.
 */
const UNUSED_IDF_TABLE = fileURLToPath(new URL('./unused-idf.utf8', import.meta.url));

/** nodejieba, loaded once per process (~1.2 s and ~130 MB RSS with the shared-dictionary build). */
export function defaultSegmenter(): Segmenter {
  if (!loadedJieba) {
    const jieba = require('nodejieba') as Segmenter & { load(options?: object): void };
    // nodejieba aborts the process (uncatchably) on a missing path: only pass files that exist.
    jieba.load(existsSync(UNUSED_IDF_TABLE) ? { idfDict: UNUSED_IDF_TABLE } : {});
    loadedJieba = jieba;
  }
  return loadedJieba;
}

// Character-level Taiwan → Mainland conversion keeps lengths (highlight offsets stay valid);
// the phrase-level table (資料庫 → 数据库) is used for queries only.
const toSimplifiedChars = OpenCC.Converter({ from: 'tw', to: 'cn' });
let phraseConverter: ((text: string) => string) | undefined;

/** Taiwan phrase table (資料庫 → 数据库); built on first use (~30 ms), since only queries need it. */
function toSimplifiedPhrases(text: string): string {
  const convert = (phraseConverter ??= OpenCC.Converter({ from: 'twp', to: 'cn' }));
  return convert(text);
}

/** True for Han characters (CJK Unified Ideographs and extensions). */
const HAN = /\p{Script=Han}/u;
/** A token worth indexing has a letter, a digit or a Han character. */
const MEANINGFUL = /[\p{L}\p{N}]/u;

/**
 * Normalises text the same way for index and query: NFKC (full-width letters and digits become
 * ASCII), lowercase, and Traditional Chinese characters mapped to Simplified.
 */
export function normalizeText(text: string): string {
  return toSimplifiedChars(text.normalize('NFKC').toLowerCase());
}

/** Plain English words the stemmer may touch (not k8s, c++, node.js, 3.0). */
const PLAIN_LATIN_WORD = /^[a-z]{4,}$/u;
/** Stems are cached: a corpus has a few thousand distinct English words, and a query a handful. */
const stems = new Map<string, string>();

/**
 * Folds English word forms to one term (Porter2 / Snowball English, via wink-porter2-stemmer), so that
 * "investors" finds "investor", "containerize" finds "containerization" and "hiring" finds "hire",
 * while "container" stays apart from "containerization". Applied to index and query terms alike; only
 * plain words of four letters or more are touched (names such as TiDB pass through unchanged).
 */
export function foldLatinTerm(term: string): string {
  if (!PLAIN_LATIN_WORD.test(term)) return term;
  let stem = stems.get(term);
  if (stem === undefined) {
    stem = porter2(term);
    if (stem.length < 2) stem = term;
    if (stems.size < 50_000) stems.set(term, stem);
  }
  return stem;
}

/** True when a term is a Latin/number term rather than Chinese. */
export function isLatinTerm(term: string): boolean {
  return !HAN.test(term);
}

/** Reads a user dictionary file (`word` or `word freq tag` per line, `#` comments); [] when absent. */
export function readUserWords(path: string): string[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split(/\r?\n/u)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'))
    .map((line) => line.split(/\s+/u)[0] ?? '')
    .filter((word) => word.length > 0);
}

/**
 * Creates the tokenizer. Loading nodejieba is the slow part and happens once per process, on the
 * first call that needs it.
 */
export function createTokenizer(options: TokenizerOptions = {}): Tokenizer {
  const segmenter = options.segmenter ?? defaultSegmenter();
  const stopWords = options.stopWords ?? DEFAULT_STOP_WORDS;
  /** True when jieba's dictionary (without HMM guessing) holds `word` as one word. */
  const isDictionaryWord = (word: string): boolean => segmenter.cut(word, false).length === 1;
  for (const word of options.userWords ?? []) {
    // The segmenter sees normalised text, so insert the normalised form (lowercase, Simplified).
    const normalized = normalizeText(word);
    // Only words the dictionary does not hold already: inserting a known word replaces its frequency with
    // the lower user-word default, and jieba then cuts worse around it (来命名 became 来|命|名, then one
    // HMM-glued token, after 命名 was inserted; the stock dictionary cuts 来|命名).
    if (isDictionaryWord(normalized)) continue;
    segmenter.insertWord(normalized);
  }

  const keep = (token: string): string | null => {
    const term = token.trim();
    if (term.length === 0 || !MEANINGFUL.test(term)) return null;
    if (stopWords.has(term)) return null;
    return foldLatinTerm(term);
  };

  const terms = (tokens: string[]): string[] => {
    const out: string[] = [];
    for (const token of tokens) {
      const term = keep(token);
      if (term !== null) out.push(term);
    }
    return out;
  };

  return {
    normalize: normalizeText,
    tokenizeForIndex(text) {
      const normalized = normalizeText(text);
      const out = terms(segmenter.cutForSearch(normalized, true));
      if (HAN.test(normalized)) for (const word of separableVerbTerms(normalized, isDictionaryWord)) out.push(word);
      return out;
    },
    tokenizeQuery(text) {
      const normalized = normalizeText(text);
      const byChars = terms(segmenter.cut(normalized, true));
      if (HAN.test(normalized)) byChars.push(...separableVerbTerms(normalized, isDictionaryWord));
      const lowered = text.normalize('NFKC').toLowerCase();
      if (!HAN.test(lowered)) return unique(byChars);
      const phrases = toSimplifiedPhrases(lowered);
      if (phrases === normalized) return unique(byChars);
      return unique([...byChars, ...terms(segmenter.cut(phrases, true))]);
    },
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
