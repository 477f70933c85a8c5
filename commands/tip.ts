/** `/tip`: today's tip for this channel, exactly as the daily post shows it (or will). */
import { messages, t } from '../src/bot/i18n.ts';
import { localized } from '../src/bot/localize.ts';
import { quoteEmbed } from '../src/bot/render.ts';
import { defineCommand } from '../src/bot/types.ts';
import { localDate } from '../src/core/schedule/time.ts';
import { dailyTip } from '../src/core/tips/daily.ts';

export default defineCommand({
  data: { name: 'tip', ...localized('tip') },
  async execute(context) {
    const { services, locale } = context;
    const now = services.now();
    // With storage, the channel's subscription decides the zone (and so the local date); without it
    // (the console), the default zone does.
    const { tip, localDate: day } = services.daily
      ? services.daily.tipFor(context.channelId, now)
      : (() => {
          const day = localDate(now, services.config.defaultTimeZone);
          return { tip: dailyTip(services.library, context.channelId, day), localDate: day };
        })();
    if (!tip) return context.reply({ content: t(messages.noTips, locale), ephemeral: true });
    return context.reply({ embeds: [{ ...quoteEmbed(tip, locale), title: messages.tipTitle[locale](day) }] });
  },
});
