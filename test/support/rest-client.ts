/**
 * A minimal bot-like REST client for the REST proxy test, run as its own process: @discordjs/rest (as the
 * bot's discord.js uses it) pointed at `API`, posting one message to channel `CHANNEL` per line read on
 * standard input, printing `{ line, sentAt, doneAt, status }` (epoch ms) per request as a JSON line.
 */
import { createInterface } from 'node:readline';
import { DiscordAPIError, REST } from 'discord.js';

const rest = new REST({ api: process.env.API, retries: 0, timeout: 15_000 }).setToken(process.env.TOKEN ?? '');
process.stdout.write(`${JSON.stringify({ msg: 'ready', pid: process.pid })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  const sentAt = Date.now();
  void rest.post(`/channels/${process.env.CHANNEL}/messages`, { body: { content: line } }).then(
    () => process.stdout.write(`${JSON.stringify({ msg: 'done', line, sentAt, doneAt: Date.now(), status: 200 })}\n`),
    (error: unknown) => process.stdout.write(`${JSON.stringify({ msg: 'done', line, sentAt, doneAt: Date.now(), status: error instanceof DiscordAPIError ? error.status : 0, error: String(error) })}\n`),
  );
}
