/**
 * Configuration from the environment, validated once at start-up. Secrets come from the environment
 * only; {@link describeConfig} prints the configuration without them.
 */
import { z } from 'zod';

const snowflake = z.string().regex(/^\d{17,20}$/u, 'must be a Discord id (17–20 digits)');

/** Discord caps a bot far below this; the bound only keeps a typo (`SHARD_COUNT=1e9`) from allocating shards. */
const MAX_SHARDS = 65_536;

const port = z
  .string()
  .regex(/^\d{1,5}$/u, 'must be a port number (0–65535; 0 picks a free port)')
  .transform(Number)
  .refine((value) => value <= 65_535, 'must be a port number (0–65535; 0 picks a free port)');

const positiveInteger = (what: string, max: number) =>
  z
    .string()
    .regex(/^\d+$/u, `must be ${what}`)
    .transform(Number)
    .refine((value) => value >= 1 && value <= max, `must be ${what}`);

const shardCount = z.string().transform((text, context): number | 'auto' => {
  const value = text.trim().toLowerCase();
  if (value === 'auto') return 'auto';
  if (/^\d{1,6}$/u.test(value) && Number(value) >= 1 && Number(value) <= MAX_SHARDS) return Number(value);
  context.addIssue({ code: 'custom', message: `must be a whole number of shards from 1 to ${MAX_SHARDS}, or auto` });
  return z.NEVER;
});

/**
 * Parses `SHARD_IDS`: shard ids and ranges separated by commas (`0,1`, `0-3`, `0-3,8`), ascending ids
 * without duplicates. Returns the ids or a readable problem.
 */
export function parseShardIds(text: string): number[] | string {
  const ids: number[] = [];
  for (const part of text.split(',')) {
    const match = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/u.exec(part);
    if (!match) return 'must be shard ids and ranges separated by commas, e.g. 0,1 or 0-3';
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (last < first) return `range ${first}-${last} goes backwards`;
    for (let id = first; id <= last; id++) ids.push(id);
    if (ids.length > MAX_SHARDS) return `names more than ${MAX_SHARDS} shards`;
  }
  const sorted = [...ids].sort((a, b) => a - b);
  if (sorted.some((id, i) => i > 0 && id === sorted[i - 1])) return 'names a shard twice';
  return sorted;
}

const schema = z.object({
  DISCORD_TOKEN: z.string().min(1).optional(),
  DISCORD_CLIENT_ID: snowflake.optional(),
  DISCORD_GUILD_ID: snowflake.optional(),
  DISCORD_API_URL: z.url({ message: 'must be a URL such as http://127.0.0.1:8080/api' }).optional(),
  DATABASE_PATH: z.string().min(1).default('var/zhenyan.db'),
  DATABASE_URL: z.string().min(1).optional(),
  DISCORD_GLOBAL_RPS: z.coerce.number().int().min(1, 'must be at least 1').max(50, 'must be at most 50 (Discord\'s global limit)').optional(),
  DAILY_LEASE_MS: z.coerce.number().int().min(1_000, 'must be at least 1000 (ms)').max(120_000, 'must be at most 120000 (ms), well inside Discord\'s nonce window').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DEFAULT_TIMEZONE: z.string().min(1).default('Asia/Shanghai'),
  INDEX_CACHE_DIR: z.string().min(1).default('var/index-cache'),
  SHARD_COUNT: shardCount.optional(),
  SHARD_IDS: z
    .string()
    .transform((text, context) => {
      const ids = parseShardIds(text);
      if (typeof ids === 'string') {
        context.addIssue({ code: 'custom', message: ids });
        return z.NEVER;
      }
      return ids;
    })
    .optional(),
  CLUSTER_PROCESSES: positiveInteger('a whole number of processes from 1 to 1024', 1024).optional(),
  METRICS_PORT: port.optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
});

/**
 * Which shards this process runs. `count` is the bot's total shard count (`'auto'`: ask Discord's
 * `GET /gateway/bot` at start-up); `ids` the shards of this process (null: all of them).
 */
export interface ShardConfig {
  count: number | 'auto';
  ids: number[] | null;
}

/** The validated configuration. */
export interface Config {
  /** Bot token; absent means "console mode". Never log it. */
  discordToken: string | undefined;
  /** The application id (needed by `npm run deploy` and the bot). */
  discordClientId: string | undefined;
  /** Deploy commands to this server only (instant, for development). */
  discordGuildId: string | undefined;
  /** REST base URL override (a proxy, or the local fake Discord in tests); passed as `rest.api`. */
  discordApiUrl: string | undefined;
  /** SQLite file for daily-tip subscriptions (used when `databaseUrl` is unset). */
  databasePath: string;
  /**
   * `postgres://user:password@host:5432/db`: the PostgreSQL store shared by every process of the bot.
   * Holds a password: never log it (see {@link describeConfig}).
   */
  databaseUrl?: string | undefined;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /**
   * This process's share of Discord's global limit (50 requests/s per bot), passed to discord.js as
   * `rest.globalRequestsPerSecond`. Default 50; with N processes and no shared REST proxy, set 50/N.
   */
  discordGlobalRps?: number | undefined;
  /**
   * How long a process's claim on a due daily post lasts, in ms (default 60 000): a process that dies
   * holds its claims this long before another process takes them over.
   */
  dailyLeaseMs?: number | undefined;
  /** Time zone offered by default to `/daily set`. */
  defaultTimeZone: string;
  /** Where the prebuilt search index is cached. */
  indexCacheDir: string;
  /** `SHARD_COUNT` / `SHARD_IDS`. Undefined when both are unset: one shard, as a small bot runs. */
  shards?: ShardConfig;
  /** `CLUSTER_PROCESSES`: processes `npm run cluster` starts. Undefined: the number of CPU cores. */
  clusterProcesses?: number;
  /** `METRICS_PORT` / `METRICS_HOST`: where `/metrics` and `/healthz` listen. Undefined: no metrics server. */
  metrics?: { host: string; port: number };
}

/**
 * Thrown when the environment is invalid; `problems` is one readable phrase per variable. The message is
 * one line (operators grep logs and process supervisors show the last line).
 */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`zhenyan: invalid configuration: ${problems.join('; ')} (see .env.example)`);
  }
}

/** Validates `env` (empty strings count as unset, as in most `.env` files). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value.trim() !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    // Never echo the received value: it could be a secret.
    throw new ConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  }
  const v = parsed.data;
  if (v.DATABASE_URL !== undefined) {
    // Never echo the value: it holds the password.
    let url: URL | null = null;
    try {
      url = new URL(v.DATABASE_URL);
    } catch {
      throw new ConfigError(['DATABASE_URL: malformed (expected postgres://user:password@host:5432/database)']);
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      throw new ConfigError([`DATABASE_URL: must start with postgres:// or postgresql:// (got ${url.protocol}//…)`]);
    }
    if (url.hostname === '') throw new ConfigError(['DATABASE_URL: has no host (expected postgres://user:password@host:5432/database)']);
  }
  if (!Intl.supportedValuesOf('timeZone').includes(v.DEFAULT_TIMEZONE) && v.DEFAULT_TIMEZONE !== 'UTC') {
    throw new ConfigError([`DEFAULT_TIMEZONE: "${v.DEFAULT_TIMEZONE}" is not an IANA time zone (e.g. Asia/Shanghai)`]);
  }
  if (v.SHARD_IDS && v.SHARD_COUNT === undefined) {
    throw new ConfigError(['SHARD_IDS: needs SHARD_COUNT (the total number of shards, or auto)']);
  }
  if (v.SHARD_IDS && typeof v.SHARD_COUNT === 'number') {
    const count = v.SHARD_COUNT;
    const outside = v.SHARD_IDS.find((id) => id >= count);
    if (outside !== undefined) throw new ConfigError([`SHARD_IDS: shard ${outside} does not exist with SHARD_COUNT=${count} (ids are 0 to ${count - 1})`]);
  }
  return {
    discordToken: v.DISCORD_TOKEN,
    discordClientId: v.DISCORD_CLIENT_ID,
    discordGuildId: v.DISCORD_GUILD_ID,
    discordApiUrl: v.DISCORD_API_URL,
    databasePath: v.DATABASE_PATH,
    databaseUrl: v.DATABASE_URL,
    dailyLeaseMs: v.DAILY_LEASE_MS,
    discordGlobalRps: v.DISCORD_GLOBAL_RPS,
    logLevel: v.LOG_LEVEL,
    defaultTimeZone: v.DEFAULT_TIMEZONE,
    indexCacheDir: v.INDEX_CACHE_DIR,
    ...(v.SHARD_COUNT !== undefined ? { shards: { count: v.SHARD_COUNT, ids: v.SHARD_IDS ?? null } } : {}),
    ...(v.CLUSTER_PROCESSES !== undefined ? { clusterProcesses: v.CLUSTER_PROCESSES } : {}),
    ...(v.METRICS_PORT !== undefined ? { metrics: { host: v.METRICS_HOST, port: v.METRICS_PORT } } : {}),
  };
}

/** The configuration as safe-to-log fields (the token only as "set"/"unset"). */
export function describeConfig(config: Config): Record<string, unknown> {
  return {
    token: config.discordToken ? 'set' : 'unset',
    clientId: config.discordClientId ?? null,
    guildId: config.discordGuildId ?? null,
    apiUrl: config.discordApiUrl ?? null,
    databasePath: config.databaseUrl ? null : config.databasePath,
    database: config.databaseUrl ? `postgres ${safeDatabaseUrl(config.databaseUrl)}` : 'sqlite',
    logLevel: config.logLevel,
    defaultTimeZone: config.defaultTimeZone,
    shards: config.shards ? { count: config.shards.count, ids: config.shards.ids ?? 'all' } : null,
    metrics: config.metrics ? `${config.metrics.host}:${config.metrics.port}` : null,
  };
}

/** `host:port/database` of a PostgreSQL URL: safe to log (no user, no password). */
export function safeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(malformed)';
  }
}
