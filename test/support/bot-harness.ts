/** Starts the real bot (real discord.js client) against the local fake Discord, for end-to-end tests. */
import { Writable } from 'node:stream';
import type { Config } from '../../src/config.ts';
import { loadLibrary, type Library } from '../../src/core/library.ts';
import { createLogger } from '../../src/logger.ts';
import { startBot, type RunningBot, type StartBotOptions } from '../../src/bot/start.ts';
import { COMMANDS } from '../../commands/index.ts';
import { FakeDiscord, noIdentifyThrottle, type FakeDiscordOptions } from './fake-discord.ts';

let sharedLibrary: Library | undefined;

/** One library per test process: loading jieba and building the index is the slow part. */
export function testLibrary(): Library {
  sharedLibrary ??= loadLibrary();
  return sharedLibrary;
}

/** A running fake Discord plus the bot connected to it, and every log line the bot wrote. */
export interface BotHarness {
  fake: FakeDiscord;
  bot: RunningBot;
  /** Raw JSON log lines, as written (after secret scrubbing). */
  logLines: string[];
  stop(): Promise<void>;
}

/** Options of {@link startHarness}. */
export interface HarnessOptions {
  fake?: FakeDiscordOptions;
  /** Connect to this already running fake (a restart) instead of starting one; it is then not stopped. */
  reuseFake?: FakeDiscord;
  config?: Partial<Config>;
  /** Bot options; `commands` defaults to every command of `commands/index.ts`. */
  bot?: Partial<Omit<StartBotOptions, 'library' | 'logger' | 'config'>>;
}

/** Starts the fake Discord and the bot, and waits until the bot has its guilds. */
export async function startHarness(options: HarnessOptions = {}): Promise<BotHarness> {
  const fake = options.reuseFake ?? (await FakeDiscord.start(options.fake));
  const logLines: string[] = [];
  const config: Config = {
    discordToken: fake.token,
    discordClientId: fake.applicationId,
    discordGuildId: undefined,
    discordApiUrl: fake.apiUrl,
    databasePath: ':memory:',
    logLevel: 'info',
    defaultTimeZone: 'Asia/Shanghai',
    indexCacheDir: 'var/index-cache',
    ...options.config,
  };
  const logger = createLogger({
    level: 'debug',
    secrets: [config.discordToken],
    destination: new Writable({
      write(chunk, _encoding, callback) {
        logLines.push(...String(chunk).split('\n').filter(Boolean));
        callback();
      },
    }),
  });
  const bot = await startBot({
    library: testLibrary(),
    logger,
    config,
    handleSignals: false,
    client: { retries: 1, restTimeoutMs: 5_000, ws: noIdentifyThrottle },
    ...options.bot,
    commands: options.bot?.commands ?? COMMANDS,
  });
  return {
    fake,
    bot,
    logLines,
    async stop() {
      await bot.stop();
      if (!options.reuseFake) await fake.stop();
    },
  };
}
