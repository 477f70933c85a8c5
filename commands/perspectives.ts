/**
 * `/perspectives topic`: the best passage of each speaker on a topic, side by side (one embed field per
 * speaker, at most five, each with its interview), so a roundtable's different views are one command away.
 */
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import type { APIEmbedField } from 'discord-api-types/v10';
import { messages } from '../src/bot/i18n.ts';
import { clampEmbed, escapeMarkdown, LIMITS, truncate } from '../src/bot/limits.ts';
import { localized } from '../src/bot/localize.ts';
import { EMBED_COLOR, quoteBody, speakerLine } from '../src/bot/render.ts';
import { defineCommand } from '../src/bot/types.ts';
import { searchProblemReply } from './quote.ts';

/** At most this many speakers side by side (Discord shows three inline fields a row). */
export const MAX_PERSPECTIVES = 5;
/** Longest quote in a field, in characters, so five fit in one embed. */
const FIELD_QUOTE_CHARS = 700;

export default defineCommand({
  data: {
    name: 'perspectives',
    ...localized('perspectives'),
    options: [{ type: ApplicationCommandOptionType.String, name: 'topic', ...localized('perspectives.topic'), required: true, max_length: 200 }],
  },
  async execute(context, { topic }) {
    const { services, locale } = context;
    const response = services.library.index.searchPerSpeaker({ text: topic, limit: MAX_PERSPECTIVES });
    if (response.hits.length === 0) {
      const problem = response.problem === null ? { content: messages.perspectivesNone[locale], ephemeral: true } : searchProblemReply(response, locale);
      return context.reply(problem ?? { content: messages.perspectivesNone[locale], ephemeral: true });
    }
    const fields: APIEmbedField[] = response.hits.map((hit) => {
      const title = hit.interview.url ? `[${escapeMarkdown(hit.interview.title)}](${hit.interview.url})` : escapeMarkdown(hit.interview.title);
      return {
        name: truncate(speakerLine(hit.speaker, locale), LIMITS.fieldName),
        value: `${truncate(quoteBody({ ...hit, highlights: [] }, locale), FIELD_QUOTE_CHARS)}\n— ${title}`,
      };
    });
    return context.reply({
      embeds: [clampEmbed({ color: EMBED_COLOR, title: truncate(messages.perspectivesTitle[locale](response.query), LIMITS.embedTitle), fields })],
    });
  },
});
