/**
 * Options outside their domain, as a modified client can send them: unknown speaker and source ids, and
 * button custom_ids that were tampered with or belong to another user. Each gets a clear ephemeral refusal
 * and changes no state (paging sessions untouched, no message updated).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messages } from '../../src/bot/i18n.ts';
import { hostileText, propertyRouter } from './hostile.ts';

const bot = propertyRouter();
const { library, paging } = bot.services;
const OWNER = '100000000000000001';
const STRANGER = '100000000000000999';

const speakerNames = new Set(library.index.speakers().flatMap((entry) => [entry.speaker.name, entry.speaker.id, ...entry.speaker.aliases].map((s) => s.toLowerCase())));
const sourceIds = new Set(library.interviews.map((interview) => interview.id));

/** A paging session owned by OWNER, and a snapshot of the store to compare against. */
async function ownedSession(): Promise<{ key: string; snapshot: () => string }> {
  const run = await bot.command('quote', { query: '融资' }, 'en', OWNER);
  const next = run.replies[0]!.components![0]!.components.find((c) => 'custom_id' in c && c.custom_id.startsWith('quote:page:'))!;
  const key = ('custom_id' in next ? next.custom_id : '').split(':')[2]!;
  const snapshot = () => JSON.stringify({ size: paging.size, session: paging.get(key) });
  return { key, snapshot };
}

const REFUSALS = [messages.unknownButton.en, messages.expired.en, messages.notYours.en];

describe('unknown speaker and source ids', () => {
  it('/quote with an unknown speaker or source: an ephemeral refusal naming what exists, no paging session', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText.filter((s) => s.trim().length > 0 && !speakerNames.has(s.trim().toLowerCase())), async (speaker) => {
        const before = paging.size;
        const run = await bot.command('quote', { query: '融资', speaker });
        expect(run.outcome).toBe('ok');
        // A name the resolver finds (e.g. a prefix of a real name) is fine; anything else must be refused.
        const reply = run.replies[0]!;
        if (reply.embeds) return;
        expect(reply.ephemeral).toBe(true);
        expect(reply.content).toMatch(/speaker/iu);
        expect(paging.size).toBe(before);
      }),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(hostileText.filter((s) => s.trim().length > 0 && !sourceIds.has(s.trim())), async (source) => {
        const before = paging.size;
        const run = await bot.command('quote', { query: '融资', source });
        const reply = run.replies[0]!;
        expect(run.outcome).toBe('ok');
        expect(reply.ephemeral).toBe(true);
        expect(reply.embeds).toBeUndefined();
        expect(paging.size).toBe(before);
      }),
      { numRuns: 150 },
    );
  });

  it('/random and /speaker with an unknown speaker: an ephemeral refusal', async () => {
    for (const name of ['nobody-here', '000000000000000000', '<@123456789012345678>', 'x'.repeat(5_000), '\ud800']) {
      for (const [command, option] of [['random', 'speaker'], ['speaker', 'name']] as const) {
        const run = await bot.command(command, { [option]: name });
        expect(run.outcome).toBe('ok');
        expect(run.replies).toHaveLength(1);
        expect(run.replies[0]!.ephemeral).toBe(true);
        expect(run.replies[0]!.embeds).toBeUndefined();
      }
    }
  });
});

describe('tampered buttons', () => {
  it('any tampered custom_id: an ephemeral refusal, no update, paging state unchanged', async () => {
    const { key, snapshot } = await ownedSession();
    const tampered = fc.oneof(
      hostileText,
      hostileText.map((s) => `quote:${s}`),
      hostileText.map((s) => `quote:page:${s}`),
      hostileText.map((s) => `quote:page:${key}:${s}`),
      fc.integer().map((n) => `quote:page:${key}:${n}`),
      hostileText.map((s) => `quote:page:${s}:1`),
      hostileText.map((s) => `quote:ctx:${s}`),
      fc.constantFrom(`quote:page:${key}:99`, `quote:page:${key}:-1`, `quote:page:${key}:1e1`, `quote:page:${key}: 1`, `quote:page:${key}:1:extra`, 'quote:ctx:', 'quote::', ':::', ''),
    );
    await fc.assert(
      fc.asyncProperty(tampered, async (customId) => {
        const before = snapshot();
        const run = await bot.button(customId, OWNER);
        expect(run.outcome).not.toBe('error');
        expect(snapshot()).toBe(before);
        if (run.updates.length > 0) {
          // Only a genuine page of the owner's own search may update the message (e.g. `…:01`).
          expect(customId).toMatch(new RegExp(`^quote:page:${key}:\\d{1,2}$`, 'u'));
          return;
        }
        expect(run.replies).toHaveLength(1);
        const reply = run.replies[0]!;
        expect(reply.ephemeral).toBe(true);
        // A context button with a real passage id shows that context; anything else is refused.
        if (reply.embeds) expect(customId).toMatch(/^quote:ctx:/u);
        else expect(REFUSALS).toContain(reply.content);
      }),
      { numRuns: 400 },
    );
  });

  it("another user's paging button: refused as not theirs, for every page, and the owner can still page", async () => {
    const { key, snapshot } = await ownedSession();
    const before = snapshot();
    for (let index = 0; index < 12; index++) {
      const run = await bot.button(`quote:page:${key}:${index}`, STRANGER, 'en');
      expect(run.updates).toEqual([]);
      expect(run.replies).toEqual([{ content: messages.notYours.en, ephemeral: true }]);
    }
    expect(snapshot()).toBe(before);
    const mine = await bot.button(`quote:page:${key}:1`, OWNER);
    expect(mine.updates).toHaveLength(1);
  });
});
