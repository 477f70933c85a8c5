/**
 * `npm run cards -- --sample DIR`: a gallery of quote cards for people to look at: the shortest and
 * the longest passage, an English one, one mixing Chinese and Latin, one with emoji (or, when the
 * corpus has none, a typesetting specimen that is clearly not a quote), and one for every speaker,
 * in both themes. Writes DIR/*.png and DIR/index.md (what each file shows).
 *
 * `--only a,b` keeps the samples with those names (e.g. `shortest,emoji-specimen`), `--width N` scales
 * the PNGs down (the README's images: `--sample docs/cards --only … --width 600`).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { renderCard } from '../src/card/render.ts';
import { writeFileAtomic } from '../src/cli/card.ts';
import { CARD_THEMES, cardContent, type CardContent } from '../src/core/card/content.ts';
import type { Passage } from '../src/core/corpus/types.ts';
import { loadLibrary } from '../src/core/library.ts';

const { values } = parseArgs({ options: { sample: { type: 'string' }, only: { type: 'string' }, width: { type: 'string' } }, strict: true });
if (!values.sample) {
  process.stderr.write('usage: npm run cards -- --sample DIR\n');
  process.exit(2);
}
const dir = values.sample;
mkdirSync(dir, { recursive: true });

const library = loadLibrary({ indexCacheDir: process.env.INDEX_CACHE_DIR ?? 'var/index-cache' });
const content = (passage: Passage): CardContent => {
  const view = library.index.describe(passage);
  return cardContent(passage, view.interview, view.speaker);
};
const quoted = library.passages.filter((p) => p.speakerId !== null);
const byLength = [...quoted].sort((a, b) => a.text.length - b.text.length);
const han = /\p{Script=Han}/u;
const latinWord = /[A-Za-z]{2,}/u;
const emoji = /\p{Extended_Pictographic}/u;

const samples: Array<{ name: string; what: string; content: CardContent }> = [];
const add = (name: string, what: string, passage: Passage | undefined) => {
  if (passage) samples.push({ name, what, content: content(passage) });
};
add('shortest', 'the shortest quoted passage', byLength[0]);
add('longest', 'the longest quoted passage', byLength.at(-1));
add('english', 'the longest English passage', [...byLength].reverse().find((p) => !han.test(p.text)));
add('mixed', 'Chinese with Latin words and numbers', [...byLength].reverse().find((p) => han.test(p.text) && latinWord.test(p.text) && /\d/u.test(p.text)));
const withEmoji = quoted.find((p) => emoji.test(p.text));
if (withEmoji) add('emoji', 'a passage with emoji', withEmoji);
else {
  samples.push({
    name: 'emoji-specimen',
    what: 'a typesetting specimen, NOT a quote (the corpus has no emoji): colour emoji, flags, ZWJ sequences, a long URL',
    content: {
      passageId: 'specimen',
      quote: '排版样张：彩色 emoji 👩‍💻👍🏽🇨🇳🇺🇸😀☕❤️，中文与 TiDB 3.0、K8s 混排，长链接 https://github.com/pingcap/tidb/blob/master/README.md 可以断开。',
      speakerName: '排版样张 · specimen',
      speakerDetail: 'not a quote',
      title: 'Zhenyan typesetting specimen',
      publication: null,
    },
  });
}
for (const interview of library.interviews) {
  for (const speaker of interview.speakers) {
    const theirs = quoted.filter((p) => p.speakerId === speaker.id && p.interviewId === interview.id);
    // Prefer a daily tip (curated to stand alone), else a passage of middling length.
    const tip = theirs.find((p) => library.tipIds.includes(p.id));
    const middle = [...theirs].sort((a, b) => Math.abs(a.text.length - 120) - Math.abs(b.text.length - 120))[0];
    add(`speaker-${speaker.id}`, `${speaker.name} (${interview.id})`, tip ?? middle);
  }
}

const only = values.only ? new Set(values.only.split(',')) : null;
const width = values.width ? Number(values.width) : null;
if (width !== null && !(Number.isInteger(width) && width >= 100 && width <= 1200)) {
  process.stderr.write('--width takes a whole number from 100 to 1200\n');
  process.exit(2);
}
/** Scales a PNG down to `width` (same aspect ratio). */
async function scaled(png: Buffer, width: number): Promise<Buffer> {
  const { createCanvas, loadImage } = await import('@napi-rs/canvas');
  const image = await loadImage(png);
  const height = Math.round((image.height * width) / image.width);
  const canvas = createCanvas(width, height);
  canvas.getContext('2d').drawImage(image, 0, 0, width, height);
  return canvas.toBuffer('image/png');
}

const index: string[] = ['# Quote card gallery', '', '| file | what | passage |', '|---|---|---|'];
const chosen = samples.filter((sample) => !only || only.has(sample.name));
for (const sample of chosen) {
  for (const theme of CARD_THEMES) {
    const started = performance.now();
    const rendered = await renderCard(sample.content, theme);
    const { layout } = rendered;
    const png = width ? await scaled(rendered.png, width) : rendered.png;
    const file = `${sample.name}-${theme}.png`;
    writeFileAtomic(join(dir, file), png);
    index.push(`| ${file} | ${sample.what}${layout.truncated ? ' (cut to fit)' : ''} | ${sample.content.passageId} |`);
    process.stdout.write(`${file}  ${(png.length / 1024).toFixed(0)} KB  ${layout.fontSize}px × ${layout.lines.length} lines  ${(performance.now() - started).toFixed(0)} ms\n`);
  }
}
writeFileAtomic(join(dir, 'index.md'), Buffer.from(`${index.join('\n')}\n`));
process.stdout.write(`wrote ${chosen.length * CARD_THEMES.length} cards and index.md to ${dir}\n`);
