/**
 * The request handler of `npm run rest-proxy`: @discordjs/proxy's `proxyRequests`, with one difference
 * that matters: the request body is read into memory before it is queued.
 *
 * Why not `proxyRequests` as is: it hands @discordjs/rest the incoming request *stream* as the body
 * (`passThroughBody`). When Discord answers 429 and @discordjs/rest waits and retries (its whole point
 * here), the stream has already been consumed and the retry goes out with an EMPTY body: Discord answers
 * 400 and the message is lost (measured against the fake Discord: `test/e2e/rest-proxy.test.ts`). A
 * buffer can be sent again. Everything else (route parsing, forwarded headers, responses, errors) is
 * @discordjs/proxy's own code.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { URL } from 'node:url';
import { populateErrorResponse, populateSuccessfulResponse } from '@discordjs/proxy';
import type { REST, RequestMethod, RouteLike } from 'discord.js';

/** Largest request body accepted (Discord's own upload limit for boosted servers is 500 MiB). */
const MAX_BODY_BYTES = 512 * 1024 * 1024;

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new RangeError('request body too large');
    chunks.push(chunk as Buffer);
  }
  return size === 0 ? undefined : Buffer.concat(chunks);
}

/** A `node:http` handler that queues every request on `rest` (shared buckets) and relays Discord's answer. */
export function replayableProxyRequests(rest: REST): (request: IncomingMessage, response: ServerResponse) => Promise<void> {
  return async (request, response) => {
    const { method, url } = request;
    if (!method || !url) throw new TypeError('Invalid request: missing method or url');
    const parsedUrl = new URL(url, 'http://noop');
    // As @discordjs/proxy: clients use `DISCORD_API_URL=http://proxy/api`, discord.js adds `/v10`.
    const fullRoute = parsedUrl.pathname.replace(/^\/api(\/v\d+)?/u, '') as RouteLike;
    const headers: Record<string, string> = {};
    if (request.headers['content-type']) headers['Content-Type'] = request.headers['content-type'];
    if (request.headers.authorization) headers.authorization = request.headers.authorization;
    const reason = request.headers['x-audit-log-reason'];
    if (typeof reason === 'string') headers['x-audit-log-reason'] = reason;
    try {
      let body: Buffer | undefined;
      try {
        body = await readBody(request);
      } catch {
        response.statusCode = 413;
        return;
      }
      const discordResponse = await rest.queueRequest({
        ...(body ? { body } : {}),
        fullRoute,
        method: method as RequestMethod,
        auth: false, // the client's own Authorization header is forwarded
        passThroughBody: true,
        query: parsedUrl.searchParams,
        headers,
      });
      await populateSuccessfulResponse(response, discordResponse);
    } catch (error) {
      if (!populateErrorResponse(response, error)) throw error;
    } finally {
      response.end();
    }
  };
}
