/**
 * Evaluates the importer on the real transcripts of `test/fixtures/import/` against their hand-reviewed
 * results: share of speaker text attributed to the right speaker, junk kept, text lost, whether the draft
 * loads as written, and whether searching it finds the right passage and speaker. Used by
 * `test/import-fixtures.test.ts` (thresholds) and `scripts/import-eval.ts` (prints the figures).
 */
import { copyFileSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeRawBytes } from '../../src/core/corpus/decode.ts';
import { parseInterview } from '../../src/core/corpus/format.ts';
import { importRawText } from '../../src/core/corpus/import.ts';
import { containsJunk } from '../../src/core/corpus/junk.ts';
import { DATA_DIR } from '../../src/core/corpus/load.ts';
import type { Interview } from '../../src/core/corpus/types.ts';
import { loadLibrary } from '../../src/core/library.ts';

/** The folder of the fixtures. */
export const IMPORT_FIXTURES = fileURLToPath(new URL('../fixtures/import/', import.meta.url));

/** One fixture of `cases.json`. */
export interface ImportCase {
  name: string;
  kind: string;
  /** `--speaker` names. */
  speakers: string[];
  /** Substrings that are junk: none may remain in the draft's paragraphs or headings. */
  junk: string[];
  /** Whole lines that are junk (too common as substrings, e.g. a place name). */
  junkParagraphs?: string[];
  /** A query whose best hit must be a passage of `speaker`. */
  search: { query: string; speaker: string };
}

/** The figures for one fixture. */
export interface ImportEvaluation {
  name: string;
  /** Characters of speaker text in the reviewed result. */
  speakerChars: number;
  /** Of those, characters the draft attributes to the same speaker (by name). */
  attributedChars: number;
  /** attributedChars / speakerChars. */
  attributionShare: number;
  /** Junk items of the case found in the draft, and paragraphs `containsJunk` flags. */
  junkKept: string[];
  /** Reviewed paragraphs and headings whose text the draft does not have (words lost or altered). */
  lost: string[];
  /** Problems loading the draft as a data file, unedited (empty when it loads). */
  loadProblems: string[];
  /** The speaker of the best hit for the case's query, or null when nothing was found. */
  searchSpeaker: string | null;
  removedCount: number;
}

/** Reads `cases.json`. */
export function importCases(): ImportCase[] {
  return JSON.parse(readFileSync(join(IMPORT_FIXTURES, 'cases.json'), 'utf8')) as ImportCase[];
}

function blocks(interview: Interview): { text: string; speaker: string | null }[] {
  return interview.body.map((b) => ({
    text: b.text,
    speaker: b.type === 'paragraph' && b.speakerId !== null ? interview.speakers.find((s) => s.id === b.speakerId)!.name : null,
  }));
}

/** Imports one fixture's raw file as the CLI does (no hand edit) and compares it with the reviewed result. */
export function evaluateImport(c: ImportCase): ImportEvaluation {
  const raw = decodeRawBytes(readFileSync(join(IMPORT_FIXTURES, `${c.name}.raw.txt`))).text;
  const draft = importRawText(raw, { speakers: c.speakers, sourceName: c.name });
  const expected = parseInterview(readFileSync(join(IMPORT_FIXTURES, `${c.name}.expected.md`), 'utf8'), `${c.name}.expected.md`);
  const got = blocks(draft.interview);
  const speakerOf = new Map(got.map((b) => [b.text, b.speaker]));
  let speakerChars = 0;
  let attributedChars = 0;
  for (const b of blocks(expected)) {
    if (b.speaker === null) continue;
    const n = [...b.text].length;
    speakerChars += n;
    if (speakerOf.get(b.text) === b.speaker) attributedChars += n;
  }
  const texts = got.map((b) => b.text);
  const junkKept = [
    ...c.junk.filter((j) => texts.some((t) => t.includes(j))),
    ...(c.junkParagraphs ?? []).filter((j) => texts.includes(j)),
    ...draft.interview.body.filter((b) => b.type === 'paragraph' && containsJunk(b.text)).map((b) => b.text),
  ];
  const lost = blocks(expected).filter((b) => !speakerOf.has(b.text)).map((b) => b.text);

  // Load the draft exactly as written, next to the shipped dictionary, and search it.
  const dir = mkdtempSync(join(tmpdir(), 'zhenyan-import-'));
  let loadProblems: string[] = [];
  let searchSpeaker: string | null = null;
  try {
    mkdirSync(join(dir, 'interviews'));
    writeFileSync(join(dir, 'interviews', `${draft.interview.id}.md`), draft.markdown);
    copyFileSync(join(DATA_DIR, 'dict.txt'), join(dir, 'dict.txt'));
    const library = loadLibrary({ dataDir: dir });
    loadProblems = library.problems.map((p) => `${p.line}: ${p.message}`);
    if (library.interviews.length !== 1) loadProblems.push(`${library.interviews.length} interviews loaded`);
    searchSpeaker = library.index.search({ text: c.search.query }).hits[0]?.speaker?.name ?? null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    name: c.name,
    speakerChars,
    attributedChars,
    attributionShare: speakerChars === 0 ? 1 : attributedChars / speakerChars,
    junkKept,
    lost,
    loadProblems,
    searchSpeaker,
    removedCount: draft.removed.length,
  };
}
