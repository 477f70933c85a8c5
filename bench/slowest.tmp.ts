import { loadLibrary } from '../src/core/library.ts';
import { readQueries } from './make-queries.ts';
const lib = loadLibrary({});
const qs = readQueries();
for (let r = 0; r < 5; r++) for (const q of qs) lib.index.search({ text: q.text, speaker: q.speaker, limit: 5 });
const times: Array<[number, string, string, string]> = [];
for (let r = 0; r < 10; r++) for (const q of qs) {
  const t = performance.now();
  const res = lib.index.search({ text: q.text, speaker: q.speaker, limit: 5 });
  times.push([performance.now() - t, q.kind, q.text.slice(0, 40), `${q.speaker ?? ''} hits=${res.hits.length} ${res.problem ?? ''}`]);
}
times.sort((a, b) => b[0] - a[0]);
for (const t of times.slice(0, 45)) console.log(t[0].toFixed(2), t[1], t[2], t[3]);
const sorted = times.map((t) => t[0]).sort((a, b) => a - b);
console.log('p50', sorted[Math.floor(sorted.length * 0.5)]!.toFixed(3), 'p99', sorted[Math.floor(sorted.length * 0.99)]!.toFixed(3));
