/** Discord's message limits, and helpers that keep every payload within them. */
import type { APIEmbed } from 'discord-api-types/v10';

/** Discord's documented embed and message limits (characters). */
export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
  fields: 25,
  footer: 2048,
  author: 256,
  embedTotal: 6000,
  choiceName: 100,
  choiceValue: 100,
  choices: 25,
  customId: 100,
  attachmentDescription: 1024,
} as const;

/**
 * Cuts `text` to at most `max` UTF-16 units, on a code point boundary (never between the halves of
 * a surrogate pair), ending with `…` when cut.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let end = max - 1;
  // Do not leave a lone high surrogate at the end.
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * Escapes Markdown and mention syntax so user or corpus text shows as typed. (Mentions cannot ping
 * anyway, since every message sets `allowed_mentions`; escaping keeps them from even rendering.)
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\*_~`|>#[\]()-])/gu, '\\$1').replace(/@/gu, '@\u200b').replace(/<(?=[@#:&!a])/gu, '<\u200b');
}

function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, field) => sum + field.name.length + field.value.length, 0)
  );
}

/**
 * Returns a copy of `embed` within every Discord limit: each part truncated to its own limit, then
 * the description shortened until the whole fits in 6,000 characters.
 */
export function clampEmbed(embed: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...embed };
  if (out.title !== undefined) out.title = truncate(out.title, LIMITS.embedTitle);
  if (out.description !== undefined) out.description = truncate(out.description, LIMITS.embedDescription);
  if (out.footer) out.footer = { ...out.footer, text: truncate(out.footer.text, LIMITS.footer) };
  if (out.author) out.author = { ...out.author, name: truncate(out.author.name, LIMITS.author) };
  if (out.fields) {
    out.fields = out.fields.slice(0, LIMITS.fields).map((field) => ({
      ...field,
      name: truncate(field.name, LIMITS.fieldName) || '\u200b',
      value: truncate(field.value, LIMITS.fieldValue) || '\u200b',
    }));
  }
  let excess = embedLength(out) - LIMITS.embedTotal;
  if (excess > 0 && out.description) out.description = truncate(out.description, Math.max(1, out.description.length - excess));
  // Still too long (many or long fields): shorten field values from the last one, then drop trailing fields.
  excess = embedLength(out) - LIMITS.embedTotal;
  while (excess > 0 && out.fields && out.fields.length > 0) {
    const last = out.fields[out.fields.length - 1]!;
    if (last.value.length > 1) {
      const value = truncate(last.value, Math.max(1, last.value.length - excess)) || '\u200b';
      out.fields = [...out.fields.slice(0, -1), { ...last, value }];
      if (value.length < last.value.length) {
        excess = embedLength(out) - LIMITS.embedTotal;
        continue;
      }
    }
    out.fields = out.fields.slice(0, -1);
    excess = embedLength(out) - LIMITS.embedTotal;
  }
  // Title, author and footer alone are within 256 + 256 + 2048 + a 1-character description: always fits.
  return out;
}
