/**
 * One measurement, run by `bench/run.ts` in a fresh child process (so process start, module loading and
 * nodejieba's load are part of it and memory figures are not polluted by other runs). Prints one line
 * `@@RESULT <json>` on stdout.
 *
 *   startup --data DIR [--cache DIR]   process start → index ready, as src/main.ts does it
 *   engine  --data DIR --engine NAME [--budget-s N] [--rounds N]   build / serialize / load / query one engine
 *   discord                              INTERACTION_CREATE → callback through the local fake Discord (1×)
 */
import { parseArgs } from 'node:util';

const readyAtStart = performance.now();

function memory(): { rssMB: number; heapUsedMB: number; heapTotalMB: number; externalMB: number } {
  const m = process.memoryUsage();
  const mb = (n: number): number => Math.round(n / 1e5) / 10;
  return { rssMB: mb(m.rss), heapUsedMB: mb(m.heapUsed), heapTotalMB: mb(m.heapTotal), externalMB: mb(m.external) };
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect) {
    collect();
    collect();
  }
}

function emit(result: unknown): void {
  process.stdout.write(`@@RESULT ${JSON.stringify(result)}\n`);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarize(samples: number[]): { n: number; p50: number; p95: number; p99: number; max: number; mean: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (n: number): number => Math.round(n * 1000) / 1000;
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
    mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)),
  };
}

async function startup(dataDir: string, cacheDir: string | undefined): Promise<void> {
  const moduleStart = performance.now();
  const { defaultSegmenter } = await import('../src/core/text/tokenizer.ts');
  const { loadLibrary } = await import('../src/core/library.ts');
  const modulesMs = performance.now() - moduleStart;
  const before = memory();
  const jiebaStart = performance.now();
  defaultSegmenter();
  const jiebaMs = performance.now() - jiebaStart;
  const afterJieba = memory();
  const library = loadLibrary({ dataDir, ...(cacheDir ? { indexCacheDir: cacheDir } : {}) });
  const readyMs = performance.now();
  const atReady = memory();
  gc();
  emit({
    readyMs,
    processToScriptMs: readyAtStart,
    modulesMs,
    jiebaMs,
    jiebaRssMB: Math.round((afterJieba.rssMB - before.rssMB) * 10) / 10,
    stats: library.stats,
    passages: library.passages.length,
    terms: library.index.termCount,
    atReady,
    afterGc: memory(),
  });
}

async function engine(dataDir: string, name: string, budgetS: number, rounds: number): Promise<void> {
  const { dirname, join } = await import('node:path');
  const { mkdtempSync, rmSync, statSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { loadCorpus } = await import('../src/core/corpus/load.ts');
  const { buildPassages } = await import('../src/core/corpus/passages.ts');
  const { createTokenizer, readUserWords } = await import('../src/core/text/tokenizer.ts');
  const { buildEngine } = await import('./engines.ts');
  const { readQueries } = await import('./make-queries.ts');
  const { prng, shuffle } = await import('./synthetic.ts');

  const interviews = loadCorpus(join(dataDir, 'interviews'));
  const passages = buildPassages(interviews);
  const userWords = [...readUserWords(join(dataDir, 'dict.txt')), ...interviews.flatMap((i) => i.speakers.flatMap((s) => [s.name, ...s.aliases]))];
  const tokenizer = createTokenizer({ userWords });
  gc();
  const base = memory();

  process.stderr.write(`engine ${name}: building over ${passages.length} passages\n`);
  let started = performance.now();
  const index = await buildEngine(name as 'ours', interviews, passages, tokenizer);
  const buildMs = performance.now() - started;
  gc();
  const afterBuild = memory();

  let serializeMs = Number.NaN;
  let loadMs = Number.NaN;
  let sizeMB = Number.NaN;
  let afterLoad = afterBuild;
  let serializeError: string | undefined;
  try {
    process.stderr.write(`engine ${name}: serializing\n`);
    const file = join(mkdtempSync(join(tmpdir(), `zhenyan-bench-${name}-`)), 'index');
    started = performance.now();
    await index.save(file);
    serializeMs = performance.now() - started;
    sizeMB = Math.round(statSync(file).size / 1e4) / 100;
    gc();
    started = performance.now();
    await index.load(file);
    loadMs = performance.now() - started;
    rmSync(dirname(file), { recursive: true, force: true });
    gc();
    afterLoad = memory();
  } catch (error) {
    serializeError = String(error);
  }

  // Queries in a fixed, interleaved order (so a run cut short by the time budget is still a fair sample).
  const queries = shuffle(readQueries(), prng(42));
  // Warm-up (JIT), so the figures are a running bot's steady state: three full passes where a pass is
  // cheap (≤ 50,000 passages; with one pass, late tier-ups still land in the timed rounds and add ~0.5 ms
  // to the 1× p99), 30 queries at 1,000× (each query there is long enough to get the hot code optimised).
  const warmUp = passages.length <= 50_000 ? [...queries, ...queries, ...queries] : queries.slice(0, 30);
  for (const query of warmUp) index.search(query.text, query.speaker);
  const samples: Array<{ kind: string; ms: number }> = [];
  const queryStart = performance.now();
  const deadline = queryStart + budgetS * 1000;
  const hardDeadline = queryStart + 2 * budgetS * 1000;
  let hits = 0;
  outer: for (let round = 0; round < rounds; round++) {
    for (const query of queries) {
      const t = performance.now();
      hits += index.search(query.text, query.speaker);
      samples.push({ kind: query.kind, ms: performance.now() - t });
      if (performance.now() > deadline && samples.length >= queries.length) break outer;
      if (performance.now() > hardDeadline) break outer;
    }
  }
  const byKind: Record<string, ReturnType<typeof summarize>> = {};
  for (const kind of new Set(samples.map((s) => s.kind))) byKind[kind] = summarize(samples.filter((s) => s.kind === kind).map((s) => s.ms));
  emit({
    engine: name,
    passages: passages.length,
    buildMs,
    serializeMs,
    loadMs,
    sizeMB,
    serializeError,
    memory: { base, afterBuild, afterLoad },
    queries: { count: queries.length, rounds, ...summarize(samples.map((s) => s.ms)), byKind },
    hitsPerQuery: hits / Math.max(1, samples.length),
  });
}

async function discord(count: number): Promise<void> {
  const { startHarness } = await import('../test/support/bot-harness.ts');
  const { slashCommand } = await import('../test/support/fake-discord.ts');
  const { readQueries } = await import('./make-queries.ts');
  const { prng, shuffle } = await import('./synthetic.ts');
  const harness = await startHarness({ bot: { rateLimit: { limit: 1_000_000 } } });
  try {
    const queries = shuffle(readQueries(), prng(7)).slice(0, count);
    for (const query of queries.slice(0, 10)) await harness.fake.sendInteraction(slashCommand('quote', { query: query.text }));
    const samples: number[] = [];
    for (const query of queries) {
      const options: Record<string, string> = { query: query.text };
      if (query.speaker) options.speaker = query.speaker;
      const callback = await harness.fake.sendInteraction(slashCommand('quote', options));
      samples.push(callback.latencyMs);
    }
    emit({ interactions: samples.length, ...summarize(samples) });
  } finally {
    await harness.stop();
  }
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    data: { type: 'string' },
    cache: { type: 'string' },
    engine: { type: 'string' },
    'budget-s': { type: 'string' },
    rounds: { type: 'string' },
    count: { type: 'string' },
  },
});
const mode = positionals[0];
if (mode === 'startup') await startup(values.data!, values.cache);
else if (mode === 'engine') await engine(values.data!, values.engine!, Number(values['budget-s'] ?? 300), Number(values.rounds ?? 1));
else if (mode === 'discord') await discord(Number(values.count ?? 200));
else throw new Error(`unknown mode ${mode}`);
process.exit(0);
