/** `/random [speaker]`: a random passage worth quoting (drawn from the daily-tip selection). */
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { messages, t } from '../src/bot/i18n.ts';
import { speakerChoices } from '../src/bot/choices.ts';
import { localized } from '../src/bot/localize.ts';
import { quoteEmbed } from '../src/bot/render.ts';
import { defineCommand } from '../src/bot/types.ts';
import { randomQuotable } from '../src/core/tips/random.ts';

export default defineCommand({
  data: {
    name: 'random',
    ...localized('random'),
    options: [{ type: ApplicationCommandOptionType.String, name: 'speaker', ...localized('random.speaker'), autocomplete: true }],
  },
  async execute(context, { speaker }) {
    const { library } = context.services;
    const pick = randomQuotable(library, speaker, Math.random);
    if (pick.problem === 'unknown-speaker') {
      const names = library.index.people().map((entry) => entry.speaker.name).join(', ');
      return context.reply({ content: messages.unknownSpeaker[context.locale](names), ephemeral: true });
    }
    if (!pick.passage) return context.reply({ content: t(messages.randomEmpty, context.locale), ephemeral: true });
    return context.reply({ embeds: [quoteEmbed(library.index.describe(pick.passage), context.locale)] });
  },
  async autocomplete(context) {
    return context.respond(speakerChoices(context.services.library, context.focused.value));
  },
});
