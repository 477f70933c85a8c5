/** A light tokenizer for tests about files and processes, where loading nodejieba (1.3 s, ~120 MB) is waste. */
import { createTokenizer, type Segmenter, type Tokenizer } from '../../src/core/text/tokenizer.ts';

/** A tokenizer with one term per character and per ASCII word: enough to build a real index quickly. */
export function characterTokenizer(): Tokenizer {
  const characters: Segmenter = {
    cut: (sentence) => sentence.match(/[a-z0-9]+|\S/giu) ?? [],
    cutForSearch: (sentence) => sentence.match(/[a-z0-9]+|\S/giu) ?? [],
    insertWord: () => true,
  };
  return createTokenizer({ segmenter: characters });
}
