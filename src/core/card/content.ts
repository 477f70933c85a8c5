/** What a quote card shows, and its alt text, built from domain objects (no canvas, no discord.js). */
import type { InterviewMeta, Passage, Speaker } from '../corpus/types.ts';
import { quoteParts } from '../search/record.ts';
import { graphemes } from './layout.ts';

/** The two looks of a card. */
export type CardTheme = 'dark' | 'light';
/** Every theme, the first is the default. */
export const CARD_THEMES: readonly CardTheme[] = ['dark', 'light'];

/** Everything printed on a card. Plain data: it crosses to the render worker as is. */
export interface CardContent {
  /** The passage id (cache key, file names). */
  passageId: string;
  /** The speaker's words, verbatim: the passage without a narration lead-in marked by quote spans. */
  quote: string;
  /** The speaker's name, or null for narration. */
  speakerName: string | null;
  /** "创始人兼 CEO · UCloud" (role, company), or null when neither is known. */
  speakerDetail: string | null;
  /** The interview's original title. */
  title: string;
  /** "CTO训练营 · 2020-08-01", or null when neither is known. */
  publication: string | null;
}

/** Builds a card's content from a passage, its interview and its speaker. */
export function cardContent(passage: Passage, interview: InterviewMeta, speaker: Speaker | null): CardContent {
  const detail = [speaker?.role, speaker?.company].filter(Boolean).join(' · ');
  const publication = [interview.publication, interview.date].filter(Boolean).join(' · ');
  return {
    passageId: passage.id,
    // A card shows the person's words only: a narrator's lead-in ("张鑫心里有点打鼓:“…") is not theirs.
    quote: quoteParts(passage).words,
    speakerName: speaker?.name ?? passage.speakerName ?? null,
    speakerDetail: detail || null,
    title: interview.title,
    publication: publication || null,
  };
}

/** Discord's limit on an attachment's `description`. */
export const ALT_TEXT_LIMIT = 1024;

/**
 * The alt text of a card: the quote and who said it, within {@link ALT_TEXT_LIMIT} characters
 * (UTF-16 units, as Discord counts). A long quote is cut at a grapheme with `…`; the speaker and
 * the interview title are always kept.
 */
export function cardAltText(content: CardContent): string {
  const who = content.speakerName ? `— ${content.speakerName}${content.speakerDetail ? `, ${content.speakerDetail}` : ''}` : '—';
  const tail = ` ${who} (${content.title})`;
  const full = `“${content.quote}”${tail}`;
  if (full.length <= ALT_TEXT_LIMIT) return full;
  const room = Math.max(0, ALT_TEXT_LIMIT - tail.length - '“…”'.length);
  const cut = `“${prefixWithin(content.quote, room).trimEnd()}…”${tail}`;
  // A pathological title: keep the start of everything within the limit.
  return cut.length <= ALT_TEXT_LIMIT ? cut : prefixWithin(cut, ALT_TEXT_LIMIT);
}

/** The longest run of whole graphemes from the start of `text` within `limit` UTF-16 units. */
function prefixWithin(text: string, limit: number): string {
  let out = '';
  for (const g of graphemes(text)) {
    if (out.length + g.length > limit) break;
    out += g;
  }
  return out;
}
