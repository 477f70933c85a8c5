import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import {
  ChannelType,
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  type Interaction,
  type TextChannel,
} from 'discord.js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  FakeDiscord,
  autocomplete,
  button,
  noIdentifyThrottle,
  slashCommand,
  type FakeDiscordOptions,
  type InteractionCallback,
} from './fake-discord.ts';

const GUILD_ID = '300000000000000001';
const CHANNEL_ID = '300000000000000002';
const ROLE_ID = '300000000000000003';

const guildOptions: FakeDiscordOptions = {
  guilds: [
    {
      id: GUILD_ID,
      name: 'Test Guild',
      channels: [{ id: CHANNEL_ID, name: 'general', type: 0 }],
      roles: [{ id: ROLE_ID, name: 'Moderators', permissions: '8' }],
    },
  ],
};

type Handler = (interaction: Interaction) => Promise<unknown>;

interface Harness {
  fake: FakeDiscord;
  client: Client;
  handlerErrors: unknown[];
  setHandler(handler: Handler): void;
}

const latencies: number[] = [];
let current: Harness | undefined;

function record(cb: InteractionCallback): InteractionCallback {
  latencies.push(cb.latencyMs);
  return cb;
}

async function startHarness(options: FakeDiscordOptions = guildOptions): Promise<Harness> {
  const fake = await FakeDiscord.start(options);
  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: fake.restOptions({ retries: 1, timeout: 3_000 }),
    ws: noIdentifyThrottle,
  });
  const handlerErrors: unknown[] = [];
  let handler: Handler = async () => undefined;
  client.on(Events.InteractionCreate, (interaction) => {
    handler(interaction).catch((error: unknown) => handlerErrors.push(error));
  });
  const ready = once(client, Events.ClientReady);
  await client.login(fake.token);
  await ready;
  current = { fake, client, handlerErrors, setHandler: (h) => (handler = h) };
  return current;
}

afterEach(async () => {
  if (!current) return;
  const { fake, client, handlerErrors } = current;
  current = undefined;
  await client.destroy();
  await fake.stop();
  expect(handlerErrors).toEqual([]);
});

afterAll(() => {
  if (latencies.length === 0) return;
  const sorted = [...latencies].sort((a, b) => a - b);
  const pick = (q: number): string => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN).toFixed(2);
  console.log(
    `[fake-discord] callback latency over ${sorted.length} interactions: p50 ${pick(0.5)} ms, p95 ${pick(0.95)} ms, max ${pick(1)} ms`,
  );
});

describe('FakeDiscord with the real discord.js Client', () => {
  it('logs in (gateway/bot, IDENTIFY, READY, GUILD_CREATE) and records authorised REST calls', async () => {
    const { fake, client } = await startHarness();
    expect(client.user?.id).toBe(fake.botUser.id);
    expect(client.application?.id).toBe(fake.applicationId);
    const guild = client.guilds.cache.get(GUILD_ID);
    expect(guild?.name).toBe('Test Guild');
    expect(guild?.channels.cache.get(CHANNEL_ID)?.type).toBe(ChannelType.GuildText);
    expect(guild?.roles.cache.get(ROLE_ID)?.name).toBe('Moderators');
    expect(guild?.members.me?.id).toBe(fake.botUser.id);

    const gw = fake.requests.find((r) => r.path === '/gateway/bot');
    expect(gw?.authorization).toBe('valid');
    expect(gw?.headers.authorization).toBeUndefined();
    expect(gw?.headers['user-agent']).toMatch(/DiscordBot/);
    expect(fake.identifyCount).toBe(1);
    expect(fake.gatewayConnections[0]?.query).toEqual({ v: '10', encoding: 'json' });

    // Command registration (bulk overwrite) round-trips with ids.
    const set = await client.application!.commands.set([{ name: 'quote', description: 'A quote' }], GUILD_ID);
    expect(set.first()?.name).toBe('quote');
    expect(fake.commands.get(GUILD_ID)?.[0]?.id).toBe(set.first()?.id);

    // Unknown routes: Discord-shaped 404, recorded.
    await expect(client.rest.get('/nope/nothing')).rejects.toMatchObject({ status: 404, code: 0 });
    expect(fake.requests.at(-1)?.status).toBe(404);
    await expect(client.channels.fetch('999999999999999999')).rejects.toMatchObject({ code: 10003 });
  });

  it('records an ephemeral reply callback with allowed_mentions', async () => {
    const { fake, setHandler } = await startHarness();
    setHandler(async (i) => {
      if (!i.isChatInputCommand()) return;
      expect(i.commandName).toBe('quote');
      expect(i.options.getString('query')).toBe('focus');
      expect(i.options.getInteger('count')).toBe(3);
      expect(i.guildId).toBe(GUILD_ID);
      await i.reply({ content: 'hi', flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
    });
    const cb = record(await fake.sendInteraction(slashCommand('quote', { query: 'focus', count: 3 })));
    expect(cb.type).toBe(4);
    expect(cb.data.content).toBe('hi');
    expect(cb.data.flags).toBe(64);
    expect(cb.data.allowed_mentions).toEqual({ parse: [] });
    expect(cb.withResponse).toBe(false);
    expect(cb.request.status).toBe(204);
    expect(cb.latencyMs).toBeGreaterThan(0);
    expect(fake.originalMessage(cb.interactionId)?.content).toBe('hi');
  });

  it('supports subcommands and a deferReply + editReply round trip', async () => {
    const { fake, setHandler } = await startHarness();
    const edited: string[] = [];
    setHandler(async (i) => {
      if (!i.isChatInputCommand()) return;
      expect(i.options.getSubcommand()).toBe('search');
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      const message = await i.editReply({ content: `result for ${i.options.getString('q')}` });
      edited.push(message.id);
      await i.followUp({ content: 'more', flags: MessageFlags.Ephemeral });
    });
    const sent = fake.dispatchInteraction(slashCommand('quote', { q: 'ai' }, { subcommand: 'search' }));
    const cb = record(await sent.waitForCallback());
    expect(cb.type).toBe(5);
    expect(cb.data.flags).toBe(64);
    const patch = await fake.waitForRequest((r) => r.method === 'PATCH' && r.path.endsWith(`/${sent.token}/messages/@original`));
    expect(patch.body.content).toBe('result for ai');
    expect(patch.authorization).toBe('none');
    const followup = await fake.waitForRequest((r) => r.method === 'POST' && r.path === `/webhooks/${fake.applicationId}/${sent.token}`);
    expect(followup.body).toMatchObject({ content: 'more', flags: 64 });
    expect(fake.originalMessage(sent.id)).toMatchObject({ content: 'result for ai', flags: 64 });
    expect(edited).toEqual([fake.originalMessage(sent.id)?.id]);
  });

  it('answers reply({ withResponse: true }) with an InteractionCallbackResponse', async () => {
    const { fake, setHandler } = await startHarness();
    let messageId: string | undefined;
    setHandler(async (i) => {
      if (!i.isChatInputCommand()) return;
      const response = await i.reply({ content: 'with response', withResponse: true });
      messageId = response.resource?.message?.id;
    });
    const cb = record(await fake.sendInteraction(slashCommand('quote')));
    expect(cb.withResponse).toBe(true);
    await expect.poll(() => messageId).toBe(fake.originalMessage(cb.interactionId)?.id);
  });

  it('handles autocomplete with the focused option', async () => {
    const { fake, setHandler } = await startHarness();
    setHandler(async (i) => {
      if (!i.isAutocomplete()) return;
      const focused = i.options.getFocused(true);
      await i.respond([{ name: `${focused.name}:${focused.value}`, value: 'v1' }]);
    });
    const cb = record(await fake.sendInteraction(autocomplete('quote', 'query', { query: 'jen', lang: 'en' })));
    expect(cb.type).toBe(8);
    expect(cb.data.choices).toEqual([{ name: 'query:jen', value: 'v1' }]);
  });

  it('handles a button press that updates its message', async () => {
    const { fake, setHandler } = await startHarness();
    setHandler(async (i) => {
      if (!i.isButton()) return;
      expect(i.customId).toBe('next:2');
      expect(i.message.author.id).toBe(fake.botUser.id);
      await i.update({ content: 'page 2', components: [] });
    });
    const cb = record(await fake.sendInteraction(button('next:2')));
    expect(cb.type).toBe(7);
    expect(cb.data).toMatchObject({ content: 'page 2', components: [] });
    expect(fake.messages.get(cb.interaction.message.id)).toMatchObject({ content: 'page 2', components: [] });
  });

  it('rejects a second acknowledgement like Discord (40060)', async () => {
    const { fake, setHandler } = await startHarness();
    const codes: unknown[] = [];
    setHandler(async (i) => {
      if (!i.isChatInputCommand()) return;
      await i.reply({ content: 'first' });
      // Bypass discord.js' own "already replied" guard to hit the server.
      await i.client.rest
        .post(`/interactions/${i.id}/${i.token}/callback`, { body: { type: 4, data: { content: 'again' } }, auth: false })
        .catch((error: { code?: unknown }) => codes.push(error.code));
    });
    record(await fake.sendInteraction(slashCommand('quote')));
    await expect.poll(() => codes).toEqual([40060]);
  });

  it('retries a channel message POST after a 500, then dedupes by enforce_nonce', async () => {
    const { fake, client } = await startHarness();
    fake.failNext('POST', '/channels/:id/messages', [{ status: 500, body: { message: '500: Internal Server Error', code: 0 } }]);
    const channel = (await client.channels.fetch(CHANNEL_ID)) as TextChannel;
    const first = await channel.send({ content: 'hello', nonce: 'n-1', enforceNonce: true });
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL_ID}/messages`);
    expect(posts.map((r) => r.status)).toEqual([500, 200]);
    expect(posts[1]?.body).toMatchObject({ content: 'hello', nonce: 'n-1', enforce_nonce: true });
    const again = await channel.send({ content: 'hello', nonce: 'n-1', enforceNonce: true });
    expect(again.id).toBe(first.id);
    const other = await channel.send({ content: 'hello', nonce: 'n-2', enforceNonce: true });
    expect(other.id).not.toBe(first.id);
    await expect(channel.send({ content: 'x'.repeat(2001) })).rejects.toMatchObject({ code: 50035 });
  });

  it('lists a channel\'s messages newest first, each with the nonce it was sent with', async () => {
    const { fake, client } = await startHarness();
    const channel = (await client.channels.fetch(CHANNEL_ID)) as TextChannel;
    await channel.send({ content: 'one', nonce: 'n-one', enforceNonce: true });
    await channel.send({ content: 'two', nonce: 'n-two', enforceNonce: true });
    const listed = (await client.rest.get(`/channels/${CHANNEL_ID}/messages`, { query: new URLSearchParams({ limit: '1' }) })) as Array<{ content: string; nonce: string }>;
    expect(listed.map((m) => [m.content, m.nonce])).toEqual([['two', 'n-two']]);
    const all = (await client.rest.get(`/channels/${CHANNEL_ID}/messages`)) as Array<{ nonce: string }>;
    expect(all.map((m) => m.nonce)).toEqual(['n-two', 'n-one']);
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === `/channels/${CHANNEL_ID}/messages`)).toBe(true);
  });

  it('enforces a global requests-per-second limit when asked: 429 global, discord.js waits and succeeds', async () => {
    const { fake, client } = await startHarness({ ...guildOptions, globalRequestsPerSecond: 5 });
    const channel = (await client.channels.fetch(CHANNEL_ID)) as TextChannel;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 12 }, (_, i) => channel.send({ content: `m${i}` })));
    const elapsed = performance.now() - t0;
    expect(fake.globalRateLimited).toBeGreaterThan(0);
    expect(elapsed).toBeGreaterThan(1000); // 13 requests at 5/s need more than a second
    const posted = fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${CHANNEL_ID}/messages` && r.status === 200);
    expect(posted).toHaveLength(12);
    // never more than 5 accepted per second on average
    const times = fake.requests.filter((r) => r.status !== 429 && r.path.startsWith('/channels/')).map((r) => r.receivedAtEpochMs);
    for (const t of times) expect(times.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(10);
    expect(times.length / ((Math.max(...times) - Math.min(...times)) / 1000 + 1)).toBeLessThanOrEqual(5);
  });

  it('survives per-route and global 429s and slow answers', async () => {
    const { fake, client } = await startHarness();
    const channel = (await client.channels.fetch(CHANNEL_ID)) as TextChannel;
    fake.rateLimitNext('POST', '/channels/:id/messages', { retryAfterMs: 100 });
    const t0 = performance.now();
    await channel.send('after route limit');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(90);
    fake.rateLimitNext('POST', '/channels/:id/messages', { retryAfterMs: 100, global: true });
    await channel.send('after global limit');
    const statuses = fake.requests.filter((r) => r.method === 'POST').map((r) => r.status);
    expect(statuses).toEqual([429, 200, 429, 200]);
    expect(fake.requests.filter((r) => r.status === 429).map((r) => r.responseBody)).toMatchObject([
      { global: false, retry_after: 0.1 },
      { global: true, retry_after: 0.1 },
    ]);
    fake.delayNext('GET', `/channels/${CHANNEL_ID}`, 150);
    const t1 = performance.now();
    await client.channels.fetch(CHANNEL_ID, { force: true });
    expect(performance.now() - t1).toBeGreaterThanOrEqual(140);
  });

  it('lets route() override responses', async () => {
    const { fake, client } = await startHarness();
    const off = fake.route('POST', /^\/channels\/\d+\/messages$/, () => ({
      status: 403,
      body: { message: 'Missing Permissions', code: 50013 },
    }));
    const channel = (await client.channels.fetch(CHANNEL_ID)) as TextChannel;
    await expect(channel.send('nope')).rejects.toMatchObject({ code: 50013, status: 403 });
    off();
    await expect(channel.send('yes')).resolves.toMatchObject({ content: 'yes' });
  });

  it('resumes after an abrupt 1006 drop and answers the next interaction', async () => {
    const { fake, client, setHandler } = await startHarness({ ...guildOptions, heartbeatIntervalMs: 1_000 });
    setHandler(async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: `pong ${i.options.getString('n')}` });
    });
    record(await fake.sendInteraction(slashCommand('ping', { n: '1' })));
    const reconnecting = once(client, Events.ShardReconnecting);
    fake.dropConnection(1006);
    await reconnecting;
    // Dispatched while disconnected: buffered and replayed on RESUME.
    const cb = record(await fake.sendInteraction(slashCommand('ping', { n: '2' }), 10_000));
    expect(cb.data.content).toBe('pong 2');
    expect(fake.resumeCount).toBe(1);
    expect(fake.identifyCount).toBe(1);
    expect(fake.gatewayConnections.map((c) => c.closeCode)).toEqual([1006, undefined]);
  });

  it('re-identifies after a non-resumable INVALID_SESSION and after close 4009 resumes', async () => {
    const { fake, client, setHandler } = await startHarness();
    setHandler(async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: 'ok' });
    });
    fake.sendInvalidSession(false);
    await fake.waitForIdentify(2);
    await fake.waitForReady();
    expect(client.guilds.cache.has(GUILD_ID)).toBe(true);
    record(await fake.sendInteraction(slashCommand('ping')));

    fake.dropConnection(4009);
    await fake.waitForResume(1);
    await fake.waitForReady();
    record(await fake.sendInteraction(slashCommand('ping')));

    // Arbitrary dispatches keep sequence numbers going.
    const before = fake.sequence;
    const deleted = once(client, Events.GuildDelete);
    expect(fake.dispatch('GUILD_DELETE', { id: GUILD_ID, unavailable: false })).toBe(before + 1);
    await deleted;
    expect(client.guilds.cache.has(GUILD_ID)).toBe(false);
  });

  it('detects a zombie connection when heartbeats stop being ACKed', async () => {
    const { fake } = await startHarness({ ...guildOptions, heartbeatIntervalMs: 150 });
    fake.stopAckingHeartbeats(1);
    await fake.waitForResume(1, 5_000);
    await fake.waitForReady();
    expect(fake.gatewayConnections[0]?.closeCode).toBe(4200);
  });

  it('measures callback latency over 50 sequential interactions', async () => {
    const { fake, setHandler } = await startHarness();
    setHandler(async (i) => {
      if (i.isChatInputCommand()) await i.reply({ content: 'x', flags: MessageFlags.Ephemeral });
    });
    const own: number[] = [];
    for (let n = 0; n < 50; n++) own.push(record(await fake.sendInteraction(slashCommand('ping'))).latencyMs);
    own.sort((a, b) => a - b);
    console.log(
      `[fake-discord] 50 sequential replies: min ${own[0]?.toFixed(2)} ms, p50 ${own[25]?.toFixed(2)} ms, p95 ${own[47]?.toFixed(2)} ms, max ${own[49]?.toFixed(2)} ms`,
    );
    expect(own.every((l) => Number.isFinite(l) && l > 0)).toBe(true);
  });

  it('leaves no open handles after client.destroy() and fake.stop() (child process exits by itself)', async () => {
    const probe = fileURLToPath(new URL('./fake-discord-exit-probe.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', probe], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    clearTimeout(killer);
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(JSON.parse(stdout.trim())).toMatchObject({ ok: true });
  });
});
