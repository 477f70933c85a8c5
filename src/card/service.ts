/**
 * Quote cards for the bot: a render pool behind a bounded cache of finished PNGs keyed by
 * (passage, theme), with concurrent requests for the same card sharing one render.
 */
import { cardAltText, type CardContent, type CardTheme } from '../core/card/content.ts';
import { CardRenderPool, type CardRenderPoolOptions } from './pool.ts';

export { CardBusyError } from './pool.ts';

/** A card ready to upload. */
export interface QuoteCard {
  png: Buffer;
  /** The attachment's `description`: the quote and the speaker, ≤ 1,024 characters. */
  altText: string;
  /** The quote was cut to fit (the card says so). */
  truncated: boolean;
  /** File name for the attachment, e.g. `zhenyan-a-plan-infra-startups-11.png`. */
  fileName: string;
}

/** Options of {@link CardService}. */
export interface CardServiceOptions extends CardRenderPoolOptions {
  /** Most cards kept. Default 64. */
  cacheEntries?: number;
  /** Most bytes of PNG kept. Default 24 MB. */
  cacheBytes?: number;
  /** A pool to use instead of a new one (tests). */
  pool?: CardRenderPool;
}

/** Makes cards, from the cache when it can. */
export class CardService {
  readonly #pool: CardRenderPool;
  readonly #cache = new Map<string, QuoteCard>();
  readonly #inFlight = new Map<string, Promise<QuoteCard>>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  #bytes = 0;

  constructor(options: CardServiceOptions = {}) {
    this.#pool = options.pool ?? new CardRenderPool(options);
    this.#maxEntries = options.cacheEntries ?? 64;
    this.#maxBytes = options.cacheBytes ?? 24 * 1024 * 1024;
  }

  /**
   * True when this card may take longer than Discord's 3 s to answer: it is not cached and the
   * renderer is cold (first card loads fonts) or busy (the job would wait in the queue).
   */
  mayBeSlow(passageId: string, theme: CardTheme): boolean {
    const key = cacheKey(passageId, theme);
    return !this.#cache.has(key) && !this.#pool.readyNow;
  }

  /** True when a new render would be refused (the caller can answer "busy" before deferring). */
  get busy(): boolean {
    return this.#pool.full;
  }

  /** The card of a passage. Rejects with `CardBusyError` when the renderer's queue is full. */
  async card(content: CardContent, theme: CardTheme): Promise<QuoteCard> {
    const key = cacheKey(content.passageId, theme);
    const hit = this.#cache.get(key);
    if (hit) {
      // Refresh its place: the Map's order is the eviction order (least recently used first).
      this.#cache.delete(key);
      this.#cache.set(key, hit);
      return hit;
    }
    let pending = this.#inFlight.get(key);
    if (!pending) {
      pending = this.#pool
        .render(content, theme)
        .then(({ png, truncated }) => {
          const card: QuoteCard = { png, truncated, altText: cardAltText(content), fileName: cardFileName(content.passageId, theme) };
          this.#remember(key, card);
          return card;
        })
        .finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    return pending;
  }

  /** Cards in the cache and their bytes (logs, benchmarks). */
  get cacheStats(): { entries: number; bytes: number } {
    return { entries: this.#cache.size, bytes: this.#bytes };
  }

  /** Stops the render workers. */
  close(): Promise<void> {
    return this.#pool.close();
  }

  #remember(key: string, card: QuoteCard): void {
    if (card.png.length > this.#maxBytes) return;
    this.#cache.set(key, card);
    this.#bytes += card.png.length;
    for (const [oldKey, old] of this.#cache) {
      if (this.#cache.size <= this.#maxEntries && this.#bytes <= this.#maxBytes) break;
      this.#cache.delete(oldKey);
      this.#bytes -= old.png.length;
    }
  }
}

function cacheKey(passageId: string, theme: CardTheme): string {
  return `${theme}\u0000${passageId}`;
}

/** A safe attachment file name for a passage's card. */
export function cardFileName(passageId: string, theme: CardTheme): string {
  return `zhenyan-${passageId.replace(/[^A-Za-z0-9-]+/gu, '-')}-${theme}.png`;
}
