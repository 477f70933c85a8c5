/**
 * Which shards a process runs: `SHARD_COUNT` (a number, or `auto` for Discord's recommendation from
 * `GET /gateway/bot`) and `SHARD_IDS` (this process's share; all of them when unset).
 */
import { REST, Routes } from 'discord.js';
import type { RESTGetAPIGatewayBotResult } from 'discord-api-types/v10';
import { ConfigError, type ShardConfig } from '../config.ts';

/** The shards of one process, as discord.js's `shards` / `shardCount` client options take them. */
export interface ShardPlan {
  /** Shard ids this process connects, ascending. */
  ids: number[];
  /** The bot's total shard count (every process of every machine uses the same one). */
  count: number;
}

/**
 * Discord's recommended shard count for this bot (`GET /gateway/bot` → `shards`), through `apiUrl`
 * (a REST proxy or the fake Discord) when set.
 */
export async function recommendedShardCount(token: string, apiUrl?: string): Promise<number> {
  const rest = new REST({ ...(apiUrl ? { api: apiUrl } : {}), retries: 2 }).setToken(token);
  const gateway = (await rest.get(Routes.gatewayBot())) as RESTGetAPIGatewayBotResult;
  if (!Number.isInteger(gateway.shards) || gateway.shards < 1) throw new Error(`GET /gateway/bot returned shards=${String(gateway.shards)}`);
  return gateway.shards;
}

/**
 * Turns the configuration into concrete shard ids. Undefined when sharding is not configured (one
 * shard, as discord.js does by default). Throws {@link ConfigError} when `SHARD_IDS` names a shard that
 * does not exist under the count Discord recommended.
 */
export async function planShards(config: ShardConfig | undefined, recommended: () => Promise<number>): Promise<ShardPlan | undefined> {
  if (!config) return undefined;
  const count = config.count === 'auto' ? await recommended() : config.count;
  const ids = config.ids ?? Array.from({ length: count }, (_, id) => id);
  const outside = ids.find((id) => id >= count);
  if (outside !== undefined) {
    throw new ConfigError([`SHARD_IDS: shard ${outside} does not exist with ${count} shards${config.count === 'auto' ? ' (SHARD_COUNT=auto, as Discord recommends)' : ''}`]);
  }
  return { ids, count };
}
