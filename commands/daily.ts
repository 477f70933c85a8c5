/**
 * `/daily set|off|status|preview`: subscribe a channel to one tip a day. Changing settings needs
 * Manage Server, declared with `default_member_permissions` and checked again here (a server admin can
 * override the declared default).
 */
import { ApplicationCommandOptionType, ChannelType, InteractionContextType, PermissionFlagsBits } from 'discord-api-types/v10';
import { messages, t, type Locale } from '../src/bot/i18n.ts';
import { clampEmbed, escapeMarkdown } from '../src/bot/limits.ts';
import { localized } from '../src/bot/localize.ts';
import { EMBED_COLOR } from '../src/bot/render.ts';
import { dailyPostPayload, type SubscriptionStatus } from '../src/bot/daily-service.ts';
import type { Command, CommandContext } from '../src/bot/types.ts';
import { canonicalTimeZone, localDate, localTimeOfDay, nextRunAt, parseTimeOfDay, searchTimeZones } from '../src/core/schedule/time.ts';
import { StorageError } from '../src/core/store/database.ts';

/** What the bot needs in the channel to post a tip, with the names users see in Discord. */
const REQUIRED_PERMISSIONS: Array<[bigint, string]> = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
];

const TEXT_CHANNELS: Array<ChannelType.GuildText | ChannelType.GuildAnnouncement> = [ChannelType.GuildText, ChannelType.GuildAnnouncement];

function hasManageServer(context: CommandContext): boolean {
  const permissions = context.memberPermissions ?? 0n;
  return (permissions & (PermissionFlagsBits.ManageGuild | PermissionFlagsBits.Administrator)) !== 0n;
}

/** "2026-11-23 09:00 Asia/Shanghai (<t:…:R>)": the server's wall time, plus Discord's relative time. */
function when(at: Date, timeZone: string): string {
  return `${localDate(at, timeZone)} ${localTimeOfDay(at, timeZone)} ${timeZone} (<t:${Math.floor(at.getTime() / 1000)}:R>)`;
}

function pauseText(reason: string | null, locale: Locale): string {
  if (reason === 'guild-left') return t(messages.pauseGuildLeft, locale);
  if (reason === 'failures') return t(messages.pauseFailures, locale);
  return t(messages.pauseManual, locale);
}

async function set(context: CommandContext): Promise<void> {
  const { locale, services } = context;
  const daily = services.daily!;
  if (!hasManageServer(context)) return context.reply({ content: t(messages.needManageServer, locale), ephemeral: true });
  const channel = context.options.channel('channel');
  if (!channel || !(TEXT_CHANNELS as number[]).includes(channel.type) || (channel.guildId !== null && channel.guildId !== context.guildId)) {
    return context.reply({ content: t(messages.badChannel, locale), ephemeral: true });
  }
  const timeText = context.options.string('time') ?? '';
  const time = parseTimeOfDay(timeText.trim());
  if (!time) return context.reply({ content: messages.badTime[locale](timeText), ephemeral: true });
  const zoneText = context.options.string('timezone') ?? services.config.defaultTimeZone;
  const timeZone = canonicalTimeZone(zoneText.trim());
  if (!timeZone) return context.reply({ content: messages.badZone[locale](zoneText), ephemeral: true });

  // The bot must be able to post there; a channel of another server has no permissions for us here.
  const permissions = (await context.botPermissionsIn?.(channel.id)) ?? null;
  if (permissions === null) return context.reply({ content: t(messages.badChannel, locale), ephemeral: true });
  const missing = REQUIRED_PERMISSIONS.filter(([bit]) => (permissions & bit) === 0n && (permissions & PermissionFlagsBits.Administrator) === 0n);
  if (missing.length > 0) {
    return context.reply({ content: messages.missingPermissions[locale](`<#${channel.id}>`, missing.map(([, name]) => name).join(', ')), ephemeral: true });
  }

  const role = context.options.role('role');
  const { subscription } = await daily.subscribe({
    guildId: context.guildId!,
    channelId: channel.id,
    time: timeText.trim(),
    timeZone,
    mentionRoleId: role,
    createdBy: context.user.id,
  });
  const next = nextRunAt(services.now(), subscription.time, subscription.timeZone);
  const text = messages.subscribed[locale](`<#${channel.id}>`, subscription.time, subscription.timeZone, when(next.at, subscription.timeZone));
  return context.reply({ content: role ? text + messages.mentionNote[locale](`<@&${role}>`) : text, ephemeral: true });
}

async function off(context: CommandContext): Promise<void> {
  const { locale, services } = context;
  if (!hasManageServer(context)) return context.reply({ content: t(messages.needManageServer, locale), ephemeral: true });
  const channelId = context.options.channel('channel')?.id ?? context.channelId;
  const removed = channelId ? await services.daily!.unsubscribe(context.guildId!, channelId) : 0;
  return context.reply({ content: messages.unsubscribed[locale](removed), ephemeral: true });
}

function statusField(entry: SubscriptionStatus, locale: Locale): { name: string; value: string } {
  const { subscription: sub, next, lastPost } = entry;
  const lines: string[] = [`${sub.time} ${sub.timeZone}${sub.mentionRoleId ? ` · <@&${sub.mentionRoleId}>` : ''}`];
  if (sub.pauseReason) lines.push(messages.statusPaused[locale](pauseText(sub.pauseReason, locale)));
  else if (next?.at) lines.push(`${t(messages.statusNext, locale)}: ${when(next.at, sub.timeZone)}`);
  lines.push(
    `${t(messages.statusLast, locale)}: ${lastPost ? `${lastPost.localDate} · ${lastPost.status}${lastPost.error ? ` (${escapeMarkdown(lastPost.error)})` : ''}` : t(messages.statusNever, locale)}`,
  );
  if (sub.lastError) lines.push(`${t(messages.lastError, locale)}: ${escapeMarkdown(sub.lastError)} ×${sub.consecutiveFailures}`);
  return { name: `#${sub.channelId}`, value: `<#${sub.channelId}>\n${lines.join('\n')}` };
}

async function status(context: CommandContext): Promise<void> {
  const { locale, services } = context;
  const entries = await services.daily!.status(context.guildId!);
  if (entries.length === 0) return context.reply({ content: t(messages.noSubscriptions, locale), ephemeral: true });
  return context.reply({
    ephemeral: true,
    embeds: [clampEmbed({ color: EMBED_COLOR, title: t(messages.statusTitle, locale), fields: entries.slice(0, 25).map((e) => statusField(e, locale)) })],
  });
}

async function preview(context: CommandContext): Promise<void> {
  const { locale, services } = context;
  const { tip } = await services.daily!.tipFor(context.channelId, services.now());
  if (!tip) return context.reply({ content: t(messages.noTips, locale), ephemeral: true });
  const role = context.channelId ? ((await services.daily!.subscription(context.channelId))?.mentionRoleId ?? null) : null;
  // The preview shows the role mention as text; ephemeral replies never ping.
  const { mentionRoleIds: _ignored, ...payload } = dailyPostPayload(tip, locale, role);
  return context.reply({ ...payload, ephemeral: true });
}

export default {
  data: {
    name: 'daily',
    ...localized('daily'),
    default_member_permissions: String(PermissionFlagsBits.ManageGuild),
    contexts: [InteractionContextType.Guild],
    options: [
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'set',
        ...localized('daily.set'),
        options: [
          { type: ApplicationCommandOptionType.Channel, name: 'channel', ...localized('daily.set.channel'), required: true, channel_types: TEXT_CHANNELS },
          { type: ApplicationCommandOptionType.String, name: 'time', ...localized('daily.set.time'), required: true, min_length: 3, max_length: 5 },
          { type: ApplicationCommandOptionType.String, name: 'timezone', ...localized('daily.set.timezone'), autocomplete: true, max_length: 64 },
          { type: ApplicationCommandOptionType.Role, name: 'role', ...localized('daily.set.role') },
        ],
      },
      {
        type: ApplicationCommandOptionType.Subcommand,
        name: 'off',
        ...localized('daily.off'),
        options: [{ type: ApplicationCommandOptionType.Channel, name: 'channel', ...localized('daily.off.channel'), channel_types: TEXT_CHANNELS }],
      },
      { type: ApplicationCommandOptionType.Subcommand, name: 'status', ...localized('daily.status') },
      { type: ApplicationCommandOptionType.Subcommand, name: 'preview', ...localized('daily.preview') },
    ],
  },
  async execute(context) {
    const { locale } = context;
    if (!context.guildId) return context.reply({ content: t(messages.guildOnly, locale), ephemeral: true });
    if (!context.services.daily) return context.reply({ content: t(messages.storageUnavailable, locale), ephemeral: true });
    try {
      switch (context.options.subcommand()) {
        case 'set':
          return await set(context);
        case 'off':
          return await off(context);
        case 'status':
          return await status(context);
        case 'preview':
          return await preview(context);
        default:
          return await context.reply({ content: t(messages.unknownCommand, locale), ephemeral: true });
      }
    } catch (error) {
      // Storage failures (read-only file, disk full) changed nothing: say so, keep running.
      if (error instanceof StorageError) {
        context.services.logger.warn({ err: error, kind: error.kind }, 'daily: storage error');
        return context.reply({ content: error.userMessage, ephemeral: true });
      }
      throw error;
    }
  },
  async autocomplete(context) {
    if (context.focused.name !== 'timezone') return context.respond([]);
    return context.respond(searchTimeZones(context.focused.value, 25).map((zone) => ({ name: zone, value: zone })));
  },
} satisfies Command;
