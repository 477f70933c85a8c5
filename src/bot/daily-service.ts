/**
 * Daily tips in the bot: the SQLite store, the {@link DailyScheduler}, and the Discord poster that sends
 * each tip with a deterministic `nonce` and `enforce_nonce`, so Discord itself drops a retried duplicate.
 * Commands (`/daily`, `/tip`) use this service; the scheduling rules live in `src/core/schedule/`.
 */
import { DiscordAPIError, HTTPError, RESTJSONErrorCodes, Routes, type Client } from 'discord.js';
import type { APIMessage } from 'discord-api-types/v10';
import type { Config } from '../config.ts';
import type { Library } from '../core/library.ts';
import { DailyScheduler, type PostRequest, type PostResult, type ScheduledRun } from '../core/schedule/scheduler.ts';
import { localDate } from '../core/schedule/time.ts';
import { openDatabase, type Db } from '../core/store/database.ts';
import { SubscriptionStore, type PostRecord, type Subscription, type SubscriptionInput } from '../core/store/subscriptions.ts';
import { dailyTip, type DailyTip } from '../core/tips/daily.ts';
import type { Logger } from '../logger.ts';
import { toDiscordPayload, type ReplyPayload } from './payload.ts';
import { messages, toLocale, type Locale } from './i18n.ts';
import { quoteEmbed } from './render.ts';

/** One subscription as `/daily status` shows it. */
export interface SubscriptionStatus {
  subscription: Subscription;
  next: ScheduledRun | undefined;
  lastPost: PostRecord | null;
}

/** The daily-tip service as the bot and its commands use it. */
export interface DailyService {
  /** Reconciles interrupted posts, catches up, and arms the timer. Call once the gateway is ready. */
  start(): void;
  /** Stops timers and closes the database. Idempotent. */
  close(): void;
  /** GUILD_DELETE (the bot was removed): pause that server's subscriptions. */
  guildLeft(guildId: string): void;
  /** GUILD_CREATE: resume subscriptions paused because the bot had left. */
  guildJoined(guildId: string): void;
  /** Creates or replaces a channel's subscription. Throws `StorageError` (nothing changed) or a validation `Error`. */
  subscribe(input: SubscriptionInput): { subscription: Subscription; created: boolean };
  /** Removes one channel's subscription (or all of a server's when `channelId` is omitted); returns how many. */
  unsubscribe(guildId: string, channelId?: string): number;
  /** Every subscription of a server with its next run and last post. */
  status(guildId: string): SubscriptionStatus[];
  /** The subscription of a channel, if any. */
  subscription(channelId: string): Subscription | null;
  /**
   * The tip a channel gets on the local date of `now` (in its subscription's zone, or the default
   * zone): the same one the daily post shows.
   */
  tipFor(channelId: string | null, now: Date): { tip: DailyTip | null; localDate: string; timeZone: string };
  /** Resolves when no scheduler run or post is in flight (tests, clean shutdown). */
  whenIdle(): Promise<void>;
}

/** Inputs of {@link createDailyService}. */
export interface DailyServiceOptions {
  client: Client;
  library: Library;
  logger: Logger;
  config: Config;
  now?: () => Date;
  /** Scheduler tuning (tests use short delays). Default: the scheduler's defaults. */
  scheduler?: { graceMs?: number; retryDelayMs?: number; heartbeatMs?: number; leaseMs?: number };
  /** An open database to use instead of opening `config.databasePath` (tests inject storage faults). */
  database?: Db;
}

/** The daily post: a short header, the quote embed, and the opt-in role mention (the only ping the bot makes). */
export function dailyPostPayload(tip: DailyTip, locale: Locale, mentionRoleId: string | null): ReplyPayload {
  return {
    ...(mentionRoleId ? { content: `<@&${mentionRoleId}>`, mentionRoleIds: [mentionRoleId] } : {}),
    embeds: [{ ...quoteEmbed(tip, locale), title: messages.dailyTitle[locale] }],
  };
}

const PERMANENT_CODES = new Set<number>([
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.MissingPermissions,
  RESTJSONErrorCodes.UnknownGuild,
  RESTJSONErrorCodes.CannotSendMessagesInNonTextChannel,
  RESTJSONErrorCodes.CannotSendMessagesToThisUser,
]);

/** Classifies a failed send: missing channel or permission is permanent; rate limits, 5xx and network are not. */
export function classifyPostError(error: unknown): { permanent: boolean; reason: string } {
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : 0;
    const permanent = PERMANENT_CODES.has(code) || error.status === 403 || error.status === 404;
    return { permanent, reason: `${error.status} ${code}: ${error.message}` };
  }
  if (error instanceof HTTPError) return { permanent: false, reason: `HTTP ${error.status}: ${error.message}` };
  return { permanent: false, reason: (error as Error)?.message ?? String(error) };
}

/** Creates the daily-tip service over the database at `config.databasePath`. */
export function createDailyService(options: DailyServiceOptions): DailyService {
  const { client, library, logger, config } = options;
  const now = options.now ?? (() => new Date());
  const db: Db = options.database ?? openDatabase(config.databasePath);
  const store = new SubscriptionStore(db, { now });
  const log = logger.child({ component: 'daily' });

  const post = async (request: PostRequest): Promise<PostResult> => {
    const passage = library.index.passage(request.tipId);
    if (!passage) return { ok: false, permanent: true, reason: `tip ${request.tipId} is no longer in the corpus` };
    const tip = { ...library.index.describe(passage), tipId: request.tipId, dayIndex: 0, cycle: 0, position: 0 };
    const locale = toLocale(client.guilds.cache.get(request.guildId)?.preferredLocale ?? 'zh-CN');
    const payload = toDiscordPayload(dailyPostPayload(tip, locale, request.mentionRoleId));
    try {
      const message = (await client.rest.post(Routes.channelMessages(request.channelId), {
        body: {
          content: payload.content,
          embeds: payload.embeds,
          allowed_mentions: { parse: [], roles: request.mentionRoleId ? [request.mentionRoleId] : [] },
          nonce: request.nonce,
          enforce_nonce: true,
        },
      })) as APIMessage;
      return { ok: true, messageId: message.id };
    } catch (error) {
      return { ok: false, ...classifyPostError(error) };
    }
  };

  const scheduler = new DailyScheduler({
    store,
    logger: log,
    clock: { now },
    ownsGuild: (guildId) => client.guilds.cache.has(guildId),
    pickTip: (channelId, day) => {
      const tip = dailyTip(library, channelId, day);
      return tip ? { tipId: tip.tipId } : null;
    },
    post,
    ...options.scheduler,
  });

  let closed = false;
  return {
    start() {
      scheduler.start().then(
        (summary) => log.info({ posted: summary.posted.length, failed: summary.failed.length, skipped: summary.skipped.length }, 'daily start-up reconciliation done'),
        (error: unknown) => log.error({ err: error }, 'daily scheduler failed to start'),
      );
    },
    close() {
      if (closed) return;
      closed = true;
      scheduler.stop();
      db.close();
    },
    guildLeft(guildId) {
      const paused = store.pauseGuild(guildId, 'guild-left');
      if (paused > 0) log.info({ guildId, paused }, 'left a server: its daily tips are paused');
    },
    guildJoined(guildId) {
      const resumed = store.resumeGuild(guildId);
      if (resumed > 0) {
        log.info({ guildId, resumed }, 'back in a server: its daily tips resume');
        scheduler.onSubscriptionsChanged();
      }
    },
    subscribe(input) {
      const result = store.upsertSubscription(input);
      scheduler.onSubscriptionsChanged();
      return result;
    },
    unsubscribe(guildId, channelId) {
      const removed = store.removeSubscription(guildId, channelId);
      scheduler.onSubscriptionsChanged();
      return removed;
    },
    status(guildId) {
      const runs = new Map(scheduler.nextRuns(guildId).map((run) => [run.channelId, run]));
      return store.listSubscriptions(guildId).map((subscription) => ({
        subscription,
        next: runs.get(subscription.channelId),
        lastPost: store.lastPost(subscription.channelId),
      }));
    },
    subscription(channelId) {
      return store.getSubscription(channelId);
    },
    whenIdle() {
      return scheduler.idle();
    },
    tipFor(channelId, at) {
      const timeZone = (channelId ? store.getSubscription(channelId)?.timeZone : undefined) ?? config.defaultTimeZone;
      const day = localDate(at, timeZone);
      return { tip: dailyTip(library, channelId, day), localDate: day, timeZone };
    },
  };
}
