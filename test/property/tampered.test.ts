/**
 * Options outside their domain, as a modified client can send them: unknown speaker and source ids, and
 * button custom_ids that were tampered with or belong to another user. Each gets a clear ephemeral refusal
 * and changes nothing (no message updated, the message clicked on untouched).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messages } from '../../src/bot/i18n.ts';
import type { ButtonMessage } from '../../src/bot/types.ts';
import { hostileText, propertyRouter } from './hostile.ts';

const bot = propertyRouter();
const { library } = bot.services;
const OWNER = '100000000000000001';
const STRANGER = '100000000000000999';

const speakerNames = new Set(library.index.speakers().flatMap((entry) => [entry.speaker.name, entry.speaker.id, ...entry.speaker.aliases].map((s) => s.toLowerCase())));
const sourceIds = new Set(library.interviews.map((interview) => interview.id));

/**
 * A `/quote` answer owned by OWNER: the message (as Discord sends it with a click, naming OWNER as who
 * ran the command), the digest its page buttons carry, and a snapshot of the message to compare against.
 */
async function ownedSession(): Promise<{ digest: string; message: ButtonMessage; snapshot: () => string }> {
  const run = await bot.command('quote', { query: '融资' }, 'en', OWNER);
  const next = run.replies[0]!.components![0]!.components.find((c) => 'custom_id' in c && c.custom_id.startsWith('quote:page:'))!;
  const [, , owner, digest] = ('custom_id' in next ? next.custom_id : '').split(':');
  expect(owner).toBe(OWNER);
  const message: ButtonMessage = { embeds: run.replies[0]!.embeds!, interactionUserId: OWNER };
  const snapshot = () => JSON.stringify(message);
  return { digest: digest!, message, snapshot };
}

const REFUSALS = [messages.unknownButton.en, messages.expired.en, messages.notYours.en];

describe('unknown speaker and source ids', () => {
  it('/quote with an unknown speaker or source: an ephemeral refusal naming what exists, no buttons', async () => {
    await fc.assert(
      fc.asyncProperty(hostileText.filter((s) => s.trim().length > 0 && !speakerNames.has(s.trim().toLowerCase())), async (speaker) => {
        const run = await bot.command('quote', { query: '融资', speaker });
        expect(run.outcome).toBe('ok');
        // A name the resolver finds (e.g. a prefix of a real name) is fine; anything else must be refused.
        const reply = run.replies[0]!;
        if (reply.embeds) return;
        expect(reply.ephemeral).toBe(true);
        // A partial name that finds someone who never speaks of 融资 gets "nothing matches", not "unknown speaker".
        if (library.index.matchSpeakers(speaker).length === 0) expect(reply.content).toMatch(/speaker/iu);
        expect(reply.components).toBeUndefined();
      }),
      { numRuns: 150 },
    );
    await fc.assert(
      fc.asyncProperty(hostileText.filter((s) => s.trim().length > 0 && !sourceIds.has(s.trim())), async (source) => {
        const run = await bot.command('quote', { query: '融资', source });
        const reply = run.replies[0]!;
        expect(run.outcome).toBe('ok');
        expect(reply.ephemeral).toBe(true);
        expect(reply.embeds).toBeUndefined();
        expect(reply.components).toBeUndefined();
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
  it('any tampered custom_id: an ephemeral refusal, no update, the message unchanged', async () => {
    const { digest, message, snapshot } = await ownedSession();
    const key = `${OWNER}:${digest}`;
    const tampered = fc.oneof(
      hostileText,
      hostileText.map((s) => `quote:${s}`),
      hostileText.map((s) => `quote:page:${s}`),
      hostileText.map((s) => `quote:page:${key}:${s}`),
      fc.integer().map((n) => `quote:page:${key}:${n}`),
      hostileText.map((s) => `quote:page:${s}:1`),
      hostileText.map((s) => `quote:page:${OWNER}:${s}:1`),
      hostileText.map((s) => `quote:page:${s}:${digest}:1`),
      hostileText.map((s) => `quote:ctx:${s}`),
      fc.constantFrom(
        `quote:page:${key}:99`, `quote:page:${key}:-1`, `quote:page:${key}:1e1`, `quote:page:${key}: 1`, `quote:page:${key}:01`, `quote:page:${key}:1:extra`,
        `quote:page:${STRANGER}:${digest}:1`, `quote:page:${OWNER}:${digest.toUpperCase()}x:1`, 'quote:ctx:', 'quote::', ':::', '',
      ),
    );
    await fc.assert(
      fc.asyncProperty(tampered, async (customId) => {
        const before = snapshot();
        const run = await bot.button(customId, OWNER, 'en', message);
        expect(run.outcome).not.toBe('error');
        expect(snapshot()).toBe(before);
        if (run.updates.length > 0) {
          // Only a genuine page of the owner's own search may update the message.
          expect(customId).toMatch(new RegExp(`^quote:page:${key}:(0|[1-9]\\d?)$`, 'u'));
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
    const { digest, message, snapshot } = await ownedSession();
    const before = snapshot();
    for (let index = 0; index < 12; index++) {
      const run = await bot.button(`quote:page:${OWNER}:${digest}:${index}`, STRANGER, 'en', message);
      expect(run.updates).toEqual([]);
      expect(run.replies).toEqual([{ content: messages.notYours.en, ephemeral: true }]);
    }
    // Writing one's own id into the button does not help: Discord says who ran the command.
    const forged = await bot.button(`quote:page:${STRANGER}:${digest}:1`, STRANGER, 'en', message);
    expect(forged.updates).toEqual([]);
    expect(forged.replies).toEqual([{ content: messages.unknownButton.en, ephemeral: true }]);
    expect(snapshot()).toBe(before);
    const mine = await bot.button(`quote:page:${OWNER}:${digest}:1`, OWNER, 'en', message);
    expect(mine.updates).toHaveLength(1);
  });
});
