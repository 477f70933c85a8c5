/**
 * Command arguments typed from the command's own definition, as Yuudachi derives `ArgumentsOf<typeof
 * Command>`: `/quote`'s `data` says `query` is a required string, so `args.query` is a `string` and
 * `args.qeury` does not compile. At run time {@link readArguments} reads the same definition through the
 * transport's by-name accessor ({@link CommandOptions}), so Discord and the console share it.
 *
 * Supported option types: string, integer, number, boolean, channel, role, and subcommands (one level). Any other
 * type reads as `never` (a type error where it is used) until it is added here and to the accessor.
 */
import { ApplicationCommandOptionType as OptionType } from 'discord-api-types/v10';
import type { APIApplicationCommandOption, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import { messages } from './i18n.ts';
import { UserError } from './user-error.ts';

type DeepReadonly<T> = T extends ReadonlyArray<infer E> ? ReadonlyArray<DeepReadonly<E>> : T extends object ? { readonly [K in keyof T]: DeepReadonly<T[K]> } : T;

/** One option of a command definition: Discord's shape, read-only so literal definitions fit it. */
export type OptionData = DeepReadonly<APIApplicationCommandOption>;

/** The fields of an option that argument reading needs, whatever its type. */
interface OptionShape {
  readonly type: OptionType;
  readonly name: string;
  readonly required?: boolean;
  readonly options?: readonly OptionData[];
}

/**
 * A slash command's definition (Discord's JSON body), accepting the read-only literal form that
 * `defineCommand` infers so option names and types stay literal.
 */
export type CommandData = DeepReadonly<RESTPostAPIChatInputApplicationCommandsJSONBody>;

/** A channel option's value as resolved by Discord. */
export interface ChannelOption {
  id: string;
  /** Discord channel type (0 = text, 5 = announcement, ...). */
  type: number;
  /** The server the channel belongs to, when Discord says. */
  guildId: string | null;
  /** The bot's permissions in that channel, when Discord resolved them. */
  botPermissions: bigint | null;
}

/**
 * Runtime access to a command's options by name, as each transport provides them. Commands read their
 * options through the typed {@link ArgumentsOf} instead (the router builds it from this accessor).
 */
export interface CommandOptions {
  /** The chosen subcommand, or null. */
  subcommand(): string | null;
  string(name: string): string | null;
  integer(name: string): number | null;
  boolean(name: string): boolean | null;
  channel(name: string): ChannelOption | null;
  /** A role option's id. */
  role(name: string): string | null;
}

/** The value type of one option. */
type ValueOf<O> = O extends { type: OptionType.String }
  ? string
  : O extends { type: OptionType.Integer | OptionType.Number }
    ? number
    : O extends { type: OptionType.Boolean }
      ? boolean
    : O extends { type: OptionType.Channel }
      ? ChannelOption
      : O extends { type: OptionType.Role }
        ? string
        : never;

/** `{ name: value }` for a list of plain options; optional ones may be null. */
export type OptionsArgs<Options> = Options extends readonly OptionData[]
  ? { -readonly [O in Options[number] as O['name']]: O extends { required: true } ? ValueOf<O> : ValueOf<O> | null }
  : Record<string, never>;

/** One variant per subcommand: `{ subcommand: 'set', options: { ... } }`. */
type SubcommandArgs<Options extends readonly OptionData[]> =
  Options[number] extends infer O
    ? O extends { type: OptionType.Subcommand; name: infer N }
      ? { subcommand: N; options: OptionsArgs<O extends { options: infer S } ? S : readonly []> }
      : never
    : never;

/** The arguments a command's `execute` receives, derived from its `data`. */
export type ArgumentsOf<D> = D extends { options: infer Options extends readonly OptionData[] }
  ? [Extract<Options[number], { type: OptionType.Subcommand }>] extends [never]
    ? OptionsArgs<Options>
    : SubcommandArgs<Options>
  : Record<string, never>;

/** Reads one option; null when absent. */
function readOption(option: OptionShape, accessor: CommandOptions): unknown {
  switch (option.type) {
    case OptionType.String:
      return accessor.string(option.name);
    case OptionType.Integer:
    case OptionType.Number:
      return accessor.integer(option.name);
    case OptionType.Boolean:
      return accessor.boolean(option.name);
    case OptionType.Channel:
      return accessor.channel(option.name);
    case OptionType.Role:
      return accessor.role(option.name);
    default:
      throw new Error(`zhenyan: option type ${option.type} of "${option.name}" is not supported by readArguments`);
  }
}

function readList(options: readonly OptionData[], accessor: CommandOptions): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const option of options as readonly OptionShape[]) {
    const value = readOption(option, accessor);
    // Discord enforces `required`; a modified client or the console may still omit an option.
    if (option.required && value === null) throw new UserError((locale) => messages.missingOption[locale](option.name), 'missing-option');
    args[option.name] = value;
  }
  return args;
}

/**
 * Reads a command's arguments as its definition declares them. Throws a {@link UserError} for a missing
 * required option or an unknown subcommand (both only possible from a modified client or the console).
 */
export function readArguments<D extends CommandData>(data: D, accessor: CommandOptions): ArgumentsOf<D> {
  const options = data.options ?? [];
  const subcommands = (options as readonly OptionShape[]).filter((option) => option.type === OptionType.Subcommand);
  if (subcommands.length === 0) return readList(options, accessor) as ArgumentsOf<D>;
  const name = accessor.subcommand();
  const subcommand = subcommands.find((option) => option.name === name);
  if (!subcommand) throw new UserError(messages.unknownCommand, 'unknown-subcommand');
  return { subcommand: subcommand.name, options: readList(subcommand.options ?? [], accessor) } as unknown as ArgumentsOf<D>;
}
