/**
 * `npm start`. With DISCORD_TOKEN set: loads the corpus and index, then connects to Discord. Without
 * it: explains how to get a token and starts the local console on standard input.
 */
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import pino from 'pino';
import { ConfigError, describeConfig, loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { loadLibrary } from './core/library.ts';
import { nodejiebaBuild } from './core/text/tokenizer.ts';
import { runConsoleLine } from './bot/console.ts';
import { applyClusterEnv, exitWithManager, isClusterChild, reportClusterReady } from './bot/cluster-child.ts';
import { startBot, type RunningBot } from './bot/start.ts';
import { StorageError } from './core/store/database.ts';
import { buildServices } from './bot/services.ts';
import { LibraryHolder } from './bot/library-holder.ts';
import { formatProblem } from './core/corpus/load.ts';
import { COMMANDS } from '../commands/index.ts';

if (existsSync('.env')) process.loadEnvFile('.env');
// Started by `npm run cluster`: take this process's shards from the cluster manager.
applyClusterEnv(process.env);

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

const consoleMode = !config.discordToken;
// In console mode stdout is the conversation: logs go to stderr.
const logger = createLogger({
  level: consoleMode && !process.env.LOG_LEVEL ? 'warn' : config.logLevel,
  secrets: [config.discordToken],
  destination: consoleMode ? pino.destination({ dest: 2, sync: true }) : undefined,
});
logger.info({ pid: process.pid, config: describeConfig(config) }, 'starting');

// A cache that cannot be read or written is not fatal (the index is built in memory): logged, ignored.
const libraryOptions = { indexCacheDir: config.indexCacheDir, onCacheProblem: (message: string) => logger.warn({ indexCacheDir: config.indexCacheDir }, message) };
const loaded = loadLibrary(libraryOptions);
// A bad data file is skipped, not fatal: log it the way `cli check` prints it.
for (const problem of loaded.problems) logger.error({ file: problem.file, line: problem.line }, `${formatProblem(problem)} (file skipped)`);
logger.info({ interviews: loaded.interviews.length, passages: loaded.passages.length, tips: loaded.tipIds.length, skipped: loaded.problems.length, ...loaded.stats, nodejieba: nodejiebaBuild() }, 'index ready');
// SIGHUP re-reads data/ and swaps the new library in (see bot/library-holder.ts); services read through the view.
const holder = new LibraryHolder(loaded, { libraryOptions, logger });
process.on('SIGHUP', () => void holder.reload());
const library = holder.view;

if (consoleMode) {
  if (process.stdin.isTTY) {
    process.stderr.write(
      [
        'No DISCORD_TOKEN set: starting the local console (same commands, replies as text).',
        'To run in Discord: create an application at https://discord.com/developers/applications,',
        'copy its bot token and application id into .env (see .env.example and README.md), then `npm run deploy` and `npm start`.',
        'Type a command, e.g. /quote 卖房创业  or  /quote query:融资 speaker:季昕华  or  /help. Ctrl-D quits.',
        '',
      ].join('\n'),
    );
  }
  const services = buildServices({ library, logger, config, consoleMode: true, commands: COMMANDS });
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim().length === 0) continue;
    process.stdout.write(`${await runConsoleLine(line, services.router, services.services)}\n\n`);
  }
  await services.close();
} else {
  const clusterChild = isClusterChild();
  let bot: RunningBot | undefined;
  if (clusterChild) exitWithManager(() => bot?.stop());
  try {
    bot = await startBot({ library, logger, config, commands: COMMANDS, onReady: clusterChild ? reportClusterReady : undefined });
  } catch (error) {
    // A shard plan that does not fit Discord's recommendation (SHARD_COUNT=auto), a bad DATABASE_URL, an
    // unreachable server, an unopenable file: one line, no secret, non-zero exit.
    if (error instanceof ConfigError || error instanceof StorageError) {
      process.stderr.write(`${error.message.split('\n')[0]}\n`);
      process.exit(1);
    }
    throw error;
  }
}
