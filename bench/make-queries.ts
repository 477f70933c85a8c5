/**
 * Generates the benchmark's fixed query set, `bench/queries.json`, deterministically from the real corpus:
 * single words, n-grams and whole sentences of passages (Chinese and English), Traditional conversions,
 * mixed Chinese + Latin, speaker-filtered queries, and the relevance set of `test/fixtures/relevance.json`.
 *
 *   npx tsx bench/make-queries.ts        # rewrites bench/queries.json (same output every time)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as OpenCC from 'opencc-js';
import { loadCorpus } from '../src/core/corpus/load.ts';
import { buildPassages, splitSentences } from '../src/core/corpus/passages.ts';
import { defaultSegmenter, normalizeText } from '../src/core/text/tokenizer.ts';
import { DEFAULT_STOP_WORDS } from '../src/core/text/stopwords.ts';
import { prng } from './synthetic.ts';

export type QueryKind = 'zh-word' | 'zh-phrase' | 'zh-sentence' | 'traditional' | 'en' | 'mixed' | 'speaker' | 'relevance';

export interface BenchQuery {
  kind: QueryKind;
  text: string;
  /** Speaker filter (a name of the real corpus, present at every scale). */
  speaker?: string;
}

export const QUERIES_FILE = fileURLToPath(new URL('./queries.json', import.meta.url));

export function readQueries(): BenchQuery[] {
  return JSON.parse(readFileSync(QUERIES_FILE, 'utf8')) as BenchQuery[];
}

/**
 * The interviews the query set is drawn from: the five the project shipped with. Fixed on purpose, so that
 * adding an interview to data/ changes neither the benchmark nor this file (regenerate only when one of
 * these five is edited).
 */
export const BENCH_CORPUS_IDS: readonly string[] = ['a-plan-infra-startups', 'meixin-topology-yile', 'qi-jun-investor', 'sun-qi-aliyun-mvp', 'zstack-productized-cloud'];

/** The query set, generated from the shipped interviews (deterministic). */
export function generateQueries(): BenchQuery[] {
  const interviews = loadCorpus().filter((iv) => BENCH_CORPUS_IDS.includes(iv.id));
  const passages = buildPassages(interviews);
  const jieba = defaultSegmenter();
  const random = prng(20240601);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const han = /\p{Script=Han}/u;
  const zh = passages.filter((p) => han.test(p.text));
  const en = passages.filter((p) => !han.test(p.text));
  const words = (text: string): string[] =>
    jieba.cut(normalizeText(text), true).filter((w) => /[\p{L}\p{N}]/u.test(w) && !DEFAULT_STOP_WORDS.has(w));
  const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
  const out: BenchQuery[] = [];
  const seen = new Set<string>();
  const add = (query: BenchQuery): boolean => {
    const key = `${query.text}\u0000${query.speaker ?? ''}`;
    if (query.text.trim().length === 0 || seen.has(key)) return false;
    seen.add(key);
    out.push(query);
    return true;
  };
  const fill = (count: number, make: () => BenchQuery | null): void => {
    let made = 0;
    for (let tries = 0; made < count && tries < count * 50; tries++) {
      const query = make();
      if (query && add(query)) made++;
    }
  };

  // One Chinese word (≥ 2 characters): frequent words such as 公司 are the hardest case for an index.
  fill(70, () => {
    const word = pick(words(pick(zh).text).filter((w) => han.test(w) && Array.from(w).length >= 2));
    return word ? { kind: 'zh-word', text: word } : null;
  });
  // A run of 2–5 consecutive words as written (with its punctuation), 4–20 characters.
  fill(60, () => {
    const sentence = pick(splitSentences(pick(zh).text));
    const chars = Array.from(sentence);
    if (chars.length < 6) return null;
    const length = 4 + Math.floor(random() * 16);
    const start = Math.floor(random() * Math.max(1, chars.length - length));
    return { kind: 'zh-phrase', text: chars.slice(start, start + length).join('').trim() };
  });
  // A whole sentence, up to 120 characters.
  fill(40, () => {
    const sentence = pick(splitSentences(pick(zh).text));
    const length = Array.from(sentence).length;
    return length >= 10 && length <= 120 ? { kind: 'zh-sentence', text: sentence } : null;
  });
  // Traditional Chinese: words and phrases converted with the Taiwan tables.
  fill(35, () => {
    const source = pick(out.filter((q) => q.kind === 'zh-word' || q.kind === 'zh-phrase' || q.kind === 'zh-sentence'));
    const text = toTraditional(source.text);
    return text !== source.text ? { kind: 'traditional', text } : null;
  });
  // English: one word to a sentence.
  fill(40, () => {
    const sentence = pick(splitSentences(pick(en).text));
    const tokens = sentence.split(/\s+/u).filter((t) => /[a-z]/iu.test(t));
    if (tokens.length === 0) return null;
    const length = random() < 0.3 ? 1 : random() < 0.7 ? 2 + Math.floor(random() * 4) : tokens.length;
    const start = Math.floor(random() * Math.max(1, tokens.length - length));
    return { kind: 'en', text: tokens.slice(start, start + length).join(' ').replace(/[.,;:!?]+$/u, '') };
  });
  // Mixed: a Latin term (TiDB, MySQL, sense, 3.0…) with a Chinese word of the same passage.
  const mixedPassages = zh.filter((p) => /[a-z]{2,}/iu.test(p.text));
  fill(35, () => {
    const ws = words(pick(mixedPassages).text);
    const latin = ws.filter((w) => /[a-z]/u.test(w));
    const chinese = ws.filter((w) => han.test(w) && Array.from(w).length >= 2);
    if (latin.length === 0 || chinese.length === 0) return null;
    const parts = [pick(latin), pick(chinese)];
    if (random() < 0.5) parts.push(pick(chinese));
    return { kind: 'mixed', text: random() < 0.5 ? parts.join(' ') : parts.reverse().join('') };
  });
  // With a speaker filter: a word or phrase of one of the speaker's passages, by name.
  const spoken = passages.filter((p) => p.speakerName !== null);
  fill(50, () => {
    const passage = pick(spoken);
    const ws = words(passage.text).filter((w) => Array.from(w).length >= 2);
    if (ws.length === 0) return null;
    const start = Math.floor(random() * ws.length);
    const text = ws.slice(start, start + 1 + Math.floor(random() * 3)).join(han.test(passage.text) ? '' : ' ');
    return { kind: 'speaker', text, speaker: passage.speakerName! };
  });
  // The relevance set.
  const relevance = JSON.parse(readFileSync(new URL('../test/fixtures/relevance.json', import.meta.url), 'utf8')) as Array<{
    query: string;
    speaker_filter?: string;
  }>;
  for (const c of relevance) add({ kind: 'relevance', text: c.query, ...(c.speaker_filter ? { speaker: c.speaker_filter } : {}) });

  return out;
}

/** The file text of a query set (one query per line, stable diffs). */
export function formatQueries(queries: BenchQuery[]): string {
  return `[\n${queries.map((q) => `  ${JSON.stringify(q)}`).join(',\n')}\n]\n`;
}

function main(): void {
  const out = generateQueries();
  writeFileSync(QUERIES_FILE, formatQueries(out));
  const counts = new Map<string, number>();
  for (const q of out) counts.set(q.kind, (counts.get(q.kind) ?? 0) + 1);
  console.log(`${out.length} queries → ${QUERIES_FILE}`, Object.fromEntries(counts));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
