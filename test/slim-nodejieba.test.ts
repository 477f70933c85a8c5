/**
 * The postinstall patch that makes nodejieba load its dictionary once (scripts/slim-nodejieba.mjs).
 * Runs against the nodejieba source actually installed, so a nodejieba release that changes shape
 * shows up here rather than as a silent 110 MB regression.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { patchNodejiebaSource } from '../scripts/slim-nodejieba.mjs';

const require = createRequire(import.meta.url);
const installedSource = readFileSync(join(dirname(require.resolve('nodejieba/package.json')), 'lib', 'nodejieba.cpp'), 'utf8');

describe('patchNodejiebaSource', () => {
  it('makes the installed nodejieba build its text-rank extractor on the Jieba trie', () => {
    const patched = patchNodejiebaSource(installedSource);
    expect(patched).not.toBeNull();
    expect(patched).toContain('TextRankExtractor(_jieba_handle->GetDictTrie(), _jieba_handle->GetHMMModel(), stopWordsPath)');
    // The only change: the dictionary path is read once, by the Jieba.
    expect(patched!.match(/dictPath/g)!.length).toBe(installedSource.match(/dictPath/g)!.length - 1);
    expect(patched).toContain('new cppjieba::Jieba(dictPath');
  });

  it('is idempotent', () => {
    const once = patchNodejiebaSource(installedSource)!;
    expect(patchNodejiebaSource(once)).toBe(once);
  });

  it('refuses source of an unknown shape instead of guessing', () => {
    expect(patchNodejiebaSource('int main() { return 0; }')).toBeNull();
    // The extractor created before the Jieba it would borrow from.
    const reordered = `_text_rank_extractor_handle = new cppjieba::TextRankExtractor(dictPath, modelPath, stopWordsPath, userDictPath);
      _jieba_handle = new cppjieba::Jieba(dictPath, modelPath, userDictPath, idfPath, stopWordsPath);`;
    expect(patchNodejiebaSource(reordered)).toBeNull();
  });
});
