/** Types of scripts/slim-nodejieba.mjs (the npm postinstall step), for tests. */
export declare const SLIM_MARKER: string;
/** nodejieba's lib/nodejieba.cpp with the text-rank extractor sharing the Jieba's trie, or null if unknown. */
export declare function patchNodejiebaSource(source: string): string | null;
