/**
 * Measures what a SIGHUP reload costs the running bot: wall time and the longest synchronous step (the
 * event-loop stall), warm (nodejieba already loaded, as in a running bot). `npx tsx scripts/reload-bench.ts`
 */
import { LibraryHolder } from '../src/bot/library-holder.ts';
import { loadLibrary } from '../src/core/library.ts';

const indexCacheDir = process.env.INDEX_CACHE_DIR; // set it to measure a reload that finds its index cached
const holder = new LibraryHolder(loadLibrary({ indexCacheDir }), { libraryOptions: { indexCacheDir } });
let worstLag = 0;
let last = performance.now();
const probe = setInterval(() => {
  const now = performance.now();
  worstLag = Math.max(worstLag, now - last - 5);
  last = now;
}, 5);
for (let i = 0; i < 5; i++) {
  worstLag = 0;
  last = performance.now();
  const report = await holder.reload();
  await new Promise((resolve) => setTimeout(resolve, 20));
  console.log(`reload ${i + 1}: ${report.ms.toFixed(0)} ms wall, longest synchronous step ${report.longestStepMs.toFixed(0)} ms, worst timer lag ${worstLag.toFixed(0)} ms, ${report.passages.after} passages`);
}
clearInterval(probe);
