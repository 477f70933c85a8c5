/**
 * Three real bot processes (`src/main.ts`) on one PostgreSQL store against the fake Discord: one is
 * killed with SIGKILL right after its first POST reached Discord, then restarted. Every channel must get
 * exactly one message for the day, and the store must agree with Discord.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { postNonce } from '../../src/core/schedule/scheduler.ts';
import type { DailyStore } from '../../src/core/store/subscriptions.ts';
import { FakeDiscord } from '../support/fake-discord.ts';
import { postgresKind } from '../support/stores.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GUILD = '330000000000000001';
const CHANNELS = Array.from({ length: 24 }, (_, i) => String(330000000000000100n + BigInt(i)));

const children = new Set<ChildProcess>();
let fake: FakeDiscord | undefined;
let store: DailyStore | undefined;

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await store?.close();
  await fake?.stop();
});

function startBotProcess(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.once('exit', (code, signal) => {
    children.delete(child);
    if (code !== 0 && signal !== 'SIGKILL' && signal !== 'SIGTERM') process.stderr.write(`bot process exited ${code} ${signal}: ${stderr.slice(-2000)}\n`);
  });
  children.add(child);
  return child;
}

describe('daily tips with 3 processes on one PostgreSQL store', () => {
  it('one process killed with SIGKILL right after its POST, then restarted: 0 duplicates, 0 missing', async () => {
    fake = await FakeDiscord.start({
      guilds: [{ id: GUILD, name: 'Founders', channels: CHANNELS.map((id, i) => ({ id, name: `tips-${i}`, type: 0 })) }],
    });
    const schema = postgresKind.location();
    // Subscribed a moment before the current minute, for that minute: due now when the bots start.
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const time = new Date(minute).toISOString().slice(11, 16);
    const today = new Date(minute).toISOString().slice(0, 10);
    store = await postgresKind.open(schema, { now: () => new Date(minute - 1000) });
    for (const channelId of CHANNELS) {
      await store.upsertSubscription({ guildId: GUILD, channelId, time, timeZone: 'UTC', mentionRoleId: null, createdBy: 'admin' });
    }
    const env = {
      DISCORD_TOKEN: fake.token,
      DISCORD_CLIENT_ID: fake.applicationId,
      DISCORD_API_URL: fake.apiUrl,
      ...postgresKind.env(schema),
      DAILY_LEASE_MS: '4000',
      LOG_LEVEL: 'warn',
    };
    // The first daily POST is answered late: Discord creates the message, its sender dies before the reply.
    fake.delayNext('POST', '/channels/:id/messages', 1500);
    const posts = (r: { method: string; path: string }) => r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path);
    for (let i = 0; i < 3; i += 1) startBotProcess(env);

    const first = await fake.waitForRequest(posts, 60_000);
    const pid = Number(/pid\/(\d+)/.exec(first.headers['user-agent'] ?? '')?.[1]);
    const victim = [...children].find((c) => c.pid === pid);
    expect(victim, `a bot process sent the first POST (user-agent ${first.headers['user-agent']})`).toBeDefined();
    victim!.kill('SIGKILL');
    await once(victim!, 'exit');
    const restarted = startBotProcess(env);

    const messagesIn = (channelId: string) => [...fake!.messages.values()].filter((m: { channel_id: string }) => m.channel_id === channelId);
    await expect.poll(() => CHANNELS.filter((c) => messagesIn(c).length > 0).length, { timeout: 60_000, interval: 250 }).toBe(CHANNELS.length);
    await expect.poll(async () => (await store!.allPosts()).filter((p) => p.status === 'sent').length, { timeout: 30_000, interval: 250 }).toBe(CHANNELS.length);

    // The restarted process is connected (3 + 1 IDENTIFYs) and has run its start-up pass.
    await expect.poll(() => fake!.identifyCount, { timeout: 60_000, interval: 250 }).toBeGreaterThanOrEqual(4);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // Graceful stop of the survivors and the restarted one: SIGTERM, exit code 0.
    const exits = [...children].map((child) => once(child, 'exit'));
    for (const child of children) child.kill('SIGTERM');
    const results = await Promise.all(exits);
    expect(results).toEqual(results.map(() => [0, null]));
    expect(restarted.exitCode).toBe(0);

    const rows = await store.allPosts();
    for (const channelId of CHANNELS) {
      const messages = messagesIn(channelId) as Array<{ id: string; nonce?: string }>;
      expect(messages.map((m) => m.nonce)).toEqual([postNonce(channelId, today)]);
      expect(rows.filter((r) => r.channelId === channelId)).toEqual([
        expect.objectContaining({ localDate: today, status: 'sent', messageId: messages[0]!.id }),
      ]);
    }
    // The victim's post was re-sent (same nonce) by another process or the restarted one, not duplicated.
    const victimChannel = /^\/channels\/(\d+)\/messages$/.exec(first.path)![1]!;
    expect(fake.requests.filter((r) => posts(r) && r.path === first.path).length).toBeGreaterThanOrEqual(2);
    expect(messagesIn(victimChannel)).toHaveLength(1);
  }, 120_000);
});
