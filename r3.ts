import { loadLibrary } from './src/core/library.ts';
import { cardContent } from './src/core/card/content.ts';
import { renderCard } from './src/card/render.ts';
const lib = loadLibrary({ indexCacheDir: 'var/index-cache' });
const times: number[] = [];
for (let i = 0; i < 60; i++) {
  const p = lib.passages[(i * 37) % lib.passages.length]!;
  const v = lib.index.describe(p);
  const t0 = performance.now();
  await renderCard(cardContent(p, v.interview, v.speaker), i % 2 ? 'light' : 'dark');
  times.push(performance.now() - t0);
}
const s = times.slice(5).sort((a, b) => a - b);
console.log('first', times[0]!.toFixed(0), 'p50', s[s.length >> 1]!.toFixed(1), 'max', s.at(-1)!.toFixed(1));
