/**
 * The prebuilt index cache under concurrency: several processes starting together on one empty cache
 * folder all build the index and write the cache at the same moment. None may crash (they used to share
 * one temporary file and die with ENOENT), and the cache must load afterwards.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadLibrary } from '../src/core/library.ts';
import { characterTokenizer } from './support/character-tokenizer.ts';

const CHILD = fileURLToPath(new URL('./support/library-cache-child.ts', import.meta.url));
const PROCESSES = 6;
const ROUNDS = 3;
const tokenizer = characterTokenizer();

interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts `count` children on `cacheDir`, waits until all have loaded their modules, then releases them at once. */
async function race(cacheDir: string, count: number): Promise<ChildResult[]> {
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, ['--import', 'tsx', CHILD, cacheDir], { stdio: ['pipe', 'pipe', 'pipe'] }),
  );
  const ready: Array<Promise<void>> = [];
  const results = children.map(
    (child) =>
      new Promise<ChildResult>((resolve) => {
        let stdout = '';
        let stderr = '';
        ready.push(
          new Promise<void>((loaded) => {
            child.stdout.on('data', (chunk) => {
              stdout += chunk;
              if (stdout.startsWith('ready\n')) loaded();
            });
            child.on('close', () => loaded());
          }),
        );
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.on('close', (code) => resolve({ code, stdout: stdout.replace(/^ready\n/u, ''), stderr }));
      }),
  );
  await Promise.all(ready);
  for (const child of children) child.stdin.end('go\n');
  return Promise.all(results);
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('index cache under concurrency', () => {
  // One test per round keeps each well under vitest's 60 s worker RPC timeout on a loaded machine.
  it.each(Array.from({ length: ROUNDS }, (_, r) => r + 1))(
    `round %i: ${PROCESSES} processes starting together on one empty cache folder; none crashes, the cache loads`,
    async () => {
      const cacheDir = mkdtempSync(join(tmpdir(), 'zhenyan-cache-race-'));
      dirs.push(cacheDir);
      const results = await race(cacheDir, PROCESSES);
      for (const result of results) {
        expect(result.stderr).toBe('');
        expect(result.code).toBe(0);
        expect(JSON.parse(result.stdout)).toMatchObject({ problems: [] });
      }
      // They leave one complete cache file and no temporary files, and the next process loads it.
      expect(readdirSync(cacheDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
      expect(readdirSync(cacheDir).filter((name) => name.endsWith('.zi'))).toHaveLength(1);
      const problems: string[] = [];
      const after = loadLibrary({ indexCacheDir: cacheDir, tokenizer, onCacheProblem: (message) => problems.push(message) });
      expect(after.stats.indexSource).toBe('cache');
      expect(problems).toEqual([]);
    },
    45_000,
  );
});
