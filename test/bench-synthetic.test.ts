/** The benchmark's inputs are deterministic: the synthetic corpora and the fixed query set. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInterview, serializeInterview } from '../src/core/corpus/format.ts';
import { loadCorpus } from '../src/core/corpus/load.ts';
import { buildPassages } from '../src/core/corpus/passages.ts';
import { formatQueries, generateQueries, QUERIES_FILE } from '../bench/make-queries.ts';
import { syntheticInterviews } from '../bench/synthetic.ts';

describe('synthetic corpora', () => {
  const base = loadCorpus();

  it('is the real corpus at 1×', () => {
    expect(syntheticInterviews(1, base)).toEqual(base);
  });

  it('makes N copies with new ids, varied speakers and the same paragraphs, the same way every time', () => {
    const three = syntheticInterviews(3, base);
    expect(three).toHaveLength(base.length * 3);
    expect(new Set(three.map((i) => i.id)).size).toBe(three.length);
    expect(syntheticInterviews(3, base)).toEqual(three);
    const original = base[0]!;
    const copy = three.find((i) => i.id === `${original.id}-x1`)!;
    expect(copy.speakers.map((s) => s.id)).toEqual(original.speakers.map((s) => s.id));
    expect(copy.speakers.map((s) => s.name)).not.toEqual(original.speakers.map((s) => s.name));
    const texts = (i: typeof original): string[] => i.body.map((b) => b.text).sort();
    expect(texts(copy)).toEqual(texts(original));
    expect(copy.body.map((b) => b.text)).not.toEqual(original.body.map((b) => b.text));
    for (const interview of three) expect(parseInterview(serializeInterview(interview))).toEqual(interview);
    expect(buildPassages(three).length).toBe(buildPassages(base).length * 3);
  });
});

describe('benchmark query set', () => {
  it('is bench/queries.json, at least 300 queries of every kind, regenerated identically', () => {
    const queries = generateQueries();
    expect(queries.length).toBeGreaterThanOrEqual(300);
    expect(new Set(queries.map((q) => q.kind))).toEqual(
      new Set(['zh-word', 'zh-phrase', 'zh-sentence', 'traditional', 'en', 'mixed', 'speaker', 'relevance']),
    );
    expect(queries.filter((q) => q.speaker !== undefined).length).toBeGreaterThanOrEqual(40);
    expect(readFileSync(QUERIES_FILE, 'utf8')).toBe(formatQueries(queries));
  });
});
