/**
 * The prebuilt index cache of loadLibrary: written on the first start, reused after, rebuilt when the
 * passages change or the file is damaged (never fatal).
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadLibrary } from '../src/core/library.ts';
import { DATA_DIR, loadCorpus } from '../src/core/corpus/load.ts';
import { testLibrary } from './support/bot-harness.ts';

const { tokenizer } = testLibrary();
const topIds = (library: ReturnType<typeof loadLibrary>, text: string): string[] => library.index.search({ text }).hits.map((h) => h.passage.id);

describe('loadLibrary index cache', () => {
  it('builds and writes the cache once, then loads it with the same results', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhenyan-cache-'));
    const first = loadLibrary({ indexCacheDir: dir, tokenizer });
    expect(first.stats.indexSource).toBe('built');
    expect(readdirSync(dir)).toHaveLength(1);
    const second = loadLibrary({ indexCacheDir: dir, tokenizer });
    expect(second.stats.indexSource).toBe('cache');
    for (const text of ['卖房创业', 'TiDB', '融资 投资人']) expect(topIds(second, text)).toEqual(topIds(first, text));
  });

  it('rebuilds a damaged cache file, reports why, and repairs it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhenyan-cache-'));
    loadLibrary({ indexCacheDir: dir, tokenizer });
    const file = join(dir, readdirSync(dir)[0]!);
    const whole = readFileSync(file, 'utf8');
    writeFileSync(file, whole.slice(0, Math.floor(whole.length / 2)));
    const problems: string[] = [];
    const repaired = loadLibrary({ indexCacheDir: dir, tokenizer, onCacheProblem: (message) => problems.push(message) });
    expect(repaired.stats.indexSource).toBe('built');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Zhenyan index: /);
    expect(topIds(repaired, '卖房创业').length).toBeGreaterThan(0);
    expect(loadLibrary({ indexCacheDir: dir, tokenizer }).stats.indexSource).toBe('cache');
  });

  it('uses a new cache file when a passage changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhenyan-cache-'));
    loadLibrary({ indexCacheDir: dir, tokenizer });
    const interviews = loadCorpus(join(DATA_DIR, 'interviews'));
    const paragraph = interviews[0]!.body.find((block) => block.type === 'paragraph')!;
    paragraph.text = `${paragraph.text}（补记）`;
    const edited = loadLibrary({ indexCacheDir: dir, tokenizer, interviews });
    expect(edited.stats.indexSource).toBe('built');
    expect(readdirSync(dir)).toHaveLength(2);
  });
});
