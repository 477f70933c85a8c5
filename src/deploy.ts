/**
 * `npm run deploy`: registers every command with one bulk PUT (overwriting the previous set), to
 * DISCORD_GUILD_ID when set (instant; for development), else globally. Never run at start-up.
 */
import { existsSync } from 'node:fs';
import { REST, Routes } from 'discord.js';
import { ConfigError, loadConfig } from './config.ts';
import { COMMANDS } from '../commands/index.ts';

if (existsSync('.env')) process.loadEnvFile('.env');

try {
  const config = loadConfig();
  if (!config.discordToken || !config.discordClientId) {
    throw new ConfigError([
      ...(config.discordToken ? [] : ['DISCORD_TOKEN: required to deploy commands']),
      ...(config.discordClientId ? [] : ['DISCORD_CLIENT_ID: required to deploy commands (the application id)']),
    ]);
  }
  const rest = new REST(config.discordApiUrl ? { api: config.discordApiUrl } : {}).setToken(config.discordToken);
  const body = COMMANDS.map((command) => command.data);
  const route = config.discordGuildId
    ? Routes.applicationGuildCommands(config.discordClientId, config.discordGuildId)
    : Routes.applicationCommands(config.discordClientId);
  const result = (await rest.put(route, { body })) as unknown[];
  process.stdout.write(
    `Deployed ${result.length} commands ${config.discordGuildId ? `to server ${config.discordGuildId}` : 'globally (may take up to an hour to appear)'}: ${body.map((c) => `/${c.name}`).join(' ')}\n`,
  );
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  // discord.js errors can carry request details; print only the message, never the token.
  process.stderr.write(`zhenyan: deploy failed: ${(error as Error).message}\n`);
  process.exit(1);
}
