/**
 * How an answer goes out, decided in one place for every transport. Discord lets a command answer once
 * (`reply`), or acknowledge first (`deferReply`, public or ephemeral) and then edit that placeholder;
 * anything after the first answer is a follow-up. The trap: editing a *public* deferred placeholder
 * ignores `ephemeral`, so an error (or any private answer) after a public defer would be shown to the
 * whole channel. {@link planReply} never does that: it follows up ephemerally and deletes the public
 * "thinking…" placeholder instead.
 */

/** Where an interaction stands. */
export type AckState = 'new' | 'deferred-public' | 'deferred-ephemeral' | 'replied';

/** What the transport must do to send one answer. */
export type ReplyAction =
  /** First answer: an interaction response (ephemeral when asked). */
  | 'reply'
  /** Replace the deferred placeholder with the answer. */
  | 'edit-placeholder'
  /** A new message after the first answer (ephemeral when asked). */
  | 'follow-up'
  /** An ephemeral follow-up, then delete the public placeholder so nothing public is left "thinking". */
  | 'private-follow-up-and-delete-placeholder';

/** The action for an answer in `state`, and the state after it. */
export function planReply(state: AckState, ephemeral: boolean): { action: ReplyAction; next: AckState } {
  switch (state) {
    case 'new':
      return { action: 'reply', next: 'replied' };
    case 'deferred-ephemeral':
      // The placeholder is private: editing it keeps the answer private (a public answer cannot be
      // made from a private placeholder; it stays private, which is the safe side).
      return { action: 'edit-placeholder', next: 'replied' };
    case 'deferred-public':
      return ephemeral
        ? { action: 'private-follow-up-and-delete-placeholder', next: 'replied' }
        : { action: 'edit-placeholder', next: 'replied' };
    case 'replied':
      return { action: 'follow-up', next: 'replied' };
  }
}
