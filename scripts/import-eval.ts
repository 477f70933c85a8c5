/**
 * Prints the importer's figures on the real transcripts of `test/fixtures/import/`:
 * `npx tsx scripts/import-eval.ts`. The thresholds live in `test/import-fixtures.test.ts`.
 */
import { evaluateImport, importCases } from '../test/support/import-eval.ts';

console.log('fixture                  speaker chars  attributed  share    junk kept  lost  loads  search hit   removed');
let speaker = 0;
let attributed = 0;
for (const c of importCases()) {
  const r = evaluateImport(c);
  speaker += r.speakerChars;
  attributed += r.attributedChars;
  console.log(
    [
      r.name.padEnd(24),
      String(r.speakerChars).padStart(13),
      String(r.attributedChars).padStart(11),
      `${(r.attributionShare * 100).toFixed(1)}%`.padStart(7),
      String(r.junkKept.length).padStart(10),
      String(r.lost.length).padStart(5),
      (r.loadProblems.length === 0 ? 'yes' : 'NO').padStart(6),
      (r.searchSpeaker === c.search.speaker ? 'right' : `WRONG (${r.searchSpeaker})`).padStart(11),
      String(r.removedCount).padStart(9),
    ].join('  '),
  );
  for (const j of r.junkKept) console.log(`    junk kept: ${j}`);
  for (const l of r.lost) console.log(`    lost: ${l.slice(0, 80)}`);
}
console.log(`all                      ${String(speaker).padStart(13)}  ${String(attributed).padStart(11)}  ${`${((attributed / speaker) * 100).toFixed(1)}%`.padStart(7)}`);
