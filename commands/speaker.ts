/** `/speaker name`: who this person is (role, company, interviews) and one of their best quotes. */
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { messages, t } from '../src/bot/i18n.ts';
import { speakerChoices } from '../src/bot/choices.ts';
import { clampEmbed, escapeMarkdown } from '../src/bot/limits.ts';
import { localized } from '../src/bot/localize.ts';
import { EMBED_COLOR } from '../src/bot/render.ts';
import { defineCommand } from '../src/bot/types.ts';
import { bestByScore } from '../src/core/tips/random.ts';

export default defineCommand({
  data: {
    name: 'speaker',
    ...localized('speaker'),
    options: [{ type: ApplicationCommandOptionType.String, name: 'name', ...localized('speaker.name'), required: true, autocomplete: true }],
  },
  async execute(context, { name }) {
    const { library } = context.services;
    const { locale } = context;
    // A whole name or alias first; else the best partial or Latin match (`qi`, `huang`, `东旭`), one person.
    let matches = library.index.resolveSpeaker(name);
    if (matches.length === 0) {
      const best = library.index.findSpeakers(name, 1)[0];
      matches = best ? best.interviewIds.map((interviewId) => ({ interviewId, speaker: best.speaker })) : [];
    }
    const first = matches[0];
    if (!first) {
      const names = library.index.people().map((entry) => entry.speaker.name).join(', ');
      return context.reply({ content: messages.unknownSpeaker[locale](names), ephemeral: true });
    }
    const { speaker } = first;
    const keys = new Set(matches.map((m) => `${m.interviewId}#${m.speaker.id}`));
    const theirs = library.passages.filter((p) => keys.has(`${p.interviewId}#${p.speakerId ?? ''}`));
    const best = bestByScore(theirs, 1)[0];
    const interviews = [...new Set(matches.map((m) => m.interviewId))].map((id) => library.index.interviews.get(id)!);
    const aliases = speaker.aliases.filter((alias) => alias !== speaker.name);
    return context.reply({
      embeds: [
        clampEmbed({
          color: EMBED_COLOR,
          title: speaker.name,
          description: [speaker.company, speaker.role].filter(Boolean).map((s) => escapeMarkdown(s!)).join(' · ') || undefined,
          fields: [
            ...(aliases.length > 0 ? [{ name: t(messages.aliases, locale), value: escapeMarkdown(aliases.join(', ')) }] : []),
            {
              name: t(messages.speakerInterviews, locale),
              value: interviews.map((i) => `• ${i.url ? `[${escapeMarkdown(i.title)}](${i.url})` : escapeMarkdown(i.title)}${i.date ? ` (${i.date})` : ''}`).join('\n'),
            },
            ...(best ? [{ name: t(messages.speakerQuote, locale), value: `“${escapeMarkdown(best.text)}”` }] : []),
          ],
        }),
      ],
    });
  },
  async autocomplete(context) {
    return context.respond(speakerChoices(context.services.library, context.focused.value));
  },
});
