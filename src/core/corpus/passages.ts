/**
 * Cuts curated interviews into passages, the unit of search: one paragraph, or a run of whole sentences of
 * a long paragraph. Passage ids are stable as long as the paragraph order of an interview does not change.
 */
import { speakerPart, type Interview, type Passage, type SpeakerPart, type TextSpan } from './types.ts';

/** Options of {@link buildPassages}. */
export interface PassageOptions {
  /** Paragraphs shorter than this (in characters) are context only, never passages. Default 12. */
  minChars?: number;
  /** Paragraphs longer than this are split into runs of whole sentences of at most this length. Default 300. */
  maxChars?: number;
}

/** Default of {@link PassageOptions.minChars}. */
export const DEFAULT_MIN_CHARS = 12;
/** Default of {@link PassageOptions.maxChars}. */
export const DEFAULT_MAX_CHARS = 300;

/**
 * Where sentences end: a run of Chinese or ASCII terminators (。！？!?；… and their repetitions), or an ASCII
 * period followed by whitespace; closing quotes and brackets right after the terminator stay with it.
 */
const SENTENCE_END = /(?:[。！？!?；…]+|\.(?=\s))[”’」』）)】"']*\s*/gu;

/** Length in Unicode code points (a CJK character counts 1). */
export function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** A sentence as a half-open range of a paragraph's UTF-16 offsets, whitespace around it excluded. */
interface Span {
  start: number;
  end: number;
}

/** The sentences of `text` as ranges, never cut inside a sentence. */
function sentenceSpans(text: string): Span[] {
  const spans: Span[] = [];
  const push = (from: number, to: number): void => {
    const slice = text.slice(from, to);
    const lead = slice.length - slice.trimStart().length;
    const trail = slice.length - slice.trimEnd().length;
    if (slice.trim() !== '') spans.push({ start: from + lead, end: to - trail });
  };
  let start = 0;
  for (const m of text.matchAll(SENTENCE_END)) {
    const end = m.index + m[0].length;
    push(start, end);
    start = end;
  }
  push(start, text.length);
  return spans;
}

/** Splits text into sentences (trimmed), never inside one. */
export function splitSentences(text: string): string[] {
  return sentenceSpans(text).map((s) => text.slice(s.start, s.end));
}

/**
 * Groups sentences into runs of at most `maxChars` (a longer single sentence stays whole). A run is also
 * closed once it reaches `target`, which keeps the runs of one paragraph of similar length. Each run is
 * the verbatim slice of the paragraph from its first sentence to its last.
 */
function fill(text: string, spans: Span[], maxChars: number, target: number): string[] {
  const parts: string[] = [];
  let first: Span | null = null;
  let last: Span | null = null;
  for (const span of spans) {
    if (first !== null && last !== null) {
      const current = charLength(text.slice(first.start, last.end));
      if (charLength(text.slice(first.start, span.end)) > maxChars || current >= target) {
        parts.push(text.slice(first.start, last.end));
        first = null;
      }
    }
    first ??= span;
    last = span;
  }
  if (first !== null && last !== null) parts.push(text.slice(first.start, last.end));
  return parts;
}

/** Splits a long paragraph into balanced runs of whole sentences. */
function splitParagraph(text: string, maxChars: number): string[] {
  const spans = sentenceSpans(text);
  const greedy = fill(text, spans, maxChars, Infinity);
  if (greedy.length <= 1) return [text];
  const balanced = fill(text, spans, maxChars, Math.ceil(charLength(text) / greedy.length));
  return balanced.length <= greedy.length ? balanced : greedy;
}

/**
 * Builds the passages of interviews.
 *
 * Each paragraph of at least `minChars` characters gives one passage `<interview id>#<paragraph index>`;
 * a paragraph longer than `maxChars` gives runs of whole sentences `<interview id>#<index>.<part>` (parts
 * from 1). Shorter paragraphs (「尤永康说。」) are no passage but still serve as context.
 *
 * @param interviews - parsed interviews.
 * @param options - length thresholds, see {@link PassageOptions}.
 * @returns passages in interview order, then reading order.
 */
export function buildPassages(interviews: Interview[], options: PassageOptions = {}): Passage[] {
  const minChars = options.minChars ?? DEFAULT_MIN_CHARS;
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  const passages: Passage[] = [];
  for (const interview of interviews) {
    const names = new Map(interview.speakers.map((s) => [s.id, s.name]));
    const parts = new Map(interview.speakers.map((s) => [s.id, speakerPart(s)]));
    const paragraphs: Paragraph[] = [];
    let section: string | null = null;
    let sectionNumber = 0;
    for (const block of interview.body) {
      if (block.type === 'heading') {
        section = block.text;
        sectionNumber++;
      } else {
        const part = block.speakerId === null ? null : (parts.get(block.speakerId) ?? 'guest');
        paragraphs.push({ text: block.text, speakerId: block.speakerId, part, section, sectionNumber, quoteSpans: block.quoteSpans ?? null });
      }
    }
    const ofParagraph: Passage[][] = paragraphs.map(() => []);
    paragraphs.forEach((p, index) => {
      if (charLength(p.text) < minChars) return;
      const texts = charLength(p.text) > maxChars ? splitParagraph(p.text, maxChars) : [p.text];
      const context = { before: paragraphs[index - 1]?.text ?? null, after: paragraphs[index + 1]?.text ?? null };
      let cursor = 0;
      texts.forEach((text, i) => {
        const start = p.text.indexOf(text, cursor);
        cursor = start + text.length;
        const spans = p.quoteSpans === null ? null : spansWithin(p.quoteSpans, start, start + text.length);
        // A part of a mixed paragraph that holds none of the speaker's words is narration.
        const speakerId = spans !== null && spans.length === 0 ? null : p.speakerId;
        const passage: Passage = {
          id: texts.length === 1 ? `${interview.id}#${index}` : `${interview.id}#${index}.${i + 1}`,
          text,
          speakerId,
          speakerName: speakerId === null ? null : (names.get(speakerId) ?? null),
          interviewId: interview.id,
          paragraphIndex: index,
          section: p.section,
          context: { ...context },
          part: speakerId === null ? null : p.part,
          quoteSpans: spans === null || spans.length === 0 || coversAll(spans, text) ? null : spans,
          answersTo: null,
          answers: [],
        };
        passages.push(passage);
        ofParagraph[index]!.push(passage);
      });
    });
    linkQuestionsAndAnswers(paragraphs, ofParagraph);
  }
  return passages;
}

/** A paragraph of an interview body as the passage builder sees it. */
interface Paragraph {
  text: string;
  speakerId: string | null;
  part: SpeakerPart | null;
  section: string | null;
  /** How many headings come before it: paragraphs under different headings never pair up. */
  sectionNumber: number;
  quoteSpans: TextSpan[] | null;
}

/** The spans of a paragraph that fall in `[from, to)`, clipped and made relative to `from`. */
function spansWithin(spans: readonly TextSpan[], from: number, to: number): TextSpan[] {
  const out: TextSpan[] = [];
  for (const span of spans) {
    const start = Math.max(span.start, from);
    const end = Math.min(span.end, to);
    if (end > start) out.push({ start: start - from, end: end - from });
  }
  return out;
}

/** True when the spans leave nothing but whitespace and punctuation of `text` outside them. */
function coversAll(spans: readonly TextSpan[], text: string): boolean {
  let outside = text.slice(0, spans[0]!.start);
  spans.forEach((span, i) => (outside += text.slice(span.end, spans[i + 1]?.start ?? text.length)));
  return !/[\p{L}\p{N}]/u.test(outside);
}

/** A question mark anywhere (a quoted question counts: 「“真有你们说得那么好吗?…”」). */
const ASKS = /[?？]/u;

/**
 * Questions and their answers, from who speaks when:
 * - a host's or the audience's paragraph followed (under the same heading) by guests' paragraphs is a
 *   question; those guests' paragraphs, up to the next paragraph that is not a guest's (another turn of the
 *   host or the audience, or narration), are its answers;
 * - a guest's paragraph with a question mark, followed by another guest's turn, is a question to that guest,
 *   and a narration paragraph with a question mark (a quoted question: 「“你说的合作,是什么形式的合作?”张鑫
 *   有点担心…」) followed by a speaker's turn is a question to that speaker: the answer is that turn (the
 *   speaker's paragraphs up to the next change of speaker).
 */
function linkQuestionsAndAnswers(paragraphs: readonly Paragraph[], ofParagraph: readonly Passage[][]): void {
  // From the end, so that an answer belongs to the nearest question before it, and a host's question's
  // answers stop where a guest asks another guest.
  for (let index = paragraphs.length - 1; index >= 0; index--) {
    const p = paragraphs[index]!;
    const questions = ofParagraph[index]!;
    const next = paragraphs[index + 1];
    if (questions.length === 0 || next === undefined || next.sectionNumber !== p.sectionNumber || next.part !== 'guest') continue;
    const asker = p.part === 'host' || p.part === 'audience';
    const turnChange = ASKS.test(p.text) && (p.speakerId === null || (p.part === 'guest' && next.speakerId !== p.speakerId));
    if (!asker && !turnChange) continue;
    // The part nearest the answers is the question they answer.
    const questionId = questions[questions.length - 1]!.id;
    const answers: Passage[] = [];
    for (let j = index + 1; j < paragraphs.length; j++) {
      const answer = paragraphs[j]!;
      if (answer.part !== 'guest' || answer.sectionNumber !== p.sectionNumber) break;
      if (!asker && answer.speakerId !== next.speakerId) break;
      const own = ofParagraph[j]!.filter((passage) => passage.part === 'guest');
      if (own.some((passage) => passage.answersTo !== null)) break;
      answers.push(...own);
    }
    for (const answer of answers) answer.answersTo = questionId;
    for (const question of questions) question.answers = answers.map((a) => a.id);
  }
}
