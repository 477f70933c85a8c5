/**
 * `npm run rest-proxy`: two separate client processes send through one proxy; a 429 with `retry_after`
 * that one of them triggers holds the other's request to the same route until the window is over, so
 * together they never go past Discord's limit. The fake Discord answers the 429.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from '../support/fake-discord.ts';
import { runEntry, type LogLine, type RunningProcess } from '../support/processes.ts';

const RETRY_AFTER_MS = 2_000;

let fake: FakeDiscord;
let proxy: RunningProcess;
let proxyUrl: string;
const clients: RunningProcess[] = [];

beforeAll(async () => {
  fake = await FakeDiscord.start();
  proxy = runEntry('src/rest-proxy.ts', { REST_PROXY_PORT: '0', DISCORD_API_URL: fake.apiUrl, DISCORD_TOKEN: fake.token });
  const listening = await proxy.waitForLine((l) => l.msg?.startsWith('REST proxy listening') === true, 30_000, 'the proxy listening');
  proxyUrl = listening.url as string;
  for (let i = 0; i < 2; i++) {
    const client = runEntry('test/support/rest-client.ts', { API: proxyUrl, TOKEN: fake.token, CHANNEL: fake.guild!.channels[0]!.id }, { stdin: true });
    clients.push(client);
  }
  await Promise.all(clients.map((c) => c.waitForLine((l) => l.msg === 'ready', 30_000, 'a client ready')));
}, 60_000);

afterAll(async () => {
  for (const client of clients) await client.stop();
  await proxy?.stop();
  await fake?.stop();
});

function send(client: RunningProcess, content: string): Promise<LogLine> {
  client.child.stdin!.write(`${content}\n`);
  return client.waitForLine((l) => l.msg === 'done' && l.line === content, 20_000, `the answer to ${content}`);
}

describe('REST proxy', () => {
  it('listens on the port it was given (0: a free one) under /api', () => {
    expect(proxyUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api$/u);
  });

  it('forwards requests with the client’s own token and returns Discord’s answer', async () => {
    const done = await send(clients[0]!, 'hello through the proxy');
    expect(done.status).toBe(200);
    const request = fake.requests.find((r) => r.body?.content === 'hello through the proxy')!;
    expect(request.authorization).toBe('valid');
  });

  it('shares the bucket: a 429 seen through one process delays the other process’s request', async () => {
    const [first, second] = clients as [RunningProcess, RunningProcess];
    const path = `/channels/${fake.guild!.channels[0]!.id}/messages`;
    fake.rateLimitNext('POST', path, { retryAfterMs: RETRY_AFTER_MS });

    const firstDone = send(first, 'first');
    const limited = await fake.waitForRequest((r) => r.status === 429 && r.body?.content === 'first', 10_000);
    const windowEnds = limited.receivedAtEpochMs + RETRY_AFTER_MS;
    const secondDone = await send(second, 'second');
    expect((await firstDone).status).toBe(200);
    expect(secondDone.status).toBe(200);

    // The second process asked inside the window…
    expect(secondDone.sentAt as number).toBeLessThan(windowEnds - 500);
    // …and its request reached Discord only after the window, without ever being refused itself.
    const secondRequests = fake.requests.filter((r) => r.body?.content === 'second');
    expect(secondRequests).toHaveLength(1);
    expect(secondRequests[0]!.status).toBe(200);
    expect(secondRequests[0]!.receivedAtEpochMs).toBeGreaterThanOrEqual(windowEnds - 50);
    // The first one was retried by the proxy after the window, once.
    const firstRequests = fake.requests.filter((r) => r.body?.content === 'first');
    expect(firstRequests.map((r) => r.status)).toEqual([429, 200]);
    expect(firstRequests[1]!.receivedAtEpochMs).toBeGreaterThanOrEqual(windowEnds - 50);

    const warning = await proxy.waitForLine((l) => typeof l.msg === 'string' && l.msg.startsWith('rate limited'), 5_000, 'the proxy logging the limit');
    expect(warning.retryAfterMs).toBeGreaterThan(0);
    const everything = JSON.stringify(proxy.lines) + proxy.stderr();
    expect(everything).not.toContain(fake.token);
  });
});
