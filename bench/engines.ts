/**
 * The three engines the benchmark compares, behind one interface: Zhenyan's QuoteIndex (MiniSearch), FlexSearch
 * and Orama. All three get the same passages, the same tokenizer (index mode for passages, query mode for
 * queries), the same fields, the same speaker filter and the same "all terms, else any term" policy.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { create, insert, load as oramaLoad, save as oramaSave, search as oramaSearch } from '@orama/orama';
import { Document } from 'flexsearch';
import type { Interview, Passage } from '../src/core/corpus/types.ts';
import { QuoteIndex } from '../src/core/search/engine.ts';
import type { Tokenizer } from '../src/core/text/tokenizer.ts';

export type EngineName = 'ours' | 'flexsearch' | 'orama';
export const ENGINES: EngineName[] = ['ours', 'flexsearch', 'orama'];

export interface Engine {
  /** Writes the index to `path` (for its size and a load test). */
  save(path: string): Promise<void>;
  /** Replaces the index with the one saved at `path`. */
  load(path: string): Promise<void>;
  /** Searches (top 5) and returns the number of hits. */
  search(text: string, speaker?: string): number;
}

interface Doc {
  id: number;
  text: string;
  speaker: string;
  title: string;
  section: string;
  /** Normalised speaker name, for filtering. */
  who: string;
}

function documents(interviews: readonly Interview[], passages: readonly Passage[], tokenizer: Tokenizer): Doc[] {
  const byId = new Map(interviews.map((i) => [i.id, i]));
  return passages.map((passage, id) => {
    const interview = byId.get(passage.interviewId)!;
    const speaker = interview.speakers.find((s) => s.id === passage.speakerId);
    return {
      id,
      text: passage.text,
      speaker: speaker ? [speaker.name, ...speaker.aliases].join(' ') : '',
      title: interview.title,
      section: passage.section ?? '',
      who: speaker ? tokenizer.normalize(speaker.name) : '',
    };
  });
}

/** Builds one engine over the passages. */
export async function buildEngine(
  name: EngineName,
  interviews: readonly Interview[],
  passages: readonly Passage[],
  tokenizer: Tokenizer,
): Promise<Engine> {
  if (name === 'ours') {
    let index = new QuoteIndex(interviews, passages, tokenizer);
    return {
      save: async (path) => {
        index.save(path);
      },
      load: async (path) => {
        index = new QuoteIndex(interviews, passages, tokenizer, { indexFile: path });
      },
      search: (text, speaker) => index.search({ text, speaker, limit: 5 }).hits.length,
    };
  }

  // Both FlexSearch and Orama tokenize index and query text with one function; a flag picks jieba's mode.
  let queryMode = false;
  const tokenize = (text: string): string[] => (queryMode ? tokenizer.tokenizeQuery(text) : tokenizer.tokenizeForIndex(text));
  const docs = documents(interviews, passages, tokenizer);

  if (name === 'flexsearch') {
    const options = {
      document: { id: 'id', index: ['text', 'speaker', 'title', 'section'], tag: ['who'] },
      encode: tokenize,
      tokenize: 'strict',
      cache: false,
    };
    const make = (): Document => new Document(options as never);
    let index = make();
    for (const doc of docs) index.add(doc as never);
    return {
      save: async (path) => {
        const parts: Record<string, unknown> = {};
        await index.export((key: string, data: unknown) => {
          parts[key] = data;
        });
        writeFileSync(path, JSON.stringify(parts));
      },
      load: async (path) => {
        const parts = JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>;
        index = make();
        for (const [key, data] of Object.entries(parts)) await index.import(key, data);
      },
      search: (text, speaker) => {
        queryMode = true;
        try {
          const base = { limit: 5, merge: true, ...(speaker ? { tag: { who: tokenizer.normalize(speaker) } } : {}) };
          let results = index.search(text, base as never) as unknown as Array<{ id: number }>;
          if (results.length === 0) results = index.search(text, { ...base, suggest: true } as never) as unknown as Array<{ id: number }>;
          return results.length;
        } finally {
          queryMode = false;
        }
      },
    };
  }

  const schema = { text: 'string', speaker: 'string', title: 'string', section: 'string', who: 'enum' } as const;
  const make = () =>
    create({
      schema,
      components: { tokenizer: { language: 'english', normalizationCache: new Map(), tokenize: (raw: string) => tokenize(raw) } },
    });
  let db = make();
  for (const doc of docs) insert(db, { ...doc, id: String(doc.id) });
  const boost = { text: 1, speaker: 1.5, title: 0.5, section: 0.5 };
  return {
    save: async (path) => writeFileSync(path, JSON.stringify(oramaSave(db))),
    load: async (path) => {
      db = make();
      oramaLoad(db, JSON.parse(readFileSync(path, 'utf8')));
    },
    search: (text, speaker) => {
      queryMode = true;
      try {
        const base = {
          term: text,
          properties: ['text', 'speaker', 'title', 'section'] as Array<'text' | 'speaker' | 'title' | 'section'>,
          boost,
          limit: 5,
          ...(speaker ? { where: { who: { eq: tokenizer.normalize(speaker) } } } : {}),
        };
        let result = oramaSearch(db, { ...base, threshold: 0 }) as { hits: Array<{ id: string }> };
        if (result.hits.length === 0) result = oramaSearch(db, { ...base, threshold: 1 }) as { hits: Array<{ id: string }> };
        return result.hits.length;
      } finally {
        queryMode = false;
      }
    },
  };
}
