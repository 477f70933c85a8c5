/**
 * A small pool of worker threads that render cards, so the bot's event loop never waits for a
 * canvas: bounded concurrency (one job per worker) and a bounded queue; when both are full a request
 * is refused at once with {@link CardBusyError} (the bot answers "busy, try again").
 *
 * Workers start on the first request (a bot that never renders a card never starts one), and a
 * worker that crashes fails its job and is replaced on the next request.
 *
 * Why not piscina/tinypool: they do this and more, but one job type with transfer and a fixed
 * queue bound is ~150 lines here, and the pool must answer "would this wait?" before queueing
 * (to decide whether to defer a Discord interaction), which neither exposes directly.
 */
import { Worker } from 'node:worker_threads';
import type { CardContent, CardTheme } from '../core/card/content.ts';
import type { RenderAnswer, RenderJob } from './worker.ts';

/** The pool is full: try again in a moment. */
export class CardBusyError extends Error {
  constructor() {
    super('the card renderer is busy');
    this.name = 'CardBusyError';
  }
}

/** Options of {@link CardRenderPool}. */
export interface CardRenderPoolOptions {
  /** Worker threads (jobs rendered at once). Default 1: the bot shares its cores with search. */
  workers?: number;
  /** Jobs that may wait for a worker; more are refused with {@link CardBusyError}. Default 16. */
  maxQueue?: number;
  /** A job not answered within this time fails and its worker is replaced. Default 20,000 ms. */
  timeoutMs?: number;
}

/** A rendered PNG and what the worker said about it. */
export interface RenderedPng {
  png: Buffer;
  truncated: boolean;
  /** Time inside the worker, ms. */
  renderMs: number;
}

interface Pending {
  job: RenderJob;
  resolve: (value: RenderedPng) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  /** The job in flight, if any. */
  current: Pending | null;
  timer: NodeJS.Timeout | null;
  /** Finished at least one job: fonts are loaded, renders are warm. */
  warm: boolean;
}

const WORKER_ENTRY = new URL('./worker-entry.mjs', import.meta.url);

/** Renders cards in worker threads. */
export class CardRenderPool {
  readonly #workers: number;
  readonly #maxQueue: number;
  readonly #timeoutMs: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Pending[] = [];
  #nextId = 1;
  #closed = false;

  constructor(options: CardRenderPoolOptions = {}) {
    this.#workers = Math.max(1, options.workers ?? 1);
    this.#maxQueue = Math.max(0, options.maxQueue ?? 16);
    this.#timeoutMs = options.timeoutMs ?? 20_000;
  }

  /** True when a job sent now would start at once on a worker that has already rendered. */
  get readyNow(): boolean {
    if (this.#queue.length > 0) return false;
    return this.#slots.some((slot) => slot.warm && slot.current === null);
  }

  /** Jobs waiting plus jobs being rendered. */
  get load(): number {
    return this.#queue.length + this.#slots.filter((slot) => slot.current !== null).length;
  }

  /** True when a new job would be refused. */
  get full(): boolean {
    return this.load >= this.#workers + this.#maxQueue;
  }

  /** Renders a card. Rejects with {@link CardBusyError} at once when the pool and its queue are full. */
  render(content: CardContent, theme: CardTheme): Promise<RenderedPng> {
    if (this.#closed) return Promise.reject(new Error('the card renderer is closed'));
    if (this.full) return Promise.reject(new CardBusyError());
    return new Promise<RenderedPng>((resolve, reject) => {
      this.#queue.push({ job: { id: this.#nextId++, content, theme }, resolve, reject });
      this.#dispatch();
    });
  }

  /** Stops every worker; waiting and running jobs fail. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const pending of this.#queue.splice(0)) pending.reject(new Error('the card renderer is closed'));
    await Promise.all(
      this.#slots.splice(0).map((slot) => {
        if (slot.timer) clearTimeout(slot.timer);
        slot.current?.reject(new Error('the card renderer is closed'));
        return slot.worker.terminate();
      }),
    );
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let slot = this.#slots.find((s) => s.current === null);
      if (!slot && this.#slots.length < this.#workers) slot = this.#spawn();
      if (!slot) return;
      const pending = this.#queue.shift()!;
      slot.current = pending;
      slot.timer = setTimeout(() => this.#fail(slot!, new Error(`card render timed out after ${this.#timeoutMs} ms`)), this.#timeoutMs);
      slot.worker.ref(); // keep the process alive while a card is being rendered
      slot.worker.postMessage(pending.job);
    }
  }

  #spawn(): Slot {
    // execArgv: [] so the worker does not inherit a test runner's or debugger's flags; the entry
    // registers the TypeScript loader itself.
    const worker = new Worker(WORKER_ENTRY, { execArgv: [] });
    // An idle worker must not keep the process alive (the CLI and tests exit when done).
    worker.unref();
    const slot: Slot = { worker, current: null, timer: null, warm: false };
    worker.on('message', (answer: RenderAnswer) => {
      const pending = slot.current;
      if (!pending || pending.job.id !== answer.id) return;
      if (slot.timer) clearTimeout(slot.timer);
      slot.current = null;
      slot.timer = null;
      worker.unref();
      if (answer.ok) {
        slot.warm = true;
        pending.resolve({ png: Buffer.from(answer.png), truncated: answer.truncated, renderMs: answer.renderMs });
      } else pending.reject(new Error(`card render failed: ${answer.message}`));
      this.#dispatch();
    });
    worker.on('error', (error) => this.#fail(slot, error));
    worker.on('exit', (code) => {
      if (this.#slots.includes(slot)) this.#fail(slot, new Error(`card worker exited with code ${code}`));
    });
    this.#slots.push(slot);
    return slot;
  }

  /** Fails the slot's job, drops the worker (a new one starts on demand) and carries on. */
  #fail(slot: Slot, error: Error): void {
    const index = this.#slots.indexOf(slot);
    if (index < 0) return;
    this.#slots.splice(index, 1);
    if (slot.timer) clearTimeout(slot.timer);
    slot.current?.reject(error);
    slot.current = null;
    void slot.worker.terminate();
    if (!this.#closed) this.#dispatch();
  }
}
