/**
 * Guild payloads of the fake Discord: a configured {@link FakeGuild} with defaults applied (channels, roles
 * incl. @everyone and the bot's managed role, members incl. the bot), and its REST / GUILD_CREATE shapes.
 *
 * @module
 */
import { DEFAULT_EVERYONE_PERMISSIONS, DEFAULT_USER, fullUser, memberJson, stableSnowflake } from './builders.ts';
import type { FakeGuild, FakeGuildState, FakeMember, FakeRole, Json } from './types.ts';

/** Applies the defaults to a configured guild; `botUser` becomes a member with the bot's managed role. */
export function normalizeGuild(g: FakeGuild, botUser: Json): FakeGuildState {
  const everyonePermissions = g.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS;
  const botPermissions = g.botPermissions ?? '0';
  const botRoleId = stableSnowflake(`botrole:${g.id}`);
  const role = (r: FakeRole, position: number): Json => ({
    name: `role-${r.id.slice(-4)}`,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: '0',
    managed: false,
    mentionable: false,
    flags: 0,
    ...r,
  });
  const roles = [
    role({ id: g.id, name: '@everyone', permissions: everyonePermissions }, 0),
    role({ id: botRoleId, name: botUser.username, permissions: botPermissions, managed: true, tags: { bot_id: botUser.id } }, 1),
    ...(g.roles ?? []).map((r, i) => role(r, r.position ?? i + 2)),
  ];
  const channels = (g.channels ?? []).map((c, i) => ({
    type: 0,
    name: `channel-${c.id.slice(-4)}`,
    position: i,
    permission_overwrites: [],
    parent_id: null,
    nsfw: false,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
    ...c,
    guild_id: g.id,
  }));
  const member = (m: FakeMember): Json => memberJson(fullUser(m.user), m.roles ?? [], m.nick ?? null);
  const members = [member({ user: botUser, roles: [botRoleId] }), ...(g.members ?? []).map(member)];
  return {
    id: g.id,
    name: g.name ?? `guild-${g.id.slice(-4)}`,
    ownerId: g.ownerId ?? DEFAULT_USER.id,
    preferredLocale: g.preferredLocale ?? 'en-US',
    channels,
    roles,
    members,
    everyonePermissions,
    botPermissions,
    botRoleId,
  };
}

/** A guild as `GET /guilds/{id}` returns it. */
export function restGuildPayload(g: FakeGuildState): Json {
  return {
    id: g.id,
    name: g.name,
    icon: null,
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    owner_id: g.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    roles: g.roles,
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: 0,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: 0,
    rules_channel_id: null,
    max_presences: null,
    max_members: 500_000,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: 0,
    premium_subscription_count: 0,
    preferred_locale: g.preferredLocale,
    public_updates_channel_id: null,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    nsfw_level: 0,
    premium_progress_bar_enabled: false,
    safety_alerts_channel_id: null,
    incidents_data: null,
  };
}

/** A guild as the GUILD_CREATE dispatch carries it (with members and channels). */
export function guildCreatePayload(g: FakeGuildState): Json {
  return {
    ...restGuildPayload(g),
    joined_at: '2024-01-01T00:00:00.000Z',
    large: false,
    unavailable: false,
    member_count: g.members.length,
    voice_states: [],
    members: g.members,
    channels: g.channels,
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    lazy: true,
  };
}
