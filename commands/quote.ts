/** `/quote query [speaker] [source]`: the best passage, with paging and a context view. */
import { ApplicationCommandOptionType, ButtonStyle, ComponentType } from 'discord-api-types/v10';
import type { APIActionRowComponent, APIComponentInMessageActionRow } from 'discord-api-types/v10';
import type { SearchResponse } from '../src/core/search/engine.ts';
import { findHighlights } from '../src/core/search/highlight.ts';
import { messages, t, type Locale } from '../src/bot/i18n.ts';
import { contextEmbed, quoteEmbed } from '../src/bot/render.ts';
import { speakerChoices, sourceChoices } from '../src/bot/choices.ts';
import { localized } from '../src/bot/localize.ts';
import type { Command, ReplyPayload, Services } from '../src/bot/types.ts';

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

/** The message for result `index` of a paging session. */
export function quotePage(services: Services, key: string, index: number, locale: Locale): ReplyPayload | null {
  const session = services.paging.get(key);
  if (!session) return null;
  const passage = services.library.index.passage(session.passageIds[index] ?? '');
  if (!passage) return null;
  const view = services.library.index.describe(passage);
  const terms = services.library.tokenizer.tokenizeQuery(session.query);
  const highlights = findHighlights(passage.text, terms, services.library.tokenizer.normalize);
  const total = session.passageIds.length;
  const embed = quoteEmbed({ ...view, highlights }, locale, total > 1 ? messages.result[locale](index + 1, total) : undefined);
  const row: APIActionRowComponent<APIComponentInMessageActionRow> = {
    type: ComponentType.ActionRow,
    components: [
      ...(total > 1
        ? [
            { type: ComponentType.Button as const, style: ButtonStyle.Secondary as const, label: t(messages.previous, locale), custom_id: `quote:page:${key}:${index - 1}`, disabled: index === 0 },
            { type: ComponentType.Button as const, style: ButtonStyle.Secondary as const, label: t(messages.next, locale), custom_id: `quote:page:${key}:${index + 1}`, disabled: index >= total - 1 },
          ]
        : []),
      { type: ComponentType.Button, style: ButtonStyle.Primary, label: t(messages.context, locale), custom_id: `quote:ctx:${passage.id}` },
    ],
  };
  return { embeds: [embed], components: [row] };
}

export default {
  data: {
    name: 'quote',
    ...localized('quote'),
    options: [
      { type: ApplicationCommandOptionType.String, name: 'query', ...localized('quote.query'), required: true, max_length: 200 },
      { type: ApplicationCommandOptionType.String, name: 'speaker', ...localized('quote.speaker'), autocomplete: true },
      { type: ApplicationCommandOptionType.String, name: 'source', ...localized('quote.source'), autocomplete: true },
    ],
  },
  async execute(context) {
    const { services, locale } = context;
    const response = services.library.index.search({
      text: context.options.string('query') ?? '',
      speaker: context.options.string('speaker') ?? undefined,
      source: context.options.string('source') ?? undefined,
      limit: PAGE_LIMIT,
    });
    const problem = searchProblemReply(response, locale);
    if (problem) return context.reply(problem);
    const key = services.paging.put({
      ownerId: context.user.id,
      passageIds: response.hits.map((hit) => hit.passage.id),
      query: response.query,
      speaker: context.options.string('speaker'),
      source: context.options.string('source'),
    });
    const page = quotePage(services, key, 0, locale)!;
    await context.reply(response.truncated ? { ...page, content: messages.queryCut[locale](response.query.length) } : page);
  },
  async autocomplete(context) {
    const { services, focused } = context;
    if (focused.name === 'speaker') return context.respond(speakerChoices(services.library, focused.value));
    if (focused.name === 'source') return context.respond(sourceChoices(services.library, focused.value));
    return context.respond([]);
  },
  buttonPrefix: 'quote',
  async button(context) {
    const { services, locale } = context;
    const [, action, ...rest] = context.customId.split(':');
    if (action === 'ctx') {
      const passage = services.library.index.passage(rest.join(':'));
      if (!passage) return context.reply({ content: t(messages.unknownButton, locale), ephemeral: true });
      return context.reply({ embeds: [contextEmbed(services.library.index.describe(passage), locale)], ephemeral: true });
    }
    if (action === 'page' && rest.length === 2) {
      const [key, indexText] = rest as [string, string];
      const session = services.paging.get(key);
      if (!session) return context.reply({ content: t(messages.expired, locale), ephemeral: true });
      if (session.ownerId !== context.user.id) return context.reply({ content: t(messages.notYours, locale), ephemeral: true });
      const index = /^\d{1,2}$/u.test(indexText) ? Number(indexText) : -1;
      const page = index >= 0 ? quotePage(services, key, index, locale) : null;
      if (!page) return context.reply({ content: t(messages.unknownButton, locale), ephemeral: true });
      return context.update(page);
    }
    return context.reply({ content: t(messages.unknownButton, locale), ephemeral: true });
  },
} satisfies Command;
