/**
 * The public relevance set (`fixtures/relevance.json`): queries written from the corpus as a reader would
 * type them, each naming the one passage that must come first: its interview, its speaker (null for
 * narration) and an exact phrase of its text. Every case has a kind, and the test reports precision@1 and
 * MRR@5 per kind and overall, lists the misses, and prints them against the targets of issue 14
 * (precision@1 ≥ 0.95 overall and ≥ 0.90 for every kind). The targets are not met yet (0.936 overall on
 * 2026-12-02): what is asserted is a floor just under the level reached, so a regression fails here.
 *
 * The fixture is also checked on its own, apart from ranking: every phrase must name exactly one passage
 * of its interview and speaker, so a data edit that breaks a case fails here with the case named, not as
 * a mysterious ranking miss. Nothing here requires a case per interview: a new interview without cases
 * is fine (`cli check` is where missing coverage belongs).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { SearchHit } from '../src/core/search/engine.ts';
import { foldLatinTerm } from '../src/core/text/tokenizer.ts';
import { testLibrary } from './support/bot-harness.ts';

/** The kinds of query in the set; each needs {@link MIN_CASES_PER_KIND} cases. */
const KINDS = [
  /** Two to four words taken from the passage. */
  'keyword',
  /** Phrased like a question a host or the audience asked in the text: the guest's answer must win. */
  'question-echo',
  /** A question in a reader's own words. */
  'natural-question',
  /** The topic is in narration or filler and in a speaker's own words: the speaker's words must win. */
  'narration-vs-speaker',
  /** Another word form or a synonym of the passage's words (卖房子 for 卖房, 招人 for 招聘). */
  'near-form',
  /** A speaker's alias, partial or Latin name, in the query or the speaker filter. */
  'alias',
  /** Traditional characters (and Taiwanese vocabulary). */
  'traditional',
  /** English. */
  'english',
  /** Chinese and Latin words together. */
  'mixed',
] as const;
type Kind = (typeof KINDS)[number];

const MIN_CASES = 160;
const MIN_CASES_PER_KIND = 12;
/** Targets of issue 14, printed with the results. */
const TARGET_PRECISION_OVERALL = 0.95;
const TARGET_PRECISION_PER_KIND = 0.9;
/**
 * Asserted floors: the level reached (0.936 overall, lowest kind natural-question 0.85) less a margin of a
 * case or two, so that a new interview taking a top place now and then does not fail the suite. Raise
 * them toward the targets as the ranking improves.
 */
const MIN_PRECISION_OVERALL = 0.92;
const MIN_PRECISION_PER_KIND = 0.8;
/** How deep MRR looks. */
const MRR_DEPTH = 5;

const relevanceCase = z
  .object({
    query: z.string().trim().min(1),
    kind: z.enum(KINDS),
    /** Passed to the search as its speaker filter (a name, alias or speaker id). */
    speaker_filter: z.string().min(1).optional(),
    expect: z
      .object({
        /** Interview id. */
        interview: z.string().min(1),
        /** The speaker's display name, or null for narration. */
        speaker: z.string().min(1).nullable(),
        /** A verbatim substring of the expected passage, unique among that speaker's passages there. */
        phrase: z.string().min(4).max(40),
      })
      .strict(),
    note: z.string().optional(),
  })
  .strict();
type RelevanceCase = z.infer<typeof relevanceCase>;

const fixtureText = readFileSync(new URL('./fixtures/relevance.json', import.meta.url), 'utf8');
const cases: RelevanceCase[] = z.array(relevanceCase).parse(JSON.parse(fixtureText));

/** A case as one readable line, for failure messages. */
function describeCase(c: RelevanceCase): string {
  const filter = c.speaker_filter ? ` [speaker: ${c.speaker_filter}]` : '';
  return `${c.kind} "${c.query}"${filter} → ${c.expect.speaker ?? 'narration'} @ ${c.expect.interview} «${c.expect.phrase}»`;
}

/** True when the hit is the passage the case names: same interview, same speaker, text holds the phrase. */
function isExpected(hit: SearchHit, c: RelevanceCase): boolean {
  return (
    hit.interview.id === c.expect.interview &&
    (hit.speaker?.name ?? null) === c.expect.speaker &&
    hit.passage.text.includes(c.expect.phrase)
  );
}

describe('relevance set: the fixture', () => {
  it(`has at least ${MIN_CASES} cases, ${MIN_CASES_PER_KIND} or more of every kind, and no duplicate query`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(MIN_CASES);
    const thin = KINDS.filter((kind) => cases.filter((c) => c.kind === kind).length < MIN_CASES_PER_KIND);
    expect(thin, 'kinds with too few cases').toEqual([]);
    const keys = cases.map((c) => `${c.query}\u0000${c.speaker_filter ?? ''}`);
    const duplicates = keys.filter((key, i) => keys.indexOf(key) !== i).map((key) => key.replace('\u0000', ' | '));
    expect(duplicates, 'queries listed twice').toEqual([]);
  });

  it('names, in every case, exactly one passage of its interview and speaker', () => {
    const { passages, interviews } = testLibrary();
    const interviewIds = new Set(interviews.map((i) => i.id));
    const problems: string[] = [];
    for (const c of cases) {
      if (!interviewIds.has(c.expect.interview)) {
        problems.push(`${describeCase(c)}: no such interview`);
        continue;
      }
      const found = passages.filter(
        (p) => p.interviewId === c.expect.interview && p.speakerName === c.expect.speaker && p.text.includes(c.expect.phrase),
      );
      if (found.length !== 1) {
        problems.push(`${describeCase(c)}: the phrase is in ${found.length} passages${found.length ? ` (${found.map((p) => p.id).join(', ')})` : ''}`);
      }
    }
    expect(problems, 'cases whose phrase does not name exactly one passage').toEqual([]);
  });
});

/** Precision@1 and MRR@5 of some cases. */
interface Score {
  cases: number;
  hitsAtOne: number;
  precisionAtOne: number;
  mrr: number;
}

function score(results: Array<{ rank: number | null }>): Score {
  const hitsAtOne = results.filter((r) => r.rank === 1).length;
  const reciprocal = results.reduce((sum, r) => sum + (r.rank === null ? 0 : 1 / r.rank), 0);
  return {
    cases: results.length,
    hitsAtOne,
    precisionAtOne: results.length ? hitsAtOne / results.length : 0,
    mrr: results.length ? reciprocal / results.length : 0,
  };
}

/** Runs every case once (lazily, so the fixture tests above fail fast without it). */
let evaluation: { byKind: Map<Kind, Score>; overall: Score } | undefined;
function evaluate(): NonNullable<typeof evaluation> {
  if (evaluation) return evaluation;
  const { index } = testLibrary();
  const results: Array<{ kind: Kind; rank: number | null }> = [];
  const misses: string[] = [];
  for (const c of cases) {
    const hits = index.search({ text: c.query, speaker: c.speaker_filter, limit: MRR_DEPTH }).hits;
    const at = hits.findIndex((hit) => isExpected(hit, c));
    const rank = at === -1 ? null : at + 1;
    results.push({ kind: c.kind, rank });
    if (rank !== 1) {
      const top = hits[0];
      const got = top ? `${top.speaker?.name ?? 'narration'} ${top.passage.id} «${Array.from(top.passage.text).slice(0, 30).join('')}…»` : 'nothing';
      misses.push(`${describeCase(c)}\n      got ${got}; expected at rank ${rank ?? `> ${MRR_DEPTH}`}`);
    }
  }
  const byKind = new Map(KINDS.map((kind) => [kind, score(results.filter((r) => r.kind === kind))] as const));
  const overall = score(results);

  const row = (name: string, s: Score): string =>
    `${name.padEnd(22)}${String(s.cases).padStart(6)}${`${s.hitsAtOne}`.padStart(6)}${s.precisionAtOne.toFixed(3).padStart(8)}${s.mrr.toFixed(3).padStart(8)}`;
  console.log(
    [
      `relevance set: ${cases.length} queries`,
      `${'kind'.padEnd(22)}${'cases'.padStart(6)}${'@1'.padStart(6)}${'P@1'.padStart(8)}${`MRR@${MRR_DEPTH}`.padStart(8)}`,
      ...KINDS.map((kind) => row(kind, byKind.get(kind)!)),
      row('overall', overall),
      `targets (issue 14): P@1 ≥ ${TARGET_PRECISION_OVERALL} overall, ≥ ${TARGET_PRECISION_PER_KIND} per kind; below target: ${
        KINDS.filter((kind) => byKind.get(kind)!.precisionAtOne < TARGET_PRECISION_PER_KIND).join(', ') || 'none'
      }${overall.precisionAtOne < TARGET_PRECISION_OVERALL ? ', overall' : ''}`,
      misses.length ? `misses (${misses.length}):\n  ${misses.join('\n  ')}` : 'no misses',
    ].join('\n'),
  );
  evaluation = { byKind, overall };
  return evaluation;
}

describe('relevance set: ranking', () => {
  it(`puts the named passage first for ≥ ${MIN_PRECISION_OVERALL * 100}% of all queries (precision@1)`, () => {
    expect(evaluate().overall.precisionAtOne).toBeGreaterThanOrEqual(MIN_PRECISION_OVERALL);
  });

  it.each(KINDS)(`puts the named passage first for ≥ ${MIN_PRECISION_PER_KIND * 100}%% of the %s queries`, (kind) => {
    expect(evaluate().byKind.get(kind)!.precisionAtOne).toBeGreaterThanOrEqual(MIN_PRECISION_PER_KIND);
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
    expect(index.search({ text: 'database' }).terms).toEqual([foldLatinTerm('database')]);
    expect(index.search({ text: 'databse' }).terms).toEqual([foldLatinTerm('databse')]);
  });
});
