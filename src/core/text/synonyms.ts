/**
 * The curated synonym file (`data/synonyms.txt`): one group of interchangeable words per line, written
 * `招人 / 招聘`, with `#` comments. Every word of a group stands for every other one. A query term finds
 * passages with its synonyms only after the passages with the term as typed (see QuoteIndex.search).
 */
import { existsSync, readFileSync } from 'node:fs';

/**
 * Reads the groups of a synonym file; a missing file is no synonyms.
 *
 * @throws Error `zhenyan: <path>:<line>: …` for a line with fewer than two words or a word with spaces.
 */
export function readSynonymGroups(path: string): string[][] {
  if (!existsSync(path)) return [];
  return parseSynonymGroups(readFileSync(path, 'utf8'), path);
}

/** Parses the text of a synonym file (see {@link readSynonymGroups}). */
export function parseSynonymGroups(text: string, origin = '<string>'): string[][] {
  const groups: string[][] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/u, '').trim();
    if (line === '') return;
    const words = line.split('/').map((word) => word.trim());
    if (words.length < 2 || words.some((word) => word === '' || /\s/u.test(word))) {
      throw new Error(`zhenyan: ${origin}:${i + 1}: a synonym line is two or more words separated by "/", e.g. "招人 / 招聘"`);
    }
    groups.push(words);
  });
  return groups;
}

/**
 * Word → its synonyms, both sides normalised with `normalize` (the tokenizer's), so lookups by index term
 * work. A word in several groups gets the union.
 */
export function synonymMap(groups: readonly string[][], normalize: (text: string) => string): Map<string, string[]> {
  const map = new Map<string, Set<string>>();
  for (const group of groups) {
    const words = [...new Set(group.map((word) => normalize(word)))];
    for (const word of words) {
      let set = map.get(word);
      if (!set) map.set(word, (set = new Set()));
      for (const other of words) if (other !== word) set.add(other);
    }
  }
  return new Map([...map].map(([word, set]) => [word, [...set]]));
}
