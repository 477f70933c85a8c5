/** `cli card <passage-id> --out card.png [--theme dark|light]`: renders one quote card to a file. */
import { renameSync, writeFileSync } from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import { CARD_THEMES, cardContent, type CardTheme } from '../core/card/content.ts';
import type { Library } from '../core/library.ts';
import { UsageError, type CliIo, type ParsedArgs } from './io.ts';

type Parse = (args: string[], options: ParseArgsConfig['options']) => ParsedArgs;

/** Parses `--theme`, defaulting to the first theme (dark). */
export function parseTheme(value: ParsedArgs['values'][string]): CardTheme {
  if (value === undefined) return CARD_THEMES[0]!;
  if (typeof value === 'string' && (CARD_THEMES as readonly string[]).includes(value)) return value as CardTheme;
  throw new UsageError(`--theme takes ${CARD_THEMES.join(' or ')}`);
}

/** Writes a file atomically: a crash never leaves a half-written PNG behind. */
export function writeFileAtomic(path: string, data: Buffer): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

/** Runs the `card` command. Renders in this process (no worker pool: one card, then exit). */
export async function runCardCommand(args: string[], io: CliIo, getLibrary: () => Library, parse: Parse): Promise<number> {
  const { values, positionals } = parse(args, { out: { type: 'string' }, theme: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('card takes one passage id: card <passage-id> --out card.png [--theme dark|light]');
  if (typeof values.out !== 'string' || values.out === '') throw new UsageError('card needs --out FILE.png');
  const theme = parseTheme(values.theme);
  const library = getLibrary();
  const passage = library.index.passage(positionals[0]!);
  if (!passage) throw new UsageError(`no passage with id "${positionals[0]}" (ids: npm run --silent cli -- passages --json)`);
  const view = library.index.describe(passage);
  // Imported here so that other commands never load the canvas library.
  const { renderCard } = await import('../card/render.ts');
  const { png, layout } = await renderCard(cardContent(passage, view.interview, view.speaker), theme);
  try {
    writeFileAtomic(values.out, png);
  } catch (error) {
    throw new UsageError(`cannot write ${values.out}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  io.stderr(`zhenyan: wrote ${values.out} (${png.length} bytes, ${layout.lines.length} lines at ${layout.fontSize}px${layout.truncated ? ', quote cut to fit' : ''})`);
  return 0;
}
