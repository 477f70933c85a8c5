/**
 * Posting a quote card from a command or a button: the one place that decides when to defer, what a
 * busy renderer answers, and how the card is attached (PNG with alt text, nobody pinged).
 */
import type { Passage } from '../core/corpus/types.ts';
import { cardContent, type CardTheme } from '../core/card/content.ts';
import { CardBusyError } from '../card/pool.ts';
import { messages } from './i18n.ts';
import type { ButtonContext, CommandContext, ReplyPayload } from './types.ts';
import { UserError } from './user-error.ts';

/**
 * Answers with the card of `passage` as a normal (public) message, plus `extra` (content, embeds).
 * - no card service (cards off): a friendly refusal;
 * - renderer full: "busy, try again", ephemeral, at once (before any defer);
 * - the render may take more than Discord's 3 s (first card loads the fonts, or jobs are queued):
 *   defer publicly first, then fill the placeholder; if the renderer fills up meanwhile the refusal
 *   goes out privately (the router's error path) and the placeholder is deleted.
 */
export async function replyWithCard(context: CommandContext | ButtonContext, passage: Passage, theme: CardTheme, extra: ReplyPayload = {}): Promise<void> {
  const cards = context.services.cards;
  if (!cards) throw new UserError(messages.cardsOff, 'cards-off');
  if (cards.busy) throw new UserError(messages.cardBusy, 'cards-busy');
  if (cards.mayBeSlow(passage.id, theme)) await context.defer();
  const view = context.services.library.index.describe(passage);
  let card;
  try {
    card = await cards.card(cardContent(passage, view.interview, view.speaker), theme);
  } catch (error) {
    if (error instanceof CardBusyError) throw new UserError(messages.cardBusy, 'cards-busy');
    throw error;
  }
  await context.reply({ ...extra, ephemeral: false, files: [{ name: card.fileName, data: card.png, description: card.altText }] });
}
