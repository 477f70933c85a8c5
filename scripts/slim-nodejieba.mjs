#!/usr/bin/env node
/**
 * postinstall: rebuild nodejieba so that it loads its dictionary once instead of twice.
 *
 * Why: nodejieba's `load()` builds a `cppjieba::Jieba` (which we use) and, for `textRankExtract`
 * (which we never call), a `TextRankExtractor` that reads the same 349k-word dictionary and HMM model
 * into a second, private trie. That copy costs ~110 MB RSS and ~1 s of start-up. The patch makes the
 * extractor share the Jieba's trie and model, which cppjieba supports (`TextRankExtractor(const
 * DictTrie*, const HMMModel*, ...)`); segmentation and every nodejieba API behave as before.
 *
 * Safety: the patched copy is built in a staging folder and only replaces the installed binary after a
 * child process has loaded it and segmented a test sentence like the stock build. Any failure (no
 * compiler, a nodejieba release whose source no longer matches) leaves the stock build in place, prints
 * one warning, and exits 0: the bot works either way, it just uses more memory.
 *
 * Run by hand: `node scripts/slim-nodejieba.mjs` (add `--force` to rebuild even if already patched).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Written next to the binary once the shared-dictionary build is installed. */
export const SLIM_MARKER = '.zhenyan-shared-dictionary';

const STOCK_CONSTRUCTION =
  /_text_rank_extractor_handle\s*=\s*new\s+cppjieba\s*::\s*TextRankExtractor\(\s*dictPath\s*,\s*modelPath\s*,\s*stopWordsPath\s*,\s*userDictPath\s*\)\s*;/;
const SHARED_CONSTRUCTION =
  '_text_rank_extractor_handle = new cppjieba::TextRankExtractor(_jieba_handle->GetDictTrie(), _jieba_handle->GetHMMModel(), stopWordsPath); // zhenyan: share the trie';

/**
 * Returns nodejieba's `lib/nodejieba.cpp` with the text-rank extractor sharing the Jieba's dictionary,
 * or `null` when the source does not have the expected shape (a nodejieba release we do not know).
 * Already-patched source is returned unchanged.
 */
export function patchNodejiebaSource(source) {
  if (source.includes('zhenyan: share the trie')) return source;
  if (!STOCK_CONSTRUCTION.test(source)) return null;
  // The Jieba must exist before the extractor borrows its trie: cppjieba's load() creates it first.
  const jiebaCreated = source.search(/_jieba_handle\s*=\s*new\s+cppjieba::Jieba\(/);
  const extractorCreated = source.search(STOCK_CONSTRUCTION);
  if (jiebaCreated < 0 || jiebaCreated > extractorCreated) return null;
  return source.replace(STOCK_CONSTRUCTION, SHARED_CONSTRUCTION);
}

function warn(message) {
  console.warn(`zhenyan postinstall: ${message} nodejieba keeps its stock build (it works, with ~110 MB more RSS).`);
}

function main() {
  const force = process.argv.includes('--force');
  const require = createRequire(import.meta.url);
  let packageDir;
  try {
    packageDir = dirname(require.resolve('nodejieba/package.json'));
  } catch {
    return warn('nodejieba is not installed;');
  }
  const binary = join(packageDir, 'build', 'Release', 'nodejieba.node');
  const marker = join(packageDir, 'build', 'Release', SLIM_MARKER);
  if (!existsSync(binary)) return warn(`no binary at ${binary};`);
  if (existsSync(marker) && !force) return;

  const source = readFileSync(join(packageDir, 'lib', 'nodejieba.cpp'), 'utf8');
  const patched = patchNodejiebaSource(source);
  if (patched === null) return warn('lib/nodejieba.cpp is not the shape this patch knows;');

  const staging = join(packageDir, '.zhenyan-build');
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const entry of ['binding.gyp', 'lib', 'submodules', 'package.json']) {
      cpSync(join(packageDir, entry), join(staging, entry), { recursive: true });
    }
    writeFileSync(join(staging, 'lib', 'nodejieba.cpp'), patched);

    const nodeGyp = process.env.npm_config_node_gyp ?? findNpmNodeGyp();
    if (!nodeGyp) return warn('node-gyp was not found;');
    const build = spawnSync(process.execPath, [nodeGyp, 'rebuild'], { cwd: staging, encoding: 'utf8', env: process.env });
    const built = join(staging, 'build', 'Release', 'nodejieba.node');
    if (build.status !== 0 || !existsSync(built)) {
      return warn(`the rebuild failed (${(build.stderr || build.stdout || '').trim().split('\n').slice(-3).join(' | ')});`);
    }
    if (!segmentsLikeStock(built, binary)) return warn('the rebuilt binary did not segment like the stock one;');

    // Swap in place with a rename, so a crash never leaves a half-written binary.
    copyFileSync(built, `${binary}.tmp`);
    renameSync(`${binary}.tmp`, binary);
    writeFileSync(marker, 'TextRankExtractor shares the Jieba dictionary trie (scripts/slim-nodejieba.mjs)\n');
    console.log('zhenyan postinstall: nodejieba rebuilt to load its dictionary once (~110 MB less RSS).');
  } catch (error) {
    warn(`${error instanceof Error ? error.message : String(error)};`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** npm's bundled node-gyp, for runs outside `npm install`. */
function findNpmNodeGyp() {
  const npmCli = process.env.npm_execpath;
  const candidates = [
    npmCli && join(dirname(npmCli), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((candidate) => candidate && existsSync(candidate));
}

/** Loads both binaries in child processes and compares their segmentation of a test sentence. */
function segmentsLikeStock(candidate, stock) {
  const packageDir = dirname(dirname(dirname(stock)));
  const dict = join(packageDir, 'submodules', 'cppjieba', 'dict');
  const probe = (binaryPath) => {
    const script = `
      const jieba = require(${JSON.stringify(binaryPath)});
      const d = ${JSON.stringify(dict)} + '/';
      jieba.load(d + 'jieba.dict.utf8', d + 'hmm_model.utf8', d + 'user.dict.utf8', d + 'idf.utf8', d + 'stop_words.utf8');
      const text = '我们的云计算平台用TiDB做数据库，升职加薪，走上人生巅峰。';
      process.stdout.write(JSON.stringify([jieba.cut(text, true), jieba.cutForSearch(text, true), jieba.textRankExtract(text, 3).map((w) => w.word)]));`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    return run.status === 0 ? run.stdout : null;
  };
  const expected = probe(stock);
  return expected !== null && probe(candidate) === expected;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
