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

// The five seed raw interviews (../shared/corpus, already curated in data/): not "never seen", printed for
// reference only. Narrative articles attribute quotes inline, which the importer does not attempt.
const SEED_DIR = process.env.SEED_CORPUS_DIR ?? new URL('../../../shared/corpus/', import.meta.url).pathname;
const seeds: Array<{ raw: string; id: string; speakers: string[] }> = [
  { raw: '000_f50fb78f14ebafab.txt', id: 'sun-qi-aliyun-mvp', speakers: ['孙琦'] },
  { raw: '001_bfdb54a4a4a57fd9.txt', id: 'a-plan-infra-startups', speakers: [] },
  { raw: '002_e6059dcab21025c8.txt', id: 'meixin-topology-yile', speakers: ['一乐'] },
  { raw: '003_dce0cf89064abfde.txt', id: 'qi-jun-investor', speakers: ['Qi Jun'] },
  { raw: '004_fcb4faf5c7eeb353.txt', id: 'zstack-productized-cloud', speakers: [] },
];
const { existsSync, readFileSync } = await import('node:fs');
const { importRawText } = await import('../src/core/corpus/import.ts');
const { parseInterview } = await import('../src/core/corpus/format.ts');
const { INTERVIEWS_DIR } = await import('../src/core/corpus/load.ts');
if (existsSync(SEED_DIR)) {
  console.log('\nseed interviews (already curated; reference only)   speaker chars  attributed  share');
  for (const seed of seeds) {
    const draft = importRawText(readFileSync(`${SEED_DIR}/${seed.raw}`, 'utf8'), { speakers: seed.speakers, sourceName: seed.id }).interview;
    const curated = parseInterview(readFileSync(`${INTERVIEWS_DIR}/${seed.id}.md`, 'utf8'));
    const name = (iv: typeof curated, id: string | null): string | null => (id === null ? null : iv.speakers.find((s) => s.id === id)!.name);
    const got = new Map(draft.body.flatMap((b) => (b.type === 'paragraph' ? [[b.text, name(draft, b.speakerId)] as const] : [])));
    let total = 0;
    let right = 0;
    for (const b of curated.body) {
      if (b.type !== 'paragraph' || b.speakerId === null) continue;
      const n = [...b.text].length;
      total += n;
      const who = got.get(b.text);
      const curatedName = name(curated, b.speakerId);
      if (who !== undefined && who !== null && (who === curatedName || curated.speakers.find((s) => s.id === b.speakerId)!.aliases.includes(who))) right += n;
    }
    console.log(`  ${seed.id.padEnd(50)} ${String(total).padStart(13)}  ${String(right).padStart(10)}  ${total ? ((right / total) * 100).toFixed(1) : '-'}%`);
  }
}
