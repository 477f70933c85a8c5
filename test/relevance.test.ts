/**
 * The relevance set: queries written from the corpus (Chinese, English, mixed, Traditional, with a
 * speaker filter), each with the interview and speaker its first result must come from.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testLibrary } from './support/bot-harness.ts';

interface RelevanceCase {
  query: string;
  source: string;
  speaker: string;
  speaker_filter?: string;
  note?: string;
}

const cases = JSON.parse(readFileSync(new URL('./fixtures/relevance.json', import.meta.url), 'utf8')) as RelevanceCase[];

describe('relevance', () => {
  it('has at least 40 queries covering every interview', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
    expect(new Set(cases.map((c) => c.source)).size).toBe(testLibrary().interviews.length);
  });

  it('finds the expected interview and speaker first for ≥ 90% of the queries (precision@1)', () => {
    const { index } = testLibrary();
    const misses: string[] = [];
    for (const c of cases) {
      const top = index.search({ text: c.query, speaker: c.speaker_filter, limit: 1 }).hits[0];
      const ok = top !== undefined && top.interview.id === c.source && top.speaker?.name === c.speaker;
      if (!ok) misses.push(`${c.query} → ${top ? `${top.speaker?.name ?? 'narration'} @ ${top.interview.id} (${top.passage.id})` : 'nothing'}`);
    }
    const precision = (cases.length - misses.length) / cases.length;
    console.log(`relevance: precision@1 = ${(precision * 100).toFixed(1)}% over ${cases.length} queries${misses.length ? `; misses:\n  ${misses.join('\n  ')}` : ''}`);
    expect(precision).toBeGreaterThanOrEqual(0.9);
  });
});

describe('words typed without a space', () => {
  const { index } = testLibrary();
  const top = (text: string, speaker?: string): string | undefined => index.search({ text, speaker, limit: 1 }).hits[0]?.passage.id;

  it('finds two English words run together as if they were spaced', () => {
    for (const [joined, spaced, speaker] of [
      ['migrationcost', 'migration cost', '黄东旭'],
      ['prestoflink', 'presto flink', undefined],
    ] as const) {
      expect(top(spaced, speaker), spaced).toBeDefined();
      expect(top(joined, speaker), joined).toBe(top(spaced, speaker));
      expect(index.search({ text: joined, speaker }).terms).toEqual(index.search({ text: spaced, speaker }).terms);
    }
  });

  it('leaves indexed words and typos alone', () => {
    // An indexed word is never split, and a typo (no split into two indexed words) keeps its fuzzy match.
    expect(index.search({ text: 'database' }).terms).toEqual(['database']);
    expect(index.search({ text: 'databse' }).terms).toEqual(['databse']);
  });
});
