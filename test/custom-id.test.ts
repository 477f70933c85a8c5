/**
 * The custom_id codec: every kind fits Discord's 100 characters for any valid value (the longest interview
 * id the data format allows included), ids round-trip, and anything else decodes to null. Also the typed
 * options derived from a command's definition (checked by `tsc --noEmit`, which includes tests).
 */
import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { BUTTON_KINDS, checkTags, decodeCustomId, fields, encodeCustomId, maxCustomIdLength, type ButtonData, type ButtonKind } from '../src/bot/custom-id.ts';
import { LIMITS } from '../src/bot/limits.ts';
import type { ArgumentsOf } from '../src/bot/options.ts';
import type { ChannelOption } from '../src/bot/types.ts';
import { MAX_ID_LENGTH } from '../src/core/corpus/format.ts';
import { MAX_QUERY_CHARS } from '../src/core/search/engine.ts';
import quote from '../commands/quote.ts';
import daily from '../commands/daily.ts';
import { hostileText, propertyRouter } from './property/hostile.ts';

const KINDS = Object.keys(BUTTON_KINDS) as ButtonKind[];
/** The longest interview id the data format accepts. */
const LONGEST_INTERVIEW_ID = `${'a'.repeat(MAX_ID_LENGTH - 2)}-z`;
/** The longest passage id: longest interview id, six-digit paragraph, three-digit part. */
const LONGEST_PASSAGE_ID = `${LONGEST_INTERVIEW_ID}#999999.999`;
const LONGEST_SNOWFLAKE = '18446744073709551615';

/** Valid data of every kind. */
const validData: fc.Arbitrary<ButtonData> = fc.oneof(
  fc.record({
    kind: fc.constant('quotePage' as const),
    ownerId: fc.bigInt({ min: 10n ** 16n, max: 2n ** 64n - 1n }).map(String),
    digest: fc.string({ unit: fc.constantFrom(...'ABCxyz019-_'), minLength: 8, maxLength: 8 }),
    index: fc.integer({ min: 0, max: 99 }),
  }),
  fc.record({
    kind: fc.constant('quoteContext' as const),
    passageId: fc
      .tuple(
        fc.array(fc.stringMatching(/^[a-z0-9]{1,8}$/u), { minLength: 1, maxLength: 8 }).map((words) => words.join('-').slice(0, MAX_ID_LENGTH).replace(/-+$/u, '')),
        fc.integer({ min: 0, max: 999_999 }),
        fc.option(fc.integer({ min: 1, max: 999 }), { nil: undefined }),
      )
      .filter(([id]) => id.length > 0)
      .map(([id, paragraph, part]) => `${id}#${paragraph}${part === undefined ? '' : `.${part}`}`),
  }),
);

describe('custom_id codec', () => {
  it('every kind fits in 100 characters at its longest, and the longest values reach that bound', () => {
    for (const kind of KINDS) expect(maxCustomIdLength(kind), kind).toBeLessThanOrEqual(LIMITS.customId);
    const page = encodeCustomId({ kind: 'quotePage', ownerId: LONGEST_SNOWFLAKE, digest: 'Zz09_-Zz', index: 99 });
    expect(page.length).toBe(maxCustomIdLength('quotePage'));
    const context = encodeCustomId({ kind: 'quoteContext', passageId: LONGEST_PASSAGE_ID });
    expect(context.length).toBe(maxCustomIdLength('quoteContext'));
    console.log(`custom_id max lengths: ${KINDS.map((kind) => `${kind} ${maxCustomIdLength(kind)}`).join(', ')} (limit ${LIMITS.customId})`);
  });

  it('refuses to encode an interview id over the data-format cap (it could not be in the corpus)', () => {
    expect(() => encodeCustomId({ kind: 'quoteContext', passageId: `${LONGEST_INTERVIEW_ID}x#1` })).toThrow(/custom_id field/u);
    expect(() => encodeCustomId({ kind: 'quotePage', ownerId: 'console', digest: 'Zz09_-Zz', index: 0 })).toThrow(/custom_id field/u);
    expect(() => encodeCustomId({ kind: 'quotePage', ownerId: LONGEST_SNOWFLAKE, digest: 'Zz09_-Zz', index: 100 })).toThrow(/index/u);
  });

  it('refuses kinds whose tags overlap (each id must belong to exactly one kind)', () => {
    expect(() => checkTags(BUTTON_KINDS)).not.toThrow();
    const field = { passageId: fields.passageId };
    expect(() => checkTags({ a: { tag: 'quote', fields: field }, b: { tag: 'quote:page', fields: field } })).toThrow(/overlap/u);
    expect(() => checkTags({ a: { tag: 'card', fields: field }, b: { tag: 'card', fields: field } })).toThrow(/overlap/u);
    expect(() => checkTags({ a: { tag: 'card:', fields: field } })).toThrow(/invalid tag/u);
    expect(() => checkTags({ a: { tag: 'card', fields: field }, b: { tag: 'cards', fields: field } })).not.toThrow();
  });

  it('round-trips any valid data', () => {
    fc.assert(
      fc.property(validData, (data) => {
        const id = encodeCustomId(data);
        expect(id.length).toBeLessThanOrEqual(LIMITS.customId);
        expect(decodeCustomId(id)).toEqual(data);
      }),
      { numRuns: 2_000 },
    );
  });

  it('decodes only canonical ids: whatever decodes re-encodes to exactly the same string', () => {
    const near = fc.oneof(
      hostileText,
      fc.string(),
      validData.chain((data) => fc.tuple(fc.constant(encodeCustomId(data)), fc.nat(), hostileText).map(([id, at, junk]) => id.slice(0, at % (id.length + 1)) + junk + id.slice(at % (id.length + 1)))),
      validData.map((data) => `${encodeCustomId(data)}:extra`),
      fc.constantFrom('quote:page', 'quote:ctx', 'quote:ctx:', 'quote:page:1:2:3', 'quote:page:100000000000000001:AAAAAAAA:01', 'quote:page:100000000000000001:AAAAAAAA:-1', 'QUOTE:ctx:a#1', 'quote:ctx:A#1', 'quote:ctx:a--b#1', 'quote:ctx:a#01', 'quote:ctx:a#1.0'),
    );
    fc.assert(
      fc.property(near, (id) => {
        const data = decodeCustomId(id);
        if (data !== null) expect(encodeCustomId(data)).toBe(id);
      }),
      { numRuns: 3_000 },
    );
  });

  it('every passage of the corpus has a context button id', () => {
    const { library } = propertyRouter().services;
    for (const passage of library.passages) {
      const id = encodeCustomId({ kind: 'quoteContext', passageId: passage.id });
      expect(decodeCustomId(id)).toEqual({ kind: 'quoteContext', passageId: passage.id });
    }
  });

  it('/quote with the longest query keeps every button within 100 characters, and its paging works', async () => {
    const bot = propertyRouter();
    const owner = LONGEST_SNOWFLAKE;
    // Discord caps the option at 200 characters; the console and the search engine allow up to MAX_QUERY_CHARS.
    // Markdown characters double when escaped in the embed: the worst case for reading the search back.
    for (const query of [`融资${'*'.repeat(198)}`, `融资 ${'_'.repeat(MAX_QUERY_CHARS - 3)}`, '创业'.repeat(MAX_QUERY_CHARS)]) {
      const run = await bot.command('quote', { query, speaker: undefined, source: undefined }, 'en', owner);
      const reply = run.replies[0]!;
      const ids = reply.components!.flatMap((row) => row.components).flatMap((c) => ('custom_id' in c ? [c.custom_id] : []));
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) {
        expect(id.length).toBeLessThanOrEqual(LIMITS.customId);
        expect(decodeCustomId(id)).not.toBeNull();
      }
      const next = ids.find((id) => id.startsWith('quote:page:') && id.endsWith(':1'));
      if (query.length <= 200) expect(next, 'a 200-character query must stay pageable').toBeDefined();
      if (next) {
        const page = await bot.button(next, owner, 'en', { embeds: reply.embeds!, interactionUserId: owner });
        expect(page.updates).toHaveLength(1);
        expect(page.updates[0]!.embeds![0]!.footer!.text).toContain('Result 2 of');
      }
    }
  });
});

describe('typed command options', () => {
  it('derives argument types from the definition (a wrong name does not compile)', () => {
    type QuoteArgs = ArgumentsOf<typeof quote.data>;
    expectTypeOf<QuoteArgs>().toEqualTypeOf<{ query: string; speaker: string | null; source: string | null }>();
    type DailyArgs = ArgumentsOf<typeof daily.data>;
    expectTypeOf<Extract<DailyArgs, { subcommand: 'set' }>['options']>().toEqualTypeOf<{ channel: ChannelOption; time: string; timezone: string | null; role: string | null; style: string | null }>();
    expectTypeOf<DailyArgs['subcommand']>().toEqualTypeOf<'set' | 'off' | 'status' | 'preview'>();
    // Compile-time only: each line must be a type error, or `tsc --noEmit` fails on the unused directive.
    const typeErrors = (args: QuoteArgs) => {
      // @ts-expect-error misspelled option name
      void args.qeury;
      // @ts-expect-error a required string is never null
      const query: null = args.query;
      return query;
    };
    expect(typeof typeErrors).toBe('function');
  });
});
