/** Builds the bot's embeds from domain objects. Every embed leaves here within Discord's limits. */
import type { APIEmbed, APIEmbedField } from 'discord-api-types/v10';
import type { InterviewMeta, Passage, Speaker } from '../core/corpus/types.ts';
import { applyHighlights, highlightsWithin, type Highlight } from '../core/search/highlight.ts';
import { questionLine, quoteParts } from '../core/search/record.ts';
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
  /** The question the passage answers, shown as a short line above it ("刘超问：…"). Default none. */
  question?: { passage: Passage; speaker: string | null } | null;
}

/**
 * The body of a quote: the question it answers as a short line (so the answer keeps its meaning), the
 * narration around the speaker's words in italics on lines of their own (「张鑫心里有点打鼓:」 is not his),
 * and the words themselves, verbatim, matched terms in bold.
 */
export function quoteBody(view: QuoteView, locale: Locale): string {
  const { passage } = view;
  const parts = quoteParts(passage);
  const highlights = highlightsWithin(view.highlights ?? [], parts.offset, parts.offset + parts.words.length);
  const words = applyHighlights(parts.words, highlights, (s) => `**${escapeMarkdown(s)}**`, escapeMarkdown);
  const lines: string[] = [];
  if (view.question) lines.push(`> ${escapeMarkdown(messages.asked[locale](view.question.speaker, questionLine(view.question.passage)))}`);
  if (parts.before) lines.push(`*${escapeMarkdown(parts.before)}*`);
  lines.push(words);
  if (parts.after) lines.push(`*${escapeMarkdown(parts.after)}*`);
  return lines.join('\n');
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

/** The quote embed: the passage verbatim (see {@link quoteBody}), who said it, and where. */
export function quoteEmbed(view: QuoteView, locale: Locale, footerExtra?: string, extraFields: readonly APIEmbedField[] = []): APIEmbed {
  const { interview, speaker } = view;
  const footer = [publicationLine(interview), footerExtra].filter(Boolean).join(' · ');
  return clampEmbed({
    color: EMBED_COLOR,
    author: { name: speakerLine(speaker, locale) },
    description: quoteBody(view, locale),
    fields: [
      {
        name: t(messages.source, locale),
        value: interview.url ? `[${escapeMarkdown(interview.title)}](${interview.url})` : escapeMarkdown(interview.title),
      },
      ...extraFields,
    ],
    ...(footer ? { footer: { text: footer } } : {}),
  });
}

/**
 * A search as a quote message records it, so a button on that message can run it again on any process,
 * after any restart: the message is the state.
 */
export interface RecordedSearch {
  /** The query as analysed (`SearchResponse.query`). */
  query: string;
  /** The speaker filter as given, or null. */
  speaker: string | null;
  /** The source (interview id) filter as given, or null. */
  source: string | null;
}

/** Marks the speaker and source lines of a search field (not localized: they are read back). */
const SPEAKER_MARK = '🗣 ';
const SOURCE_MARK = '📖 ';
/** Every localized name of the search field, to find it whatever the locale of whoever ran the search. */
const SEARCH_FIELD_NAMES = new Set<string>(Object.values(messages.searchLabel));

/** Undoes {@link escapeMarkdown} (exactly, for every text that does not itself contain `@`/`<` + U+200B). */
function unescapeMarkdown(text: string): string {
  return text.replace(/<\u200b/gu, '<').replace(/@\u200b/gu, '@').replace(/\\([\\*_~`|>#[\]()-])/gu, '$1');
}

/**
 * The embed field showing what was searched ("Search: 融资 / 🗣 黄东旭"), which {@link readSearchField}
 * reads back. Shown to everyone, so it is escaped like any user text.
 */
export function searchField(search: RecordedSearch, locale: Locale): APIEmbedField {
  const lines = [escapeMarkdown(search.query)];
  if (search.speaker !== null) lines.push(SPEAKER_MARK + escapeMarkdown(search.speaker));
  if (search.source !== null) lines.push(SOURCE_MARK + escapeMarkdown(search.source));
  return { name: t(messages.searchLabel, locale), value: lines.join('\n') };
}

/**
 * The search recorded in a quote embed by {@link searchField}, or null when there is none. Not proof of
 * anything: the caller checks it against a digest carried by the button (a query containing a newline,
 * or cut to fit the embed, reads back differently and is then refused).
 */
export function readSearchField(embed: APIEmbed): RecordedSearch | null {
  const field = embed.fields?.find((f) => SEARCH_FIELD_NAMES.has(f.name));
  if (!field) return null;
  const [first, ...rest] = field.value.split('\n');
  const search: RecordedSearch = { query: unescapeMarkdown(first ?? ''), speaker: null, source: null };
  for (const line of rest) {
    if (line.startsWith(SPEAKER_MARK) && search.speaker === null) search.speaker = unescapeMarkdown(line.slice(SPEAKER_MARK.length));
    else if (line.startsWith(SOURCE_MARK) && search.source === null) search.source = unescapeMarkdown(line.slice(SOURCE_MARK.length));
    else return null;
  }
  return search;
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
