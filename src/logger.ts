/** Structured logs (pino, JSON lines on stdout) with secrets scrubbed from every line. */
import pino, { type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** pino level. Default `info`. */
  level?: string;
  /** Strings that must never be written (the bot token). Every occurrence becomes `[redacted]`. */
  secrets?: Array<string | undefined>;
  /** Where to write. Default: stdout. */
  destination?: DestinationStream;
}

/**
 * Creates the logger. Secrets are scrubbed from the serialized line itself, so a token inside an
 * error message, a stack or a request URL from discord.js is caught wherever it appears.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 8);
  const target = options.destination ?? pino.destination({ dest: 1, sync: false });
  const destination: DestinationStream =
    secrets.length === 0
      ? target
      : { write: (line: string) => target.write(scrubSecrets(line, secrets)) };
  return pino(
    {
      level: options.level ?? 'info',
      base: { app: 'zhenyan' },
      redact: { paths: ['token', '*.token', 'headers.authorization', '*.headers.authorization'], censor: '[redacted]' },
    },
    destination,
  );
}

/** Replaces every occurrence of each secret (and of `Bot <secret>`) with `[redacted]`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  return out;
}
