/**
 * What a command answers, in Discord's JSON shapes, and its discord.js form. A leaf module: the daily
 * poster and the interaction transport both send payloads without importing each other.
 */
import type {
  APIActionRowComponent,
  APIComponentInMessageActionRow,
  APIEmbed,
} from 'discord-api-types/v10';
import type { InteractionEditReplyOptions, MessageCreateOptions } from 'discord.js';
import { LIMITS, truncate } from './limits.ts';

/** A reply, in Discord's JSON shapes. The transport always adds `allowed_mentions` itself. */
export interface ReplyPayload {
  content?: string;
  embeds?: APIEmbed[];
  components?: Array<APIActionRowComponent<APIComponentInMessageActionRow>>;
  /** Only the person who used the command sees it. */
  ephemeral?: boolean;
  /**
   * Role ids this message may ping. Empty or absent: nobody. Only the daily post uses it, and only
   * for a role a server admin set explicitly.
   */
  mentionRoleIds?: string[];
  /** Files to upload with the message (multipart), e.g. a quote card. Default none. */
  files?: ReplyFile[];
}

/** A file attached to a reply. */
export interface ReplyFile {
  /** File name shown in Discord, e.g. `zhenyan-a-plan-infra-startups-11-dark.png`. */
  name: string;
  data: Buffer;
  /** Alt text (Discord's attachment `description`), at most 1,024 characters. */
  description: string;
}

/**
 * The discord.js form of a payload. `allowedMentions` is always set: only roles the payload names
 * explicitly may be pinged (the daily tip's opt-in role), never users, `@everyone` or `@here`.
 */
export function toDiscordPayload(payload: ReplyPayload): MessageCreateOptions & InteractionEditReplyOptions {
  return {
    content: payload.content === undefined ? undefined : truncate(payload.content, LIMITS.content),
    embeds: payload.embeds ?? [],
    components: payload.components ?? [],
    allowedMentions: { parse: [], users: [], roles: payload.mentionRoleIds ?? [], repliedUser: false },
    // Uploaded as multipart: `files[n]` with `attachments[n].description` as its alt text.
    ...(payload.files?.length
      ? { files: payload.files.map((file) => ({ attachment: file.data, name: file.name, description: truncate(file.description, LIMITS.attachmentDescription) })) }
      : {}),
  };
}
