/** What every CLI command shares: where it writes, its parsed flags, and its one user-facing error type. */

/** A usage error: printed as one line on stderr, exit code 2. */
export class UsageError extends Error {}

/** Where the CLI writes; injectable for tests. */
export interface CliIo {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
  /** Lines of standard input (for `search --stdin`). */
  stdinLines: () => AsyncIterable<string>;
  /** True when stdout is a terminal (bold highlights). */
  color: boolean;
}

/** Parsed flags: strings and booleans (or lists, for `multiple` options) by option name. */
export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}
