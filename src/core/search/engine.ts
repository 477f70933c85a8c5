/**
 * The search engine: MiniSearch over passages, with Zhenyan's tokenizer, BM25 ranking, speaker and
 * interview filters, highlight spans and "did you mean" suggestions. No discord.js here.
 */
import MiniSearch, { type Options as MiniSearchOptions } from 'minisearch';
import { IndexFileError, readIndexFile, writeIndexFile } from './index-file.ts';
import { speakerPart, type Interview, type InterviewMeta, type Passage, type Speaker } from '../corpus/types.ts';
import { foldLatinTerm, isLatinTerm, type Tokenizer } from '../text/tokenizer.ts';
import { findHighlights, type Highlight } from './highlight.ts';
import { DEFAULT_RANKING, endsWithQuestion, fillerShare, passagePrior, type RankingWeights } from './ranking.ts';

export { passagePrior } from './ranking.ts';

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
  /** Score factor for passages that have a speaker over plain narration. Default: 1.15 (same as `ranking.quoteBoost`). */
  quoteBoost?: number;
  /** Weights of the quotability prior and of the layers over BM25. Default: {@link DEFAULT_RANKING}. */
  ranking?: Partial<RankingWeights>;
  /**
   * Curated synonyms: normalised word → normalised synonyms (see `text/synonyms.ts`). A passage that matches a
   * query only through a synonym ranks after every passage that matches it as typed. Default: none.
   */
  synonyms?: ReadonlyMap<string, readonly string[]>;
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
  /** The question this passage answers (a host's, the audience's or another speaker's), or null. */
  question: { passage: Passage; speaker: string | null } | null;
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
const FIELDS = ['text', 'speaker', 'title', 'section'];

/**
 * Below this many hits, a search goes on to the next, looser tier (synonyms, then jieba's search-mode
 * pieces of the query), whose hits come after the ones found so far.
 */
const ENOUGH_HITS = 5;
/** Queries of more terms than this (sentences) skip the named-person pass. */
const MAX_LOOSE_TERMS = 4;
/** Queries of more terms than this that some passage matches whole skip the looser tiers. */
const MAX_FILLED_TERMS = 2;
/** Questions among this many best results lend their score to their answers. */
const QUESTION_DEPTH = 20;
/** At most this many answers per question take part (the first ones, in reading order). */
const MAX_ANSWERS = 10;

/** Most normalised passage texts kept for re-ranking (≈ 10 MB of text at most). */
const NORMALIZED_CACHE_SIZE = 20_000;

/** One Chinese character. */
const HAN_CHAR = /^\p{Script=Han}$/u;
/**
 * Interrogative words that shape a question without naming its topic (English ones are stop words
 * already): a question that shares only these with the query lends its answers nothing.
 */
const QUESTION_WORDS: ReadonlySet<string> = new Set(['为什么', '为何', '什么样', '怎么样', '怎样', '如何', '哪些', '有哪些', '是否', '是不是', '谁', '怎么办', '吗', '呢']);
/**
 * A query term that frames the question rather than naming its topic: a question word, or a lone Chinese
 * character (jieba leaves verbs and particles such as 投, 做, 人 alone; as index terms they match anywhere).
 */
function isScaffolding(term: string): boolean {
  return QUESTION_WORDS.has(term) || (term.length === 1 && HAN_CHAR.test(term));
}

/** How many top results the phrase re-ranking looks at. */
const RERANK_DEPTH = 50;
/** A narration paragraph this short between a scene and a person's words is a bridge, not a new scene. */
const BRIDGE_CHARS = 40;
/**
 * Score factor when a passage contains the whole query as written: 1 + this × its length in characters
 * (up to {@link PHRASE_MAX_CHARS}). A longer verbatim run is stronger evidence (卖房创业, 4 characters: ×1.6;
 * a question typed back word for word, 你的商业模式是什么: ×2.35).
 */
const PHRASE_BOOST_PER_CHAR = 0.15;
/** Characters beyond this add nothing to the phrase factor. */
const PHRASE_MAX_CHARS = 16;
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
  private miniSearch: MiniSearch<IndexedDocument>;
  private readonly tokenizer: Tokenizer;
  private ranking: RankingWeights;
  private readonly synonyms: ReadonlyMap<string, readonly string[]>;
  /**
   * Passage position → the passages it lends its match to: a question's answers (`answer`); for narration
   * right before a speaker's paragraph (「从那天开始,李群就经常被尤永康拉来做“志愿者”…」), that paragraph, and
   * for a host's remark right after a guest's paragraph, that paragraph (`setup`: the words they frame).
   */
  private readonly lendsTo: ReadonlyMap<number, { kind: 'answer' | 'setup'; targets: number[] }>;
  /** A query term's indexed search-mode pieces (bounded cache: jieba is the slow part). */
  private readonly piecesOf = new Map<string, string[]>();
  /** The reverse of {@link QuoteIndex.lendsTo}: passage position → the question or frame it belongs to. */
  private readonly lentBy: ReadonlyMap<number, number>;
  private byId: Map<string, Passage> | undefined;
  private readonly normalizedCache = new Map<number, string>();
  /** {@link QuoteIndex.lendFactor} by passage position (lenders only, computed on first use). */
  private readonly lendFactors = new Map<number, number>();
  private readonly boost: Record<string, number>;
  private keys: { keyIds: Map<string, number>; speakerKeyOf: Int32Array; passagesOfKey: number[][] } | undefined;
  private scorerCache: { miniSearch: MiniSearch<IndexedDocument>; scorer: Scorer } | undefined;
  /** Normalised speaker id, name or alias → the speakers it names (built on first use). */
  private speakerNames: Map<string, Array<{ interviewId: string; speaker: Speaker }>> | undefined;
  /** Per-passage score factor, see {@link passagePrior}. */
  private priors: Float32Array;

  /**
   * Indexes `passages` of `interviews`. `indexFile`, when given, is a file written by {@link QuoteIndex.save}
   * from the same passages and options: loading it costs a fraction of a rebuild (see `index-file.ts`).
   */
  constructor(
    interviews: readonly Interview[],
    passages: readonly Passage[],
    tokenizer: Tokenizer,
    options: QuoteIndexOptions & { indexFile?: string } = {},
  ) {
    this.passages = passages;
    this.interviews = new Map(interviews.map((interview) => [interview.id, interview]));
    this.tokenizer = tokenizer;
    this.ranking = { ...DEFAULT_RANKING, ...(options.quoteBoost !== undefined ? { quoteBoost: options.quoteBoost } : {}), ...options.ranking };
    this.synonyms = options.synonyms ?? new Map();
    this.priors = this.computePriors();
    const positions = new Map(passages.map((passage, i) => [passage.id, i]));
    const byParagraph = new Map<string, number[]>();
    passages.forEach((passage, i) => {
      const key = `${passage.interviewId}#${passage.paragraphIndex}`;
      const list = byParagraph.get(key);
      if (list) list.push(i);
      else byParagraph.set(key, [i]);
    });
    const lendsTo = new Map<number, { kind: 'answer' | 'setup'; targets: number[] }>();
    passages.forEach((passage, i) => {
      if (passage.answers.length > 0) {
        const found = passage.answers.slice(0, MAX_ANSWERS).flatMap((id) => (positions.has(id) ? [positions.get(id)!] : []));
        if (found.length > 0) lendsTo.set(i, { kind: 'answer', targets: found });
      } else if (passage.speakerId === null) {
        const paragraph = (offset: number) => byParagraph.get(`${passage.interviewId}#${passage.paragraphIndex + offset}`) ?? [];
        let next = paragraph(1).filter((j) => passages[j]!.speakerId !== null);
        // A one-line narrative bridge (「这可能出乎一些人的意料,仔细想想却在情理之中。」) between the scene
        // and the person's words does not end the scene.
        const bridge = paragraph(1);
        if (next.length === 0 && bridge.length === 1 && passages[bridge[0]!]!.speakerId === null && Array.from(passages[bridge[0]!]!.text).length <= BRIDGE_CHARS) {
          next = paragraph(2).filter((j) => passages[j]!.speakerId !== null);
        }
        if (next.length > 0) lendsTo.set(i, { kind: 'setup', targets: next });
        else if (endsWithQuestion(passage.text)) {
          // A story's own question (「明明大家都很努力,可究竟是哪里不对了呢?」) is answered by the narration
          // right after it (「他的结论是:主要责任在于自己。…」), as a host's question is by the guest's turn.
          const answer = paragraph(1).filter((j) => passages[j]!.speakerId === null && passages[j]!.section === passage.section);
          if (answer.length > 0) lendsTo.set(i, { kind: 'answer', targets: answer });
        }
      } else if (passage.part === 'host' || passage.part === 'audience') {
        // A host's remark right after a guest's words (「外包的过程当中或许是能够发现机会的。」) echoes them.
        const previous = (byParagraph.get(`${passage.interviewId}#${passage.paragraphIndex - 1}`) ?? []).filter((j) => passages[j]!.part === 'guest');
        if (previous.length > 0) lendsTo.set(i, { kind: 'setup', targets: previous });
      }
    });
    this.lendsTo = lendsTo;
    const lentBy = new Map<number, number>();
    for (const [source, { targets }] of lendsTo) for (const target of targets) if (!lentBy.has(target)) lentBy.set(target, source);
    this.lentBy = lentBy;
    this.boost = options.boost ?? DEFAULT_BOOST;
    const miniOptions = this.miniSearchOptions(this.boost);
    if (options.indexFile !== undefined) {
      this.miniSearch = readIndexFile<IndexedDocument>(options.indexFile, miniOptions);
      if (this.miniSearch.documentCount !== passages.length) {
        throw new IndexFileError(`Zhenyan index: ${options.indexFile} holds ${this.miniSearch.documentCount} passages, not ${passages.length}`);
      }
    } else {
      this.miniSearch = new MiniSearch<IndexedDocument>(miniOptions);
      this.miniSearch.addAll(passages.map((passage, id) => this.toDocument(passage, id)));
    }
  }

  /** The ranking weights in use. */
  get rankingWeights(): Readonly<RankingWeights> {
    return this.ranking;
  }

  /**
   * Changes the ranking weights without re-indexing (the weight search in `scripts/tune-ranking.ts`).
   * Searches after the call use the new weights.
   */
  setRanking(weights: Partial<RankingWeights>): void {
    this.ranking = { ...this.ranking, ...weights };
    this.priors = this.computePriors();
    this.lendFactors.clear();
    this.scorerCache = undefined;
  }

  /** The quotability prior of the passage at `position` (see {@link passagePrior}). */
  prior(position: number): number {
    return this.priors[position] ?? 1;
  }

  private computePriors(): Float32Array {
    const names = new Map<string, string[]>();
    for (const interview of this.interviews.values()) {
      names.set(interview.id, interview.speakers.flatMap((s) => [s.name, ...s.aliases]).filter((n) => n.length >= 2));
    }
    return Float32Array.from(this.passages, (passage) => passagePrior(passage, this.ranking, names.get(passage.interviewId) ?? []));
  }

  /** Writes the index to `path` for a later `new QuoteIndex(…, { indexFile: path })`. Returns its size in bytes. */
  save(path: string): number {
    return writeIndexFile(this.miniSearch as unknown as MiniSearch<unknown>, path);
  }

  /** The passage with this id, or undefined. */
  passage(id: string): Passage | undefined {
    if (!this.byId) this.byId = new Map(this.passages.map((passage) => [passage.id, passage]));
    return this.byId.get(id);
  }

  /** The question a passage answers, with who asked it (null for a question in narration), or null. */
  questionOf(passage: Passage): { passage: Passage; speaker: string | null } | null {
    if (passage.answersTo === null) return null;
    const question = this.passage(passage.answersTo);
    return question ? { passage: question, speaker: question.speakerName } : null;
  }

  /** A passage with its interview and speaker records, and the question it answers. */
  describe(passage: Passage): { passage: Passage; interview: InterviewMeta; speaker: Speaker | null; question: { passage: Passage; speaker: string | null } | null } {
    const interview = this.interviews.get(passage.interviewId)!;
    return { passage, interview, speaker: interview.speakers.find((s) => s.id === passage.speakerId) ?? null, question: this.questionOf(passage) };
  }

  /** The index as MiniSearch's own JSON (tests compare our scores with MiniSearch's on it). */
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

  /** Every person of the corpus (generic roles such as the audience or "an investor" left out). */
  people(): Array<{ speaker: Speaker; interviewIds: string[] }> {
    this.peopleCache ??= this.speakers().filter((entry) => speakerPart(entry.speaker) !== 'audience');
    return this.peopleCache.map((entry) => ({ speaker: entry.speaker, interviewIds: [...entry.interviewIds] }));
  }

  private peopleCache: Array<{ speaker: Speaker; interviewIds: string[] }> | undefined;

  /**
   * People whose name, alias or id matches what someone typed, best match first: the whole name, then a
   * name that starts with it, then a name with a word (`qi` in `Sun Qi`, `huang` in `Huang Dongxu`) or, for
   * Chinese, a part (`东旭`) that does. Case, width and Traditional/Simplified do not matter. Generic roles
   * (the audience, an investor) are never offered.
   *
   * @param typed - a partial or full name, alias or id.
   * @param limit - the most people returned. Default 25 (Discord's autocomplete limit).
   */
  findSpeakers(typed: string, limit = 25): Array<{ speaker: Speaker; interviewIds: string[] }> {
    const wanted = this.tokenizer.normalize(typed.trim());
    if (wanted.length === 0) return this.people().slice(0, limit);
    const han = /\p{Script=Han}/u.test(wanted);
    // One Latin letter names too many people to be a name.
    if (!han && wanted.length < 2) return [];
    const rankOf = (name: string): number => {
      const key = this.tokenizer.normalize(name);
      if (key === wanted) return 0;
      if (key.startsWith(wanted)) return 1;
      if (key.split(/[\s\-_.]+/u).some((word) => word.startsWith(wanted))) return 2;
      if (han && key.includes(wanted)) return 3;
      return Infinity;
    };
    return this.people()
      .map((entry) => ({ entry, rank: Math.min(...[entry.speaker.name, ...entry.speaker.aliases, entry.speaker.id].map(rankOf)) }))
      .filter((candidate) => candidate.rank < Infinity)
      .sort((a, b) => a.rank - b.rank)
      .slice(0, limit)
      .map((candidate) => candidate.entry);
  }

  /**
   * What a speaker filter selects: the speakers {@link QuoteIndex.resolveSpeaker} finds, or when the name is
   * not whole, the people {@link QuoteIndex.findSpeakers} finds (`huang`, `qi`, `季`).
   */
  matchSpeakers(typed: string): Array<{ interviewId: string; speaker: Speaker }> {
    const exact = this.resolveSpeaker(typed);
    if (exact.length > 0) return exact;
    return this.findSpeakers(typed).flatMap((entry) => entry.interviewIds.map((interviewId) => ({ interviewId, speaker: entry.speaker })));
  }

  /**
   * Speakers whose id, name or an alias equals `nameOrId` after normalisation (case, width,
   * Traditional/Simplified), as `interviewId → speakerId` pairs.
   */
  resolveSpeaker(nameOrId: string): Array<{ interviewId: string; speaker: Speaker }> {
    const wanted = this.tokenizer.normalize(nameOrId.trim());
    if (wanted.length === 0) return [];
    if (!this.speakerNames) {
      const names = new Map<string, Array<{ interviewId: string; speaker: Speaker }>>();
      for (const interview of this.interviews.values()) {
        for (const speaker of interview.speakers) {
          const keys = new Set([speaker.id, speaker.name, ...speaker.aliases].map((n) => this.tokenizer.normalize(n)));
          for (const key of keys) {
            const list = names.get(key);
            if (list) list.push({ interviewId: interview.id, speaker });
            else names.set(key, [{ interviewId: interview.id, speaker }]);
          }
        }
      }
      this.speakerNames = names;
    }
    return [...(this.speakerNames.get(wanted) ?? [])];
  }

  /** Searches the corpus. Never throws on user input: problems are reported in the response. */
  search(query: QuoteQuery): SearchResponse {
    const limit = Math.min(50, Math.max(1, Math.floor(query.limit ?? 5)));
    const { response, ranked, terms } = this.rank(query);
    if (ranked === null) return response;
    const hits = ranked.slice(0, limit).map((result) => this.toHit(result, terms));
    return { ...response, hits };
  }

  /**
   * The best passage of each speaker for the query (narration, questions and generic roles such as the
   * audience left out), best speaker first: a topic's different views side by side. A person who speaks in several
   * interviews counts once (by name).
   *
   * @param query - as for {@link QuoteIndex.search}; `limit` is the number of speakers (default 5, at most 50).
   */
  searchPerSpeaker(query: QuoteQuery): SearchResponse {
    const limit = Math.min(50, Math.max(1, Math.floor(query.limit ?? 5)));
    const { response, ranked, terms } = this.rank(query);
    if (ranked === null) return response;
    const seen = new Set<string>();
    const hits: SearchHit[] = [];
    for (const result of ranked) {
      const passage = this.passages[result.id]!;
      // A question is no view: a host's best passage that is not one stands for them.
      if (passage.speakerName === null || passage.part === 'audience' || passage.answers.length > 0 || seen.has(passage.speakerName)) continue;
      seen.add(passage.speakerName);
      hits.push(this.toHit(result, terms));
      if (hits.length === limit) break;
    }
    return { ...response, hits };
  }

  private toHit(result: Ranked, terms: string[]): SearchHit {
    const passage = this.passages[result.id]!;
    const matched = this.scorer().matchedTerms(result.doc, terms, this.synonyms);
    return {
      ...this.describe(passage),
      score: result.score,
      matchedTerms: matched,
      highlights: findHighlights(passage.text, matched, this.tokenizer.normalize, this.normalizedText(result.id), foldLatinTerm),
    };
  }

  /**
   * The ranking behind {@link QuoteIndex.search}, best first, up to {@link RERANK_DEPTH} × tiers:
   * 1. every query term as typed (AND);
   * 2. when that finds fewer than {@link ENOUGH_HITS}: the same with curated synonyms, then with jieba's
   *    search-mode pieces of the query (卖房子 → 卖房, 房子); each tier's hits come after the previous tier's,
   *    so a synonym or a piece never outranks a match of the words as typed;
   * 3. when nothing has every word: every topical word (question words and lone characters left out),
   *    then any word (OR), then any piece;
   * 4. within the best results, a question lends its score to the answers that follow it (see
   *    {@link RankingWeights.answerWeight}), so the answer ranks above its echo.
   */
  private rank(query: QuoteQuery): { response: SearchResponse; ranked: Ranked[] | null; terms: string[] } {
    const trimmed = query.text.trim();
    const chars = Array.from(trimmed);
    const truncated = chars.length > MAX_QUERY_CHARS;
    const text = truncated ? chars.slice(0, MAX_QUERY_CHARS).join('') : trimmed;
    const response = (partial: Partial<SearchResponse>): SearchResponse => ({
      query: text,
      terms: [],
      hits: [],
      problem: null,
      truncated,
      suggestions: [],
      ...partial,
    });
    const none = (partial: Partial<SearchResponse>, terms: string[] = []) => ({ response: response(partial), ranked: null, terms });

    const filter = this.buildFilter(query);
    if ('problem' in filter) return none({ problem: filter.problem, suggestions: filter.suggestions });
    if (text.length === 0) return none({ problem: 'empty' });
    const terms = this.tokenizer.tokenizeQuery(text).flatMap((term) => this.splitJoinedWord(term));
    if (terms.length === 0) return none({ problem: 'no-terms' });

    let ranked = this.rankTerms(text, terms, filter);
    // A person named in the query (「老季 卖房」, 「sun qi 布道师」) is who said it: their passages on the other
    // words come first, then everything else. Generic roles (the audience, an investor) are no person.
    const named =
      this.ranking.namedSpeakerFirst && terms.length <= MAX_LOOSE_TERMS && (query.speaker === undefined || query.speaker.trim() === '') ? this.namedSpeaker(terms) : null;
    if (named !== null) {
      const byThem = this.buildFilter({ text: '', speaker: named.name, source: query.source });
      if (!('problem' in byThem)) {
        const own = this.rankTerms(text, named.rest, byThem);
        if (own.length > 0) ranked = this.mergeTiers([own, ranked]);
      }
    }
    if (ranked.length === 0) return none({ terms, suggestions: this.suggest(terms, filter.accept) }, terms);
    // Highlights also mark the pieces and synonyms a lower tier matched.
    const pieces = this.ranking.subwordFallback ? this.subwordPieces(terms) : null;
    return { response: response({ terms }), ranked, terms: pieces ? [...new Set([...terms, ...pieces])] : terms };
  }

  /** The tiers of {@link QuoteIndex.rank} for one filter, answers promoted; `ranked.tier` starts at 0. */
  private rankTerms(text: string, terms: string[], filter: Exclude<ReturnType<QuoteIndex['buildFilter']>, { problem: QueryProblem }>): Ranked[] {
    const scorer = this.scorer();
    const search = (searchTerms: string[], mode: 'AND' | 'OR', synonyms: ReadonlyMap<string, readonly string[]> | null) =>
      this.rerankByPhrase(scorer.search(searchTerms, mode, filter.acceptIndex, RERANK_DEPTH, filter.candidates, synonyms), text, searchTerms);

    // Tier 0: the words as typed.
    const tiers: Scored[][] = [search(terms, 'AND', null)];
    let found = tiers[0]!.length;
    // A query of several words that some passage matches word for word is specific: looser tiers would
    // only add noise below it (and cost time). One or two words get their hits filled up to ENOUGH_HITS.
    const enough = found > 0 && terms.length > MAX_FILLED_TERMS ? found : ENOUGH_HITS;
    const useSynonyms = this.ranking.synonymWeight > 0 && terms.some((term) => this.synonyms.has(term));
    if (found < enough && useSynonyms) {
      tiers.push(search(terms, 'AND', this.synonyms));
      found += tiers[tiers.length - 1]!.length;
    }
    let pieces: string[] | null = null;
    if (found < enough && this.ranking.subwordFallback) {
      pieces = this.subwordPieces(terms);
      if (pieces !== null) {
        tiers.push(search(pieces, 'AND', useSynonyms ? this.synonyms : null));
        found += tiers[tiers.length - 1]!.length;
      }
    }
    // Nothing has every word: first every word that carries the topic, without the question's scaffolding
    // (谁, 为什么, a lone character such as 投 in 谁投的: 「ZStack的天使投资是谁投的」 → ZStack, 天使投资), ranked
    // by the whole query; only then any word at all.
    if (found === 0 && this.ranking.topicalFirst) {
      const topical = terms.filter((term) => !isScaffolding(term));
      if (topical.length > 0 && topical.length < terms.length) {
        const synonyms = useSynonyms ? this.synonyms : null;
        const members = scorer.search(topical, 'AND', filter.acceptIndex, RERANK_DEPTH, filter.candidates, synonyms);
        if (members.length > 0) {
          const ids = new Set(members.map((member) => member.id));
          tiers.push(this.rerankByPhrase(scorer.search(terms, 'OR', (id) => ids.has(id), RERANK_DEPTH, [...ids], synonyms), text, terms));
          found += members.length;
        }
      }
    }
    // Nothing has every word: any of the words as typed, then (still nothing) any piece.
    if (found === 0 && terms.length > 1) {
      tiers.push(search(terms, 'OR', useSynonyms ? this.synonyms : null));
      found += tiers[tiers.length - 1]!.length;
    }
    if (found === 0 && pieces !== null && pieces.length > 1) tiers.push(search(pieces, 'OR', useSynonyms ? this.synonyms : null));
    return this.promoteAnswers(this.mergeTiers(tiers), pieces ?? terms, filter.acceptIndex);
  }

  /**
   * The person a query names, when a query term (or two adjacent Latin terms: `sun qi`) is exactly a
   * speaker's name or alias and other terms remain; null otherwise.
   */
  private namedSpeaker(terms: string[]): { name: string; rest: string[] } | null {
    if (terms.length < 2) return null;
    const isPerson = (name: string): boolean => {
      const matches = this.resolveSpeaker(name);
      return matches.length > 0 && matches.every((m) => speakerPart(m.speaker) !== 'audience');
    };
    for (let i = 0; i < terms.length; i++) {
      if (i + 1 < terms.length && isLatinTerm(terms[i]!) && isLatinTerm(terms[i + 1]!)) {
        const pair = `${terms[i]} ${terms[i + 1]}`;
        if (terms.length > 2 && isPerson(pair)) return { name: pair, rest: terms.filter((_, j) => j !== i && j !== i + 1) };
      }
      if (!isLatinTerm(terms[i]!) && isPerson(terms[i]!)) return { name: terms[i]!, rest: terms.filter((_, j) => j !== i) };
    }
    return null;
  }

  /** Tier after tier, each passage once (in its first tier). */
  private mergeTiers(tiers: Scored[][]): Ranked[] {
    if (tiers.length === 1) return tiers[0]!.map((result) => ({ ...result, tier: 0 }));
    const seen = new Set<number>();
    const out: Ranked[] = [];
    tiers.forEach((results, tier) => {
      for (const result of results) {
        if (seen.has(result.id)) continue;
        seen.add(result.id);
        out.push({ ...result, tier });
      }
    });
    return out;
  }

  /**
   * The query relaxed into jieba's search-mode pieces, term by term: a term with indexed pieces stands for
   * them (先决条件 → 先决, 条件; 卖房子 → 卖房, 房子), a term that is no index term and has no indexed piece is
   * dropped (nobody said it: 資料庫's Taiwan-table twin 数据库 stays). Null when that changes nothing.
   */
  private subwordPieces(terms: string[]): string[] | null {
    const out = new Set<string>();
    for (const term of terms) {
      let pieces = this.piecesOf.get(term);
      if (pieces === undefined) {
        if (this.piecesOf.size > 1024) this.piecesOf.clear();
        pieces = this.tokenizer.tokenizeForIndex(term).filter((piece) => piece !== term && this.isIndexed(piece));
        this.piecesOf.set(term, pieces);
      }
      if (pieces.length > 0) for (const piece of pieces) out.add(piece);
      // A word the passages never hold but the synonym file knows (积蓄 → 财富积累) stays: its synonyms find it.
      else if (this.isIndexed(term) || this.synonyms.has(term)) out.add(term);
      else if (isLatinTerm(term)) out.add(latinStem(term));
      else {
        // A Chinese word the query cut whole but the passages never did (真有: they hold 真 and 有): its
        // indexed single characters stand for it.
        for (const char of Array.from(term)) if (HAN_CHAR.test(char) && this.isIndexed(char)) out.add(char);
      }
    }
    const relaxed = [...out];
    if (relaxed.length === 0 || (relaxed.length === terms.length && relaxed.every((piece, i) => piece === terms[i]))) return null;
    return relaxed;
  }

  /**
   * A question among the best results lends `answerWeight` × its score to each of its answers (added to the
   * answer's own score), so that the answer which follows the question outranks it; answers keep the better
   * tier of the two. Then everything is sorted by tier, then score.
   */
  private promoteAnswers(ranked: Ranked[], terms: string[], accept: ((index: number) => boolean) | null): Ranked[] {
    const weight = this.ranking.answerWeight;
    const setupWeight = this.ranking.setupWeight;
    if ((weight <= 0 && setupWeight <= 0) || this.lendsTo.size === 0) return ranked;
    let byId: Map<number, Ranked> | undefined;
    const extra: Ranked[] = [];
    let changed = false;
    const questions = ranked.slice(0, QUESTION_DEPTH);
    const topicalTerms = terms.filter((term) => !QUESTION_WORDS.has(term));
    const topical = topicalTerms.length > 0 && topicalTerms.length < terms.length ? topicalTerms : null;
    for (const question of questions) {
      const lends = this.lendsTo.get(question.id);
      if (lends === undefined) continue;
      const answers = lends.targets;
      const share = lends.kind === 'answer' ? weight : setupWeight;
      if (share <= 0) continue;
      byId ??= new Map(ranked.map((result) => [result.id, result]));
      // What the question lends is its match on the topic: a question that shares only the query's
      // scaffolding (为什么…?) is not the one the reader asks.
      if (topical !== null && !((this.scorer().scoreDocument(topical, question.id)?.score ?? 0) > 0)) continue;
      const match = (question.score / (this.priors[question.id] || 1)) * this.lendFactor(question.id);
      const shares = this.answerShares(answers);
      for (let k = 0; k < answers.length; k++) {
        const answer = answers[k]!;
        if (accept !== null && !accept(answer)) continue;
        const lent = share * match * shares[k]!;
        const existing = byId.get(answer);
        if (existing !== undefined) {
          existing.score += lent;
          existing.tier = Math.min(existing.tier, question.tier);
        } else {
          const own = this.scorer().scoreDocument(terms, answer);
          if (own === null) continue;
          const added: Ranked = { doc: own.doc, id: answer, score: own.score + lent, tier: question.tier };
          byId.set(answer, added);
          extra.push(added);
        }
        changed = true;
      }
    }
    if (accept !== null) {
      // A speaker filter hides the question (「老季 先决条件」: 刘超 asked it); its answers still inherit it.
      for (const result of ranked.slice(0, QUESTION_DEPTH)) {
        const source = this.lentBy.get(result.id);
        if (source === undefined || accept(source)) continue;
        const lends = this.lendsTo.get(source)!;
        const share = lends.kind === 'answer' ? weight : setupWeight;
        const question = share > 0 ? this.scorer().scoreDocument(terms, source) : null;
        if (question === null || question.score <= 0) continue;
        const shares = this.answerShares(lends.targets);
        result.score += ((share * question.score * shares[lends.targets.indexOf(result.id)]!) / (this.priors[source] || 1)) * this.lendFactor(source);
        changed = true;
      }
    }
    if (!changed) return ranked;
    const all = [...ranked, ...extra];
    all.sort((a, b) => a.tier - b.tier || b.score - a.score || a.id - b.id);
    return all;
  }

  /**
   * How much of its match a question (or a scene) lends: its prior is undone (a host's question is
   * demoted as a quote, not as a question), except for its procedural filler. A host's 「好的,谢谢两位嘉宾的
   * 回答。希望…融资…」 mentions the topic in passing and lends it as little as it ranks with it.
   */
  private lendFactor(id: number): number {
    let factor = this.lendFactors.get(id);
    if (factor === undefined) {
      factor = 1 - (1 - this.ranking.fillerFactor) * fillerShare(this.passages[id]!.text);
      this.lendFactors.set(id, factor);
    }
    return factor;
  }

  /**
   * The share of a question's (or a scene's) lent score each of its targets gets: `answerDecay` per
   * paragraph after the first, times the target's substance (see {@link RankingWeights.answerSubstanceChars}),
   * scaled so the best target gets 1.
   */
  private answerShares(targets: readonly number[]): number[] {
    const decay = this.ranking.answerDecay;
    const substance = this.ranking.answerSubstanceChars;
    const first = this.passages[targets[0]!]!.paragraphIndex;
    const raw = targets.map((id) => {
      const passage = this.passages[id]!;
      const size = substance > 0 ? Math.min(1, passage.text.length / substance) : 1;
      return decay ** (passage.paragraphIndex - first) * size;
    });
    const best = Math.max(...raw);
    return best > 0 ? raw.map((value) => value / best) : raw;
  }

  /**
   * BM25 ignores word order. Among the best results, a passage that holds the query as written
   * (卖房创业 as one run, not 卖房 here and 创业 there) or adjacent query terms side by side is
   * what a person means, so it moves up.
   */
  private rerankByPhrase<T extends { id: unknown; score: number }>(results: T[], text: string, terms: string[]): T[] {
    const phrase = this.tokenizer.normalize(text).replace(/[\s\p{P}\p{S}]+/gu, '');
    // One term can still come with words around it (你的商业模式是什么): the query as written is evidence.
    if (terms.length < 2 && phrase === terms[0]) return results;
    const pairs = terms.slice(1).map((term, i) => `${terms[i]}${term}`);
    const phraseFactor = 1 + PHRASE_BOOST_PER_CHAR * Math.min(Array.from(phrase).length, PHRASE_MAX_CHARS);
    const head = results.slice(0, RERANK_DEPTH).map((result) => {
      const passageText = this.normalizedText(result.id as number);
      let factor = 1;
      if (phrase.length >= 2 && passageText.includes(phrase)) factor *= phraseFactor;
      for (const pair of pairs) if (passageText.includes(pair)) factor *= PAIR_BOOST;
      return { ...result, score: result.score * factor };
    });
    head.sort((a, b) => b.score - a.score);
    return [...head, ...results.slice(RERANK_DEPTH)];
  }

  /**
   * Two English words typed without the space (`migrationcost`, `prestoflink`) are no index term, and
   * fuzzy matching cannot repair them. When the term is not indexed but splits into two indexed words,
   * search for both (`migration cost`). Only letters-only terms of 6+ letters; the most balanced split wins.
   */
  private splitJoinedWord(term: string): string[] {
    if (term.length < 6 || !/^[a-z]+$/u.test(term) || this.isIndexed(term)) return [term];
    let best: string[] | null = null;
    let bestShorter = 0;
    for (let at = 3; at <= term.length - 3; at++) {
      // The index holds folded forms (migration → migrat), so each side is folded like a typed word.
      const left = foldLatinTerm(term.slice(0, at));
      const right = foldLatinTerm(term.slice(at));
      const shorter = Math.min(left.length, right.length);
      if (shorter > bestShorter && this.isIndexed(left) && this.isIndexed(right)) {
        best = [left, right];
        bestShorter = shorter;
      }
    }
    return best ?? [term];
  }

  /** True when `term` is an index term as it stands. */
  private isIndexed(term: string): boolean {
    return (this.miniSearch as unknown as MiniSearchInternals)._index.get(term) !== undefined;
  }

  /** A passage's normalised text, cached (bounded) because re-ranking asks for the same hot passages. */
  private normalizedText(id: number): string {
    let text = this.normalizedCache.get(id);
    if (text === undefined) {
      text = this.tokenizer.normalize(this.passages[id]!.text);
      if (this.normalizedCache.size >= NORMALIZED_CACHE_SIZE) this.normalizedCache.delete(this.normalizedCache.keys().next().value as number);
      this.normalizedCache.set(id, text);
    }
    return text;
  }

  private buildFilter(
    query: QuoteQuery,
  ):
    | {
        accept: ((passage: Passage) => boolean) | null;
        acceptIndex: ((index: number) => boolean) | null;
        /** Every passage the filter accepts, when it is one speaker's (small) set. */
        candidates: number[] | null;
      }
    | { problem: QueryProblem; suggestions: string[] } {
    const tests: Array<(passage: Passage) => boolean> = [];
    const indexTests: Array<(index: number) => boolean> = [];
    let candidates: number[] | null = null;
    if (query.speaker !== undefined && query.speaker.trim().length > 0) {
      const matches = this.matchSpeakers(query.speaker);
      if (matches.length === 0) {
        return { problem: 'unknown-speaker', suggestions: this.people().map((entry) => entry.speaker.name) };
      }
      const keys = new Set(matches.map((m) => `${m.interviewId}\u0000${m.speaker.id}`));
      tests.push((passage) => keys.has(`${passage.interviewId}\u0000${passage.speakerId ?? ''}`));
      const { keyIds, speakerKeyOf, passagesOfKey } = this.passageKeys();
      const wanted = new Set<number>();
      candidates = [];
      for (const key of keys) {
        const id = keyIds.get(key);
        if (id !== undefined) {
          wanted.add(id);
          candidates.push(...passagesOfKey[id]!);
        }
      }
      candidates.sort((a, b) => a - b);
      indexTests.push((index) => wanted.has(speakerKeyOf[index]!));
    }
    if (query.source !== undefined && query.source.trim().length > 0) {
      const source = query.source.trim();
      if (!this.interviews.has(source)) {
        return { problem: 'unknown-source', suggestions: [...this.interviews.keys()] };
      }
      tests.push((passage) => passage.interviewId === source);
      indexTests.push((index) => this.passages[index]!.interviewId === source);
      if (candidates !== null) candidates = candidates.filter((index) => this.passages[index]!.interviewId === source);
    }
    if (tests.length === 0) return { accept: null, acceptIndex: null, candidates: null };
    return {
      candidates,
      accept: (passage) => tests.every((test) => test(passage)),
      acceptIndex: indexTests.length === 1 ? indexTests[0]! : (index) => indexTests.every((test) => test(index)),
    };
  }

  /** Per passage, a number for its (interview, speaker) pair: speaker filters test numbers, not strings. */
  private passageKeys(): { keyIds: Map<string, number>; speakerKeyOf: Int32Array; passagesOfKey: number[][] } {
    if (!this.keys) {
      const keyIds = new Map<string, number>();
      const speakerKeyOf = new Int32Array(this.passages.length);
      const passagesOfKey: number[][] = [];
      this.passages.forEach((passage, i) => {
        const key = `${passage.interviewId}\u0000${passage.speakerId ?? ''}`;
        let id = keyIds.get(key);
        if (id === undefined) {
          keyIds.set(key, (id = keyIds.size));
          passagesOfKey.push([]);
        }
        speakerKeyOf[i] = id;
        passagesOfKey[id]!.push(i);
      });
      this.keys = { keyIds, speakerKeyOf, passagesOfKey };
    }
    return this.keys;
  }

  /** The BM25 scorer over the current MiniSearch index (built on first use). */
  private scorer(): Scorer {
    if (!this.scorerCache || this.scorerCache.miniSearch !== this.miniSearch) {
      this.scorerCache = { miniSearch: this.miniSearch, scorer: new Scorer(this.miniSearch, this.miniSearchOptions(this.boost), this.priors, this.ranking.synonymWeight) };
    }
    return this.scorerCache.scorer;
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
      // Two edits cover real typos; more makes the walk over the term tree slow and the guesses wild.
      maxFuzzy: 2,
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
      // The company too: a founder's 「我们」 is their company (UCloud 上市 → 季昕华's 「我们在2020年…上市」).
      speaker: speaker ? [speaker.name, ...speaker.aliases, speaker.company ?? ''].join(' ') : '',
      title: interview?.title ?? '',
      section: passage.section ?? '',
    };
  }

  private miniSearchOptions(boost: Record<string, number>): MiniSearchOptions<IndexedDocument> {
    return {
      fields: FIELDS,
      storeFields: [],
      tokenize: (text) => this.tokenizer.tokenizeForIndex(text),
      processTerm: (term) => term,
      searchOptions: {
        boost,
        bm25: { k: 1.2, b: 0.7, d: 0.5 },
        // Prefix and fuzzy only help Latin words (invest → investor, kubernets → kubernetes);
        // on Chinese terms they add dozens of unrelated terms. Fuzzy is for typos: a term that is in
        // the index as typed skips it (the edit-distance walk is the slowest part of a Latin query).
        prefix: (term) => isLatinTerm(term) && term.length >= 4,
        fuzzy: (term) => (isLatinTerm(term) && term.length >= 6 && !this.isIndexed(term) ? 0.2 : false),
        weights: { fuzzy: 0.3, prefix: 0.6 },
        boostDocument: (id) => this.priors[id as number] ?? 1,
      },
    };
  }
}

/** English suffixes a word form may add to its stem (containerize → container…, hiring → hir…). */
const LATIN_SUFFIX = /(?:ization|isation|ations?|izing|ising|ized|ised|izes|ises|ize|ise|ments?|ness|ings?|ed|ers?|ly)$/u;

/**
 * A rough English stem for a word that is not in the index as typed: the word without a common suffix, when
 * at least four letters remain; the scorer's prefix matching then finds the other forms. Hand-written:
 * a full stemmer (Porter) would also have to stem the index, which would change every Latin score.
 */
export function latinStem(term: string): string {
  if (!/^[a-z]+$/u.test(term)) return term;
  const stem = term.replace(LATIN_SUFFIX, '');
  return stem.length >= 4 && stem !== term ? stem : term;
}

/** MiniSearch's posting lists: field id → (short document id → term frequency). */
type TermData = Map<number, Map<number, number>>;

/**
 * The parts of MiniSearch's state the scorer reads (MiniSearch 7.2; see node_modules/minisearch). These are
 * private fields: package.json pins minisearch to an exact version, and test/search-scorer.test.ts checks our
 * scores against MiniSearch's own, so an upgrade that changes them fails loudly.
 */
interface MiniSearchInternals {
  _index: {
    get(term: string): TermData | undefined;
    atPrefix(prefix: string): Iterable<[string, TermData]>;
    fuzzyGet(term: string, maxDistance: number): Map<string, [TermData, number]>;
  };
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _documentCount: number;
  _documentIds: Map<number, unknown>;
  _nextId: number;
  _fieldIds: Record<string, number>;
}

/** A query term and the index terms it stands for (itself, and for Latin terms prefix and fuzzy matches). */
interface TermSpec {
  derived: Array<{ term: string; weight: number; data: TermData }>;
  /** Total postings over every derived term and field: the cost of walking them. */
  postings: number;
}

/** One scored document: MiniSearch's short id, the passage position, the score. */
interface Scored {
  doc: number;
  id: number;
  score: number;
}

/** A scored document and the tier that found it (0: the words as typed; see QuoteIndex.rank). */
interface Ranked extends Scored {
  tier: number;
}

/**
 * BM25 over MiniSearch's inverted index, with the same formula, weights and summation order as
 * `MiniSearch.search` (so the scores are the same), but built for large corpora:
 * - scores live in typed arrays, not in one object per matching document;
 * - AND walks only the posting lists of the rarest query term and looks the other terms up for those
 *   candidates, instead of scoring every document that has any term;
 * - only the best `depth` results are kept (a bounded insertion into a sorted array), not sorted in full.
 */
class Scorer {
  private readonly index: MiniSearchInternals['_index'];
  private readonly documentCount: number;
  /** Short id → passage position (−1 for removed ids), and back. */
  private readonly ids: Int32Array;
  private readonly shortIds: Int32Array;
  /** Per field id: short id → field length in terms. */
  private readonly lengths: Uint32Array[];
  /** Short id → document boost (passage prior). */
  private readonly docBoost: Float64Array;
  private readonly fields: Array<{ id: number; boost: number; avg: number }>;
  private readonly bm25: { k: number; b: number; d: number };
  private readonly weights: { fuzzy: number; prefix: number };
  private readonly prefix: (term: string) => boolean;
  private readonly fuzzy: (term: string) => number | false;
  /** Per-term score, and whether the current term touched the document. */
  private readonly acc: Float64Array;
  private readonly seen: Uint8Array;
  /** OR: sum of term scores and number of query terms matched. */
  private readonly total: Float64Array;
  private readonly matched: Uint16Array;

  /** Weight of a synonym relative to the term as typed. */
  private readonly synonymWeight: number;

  constructor(miniSearch: MiniSearch<IndexedDocument>, options: MiniSearchOptions<IndexedDocument>, priors: Float32Array, synonymWeight = 0) {
    this.synonymWeight = synonymWeight;
    const internals = miniSearch as unknown as MiniSearchInternals;
    const search = options.searchOptions!;
    this.index = internals._index;
    this.documentCount = internals._documentCount;
    const size = internals._nextId;
    this.ids = new Int32Array(size).fill(-1);
    for (const [shortId, id] of internals._documentIds) this.ids[shortId] = id as number;
    this.shortIds = new Int32Array(priors.length).fill(-1);
    for (let shortId = 0; shortId < size; shortId++) if (this.ids[shortId]! >= 0) this.shortIds[this.ids[shortId]!] = shortId;
    const fieldIds = internals._fieldIds;
    const boost = search.boost ?? {};
    this.fields = options.fields.map((field) => ({
      id: fieldIds[field]!,
      boost: boost[field] || 1,
      avg: internals._avgFieldLength[fieldIds[field]!]!,
    }));
    const maxField = Math.max(...Object.values(fieldIds)) + 1;
    this.lengths = Array.from({ length: maxField }, () => new Uint32Array(size));
    for (const [shortId, lengths] of internals._fieldLength) {
      for (let f = 0; f < lengths.length; f++) this.lengths[f]![shortId] = lengths[f] ?? 0;
    }
    this.docBoost = new Float64Array(size);
    for (let shortId = 0; shortId < size; shortId++) {
      const id = this.ids[shortId]!;
      this.docBoost[shortId] = id >= 0 ? (priors[id] ?? 1) : 0;
    }
    this.bm25 = search.bm25 as { k: number; b: number; d: number };
    this.weights = search.weights as { fuzzy: number; prefix: number };
    this.prefix = search.prefix as (term: string) => boolean;
    this.fuzzy = search.fuzzy as (term: string) => number | false;
    this.acc = new Float64Array(size);
    this.seen = new Uint8Array(size);
    this.total = new Float64Array(size);
    this.matched = new Uint16Array(size);
  }

  /** Expansions of the last query's terms (the hits' matched terms need them again). */
  private expanded = new Map<string, TermSpec>();

  /**
   * The index terms a query term stands for, as `MiniSearch.executeQuerySpec` expands it; with `synonyms`,
   * also the term's curated synonyms at the synonym weight.
   */
  private expand(term: string, synonyms: ReadonlyMap<string, readonly string[]> | null = null): TermSpec {
    const alternatives = synonyms?.get(term);
    const key = alternatives ? `${term}\u0001` : term;
    let spec = this.expanded.get(key);
    if (spec === undefined) {
      if (this.expanded.size > 256) this.expanded.clear();
      spec = this.expandUncached(term);
      if (alternatives) spec = this.withSynonyms(spec, term, alternatives);
      this.expanded.set(key, spec);
    }
    return spec;
  }

  private withSynonyms(spec: TermSpec, term: string, alternatives: readonly string[]): TermSpec {
    const derived = [...spec.derived];
    let postings = spec.postings;
    for (const alternative of alternatives) {
      const data = this.index.get(alternative);
      if (data === undefined || alternative === term || derived.some((d) => d.term === alternative)) continue;
      derived.push({ term: alternative, weight: this.synonymWeight, data });
      for (const field of this.fields) postings += data.get(field.id)?.size ?? 0;
    }
    return { derived, postings };
  }

  private expandUncached(term: string): TermSpec {
    const derived: TermSpec['derived'] = [];
    const exact = this.index.get(term);
    if (exact) derived.push({ term, weight: 1, data: exact });
    const fuzzy = this.fuzzy(term);
    let fuzzyMatches: Map<string, [TermData, number]> | undefined;
    if (fuzzy !== false) {
      const maxDistance = fuzzy < 1 ? Math.min(6, Math.round(term.length * fuzzy)) : fuzzy;
      if (maxDistance) fuzzyMatches = this.index.fuzzyGet(term, maxDistance);
    }
    if (this.prefix(term)) {
      for (const [match, data] of this.index.atPrefix(term)) {
        const distance = match.length - term.length;
        if (!distance) continue;
        fuzzyMatches?.delete(match);
        derived.push({ term: match, weight: (this.weights.prefix * match.length) / (match.length + 0.3 * distance), data });
      }
    }
    if (fuzzyMatches) {
      for (const [match, [data, distance]] of fuzzyMatches) {
        if (!distance) continue;
        derived.push({ term: match, weight: (this.weights.fuzzy * match.length) / (match.length + distance), data });
      }
    }
    let postings = 0;
    for (const d of derived) for (const field of this.fields) postings += d.data.get(field.id)?.size ?? 0;
    return { derived, postings };
  }

  /** Adds a term's score to `acc` for every document that has it; returns the documents touched. */
  private walk(spec: TermSpec, touched: number[]): void {
    const { k, b, d } = this.bm25;
    const { acc, seen, docBoost, ids, documentCount } = this;
    for (const derived of spec.derived) {
      for (const field of this.fields) {
        const postings = derived.data.get(field.id);
        if (postings === undefined) continue;
        const df = postings.size;
        const idf = Math.log(1 + (documentCount - df + 0.5) / (df + 0.5));
        const lengths = this.lengths[field.id]!;
        const factor = derived.weight * 1 * field.boost;
        for (const [doc, tf] of postings) {
          if (ids[doc]! < 0) continue;
          const raw = idf * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * lengths[doc]!) / field.avg)));
          if (seen[doc] === 0) {
            seen[doc] = 1;
            touched.push(doc);
            acc[doc] = factor * docBoost[doc]! * raw;
          } else acc[doc]! += factor * docBoost[doc]! * raw;
        }
      }
    }
  }

  /** A term's score for one document, or −1 when the document does not have it. */
  private scoreOne(spec: TermSpec, doc: number): number {
    const { k, b, d } = this.bm25;
    let score = -1;
    for (const derived of spec.derived) {
      for (const field of this.fields) {
        const postings = derived.data.get(field.id);
        const tf = postings?.get(doc);
        if (tf === undefined) continue;
        const df = postings!.size;
        const idf = Math.log(1 + (this.documentCount - df + 0.5) / (df + 0.5));
        const raw = idf * (d + (tf * (k + 1)) / (tf + k * (1 - b + (b * this.lengths[field.id]![doc]!) / field.avg)));
        const weighted = derived.weight * 1 * field.boost * this.docBoost[doc]! * raw;
        score = score < 0 ? weighted : score + weighted;
      }
    }
    return score;
  }

  /**
   * The best `depth` documents for `terms` (every term with AND, any with OR), best first; scores are
   * MiniSearch's (sum of term scores × number of query terms matched).
   */
  search(
    terms: string[],
    mode: 'AND' | 'OR',
    accept: ((index: number) => boolean) | null,
    depth: number,
    candidates: readonly number[] | null = null,
    synonyms: ReadonlyMap<string, readonly string[]> | null = null,
  ): Scored[] {
    const specs = terms.map((term) => this.expand(term, synonyms));
    const top = new TopK(depth);
    if (candidates !== null && (mode === 'OR' || specs.every((spec) => spec.derived.length > 0))) {
      // A selective filter (one speaker): score its passages directly instead of walking posting lists.
      const walkCost = mode === 'AND' ? Math.min(...specs.map((spec) => spec.postings)) : specs.reduce((sum, spec) => sum + spec.postings, 0);
      if (candidates.length * specs.length * 2 < walkCost) {
        for (const id of candidates) {
          const doc = this.shortIds[id]!;
          if (doc < 0) continue;
          let total = 0;
          let matched = 0;
          for (const spec of specs) {
            const score = this.scoreOne(spec, doc);
            if (score < 0) {
              if (mode === 'AND') {
                matched = 0;
                break;
              }
              continue;
            }
            total = matched === 0 ? score : total + score;
            matched++;
          }
          if (matched > 0) top.offer(doc, id, total * matched);
        }
        return top.sorted();
      }
    }
    if (mode === 'AND') {
      if (specs.some((spec) => spec.derived.length === 0)) return [];
      let rarest = 0;
      specs.forEach((spec, i) => {
        if (spec.postings < specs[rarest]!.postings) rarest = i;
      });
      const candidates: number[] = [];
      this.walk(specs[rarest]!, candidates);
      const scores = new Float64Array(specs.length);
      for (const doc of candidates) {
        const id = this.ids[doc]!;
        let keep = accept === null || accept(id);
        for (let t = 0; keep && t < specs.length; t++) {
          const score = t === rarest ? this.acc[doc]! : this.scoreOne(specs[t]!, doc);
          if (score < 0) keep = false;
          else scores[t] = score;
        }
        if (keep) {
          let total = scores[0]!;
          for (let t = 1; t < specs.length; t++) total += scores[t]!;
          top.offer(doc, id, total * specs.length);
        }
        this.seen[doc] = 0;
      }
      return top.sorted();
    }
    // OR: every term's documents, term after term in query order (MiniSearch's order of sums).
    const all: number[] = [];
    const touched: number[] = [];
    for (const spec of specs) {
      touched.length = 0;
      this.walk(spec, touched);
      for (const doc of touched) {
        this.seen[doc] = 0;
        if (this.matched[doc] === 0) {
          all.push(doc);
          this.total[doc] = this.acc[doc]!;
        } else this.total[doc]! += this.acc[doc]!;
        this.matched[doc]! += 1;
      }
    }
    for (const doc of all) {
      const id = this.ids[doc]!;
      if (accept === null || accept(id)) top.offer(doc, id, this.total[doc]! * this.matched[doc]!);
      this.matched[doc] = 0;
    }
    return top.sorted();
  }

  /**
   * One passage's score for `terms` as the OR search would give it (sum of term scores × number of terms
   * matched), or null when it has none of them.
   */
  scoreDocument(terms: string[], id: number): { doc: number; score: number } | null {
    const doc = this.shortIds[id] ?? -1;
    if (doc < 0) return null;
    let total = 0;
    let matched = 0;
    for (const term of terms) {
      const score = this.scoreOne(this.expand(term), doc);
      if (score < 0) continue;
      total += score;
      matched++;
    }
    return { doc, score: total * matched };
  }

  /** The index terms of `terms` (with their prefix, fuzzy and synonym expansions) that a document contains. */
  matchedTerms(doc: number, terms: string[], synonyms: ReadonlyMap<string, readonly string[]> | null = null): string[] {
    const out: string[] = [];
    for (const term of terms) {
      for (const derived of this.expand(term, synonyms).derived) {
        if (out.includes(derived.term)) continue;
        for (const field of this.fields) {
          if (derived.data.get(field.id)?.has(doc)) {
            out.push(derived.term);
            break;
          }
        }
      }
    }
    return out;
  }
}

/** The best k of a stream of scored documents: higher score first, lower passage position on ties. */
class TopK {
  private readonly items: Scored[] = [];
  constructor(private readonly k: number) {}

  offer(doc: number, id: number, score: number): void {
    const items = this.items;
    if (items.length === this.k) {
      const last = items[items.length - 1]!;
      if (score < last.score || (score === last.score && id > last.id)) return;
    }
    let lo = 0;
    let hi = items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = items[mid]!;
      if (other.score > score || (other.score === score && other.id < id)) lo = mid + 1;
      else hi = mid;
    }
    items.splice(lo, 0, { doc, id, score });
    if (items.length > this.k) items.pop();
  }

  sorted(): Scored[] {
    return this.items;
  }
}
