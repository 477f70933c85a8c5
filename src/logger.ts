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
  const destination: DestinationStream = { write: (line: string) => target.write(scrubSecrets(line, secrets)) };
  return pino(
    {
      level: options.level ?? 'info',
      // pid: several processes (npm run cluster) share one output stream.
      base: { app: 'zhenyan', pid: process.pid },
      redact: { paths: ['token', '*.token', 'headers.authorization', '*.headers.authorization'], censor: '[redacted]' },
    },
    destination,
  );
}

// Interaction and webhook tokens travel in REST URLs (`/interactions/{id}/{token}/callback`,
// `/webhooks/{app}/{token}`); discord.js errors quote those URLs. Each is valid for 15 minutes: scrub it.
const URL_TOKEN = /((?:interactions|webhooks)\/\d+\/)[A-Za-z0-9_.-]{20,}/gu;

/** Replaces every occurrence of each secret, and every interaction/webhook token in a URL, with `[redacted]`. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text.replace(URL_TOKEN, '$1[redacted]');
  for (const secret of secrets) out = out.split(secret).join('[redacted]');
  return out;
}
