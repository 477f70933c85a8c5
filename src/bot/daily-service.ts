/**
 * Daily tips in the bot: the store (SQLite, or PostgreSQL shared by several processes), the
 * {@link DailyScheduler}, and the Discord poster that sends each tip with a deterministic `nonce` and
 * `enforce_nonce`, so Discord itself drops a retried duplicate, and that looks for the nonce among the
 * channel's recent messages before a late re-send. Commands (`/daily`, `/tip`) use this service; the
 * scheduling rules live in `src/core/schedule/`. Every method is asynchronous and cheap: none of them
 * scans all subscriptions.
 */
import { DiscordAPIError, HTTPError, RESTJSONErrorCodes, Routes, type Client } from 'discord.js';
import type { APIMessage } from 'discord-api-types/v10';
import type { Config } from '../config.ts';
import type { Library } from '../core/library.ts';
import { DailyScheduler, type PostRequest, type PostResult, type RunEvent } from '../core/schedule/scheduler.ts';
import { localDate, nextRunAt } from '../core/schedule/time.ts';
import type { DailyStore, PostRecord, Subscription, SubscriptionInput } from '../core/store/subscriptions.ts';
import { dailyTip, type DailyTip } from '../core/tips/daily.ts';
import type { Logger } from '../logger.ts';
import { toDiscordPayload, type ReplyPayload } from './payload.ts';
import { messages, toLocale, type Locale } from './i18n.ts';
import { quoteEmbed } from './render.ts';
import { cardContent } from '../core/card/content.ts';
import { CardBusyError, type CardService } from '../card/service.ts';

/** One subscription as `/daily status` shows it. */
export interface SubscriptionStatus {
  subscription: Subscription;
  /** The next post (for a paused subscription: when it would be, for display), or null if invalid. */
  next: { at: Date; localDate: string } | null;
  /** The last posts-log row (any status), or null. */
  lastPost: PostRecord | null;
}

/** A daily-post outcome, for metrics (see {@link DailyService.onEvent}). */
export type DailyEvent = RunEvent;

/** The daily-tip service as the bot and its commands use it. */
export interface DailyService {
  /** Reconciles interrupted posts, catches up, and arms the timer. Call once the gateway is ready. */
  start(): void;
  /**
   * Graceful shutdown: stops claiming, waits up to `timeoutMs` (default 10 s) for posts in flight and
   * records them, releases this process's leases, then closes the store. Idempotent.
   */
  close(timeoutMs?: number): Promise<void>;
  /** GUILD_DELETE (the bot was removed): pause that server's subscriptions. Never rejects (logs). */
  guildLeft(guildId: string): Promise<void>;
  /** GUILD_CREATE: resume subscriptions paused because the bot had left. Never rejects (logs). */
  guildJoined(guildId: string): Promise<void>;
  /**
   * Creates or replaces a channel's subscription (`style` defaults to `text`). Rejects with
   * `StorageError` (nothing changed) or a validation `Error`. Does not wait for the scheduler.
   */
  subscribe(input: SubscriptionInput): Promise<{ subscription: Subscription; created: boolean }>;
  /** Removes one channel's subscription (or all of a server's when `channelId` is omitted); resolves to how many. */
  unsubscribe(guildId: string, channelId?: string): Promise<number>;
  /** Every subscription of a server with its next post and last result. */
  status(guildId: string): Promise<SubscriptionStatus[]>;
  /** The subscription of a channel, if any. */
  subscription(channelId: string): Promise<Subscription | null>;
  /**
   * The tip a channel gets on the local date of `now` (in its subscription's zone, or the default
   * zone): the same one the daily post shows.
   */
  tipFor(channelId: string | null, now: Date): Promise<{ tip: DailyTip | null; localDate: string; timeZone: string }>;
  /** Resolves when no scheduler run or post is in flight (tests). */
  whenIdle(): Promise<void>;
  /**
   * Subscribes to every daily-post outcome (`posted` with `lateMs`, `retry`, `failed`, `skipped`): the
   * hook for metrics. Returns the unsubscribe function. Listeners must not throw.
   */
  onEvent(listener: (event: DailyEvent) => void): () => void;
  /** The store (tests and tools). */
  readonly store: DailyStore;
}

/** Inputs of {@link createDailyService}. */
export interface DailyServiceOptions {
  client: Client;
  library: Library;
  logger: Logger;
  config: Config;
  now?: () => Date;
  /** Scheduler tuning (tests use short delays). Default: the scheduler's defaults. */
  scheduler?: {
    graceMs?: number;
    retryDelayMs?: number;
    heartbeatMs?: number;
    leaseMs?: number;
    postTimeoutMs?: number;
    nonceWindowMs?: number;
    concurrency?: number;
  };
  /** The open store (see `openStore`); closed by {@link DailyService.close}. */
  store: DailyStore;
  /** Quote cards, for subscriptions with `style: card`. Without it they are posted as text. */
  cards?: CardService;
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

/** Creates the daily-tip service over `options.store`. */
export function createDailyService(options: DailyServiceOptions): DailyService {
  const { client, library, logger, config, store, cards } = options;
  const now = options.now ?? (() => new Date());
  const log = logger.child({ component: 'daily' });
  const listeners = new Set<(event: DailyEvent) => void>();

  const post = async (request: PostRequest): Promise<PostResult> => {
    const passage = library.index.passage(request.tipId);
    if (!passage) return { ok: false, permanent: true, reason: `tip ${request.tipId} is no longer in the corpus` };
    const tip = { ...library.index.describe(passage), tipId: request.tipId, dayIndex: 0, cycle: 0, position: 0 };
    const locale = toLocale(client.guilds.cache.get(request.guildId)?.preferredLocale ?? 'zh-CN');
    const payload = toDiscordPayload(dailyPostPayload(tip, locale, request.mentionRoleId));
    // `style: card`: the picture, with the same text (embed) beside it so the post stays searchable.
    let card: Awaited<ReturnType<CardService['card']>> | null = null;
    if (request.style === 'card' && cards) {
      try {
        card = await cards.card(cardContent(passage, tip.interview, tip.speaker), 'dark');
      } catch (error) {
        // A full renderer is transient: retry later with the same nonce. Anything else (a broken
        // renderer) must not cost the channel its tip: post the text.
        if (error instanceof CardBusyError) return { ok: false, permanent: false, reason: 'card renderer busy' };
        log.warn({ err: error, channelId: request.channelId }, 'daily: card render failed, posting text');
      }
    }
    try {
      const message = (await client.rest.post(Routes.channelMessages(request.channelId), {
        body: {
          content: payload.content,
          embeds: payload.embeds,
          allowed_mentions: { parse: [], roles: request.mentionRoleId ? [request.mentionRoleId] : [] },
          nonce: request.nonce,
          enforce_nonce: true,
          ...(card ? { attachments: [{ id: 0, filename: card.fileName, description: card.altText }] } : {}),
        },
        ...(card ? { files: [{ name: card.fileName, data: card.png, contentType: 'image/png' }] } : {}),
      })) as APIMessage;
      return { ok: true, messageId: message.id };
    } catch (error) {
      return { ok: false, ...classifyPostError(error) };
    }
  };

  // Discord deduplicates a nonce for a few minutes only: before a later re-send, look for it among the
  // channel's latest messages (a daily post is never far down in the time it takes to retry).
  const findPosted = async (request: PostRequest): Promise<string | null> => {
    const query = new URLSearchParams({ limit: '100' });
    const messages = (await client.rest.get(Routes.channelMessages(request.channelId), { query })) as APIMessage[];
    const found = messages.find((m) => m.nonce === request.nonce && m.author?.id === client.user?.id);
    return found?.id ?? null;
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
    findPosted,
    onEvent: (event) => {
      for (const listener of listeners) listener(event);
    },
    ...options.scheduler,
  });

  /** Re-plans after a change without making the caller wait for the posts it may trigger. */
  const changed = (): void => {
    void scheduler.onSubscriptionsChanged();
  };

  let closing: Promise<void> | null = null;
  return {
    store,
    start() {
      scheduler.start().then(
        (summary) => log.info({ posted: summary.posted.length, failed: summary.failed.length, skipped: summary.skipped.length }, 'daily start-up run done'),
        (error: unknown) => log.error({ err: error }, 'daily scheduler failed to start'),
      );
    },
    close(timeoutMs = 10_000) {
      closing ??= (async () => {
        await scheduler.shutdown(timeoutMs);
        await store.close();
      })();
      return closing;
    },
    async guildLeft(guildId) {
      try {
        const paused = await store.pauseGuild(guildId, 'guild-left');
        if (paused > 0) log.info({ guildId, paused }, 'left a server: its daily tips are paused');
      } catch (error) {
        log.error({ err: error, guildId }, 'could not pause the daily tips of a server the bot left');
      }
    },
    async guildJoined(guildId) {
      try {
        const resumed = await store.resumeGuild(guildId);
        if (resumed > 0) {
          log.info({ guildId, resumed }, 'back in a server: its daily tips resume');
          changed();
        }
      } catch (error) {
        log.error({ err: error, guildId }, 'could not resume the daily tips of a server');
      }
    },
    async subscribe(input) {
      const result = await store.upsertSubscription(input);
      changed();
      return result;
    },
    async unsubscribe(guildId, channelId) {
      const removed = await store.removeSubscription(guildId, channelId);
      changed();
      return removed;
    },
    async status(guildId) {
      const subscriptions = await store.listSubscriptions(guildId);
      const after = new Date(now().getTime() + 1);
      return Promise.all(
        subscriptions.map(async (subscription): Promise<SubscriptionStatus> => {
          let next: SubscriptionStatus['next'] = null;
          if (subscription.pausedAt === null) next = { at: subscription.nextDueAt, localDate: subscription.nextLocalDate };
          else {
            try {
              next = nextRunAt(after, subscription.time, subscription.timeZone);
            } catch {
              next = null; // an invalid stored schedule shows no next post
            }
          }
          return { subscription, next, lastPost: await store.lastPost(subscription.channelId) };
        }),
      );
    },
    subscription(channelId) {
      return store.getSubscription(channelId);
    },
    whenIdle() {
      return scheduler.idle();
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async tipFor(channelId, at) {
      const timeZone = (channelId ? (await store.getSubscription(channelId))?.timeZone : undefined) ?? config.defaultTimeZone;
      const day = localDate(at, timeZone);
      return { tip: dailyTip(library, channelId, day), localDate: day, timeZone };
    },
  };
}
