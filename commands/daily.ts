/**
 * `/daily set|off|status|preview`: subscribe a channel to one tip a day. Changing settings needs
 * Manage Server, declared with `default_member_permissions` and checked again by the `manageGuild`
 * precondition (a server admin can override the declared default).
 */
import { ApplicationCommandOptionType, ChannelType, InteractionContextType, PermissionFlagsBits } from 'discord-api-types/v10';
import { messages, t, type Locale } from '../src/bot/i18n.ts';
import { clampEmbed, escapeMarkdown } from '../src/bot/limits.ts';
import { localized } from '../src/bot/localize.ts';
import { EMBED_COLOR } from '../src/bot/render.ts';
import { dailyPostPayload, type SubscriptionStatus } from '../src/bot/daily-service.ts';
import type { ArgumentsOf } from '../src/bot/options.ts';
import { botCan, dailyStorage, inGuild, manageGuild, type NamedPermission } from '../src/bot/preconditions.ts';
import { defineCommand, type CommandContext } from '../src/bot/types.ts';
import { UserError } from '../src/bot/user-error.ts';
import { localDate, localTimeOfDay, nextRunAt, parseTimeOfDay } from '../src/core/schedule/time.ts';
import { resolveTimeZone, suggestTimeZones, type TimeZoneResolution } from '../src/core/schedule/zones.ts';
import { StorageError } from '../src/core/store/database.ts';

/** What the bot needs in the channel to post a tip, with the names users see in Discord. */
const REQUIRED_PERMISSIONS: readonly NamedPermission[] = [
  { bit: PermissionFlagsBits.ViewChannel, name: 'View Channel' },
  { bit: PermissionFlagsBits.SendMessages, name: 'Send Messages' },
  { bit: PermissionFlagsBits.EmbedLinks, name: 'Embed Links' },
];

const TEXT_CHANNELS = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;

/** "2026-11-23 09:00 Asia/Shanghai (<t:…:R>)": the server's wall time, plus Discord's relative time. */
function when(at: Date, timeZone: string): string {
  return `${localDate(at, timeZone)} ${localTimeOfDay(at, timeZone)} ${timeZone} (<t:${Math.floor(at.getTime() / 1000)}:R>)`;
}

function pauseText(reason: string | null, locale: Locale): string {
  if (reason === 'guild-left') return t(messages.pauseGuildLeft, locale);
  if (reason === 'failures') return t(messages.pauseFailures, locale);
  return t(messages.pauseManual, locale);
}

/** Why a typed time zone was not taken: ambiguous (`CST`), a fixed offset (`+08:00`), or unknown. */
function zoneProblem(zone: Exclude<TimeZoneResolution, { kind: 'zone' }>, typed: string, locale: Locale): string {
  const value = escapeMarkdown(typed.trim().slice(0, 64));
  const list = (zones: string[]): string => zones.map((z) => `\`${z}\``).join(locale === 'en' ? ' or ' : ' / ');
  if (zone.kind === 'ambiguous') return messages.ambiguousZone[locale](value, list(zone.options));
  if (zone.kind === 'fixed-offset') return messages.fixedOffsetZone[locale](value, list(zone.suggestions));
  return zone.suggestions.length > 0 ? messages.badZoneDidYouMean[locale](value, list(zone.suggestions)) : messages.badZone[locale](value);
}

type Args = ArgumentsOf<typeof data>;
type SubcommandOptions<S extends Args['subcommand']> = Extract<Args, { subcommand: S }>['options'];

async function set(context: CommandContext, { channel, time: timeText, timezone, role, style: styleText }: SubcommandOptions<'set'>): Promise<void> {
  const { locale, services } = context;
  const daily = services.daily!;
  await manageGuild(context);
  if (!(TEXT_CHANNELS as readonly number[]).includes(channel.type) || (channel.guildId !== null && channel.guildId !== context.guildId)) {
    throw new UserError(messages.badChannel, 'bad-channel');
  }
  // Discord offers the two choices only; a modified client (or the console) may send anything else.
  const style = styleText === null ? 'text' : styleText === 'text' || styleText === 'card' ? styleText : null;
  if (!style) throw new UserError(messages.badStyle, 'bad-style');
  const time = parseTimeOfDay(timeText.trim());
  if (!time) throw new UserError((l) => messages.badTime[l](timeText), 'bad-time');
  const zoneText = timezone ?? services.config.defaultTimeZone;
  const zone = resolveTimeZone(zoneText);
  if (zone.kind !== 'zone') throw new UserError((l) => zoneProblem(zone, zoneText, l), zone.kind === 'unknown' ? 'bad-zone' : `${zone.kind}-zone`);
  const timeZone = zone.zone;

  // The bot must be able to post there; a channel of another server has no permissions for us here.
  // A card is an uploaded file: Discord also needs Attach Files for it.
  await botCan(context, channel.id, style === 'card' ? [...REQUIRED_PERMISSIONS, { bit: PermissionFlagsBits.AttachFiles, name: 'Attach Files' }] : REQUIRED_PERMISSIONS);

  const { subscription } = await daily.subscribe({
    guildId: context.guildId!,
    channelId: channel.id,
    time: timeText.trim(),
    timeZone,
    mentionRoleId: role,
    createdBy: context.user.id,
    style,
  });
  const next = nextRunAt(services.now(), subscription.time, subscription.timeZone);
  const text = messages.subscribed[locale](`<#${channel.id}>`, subscription.time, subscription.timeZone, when(next.at, subscription.timeZone));
  return context.reply({ content: role ? text + messages.mentionNote[locale](`<@&${role}>`) : text, ephemeral: true });
}

async function off(context: CommandContext, { channel }: SubcommandOptions<'off'>): Promise<void> {
  const { locale, services } = context;
  await manageGuild(context);
  const channelId = channel?.id ?? context.channelId;
  const removed = channelId ? await services.daily!.unsubscribe(context.guildId!, channelId) : 0;
  return context.reply({ content: messages.unsubscribed[locale](removed), ephemeral: true });
}

function statusField(entry: SubscriptionStatus, locale: Locale): { name: string; value: string } {
  const { subscription: sub, next, lastPost } = entry;
  const style = t(sub.style === 'card' ? messages.styleCard : messages.styleText, locale);
  const lines: string[] = [`${sub.time} ${sub.timeZone} · ${style}${sub.mentionRoleId ? ` · <@&${sub.mentionRoleId}>` : ''}`];
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

const data = {
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
          {
            type: ApplicationCommandOptionType.String,
            name: 'style',
            ...localized('daily.set.style'),
            choices: [
              { name: 'text', name_localizations: { 'zh-CN': '文字', 'zh-TW': '文字' }, value: 'text' },
              { name: 'card', name_localizations: { 'zh-CN': '卡片', 'zh-TW': '卡片' }, value: 'card' },
            ],
          },
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
} as const;

export default defineCommand({
  data,
  preconditions: [inGuild, dailyStorage],
  async execute(context, args) {
    try {
      switch (args.subcommand) {
        case 'set':
          return await set(context, args.options);
        case 'off':
          return await off(context, args.options);
        case 'status':
          return await status(context);
        case 'preview':
          return await preview(context);
      }
    } catch (error) {
      // Storage failures (read-only file, disk full) changed nothing: say so, keep running.
      if (error instanceof StorageError) {
        context.services.logger.warn({ err: error, kind: error.kind }, 'daily: storage error');
        throw new UserError(() => error.userMessage, `storage-${error.kind}`);
      }
      throw error;
    }
  },
  async autocomplete(context) {
    if (context.focused.name !== 'timezone') return context.respond([]);
    return context.respond(suggestTimeZones(context.focused.value, { limit: 25 }).map(({ zone, label }) => ({ name: label, value: zone })));
  },
});
