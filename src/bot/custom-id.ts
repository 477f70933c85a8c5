/**
 * The one codec for every button's `custom_id`: `encodeCustomId` writes typed button data, and
 * `decodeCustomId` reads an untrusted `custom_id` back into that type, or null for anything malformed
 * (a modified client can send any string). The router decodes once and hands the typed data to the
 * command that declared a handler for its kind; no command splits a `custom_id` itself.
 *
 * Wire format: `<tag>:<field>:<field>...`, fields in the order the kind declares them. Field texts never
 * contain `:`, so decoding is unambiguous. Every field has a maximum length, so each kind has a longest
 * possible id ({@link maxCustomIdLength}); a test checks every kind against Discord's 100 characters.
 *
 * Adding a kind (e.g. a card button): add an entry to {@link BUTTON_KINDS} with a short unique tag and
 * its fields (reuse {@link fields} or write a {@link FieldCodec}), then declare a handler under the
 * command's `buttons`: `buttons: { card: (context, data) => ... }` (`data` is typed from the fields).
 */
import { MAX_ID_LENGTH } from '../core/corpus/format.ts';
import { LIMITS } from './limits.ts';

/** How one field of a button id is written and read back. */
export interface FieldCodec<T> {
  /** Longest text {@link FieldCodec.format} can produce for a valid value. */
  readonly maxLength: number;
  /** Reads a field's text; null when it is not a valid value (the whole id is then refused). */
  parse(text: string): T | null;
  /** Writes a valid value; throws for an invalid one (a programming error, never user input). */
  format(value: T): string;
}

/** A field whose text is its value, accepted when it matches `pattern` (anchored) and fits `maxLength`. */
function textField(pattern: RegExp, maxLength: number, check: (text: string) => boolean = () => true): FieldCodec<string> {
  const valid = (text: string) => text.length <= maxLength && pattern.test(text) && check(text);
  return {
    maxLength,
    parse: (text) => (valid(text) ? text : null),
    format: (value) => {
      if (!valid(value)) throw new Error(`zhenyan: custom_id field "${value}" does not match ${pattern} (max ${maxLength})`);
      return value;
    },
  };
}

/** A whole number in `[0, max]`, written in decimal without leading zeros. */
function indexField(max: number): FieldCodec<number> {
  const maxLength = String(max).length;
  return {
    maxLength,
    parse: (text) => (/^(0|[1-9]\d*)$/u.test(text) && text.length <= maxLength && Number(text) <= max ? Number(text) : null),
    format: (value) => {
      if (!Number.isInteger(value) || value < 0 || value > max) throw new Error(`zhenyan: custom_id index ${value} outside [0, ${max}]`);
      return String(value);
    },
  };
}

/** Longest paragraph index (digits) and part number (digits) of a passage id `<interview>#<index>[.<part>]`. */
const PARAGRAPH_DIGITS = 6;
const PART_DIGITS = 3;

/** Reusable field codecs. */
export const fields = {
  /** A Discord id (snowflake): 17 to 20 digits. */
  snowflake: textField(/^[1-9]\d{16,19}$/u, 20),
  /**
   * A passage id `<interview id>#<paragraph>[.<part>]`. The interview id is capped by the data format
   * ({@link MAX_ID_LENGTH}), paragraph and part numbers by {@link PARAGRAPH_DIGITS} and {@link PART_DIGITS}.
   */
  passageId: textField(
    new RegExp(`^[a-z0-9]+(?:-[a-z0-9]+)*#(?:0|[1-9]\\d{0,${PARAGRAPH_DIGITS - 1}})(?:\\.[1-9]\\d{0,${PART_DIGITS - 1}})?$`, 'u'),
    MAX_ID_LENGTH + 1 + PARAGRAPH_DIGITS + 1 + PART_DIGITS,
    (text) => text.indexOf('#') <= MAX_ID_LENGTH,
  ),
  /** A short digest (8 base64url characters) tying a button to the message it belongs to. */
  digest: textField(/^[A-Za-z0-9_-]{8}$/u, 8),
  /** A page index of a result list (`/quote` pages at most 10 results; 99 leaves room). */
  pageIndex: indexField(99),
  /** One word of lowercase ASCII (`a-z`, `0-9`, `-`) of at most `maxLength` characters, e.g. a theme name. */
  word: (maxLength: number) => textField(/^[a-z0-9][a-z0-9-]*$/u, maxLength),
} as const;

/** Declares one kind of button: its wire tag and its fields, in wire order. */
export interface KindSpec {
  readonly tag: string;
  readonly fields: Readonly<Record<string, FieldCodec<unknown>>>;
}

/**
 * Every kind of button the bot sends. Tags are short (they count against the 100 characters), and no
 * tag may equal another or start another followed by `:` ({@link checkTags}).
 */
export const BUTTON_KINDS = {
  /** `/quote` previous/next: whose search (only they may page), which result, and the search's digest. */
  quotePage: { tag: 'quote:page', fields: { ownerId: fields.snowflake, digest: fields.digest, index: fields.pageIndex } },
  /** `/quote` context: the passage whose surrounding paragraphs to show. */
  quoteContext: { tag: 'quote:ctx', fields: { passageId: fields.passageId } },
  /** `/quote` card: post the quote card of this passage in the channel. */
  quoteCard: { tag: 'quote:card', fields: { passageId: fields.passageId } },
} as const satisfies Record<string, KindSpec>;

const SEPARATOR = ':';

/**
 * Throws when two kinds could claim the same id: a tag equal to another, or one tag followed by `:`
 * starting another (`quote` and `quote:page`). Run at load, so a clash fails every test at once.
 */
export function checkTags(specs: Readonly<Record<string, KindSpec>>): void {
  const tags = Object.entries(specs).map(([kind, spec]) => [kind, spec.tag] as const);
  for (const [kind, tag] of tags) {
    if (!/^[a-z][a-z0-9-]*(:[a-z][a-z0-9-]*)*$/u.test(tag)) throw new Error(`zhenyan: button kind "${kind}" has an invalid tag "${tag}"`);
    for (const [other, otherTag] of tags) {
      if (other !== kind && (tag === otherTag || otherTag.startsWith(tag + SEPARATOR))) {
        throw new Error(`zhenyan: button tags "${tag}" (${kind}) and "${otherTag}" (${other}) overlap`);
      }
    }
  }
}
checkTags(BUTTON_KINDS);

type Kinds = typeof BUTTON_KINDS;
/** The name of a kind of button, e.g. `quotePage`. */
export type ButtonKind = keyof Kinds;
type FieldValues<F> = { -readonly [N in keyof F]: F[N] extends FieldCodec<infer T> ? T : never };
/** The decoded data of a button of kind `K` (a union over every kind when `K` is omitted). */
export type ButtonData<K extends ButtonKind = ButtonKind> = K extends ButtonKind ? { kind: K } & FieldValues<Kinds[K]['fields']> : never;

/** Writes a button's `custom_id`. Throws when a field is invalid (a bug: the caller built bad data). */
export function encodeCustomId<K extends ButtonKind>(data: ButtonData<K>): string {
  const spec: KindSpec = BUTTON_KINDS[data.kind];
  const values = data as unknown as Record<string, unknown>;
  const parts = Object.entries(spec.fields).map(([name, codec]) => codec.format(values[name]));
  const id = [spec.tag, ...parts].join(SEPARATOR);
  if (id.length > LIMITS.customId) throw new Error(`zhenyan: custom_id longer than ${LIMITS.customId} characters: ${id}`);
  return id;
}

/** Reads an untrusted `custom_id`; null when it is not exactly a valid id of a known kind. */
export function decodeCustomId(customId: string): ButtonData | null {
  if (typeof customId !== 'string' || customId.length > LIMITS.customId) return null;
  for (const [kind, spec] of Object.entries(BUTTON_KINDS) as Array<[ButtonKind, KindSpec]>) {
    if (customId !== spec.tag && !customId.startsWith(spec.tag + SEPARATOR)) continue;
    const names = Object.keys(spec.fields);
    const rest = customId.slice(spec.tag.length + 1);
    const parts = names.length === 0 ? (customId === spec.tag ? [] : null) : rest.split(SEPARATOR);
    if (!parts || parts.length !== names.length) return null;
    const data: Record<string, unknown> = { kind };
    for (const [i, name] of names.entries()) {
      const value = spec.fields[name]!.parse(parts[i]!);
      if (value === null) return null;
      data[name] = value;
    }
    return data as ButtonData;
  }
  return null;
}

/** The longest `custom_id` a kind can produce: its tag plus every field at its maximum length. */
export function maxCustomIdLength(kind: ButtonKind): number {
  const spec: KindSpec = BUTTON_KINDS[kind];
  return spec.tag.length + Object.values(spec.fields).reduce((sum, codec) => sum + SEPARATOR.length + codec.maxLength, 0);
}
