/**
 * Faults injected by the local fake Discord while the real bot runs: REST errors, rate limits and slow answers,
 * and gateway drops, close codes, invalid sessions and missed heartbeat ACKs. After each, the bot must not
 * crash and must answer the next interaction. (Daily-post and storage faults are covered elsewhere.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type BotHarness } from '../support/bot-harness.ts';
import { slashCommand, type InteractionCallback } from '../support/fake-discord.ts';

const CALLBACK = '/interactions/:id/:token/callback';

function logEntries(harness: BotHarness): Array<Record<string, unknown>> {
  return harness.logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Statuses of the callback requests the fake received for one interaction, in order. */
function callbackStatuses(harness: BotHarness, interactionId: string): number[] {
  return harness.fake.requests.filter((r) => r.path.startsWith(`/interactions/${interactionId}/`)).map((r) => r.status ?? -1);
}

async function expectAnswers(harness: BotHarness, query = 'TiDB'): Promise<InteractionCallback> {
  const callback = await harness.fake.sendInteraction(slashCommand('quote', { query }), 20_000);
  expect(callback.type).toBe(4);
  expect(callback.data.embeds[0].description).toContain(`**${query}**`);
  return callback;
}

describe('REST faults', () => {
  let harness: BotHarness;
  beforeAll(async () => {
    // Tests send many commands as one user: raise the per-user limit (the limit itself is tested in load.test.ts).
    harness = await startHarness({ bot: { rateLimit: { limit: 1_000 } } });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it.each([500, 502])('retries an interaction callback that got %i, then succeeds once', async (status) => {
    harness.fake.failNext('POST', CALLBACK, [{ status, body: { message: `${status}: Server Error`, code: 0 } }]);
    const dispatched = harness.fake.dispatchInteraction(slashCommand('quote', { query: '融资' }));
    const callback = await dispatched.waitForCallback(20_000);
    expect(callback.type).toBe(4);
    expect(callbackStatuses(harness, dispatched.id)).toEqual([status, 204]);
    await expectAnswers(harness);
  });

  it('waits out a per-route 429 (retry_after) and then answers', async () => {
    harness.fake.rateLimitNext('POST', CALLBACK, { retryAfterMs: 400 });
    const dispatched = harness.fake.dispatchInteraction(slashCommand('random'));
    const callback = await dispatched.waitForCallback(20_000);
    expect(callback.type).toBe(4);
    expect(callbackStatuses(harness, dispatched.id)).toEqual([429, 204]);
    await expectAnswers(harness);
  });

  it('waits out a global 429 and then answers', async () => {
    harness.fake.rateLimitNext('POST', CALLBACK, { retryAfterMs: 400, global: true });
    const dispatched = harness.fake.dispatchInteraction(slashCommand('sources'));
    const callback = await dispatched.waitForCallback(20_000);
    expect(callback.type).toBe(4);
    expect(callbackStatuses(harness, dispatched.id)).toEqual([429, 204]);
    await expectAnswers(harness);
  });

  it('keeps answering others while one interaction callback takes longer than 3 s', async () => {
    harness.fake.delayNext('POST', CALLBACK, 3_500);
    const slow = harness.fake.dispatchInteraction(slashCommand('quote', { query: '融资' }));
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Interaction callbacks do not queue behind each other (discord.js sends them concurrently).
    const fast = await expectAnswers(harness);
    expect(slow.payload.id).not.toBe(fast.interactionId);
    const slowCallback = await slow.waitForCallback(20_000);
    expect(slowCallback.type).toBe(4);
    await expectAnswers(harness);
  });

  it('survives a callback that Discord rejects as expired after 3 s (10062 Unknown interaction), logging it', async () => {
    let target = '';
    const remove = harness.fake.route('POST', CALLBACK, async (request) => {
      if (!request.path.startsWith(`/interactions/${target}/`)) return undefined;
      await new Promise((resolve) => setTimeout(resolve, 3_200));
      return { status: 404, body: { message: 'Unknown interaction', code: 10062 } };
    });
    try {
      const before = harness.logLines.length;
      const doomed = harness.fake.dispatchInteraction(slashCommand('quote', { query: '创业' }));
      target = doomed.id;
      // The error boundary logs the failure (and fails to tell the user, whose interaction is gone).
      await harness.fake.waitForRequest((r) => r.path.startsWith(`/interactions/${target}/`) && r.status === 404, 20_000);
      await vitestWaitFor(() => logEntries(harness).slice(before).some((e) => e.msg === 'interaction failed' && e.name === 'quote'), 20_000);
      await vitestWaitFor(() => logEntries(harness).slice(before).some((e) => e.msg === 'could not tell the user about the error'), 20_000);
      const failed = logEntries(harness).slice(before).find((e) => e.msg === 'interaction failed')!;
      expect(failed).toMatchObject({ outcome: 'error' });
      expect(JSON.stringify(failed)).toContain('Unknown interaction');
    } finally {
      remove();
    }
    await expectAnswers(harness);
    expect(harness.logLines.join('\n')).not.toContain(harness.fake.token);
  });
});

describe('gateway faults', () => {
  let harness: BotHarness;
  beforeAll(async () => {
    // A short heartbeat so a zombie connection is noticed within a second.
    harness = await startHarness({ fake: { heartbeatIntervalMs: 400 }, bot: { rateLimit: { limit: 1_000 } } });
  });
  afterAll(async () => {
    await harness?.stop();
  });

  it('resumes after the connection drops (1006) and answers what was dispatched during the outage', async () => {
    const resumes = harness.fake.resumeCount;
    harness.fake.dropConnection(1006);
    // Dispatched while disconnected: buffered by Discord and replayed on RESUME.
    const during = harness.fake.dispatchInteraction(slashCommand('quote', { query: '融资' }));
    await harness.fake.waitForResume(resumes + 1, 20_000);
    expect((await during.waitForCallback(20_000)).type).toBe(4);
    await expectAnswers(harness);
  });

  it('resumes after close code 4000', async () => {
    const resumes = harness.fake.resumeCount;
    harness.fake.dropConnection(4000, 'Unknown error');
    await harness.fake.waitForResume(resumes + 1, 20_000);
    await harness.fake.waitForReady(20_000);
    await expectAnswers(harness);
  });

  it('reconnects after close code 4009 (session timed out)', async () => {
    const sessions = harness.fake.resumeCount + harness.fake.identifyCount;
    harness.fake.dropConnection(4009, 'Session timed out');
    await vitestWaitFor(() => harness.fake.resumeCount + harness.fake.identifyCount > sessions && harness.fake.connected, 20_000);
    await expectAnswers(harness);
  });

  it('resumes after a resumable INVALID_SESSION', async () => {
    const resumes = harness.fake.resumeCount;
    harness.fake.sendInvalidSession(true);
    await harness.fake.waitForResume(resumes + 1, 20_000);
    await harness.fake.waitForReady(20_000);
    await expectAnswers(harness);
  });

  it('identifies again after a non-resumable INVALID_SESSION', async () => {
    const identifies = harness.fake.identifyCount;
    harness.fake.sendInvalidSession(false);
    await harness.fake.waitForIdentify(identifies + 1, 20_000);
    await harness.fake.waitForReady(20_000);
    await vitestWaitFor(() => harness.bot.client.guilds.cache.size > 0, 20_000);
    await expectAnswers(harness);
  });

  it('notices missed heartbeat ACKs (zombie connection), reconnects and answers', async () => {
    const sessions = harness.fake.resumeCount + harness.fake.identifyCount;
    const connections = harness.fake.gatewayConnections.length;
    harness.fake.stopAckingHeartbeats(1);
    await vitestWaitFor(() => harness.fake.gatewayConnections.length > connections && harness.fake.resumeCount + harness.fake.identifyCount > sessions, 20_000);
    await harness.fake.waitForReady(20_000);
    await expectAnswers(harness);
    expect(logEntries(harness).some((e) => e.msg === 'gateway disconnected' || e.msg === 'gateway resumed')).toBe(true);
  });

  it('logged no errors and never the token through all of it', () => {
    expect(logEntries(harness).filter((e) => Number(e.level) >= 50)).toEqual([]);
    expect(harness.logLines.join('\n')).not.toContain(harness.fake.token);
  });
});

async function vitestWaitFor(probe: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
