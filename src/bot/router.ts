/**
 * Routes interactions to commands, with the one error boundary every interaction goes through:
 * - preconditions run before a command, and a {@link UserError} (from a precondition, from reading the
 *   options, or from the command) is answered with its localized message, ephemerally;
 * - an unexpected error is logged with an error id and the user gets a short ephemeral message carrying
 *   that id (after a public defer, the transport follows up privately: see `respond.ts`);
 * - button `custom_id`s are decoded once, by the codec in `custom-id.ts`, and handed typed to the command
 *   that owns their kind; anything malformed gets a friendly ephemeral refusal.
 * Also enforces per-user rate limits and writes one log line per interaction.
 */
import { randomBytes } from 'node:crypto';
import { decodeCustomId, type ButtonData, type ButtonKind } from './custom-id.ts';
import { messages, t } from './i18n.ts';
import { noMetrics, type BotMetrics } from './metrics.ts';
import { readArguments } from './options.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { AutocompleteContext, ButtonContext, Command, CommandContext, Services } from './types.ts';
import { UserError } from './user-error.ts';
import { scrubSecrets } from '../logger.ts';

/** The outcome written to the log line of each interaction. `refused`: a {@link UserError} answered it. */
export type Outcome = 'ok' | 'error' | 'refused' | 'rate-limited' | 'unknown-command';

type ButtonHandler = (context: ButtonContext, data: ButtonData) => Promise<void>;

/** Dispatches commands, autocomplete and buttons. Transport-agnostic: Discord and the console share it. */
export class InteractionRouter {
  private readonly byName: Map<string, Command>;
  private readonly byButtonKind = new Map<ButtonKind, ButtonHandler>();

  constructor(
    readonly commands: readonly Command[],
    private readonly services: Services,
    private readonly rateLimiter: RateLimiter | null,
    /** Where each interaction's outcome and latency are counted. Default: nowhere. */
    private readonly metrics: BotMetrics = noMetrics,
  ) {
    this.byName = new Map(commands.map((command) => [command.data.name, command]));
    for (const command of commands) {
      for (const [kind, handler] of Object.entries(command.buttons ?? {}) as Array<[ButtonKind, ButtonHandler | undefined]>) {
        if (!handler) continue;
        if (this.byButtonKind.has(kind)) throw new Error(`zhenyan: button kind "${kind}" is handled by two commands`);
        this.byButtonKind.set(kind, handler);
      }
    }
  }

  /** Runs a slash command: rate limit, preconditions, typed arguments, then `execute`. Never throws. */
  async command(unsafeContext: CommandContext): Promise<Outcome> {
    const context = this.withScrubbedReplies(unsafeContext);
    const command = this.byName.get(context.commandName);
    return this.guard('command', context.commandName, context, async () => {
      if (!command) {
        await context.reply({ content: t(messages.unknownCommand, context.locale), ephemeral: true });
        return 'unknown-command';
      }
      return this.limited('command', context, async () => {
        for (const precondition of command.preconditions ?? []) await precondition(context);
        await command.execute(context, readArguments(command.data, context.options));
      });
    });
  }

  /** Answers an autocomplete request (not rate limited: Discord sends one per keystroke). Never throws. */
  async autocomplete(unsafeContext: AutocompleteContext): Promise<Outcome> {
    const context = this.withScrubbedReplies(unsafeContext);
    const command = this.byName.get(context.commandName);
    return this.guard('autocomplete', context.commandName, context, async () => {
      if (!command?.autocomplete) {
        await context.respond([]);
        return 'unknown-command';
      }
      await command.autocomplete(context);
      return 'ok';
    }, async () => context.respond([]));
  }

  /** Handles a button click: decodes its `custom_id`, then runs the handler of its kind. Never throws. */
  async button(unsafeContext: ButtonContext): Promise<Outcome> {
    const context = this.withScrubbedReplies(unsafeContext);
    const data = decodeCustomId(context.customId);
    const handler = data ? this.byButtonKind.get(data.kind) : undefined;
    return this.guard('button', data?.kind ?? 'unknown', context, async () => {
      if (!data || !handler) {
        await context.reply({ content: t(messages.unknownButton, context.locale), ephemeral: true });
        return 'unknown-command';
      }
      return this.limited('button', context, () => handler(context, data));
    });
  }

  private async limited(kind: 'command' | 'button', context: CommandContext | ButtonContext, run: () => Promise<void>): Promise<Outcome> {
    const wait = this.rateLimiter?.attempt(context.user.id) ?? 0;
    if (wait > 0) {
      this.metrics.rateLimited(kind);
      await context.reply({ content: messages.rateLimited[context.locale](wait), ephemeral: true });
      return 'rate-limited';
    }
    await run();
    return 'ok';
  }

  /**
   * The error boundary. A {@link UserError} is answered with its message; anything else with an error
   * id. Both go out through `context.reply(…, ephemeral)`, which the transport turns into an ephemeral
   * reply or follow-up depending on what was already sent (`respond.ts`), never a public message.
   */
  private async guard(
    kind: 'command' | 'autocomplete' | 'button',
    name: string,
    context: CommandContext | AutocompleteContext | ButtonContext,
    run: () => Promise<Outcome>,
    onError?: () => Promise<void>,
  ): Promise<Outcome> {
    const started = performance.now();
    const base = { kind, name, guild: context.guildId, user: context.user.id };
    const latency = () => round(performance.now() - started);
    // Metric labels must stay a bounded set: a command name nobody registered is counted as `unknown`
    // (button names are already the codec's kinds, or `unknown`).
    const metricName = kind === 'button' || this.byName.has(name) ? name : 'unknown';
    const count = (outcome: Outcome): void => this.metrics.interaction({ kind, name: metricName, outcome, latencyMs: performance.now() - started });
    try {
      const outcome = await run();
      this.services.logger.info({ ...base, latencyMs: latency(), outcome }, 'interaction');
      count(outcome);
      return outcome;
    } catch (error) {
      if (error instanceof UserError && !onError) {
        this.services.logger.info({ ...base, latencyMs: latency(), outcome: 'refused', reason: error.reason }, 'interaction');
        count('refused');
        await this.tell(context as CommandContext | ButtonContext, error.messageFor(context.locale), null);
        return 'refused';
      }
      const errorId = randomBytes(4).toString('hex');
      this.services.logger.error({ ...base, latencyMs: latency(), outcome: 'error', errorId, err: error }, 'interaction failed');
      count('error');
      if (onError) {
        await onError().catch((replyError: unknown) => this.services.logger.warn({ errorId, err: replyError }, 'could not tell the user about the error'));
      } else {
        await this.tell(context as CommandContext | ButtonContext, messages.internalError[context.locale](errorId), errorId);
      }
      return 'error';
    }
  }

  /**
   * The context with every outgoing answer scrubbed of the bot token. Replies may echo what a user typed
   * (the /quote embed carries its search so that buttons stay stateless), and a user can type anything,
   * the token included: no reply, update or autocomplete choice may ever carry it.
   */
  private withScrubbedReplies<C extends CommandContext | AutocompleteContext | ButtonContext>(context: C): C {
    const secrets = [this.services.config.discordToken].filter((s): s is string => typeof s === 'string' && s.length >= 8);
    if (secrets.length === 0) return context;
    // Each context is made for one interaction, so its methods are wrapped in place.
    const methods = context as unknown as Record<string, unknown>;
    for (const method of ['reply', 'update', 'respond'] as const) {
      const original = methods[method];
      if (typeof original !== 'function') continue;
      methods[method] = (payload: unknown) => (original as (p: unknown) => Promise<void>).call(context, scrubDeep(payload, secrets));
    }
    return context;
  }

  /** Sends `content` ephemerally; a failure to send is logged, never thrown. */
  private async tell(context: CommandContext | ButtonContext, content: string, errorId: string | null): Promise<void> {
    try {
      await context.reply({ content, ephemeral: true });
    } catch (replyError) {
      this.services.logger.warn({ errorId, err: replyError }, 'could not tell the user about the error');
    }
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** Strings anywhere in `value` with each secret replaced; binary data (attachments) left as it is. */
function scrubDeep<T>(value: T, secrets: readonly string[]): T {
  if (typeof value === 'string') return scrubSecrets(value, secrets) as T;
  if (Array.isArray(value)) return value.map((item) => scrubDeep(item, secrets)) as T;
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubDeep(item, secrets)])) as T;
}
