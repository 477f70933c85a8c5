/**
 * `/quote query [speaker] [source]`: the best passage, with paging and a context view. Stateless: the
 * answer records its search and its buttons carry the rest, so they work on any process, after restarts.
 */
import { ApplicationCommandOptionType, ButtonStyle, ComponentType } from 'discord-api-types/v10';
import type { APIActionRowComponent, APIComponentInMessageActionRow } from 'discord-api-types/v10';
import { createHash } from 'node:crypto';
import type { SearchHit, SearchResponse } from '../src/core/search/engine.ts';
import { encodeCustomId, fields } from '../src/bot/custom-id.ts';
import { messages, t, type Locale } from '../src/bot/i18n.ts';
import { contextEmbed, quoteEmbed, readSearchField, searchField, type RecordedSearch } from '../src/bot/render.ts';
import { speakerChoices, sourceChoices } from '../src/bot/choices.ts';
import { localized } from '../src/bot/localize.ts';
import { defineCommand, type ReplyPayload, type Services } from '../src/bot/types.ts';
import { UserError } from '../src/bot/user-error.ts';
import { replyWithCard } from '../src/bot/card-reply.ts';

/** How many results a user can page through. */
const PAGE_LIMIT = 10;

/** The friendly answer when a search finds nothing, or null when it found something. */
export function searchProblemReply(response: SearchResponse, locale: Locale): ReplyPayload | null {
  const list = response.suggestions.slice(0, 10).join(', ');
  switch (response.problem) {
    case 'empty':
      return { content: t(messages.emptyQuery, locale), ephemeral: true };
    case 'no-terms':
      return { content: t(messages.noTerms, locale), ephemeral: true };
    case 'unknown-speaker':
      return { content: messages.unknownSpeaker[locale](list), ephemeral: true };
    case 'unknown-source':
      return { content: messages.unknownSource[locale](list), ephemeral: true };
    case null:
      return response.hits.length === 0 ? { content: messages.noResults[locale](list), ephemeral: true } : null;
  }
}

/**
 * Ties a page button to the search its message records: a button only pages the search it was made
 * for, so an edited or mismatched message is refused instead of paging something else.
 */
export function searchDigest(search: RecordedSearch): string {
  return createHash('sha256').update(JSON.stringify([search.query, search.speaker, search.source])).digest('base64url').slice(0, 8);
}

/** A filter option as the engine reads it: trimmed, and null when blank. */
function filterValue(value: string | null): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed.length > 0 ? trimmed : null;
}

function runSearch(services: Services, search: RecordedSearch): SearchResponse {
  return services.library.index.search({ text: search.query, speaker: search.speaker ?? undefined, source: search.source ?? undefined, limit: PAGE_LIMIT });
}

/**
 * The message for result `index` of a search. It records the search (an embed field), and its buttons
 * carry the owner, the search's digest and the page: everything "previous/next" needs to run the search
 * again, on any process, after any restart. Paging buttons are left out when the recorded search would
 * not read back exactly (a query too long for the field), so every button sent can work.
 */
export function quotePage(hits: readonly SearchHit[], search: RecordedSearch, ownerId: string, index: number, locale: Locale): ReplyPayload {
  const hit = hits[index]!;
  const total = hits.length;
  const embed = quoteEmbed(hit, locale, total > 1 ? messages.result[locale](index + 1, total) : undefined, [searchField(search, locale)]);
  const digest = searchDigest(search);
  const read = readSearchField(embed);
  // The console's user is not a Discord id: its answers carry no paging (it has no buttons anyway).
  const pageable = total > 1 && fields.snowflake.parse(ownerId) !== null && read !== null && searchDigest(read) === digest;
  const pageButton = (label: string, target: number, disabled: boolean) => ({
    type: ComponentType.Button as const,
    style: ButtonStyle.Secondary as const,
    label,
    custom_id: encodeCustomId({ kind: 'quotePage', ownerId, digest, index: target }),
    disabled,
  });
  const row: APIActionRowComponent<APIComponentInMessageActionRow> = {
    type: ComponentType.ActionRow,
    components: [
      ...(pageable
        ? [
            // A disabled "previous" on the first page points at page 0: ids stay unique within the message.
            pageButton(t(messages.previous, locale), Math.max(0, index - 1), index === 0),
            pageButton(t(messages.next, locale), index + 1, index >= total - 1),
          ]
        : []),
      { type: ComponentType.Button, style: ButtonStyle.Primary, label: t(messages.context, locale), custom_id: encodeCustomId({ kind: 'quoteContext', passageId: hit.passage.id }) },
      { type: ComponentType.Button, style: ButtonStyle.Secondary, label: t(messages.card, locale), emoji: { name: '🖼️' }, custom_id: encodeCustomId({ kind: 'quoteCard', passageId: hit.passage.id }) },
    ],
  };
  return { embeds: [embed], components: [row] };
}

const data = {
  name: 'quote',
  ...localized('quote'),
  options: [
    { type: ApplicationCommandOptionType.String, name: 'query', ...localized('quote.query'), required: true, max_length: 200 },
    { type: ApplicationCommandOptionType.String, name: 'speaker', ...localized('quote.speaker'), autocomplete: true },
    { type: ApplicationCommandOptionType.String, name: 'source', ...localized('quote.source'), autocomplete: true },
  ],
} as const;

export default defineCommand({
  data,
  async execute(context, args) {
    const { services, locale } = context;
    // The engine trims filters and ignores blank ones; recording them the same way keeps the message's
    // copy of the search free of edge whitespace (which Discord may strip from an embed).
    const speaker = filterValue(args.speaker);
    const source = filterValue(args.source);
    const response = runSearch(services, { query: args.query, speaker, source });
    const problem = searchProblemReply(response, locale);
    if (problem) return context.reply(problem);
    const page = quotePage(response.hits, { query: response.query, speaker, source }, context.user.id, 0, locale);
    await context.reply(response.truncated ? { ...page, content: messages.queryCut[locale](response.query.length) } : page);
  },
  async autocomplete(context) {
    const { services, focused } = context;
    if (focused.name === 'speaker') return context.respond(speakerChoices(services.library, focused.value));
    if (focused.name === 'source') return context.respond(sourceChoices(services.library, focused.value));
    return context.respond([]);
  },
  buttons: {
    async quoteContext(context, { passageId }) {
      const { services, locale } = context;
      const passage = services.library.index.passage(passageId);
      if (!passage) throw new UserError(messages.unknownButton, 'unknown-passage');
      return context.reply({ embeds: [contextEmbed(services.library.index.describe(passage), locale)], ephemeral: true });
    },
    /** Posts the card of the passage in the channel, for everyone (anyone may click it). */
    async quoteCard(context, { passageId }) {
      const passage = context.services.library.index.passage(passageId);
      if (!passage) throw new UserError(messages.unknownButton, 'unknown-passage');
      return replyWithCard(context, passage, 'dark');
    },
    async quotePage(context, { ownerId, digest, index }) {
      const { services, locale } = context;
      // Discord says who ran the command; the id in the button must agree (else it was tampered with).
      const owner = context.message?.interactionUserId ?? ownerId;
      if (owner !== ownerId) throw new UserError(messages.unknownButton, 'tampered-owner');
      if (context.user.id !== owner) throw new UserError(messages.notYours, 'not-owner');
      const embed = context.message?.embeds[0];
      const search = embed ? readSearchField(embed) : null;
      if (!search || searchDigest(search) !== digest) throw new UserError(messages.expired, 'search-mismatch');
      const response = runSearch(services, search);
      // The corpus may have changed since the message was sent: a page that no longer exists has expired.
      if (index >= response.hits.length) throw new UserError(messages.expired, 'page-gone');
      return context.update(quotePage(response.hits, search, owner, index, locale));
    },
  },
});
