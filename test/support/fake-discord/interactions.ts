/**
 * Interactions of the fake Discord: building INTERACTION_CREATE payloads from specs, dispatching them, the
 * callback endpoint (`POST /interactions/{id}/{token}/callback`) and the interaction webhooks (original
 * response and followups).
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { DEFAULT_EVERYONE_PERMISSIONS, DEFAULT_USER, fullUser, memberJson, snowflake, stableSnowflake } from './builders.ts';
import { dispatchOnShard, shardOfEvent } from './gateway.ts';
import { editMessage, makeMessage, validateMessage } from './messages.ts';
import { errorResponse, formError } from './responses.ts';
import type { FakeDiscordState } from './state.ts';
import type {
  DispatchedInteraction,
  FakeResponse,
  InteractionCallback,
  InteractionSpec,
  Json,
  OptionsSpec,
  PendingInteraction,
  RecordedRequest,
} from './types.ts';

/** Builds a full INTERACTION_CREATE payload from a spec (without dispatching it). */
export function buildInteraction(s: FakeDiscordState, spec: InteractionSpec): Json {
  if (spec.kind === 'raw') {
    return { id: snowflake(), token: newInteractionToken(), application_id: s.applicationId, version: 1, ...spec.payload };
  }
  const user = fullUser({ ...DEFAULT_USER, ...spec.user, id: spec.user?.id ?? DEFAULT_USER.id });
  const guild =
    spec.guildId === null ? undefined : spec.guildId ? s.guilds.find((g) => g.id === spec.guildId) : s.guilds[0];
  const guildId = spec.guildId === null ? undefined : (spec.guildId ?? guild?.id);
  let channel: Json;
  if (guildId) {
    const wanted = spec.channelId ?? guild?.channels.find((c) => c.type === 0)?.id ?? guild?.channels[0]?.id ?? snowflake();
    channel = s.channels.get(wanted) ?? { id: wanted, type: 0, name: `channel-${wanted.slice(-4)}`, guild_id: guildId };
  } else {
    const dmId = spec.channelId ?? stableSnowflake(`dm:${user.id}`);
    channel = { id: dmId, type: 1, last_message_id: null, flags: 0, recipients: [user] };
  }
  if (!s.channels.has(channel.id)) s.channels.set(channel.id, channel);

  const everyone = guild?.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS;
  const appPermissions = spec.appPermissions ?? (BigInt(everyone) | BigInt(guild?.botPermissions ?? '0')).toString();
  const payload: Json = {
    id: spec.id ?? snowflake(),
    application_id: s.applicationId,
    token: spec.token ?? newInteractionToken(),
    version: 1,
    channel,
    channel_id: channel.id,
    locale: spec.locale ?? 'en-US',
    app_permissions: appPermissions,
    entitlements: [],
    authorizing_integration_owners: guildId ? { '0': guildId } : { '1': user.id },
    context: spec.context ?? (guildId ? 0 : 1),
    attachment_size_limit: 10 * 1024 * 1024,
  };
  if (guildId) {
    payload.guild_id = guildId;
    payload.guild_locale = spec.guildLocale ?? guild?.preferredLocale ?? 'en-US';
    payload.guild = { id: guildId, locale: payload.guild_locale, features: [] };
    payload.member = { ...memberJson(user, spec.roles ?? [], spec.nick ?? null), permissions: spec.memberPermissions ?? everyone };
  } else {
    payload.user = user;
  }

  switch (spec.kind) {
    case 'command':
    case 'autocomplete': {
      let options = buildOptions(spec.options, spec.kind === 'autocomplete' ? spec.focused : undefined);
      if (spec.subcommand) options = [{ type: 1, name: spec.subcommand, options }];
      if (spec.subcommandGroup) options = [{ type: 2, name: spec.subcommandGroup, options }];
      payload.type = spec.kind === 'command' ? 2 : 4;
      payload.data = {
        id: spec.commandId ?? commandIdFor(s, spec.name, guildId),
        name: spec.name,
        type: 1,
        options,
        ...(spec.kind === 'command' && spec.resolved ? { resolved: spec.resolved } : {}),
      };
      break;
    }
    case 'component': {
      const componentType = spec.componentType ?? 2;
      const message =
        spec.message ??
        makeMessage(s, channel.id, {
          content: 'component host',
          components: [
            {
              type: 1,
              components: [
                componentType === 2
                  ? { type: 2, style: 1, label: 'Press', custom_id: spec.customId }
                  : { type: componentType, custom_id: spec.customId, options: [] },
              ],
            },
          ],
        }, { author: s.botUser, guildId });
      if (!message.id) message.id = snowflake();
      s.messages.set(message.id, message);
      payload.type = 3;
      payload.message = message;
      payload.data = {
        custom_id: spec.customId,
        component_type: componentType,
        ...(spec.values ? { values: spec.values } : componentType !== 2 ? { values: [] } : {}),
      };
      break;
    }
    case 'modal': {
      payload.type = 5;
      payload.data = {
        custom_id: spec.customId,
        components: Object.entries(spec.fields).map(([id, value]) => ({
          type: 1,
          components: [{ type: 4, custom_id: id, value }],
        })),
      };
      break;
    }
  }
  return spec.extra ? { ...payload, ...spec.extra } : payload;
}

/**
 * Builds (if needed) and dispatches an INTERACTION_CREATE. Returns immediately with the id/token and a lazy
 * `waitForCallback` (no unhandled rejections if you never wait).
 */
export function dispatchInteraction(s: FakeDiscordState, specOrPayload: InteractionSpec): DispatchedInteraction {
  const payload = buildInteraction(s, specOrPayload);
  const shard = shardOfEvent(s, 'INTERACTION_CREATE', payload);
  const pending: PendingInteraction = { payload, shard, followups: new Set() };
  if (payload.type === 3 && payload.message?.id) pending.componentMessageId = payload.message.id;
  s.interactions.set(payload.id, pending);
  s.interactionsByToken.set(payload.token, pending);
  dispatchOnShard(s, shard, 'INTERACTION_CREATE', payload);
  return {
    payload,
    id: payload.id,
    token: payload.token,
    shard,
    waitForCallback: (timeoutMs = 5_000) =>
      s.waitUntil(() => pending.callback, timeoutMs, `the callback of interaction ${payload.id}`),
  };
}

/** The original response message of an interaction (after a type 4/5/7 callback), if any. */
export function originalMessage(s: FakeDiscordState, interactionIdOrToken: string): Json | undefined {
  const p = s.interactions.get(interactionIdOrToken) ?? s.interactionsByToken.get(interactionIdOrToken);
  return p?.originalMessageId ? s.messages.get(p.originalMessageId) : undefined;
}

/** Requests whose path starts with `/webhooks/{app}/{token}` (edits, followups, deletes) for an interaction. */
export function webhookRequests(s: FakeDiscordState, interactionToken: string): RecordedRequest[] {
  const prefix = `/webhooks/${s.applicationId}/${interactionToken}`;
  return s.requests.filter((r) => r.path.startsWith(prefix));
}

/** A fresh interaction token. */
export function newInteractionToken(): string {
  return `aW50ZXJhY3Rpb246${randomBytes(60).toString('base64url')}`;
}

/** The id of the registered command `name` (guild first, then global), or a stable one if none is registered. */
export function commandIdFor(s: FakeDiscordState, name: string, guildId: string | undefined): string {
  for (const key of [guildId ?? '', 'global']) {
    const found = s.commands.get(key)?.find((c) => c.name === name);
    if (found) return found.id;
  }
  return stableSnowflake(`cmd:${s.applicationId}:${name}`);
}

/** API options from a spec; `focused` marks (or adds) the option autocomplete is for. */
export function buildOptions(spec: OptionsSpec | undefined, focused: string | undefined): Json[] {
  let options: Json[];
  if (!spec) options = [];
  else if (Array.isArray(spec)) options = spec.map((o) => ({ ...o }));
  else {
    options = Object.entries(spec).map(([name, v]) => {
      if (typeof v === 'object') return { name, type: v.type, value: v.value };
      const type = typeof v === 'string' ? 3 : typeof v === 'boolean' ? 5 : Number.isInteger(v) ? 4 : 10;
      return { name, type, value: v };
    });
  }
  if (focused !== undefined) {
    let f = options.find((o) => o.name === focused);
    if (!f) {
      f = { name: focused, type: 3, value: '' };
      options.push(f);
    }
    f.focused = true;
  }
  return options;
}

/** `POST /interactions/{id}/{token}/callback`: checks the callback type is allowed, validates, records it. */
export function onCallback(s: FakeDiscordState, r: RecordedRequest, id: string, token: string): FakeResponse {
  const p = s.interactions.get(id);
  if (!p || p.payload.token !== token) return errorResponse(404, 10062, 'Unknown interaction');
  if (p.callback) return errorResponse(400, 40060, 'Interaction has already been acknowledged.');
  const body = r.body ?? {};
  const type = Number(body.type);
  const data = body.data;
  const interactionType = p.payload.type;
  const guildId: string | undefined = p.payload.guild_id;
  const channelId: string = p.payload.channel?.id ?? p.payload.channel_id;
  const allowed: Record<number, number[]> = { 1: [1], 2: [4, 5, 9], 3: [4, 5, 6, 7, 9], 4: [8], 5: [4, 5, 6, 7] };
  if (type === 1 || !(allowed[interactionType] ?? []).includes(type)) {
    return errorResponse(400, 40043, `Interaction callback type ${type} is invalid for interaction type ${interactionType}`);
  }
  let message: Json | undefined;
  if (type === 4) {
    const invalid = validateMessage(s, data, r.files, true);
    if (invalid) return invalid;
  }
  if (type === 7 && s.opts.validate) {
    const invalid = validateMessage(s, data, r.files, false);
    if (invalid) return invalid;
  }
  if (type === 8 && s.opts.validate) {
    const choices: Json[] = data?.choices ?? [];
    if (choices.length > 25) return formError('data.choices', 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    if (choices.some((c) => typeof c.name !== 'string' || c.name.length < 1 || c.name.length > 100)) {
      return formError('data.choices', 'BASE_TYPE_BAD_LENGTH', 'Choice name must be between 1 and 100 in length.');
    }
  }
  const interactionMeta = interactionMetadata(p);
  if (type === 4 || type === 5) {
    const flags = Number(data?.flags ?? 0) & 64;
    message = makeMessage(s, channelId, type === 4 ? data : { content: '', flags: flags | 128 }, {
      author: s.botUser,
      guildId,
      webhookId: s.applicationId,
      interaction: interactionMeta,
      files: r.files,
    });
    if (type === 4) message.flags = Number(data?.flags ?? 0);
    s.messages.set(message.id, message);
    p.originalMessageId = message.id;
  } else if ((type === 6 || type === 7) && p.componentMessageId) {
    message = s.messages.get(p.componentMessageId);
    if (message && type === 7) editMessage(s, message, data, r.files);
    if (message) p.originalMessageId = message.id;
  }
  const callback: InteractionCallback = {
    interactionId: id,
    token,
    type,
    data,
    body,
    withResponse: r.query.with_response === 'true',
    latencyMs: p.sentAt === undefined ? Number.NaN : r.receivedAt - p.sentAt,
    interaction: p.payload,
    request: r,
  };
  p.callback = callback;
  s.callbacks.push(callback);
  if (!callback.withResponse) return { status: 204 };
  return {
    status: 200,
    body: {
      interaction: {
        id,
        type: interactionType,
        activity_instance_id: null,
        response_message_id: message?.id ?? null,
        response_message_loading: type === 5,
        response_message_ephemeral: ((Number(message?.flags ?? 0) & 64) !== 0),
      },
      resource: { type, ...(message ? { message } : {}) },
    },
  };
}

/** `interaction_metadata` of messages created by an interaction (discord.js requires `user`). */
export function interactionMetadata(p: PendingInteraction): Json {
  return {
    id: p.payload.id,
    type: p.payload.type,
    user: p.payload.member?.user ?? p.payload.user,
    authorizing_integration_owners: p.payload.authorizing_integration_owners,
    ...(p.payload.type === 2 ? { name: p.payload.data?.name, command_type: p.payload.data?.type ?? 1 } : {}),
    ...(p.payload.type === 3 && p.componentMessageId ? { interacted_message_id: p.componentMessageId } : {}),
  };
}

/** The interaction a webhook token belongs to, or 404 Unknown Webhook. */
export function webhookTarget(s: FakeDiscordState, app: string | undefined, token: string | undefined): PendingInteraction | FakeResponse {
  const p = token ? s.interactionsByToken.get(token) : undefined;
  if (app !== s.applicationId || !p) return errorResponse(404, 10015, 'Unknown Webhook');
  return p;
}

/** A message of this interaction (`@original` or one of its followups), or undefined. */
export function resolveWebhookMessage(s: FakeDiscordState, p: PendingInteraction, messageId: string | undefined): Json | undefined {
  const id = messageId === '@original' ? p.originalMessageId : messageId;
  if (!id || (id !== p.originalMessageId && !p.followups.has(id))) return undefined;
  return s.messages.get(id);
}

/** `GET /webhooks/{app}/{token}/messages/{id}`. */
export function webhookGet(s: FakeDiscordState, app: string | undefined, token: string | undefined, messageId: string | undefined): FakeResponse {
  const p = webhookTarget(s, app, token);
  if (!('payload' in p)) return p;
  const m = resolveWebhookMessage(s, p, messageId);
  return m ? { status: 200, body: m } : errorResponse(404, 10008, 'Unknown Message');
}

/** `PATCH /webhooks/{app}/{token}/messages/{id}` (edit original or followup). */
export function webhookEdit(s: FakeDiscordState, r: RecordedRequest, app: string | undefined, token: string | undefined, messageId: string | undefined): FakeResponse {
  const p = webhookTarget(s, app, token);
  if (!('payload' in p)) return p;
  const m = resolveWebhookMessage(s, p, messageId);
  if (!m) return errorResponse(404, 10008, 'Unknown Message');
  const invalid = validateMessage(s, r.body, r.files, false);
  if (invalid) return invalid;
  return { status: 200, body: editMessage(s, m, r.body, r.files) };
}

/** `DELETE /webhooks/{app}/{token}/messages/{id}`. */
export function webhookDelete(s: FakeDiscordState, app: string | undefined, token: string | undefined, messageId: string | undefined): FakeResponse {
  const p = webhookTarget(s, app, token);
  if (!('payload' in p)) return p;
  const m = resolveWebhookMessage(s, p, messageId);
  if (!m) return errorResponse(404, 10008, 'Unknown Message');
  s.messages.delete(m.id);
  if (m.id === p.originalMessageId) delete p.originalMessageId;
  p.followups.delete(m.id);
  return { status: 204 };
}

/** `POST /webhooks/{app}/{token}`: a followup message (only after the interaction was acknowledged). */
export function webhookFollowup(s: FakeDiscordState, r: RecordedRequest, app: string | undefined, token: string | undefined): FakeResponse {
  const p = webhookTarget(s, app, token);
  if (!('payload' in p)) return p;
  if (!p.callback) return errorResponse(404, 10015, 'Unknown Webhook');
  const invalid = validateMessage(s, r.body, r.files, true);
  if (invalid) return invalid;
  const channelId: string = p.payload.channel?.id ?? p.payload.channel_id;
  const message = makeMessage(s, channelId, r.body, {
    author: s.botUser,
    guildId: p.payload.guild_id,
    webhookId: s.applicationId,
    interaction: {
      ...interactionMetadata(p),
      ...(p.originalMessageId ? { original_response_message_id: p.originalMessageId } : {}),
    },
    files: r.files,
  });
  s.messages.set(message.id, message);
  p.followups.add(message.id);
  return r.query.wait === 'true' ? { status: 200, body: message } : { status: 204 };
}

