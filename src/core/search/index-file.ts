/**
 * The prebuilt index file: MiniSearch's state written as many short JSON lines instead of one JSON value.
 *
 * Why not `JSON.stringify(miniSearch)`: at 1,000× the corpus that is a 208 MB string, and loading it holds
 * the string, the parsed object tree and the rebuilt index at once (3.2 GB RSS). Here the file is written and
 * read in chunks of a few thousand terms, so a load holds the finished index plus one chunk; posting lists
 * are delta-encoded number arrays, not objects keyed by document id, which also makes the file smaller and
 * faster to parse.
 *
 * Layout, one JSON array per line:
 * - `["zhenyan-index", VERSION, header]`: MiniSearch's scalars (document count, next id, field ids, average
 *   field lengths, dirt count);
 * - `["d", shortId, documentId, length0, length1, …, shortId, …]`: documents and their field lengths;
 * - `["t", term, fieldId, docDeltas, freqs, fieldId, …, term, …]`: posting lists; `freqs` is the number 1
 *   when every frequency is 1;
 * - `["end", termCount]`: written last, so a truncated file is refused instead of loaded half.
 *
 * Reads MiniSearch 7.2's private fields (`_index`, `_documentIds`, `_fieldLength`...): package.json pins
 * the version, and test/search-scorer.test.ts checks a round trip against MiniSearch's own results.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import MiniSearch, { type Options } from 'minisearch';

const MAGIC = 'zhenyan-index';
/** Bump when the layout changes; older files are refused (and rebuilt by the library). */
export const INDEX_FILE_VERSION = 1;

const TERMS_PER_LINE = 2_000;
const DOCUMENTS_PER_LINE = 5_000;
const READ_CHUNK_BYTES = 1 << 20;

type TermData = Map<number, Map<number, number>>;

/** The MiniSearch 7.2 private state this module reads and writes. */
interface MiniSearchState {
  _index: { set(term: string, data: TermData): unknown; [Symbol.iterator](): Iterator<[string, TermData]> };
  _documentIds: Map<number, unknown>;
  _idToShortId: Map<unknown, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _documentCount: number;
  _nextId: number;
  _fieldIds: Record<string, number>;
  _dirtCount: number;
}

interface Header {
  documentCount: number;
  nextId: number;
  fieldIds: Record<string, number>;
  averageFieldLength: number[];
  dirtCount: number;
}

/** Thrown when an index file is missing its end, has another version, or does not parse. */
export class IndexFileError extends Error {
  override readonly name = 'IndexFileError';
}

/** Writes `miniSearch` to `path` (overwriting it), a chunk at a time. Returns the number of bytes written. */
export function writeIndexFile(miniSearch: MiniSearch<unknown>, path: string): number {
  const state = miniSearch as unknown as MiniSearchState;
  const fieldCount = Object.keys(state._fieldIds).length;
  const fd = openSync(path, 'w');
  let bytes = 0;
  const line = (value: unknown[]): void => {
    bytes += writeSync(fd, `${JSON.stringify(value)}\n`);
  };
  try {
    const header: Header = {
      documentCount: state._documentCount,
      nextId: state._nextId,
      fieldIds: state._fieldIds,
      averageFieldLength: state._avgFieldLength,
      dirtCount: state._dirtCount,
    };
    line([MAGIC, INDEX_FILE_VERSION, header]);

    let documents: unknown[] = ['d'];
    for (const [shortId, id] of state._documentIds) {
      const lengths = state._fieldLength.get(shortId) ?? [];
      documents.push(shortId, id);
      for (let field = 0; field < fieldCount; field++) documents.push(lengths[field] ?? 0);
      if (documents.length > DOCUMENTS_PER_LINE * (fieldCount + 2)) {
        line(documents);
        documents = ['d'];
      }
    }
    if (documents.length > 1) line(documents);

    let terms: unknown[] = ['t'];
    let termsInLine = 0;
    let termCount = 0;
    for (const [term, data] of state._index) {
      terms.push(term, data.size);
      for (const [fieldId, postings] of data) {
        const docs = [...postings.keys()].sort((a, b) => a - b);
        const deltas = docs.map((doc, i) => (i === 0 ? doc : doc - docs[i - 1]!));
        const freqs = docs.map((doc) => postings.get(doc)!);
        terms.push(fieldId, deltas, freqs.every((f) => f === 1) ? 1 : freqs);
      }
      termCount++;
      if (++termsInLine >= TERMS_PER_LINE) {
        line(terms);
        terms = ['t'];
        termsInLine = 0;
      }
    }
    if (termsInLine > 0) line(terms);
    line(['end', termCount]);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/**
 * Reads an index written by {@link writeIndexFile} into a new MiniSearch built with `options` (which must
 * be the options the index was built with). Throws {@link IndexFileError} on a foreign, old or truncated file.
 */
export function readIndexFile<T>(path: string, options: Options<T>): MiniSearch<T> {
  try {
    return parseIndexFile<T>(path, options);
  } catch (error) {
    if (error instanceof IndexFileError) throw error;
    // Lines of the right shape but wrong content (a hand-edited or corrupted file) fail on their types.
    throw new IndexFileError(`Zhenyan index: ${path} is damaged (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
}

function parseIndexFile<T>(path: string, options: Options<T>): MiniSearch<T> {
  let miniSearch: MiniSearch<T> | undefined;
  let state: MiniSearchState | undefined;
  let fieldCount = 0;
  let termCount = 0;
  let ended = false;

  for (const text of lines(path)) {
    if (ended) throw new IndexFileError(`Zhenyan index: ${path} has data after its end`);
    let row: unknown[];
    try {
      row = JSON.parse(text) as unknown[];
    } catch {
      throw new IndexFileError(`Zhenyan index: ${path} has a line that is not JSON`);
    }
    const tag = row[0];
    if (!state) {
      if (tag !== MAGIC || row[1] !== INDEX_FILE_VERSION) {
        throw new IndexFileError(`Zhenyan index: ${path} is not a version ${INDEX_FILE_VERSION} index file`);
      }
      const header = row[2] as Header;
      miniSearch = MiniSearch.loadJS<T>(
        {
          ...header,
          index: [],
          documentIds: {},
          fieldLength: {},
          storedFields: {},
          serializationVersion: 2,
        } as unknown as Parameters<typeof MiniSearch.loadJS>[0],
        options,
      );
      state = miniSearch as unknown as MiniSearchState;
      fieldCount = Object.keys(header.fieldIds).length;
    } else if (tag === 'd') {
      for (let i = 1; i < row.length; i += fieldCount + 2) {
        const shortId = row[i] as number;
        const id = row[i + 1];
        state._documentIds.set(shortId, id);
        state._idToShortId.set(id, shortId);
        state._fieldLength.set(shortId, row.slice(i + 2, i + 2 + fieldCount) as number[]);
      }
    } else if (tag === 't') {
      let i = 1;
      while (i < row.length) {
        const term = row[i++] as string;
        const fields = row[i++] as number;
        if (typeof term !== 'string' || !Number.isInteger(fields)) throw new IndexFileError(`Zhenyan index: ${path} has a malformed term`);
        const data: TermData = new Map();
        for (let f = 0; f < fields; f++) {
          const fieldId = row[i++] as number;
          const deltas = row[i++] as number[];
          const freqs = row[i++] as number[] | 1;
          if (!Array.isArray(deltas) || (freqs !== 1 && (!Array.isArray(freqs) || freqs.length !== deltas.length))) {
            throw new IndexFileError(`Zhenyan index: ${path} has a malformed posting list for "${term}"`);
          }
          const postings = new Map<number, number>();
          let doc = 0;
          for (let k = 0; k < deltas.length; k++) {
            doc += deltas[k]!;
            postings.set(doc, freqs === 1 ? 1 : freqs[k]!);
          }
          // One check per list: a non-number delta leaves `doc` a string or NaN.
          if (!Number.isInteger(doc)) throw new IndexFileError(`Zhenyan index: ${path} has a malformed posting list for "${term}"`);
          data.set(fieldId, postings);
        }
        state._index.set(term, data);
        termCount++;
      }
    } else if (tag === 'end') {
      if (row[1] !== termCount) throw new IndexFileError(`Zhenyan index: ${path} holds ${termCount} terms, its end says ${String(row[1])}`);
      ended = true;
    } else {
      throw new IndexFileError(`Zhenyan index: ${path} has an unknown line "${String(tag)}"`);
    }
  }
  if (!miniSearch || !ended) throw new IndexFileError(`Zhenyan index: ${path} is truncated`);
  return miniSearch;
}

/** The file's lines, read a megabyte at a time (the whole file is never one string). */
function* lines(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    let pending: Buffer[] = [];
    for (;;) {
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      let start = 0;
      for (let newline = chunk.indexOf(10, 0); newline !== -1 && newline < read; newline = chunk.indexOf(10, start)) {
        pending.push(chunk.subarray(start, newline));
        yield Buffer.concat(pending).toString('utf8');
        pending = [];
        start = newline + 1;
      }
      // Copy: the chunk buffer is reused by the next read.
      if (start < read) pending.push(Buffer.from(chunk.subarray(start, read)));
    }
    if (pending.length > 0) yield Buffer.concat(pending).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
