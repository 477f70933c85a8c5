/**
 * QuoteIndex scores with its own BM25 pass over MiniSearch's index (typed arrays, AND by lookups from the
 * rarest term, top-k). It must give the same results and scores as MiniSearch's own search with the same
 * options, followed by the same phrase re-ranking: checked here on the whole benchmark query set.
 */
import MiniSearch, { type SearchResult } from 'minisearch';
import { describe, expect, it } from 'vitest';
import { buildPassages } from '../src/core/corpus/passages.ts';
import { passagePrior, QuoteIndex } from '../src/core/search/engine.ts';
import { isLatinTerm } from '../src/core/text/tokenizer.ts';
import { readQueries } from '../bench/make-queries.ts';
import { syntheticInterviews } from '../bench/synthetic.ts';
import { testLibrary } from './support/bot-harness.ts';

/** MiniSearch's search with QuoteIndex's options, AND then OR, re-ranked like QuoteIndex: the reference. */
function reference(index: QuoteIndex, query: { text: string; speaker?: string }): Array<{ id: string; score: number }> {
  const { tokenizer } = testLibrary();
  const passages = index.passages;
  const priors = Float32Array.from(passages, (p) => passagePrior(p, 1.15));
  const mini = MiniSearch.loadJSON(index.toJSON(), {
    fields: ['text', 'speaker', 'title', 'section'],
    tokenize: (text) => tokenizer.tokenizeForIndex(text),
    processTerm: (term) => term,
    searchOptions: {
      boost: { text: 1, speaker: 1.5, title: 0.5, section: 0.5 },
      bm25: { k: 1.2, b: 0.7, d: 0.5 },
      prefix: (term) => isLatinTerm(term) && term.length >= 4,
      fuzzy: (term) => (isLatinTerm(term) && term.length >= 6 ? 0.2 : false),
      weights: { fuzzy: 0.3, prefix: 0.6 },
      boostDocument: (id) => priors[id as number] ?? 1,
    },
  });
  const terms = tokenizer.tokenizeQuery(query.text);
  if (terms.length === 0) return [];
  const speakers = query.speaker ? new Set(index.resolveSpeaker(query.speaker).map((m) => `${m.interviewId}\u0000${m.speaker.id}`)) : null;
  const options = {
    tokenize: (joined: string) => joined.split(' '),
    processTerm: (term: string) => term,
    filter: speakers ? (r: SearchResult) => speakers.has(`${passages[r.id]!.interviewId}\u0000${passages[r.id]!.speakerId ?? ''}`) : undefined,
  };
  let results = mini.search(terms.join(' '), { ...options, combineWith: 'AND' });
  if (results.length === 0 && terms.length > 1) results = mini.search(terms.join(' '), { ...options, combineWith: 'OR' });
  if (terms.length >= 2) {
    const phrase = tokenizer.normalize(query.text.trim()).replace(/[\s\p{P}\p{S}]+/gu, '');
    const pairs = terms.slice(1).map((term, i) => `${terms[i]}${term}`);
    const head = results.slice(0, 50).map((r) => {
      const text = tokenizer.normalize(passages[r.id]!.text);
      let factor = 1;
      if (phrase.length >= 2 && text.includes(phrase)) factor *= 1.6;
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
    const { index } = testLibrary();
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
    const index = new QuoteIndex(interviews, buildPassages(interviews), tokenizer);
    for (const query of queries.slice(0, 150)) {
      const ours = index.search({ text: query.text, speaker: query.speaker, limit: 5 }).hits.map((h) => h.score);
      const theirs = reference(index, query).map((h) => h.score);
      expect(ours.length, query.text).toBe(theirs.length);
      ours.forEach((score, i) => expect(score).toBeCloseTo(theirs[i]!, 9));
    }
  });

  it('loads a serialized index asynchronously with the same results', async () => {
    const { index, interviews, passages, tokenizer } = testLibrary();
    const loaded = await QuoteIndex.fromJSONAsync(interviews, passages, tokenizer, index.toJSON());
    expect(loaded.termCount).toBe(index.termCount);
    for (const query of queries.slice(0, 50)) {
      expect(loaded.search({ text: query.text, speaker: query.speaker }).hits.map((h) => h.passage.id)).toEqual(
        index.search({ text: query.text, speaker: query.speaker }).hits.map((h) => h.passage.id),
      );
    }
  });
});
