/**
 * The fonts a card is set in, as files shipped by npm packages (no system fonts):
 * - Noto Sans SC (`@fontsource/noto-sans-sc`, OFL-1.1): every woff2 slice of a weight (about 100 files
 *   split by unicode-range) registered under one family, so Skia falls back per character within it.
 *   Its single-file `chinese-simplified` subset is NOT used: it lacks 1,051 GB2312 characters.
 * - Twemoji as a COLR font (`twemoji-colr-font`; artwork CC-BY-4.0 by Twitter), for emoji in colour.
 *
 * This module only finds files (no canvas import), so the glyph-coverage test can read the same list.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** The family names the card's fonts are registered under (unique, so no system font interferes). */
export const TEXT_FAMILY = 'Zhenyan Noto Sans SC';
export const EMOJI_FAMILY = 'Zhenyan Twemoji';

/** The weights a card uses: 400 for the quote and details, 700 for the speaker's name. */
export const CARD_WEIGHTS = [400, 700] as const;
export type CardWeight = (typeof CARD_WEIGHTS)[number];

/** Every woff2 slice of Noto Sans SC at `weight`, excluding the incomplete single-file subsets. */
export function notoSansScFiles(weight: CardWeight): string[] {
  const dir = join(dirname(require.resolve('@fontsource/noto-sans-sc/package.json')), 'files');
  const pattern = new RegExp(`^noto-sans-sc-(.+)-${weight}-normal\\.woff2$`, 'u');
  return readdirSync(dir)
    .filter((name) => {
      const slice = pattern.exec(name)?.[1];
      // Numbered slices ("0" … "119") and the Latin/Cyrillic/Vietnamese ones; never the
      // "chinese-simplified" one-file subset (it misses characters the slices have).
      return slice !== undefined && slice !== 'chinese-simplified' && slice !== 'chinese-traditional';
    })
    .sort()
    .map((name) => join(dir, name));
}

/** The colour emoji font file (COLR/CPAL). */
export function emojiFontFile(): string {
  return join(dirname(require.resolve('twemoji-colr-font/package.json')), 'twemoji.woff2');
}
