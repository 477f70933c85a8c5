/**
 * QuoteIndex scores with its own BM25 pass over MiniSearch's index (typed arrays, AND by lookups from the
 * rarest term, top-k). It must give the same results and scores as MiniSearch's own search with the same
 * options, followed by the same phrase re-ranking: checked here on the whole benchmark query set.
 */
import MiniSearch, { type SearchResult } from 'minisearch';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPassages } from '../src/core/corpus/passages.ts';
import { QuoteIndex } from '../src/core/search/engine.ts';
import type { RankingWeights } from '../src/core/search/ranking.ts';

/**
 * The layers over BM25 (answers after questions, synonym and sub-word tiers, a named person first) are off here: this file checks
 * the BM25 pass with the quotability prior as document boost, which MiniSearch can compute too.
 */
const BM25_ONLY: Partial<RankingWeights> = { answerWeight: 0, setupWeight: 0, synonymWeight: 0, subwordFallback: false, namedSpeakerFirst: false, topicalFirst: false };
let bm25Index: QuoteIndex | undefined;
function bm25OnlyIndex(): QuoteIndex {
  const { interviews, passages, tokenizer } = testLibrary();
  bm25Index ??= new QuoteIndex(interviews, passages, tokenizer, { ranking: BM25_ONLY });
  return bm25Index;
}
import { IndexFileError } from '../src/core/search/index-file.ts';
import { isLatinTerm } from '../src/core/text/tokenizer.ts';
import { readQueries } from '../bench/make-queries.ts';
import { syntheticInterviews } from '../bench/synthetic.ts';
import { testLibrary } from './support/bot-harness.ts';

const referenceIndexes = new WeakMap<QuoteIndex, MiniSearch>();

/** MiniSearch itself over the same index and options as `index` (loaded once per index). */
function referenceMiniSearch(index: QuoteIndex): MiniSearch {
  const cached = referenceIndexes.get(index);
  if (cached) return cached;
  const { tokenizer } = testLibrary();
  const priors = Float32Array.from(index.passages, (_, i) => index.prior(i));
  // Like the engine, fuzzy matching only for a term that is not in the index as typed (a typo).
  const isIndexed = (term: string): boolean => (mini as unknown as { _index: { has(term: string): boolean } })._index.has(term);
  const mini: MiniSearch = MiniSearch.loadJSON(index.toJSON(), {
    fields: ['text', 'speaker', 'title', 'section'],
    tokenize: (text) => tokenizer.tokenizeForIndex(text),
    processTerm: (term) => term,
    searchOptions: {
      boost: { text: 1, speaker: 1.5, title: 0.5, section: 0.5 },
      bm25: { k: 1.2, b: 0.7, d: 0.5 },
      prefix: (term) => isLatinTerm(term) && term.length >= 4,
      fuzzy: (term) => (isLatinTerm(term) && term.length >= 6 && !isIndexed(term) ? 0.2 : false),
      weights: { fuzzy: 0.3, prefix: 0.6 },
      boostDocument: (id) => priors[id as number] ?? 1,
    },
  });
  referenceIndexes.set(index, mini);
  return mini;
}

/** MiniSearch's search with QuoteIndex's options, AND then OR, re-ranked like QuoteIndex: the reference. */
function reference(index: QuoteIndex, query: { text: string; speaker?: string }): Array<{ id: string; score: number }> {
  const { tokenizer } = testLibrary();
  const passages = index.passages;
  const mini = referenceMiniSearch(index);
  // The query terms as QuoteIndex derives them (tokenizer, then run-together English words split): this
  // test is about scoring them.
  const terms = index.search({ text: query.text }).terms ?? tokenizer.tokenizeQuery(query.text);
  if (terms.length === 0) return [];
  const speakers = query.speaker ? new Set(index.matchSpeakers(query.speaker).map((m) => `${m.interviewId}\u0000${m.speaker.id}`)) : null;
  const options = {
    tokenize: (joined: string) => joined.split(' '),
    processTerm: (term: string) => term,
    filter: speakers ? (r: SearchResult) => speakers.has(`${passages[r.id]!.interviewId}\u0000${passages[r.id]!.speakerId ?? ''}`) : undefined,
  };
  let results = mini.search(terms.join(' '), { ...options, combineWith: 'AND' });
  if (results.length === 0 && terms.length > 1) results = mini.search(terms.join(' '), { ...options, combineWith: 'OR' });
  const phrase = tokenizer.normalize(query.text.trim()).replace(/[\s\p{P}\p{S}]+/gu, '');
  // The query as written counts when it is more than its one term (你的商业模式是什么 → 商业模式).
  if (terms.length >= 2 || phrase !== terms[0]) {
    const pairs = terms.slice(1).map((term, i) => `${terms[i]}${term}`);
    // 1 + 0.15 per character of the query as written, up to 16 characters.
    const phraseFactor = 1 + 0.15 * Math.min(Array.from(phrase).length, 16);
    const head = results.slice(0, 50).map((r) => {
      const text = tokenizer.normalize(passages[r.id]!.text);
      let factor = 1;
      if (phrase.length >= 2 && text.includes(phrase)) factor *= phraseFactor;
      for (const pair of pairs) if (text.includes(pair)) factor *= 1.2;
      return { ...r, score: r.score * factor };
    });
    head.sort((a, b) => b.score - a.score);
    results = [...head, ...results.slice(50)];
  }
  return results.slice(0, 5).map((r) => ({ id: passages[r.id]!.id, score: r.score }));
}

const queries = readQueries().filter((q) => q.text.length <= 500);

describe('QuoteIndex scoring', () => {
  it('gives the same hits and scores as MiniSearch on the real corpus', () => {
    const index = bm25OnlyIndex();
    let compared = 0;
    for (const query of queries) {
      const ours = index.search({ text: query.text, speaker: query.speaker, limit: 5 }).hits.map((h) => ({ id: h.passage.id, score: h.score }));
      const theirs = reference(index, query);
      expect(ours.map((h) => h.id), query.text).toEqual(theirs.map((h) => h.id));
      ours.forEach((h, i) => expect(h.score).toBeCloseTo(theirs[i]!.score, 9));
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(300);
  });

  it('gives the same scores at 3× (copies tie; ties go to the earlier passage)', () => {
    const { tokenizer } = testLibrary();
    const interviews = syntheticInterviews(3);
    const index = new QuoteIndex(interviews, buildPassages(interviews), tokenizer, { ranking: BM25_ONLY });
    for (const query of queries.slice(0, 150)) {
      const ours = index.search({ text: query.text, speaker: query.speaker, limit: 5 }).hits.map((h) => h.score);
      const theirs = reference(index, query).map((h) => h.score);
      expect(ours.length, query.text).toBe(theirs.length);
      ours.forEach((score, i) => expect(score).toBeCloseTo(theirs[i]!, 9));
    }
  });

  it('saves and loads an index file with the same terms, scores and results', () => {
    const { index, interviews, passages, tokenizer, synonyms } = testLibrary();
    const file = join(mkdtempSync(join(tmpdir(), 'zhenyan-index-')), 'index.zi');
    expect(index.save(file)).toBe(statSync(file).size);
    const loaded = new QuoteIndex(interviews, passages, tokenizer, { indexFile: file, synonyms });
    expect(loaded.termCount).toBe(index.termCount);
    // MiniSearch's own view of both is identical, posting list by posting list.
    const plain = (i: QuoteIndex): { index: Array<[string, unknown]> } => {
      const js = JSON.parse(i.toJSON()) as { index: Array<[string, unknown]> };
      js.index.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return js;
    };
    expect(plain(loaded)).toStrictEqual(plain(index));
    for (const query of queries.slice(0, 80)) {
      const search = (i: QuoteIndex): Array<[string, number]> =>
        i.search({ text: query.text, speaker: query.speaker }).hits.map((h) => [h.passage.id, h.score]);
      expect(search(loaded), query.text).toEqual(search(index));
    }
  });

  it('refuses a truncated, foreign or mismatched index file with IndexFileError', () => {
    const { index, interviews, passages, tokenizer } = testLibrary();
    const dir = mkdtempSync(join(tmpdir(), 'zhenyan-index-'));
    const file = join(dir, 'index.zi');
    index.save(file);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    const variants = {
      truncated: lines.slice(0, -1).join('\n'),
      'cut mid-line': readFileSync(file, 'utf8').slice(0, 5000),
      foreign: JSON.stringify({ documentCount: 1 }),
      // Same number of terms, but a posting list that is not one.
      'wrong types': lines.map((line) => (line.startsWith('["t",') ? line.replace(/^\["t",("(?:[^"\\]|\\.)*"),1,(\d+),\[[^\]]*\]/u, '["t",$1,1,$2,"oops"') : line)).join('\n'),
      'a delta that is no number': lines.map((line) => (line.startsWith('["t",') ? line.replace(/^\["t",("(?:[^"\\]|\\.)*"),1,(\d+),\[/u, '["t",$1,1,$2,["x",') : line)).join('\n'),
      'older version': [lines[0]!.replace('"zhenyan-index",1', '"zhenyan-index",0'), ...lines.slice(1)].join('\n'),
      empty: '',
    };
    for (const [name, content] of Object.entries(variants)) {
      writeFileSync(file, content);
      expect(() => new QuoteIndex(interviews, passages, tokenizer, { indexFile: file }), name).toThrow(IndexFileError);
    }
    index.save(file);
    expect(() => new QuoteIndex(interviews, passages.slice(1), tokenizer, { indexFile: file })).toThrow(IndexFileError);
  });
});
