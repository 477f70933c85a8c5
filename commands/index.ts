/**
 * Every command the bot registers and answers, in `/help` order. Imported only by the composition roots
 * (`src/main.ts`, `src/deploy.ts`) and tests: the bot layer (`src/bot/`) never imports commands.
 * Adding a command: create `commands/<name>.ts` with `defineCommand`, add it here, `npm run deploy`.
 */
import type { Command } from '../src/bot/types.ts';
import daily from './daily.ts';
import help from './help.ts';
import perspectives from './perspectives.ts';
import quote from './quote.ts';
import random from './random.ts';
import sources from './sources.ts';
import speaker from './speaker.ts';
import tip from './tip.ts';

/** Every command, in `/help` order. */
export const COMMANDS: readonly Command[] = [quote, perspectives, random, speaker, sources, tip, daily, help];
