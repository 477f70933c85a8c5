/**
 * Messages of the fake Discord: building and editing message objects, Discord's validation of message bodies
 * (lengths, embed limits, empty messages), `POST /channels/{id}/messages` with `enforce_nonce` deduplication,
 * and `GET /channels/{id}/messages` (newest first, messages keep their `nonce`).
 *
 * @module
 */
import { isoNow, snowflake } from './builders.ts';
import { errorResponse, formError } from './responses.ts';
import type { FakeDiscordState } from './state.ts';
import type { FakeResponse, Json, RecordedFile, RecordedRequest } from './types.ts';

/** A message object as Discord returns it, with attachments for the uploaded files. */
export function makeMessage(
  s: FakeDiscordState,
  channelId: string,
  body: Json,
  extra: { author?: Json; guildId?: string | undefined; webhookId?: string; interaction?: Json; files?: RecordedFile[] },
): Json {
  const id = snowflake();
  const attachments = (extra.files ?? []).map((f, i) => {
    // `files[n]` is described by the `attachments` entry with id n (Discord's multipart convention).
    const n = /^files\[(\d+)\]$/.exec(f.field)?.[1];
    const meta: Json = body?.attachments?.find((a: Json) => n !== undefined && String(a.id) === n) ?? body?.attachments?.[i];
    return attachmentJson(channelId, id, f, meta);
  });
  const msg: Json = {
    id,
    type: extra.interaction ? 20 : 0,
    channel_id: channelId,
    author: extra.author ?? s.botUser,
    content: body?.content ?? '',
    timestamp: isoNow(),
    edited_timestamp: null,
    tts: body?.tts ?? false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    mention_channels: [],
    attachments,
    embeds: (body?.embeds ?? []).map((e: Json) => ({ type: 'rich', ...e })),
    reactions: [],
    pinned: false,
    flags: body?.flags ?? 0,
    components: body?.components ?? [],
    ...(extra.guildId ? { guild_id: extra.guildId } : {}),
    ...(body?.nonce !== undefined ? { nonce: body.nonce } : {}),
    ...(body?.message_reference ? { message_reference: body.message_reference } : {}),
    ...(body?.poll ? { poll: body.poll } : {}),
    ...(extra.webhookId ? { webhook_id: extra.webhookId, application_id: s.applicationId } : {}),
    ...(extra.interaction ? { interaction_metadata: extra.interaction } : {}),
  };
  return msg;
}

/** The attachment object of an uploaded file, with the filename and `description` (alt text) the body gave it. */
function attachmentJson(channelId: string, messageId: string, f: RecordedFile, meta: Json): Json {
  const filename = meta?.filename ?? f.filename;
  return {
    id: snowflake(),
    filename,
    ...(meta?.description !== undefined ? { description: meta.description } : {}),
    size: f.size,
    content_type: f.contentType,
    url: `https://cdn.discordapp.com/attachments/${channelId}/${messageId}/${filename}`,
    proxy_url: `https://media.discordapp.net/attachments/${channelId}/${messageId}/${filename}`,
  };
}

/** Applies an edit body (content, embeds, components, attachments…) to a message in place. */
export function editMessage(s: FakeDiscordState, msg: Json, body: Json, files: RecordedFile[]): Json {
  for (const key of ['content', 'components', 'flags', 'poll'] as const) {
    if (body?.[key] !== undefined) msg[key] = body[key] ?? (key === 'content' ? '' : key === 'flags' ? 0 : null);
  }
  if (body?.embeds !== undefined) msg.embeds = (body.embeds ?? []).map((e: Json) => ({ type: 'rich', ...e }));
  if (body?.attachments !== undefined || files.length) {
    const kept = (body?.attachments ?? msg.attachments ?? []).filter((a: Json) => msg.attachments?.some((x: Json) => x.id === a.id));
    const added = makeMessage(s, msg.channel_id, { attachments: body?.attachments }, { files }).attachments;
    msg.attachments = [...kept, ...added];
  }
  msg.flags = (Number(msg.flags ?? 0) & ~128) >>> 0; // editing clears LOADING
  msg.edited_timestamp = isoNow();
  return msg;
}

/** Discord's checks of a message body (lengths, embed limits, empty message); undefined when valid or validation is off. */
export function validateMessage(s: FakeDiscordState, body: Json, files: RecordedFile[], creating: boolean): FakeResponse | undefined {
  if (!s.opts.validate) return undefined;
  const content = body?.content;
  if (typeof content === 'string' && content.length > 2000) {
    return formError('content', 'BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
  }
  for (const attachment of (body?.attachments ?? []) as Json[]) {
    if (typeof attachment?.description === 'string' && attachment.description.length > 1024) {
      return formError('attachments', 'BASE_TYPE_MAX_LENGTH', 'Attachment description must be 1024 or fewer in length.');
    }
  }
  const embeds: Json[] | undefined = body?.embeds ?? undefined;
  if (embeds && embeds.length > 10) return formError('embeds', 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  let total = 0;
  for (const e of embeds ?? []) {
    if ((e.title?.length ?? 0) > 256) return formError('embeds', 'BASE_TYPE_MAX_LENGTH', 'Embed title must be 256 or fewer in length.');
    if ((e.description?.length ?? 0) > 4096) return formError('embeds', 'BASE_TYPE_MAX_LENGTH', 'Embed description must be 4096 or fewer in length.');
    if ((e.fields?.length ?? 0) > 25) return formError('embeds', 'BASE_TYPE_MAX_LENGTH', 'Embed fields must be 25 or fewer in length.');
    total += (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text?.length ?? 0) + (e.author?.name?.length ?? 0);
    for (const f of e.fields ?? []) {
      if ((f.name?.length ?? 0) > 256 || (f.value?.length ?? 0) > 1024) {
        return formError('embeds', 'BASE_TYPE_MAX_LENGTH', 'Embed field name ≤ 256 and value ≤ 1024.');
      }
      total += (f.name?.length ?? 0) + (f.value?.length ?? 0);
    }
  }
  if (total > 6000) return formError('embeds', 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
  if (creating) {
    const empty =
      !(typeof content === 'string' && content.length > 0) &&
      !(embeds && embeds.length) &&
      !(body?.components && body.components.length) &&
      !(body?.sticker_ids && body.sticker_ids.length) &&
      !body?.poll &&
      files.length === 0;
    if (empty) return errorResponse(400, 50006, 'Cannot send an empty message');
  }
  return undefined;
}

/** `POST /channels/{id}/messages`, deduplicated by `nonce` + `enforce_nonce` within the nonce window. */
export function createChannelMessage(s: FakeDiscordState, r: RecordedRequest, channelId: string): FakeResponse {
  const channel = s.channels.get(channelId);
  if (!channel) return errorResponse(404, 10003, 'Unknown Channel');
  const body = r.body ?? {};
  const invalid = validateMessage(s, body, r.files, true);
  if (invalid) return invalid;
  const now = Date.now();
  const nonceKey = body.nonce !== undefined && body.enforce_nonce === true ? `${channelId}:${String(body.nonce)}` : undefined;
  if (nonceKey) {
    const seen = s.nonces.get(nonceKey);
    const prior = seen && now - seen.at <= s.opts.nonceWindowMs ? s.messages.get(seen.messageId) : undefined;
    if (prior) return { status: 200, body: prior };
  }
  const message = makeMessage(s, channelId, body, { author: s.botUser, guildId: channel.guild_id, files: r.files });
  s.messages.set(message.id, message);
  channel.last_message_id = message.id;
  if (nonceKey) s.nonces.set(nonceKey, { messageId: message.id, at: now });
  return { status: 200, body: message };
}


/** `GET /channels/{id}/messages?limit=`: the channel's latest messages, newest first (limit 1–100, default 50). */
export function listChannelMessages(s: FakeDiscordState, r: RecordedRequest, channelId: string): FakeResponse {
  if (!s.channels.has(channelId)) return errorResponse(404, 10003, 'Unknown Channel');
  const limit = Math.min(100, Math.max(1, Number(r.query.limit ?? 50) || 50));
  const inChannel = [...s.messages.values()].filter((m) => m.channel_id === channelId);
  // Snowflakes grow with time: newest first is descending id order.
  inChannel.sort((a, b) => (BigInt(b.id) > BigInt(a.id) ? 1 : BigInt(b.id) < BigInt(a.id) ? -1 : 0));
  return { status: 200, body: inChannel.slice(0, limit) };
}
