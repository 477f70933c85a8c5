/**
 * The bot token never appears in logs, errors shown to users, or replies: not even when a command throws an
 * error carrying it, or when discord.js throws a DiscordAPIError whose message and request details hold it.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.ts';
import type { Command } from '../../src/bot/types.ts';
import { scrubSecrets } from '../../src/logger.ts';
import { startHarness, type BotHarness } from '../support/bot-harness.ts';
import { slashCommand } from '../support/fake-discord.ts';

let harness: BotHarness;
let token = '';

const leakyThrow: Command = {
  data: { name: 'leaky-throw', description: 'Throws an error full of request details' },
  async execute() {
    const error = new Error(`POST https://discord.com/api/v10/channels/1/messages failed: Authorization: Bot ${token}`, {
      cause: new Error(`socket hang up (token=${token})`),
    });
    Object.assign(error, { request: { headers: { authorization: `Bot ${token}` }, token, body: { token } } });
    throw error;
  },
};

/** Replies normally: the fake Discord answers its first callback with an error quoting the token. */
const leakyRest: Command = {
  data: { name: 'leaky-rest', description: 'Replies; the REST call fails' },
  async execute(context) {
    await context.reply({ content: 'hello' });
  },
};

beforeAll(async () => {
  harness = await startHarness({ bot: { commands: [...COMMANDS, leakyThrow, leakyRest], rateLimit: { limit: 1_000 } } });
  token = harness.fake.token;
});

afterAll(async () => {
  await harness?.stop();
});

function expectNoTokenAnywhere(): void {
  expect(harness.logLines.join('\n')).not.toContain(token);
  for (const request of harness.fake.requests) {
    expect(request.rawBody).not.toContain(token);
    expect(JSON.stringify(request.body ?? null)).not.toContain(token);
  }
}

describe('the token', () => {
  it('is scrubbed from the log when a command throws an error containing it, and the user sees only an error id', async () => {
    const callback = await harness.fake.sendInteraction(slashCommand('leaky-throw'), 15_000);
    expect(callback.data.flags).toBe(64);
    expect(callback.data.content).toMatch(/`[0-9a-f]{8}`/u);
    expect(callback.data.content).not.toContain('Authorization');
    const failed = harness.logLines.find((line) => line.includes('"interaction failed"') && line.includes('leaky-throw'));
    expect(failed).toBeDefined();
    expect(failed).toContain('[redacted]');
    expectNoTokenAnywhere();
  });

  it('is scrubbed when discord.js throws a DiscordAPIError quoting it (REST call of a reply fails)', async () => {
    let failedOnce = false;
    const remove = harness.fake.route('POST', '/interactions/:id/:token/callback', (request) => {
      if (failedOnce || request.body?.data?.content !== 'hello') return undefined;
      failedOnce = true;
      return { status: 400, body: { message: `Invalid Form Body: request had Authorization: Bot ${token}`, code: 50035, errors: { token: { _errors: [{ code: 'X', message: token }] } } } };
    });
    try {
      const before = harness.logLines.length;
      const callback = await harness.fake.sendInteraction(slashCommand('leaky-rest'), 15_000);
      // The error boundary answered instead, with an id only.
      expect(callback.data.flags).toBe(64);
      expect(callback.data.content).toMatch(/`[0-9a-f]{8}`/u);
      for (let i = 0; i < 100 && !harness.logLines.slice(before).some((l) => l.includes('"interaction failed"')); i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const failed = harness.logLines.slice(before).find((line) => line.includes('"interaction failed"'));
      expect(failed).toBeDefined();
      expect(failed).toContain('DiscordAPIError');
      expect(failed).toContain('[redacted]');
      expectNoTokenAnywhere();
    } finally {
      remove();
    }
  });

  it('never reaches a reply, whatever a user types (the token as a query included)', async () => {
    for (const query of [token, `Bot ${token}`, token.slice(0, 30), `卖房创业 ${token}`]) {
      const callback = await harness.fake.sendInteraction(slashCommand('quote', { query }), 15_000);
      expect(JSON.stringify(callback.data)).not.toContain(token);
    }
    expect(harness.logLines.join('\n')).not.toContain(token);
  });

  it('scrubSecrets removes every occurrence, wherever it sits in a line', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 20 }), { maxLength: 6 }), (parts) => {
        const secret = 'MTIzNDU2Nzg5.secret.token-value_xyz';
        const line = parts.join(secret);
        expect(scrubSecrets(line, [secret])).not.toContain(secret);
      }),
    );
  });
});
