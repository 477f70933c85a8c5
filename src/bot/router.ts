/**
 * Routes interactions to commands, with the one error boundary every interaction goes through:
 * an unexpected error is logged with an error id and the user gets a short ephemeral message carrying
 * that id. Also enforces per-user rate limits and writes one log line per interaction.
 */
import { randomBytes } from 'node:crypto';
import { messages, t } from './i18n.ts';
import { noMetrics, type BotMetrics } from './metrics.ts';
import type { RateLimiter } from './rate-limit.ts';
import type { AutocompleteContext, ButtonContext, Command, CommandContext, Services } from './types.ts';

/** The outcome written to the log line of each interaction. */
export type Outcome = 'ok' | 'error' | 'rate-limited' | 'unknown-command';

/** Dispatches commands, autocomplete and buttons. Transport-agnostic: Discord and the console share it. */
export class InteractionRouter {
  private readonly byName: Map<string, Command>;
  private readonly byButtonPrefix: Map<string, Command>;

  constructor(
    readonly commands: readonly Command[],
    private readonly services: Services,
    private readonly rateLimiter: RateLimiter | null,
    /** Where each interaction's outcome and latency are counted. Default: nowhere. */
    private readonly metrics: BotMetrics = noMetrics,
  ) {
    this.byName = new Map(commands.map((command) => [command.data.name, command]));
    this.byButtonPrefix = new Map(commands.filter((c) => c.buttonPrefix).map((c) => [c.buttonPrefix!, c]));
  }

  /** Runs a slash command. Never throws. */
  async command(context: CommandContext): Promise<Outcome> {
    const command = this.byName.get(context.commandName);
    return this.guard('command', context.commandName, context, async () => {
      if (!command) {
        await context.reply({ content: t(messages.unknownCommand, context.locale), ephemeral: true });
        return 'unknown-command';
      }
      return (await this.limited('command', context, () => command.execute(context))) ? 'ok' : 'rate-limited';
    });
  }

  /** Answers an autocomplete request (not rate limited: Discord sends one per keystroke). Never throws. */
  async autocomplete(context: AutocompleteContext): Promise<Outcome> {
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

  /** Handles a button click. Never throws. */
  async button(context: ButtonContext): Promise<Outcome> {
    const prefix = context.customId.split(':')[0] ?? '';
    const command = this.byButtonPrefix.get(prefix);
    return this.guard('button', prefix, context, async () => {
      if (!command?.button) {
        await context.reply({ content: t(messages.unknownButton, context.locale), ephemeral: true });
        return 'unknown-command';
      }
      return (await this.limited('button', context, () => command.button!(context))) ? 'ok' : 'rate-limited';
    });
  }

  private async limited(
    kind: 'command' | 'button',
    context: CommandContext | ButtonContext,
    run: () => Promise<void>,
  ): Promise<boolean> {
    const wait = this.rateLimiter?.attempt(context.user.id) ?? 0;
    if (wait > 0) {
      this.metrics.rateLimited(kind);
      await context.reply({ content: messages.rateLimited[context.locale](wait), ephemeral: true });
      return false;
    }
    await run();
    return true;
  }

  private async guard(
    kind: 'command' | 'autocomplete' | 'button',
    name: string,
    context: CommandContext | AutocompleteContext | ButtonContext,
    run: () => Promise<Outcome>,
    onError?: () => Promise<void>,
  ): Promise<Outcome> {
    const started = performance.now();
    const base = { kind, name, guild: context.guildId, user: context.user.id };
    // Label values must stay a bounded set: a button's prefix comes from an untrusted custom_id.
    const known = kind === 'button' ? this.byButtonPrefix.has(name) : this.byName.has(name);
    const metricName = known ? name : 'unknown';
    try {
      const outcome = await run();
      const latencyMs = performance.now() - started;
      this.services.logger.info({ ...base, latencyMs: round(latencyMs), outcome }, 'interaction');
      this.metrics.interaction({ kind, name: metricName, outcome, latencyMs });
      return outcome;
    } catch (error) {
      const errorId = randomBytes(4).toString('hex');
      const latencyMs = performance.now() - started;
      this.services.logger.error({ ...base, latencyMs: round(latencyMs), outcome: 'error', errorId, err: error }, 'interaction failed');
      this.metrics.interaction({ kind, name: metricName, outcome: 'error', latencyMs });
      try {
        if (onError) await onError();
        else await (context as CommandContext).reply({ content: messages.internalError[context.locale](errorId), ephemeral: true });
      } catch (replyError) {
        this.services.logger.warn({ errorId, err: replyError }, 'could not tell the user about the error');
      }
      return 'error';
    }
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
