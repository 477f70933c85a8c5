/** Starts the Discord bot: client, router, daily scheduler, and a clean shutdown. */
import { Status, type Client } from 'discord.js';
import type { Config } from '../config.ts';
import type { Library } from '../core/library.ts';
import type { Logger } from '../logger.ts';
import type { Db } from '../core/store/database.ts';
import { openStore } from '../core/store/open.ts';
import type { DailyStore } from '../core/store/subscriptions.ts';
import { createDailyService, type DailyService, type DailyServiceOptions } from './daily-service.ts';
import { attachRouter, createDiscordClient, type DiscordClientOptions } from './discord.ts';
import { countDailyPost, PrometheusMetrics } from './metrics.ts';
import { startMetricsServer, type MetricsServer } from './metrics-server.ts';
import { buildServices } from './services.ts';
import { planShards, recommendedShardCount, type ShardPlan } from './shards.ts';
import type { Command, Services } from './types.ts';
import { CardService, type CardServiceOptions } from '../card/service.ts';

/** Inputs of {@link startBot}. */
export interface StartBotOptions {
  library: Library;
  logger: Logger;
  config: Config;
  /** Clock for the scheduler and commands. Default: system clock. */
  now?: () => Date;
  /** Per-user rate limit override (tests, load runs). */
  rateLimit?: { limit?: number; windowMs?: number };
  /** Install SIGINT/SIGTERM handlers. Default true (false in tests). */
  handleSignals?: boolean;
  /** discord.js client settings (tests: fewer retries, no identify throttle). Default: production settings. */
  client?: Omit<DiscordClientOptions, 'apiUrl'>;
  /** Commands to route (the composition root passes `commands/index.ts`'s list). */
  commands: readonly Command[];
  /** Daily scheduler tuning (tests). Default: the scheduler's defaults. */
  daily?: DailyServiceOptions['scheduler'];
  /** Quote card renderer options, or false for none. Default: the renderer's defaults. */
  cards?: CardServiceOptions | false;
  /** An open SQLite database instead of the configured store (tests inject storage faults). */
  database?: Db;
  /** An open store instead of the configured one (tests). */
  store?: DailyStore;
  /** Called once the gateway is ready (the cluster runner reports readiness to its manager). */
  onReady?: (client: Client) => void;
}

/** A running bot. */
export interface RunningBot {
  client: Client;
  services: Services;
  daily: DailyService;
  /** The shards this process runs (undefined: one shard, unsharded). */
  shards: ShardPlan | undefined;
  /** The metrics endpoint, when `config.metrics` is set. */
  metricsServer: MetricsServer | undefined;
  /** Graceful: stops claiming, waits (≤ 10 s) for posts in flight, releases leases, closes the store, stops the card renderer, disconnects. Idempotent. */
  stop(): Promise<void>;
}

/** Connects to Discord (or the REST/gateway at `config.discordApiUrl`) and starts answering. */
export async function startBot(options: StartBotOptions): Promise<RunningBot> {
  const { library, logger, config } = options;
  if (!config.discordToken) throw new Error('zhenyan: startBot needs DISCORD_TOKEN');
  const token = config.discordToken;
  // Throws ConfigError when SHARD_IDS names a shard beyond Discord's recommended count (SHARD_COUNT=auto).
  const shards = await planShards(config.shards, () => recommendedShardCount(token, config.discordApiUrl));
  if (shards) logger.info({ shards: shards.ids, shardCount: shards.count }, 'running shards');
  // The store first: a bad DATABASE_URL or an unreachable server fails start-up before connecting.
  const store = options.store ?? (await openStore(config, { now: options.now, database: options.database }));
  logger.info({ store: store.kind }, 'daily store ready');
  const client = createDiscordClient({
    ...options.client,
    ...(shards ? { shards: shards.ids, shardCount: shards.count } : {}),
    apiUrl: config.discordApiUrl,
    globalRequestsPerSecond: config.discordGlobalRps,
  });
  const metrics = config.metrics ? new PrometheusMetrics() : undefined;
  metrics?.watchClient(client);
  const scheduler = { ...(config.dailyLeaseMs ? { leaseMs: config.dailyLeaseMs } : {}), ...options.daily };
  // One card renderer for commands and the daily post (no worker starts until the first card).
  const cards = options.cards === false ? undefined : new CardService(options.cards ?? {});
  const daily = createDailyService({ client, library, logger, config, now: options.now, scheduler, store, cards });
  if (metrics) daily.onEvent((event) => countDailyPost(metrics, event));
  const { services, router } = buildServices({ library, logger, config, daily, now: options.now, rateLimit: options.rateLimit, commands: options.commands, cards: cards ?? false, metrics });
  attachRouter(client, router, services);

  // Listening before login, so a supervisor sees "not ready" (503) while the shards connect.
  const metricsServer =
    metrics && config.metrics
      ? await startMetricsServer({
          host: config.metrics.host,
          port: config.metrics.port,
          registry: metrics.registry,
          logger,
          checks: {
            corpus: () => library.passages.length > 0,
            shards: () => client.ws.shards.size > 0 && client.ws.shards.every((shard) => shard.status === Status.Ready),
            // A cheap indexed read: the store answers (SQLite file open, PostgreSQL reachable).
            store: async () => (await store.getSubscription('0'), true),
          },
        })
      : undefined;

  const ready = new Promise<void>((resolve) => {
    client.once('clientReady', (readyClient) => {
      logger.info({ user: readyClient.user.tag, guilds: readyClient.guilds.cache.size, shards: [...readyClient.ws.shards.keys()] }, 'connected to Discord');
      daily.start();
      options.onReady?.(readyClient);
      resolve();
    });
  });
  client.on('guildDelete', (guild) => void daily.guildLeft(guild.id));
  client.on('guildCreate', (guild) => void daily.guildJoined(guild.id));
  client.on('shardResume', (shardId, replayed) => logger.info({ shardId, replayed }, 'gateway resumed'));
  client.on('shardDisconnect', (event, shardId) => logger.warn({ shardId, code: event.code }, 'gateway disconnected'));
  client.on('error', (error) => logger.error({ err: error }, 'discord client error'));

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // Stop claiming, let posts in flight finish and be recorded, release leases, close the store; then
    // disconnect (the posts need the REST client until they are done).
    await daily.close();
    await services.cards?.close();
    await client.destroy();
    await metricsServer?.close();
    logger.info('stopped');
  };
  if (options.handleSignals ?? true) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      process.once(signal, () => {
        logger.info({ signal }, 'shutting down');
        void stop().then(() => process.exit(0));
      });
    }
  }
  await client.login(config.discordToken);
  // login() resolves on READY; 'clientReady' fires once the guilds have arrived too.
  await ready;
  return { client, services, daily, shards, metricsServer, stop };
}
