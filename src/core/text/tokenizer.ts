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
const LATIN_WORD = /^[a-z][a-z0-9'.+#-]*$/u;

/**
 * Normalises text the same way for index and query: NFKC (full-width letters and digits become
 * ASCII), lowercase, and Traditional Chinese characters mapped to Simplified.
 */
export function normalizeText(text: string): string {
  return toSimplifiedChars(text.normalize('NFKC').toLowerCase());
}

/**
 * Folds simple English plurals so that "investors" finds "investor". Applied to index and query
 * terms alike; only plain Latin words longer than three letters are touched.
 */
export function foldLatinTerm(term: string): string {
  if (!LATIN_WORD.test(term) || term.length <= 3) return term;
  if (term.endsWith('ies') && term.length > 4) return `${term.slice(0, -3)}y`;
  if (term.endsWith('s') && !/(ss|us|is|'s)$/u.test(term)) return term.slice(0, -1);
  return term;
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
  for (const word of options.userWords ?? []) {
    // The segmenter sees normalised text, so insert the normalised form (lowercase, Simplified).
    segmenter.insertWord(normalizeText(word));
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
      return terms(segmenter.cutForSearch(normalizeText(text), true));
    },
    tokenizeQuery(text) {
      const normalized = normalizeText(text);
      const byChars = terms(segmenter.cut(normalized, true));
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
