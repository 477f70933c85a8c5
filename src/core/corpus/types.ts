/**
 * The data model of the curated corpus. Nothing here imports discord.js: this is the domain core.
 *
 * A curated interview lives in `data/interviews/<id>.md`: YAML front matter (see {@link InterviewMeta})
 * and a Markdown body. The body format is documented in `data/README.md`; in short:
 * - paragraphs are separated by blank lines and are verbatim from the source;
 * - a line `## heading` is a section heading (the editor's words, not a speaker's: never a passage);
 * - a fenced block `::: speaker <speaker-id>` … `:::` attributes the paragraphs inside it to a speaker;
 *   paragraphs outside any block are narration and carry no speaker (`null`, never guessed).
 */

/**
 * A speaker's part in an interview: `host` (moderator, interviewer), `guest` (the people interviewed) or
 * `audience` (a questioner from the floor, an unnamed investor: a role, not a person). A host's or the
 * audience's turn followed by guests' paragraphs is a question and its answers (see {@link Passage.answers}).
 */
export type SpeakerPart = 'host' | 'guest' | 'audience';

/** Every {@link SpeakerPart}, in a stable order. */
export const SPEAKER_PARTS: readonly SpeakerPart[] = ['host', 'guest', 'audience'];

/** A speaker's part, with the default `guest` when the front matter does not say. */
export function speakerPart(speaker: Pick<Speaker, 'part'> | null | undefined): SpeakerPart {
  return speaker?.part ?? 'guest';
}

/** A person who speaks in an interview. */
export interface Speaker {
  /** Stable key used in `::: speaker <id>` blocks, lowercase ASCII with dashes, e.g. `ji-xinhua`. */
  id: string;
  /** The name as the source writes it, e.g. `季昕华`, `Qi Jun`. */
  name: string;
  /** Other names the source or the community uses, e.g. `老季`, `一乐`, `Ji Xinhua`. */
  aliases: string[];
  /** Role at the time of the interview, e.g. `创始人兼 CEO`; null when the source does not say. */
  role: string | null;
  /** Company, e.g. `UCloud`; null when the source does not say. */
  company: string | null;
  /**
   * Their part in the interview; absent means `guest` (read it with {@link speakerPart}). Kept absent
   * rather than filled in, so that a file round-trips through the parser and the serializer unchanged.
   */
  part?: SpeakerPart;
}

/** A range of UTF-16 offsets `[start, end)` of a text. */
export interface TextSpan {
  start: number;
  end: number;
}

/** The front matter of one curated interview. */
export interface InterviewMeta {
  /** Stable id, lowercase ASCII with dashes; also the file name without `.md`. */
  id: string;
  /** The original title, verbatim. */
  title: string;
  /** Where it was published (site or account), or null when unknown. */
  publication: string | null;
  /** Publication date `YYYY-MM-DD` when the text gives it, else null. */
  date: string | null;
  /** Link to the original when known; never invented. */
  url: string | null;
  /** BCP 47 language tag of the body: `zh` or `en`. */
  language: 'zh' | 'en';
  /** `roundtable` (turns), `interview` (first person), or `narrative` (article with inline quotes). */
  kind: 'roundtable' | 'interview' | 'narrative';
  /** Everyone who is quoted. */
  speakers: Speaker[];
}

/** One block of an interview body, in reading order. */
export type BodyBlock =
  | { type: 'heading'; text: string }
  | {
      type: 'paragraph';
      /** Verbatim text (the `{{…}}` quote markup removed). */
      text: string;
      speakerId: string | null;
      /**
       * In a speaker block, the ranges of `text` that are the speaker's own words when the paragraph also
       * holds narration (`张鑫心里有点打鼓:{{这些年…}}`); absent when the whole paragraph is theirs.
       */
      quoteSpans?: TextSpan[];
    };

/** A parsed curated interview. */
export interface Interview extends InterviewMeta {
  /** Body blocks in reading order. */
  body: BodyBlock[];
}

/** The unit of search: a paragraph, or a run of whole sentences of a long paragraph. */
export interface Passage {
  /** Stable id: `<interview id>#<paragraph index>` or `<interview id>#<paragraph index>.<part>`. */
  id: string;
  /** Verbatim text. */
  text: string;
  /** The speaker's id, or null for narration. */
  speakerId: string | null;
  /** The speaker's display name, or null for narration. */
  speakerName: string | null;
  /** The interview this passage belongs to. */
  interviewId: string;
  /** Index of the source paragraph among the interview's paragraphs (headings excluded). */
  paragraphIndex: number;
  /** The nearest section heading above, if any. */
  section: string | null;
  /** The paragraph before and after, verbatim, for a "show context" view (null at the edges). */
  context: { before: string | null; after: string | null };
  /** The speaker's part in the interview (see {@link SpeakerPart}), or null for narration. */
  part: SpeakerPart | null;
  /**
   * Ranges of `text` that are the speaker's own words, when the passage also holds narration around them
   * (a lead-in such as 「张鑫心里有点打鼓:」 or a tag such as 「尤永康说。」); null when all of `text` is theirs.
   */
  quoteSpans: TextSpan[] | null;
  /**
   * For an answer: the id of the question passage it answers (the host's or the audience's paragraph right
   * before this run of guests' paragraphs); null otherwise.
   */
  answersTo: string | null;
  /** For a question (a host's or the audience's paragraph followed by guests' paragraphs): the answer ids. */
  answers: string[];
}
