/**
 * `npm run rest-proxy`: one REST rate-limit state for every process of the bot. @discordjs/proxy in front
 * of @discordjs/rest (`src/bot/rest-proxy.ts`): each bot process sets `DISCORD_API_URL=http://HOST:PORT/api`, sends its requests
 * here, and this process queues them per Discord bucket and honours every 429 (`retry_after`, global
 * limit) for all of them at once. Requests keep the Authorization header their process sent.
 *
 * Environment: `REST_PROXY_PORT` (required; 0 picks a free port, logged), `REST_PROXY_HOST` (default
 * 127.0.0.1), `DISCORD_TOKEN` (optional, see below; never logged), `DISCORD_API_URL` (upstream, default
 * Discord itself; tests point it at the fake Discord).
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REST } from 'discord.js';
import { z } from 'zod';
import { createLogger } from './logger.ts';
import { replayableProxyRequests } from './bot/rest-proxy.ts';

if (existsSync('.env')) process.loadEnvFile('.env');

const schema = z.object({
  REST_PROXY_PORT: z.string({ error: 'required: the port to listen on, e.g. 8080 (0 picks a free port)' }).regex(/^\d{1,5}$/u, 'must be a port number (0–65535; 0 picks a free port)').transform(Number).refine((p) => p <= 65_535, 'must be a port number (0–65535)'),
  REST_PROXY_HOST: z.string().min(1).default('127.0.0.1'),
  DISCORD_TOKEN: z.string().min(1).optional(),
  DISCORD_API_URL: z.url({ message: 'must be a URL such as https://discord.com/api' }).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
const cleaned = Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== undefined && value.trim() !== ''));
const parsed = schema.safeParse(cleaned);
if (!parsed.success) {
  process.stderr.write(`zhenyan: invalid configuration: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')} (see .env.example)\n`);
  process.exit(1);
}
const env = parsed.data;
const logger = createLogger({ level: env.LOG_LEVEL, secrets: [env.DISCORD_TOKEN] }).child({ component: 'rest-proxy' });

// The proxy forwards each request's own Authorization header (@discordjs/proxy sends with `auth: false`),
// so the token set here is only a default for a client that sends none.
const rest = new REST({ ...(env.DISCORD_API_URL ? { api: env.DISCORD_API_URL } : {}) });
if (env.DISCORD_TOKEN) rest.setToken(env.DISCORD_TOKEN);
rest.on('rateLimited', (info) => logger.warn({ route: info.route, method: info.method, global: info.global, retryAfterMs: info.retryAfter, scope: info.scope }, 'rate limited: holding this bucket for every process'));

// @discordjs/proxy's handler, with the body buffered so a request retried after a 429 keeps it (see there).
const handle = replayableProxyRequests(rest);
const server = createServer((request, response) => {
  handle(request, response).catch((error: unknown) => {
    logger.error({ err: error, method: request.method }, 'proxy request failed');
    if (!response.headersSent) response.writeHead(502);
    response.end();
  });
});
server.listen(env.REST_PROXY_PORT, env.REST_PROXY_HOST, () => {
  const { address, port } = server.address() as AddressInfo;
  logger.info({ url: `http://${address}:${port}/api`, upstream: env.DISCORD_API_URL ?? 'https://discord.com/api' }, 'REST proxy listening: set DISCORD_API_URL to this url in every bot process');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
