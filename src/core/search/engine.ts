/**
 * The search engine: MiniSearch over passages, with Zhenyan's tokenizer, BM25 ranking, speaker and
 * interview filters, highlight spans and "did you mean" suggestions. No discord.js here.
 */
import MiniSearch, { type Options as MiniSearchOptions, type SearchOptions } from 'minisearch';
import type { Interview, InterviewMeta, Passage, Speaker } from '../corpus/types.ts';
import { isLatinTerm, type Tokenizer } from '../text/tokenizer.ts';
import { findHighlights, type Highlight } from './highlight.ts';

/** Longest query we analyse; longer input is cut at a character boundary (Discord allows 6,000). */
export const MAX_QUERY_CHARS = 500;

/** A document as MiniSearch sees it. `id` is the passage's position in {@link QuoteIndex.passages}. */
interface IndexedDocument {
  id: number;
  text: string;
  speaker: string;
  title: string;
  section: string;
}

/** Options of {@link QuoteIndex}. */
export interface QuoteIndexOptions {
  /** Field boosts. Default: `{ text: 1, speaker: 1.5, title: 0.5, section: 0.5 }`. */
  boost?: Record<'text' | 'speaker' | 'title' | 'section', number>;
  /** Score factor for passages that have a speaker over plain narration. Default: 1.15. */
  quoteBoost?: number;
}

/** What to search for. */
export interface QuoteQuery {
  /** Free text (Chinese, English, mixed, Traditional). */
  text: string;
  /** Maximum number of hits. Default 5; clamped to 1–50. */
  limit?: number;
  /** Only passages by this speaker: a name, alias or speaker id, matched case-insensitively. */
  speaker?: string;
  /** Only passages from this interview id. */
  source?: string;
}

/** One search result. */
export interface SearchHit {
  passage: Passage;
  interview: InterviewMeta;
  /** The speaker's full record, or null for narration. */
  speaker: Speaker | null;
  /** BM25 score (higher is better; only comparable within one query). */
  score: number;
  /** Index terms that matched. */
  matchedTerms: string[];
  /** Ranges of `passage.text` to emphasise, sorted and non-overlapping. */
  highlights: Highlight[];
}

/** Why a query produced no hits, when the reason is the query itself. */
export type QueryProblem =
  /** Nothing but whitespace. */
  | 'empty'
  /** Only punctuation, emoji, or stop words: nothing searchable. */
  | 'no-terms'
  /** A speaker filter that matches no speaker. */
  | 'unknown-speaker'
  /** A source filter that matches no interview. */
  | 'unknown-source';

/** The answer to a {@link QuoteQuery}. */
export interface SearchResponse {
  /** The query text as analysed (trimmed, cut to {@link MAX_QUERY_CHARS}). */
  query: string;
  /** The terms searched for. */
  terms: string[];
  hits: SearchHit[];
  /** Set when the query could not be searched as given. */
  problem: QueryProblem | null;
  /** True when the query was longer than {@link MAX_QUERY_CHARS} and was cut. */
  truncated: boolean;
  /** When there are no hits: other queries that would find something (index terms or names). */
  suggestions: string[];
}

const DEFAULT_BOOST = { text: 1, speaker: 1.5, title: 0.5, section: 0.5 };

/**
 * How quotable a passage is, whatever the query: a speaker's words beat narration, and a very short
 * passage or a bare question (often an interviewer's) is rarely the answer someone wants.
 */
export function passagePrior(passage: Passage, quoteBoost: number): number {
  let prior = passage.speakerId ? quoteBoost : 1;
  const length = Array.from(passage.text).length;
  if (length < 30) prior *= 0.75;
  if (/[?？][”"」』）)]*$/u.test(passage.text.trim())) prior *= 0.8;
  return prior;
}

/** How many top results the phrase re-ranking looks at. */
const RERANK_DEPTH = 50;
/** Score factor when a passage contains the whole query as written. */
const PHRASE_BOOST = 1.6;
/** Score factor for each pair of adjacent query terms found side by side. */
const PAIR_BOOST = 1.2;

/**
 * An in-memory index of every passage of a corpus. Build it once at start-up; searching is
 * synchronous and allocation-light.
 */
export class QuoteIndex {
  /** Every indexed passage; a passage's MiniSearch id is its position here. */
  readonly passages: readonly Passage[];
  readonly interviews: ReadonlyMap<string, Interview>;
  private readonly miniSearch: MiniSearch<IndexedDocument>;
  private readonly tokenizer: Tokenizer;
  private readonly quoteBoost: number;
  private byId: Map<string, Passage> | undefined;
  /** Per-passage score factor, see {@link passagePrior}. */
  private readonly priors: Float32Array;

  /**
   * Indexes `passages` of `interviews`. `serialized`, when given, is a MiniSearch JSON built by
   * {@link QuoteIndex.toJSON} from the same passages: loading it costs a fraction of a rebuild.
   */
  constructor(
    interviews: readonly Interview[],
    passages: readonly Passage[],
    tokenizer: Tokenizer,
    options: QuoteIndexOptions & { serialized?: string } = {},
  ) {
    this.passages = passages;
    this.interviews = new Map(interviews.map((interview) => [interview.id, interview]));
    this.tokenizer = tokenizer;
    this.quoteBoost = options.quoteBoost ?? 1.15;
    this.priors = Float32Array.from(passages, (passage) => passagePrior(passage, this.quoteBoost));
    const miniOptions = this.miniSearchOptions(options.boost ?? DEFAULT_BOOST);
    if (options.serialized !== undefined) {
      this.miniSearch = MiniSearch.loadJSON<IndexedDocument>(options.serialized, miniOptions);
    } else {
      this.miniSearch = new MiniSearch<IndexedDocument>(miniOptions);
      this.miniSearch.addAll(passages.map((passage, id) => this.toDocument(passage, id)));
    }
  }

  /** The passage with this id, or undefined. */
  passage(id: string): Passage | undefined {
    if (!this.byId) this.byId = new Map(this.passages.map((passage) => [passage.id, passage]));
    return this.byId.get(id);
  }

  /** A passage with its interview and speaker records. */
  describe(passage: Passage): { passage: Passage; interview: InterviewMeta; speaker: Speaker | null } {
    const interview = this.interviews.get(passage.interviewId)!;
    return { passage, interview, speaker: interview.speakers.find((s) => s.id === passage.speakerId) ?? null };
  }

  /** The index as JSON, for a prebuilt index file. */
  toJSON(): string {
    return JSON.stringify(this.miniSearch);
  }

  /** Number of distinct indexed terms. */
  get termCount(): number {
    return this.miniSearch.termCount;
  }

  /** Every speaker of the corpus with the interviews they appear in. */
  speakers(): Array<{ speaker: Speaker; interviewIds: string[] }> {
    const byKey = new Map<string, { speaker: Speaker; interviewIds: string[] }>();
    for (const interview of this.interviews.values()) {
      for (const speaker of interview.speakers) {
        const entry = byKey.get(speaker.name);
        if (entry) entry.interviewIds.push(interview.id);
        else byKey.set(speaker.name, { speaker, interviewIds: [interview.id] });
      }
    }
    return [...byKey.values()];
  }

  /**
   * Speakers whose id, name or an alias equals `nameOrId` after normalisation (case, width,
   * Traditional/Simplified), as `interviewId → speakerId` pairs.
   */
  resolveSpeaker(nameOrId: string): Array<{ interviewId: string; speaker: Speaker }> {
    const wanted = this.tokenizer.normalize(nameOrId.trim());
    if (wanted.length === 0) return [];
    const found: Array<{ interviewId: string; speaker: Speaker }> = [];
    for (const interview of this.interviews.values()) {
      for (const speaker of interview.speakers) {
        const names = [speaker.id, speaker.name, ...speaker.aliases].map((n) => this.tokenizer.normalize(n));
        if (names.includes(wanted)) found.push({ interviewId: interview.id, speaker });
      }
    }
    return found;
  }

  /** Searches the corpus. Never throws on user input: problems are reported in the response. */
  search(query: QuoteQuery): SearchResponse {
    const trimmed = query.text.trim();
    const chars = Array.from(trimmed);
    const truncated = chars.length > MAX_QUERY_CHARS;
    const text = truncated ? chars.slice(0, MAX_QUERY_CHARS).join('') : trimmed;
    const limit = Math.min(50, Math.max(1, Math.floor(query.limit ?? 5)));
    const response = (partial: Partial<SearchResponse>): SearchResponse => ({
      query: text,
      terms: [],
      hits: [],
      problem: null,
      truncated,
      suggestions: [],
      ...partial,
    });

    const filter = this.buildFilter(query);
    if ('problem' in filter) return response({ problem: filter.problem, suggestions: filter.suggestions });
    if (text.length === 0) return response({ problem: 'empty' });
    const terms = this.tokenizer.tokenizeQuery(text);
    if (terms.length === 0) return response({ problem: 'no-terms' });

    const searchOptions: SearchOptions = {
      filter: filter.accept ? (result) => filter.accept!(this.passages[result.id as number]!) : undefined,
      tokenize: (joined) => joined.split(' '),
      processTerm: (term) => term,
    };
    // AND first: a passage with every term beats one with the most frequent term. OR when AND is empty.
    let results = this.miniSearch.search(terms.join(' '), { ...searchOptions, combineWith: 'AND' });
    if (results.length === 0 && terms.length > 1) {
      results = this.miniSearch.search(terms.join(' '), { ...searchOptions, combineWith: 'OR' });
    }
    if (results.length === 0) return response({ terms, suggestions: this.suggest(terms, filter.accept) });

    const ranked = this.rerankByPhrase(results, text, terms);
    const hits = ranked.slice(0, limit).map((result): SearchHit => {
      const passage = this.passages[result.id as number]!;
      return {
        ...this.describe(passage),
        score: result.score,
        matchedTerms: result.terms,
        highlights: findHighlights(passage.text, result.terms, this.tokenizer.normalize),
      };
    });
    return response({ terms, hits });
  }

  /**
   * BM25 ignores word order. Among the best results, a passage that holds the query as written
   * (卖房创业 as one run, not 卖房 here and 创业 there) or adjacent query terms side by side is
   * what a person means, so it moves up.
   */
  private rerankByPhrase<T extends { id: unknown; score: number }>(results: T[], text: string, terms: string[]): T[] {
    if (terms.length < 2) return results;
    const phrase = this.tokenizer.normalize(text).replace(/[\s\p{P}\p{S}]+/gu, '');
    const pairs = terms.slice(1).map((term, i) => `${terms[i]}${term}`);
    const head = results.slice(0, RERANK_DEPTH).map((result) => {
      const passageText = this.tokenizer.normalize(this.passages[result.id as number]!.text);
      let factor = 1;
      if (phrase.length >= 2 && passageText.includes(phrase)) factor *= PHRASE_BOOST;
      for (const pair of pairs) if (passageText.includes(pair)) factor *= PAIR_BOOST;
      return { ...result, score: result.score * factor };
    });
    head.sort((a, b) => b.score - a.score);
    return [...head, ...results.slice(RERANK_DEPTH)];
  }

  private buildFilter(
    query: QuoteQuery,
  ): { accept: ((passage: Passage) => boolean) | null } | { problem: QueryProblem; suggestions: string[] } {
    const tests: Array<(passage: Passage) => boolean> = [];
    if (query.speaker !== undefined && query.speaker.trim().length > 0) {
      const matches = this.resolveSpeaker(query.speaker);
      if (matches.length === 0) {
        return { problem: 'unknown-speaker', suggestions: this.speakers().map((entry) => entry.speaker.name) };
      }
      const keys = new Set(matches.map((m) => `${m.interviewId}\u0000${m.speaker.id}`));
      tests.push((passage) => keys.has(`${passage.interviewId}\u0000${passage.speakerId ?? ''}`));
    }
    if (query.source !== undefined && query.source.trim().length > 0) {
      const source = query.source.trim();
      if (!this.interviews.has(source)) {
        return { problem: 'unknown-source', suggestions: [...this.interviews.keys()] };
      }
      tests.push((passage) => passage.interviewId === source);
    }
    if (tests.length === 0) return { accept: null };
    return { accept: (passage) => tests.every((test) => test(passage)) };
  }

  /**
   * "Did you mean": Latin terms are retried with fuzzy matching (typos), Chinese terms with their
   * leading characters as a prefix (融资额 → 融资…). Returns up to five index terms that match.
   */
  private suggest(terms: string[], accept: ((passage: Passage) => boolean) | null): string[] {
    const relaxed = terms.map((term) => (isLatinTerm(term) ? term : Array.from(term).slice(0, 2).join('')));
    const results = this.miniSearch.search(relaxed.join(' '), {
      tokenize: (joined) => joined.split(' '),
      processTerm: (term) => term,
      combineWith: 'OR',
      fuzzy: (term) => (isLatinTerm(term) && term.length >= 4 ? 0.34 : false),
      prefix: (term) => !isLatinTerm(term) && Array.from(term).length >= 2,
      filter: accept ? (result) => accept(this.passages[result.id as number]!) : undefined,
    });
    const counts = new Map<string, number>();
    for (const result of results.slice(0, 50)) {
      for (const term of result.terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    }
    return [...counts.entries()]
      .filter(([term]) => !terms.includes(term))
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([term]) => term);
  }

  private toDocument(passage: Passage, id: number): IndexedDocument {
    const interview = this.interviews.get(passage.interviewId);
    const speaker = interview?.speakers.find((s) => s.id === passage.speakerId);
    return {
      id,
      text: passage.text,
      speaker: speaker ? [speaker.name, ...speaker.aliases].join(' ') : '',
      title: interview?.title ?? '',
      section: passage.section ?? '',
    };
  }

  private miniSearchOptions(boost: Record<string, number>): MiniSearchOptions<IndexedDocument> {
    return {
      fields: ['text', 'speaker', 'title', 'section'],
      storeFields: [],
      tokenize: (text) => this.tokenizer.tokenizeForIndex(text),
      processTerm: (term) => term,
      searchOptions: {
        boost,
        bm25: { k: 1.2, b: 0.7, d: 0.5 },
        // Prefix and fuzzy only help Latin words (invest → investor, kubernets → kubernetes);
        // on Chinese terms they add dozens of unrelated terms.
        prefix: (term) => isLatinTerm(term) && term.length >= 4,
        fuzzy: (term) => (isLatinTerm(term) && term.length >= 6 ? 0.2 : false),
        weights: { fuzzy: 0.3, prefix: 0.6 },
        boostDocument: (id) => this.priors[id as number] ?? 1,
      },
    };
  }
}
