/** Builds the bot's embeds from domain objects. Every embed leaves here within Discord's limits. */
import type { APIEmbed } from 'discord-api-types/v10';
import type { InterviewMeta, Passage, Speaker } from '../core/corpus/types.ts';
import { applyHighlights, type Highlight } from '../core/search/highlight.ts';
import { messages, t, type Locale } from './i18n.ts';
import { clampEmbed, escapeMarkdown } from './limits.ts';

/** Zhenyan's accent colour (ink red). */
export const EMBED_COLOR = 0xb22222;

/** A passage ready to show. */
export interface QuoteView {
  passage: Passage;
  interview: InterviewMeta;
  speaker: Speaker | null;
  /** Ranges to show in bold. Default none. */
  highlights?: readonly Highlight[];
}

/** "季昕华 · UCloud 创始人", or the localised word for narration. */
export function speakerLine(speaker: Speaker | null, locale: Locale): string {
  if (!speaker) return t(messages.narration, locale);
  const detail = [speaker.company, speaker.role].filter(Boolean).join(' ');
  return detail ? `${speaker.name} · ${detail}` : speaker.name;
}

/** "思否 · 2020-08-01", or null when neither is known. */
export function publicationLine(interview: InterviewMeta): string | null {
  const parts = [interview.publication, interview.date].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** The quote embed: the passage verbatim (matched terms in bold), who said it, and where. */
export function quoteEmbed(view: QuoteView, locale: Locale, footerExtra?: string): APIEmbed {
  const { passage, interview, speaker } = view;
  const quote = applyHighlights(passage.text, view.highlights ?? [], (s) => `**${escapeMarkdown(s)}**`, escapeMarkdown);
  const footer = [publicationLine(interview), footerExtra].filter(Boolean).join(' · ');
  return clampEmbed({
    color: EMBED_COLOR,
    author: { name: speakerLine(speaker, locale) },
    description: quote,
    fields: [
      {
        name: t(messages.source, locale),
        value: interview.url ? `[${escapeMarkdown(interview.title)}](${interview.url})` : escapeMarkdown(interview.title),
      },
    ],
    ...(footer ? { footer: { text: footer } } : {}),
  });
}

/** The "context" view: the paragraphs before and after a passage. */
export function contextEmbed(view: QuoteView, locale: Locale): APIEmbed {
  const { passage, interview } = view;
  const none = t(messages.noContext, locale);
  return clampEmbed({
    color: EMBED_COLOR,
    title: interview.title,
    ...(interview.url ? { url: interview.url } : {}),
    description: escapeMarkdown(passage.text),
    fields: [
      { name: t(messages.before, locale), value: passage.context.before ? escapeMarkdown(passage.context.before) : none },
      { name: t(messages.after, locale), value: passage.context.after ? escapeMarkdown(passage.context.after) : none },
    ],
    footer: { text: speakerLine(view.speaker, locale) },
  });
}
