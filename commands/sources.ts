/** `/sources`: the interviews in the corpus, with speakers and links. */
import { messages, t } from '../src/bot/i18n.ts';
import { clampEmbed, escapeMarkdown } from '../src/bot/limits.ts';
import { localized } from '../src/bot/localize.ts';
import { EMBED_COLOR, publicationLine } from '../src/bot/render.ts';
import { defineCommand } from '../src/bot/types.ts';

export default defineCommand({
  data: { name: 'sources', ...localized('sources') },
  async execute(context) {
    const { library } = context.services;
    const { locale } = context;
    const counts = new Map<string, number>();
    for (const passage of library.passages) counts.set(passage.interviewId, (counts.get(passage.interviewId) ?? 0) + 1);
    return context.reply({
      embeds: [
        clampEmbed({
          color: EMBED_COLOR,
          title: t(messages.sourcesTitle, locale),
          fields: library.interviews.map((interview) => ({
            name: interview.title,
            value: [
              interview.speakers.map((s) => escapeMarkdown([s.name, s.company].filter(Boolean).join(' · '))).join('，'),
              [publicationLine(interview), messages.passages[locale](counts.get(interview.id) ?? 0)].filter(Boolean).join(' · '),
              interview.url ? interview.url : `\`${interview.id}\``,
            ].join('\n'),
          })),
        }),
      ],
    });
  },
});
