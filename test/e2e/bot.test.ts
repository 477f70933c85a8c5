/**
 * End to end: the real discord.js client, logged in to the local fake Discord, answering real
 * INTERACTION_CREATE payloads. Asserts the exact callback bodies Discord would receive.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autocomplete, button, slashCommand, type InteractionCallback } from '../support/fake-discord.ts';
import { startHarness, testLibrary, type BotHarness } from '../support/bot-harness.ts';
import { defineCommand, type Command } from '../../src/bot/types.ts';
import { inGuild, manageGuild } from '../../src/bot/preconditions.ts';
import { COMMANDS } from '../../commands/index.ts';

const EPHEMERAL = 64;
const latencies: number[] = [];

const explode: Command = {
  data: { name: 'explode', description: 'Always throws' },
  async execute() {
    throw new Error(`database on fire`);
  },
};

/** A slow command: acknowledges publicly ("thinking…"), then fails. */
const slowExplode: Command = {
  data: { name: 'slow-explode', description: 'Defers publicly, then throws' },
  async execute(context) {
    await context.defer();
    throw new Error('renderer on fire');
  },
};

/** Needs Manage Server, and says so after a public defer. */
const adminOnly = defineCommand({
  data: { name: 'admin-only', description: 'Needs Manage Server' },
  preconditions: [inGuild, manageGuild],
  async execute(context) {
    await context.reply({ content: 'done' });
  },
});

let harness: BotHarness;
/** The fake Discord of the first harness (the restart test starts a second bot against it). */
let firstFake: BotHarness['fake'] | undefined;

beforeAll(async () => {
  harness = await startHarness({ bot: { commands: [...COMMANDS, explode, slowExplode, adminOnly], rateLimit: { limit: 1000 } } });
});

afterAll(async () => {
  await harness?.stop();
  // After the restart test the harness reuses the first fake, which it does not stop itself.
  await firstFake?.stop();
  if (latencies.length > 0) {
    const sorted = [...latencies].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    // Printed for the closing note / benchmark: INTERACTION_CREATE → callback request.
    console.log(`interaction → callback latency over ${sorted.length}: median ${median.toFixed(2)} ms, worst ${sorted.at(-1)!.toFixed(2)} ms`);
  }
});

async function send(spec: Parameters<BotHarness['fake']['sendInteraction']>[0]): Promise<InteractionCallback> {
  const callback = await harness.fake.sendInteraction(spec);
  latencies.push(callback.latencyMs);
  return callback;
}

function expectNoPings(callback: InteractionCallback): void {
  expect(callback.data.allowed_mentions).toEqual({ parse: [], users: [], roles: [], replied_user: false });
}

describe('/quote', () => {
  it('answers 卖房创业 with 季昕华’s passage, terms in bold, source, and buttons', async () => {
    const callback = await send(slashCommand('quote', { query: '卖房创业' }, { locale: 'zh-CN' }));
    expect(callback.type).toBe(4);
    expectNoPings(callback);
    expect(callback.data.flags ?? 0).toBe(0);
    const embed = callback.data.embeds[0];
    expect(embed.author.name).toBe('季昕华 · UCloud 创始人');
    expect(embed.description).toContain('**卖房创业**');
    expect(embed.description).toContain('只好把自己的房子卖了');
    expect(embed.fields[0]).toEqual({ name: '出处', value: 'A计划:基础架构软件创业之道分享实录' });
    expect(embed.footer.text).toMatch(/^思否/u);
    const buttons = callback.data.components[0].components;
    expect(buttons.map((b: { label: string }) => b.label)).toEqual(['上一条', '下一条', '上下文', '卡片']);
    expect(buttons[0].disabled).toBe(true);
    expect(buttons[1].disabled).toBe(false);
  });

  it('pages with next/previous for the asker only, and shows context only to the clicker', async () => {
    const asker = { id: '200000000000000111', username: 'asker' };
    const first = await send(slashCommand('quote', { query: '融资' }, { user: asker }));
    const [previous, next, context] = first.data.components[0].components;
    expect(previous.custom_id).toMatch(/^quote:page:/u);
    // The message as Discord holds it, with `interaction_metadata` naming the asker.
    const message = harness.fake.originalMessage(first.token);
    expect(message.interaction_metadata.user.id).toBe(asker.id);

    const page2 = await send(button(next.custom_id, { user: asker, message }));
    expect(page2.type).toBe(7); // UPDATE_MESSAGE
    expect(page2.data.embeds[0].description).not.toBe(first.data.embeds[0].description);
    expect(page2.data.embeds[0].footer.text).toContain('Result 2 of');

    const stranger = await send(button(next.custom_id, { user: { id: '200000000000000222', username: 'other' }, message }));
    expect(stranger.type).toBe(4);
    expect(stranger.data.flags).toBe(EPHEMERAL);
    expect(stranger.data.content).toContain('Only the person who ran this search');

    const contextReply = await send(button(context.custom_id, { user: { id: '200000000000000333', username: 'x' }, message }));
    expect(contextReply.type).toBe(4);
    expect(contextReply.data.flags).toBe(EPHEMERAL);
    expect(contextReply.data.embeds[0].fields.map((f: { name: string }) => f.name)).toEqual(['Before', 'After']);
  });

  it('pages a message answered before a restart: the new process re-runs the search the message records', async () => {
    const asker = { id: '200000000000000444', username: 'asker' };
    const first = await send(slashCommand('quote', { query: '开源', speaker: '黄东旭' }, { user: asker }));
    const next = first.data.components[0].components[1];
    const message = harness.fake.originalMessage(first.token);
    await harness.bot.stop();
    firstFake = harness.fake;
    harness = await startHarness({ reuseFake: harness.fake, bot: { commands: [...COMMANDS, explode, slowExplode, adminOnly], rateLimit: { limit: 1000 } } });
    const page2 = await send(button(next.custom_id, { user: asker, message }));
    expect(page2.type).toBe(7);
    expect(page2.data.embeds[0].footer.text).toContain('Result 2 of');
    expect(page2.data.embeds[0].author.name).toMatch(/^黄东旭/u);
    // A button from before this change (a paging-session key) is refused, not crashed on.
    const legacy = await send(button('quote:page:AAAAAAAAAA:1'));
    expect(legacy.data.flags).toBe(EPHEMERAL);
    expect(legacy.data.content).toBe("I don't recognise that button. Run the command again.");
  });

  it('refuses a tampered custom_id without failing', async () => {
    const callback = await send(button('quote:page:../../etc:-1'));
    expect(callback.data.flags).toBe(EPHEMERAL);
    expect(callback.data.content).toBe("I don't recognise that button. Run the command again.");
    const unknown = await send(button('nope:whatever'));
    expect(unknown.data.content).toBe("I don't recognise that button. Run the command again.");
  });

  it('never pings for a malicious query, and escapes it', async () => {
    const callback = await send(slashCommand('quote', { query: '@everyone <@123> ** 融资' }));
    expectNoPings(callback);
    const text = JSON.stringify(callback.data);
    expect(text).not.toContain('@everyone');
    expect(text).not.toContain('<@123>');
  });

  it('handles a 6,000-character query with a notice, within Discord limits', async () => {
    const callback = await send(slashCommand('quote', { query: '创业'.repeat(3000) }));
    expect(callback.type).toBe(4);
    expectNoPings(callback);
    expect(callback.data.content).toContain('first 500 characters');
    expect(JSON.stringify(callback.data.embeds).length).toBeLessThan(6000 * 2);
  });

  it('answers no match, punctuation-only and unknown speaker with friendly ephemeral messages', async () => {
    const none = await send(slashCommand('quote', { query: 'xylophonequartz' }));
    expect(none.data.flags).toBe(EPHEMERAL);
    expect(none.data.content).toMatch(/^Nothing matches/u);
    const punctuation = await send(slashCommand('quote', { query: '？！。' }, { locale: 'zh-TW' }));
    expect(punctuation.data.flags).toBe(EPHEMERAL);
    expect(punctuation.data.content).toMatch(/^這個查詢裡沒有可搜尋的詞/u);
    const speaker = await send(slashCommand('quote', { query: '融资', speaker: 'Nobody' }));
    expect(speaker.data.flags).toBe(EPHEMERAL);
    expect(speaker.data.content).toContain('季昕华');
  });

  it('filters by speaker', async () => {
    const callback = await send(slashCommand('quote', { query: '创业', speaker: '黄东旭' }));
    expect(callback.data.embeds[0].author.name).toMatch(/^黄东旭/u);
  });
});

describe('autocomplete', () => {
  it('suggests speakers by Latin name and alias, at most 25', async () => {
    const byLatin = await send(autocomplete('quote', 'speaker', { query: 'x', speaker: 'qi' }));
    expect(byLatin.type).toBe(8);
    expect(byLatin.data.choices.map((c: { value: string }) => c.value)).toContain('Qi Jun');
    const byAlias = await send(autocomplete('random', 'speaker', { speaker: '一乐' }));
    expect(byAlias.data.choices.length).toBeGreaterThan(0);
    const all = await send(autocomplete('quote', 'speaker', { query: 'x', speaker: '' }));
    expect(all.data.choices.length).toBeLessThanOrEqual(25);
    expect(all.data.choices.length).toBeGreaterThan(5);
  });

  it('suggests interviews by title or speaker, with the id as value', async () => {
    const callback = await send(autocomplete('quote', 'source', { query: 'x', source: 'ZStack' }));
    expect(callback.data.choices[0].value).toBe('zstack-productized-cloud');
  });
});

describe('other commands', () => {
  it('/random gives a quote by the asked speaker', async () => {
    const callback = await send(slashCommand('random', { speaker: '黄东旭' }));
    expect(callback.data.embeds[0].author.name).toMatch(/^黄东旭/u);
    expectNoPings(callback);
  });

  it('/speaker describes a person found by alias', async () => {
    const callback = await send(slashCommand('speaker', { name: 'liang yupeng' }, { locale: 'zh-CN' }));
    const embed = callback.data.embeds[0];
    expect(embed.title).toBe('一乐');
    expect(embed.fields.map((f: { name: string }) => f.name)).toContain('代表语录');
  });

  it('/sources lists every interview', async () => {
    const callback = await send(slashCommand('sources'));
    const titles = testLibrary().interviews.map((interview) => interview.title).slice(0, 25);
    expect(callback.data.embeds[0].fields.map((field: { name: string }) => field.name)).toEqual(titles);
  });

  it('/help answers ephemerally in the user’s language', async () => {
    const callback = await send(slashCommand('help', undefined, { locale: 'zh-TW' }));
    expect(callback.data.flags).toBe(EPHEMERAL);
    expect(callback.data.embeds[0].title).toBe('箴言：科技創業者的原話');
  });
});

describe('error boundary', () => {
  it('answers a throwing handler with an ephemeral error id, logs it, and keeps running', async () => {
    const callback = await send(slashCommand('explode'));
    expect(callback.data.flags).toBe(EPHEMERAL);
    const errorId = /`([0-9a-f]{8})`/u.exec(callback.data.content)?.[1];
    expect(errorId).toBeDefined();
    const logged = harness.logLines.map((line) => JSON.parse(line)).find((entry) => entry.errorId === errorId);
    expect(logged).toMatchObject({ msg: 'interaction failed', name: 'explode', outcome: 'error' });
    const after = await send(slashCommand('quote', { query: 'TiDB' }));
    expect(after.data.embeds[0].description).toContain('**TiDB**');
  });

  it('after a public defer, an error is an ephemeral follow-up and the public placeholder is deleted', async () => {
    const callback = await send(slashCommand('slow-explode'));
    expect(callback.type).toBe(5);
    expect(callback.data?.flags ?? 0).toBe(0); // the placeholder was public
    const webhook = await waitFor(() => {
      const requests = harness.fake.webhookRequests(callback.token);
      return requests.some((r) => r.method === 'DELETE') ? requests : undefined;
    });
    const followUps = webhook.filter((r) => r.method === 'POST');
    expect(followUps).toHaveLength(1);
    expect(followUps[0]!.body.flags).toBe(EPHEMERAL);
    expect(followUps[0]!.body.content).toMatch(/`[0-9a-f]{8}`/u);
    // Nothing public carries the error: no edit of the placeholder, and the placeholder itself is gone.
    expect(webhook.filter((r) => r.method === 'PATCH')).toEqual([]);
    expect(webhook.find((r) => r.method === 'DELETE')!.path).toMatch(/\/messages\/@original$/u);
    expect(harness.fake.originalMessage(callback.token)).toBeUndefined();
  });

  it('a failed precondition is a localized ephemeral refusal, logged as refused', async () => {
    const member = await send(slashCommand('admin-only', undefined, { locale: 'zh-CN', memberPermissions: '0' }));
    expect(member.type).toBe(4);
    expect(member.data.flags).toBe(EPHEMERAL);
    expect(member.data.content).toBe('需要 **管理服务器** 权限才能修改每日箴言。');
    const entry = harness.logLines.map((line) => JSON.parse(line)).find((e) => e.name === 'admin-only' && e.msg === 'interaction');
    expect(entry).toMatchObject({ outcome: 'refused', reason: 'need-manage-guild' });
  });

  it('writes one log line per interaction with name, guild, latency and outcome, and never the token', async () => {
    const entries = harness.logLines.map((line) => JSON.parse(line)).filter((entry) => entry.msg === 'interaction');
    expect(entries.length).toBeGreaterThan(5);
    for (const entry of entries) {
      expect(entry).toHaveProperty('latencyMs');
      expect(entry).toHaveProperty('guild');
      expect(['ok', 'error', 'refused', 'rate-limited', 'unknown-command']).toContain(entry.outcome);
    }
    expect(harness.logLines.join('\n')).not.toContain(harness.fake.token);
  });
});

/** Polls `probe` until it returns a value (webhook requests arrive after the callback). */
async function waitFor<T>(probe: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('waitFor: timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
