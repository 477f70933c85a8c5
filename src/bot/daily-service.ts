/**
 * Daily tips in the bot: storage, the scheduler, and the Discord poster. (Being written: this first
 * version only satisfies the start-up contract.)
 */
import type { Client } from 'discord.js';
import type { Config } from '../config.ts';
import type { Library } from '../core/library.ts';
import type { Logger } from '../logger.ts';

/** The daily-tip service as the bot uses it. */
export interface DailyService {
  /** Reconciles interrupted posts, catches up, and arms the timer. Call once the gateway is ready. */
  start(): void;
  /** Stops timers and closes the database. Idempotent. */
  close(): void;
  /** GUILD_DELETE: pause that server's subscriptions. */
  guildLeft(guildId: string): void;
  /** GUILD_CREATE: resume subscriptions paused because the bot had left. */
  guildJoined(guildId: string): void;
}

/** Inputs of {@link createDailyService}. */
export interface DailyServiceOptions {
  client: Client;
  library: Library;
  logger: Logger;
  config: Config;
  now?: () => Date;
}

/** Creates the daily-tip service. */
export function createDailyService(_options: DailyServiceOptions): DailyService {
  return { start() {}, close() {}, guildLeft() {}, guildJoined() {} };
}
