/**
 * `npm run bench`: start-up, index build/size/load, memory and query latency of Zhenyan's search at 1×, 10×,
 * 100× and 1,000× the real corpus, next to FlexSearch and Orama on the same passages, tokenizer and queries;
 * and at 1× the latency of /quote through the local fake Discord. Every measurement runs in its own child
 * process (see bench/child.ts). Prints a Markdown table and writes bench/results/<date>.json and .md.
 *
 *   npm run bench                                  # all scales (about 20 minutes on 2 cores)
 *   npm run bench -- --scales 1,10                 # quicker
 *   npm run bench -- --engines ours --no-discord   # only our engine
 *   npm run bench -- --readme                      # also replace README.md's "## Benchmarks" table
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ENGINES, type EngineName } from './engines.ts';
import { readQueries } from './make-queries.ts';
import { writeSyntheticData } from './synthetic.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));

const { values } = parseArgs({
  options: {
    scales: { type: 'string', default: '1,10,100,1000' },
    engines: { type: 'string', default: ENGINES.join(',') },
    work: { type: 'string', default: join(tmpdir(), 'zhenyan-bench') },
    'budget-s': { type: 'string', default: '120' },
    'no-discord': { type: 'boolean', default: false },
    'other-timeout-s': { type: 'string', default: '300' },
    readme: { type: 'boolean', default: false },
  },
});
const scales = values.scales.split(',').map(Number).filter((n) => Number.isInteger(n) && n >= 1);
const engines = values.engines.split(',') as EngineName[];
const budgetS = Number(values['budget-s']);

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

/** V8 heap limit for the children of a scale (building the 1,000× index of the other engines needs room). */
function heapFlags(scale: number): string[] {
  if (scale >= 1000) return ['--max-old-space-size=16384'];
  if (scale >= 100) return ['--max-old-space-size=4096'];
  return [];
}

interface ChildRun<T> {
  wallMs: number;
  result: T | null;
  error?: string;
}

/** Runs bench/child.ts in a new Node process; `wallMs` is spawn → result line. */
function runChild<T>(args: string[], nodeFlags: string[], timeoutMs = 20 * 60_000): Promise<ChildRun<T>> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeFlags, '--expose-gc', '--import', 'tsx', CHILD, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let wallMs = Number.NaN;
    let result: T | null = null;
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      stderr += `\ntimed out after ${Math.round(timeoutMs / 1000)} s`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const at = stdout.indexOf('@@RESULT ');
      const end = at >= 0 ? stdout.indexOf('\n', at) : -1;
      if (result === null && end >= 0) {
        wallMs = performance.now() - started;
        result = JSON.parse(stdout.slice(at + '@@RESULT '.length, end)) as T;
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (result !== null) resolve({ wallMs, result });
      else resolve({ wallMs: performance.now() - started, result: null, error: `exit ${code ?? signal}: ${stderr.trim().split('\n').slice(-5).join(' | ')}` });
    });
  });
}

interface Memory {
  rssMB: number;
  heapUsedMB: number;
}
interface StartupResult {
  readyMs: number;
  jiebaMs: number;
  jiebaRssMB: number;
  modulesMs: number;
  stats: { indexSource: string; corpusMs: number; tokenizerMs: number; indexMs: number };
  passages: number;
  terms: number;
  atReady: Memory;
  afterGc: Memory;
}
interface Latency {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}
interface EngineResult {
  engine: EngineName;
  passages: number;
  buildMs: number;
  serializeMs: number;
  loadMs: number;
  sizeMB: number;
  serializeError?: string;
  memory: { base: Memory; afterBuild: Memory; afterLoad: Memory };
  queries: Latency & { count: number; rounds: number; byKind: Record<string, Latency> };
  hitsPerQuery: number;
}
interface ScaleResult {
  scale: number;
  dataWriteMs: number;
  startupBuild: ChildRun<StartupResult>;
  startupCache: ChildRun<StartupResult>;
  engines: Partial<Record<EngineName, ChildRun<EngineResult>>>;
  discord?: ChildRun<Latency & { interactions: number }>;
}

const benchStart = performance.now();
const queryCount = readQueries().length;
const results: ScaleResult[] = [];
for (const scale of scales) {
  const dir = join(values.work, `scale-${scale}`);
  let started = performance.now();
  const dataDir = writeSyntheticData(scale, join(dir, 'data'));
  const dataWriteMs = performance.now() - started;
  const cacheDir = join(dir, 'index-cache');
  rmSync(cacheDir, { recursive: true, force: true });
  const flags = heapFlags(scale);

  log(`${scale}×: start-up with no prebuilt index (builds it and writes the cache, as after a data/ change)`);
  const startupBuild = await runChild<StartupResult>(['startup', '--data', dataDir, '--cache', cacheDir], flags);
  log(`${scale}×: … ${fmtS(startupBuild.wallMs)} ${startupBuild.error ?? ''}`);
  log(`${scale}×: start-up from the prebuilt index`);
  const startupCache = await runChild<StartupResult>(['startup', '--data', dataDir, '--cache', cacheDir], flags);
  log(`${scale}×: … ${fmtS(startupCache.wallMs)} ${startupCache.error ?? ''}`);

  const scaleResult: ScaleResult = { scale, dataWriteMs, startupBuild, startupCache, engines: {} };
  for (const engine of engines) {
    log(`${scale}×: engine ${engine}`);
    const rounds = scale <= 10 ? 5 : scale <= 100 ? 2 : 1;
    started = performance.now();
    // The other engines get a time cap at 1,000× (Orama did not finish building in 8 minutes there).
    const timeoutMs = engine === 'ours' || scale < 1000 ? 20 * 60_000 : Number(values['other-timeout-s']) * 1000;
    const run = await runChild<EngineResult>(
      ['engine', '--data', dataDir, '--engine', engine, '--budget-s', String(budgetS), '--rounds', String(rounds)],
      flags,
      timeoutMs,
    );
    if (!run.result) run.error = `${run.error} (stopped after ${fmtS(run.wallMs)})`;
    scaleResult.engines[engine] = run;
    log(`${scale}×: … ${engine} ${fmtS(performance.now() - started)}: ${run.result ? `build ${fmtS(run.result.buildMs)}, p99 ${fmtMs(run.result.queries.p99)}` : run.error}`);
  }
  if (scale === 1 && !values['no-discord']) {
    log('1×: /quote through the local fake Discord');
    scaleResult.discord = await runChild(['discord', '--count', '200'], flags);
  }
  results.push(scaleResult);
}
const durationMs = performance.now() - benchStart;

function fmtS(ms: number | undefined): string {
  return ms === undefined || !Number.isFinite(ms) ? '–' : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}
function fmtMs(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(0)} ms`;
}
function fmtMB(mb: number | undefined): string {
  if (mb === undefined || !Number.isFinite(mb)) return '–';
  return mb >= 1000 ? `${(mb / 1000).toFixed(2)} GB` : `${mb.toFixed(0)} MB`;
}
function ratio(a: number | undefined, b: number | undefined): string {
  return a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || b === 0 ? '–' : `${(a / b).toFixed(2)}`;
}

function markdown(): string {
  const lines: string[] = [];
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 1e9)} GB, Node ${process.version}`;
  lines.push(`Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${machine}; ${queryCount} queries (bench/queries.json); whole run ${fmtS(durationMs)}.`, '');
  lines.push('**Zhenyan (MiniSearch + jieba)**: start-up is process start → index ready, in a child process; "jieba" is nodejieba\'s own load inside it.', '');
  lines.push('| scale | passages | start-up, building | start-up, prebuilt | of which jieba | build | index size | load | RSS at ready (prebuilt) | RSS after GC | heap after GC | p50 | p95 | p99 |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const ours = r.engines.ours?.result;
    const cache = r.startupCache.result;
    lines.push(
      `| ${r.scale}× | ${cache?.passages ?? ours?.passages ?? '–'} | ${fmtS(r.startupBuild.result ? r.startupBuild.wallMs : undefined)} | ${fmtS(cache ? r.startupCache.wallMs : undefined)} | ${fmtS(cache?.jiebaMs)} (${fmtMB(cache?.jiebaRssMB)}) | ${fmtS(ours?.buildMs)} | ${fmtMB(ours?.sizeMB)} | ${fmtS(ours?.loadMs)} | ${fmtMB(cache?.atReady.rssMB)} | ${fmtMB(cache?.afterGc.rssMB)} | ${fmtMB(cache?.afterGc.heapUsedMB)} | ${fmtMs(ours?.queries.p50)} | ${fmtMs(ours?.queries.p95)} | ${fmtMs(ours?.queries.p99)} |`,
    );
  }
  lines.push('', '**Same passages, tokenizer and queries in FlexSearch 0.8 and Orama 3** (each engine in its own process; RSS after build/load and GC, jieba included; ratios are ours ÷ theirs, lower is better for us).', '');
  lines.push('| scale | engine | build | size | load | RSS | heap | p50 | p95 | p99 | queries timed | p50 ours/theirs | p99 ours/theirs |');
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const ours = r.engines.ours?.result;
    for (const engine of engines) {
      const run = r.engines[engine];
      const e = run?.result;
      if (!e) {
        lines.push(`| ${r.scale}× | ${engine} | failed: ${(run?.error ?? '').replace(/\|/g, '/').slice(-160)} |||||||||||`);
        continue;
      }
      const mem = e.memory.afterLoad;
      lines.push(
        `| ${r.scale}× | ${engine} | ${fmtS(e.buildMs)} | ${e.serializeError ? 'n/a' : fmtMB(e.sizeMB)} | ${fmtS(e.loadMs)} | ${fmtMB(mem.rssMB)} | ${fmtMB(mem.heapUsedMB)} | ${fmtMs(e.queries.p50)} | ${fmtMs(e.queries.p95)} | ${fmtMs(e.queries.p99)} | ${e.queries.n} | ${engine === 'ours' ? '' : ratio(ours?.queries.p50, e.queries.p50)} | ${engine === 'ours' ? '' : ratio(ours?.queries.p99, e.queries.p99)} |`,
      );
    }
  }
  const kinds = [...new Set(results.flatMap((r) => Object.keys(r.engines.ours?.result?.queries.byKind ?? {})))];
  if (kinds.length > 0) {
    lines.push('', '**Zhenyan p99 by kind of query**', '');
    lines.push(`| scale | ${kinds.join(' | ')} |`, `|---|${kinds.map(() => '---').join('|')}|`);
    for (const r of results) {
      const by = r.engines.ours?.result?.queries.byKind ?? {};
      lines.push(`| ${r.scale}× | ${kinds.map((k) => fmtMs(by[k]?.p99)).join(' | ')} |`);
    }
  }
  const discord = results.find((r) => r.discord)?.discord;
  if (discord) {
    lines.push('');
    lines.push(
      discord.result
        ? `**/quote through the local fake Discord at 1×** (INTERACTION_CREATE written → interaction callback received, ${discord.result.interactions} interactions): p50 ${fmtMs(discord.result.p50)}, p95 ${fmtMs(discord.result.p95)}, p99 ${fmtMs(discord.result.p99)}.`
        : `/quote through the local fake Discord: failed (${discord.error}).`,
    );
  }
  return lines.join('\n');
}

const table = markdown();
const stamp = new Date().toISOString().replace(/[:]/g, '-').slice(0, 19);
const outDir = join(ROOT, 'bench', 'results');
mkdirSync(outDir, { recursive: true });
const json = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, model: cpus()[0]?.model, totalmemGB: Math.round(totalmem() / 1e9), node: process.version },
  options: { scales, engines, budgetS },
  queries: queryCount,
  durationMs,
  results,
};
writeFileSync(join(outDir, `${stamp}.json`), `${JSON.stringify(json, null, 2)}\n`);
writeFileSync(join(outDir, `${stamp}.md`), `${table}\n`);
process.stdout.write(`${table}\n`);
log(`results → bench/results/${stamp}.json and .md (${fmtS(durationMs)})`);

if (values.readme) {
  const readmePath = join(ROOT, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf('\n## Benchmarks\n');
  const intro = readme.slice(start).indexOf('<!-- bench:table -->');
  if (start < 0 || intro < 0) log('README.md has no "## Benchmarks" section with a <!-- bench:table --> marker: not updated');
  else {
    const from = start + intro;
    const endMarker = readme.indexOf('<!-- /bench:table -->', from);
    if (endMarker > from) {
      writeFileSync(readmePath, `${readme.slice(0, from)}<!-- bench:table -->\n${table}\n${readme.slice(endMarker)}`);
      log('README.md benchmark table updated');
    }
  }
}
