/**
 * The prebuilt index cache of loadLibrary: written on the first start, reused after, rebuilt when the
 * passages change or the file is damaged (never fatal).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
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

  it('keeps going when the cache cannot be written: reports it and uses the index built in memory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhenyan-cache-'));
    const notAFolder = join(dir, 'file');
    writeFileSync(notAFolder, 'x');
    const problems: string[] = [];
    const library = loadLibrary({ indexCacheDir: join(notAFolder, 'cache'), tokenizer, onCacheProblem: (message) => problems.push(message) });
    expect(library.stats.indexSource).toBe('built');
    expect(topIds(library, '卖房创业').length).toBeGreaterThan(0);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^Zhenyan index cache: could not write .*using the index built in memory/u);
  });

  it('builds when the cache file cannot be read, and says why (a missing file is normal and not reported)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhenyan-cache-'));
    const silent: string[] = [];
    loadLibrary({ indexCacheDir: dir, tokenizer, onCacheProblem: (message) => silent.push(message) });
    expect(silent).toEqual([]);
    // A folder where the file should be: unreadable (EISDIR) and not replaceable by a rename.
    const other = mkdtempSync(join(tmpdir(), 'zhenyan-cache-'));
    mkdirSync(join(other, readdirSync(dir)[0]!));
    const problems: string[] = [];
    const library = loadLibrary({ indexCacheDir: other, tokenizer, onCacheProblem: (message) => problems.push(message) });
    expect(library.stats.indexSource).toBe('built');
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/EISDIR/u);
    expect(problems[1]).toMatch(/could not write/u);
    expect(readdirSync(other).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('removes temporary files left by a writer that died long ago, not recent ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhenyan-cache-'));
    const stale = join(dir, 'index-0123456789abcdef.zi.4242.a1b2c3d4e5f6.tmp');
    const recent = join(dir, 'index-0123456789abcdef.zi.4343.a1b2c3d4e5f6.tmp');
    writeFileSync(stale, 'half');
    writeFileSync(recent, 'half');
    const hourAgo = new Date(Date.now() - 60 * 60_000);
    utimesSync(stale, hourAgo, hourAgo);
    loadLibrary({ indexCacheDir: dir, tokenizer });
    const names = readdirSync(dir);
    expect(names).not.toContain('index-0123456789abcdef.zi.4242.a1b2c3d4e5f6.tmp');
    expect(names).toContain('index-0123456789abcdef.zi.4343.a1b2c3d4e5f6.tmp');
    expect(names.filter((name) => name.endsWith('.zi'))).toHaveLength(1);
  });
});
