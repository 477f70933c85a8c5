/**
 * Property: the tokenizer and the search never throw, whatever Unicode a user sends (lone surrogates,
 * zero-width and bidi controls, combining marks, markdown and mention syntax, 10k-character strings).
 */
import { MAX_QUERY_CHARS } from '../../src/core/search/engine.ts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTokenizer } from '../../src/core/text/tokenizer.ts';
import { testLibrary } from '../support/bot-harness.ts';
import { hostileText, hugeText } from './hostile.ts';

// One tokenizer for the whole file: loading nodejieba is slow.
const tokenizer = createTokenizer();

function expectTerms(terms: unknown): void {
  expect(Array.isArray(terms)).toBe(true);
  for (const term of terms as unknown[]) {
    expect(typeof term).toBe('string');
    expect((term as string).length).toBeGreaterThan(0);
  }
}

/** True when `text` has a high surrogate at `index - 1` and a low one at `index` (a pair split at `index`). */
function splitsPair(text: string, index: number): boolean {
  if (index <= 0 || index >= text.length) return false;
  const before = text.charCodeAt(index - 1);
  const after = text.charCodeAt(index);
  return before >= 0xd800 && before <= 0xdbff && after >= 0xdc00 && after <= 0xdfff;
}

describe('tokenizer', () => {
  it('never throws on hostile text, and returns non-empty string terms', () => {
    fc.assert(
      fc.property(hostileText, (text) => {
        expectTerms(tokenizer.tokenizeQuery(text));
        expectTerms(tokenizer.tokenizeForIndex(text));
        expect(typeof tokenizer.normalize(text)).toBe('string');
      }),
      { numRuns: 400 },
    );
  });

  it('never throws on 10k-character strings', () => {
    fc.assert(
      fc.property(hugeText, (text) => {
        expect(text.length).toBeGreaterThanOrEqual(10_000);
        expectTerms(tokenizer.tokenizeQuery(text));
        expectTerms(tokenizer.tokenizeForIndex(text));
      }),
      { numRuns: 15 },
    );
  });
});

describe('search', () => {
  const library = testLibrary();
  const speakers = library.index.speakers().map((entry) => entry.speaker.name);
  const sources = library.interviews.map((interview) => interview.id);
  const speakerArb = fc.option(fc.oneof(hostileText, fc.constantFrom(...speakers)), { nil: undefined });
  const sourceArb = fc.option(fc.oneof(hostileText, fc.constantFrom(...sources)), { nil: undefined });

  it('never throws, respects the limit, and highlights within the passage without splitting surrogate pairs', () => {
    fc.assert(
      fc.property(hostileText, speakerArb, sourceArb, fc.integer({ min: -5, max: 100 }), (text, speaker, source, limit) => {
        const response = library.index.search({ text, speaker, source, limit });
        expect(response.hits.length).toBeLessThanOrEqual(50);
        expect([null, 'empty', 'no-terms', 'unknown-speaker', 'unknown-source']).toContain(response.problem);
        for (const hit of response.hits) {
          for (const h of hit.highlights) {
            expect(h.start).toBeGreaterThanOrEqual(0);
            expect(h.end).toBeLessThanOrEqual(hit.passage.text.length);
            expect(h.start).toBeLessThan(h.end);
            expect(splitsPair(hit.passage.text, h.start) || splitsPair(hit.passage.text, h.end)).toBe(false);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on 10k-character queries and says it cut them', () => {
    fc.assert(
      fc.property(hugeText, (text) => {
        const response = library.index.search({ text, limit: 10 });
        expect(response.query.length).toBeLessThanOrEqual(10_000);
        // Surrounding whitespace is trimmed before the length check (9,999 newlines + one character is short).
        expect(response.truncated).toBe(Array.from(text.trim()).length > MAX_QUERY_CHARS);
      }),
      { numRuns: 10 },
    );
  });
});
