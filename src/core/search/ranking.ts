/**
 * What the search ranks by besides BM25: a per-passage quotability prior, and the weights of the layers
 * QuoteIndex puts over BM25 (answers after their question, synonyms). The defaults are learned on the public
 * relevance set (`test/fixtures/relevance.json`) with `scripts/tune-ranking.ts`, which prints precision@1 per
 * query kind for a grid of weights; they are round numbers on a plateau, not fitted to single queries.
 */
import type { Passage } from '../corpus/types.ts';

/** The weights of the ranking layers. Every factor multiplies a score; 1 means "no effect". */
export interface RankingWeights {
  /** Prior of a passage with a speaker over narration. Default 1.15. */
  quoteBoost: number;
  /** Prior of a host's or the audience's passage (questions, hand-overs) relative to a guest's. Default 0.7. */
  askerFactor: number;
  /** Prior of a passage that ends with a question mark. Default 0.8. */
  questionFactor: number;
  /** Prior of a passage shorter than {@link RankingWeights.shortChars} characters. Default 0.75. */
  shortFactor: number;
  /** Below this many characters a passage is a fragment. Default 30. */
  shortChars: number;
  /**
   * Prior of a passage made only of procedural filler (thanks, hand-overs, "下面我们…", housekeeping); a
   * passage where only some sentences are filler gets the matching share of it. Default 0.5.
   */
  fillerFactor: number;
  /**
   * Prior of the second and later runs of a long paragraph cut into passages: the first run opens the topic,
   * later ones lean on it. Default 0.9.
   */
  continuationFactor: number;
  /** Prior of narration that names one of the interview's speakers (their words should come first). Default 0.3. */
  narrationAboutFactor: number;
  /**
   * A question found by the query lends this share of its match (its score without its prior: the echo is a
   * poor quote but a good match) to each of its answers, added to the answer's own score, so the answer that
   * follows ranks above the question. 0 turns it off. Default 1.
   */
  answerWeight: number;
  /**
   * Narration right before a speaker's paragraph (the scene a quote belongs to), and a host's remark right
   * after a guest's paragraph (a recap), lend this share of their match to that paragraph, as a question does
   * to its answers. 0 turns it off. Default 0.75.
   */
  setupWeight: number;
  /** The k-th answer paragraph after a question (from 0) gets `answerDecay^k` of the lent score. Default 0.85. */
  answerDecay: number;
  /**
   * Among a question's answer paragraphs, the substantive one gets the most: each answer's share is
   * `answerDecay^k × min(1, characters / answerSubstanceChars)`, scaled so the best of them gets the whole
   * (a lone short answer, 「卖产品啊。」, still gets all of it; a one-line lead-in such as 「我说一下我们的想法。」
   * before the real answer gets less). 0 turns it off. Default 150 (the middle of a plateau from 100 to 200
   * on the public set; 50 and 300 lose cases).
   */
  answerSubstanceChars: number;
  /** Weight of a synonym relative to the word as typed (synonym tier only); 0 turns synonyms off. Default 0.6. */
  synonymWeight: number;
  /**
   * Whether a person named in the query (「老季 卖房」: a speaker's name or alias plus other words) puts their
   * own passages on the other words first. Default true.
   */
  namedSpeakerFirst: boolean;
  /** Whether too few hits go on to jieba's search-mode pieces of the query (卖房子 → 卖房, 房子). Default true. */
  subwordFallback: boolean;
  /**
   * Whether a query no passage matches word for word first looks for every topical word, the question's
   * scaffolding left out (question words such as 谁 and 为什么, lone characters such as 投 in 谁投的), before
   * it settles for any word. Default true.
   */
  topicalFirst: boolean;
}

/** Default {@link RankingWeights}. */
export const DEFAULT_RANKING: Readonly<RankingWeights> = Object.freeze({
  quoteBoost: 1.15,
  askerFactor: 0.7,
  questionFactor: 0.8,
  shortFactor: 0.75,
  shortChars: 30,
  fillerFactor: 0.5,
  continuationFactor: 0.9,
  narrationAboutFactor: 0.3,
  answerWeight: 1,
  answerDecay: 0.85,
  answerSubstanceChars: 150,
  setupWeight: 0.75,
  synonymWeight: 0.6,
  subwordFallback: true,
  namedSpeakerFirst: true,
  topicalFirst: true,
});

/** The weights of plain BM25 with the original speaker and length prior only (no layers): for comparisons. */
export const PLAIN_RANKING: Readonly<RankingWeights> = Object.freeze({
  quoteBoost: 1.15,
  askerFactor: 1,
  questionFactor: 0.8,
  shortFactor: 0.75,
  shortChars: 30,
  fillerFactor: 1,
  continuationFactor: 1,
  narrationAboutFactor: 1,
  answerWeight: 0,
  answerDecay: 1,
  answerSubstanceChars: 0,
  setupWeight: 0,
  synonymWeight: 0,
  subwordFallback: false,
  namedSpeakerFirst: false,
  topicalFirst: false,
});

/**
 * Markers of procedural talk: thanking, handing over, announcing the next item, housekeeping. They are
 * about running the event, not about the topic, in any roundtable (none names this corpus's people).
 */
const FILLER =
  /谢谢|感谢|掌声|鼓掌|下面我们|接下来(?:我们|请|把|就)|下一个问题|我们来问|最后一个问题|有请|时间交给|交给[^。,，]{0,8}(?:嘉宾|老师|你)|超时|欢迎(?:大家|各位)|^好的[,，。]|^对[。,，]|\bthank(?:s| you)\b|\bnext question\b|\bwelcome\b/iu;

/** Sentence pieces for the filler share: cut after 。！？!?； and at line ends. */
const SENTENCE = /[^。！？!?；;]+[。！？!?；;]*/gu;

/** Share (0–1) of a text's characters that sit in sentences with a filler marker. */
export function fillerShare(text: string): number {
  let filler = 0;
  let total = 0;
  for (const match of text.matchAll(SENTENCE)) {
    const sentence = match[0];
    total += sentence.length;
    if (FILLER.test(sentence.trim())) filler += sentence.length;
  }
  return total === 0 ? 0 : filler / total;
}

/** True when the passage ends with a question mark (closing quotes and brackets allowed after it). */
export function endsWithQuestion(text: string): boolean {
  return /[?？][”"」』）)]*$/u.test(text.trim());
}

/**
 * How quotable a passage is, whatever the query (a score factor): a guest's own words beat narration and
 * the host's or the audience's turns; questions, fragments and procedural filler are rarely what someone
 * looks for. `speakerNames` are the names of the passage's interview's speakers (for narration about them).
 */
export function passagePrior(passage: Passage, weights: Readonly<RankingWeights> = DEFAULT_RANKING, speakerNames: readonly string[] = []): number {
  let prior = passage.speakerId ? weights.quoteBoost : 1;
  const text = passage.text;
  if (passage.part === 'host' || passage.part === 'audience') prior *= weights.askerFactor;
  if (Array.from(text).length < weights.shortChars) prior *= weights.shortFactor;
  if (endsWithQuestion(text)) prior *= weights.questionFactor;
  if (weights.fillerFactor !== 1) prior *= 1 - (1 - weights.fillerFactor) * fillerShare(text);
  if (/\.(?:[2-9]|\d{2,})$/u.test(passage.id)) prior *= weights.continuationFactor;
  if (!passage.speakerId && weights.narrationAboutFactor !== 1 && speakerNames.some((name) => name.length > 0 && text.includes(name))) {
    prior *= weights.narrationAboutFactor;
  }
  return prior;
}
