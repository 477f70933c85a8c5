/** The explicit list of commands. Adding a command: create `commands/<name>.ts`, add it here, `npm run deploy`. */
import daily from '../../commands/daily.ts';
import help from '../../commands/help.ts';
import quote from '../../commands/quote.ts';
import random from '../../commands/random.ts';
import sources from '../../commands/sources.ts';
import speaker from '../../commands/speaker.ts';
import tip from '../../commands/tip.ts';
import type { Command } from './types.ts';

/** Every command the bot registers and answers, in `/help` order. */
export const COMMANDS: readonly Command[] = [quote, random, speaker, sources, tip, daily, help];
