/** `/tip [card]`: today's tip for this channel, exactly as the daily post shows it (or will); as a picture card with `card:true`. */
import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import { replyWithCard } from '../src/bot/card-reply.ts';
import { messages, t } from '../src/bot/i18n.ts';
import { localized } from '../src/bot/localize.ts';
import { quoteEmbed } from '../src/bot/render.ts';
import { defineCommand } from '../src/bot/types.ts';
import { localDate } from '../src/core/schedule/time.ts';
import { dailyTip } from '../src/core/tips/daily.ts';

export default defineCommand({
  data: {
    name: 'tip',
    ...localized('tip'),
    options: [{ type: ApplicationCommandOptionType.Boolean, name: 'card', ...localized('tip.card') }],
  },
  async execute(context, args) {
    const { services, locale } = context;
    const now = services.now();
    // With storage, the channel's subscription decides the zone (and so the local date); without it
    // (the console), the default zone does.
    const { tip, localDate: day } = services.daily
      ? await services.daily.tipFor(context.channelId, now)
      : (() => {
          const day = localDate(now, services.config.defaultTimeZone);
          return { tip: dailyTip(services.library, context.channelId, day), localDate: day };
        })();
    if (!tip) return context.reply({ content: t(messages.noTips, locale), ephemeral: true });
    const reply = { embeds: [{ ...quoteEmbed(tip, locale), title: messages.tipTitle[locale](day) }] };
    // As a card: the picture, with the same embed so the text stays readable and searchable.
    if (args.card) return replyWithCard(context, tip.passage, 'dark', reply);
    return context.reply(reply);
  },
});
