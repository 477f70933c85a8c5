/**
 * The importer on real public transcripts it was not written against (`test/fixtures/import/`, sources in
 * its README): the targets, per fixture. `npx tsx scripts/import-eval.ts` prints the figures.
 */
import { describe, expect, it } from 'vitest';
import { evaluateImport, importCases } from './support/import-eval.ts';

describe('importer on real transcripts', () => {
  for (const c of importCases()) {
    it(`${c.name} (${c.kind})`, () => {
      const result = evaluateImport(c);
      expect(result.speakerChars).toBeGreaterThan(0);
      expect(result.attributionShare, 'share of speaker text attributed to the right speaker').toBeGreaterThanOrEqual(0.95);
      expect(result.junkKept, 'junk kept').toEqual([]);
      expect(result.loadProblems, 'the draft loads with no hand edit').toEqual([]);
      expect(result.searchSpeaker, `best hit for "${c.search.query}"`).toBe(c.search.speaker);
      // Nothing of the reviewed text is lost or altered, except a heading/paragraph judgement.
      expect(result.lost).toEqual([]);
    });
  }
});
