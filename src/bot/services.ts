/** Wires the services every transport shares: the library, rate limits, the router over the given commands. */
import type { Config } from '../config.ts';
import type { Library } from '../core/library.ts';
import type { Logger } from '../logger.ts';
import { CardService } from '../card/service.ts';
import type { DailyService } from './daily-service.ts';
import type { BotMetrics } from './metrics.ts';
import { RateLimiter, type RateLimiterOptions } from './rate-limit.ts';
import { InteractionRouter } from './router.ts';
import type { Command, Services } from './types.ts';

/** Inputs of {@link buildServices}. */
export interface BuildServicesOptions {
  library: Library;
  logger: Logger;
  config: Config;
  /** The local console: no rate limit (one user, typing). */
  consoleMode?: boolean;
  daily?: DailyService;
  /** Per-user limits. Default: {@link RateLimiter}'s defaults (8 per 10 s). */
  rateLimit?: RateLimiterOptions;
  /** Clock. Default: the system clock. */
  now?: () => Date;
  /** Commands to route (the composition root passes `commands/index.ts`'s list). */
  commands: readonly Command[];
  /** Where interactions are counted. Default: nowhere. */
  metrics?: BotMetrics;
  /**
   * Quote cards: a renderer to share (the bot shares one with the daily post), or false for none.
   * Default: a new {@link CardService} with its defaults (no worker starts and no font loads until
   * the first card).
   */
  cards?: CardService | false;
}

/** Builds the shared services and the router over them. */
export function buildServices(options: BuildServicesOptions): { services: Services; router: InteractionRouter; close: () => Promise<void> } {
  const services: Services = {
    library: options.library,
    logger: options.logger,
    config: options.config,
    now: options.now ?? (() => new Date()),
    ...(options.daily ? { daily: options.daily } : {}),
    ...(options.cards === false ? {} : { cards: options.cards ?? new CardService() }),
  };
  const limiter = options.consoleMode ? null : new RateLimiter(options.rateLimit);
  const router = new InteractionRouter(options.commands, services, limiter, options.metrics);
  return {
    services,
    router,
    close: async () => {
      await options.daily?.close();
      await services.cards?.close();
    },
  };
}
