/**
 * Child process for test/library-cache-concurrency.test.ts: loads the library with a shared index cache
 * folder, as a bot or CLI process starting next to others would. Waits for a line on stdin before loading,
 * so that all children build and write the cache at the same moment: prints `ready` once loaded, then its
 * result as one JSON line.
 *
 * Run: node --import tsx test/support/library-cache-child.ts <cacheDir>
 *
 * A character segmenter stands in for nodejieba (1.3 s and ~120 MB per process): what is tested is the
 * cache file, not the segmentation.
 */
import { createInterface } from 'node:readline';
import { loadLibrary } from '../../src/core/library.ts';
import { characterTokenizer } from './character-tokenizer.ts';

const cacheDir = process.argv[2];
if (!cacheDir) throw new Error('usage: library-cache-child.ts <cacheDir>');

const tokenizer = characterTokenizer();
const problems: string[] = [];

const input = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
input.once('line', () => {
  input.close();
  const library = loadLibrary({ indexCacheDir: cacheDir, tokenizer, onCacheProblem: (message) => problems.push(message) });
  process.stdout.write(`${JSON.stringify({ indexSource: library.stats.indexSource, passages: library.passages.length, problems })}\n`);
});
