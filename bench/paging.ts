/**
 * `npx tsx bench/paging.ts`: what stateless paging costs. For every benchmark query that gives more than
 * one result, `/quote` runs through the router, then "next" is clicked on a *fresh* router and services
 * (as on another process, or after a restart): the click reads the search back from the message, checks
 * its digest, re-runs the search and renders page 2. Prints the click's latency next to the command's,
 * and the longest custom_id seen. Not a test: numbers only.
 */
import { COMMANDS } from '../commands/index.ts';
import { maxCustomIdLength } from '../src/bot/custom-id.ts';
import { InteractionRouter } from '../src/bot/router.ts';
import type { ButtonContext, CommandContext, ReplyPayload, Services } from '../src/bot/types.ts';
import { testServices } from '../test/support/contexts.ts';
import { readQueries } from './make-queries.ts';

const OWNER = '100000000000000001';
// Fresh services for each router, over one loaded corpus (as two processes would have).
const services = (): Services => testServices();
const asker = new InteractionRouter(COMMANDS, services(), null);
const clicker = new InteractionRouter(COMMANDS, services(), null);
const invocation = { user: { id: OWNER, name: 'bench' }, locale: 'en' as const, guildId: '300000000000000001', channelId: '300000000000000002', memberPermissions: null, appPermissions: null };

async function command(query: string, speaker: string | null): Promise<ReplyPayload | undefined> {
  let reply: ReplyPayload | undefined;
  const context: CommandContext = {
    ...invocation,
    commandName: 'quote',
    services: services(),
    options: { subcommand: () => null, string: (name) => (name === 'query' ? query : name === 'speaker' ? speaker : null), integer: () => null, boolean: () => null, channel: () => null, role: () => null },
    reply: async (payload) => void (reply = payload),
    defer: async () => undefined,
  };
  await asker.command(context);
  return reply;
}

async function click(customId: string, message: ReplyPayload): Promise<ReplyPayload | undefined> {
  let updated: ReplyPayload | undefined;
  const context: ButtonContext = {
    ...invocation,
    customId,
    message: { embeds: message.embeds ?? [], interactionUserId: OWNER },
    services: services(),
    update: async (payload) => void (updated = payload),
    reply: async () => undefined,
    defer: async () => undefined,
  };
  await clicker.button(context);
  return updated;
}

function summary(samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!.toFixed(3);
  return `median ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${sorted.at(-1)!.toFixed(3)} ms`;
}

const queries = readQueries();
const commandMs: number[] = [];
const clickMs: number[] = [];
let longest = 0;
let failed = 0;
for (let round = 0; round < 4; round++) {
  for (const query of queries) {
    let started = performance.now();
    const reply = await command(query.text, query.speaker ?? null);
    const tookCommand = performance.now() - started;
    const ids = (reply?.components ?? []).flatMap((row) => row.components).flatMap((c) => ('custom_id' in c ? [c.custom_id] : []));
    for (const id of ids) longest = Math.max(longest, id.length);
    const next = ids.find((id) => id.startsWith('quote:page:') && id.endsWith(':1'));
    if (!reply || !next) continue;
    started = performance.now();
    const page = await click(next, reply);
    const tookClick = performance.now() - started;
    if (!page) failed++;
    // Round 0 warms the JIT up; later rounds are measured.
    if (round > 0) {
      commandMs.push(tookCommand);
      clickMs.push(tookClick);
    }
  }
}
console.log(`queries: ${queries.length}, measured pairs: ${clickMs.length} (3 rounds after a warm-up), clicks that did not page: ${failed}`);
console.log(`/quote through the router:           ${summary(commandMs)}`);
console.log(`"next" on a fresh router (stateless): ${summary(clickMs)}`);
console.log(`longest custom_id sent: ${longest} characters; bounds: quotePage ${maxCustomIdLength('quotePage')}, quoteContext ${maxCustomIdLength('quoteContext')} (limit 100)`);
