/**
 * Configuration from the environment, validated once at start-up. Secrets come from the environment
 * only; {@link describeConfig} prints the configuration without them.
 */
import { z } from 'zod';

const snowflake = z.string().regex(/^\d{17,20}$/u, 'must be a Discord id (17–20 digits)');

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
});

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
}

/** Thrown when the environment is invalid; `problems` is one readable line per variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`zhenyan: invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
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
