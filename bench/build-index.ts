/**
 * Prebuilds the search index into the index cache, so the bot's next start-up loads it instead of building
 * it. The cache key is a hash of the passages, the user dictionary and the index format: when `data/`
 * changes, the bot rebuilds (and rewrites) the cache by itself; this script only moves that cost out of
 * the start-up.
 *
 *   npx tsx bench/build-index.ts [--data DIR] [--cache DIR]     # defaults: data/ and $INDEX_CACHE_DIR or var/index-cache
 */
import { parseArgs } from 'node:util';
import { loadLibrary } from '../src/core/library.ts';

const { values } = parseArgs({ options: { data: { type: 'string' }, cache: { type: 'string' } } });
const cacheDir = values.cache ?? process.env.INDEX_CACHE_DIR ?? 'var/index-cache';
const started = performance.now();
const library = loadLibrary({ ...(values.data ? { dataDir: values.data } : {}), indexCacheDir: cacheDir });
console.log(
  `index ${library.stats.indexSource === 'cache' ? 'already up to date' : 'built'}: ${library.passages.length} passages, ` +
    `${library.index.termCount} terms, ${Math.round(performance.now() - started)} ms → ${cacheDir}`,
);
