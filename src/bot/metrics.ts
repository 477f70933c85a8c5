/**
 * What a running bot counts, as a small interface the router and the daily service call
 * ({@link BotMetrics}), and its Prometheus implementation over prom-client ({@link PrometheusMetrics}).
 * Served by `metrics-server.ts` when `METRICS_PORT` is set; otherwise {@link noMetrics} is used and
 * nothing is counted.
 */
import { Status, type Client } from 'discord.js';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The interaction kinds the router handles. */
export type InteractionKind = 'command' | 'autocomplete' | 'button';

/** One finished interaction, as the router saw it. */
export interface InteractionEvent {
  kind: InteractionKind;
  /** The command name, or the button's kind (`quotePage`, `quoteContext`); `unknown` for anything else (a bounded label set). */
  name: string;
  /** The router's outcome: `ok`, `error`, `rate-limited`, `unknown-command`, or a user-facing refusal. */
  outcome: string;
  /** From receiving the interaction to the end of its handler, in ms. */
  latencyMs: number;
}

/** The result of one daily post: `late` is counted in addition to `sent` for a post more than a minute late. */
export type DailyPostResult = 'sent' | 'failed' | 'late';

/** The counters the bot updates. Every method is cheap and never throws. */
export interface BotMetrics {
  /** An interaction was handled (any outcome). */
  interaction(event: InteractionEvent): void;
  /** A user was refused by the per-user rate limit. */
  rateLimited(kind: InteractionKind): void;
  /** A daily tip post finished. */
  dailyPost(result: DailyPostResult): void;
}

/** Counts nothing (no `METRICS_PORT`, the console, unit tests). */
export const noMetrics: BotMetrics = {
  interaction() {},
  rateLimited() {},
  dailyPost() {},
};

/** A post counts as late when it went out more than this long after the time the server chose. */
export const LATE_AFTER_MS = 60_000;

/**
 * Counts one outcome of the daily scheduler (the daily service's `onEvent`): a confirmed post is `sent`,
 * and also `late` when confirmed more than {@link LATE_AFTER_MS} after its due time; a failure is
 * `failed`. Transient failures that will be retried and skips are not posts and are not counted.
 */
export function countDailyPost(metrics: BotMetrics, event: { outcome: string; lateMs?: number }): void {
  if (event.outcome === 'posted') {
    metrics.dailyPost('sent');
    if ((event.lateMs ?? 0) > LATE_AFTER_MS) metrics.dailyPost('late');
  } else if (event.outcome === 'failed') {
    metrics.dailyPost('failed');
  }
}

/** Latency buckets in seconds: search answers in about a millisecond, Discord's deadline is 3 s. */
const LATENCY_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** Options of {@link PrometheusMetrics}. */
export interface PrometheusMetricsOptions {
  /** Collect prom-client's default process metrics (event-loop lag, memory, GC, CPU). Default true. */
  processMetrics?: boolean;
}

/**
 * Prometheus metrics on their own registry (not prom-client's global one, so several bots in one test
 * process do not collide). Names follow Prometheus conventions: `_total` counters, seconds for time.
 */
export class PrometheusMetrics implements BotMetrics {
  /** The registry `/metrics` serializes. */
  readonly registry = new Registry();
  private readonly interactions: Counter<'kind' | 'command' | 'outcome'>;
  private readonly latency: Histogram<'kind' | 'command'>;
  private readonly rateLimitedTotal: Counter<'kind'>;
  private readonly dailyPosts: Counter<'result'>;
  private client: Client | undefined;

  constructor(options: PrometheusMetricsOptions = {}) {
    const registers = [this.registry];
    this.interactions = new Counter({
      name: 'zhenyan_interactions_total',
      help: 'Interactions handled, by kind (command, autocomplete, button), command and outcome.',
      labelNames: ['kind', 'command', 'outcome'],
      registers,
    });
    this.latency = new Histogram({
      name: 'zhenyan_interaction_duration_seconds',
      help: 'Time from receiving an interaction to the end of its handler (the answer sent).',
      labelNames: ['kind', 'command'],
      buckets: LATENCY_BUCKETS_S,
      registers,
    });
    this.rateLimitedTotal = new Counter({
      name: 'zhenyan_rate_limited_total',
      help: 'Interactions refused because the user hit the per-user rate limit.',
      labelNames: ['kind'],
      registers,
    });
    this.dailyPosts = new Counter({
      name: 'zhenyan_daily_posts_total',
      help: 'Daily tip posts by result: sent, failed, and late (sent more than a minute after the time the server chose; also counted as sent).',
      labelNames: ['result'],
      registers,
    });
    // Pre-create the daily series at 0 so a dashboard shows "none yet" rather than "no data".
    for (const result of ['sent', 'failed', 'late'] as const) this.dailyPosts.inc({ result }, 0);

    const metrics = this;
    new Gauge({
      name: 'zhenyan_gateway_ping_seconds',
      help: 'Gateway heartbeat round trip per shard of this process (absent until the first heartbeat ACK).',
      labelNames: ['shard'],
      registers,
      collect() {
        this.reset();
        for (const [id, shard] of metrics.client?.ws.shards ?? []) {
          if (shard.ping >= 0) this.set({ shard: String(id) }, shard.ping / 1000);
        }
      },
    });
    new Gauge({
      name: 'zhenyan_shard_ready',
      help: '1 when the shard of this process is connected and ready, else 0.',
      labelNames: ['shard'],
      registers,
      collect() {
        this.reset();
        for (const [id, shard] of metrics.client?.ws.shards ?? []) this.set({ shard: String(id) }, shard.status === Status.Ready ? 1 : 0);
      },
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Reports gateway ping and readiness for the shards of `client`. */
  watchClient(client: Client): void {
    this.client = client;
  }

  interaction(event: InteractionEvent): void {
    this.interactions.inc({ kind: event.kind, command: event.name, outcome: event.outcome });
    this.latency.observe({ kind: event.kind, command: event.name }, event.latencyMs / 1000);
  }

  rateLimited(kind: InteractionKind): void {
    this.rateLimitedTotal.inc({ kind });
  }

  dailyPost(result: DailyPostResult): void {
    this.dailyPosts.inc({ result });
  }
}
