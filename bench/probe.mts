import { loadLibrary } from '../src/core/library.ts';
let t = performance.now();
const lib = loadLibrary();
console.log('load', performance.now() - t, lib.stats, process.memoryUsage().rss/1e6);
let toks = 0, cuts = 0, chars = 0;
t = performance.now();
for (const p of lib.passages) { toks += lib.tokenizer.tokenizeForIndex(p.text).length; chars += p.text.length; }
console.log('tokenize search mode', performance.now() - t, toks, chars);
const seg = (await import('../src/core/text/tokenizer.ts')).defaultSegmenter();
t = performance.now();
for (const p of lib.passages) cuts += seg.cut(p.text, true).length;
console.log('cut', performance.now() - t, cuts, 'terms', lib.index.termCount, 'json', lib.index.toJSON().length);
