/**
 * Which passages are good daily tips: a scored selection from the corpus, corrected by a curated
 * list (`data/tips.yaml`) that a community edits. See data/README.md, "Daily tips".
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Passage } from '../corpus/types.ts';

/** The curated corrections to the automatic selection. */
export interface TipCuration {
  /** Passage ids that are always tips (if they exist), whatever their score. */
  include: string[];
  /** Passage ids that are never tips. */
  exclude: string[];
}

/** Options of {@link selectTips}. */
export interface TipSelectionOptions {
  /** Shortest tip, in characters. Default 24. */
  minChars?: number;
  /** Longest tip, in characters: a tip is read at a glance. Default 200. */
  maxChars?: number;
  /** Lowest score of an automatically selected tip. Default 3. */
  minScore?: number;
  /** Curated includes and excludes. Default: none. */
  curation?: TipCuration;
}

// Words that mark advice or a general insight rather than a story.
const INSIGHT_MARKERS = [
  '一定', '应该', '必须', '需要', '不要', '关键', '核心', '本质', '重要', '最难', '最大', '最好', '意味着',
  '决定', '认为', '其实', '往往', '永远', '首先', '真正', '价值', '机会', '创业', '学会', '坚持',
];
const LATIN_INSIGHT = /\b(should|must|never|always|key|important|the best|lesson|learn|believe|matters?)\b/iu;
// Openings that lean on the previous paragraph: a tip must stand on its own.
const DEPENDENT_OPENING = /^(但是|但|所以|而且|然后|因此|于是|不过|并且|另外|他|她|它|这|那|此|第[一二三四五六七八九十\d]|首先|其次|最后|好的|下面|比如|就是|\d+[.、]|and |but |so |then |this |that |he |she |it |first|second|third)/iu;
// Words that point at something the reader cannot see (a slide, a picture, "just now").
const DEICTIC = /(这个图|这张图|这里列出|刚才|上面|下面|如图|(笑))/u;
const QUESTION_END = /[？?][”"」』）)]*$/u;
const SENTENCE_END = /[。！!.…”"」』）)]$/u;

/**
 * Scores a passage as a tip: higher is better, below zero means "never a tip". Narration, questions,
 * fragments and passages that depend on their neighbours score low.
 */
export function scoreTip(passage: Passage, options: TipSelectionOptions = {}): number {
  const minChars = options.minChars ?? 24;
  const maxChars = options.maxChars ?? 200;
  const text = passage.text.trim();
  const length = Array.from(text).length;
  if (passage.speakerId === null) return -1;
  if (length < minChars || length > maxChars) return -1;
  if (QUESTION_END.test(text)) return -1;
  if (!SENTENCE_END.test(text)) return -1;
  if (DEPENDENT_OPENING.test(text)) return -1;
  if (DEICTIC.test(text)) return -1;
  let score = 0;
  for (const marker of INSIGHT_MARKERS) if (text.includes(marker)) score += 1;
  if (LATIN_INSIGHT.test(text)) score += 2;
  // Digits usually mean a specific story (dates, amounts), not a general insight.
  if (/\d/u.test(text)) score -= 1;
  // Sweet spot: one to three sentences.
  const sentences = text.split(/[。！!？?]|\.\s/u).filter((s) => s.trim().length > 0).length;
  if (sentences >= 1 && sentences <= 3) score += 1;
  return score;
}

/**
 * The tip ids, in a stable order (passage order), chosen from `passages`: curated includes plus every
 * passage scoring at least `minScore`, minus curated excludes.
 */
export function selectTips(passages: readonly Passage[], options: TipSelectionOptions = {}): string[] {
  const minScore = options.minScore ?? 3;
  const include = new Set(options.curation?.include ?? []);
  const exclude = new Set(options.curation?.exclude ?? []);
  return passages
    .filter((passage) => !exclude.has(passage.id) && (include.has(passage.id) || scoreTip(passage, options) >= minScore))
    .map((passage) => passage.id);
}

/** Reads `tips.yaml` (`include:` and `exclude:` lists of passage ids); empty lists when absent. */
export function readTipCuration(path: string): TipCuration {
  if (!existsSync(path)) return { include: [], exclude: [] };
  const parsed = (parseYaml(readFileSync(path, 'utf8')) ?? {}) as Partial<Record<'include' | 'exclude', unknown>>;
  const ids = (value: unknown, field: string): string[] => {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
      throw new Error(`zhenyan: ${path}: "${field}" must be a list of passage ids`);
    }
    return value as string[];
  };
  return { include: ids(parsed.include, 'include'), exclude: ids(parsed.exclude, 'exclude') };
}
