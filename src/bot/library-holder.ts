/**
 * Reload without a restart: the running bot holds its library here, and every service reads it through
 * {@link LibraryHolder.view}, so a reload is one atomic swap of a reference.
 *
 * `reload()` (wired to SIGHUP in `src/main.ts`) re-reads `data/`, and swaps only when every data file is
 * valid: a file with a problem keeps the previous library in service and logs the problem
 * (`file:line: message`), so an edit in progress never takes an interview away.
 *
 * Cost, measured with `npx tsx scripts/reload-bench.ts` on the shipped corpus (5 interviews, 455 passages,
 * 2 shared cores): a reload blocks the event loop for 0.5–0.7 s (the index build; the corpus parse takes a
 * few ms and nodejieba is loaded once per process and reused), or 0.2 s when the index is found in
 * `INDEX_CACHE_DIR` (`INDEX_CACHE_DIR=/tmp/x npx tsx scripts/reload-bench.ts`). The work starts with
 * `setImmediate` after the signal and is split in two turns of the event loop (read and validate, then
 * build), so interactions already queued are answered first. The index build itself stays one synchronous
 * step: a worker thread cannot hand a built index back (nodejieba and MiniSearch live in one isolate). A
 * worker could prebuild the cache file so that the main thread only loads it (0.2 s instead of 0.6 s):
 * not done yet.
 */
import type { CorpusProblem } from '../core/corpus/load.ts';
import { formatProblem, readCorpus } from '../core/corpus/load.ts';
import type { Interview } from '../core/corpus/types.ts';
import { loadLibrary, type Library, type LibraryOptions } from '../core/library.ts';
import type { Logger } from '../logger.ts';
import { join } from 'node:path';
import { DATA_DIR } from '../core/corpus/load.ts';

/** What a reload did. */
export interface ReloadReport {
  /** True when the new library is in service. */
  swapped: boolean;
  /** Interview ids added, removed, and changed (same id, different content). */
  added: string[];
  removed: string[];
  changed: string[];
  /** Passage counts before and after (after = before when not swapped). */
  passages: { before: number; after: number };
  /** Why the reload was refused (empty when swapped). */
  problems: CorpusProblem[];
  /** Wall time of the reload and the longest synchronous step (the event-loop stall). */
  ms: number;
  longestStepMs: number;
}

/** Options of {@link LibraryHolder}. */
export interface LibraryHolderOptions {
  /** Passed to `loadLibrary` on reload (`dataDir`, `indexCacheDir`). Default: `{}`. */
  libraryOptions?: Omit<LibraryOptions, 'interviews'>;
  /** Where reloads are logged. Default: none. */
  logger?: Logger;
}

/** Yields to the event loop: interactions already queued are handled before the next step. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A stable fingerprint of an interview's content, to tell changed files from unchanged ones. */
const fingerprint = (interview: Interview): string => JSON.stringify(interview);

/** Holds the library in service and swaps in a rebuilt one on {@link reload}. */
export class LibraryHolder {
  #current: Library;
  #running: Promise<ReloadReport> | null = null;
  #again = false;
  readonly #options: LibraryHolderOptions;
  /**
   * A `Library` that always reads the one in service: give this to services, commands and the daily
   * scheduler. Each property access reads the current library; a command that reads `index` and then
   * `interviews` in one synchronous run always sees one library (a swap happens between event-loop turns).
   */
  readonly view: Library;

  constructor(library: Library, options: LibraryHolderOptions = {}) {
    this.#current = library;
    this.#options = options;
    this.view = new Proxy({} as Library, {
      get: (_target, key) => Reflect.get(this.#current, key),
      has: (_target, key) => Reflect.has(this.#current, key),
      ownKeys: () => Reflect.ownKeys(this.#current),
      getOwnPropertyDescriptor: (_target, key) => {
        const descriptor = Reflect.getOwnPropertyDescriptor(this.#current, key);
        return descriptor ? { ...descriptor, configurable: true } : undefined;
      },
    });
  }

  /** The library in service now. */
  get current(): Library {
    return this.#current;
  }

  /**
   * Re-reads the data and swaps the new library in when every file is valid. Calls while a reload runs
   * are coalesced into one more reload after it (the last edit always wins).
   */
  reload(): Promise<ReloadReport> {
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = this.#reloadOnce().finally(() => {
      this.#running = null;
      if (this.#again) {
        this.#again = false;
        void this.reload();
      }
    });
    return this.#running;
  }

  async #reloadOnce(): Promise<ReloadReport> {
    const started = performance.now();
    let longestStepMs = 0;
    const step = <T>(fn: () => T): T => {
      const t = performance.now();
      try {
        return fn();
      } finally {
        longestStepMs = Math.max(longestStepMs, performance.now() - t);
      }
    };
    const before = this.#current;
    const logger = this.#options.logger;
    await nextTurn();
    const dataDir = this.#options.libraryOptions?.dataDir ?? DATA_DIR;
    let read: ReturnType<typeof readCorpus>;
    try {
      read = step(() => readCorpus(join(dataDir, 'interviews')));
    } catch (error) {
      read = { interviews: [], problems: [{ file: join(dataDir, 'interviews'), line: 1, message: (error as Error).message }] };
    }
    const oldById = new Map(before.interviews.map((iv) => [iv.id, iv]));
    const newById = new Map(read.interviews.map((iv) => [iv.id, iv]));
    const added = [...newById.keys()].filter((id) => !oldById.has(id));
    const removed = [...oldById.keys()].filter((id) => !newById.has(id));
    const changed = [...newById.keys()].filter((id) => oldById.has(id) && fingerprint(oldById.get(id)!) !== fingerprint(newById.get(id)!));
    const refuse = (problems: CorpusProblem[]): ReloadReport => {
      const report: ReloadReport = { swapped: false, added, removed, changed, passages: { before: before.passages.length, after: before.passages.length }, problems, ms: performance.now() - started, longestStepMs };
      for (const problem of problems) logger?.error({ file: problem.file, line: problem.line }, formatProblem(problem));
      logger?.error({ problems: problems.length }, 'reload refused: invalid data; still serving the previous library');
      return report;
    };
    if (read.problems.length > 0) return refuse(read.problems);
    await nextTurn();
    let next: Library;
    try {
      next = step(() => loadLibrary({ ...this.#options.libraryOptions, interviews: read.interviews }));
    } catch (error) {
      // tips.yaml or dict.txt may be invalid too: same rule, keep serving.
      return refuse([{ file: dataDir, line: 1, message: (error as Error).message.replace(/^zhenyan: /, '') }]);
    }
    this.#current = next;
    const report: ReloadReport = { swapped: true, added, removed, changed, passages: { before: before.passages.length, after: next.passages.length }, problems: [], ms: performance.now() - started, longestStepMs };
    logger?.info({ added, removed, changed, passages: report.passages, ms: Math.round(report.ms), longestStepMs: Math.round(longestStepMs) }, 'library reloaded');
    return report;
  }
}
