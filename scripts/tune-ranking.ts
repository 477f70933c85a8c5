/**
 * Learns the ranking weights (src/core/search/ranking.ts) on the public relevance set: prints precision@1 and
 * MRR@5 per query kind for the plain BM25 baseline, the current defaults, and the weights a coordinate search
 * finds (each weight in turn over a small grid of round values, a few rounds; ties keep the current value, so
 * the result sits on a plateau rather than on the edge of one query).
 *
 *   npm run --silent tune                      # baseline, defaults, search
 *   npm run --silent tune -- --cases other.json  # another set in the same format
 *   npm run --silent tune -- --no-search       # only the baseline and the defaults, with the misses
 */
import { readFileSync } from 'node:fs';
import { loadLibrary } from '../src/core/library.ts';
import type { QuoteIndex } from '../src/core/search/engine.ts';
import { DEFAULT_RANKING, PLAIN_RANKING, type RankingWeights } from '../src/core/search/ranking.ts';

/** One case of `test/fixtures/relevance.json` (see test/relevance.test.ts for the schema). */
export interface RelevanceCase {
  query: string;
  kind?: string;
  speaker_filter?: string;
  /** The passage that must come first: its interview, speaker (null for narration), a phrase of its text. */
  expect: { interview: string; speaker: string | null; phrase: string };
}

/** Per kind (and `all`): cases, hits at rank 1, reciprocal ranks within the top 5. */
export type KindScores = Map<string, { cases: number; top1: number; rr: number }>;

/** Whether a result is the passage the case names. */
function isRight(c: RelevanceCase, hit: { passage: { text: string; interviewId: string }; speaker: { name: string } | null }): boolean {
  return hit.passage.interviewId === c.expect.interview && (hit.speaker?.name ?? null) === c.expect.speaker && hit.passage.text.includes(c.expect.phrase);
}

/** Scores `index` on `cases`; `misses` collects the rank-1 misses. */
export function evaluate(index: QuoteIndex, cases: readonly RelevanceCase[], misses?: string[]): KindScores {
  const scores: KindScores = new Map();
  const add = (kind: string, top1: boolean, rr: number): void => {
    const entry = scores.get(kind) ?? { cases: 0, top1: 0, rr: 0 };
    entry.cases++;
    if (top1) entry.top1++;
    entry.rr += rr;
    scores.set(kind, entry);
  };
  for (const c of cases) {
    const hits = index.search({ text: c.query, speaker: c.speaker_filter, limit: 5 }).hits;
    const rank = hits.findIndex((hit) => isRight(c, hit));
    const rr = rank < 0 ? 0 : 1 / (rank + 1);
    add(c.kind ?? 'unlabelled', rank === 0, rr);
    add('all', rank === 0, rr);
    if (rank !== 0 && misses) {
      const top = hits[0];
      misses.push(`[${c.kind ?? '-'}] ${c.query}${c.speaker_filter ? ` (speaker ${c.speaker_filter})` : ''} → ${top ? `${top.speaker?.name ?? 'narration'} ${top.passage.id} ${top.passage.text.slice(0, 40)}` : 'nothing'} (right one at ${rank < 0 ? '>5' : rank + 1})`);
    }
  }
  return scores;
}

/** The objective: overall precision@1, then the worst kind's, then overall MRR (all in [0, 1]). */
function objective(scores: KindScores): number {
  const all = scores.get('all')!;
  const worst = Math.min(...[...scores.entries()].filter(([k]) => k !== 'all').map(([, v]) => v.top1 / v.cases));
  return all.top1 / all.cases + 0.5 * worst + 0.01 * (all.rr / all.cases);
}

function table(title: string, scores: KindScores): string {
  const rows = [...scores.entries()].sort(([a], [b]) => (a === 'all' ? 1 : b === 'all' ? -1 : a.localeCompare(b)));
  return [
    title,
    ...rows.map(([kind, v]) => `  ${kind.padEnd(22)} ${String(v.top1).padStart(3)}/${String(v.cases).padEnd(3)}  P@1 ${(v.top1 / v.cases).toFixed(3)}  MRR@5 ${(v.rr / v.cases).toFixed(3)}`),
  ].join('\n');
}

/** Round values tried for each weight. */
const GRID: Partial<Record<keyof RankingWeights, number[]>> = {
  quoteBoost: [1, 1.15, 1.3, 1.5],
  askerFactor: [0.4, 0.55, 0.7, 0.85, 1],
  questionFactor: [0.5, 0.65, 0.8, 1],
  shortFactor: [0.5, 0.75, 1],
  fillerFactor: [0.2, 0.35, 0.5, 0.7, 1],
  continuationFactor: [0.7, 0.8, 0.9, 0.95, 1],
  narrationAboutFactor: [0.3, 0.45, 0.6, 0.75, 0.9, 1],
  answerWeight: [0, 0.5, 1, 1.5, 2],
  answerDecay: [0.5, 0.7, 0.85, 1],
  answerSubstanceChars: [0, 50, 100, 150, 200, 300],
  setupWeight: [0, 0.25, 0.5, 0.75, 1],
  synonymWeight: [0.3, 0.6, 0.9],
};

function main(): void {
  const args = process.argv.slice(2);
  const at = args.indexOf('--cases');
  const file = at >= 0 ? args[at + 1]! : new URL('../test/fixtures/relevance.json', import.meta.url);
  const cases = JSON.parse(readFileSync(file, 'utf8')) as RelevanceCase[];
  const { index } = loadLibrary();

  index.setRanking(PLAIN_RANKING);
  console.log(table(`plain BM25 (${cases.length} cases)`, evaluate(index, cases)));
  index.setRanking(DEFAULT_RANKING);
  const misses: string[] = [];
  console.log(table('defaults (src/core/search/ranking.ts)', evaluate(index, cases, misses)));
  if (misses.length > 0) console.log(`  misses:\n    ${misses.join('\n    ')}`);
  if (args.includes('--no-search')) return;

  let best: RankingWeights = { ...DEFAULT_RANKING };
  let bestScore = objective(evaluate(index, cases));
  for (let round = 0; round < 3; round++) {
    let improved = false;
    for (const [key, values] of Object.entries(GRID) as Array<[keyof RankingWeights, number[]]>) {
      for (const value of values) {
        if (value === best[key]) continue;
        const trial = { ...best, [key]: value };
        index.setRanking(trial);
        const score = objective(evaluate(index, cases));
        if (score > bestScore + 1e-9) {
          best = trial;
          bestScore = score;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  index.setRanking(best);
  const bestMisses: string[] = [];
  console.log(table('coordinate search', evaluate(index, cases, bestMisses)));
  const changed = (Object.keys(GRID) as Array<keyof RankingWeights>).filter((key) => best[key] !== DEFAULT_RANKING[key]);
  console.log(`  weights: ${changed.length === 0 ? 'the defaults' : changed.map((key) => `${key} ${DEFAULT_RANKING[key]} → ${best[key]}`).join(', ')}`);
  if (bestMisses.length > 0) console.log(`  misses:\n    ${bestMisses.join('\n    ')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
