/**
 * The one user-facing error type. A command or precondition throws a `UserError` when the user asked for
 * something that cannot be done (missing permission, not in a server, bad option); the router catches it
 * and answers with its message in the user's language, ephemerally. Anything else thrown is a bug and
 * gets the generic "something went wrong" with an error id.
 */
import type { Locale } from './i18n.ts';

/** A message in every language, or a function of the locale. */
export type LocalizedText = Readonly<Record<Locale, string>> | ((locale: Locale) => string);

/** A refusal the user can act on; never logged as an error. */
export class UserError extends Error {
  /**
   * @param text What to tell the user, per locale.
   * @param reason A short machine-readable reason for logs and metrics (e.g. `need-manage-guild`).
   */
  constructor(
    readonly text: LocalizedText,
    readonly reason: string = 'refused',
  ) {
    super(`user error: ${reason}`);
    this.name = 'UserError';
  }

  /** The message in `locale`. */
  messageFor(locale: Locale): string {
    return typeof this.text === 'function' ? this.text(locale) : this.text[locale];
  }
}
