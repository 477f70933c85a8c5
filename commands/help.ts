/** `/help`: what the bot does and how to use each command. */
import { messages, t } from '../src/bot/i18n.ts';
import { clampEmbed } from '../src/bot/limits.ts';
import { describeCommand, localized } from '../src/bot/localize.ts';
import { EMBED_COLOR } from '../src/bot/render.ts';
import { defineCommand } from '../src/bot/types.ts';

/** Usage lines shown by /help, in order. Keys match `localize.ts`. */
const USAGE: Array<[string, string]> = [
  ['quote', '/quote query:卖房创业 [speaker:季昕华] [source:…]'],
  ['perspectives', '/perspectives topic:开源'],
  ['random', '/random [speaker:黄东旭]'],
  ['speaker', '/speaker name:一乐'],
  ['sources', '/sources'],
  ['tip', '/tip'],
  ['daily', '/daily set channel:#tips time:09:00 timezone:Asia/Shanghai · /daily status · /daily off'],
  ['help', '/help'],
];

export default defineCommand({
  data: { name: 'help', ...localized('help') },
  async execute(context) {
    const { locale } = context;
    return context.reply({
      ephemeral: true,
      embeds: [
        clampEmbed({
          color: EMBED_COLOR,
          title: t(messages.helpTitle, locale),
          description: t(messages.helpIntro, locale),
          fields: USAGE.filter(([key]) => describeCommand(key, locale) !== '').map(([key, usage]) => ({
            name: `\`${usage}\``,
            value: describeCommand(key, locale),
          })),
        }),
      ],
    });
  },
});
