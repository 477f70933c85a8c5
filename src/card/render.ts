/**
 * Draws a quote card (PNG, 1200×630) with `@napi-rs/canvas`. Runs inside the render worker
 * (`worker.ts`) in the bot, and in-process in the CLI and tests. The canvas library and the fonts are
 * loaded on the first card only, so a bot that never renders a card never pays for them.
 *
 * Layout decisions live in `src/core/card/layout.ts` (tested without a canvas); this file only
 * measures, places and paints.
 */
import { readFileSync } from 'node:fs';
import type { SKRSContext2D } from '@napi-rs/canvas';
import type { CardContent, CardTheme } from '../core/card/content.ts';
import { fitLine, graphemes, layoutQuote, type MeasureText, type QuoteLayout } from '../core/card/layout.ts';
import { CARD_WEIGHTS, EMOJI_FAMILY, emojiFontFile, notoSansScFiles, TEXT_FAMILY } from './fonts.ts';

/** Card size: Discord's and Open Graph's usual 1.91:1 preview. */
export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;

/** Colours of a theme. */
interface Palette {
  background: string;
  frame: string;
  text: string;
  muted: string;
  accent: string;
  quoteMark: string;
  seal: string;
  sealText: string;
}

const PALETTES: Record<CardTheme, Palette> = {
  dark: {
    background: '#16181d',
    frame: 'rgba(255,255,255,0.07)',
    text: '#f3efe7',
    muted: '#9c978e',
    accent: '#d4483d',
    quoteMark: 'rgba(212,72,61,0.85)',
    seal: '#b8322a',
    sealText: '#fff4ec',
  },
  light: {
    background: '#f7f2e8',
    frame: 'rgba(60,40,20,0.10)',
    text: '#1e1c19',
    muted: '#6f675c',
    accent: '#b22222',
    quoteMark: 'rgba(178,34,34,0.80)',
    seal: '#b22222',
    sealText: '#fff6ee',
  },
};

/** Geometry, pixels. */
const PAD_X = 96;
const QUOTE_BOX = { x: PAD_X, top: 108, width: CARD_WIDTH - 2 * PAD_X, height: 340 };
const REFERENCE_SIZE = 100;
const EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;

type Canvas = typeof import('@napi-rs/canvas');
let canvasModule: Promise<Canvas> | null = null;

/**
 * Loads the canvas library and registers the fonts, once per process (the font registry is
 * process-wide, so every worker thread of a process shares it).
 */
export function loadCardFonts(): Promise<Canvas> {
  canvasModule ??= import('@napi-rs/canvas').then((canvas) => {
    const { GlobalFonts } = canvas;
    if (!GlobalFonts.has(TEXT_FAMILY)) {
      for (const weight of CARD_WEIGHTS) {
        for (const file of notoSansScFiles(weight)) GlobalFonts.register(readFileSync(file), TEXT_FAMILY);
      }
      GlobalFonts.register(readFileSync(emojiFontFile()), EMOJI_FAMILY);
    }
    measuringContext = canvas.createCanvas(1, 1).getContext('2d');
    return canvas;
  });
  return canvasModule;
}

/** The font string for text (Noto Sans SC, emoji font as fallback) at a weight and size. */
function textFont(weight: number, size: number): string {
  return `${weight} ${size}px "${TEXT_FAMILY}", "${EMOJI_FAMILY}"`;
}
/** Emoji are drawn with the emoji font first, so a character Noto also has (☕, ❤) is in colour. */
function emojiFont(size: number): string {
  return `${size}px "${EMOJI_FAMILY}", "${TEXT_FAMILY}"`;
}

/** Splits a line into runs of emoji and of other text. */
function runs(text: string): Array<{ text: string; emoji: boolean }> {
  const out: Array<{ text: string; emoji: boolean }> = [];
  for (const g of graphemes(text)) {
    const emoji = EMOJI.test(g);
    const last = out.at(-1);
    if (last && last.emoji === emoji) last.text += g;
    else out.push({ text: g, emoji });
  }
  return out;
}

/**
 * Sets `ctx.font` only when it changes: parsing a font string costs about a millisecond in
 * @napi-rs/canvas, more than measuring or drawing a run.
 */
function setFont(ctx: SKRSContext2D, font: string): void {
  if (currentFont.get(ctx) !== font) {
    ctx.font = font;
    currentFont.set(ctx, font);
  }
}
const currentFont = new WeakMap<SKRSContext2D, string>();

/**
 * Widths at the reference size, by weight and text, shared by every card of the process (the fonts
 * never change). Bounded: cleared when it grows past {@link WIDTH_CACHE_LIMIT} entries.
 */
const widthCache = new Map<string, number>();
const WIDTH_CACHE_LIMIT = 50_000;

/**
 * Width of mixed text at `size` and `weight`, measuring emoji runs with the emoji font. `ctx` is the
 * process's measuring context (see {@link measuringContext}), never a card's: switching fonts back and
 * forth on one context is what costs.
 */
function measureMixed(ctx: SKRSContext2D, text: string, size: number, weight: number): number {
  const key = `${weight}|${text}`;
  let reference = widthCache.get(key);
  if (reference === undefined) {
    reference = 0;
    for (const run of runs(text)) {
      setFont(ctx, run.emoji ? emojiFont(REFERENCE_SIZE) : textFont(weight, REFERENCE_SIZE));
      reference += ctx.measureText(run.text).width;
    }
    if (widthCache.size >= WIDTH_CACHE_LIMIT) widthCache.clear();
    widthCache.set(key, reference);
  }
  return (reference * size) / REFERENCE_SIZE;
}

/** Draws mixed text with its left edge at `x`; returns the width drawn. */
function drawMixed(ctx: SKRSContext2D, text: string, x: number, y: number, size: number, weight: number): number {
  let cursor = x;
  for (const run of runs(text)) {
    setFont(ctx, run.emoji ? emojiFont(size) : textFont(weight, size));
    ctx.fillText(run.text, cursor, y);
    cursor += measureMixed(measuringContext!, run.text, size, weight);
  }
  return cursor - x;
}

let cardCanvas: import('@napi-rs/canvas').Canvas | null = null;

/** A 1×1 canvas used only to measure at the reference size, created with the fonts. */
let measuringContext: SKRSContext2D | null = null;

/** A rendered card. */
export interface RenderedCard {
  png: Buffer;
  /** How the quote was set (font size, lines, whether it was cut). */
  layout: QuoteLayout;
}

/** Renders one card. The first call loads the canvas library and fonts (a few hundred ms). */
export async function renderCard(content: CardContent, theme: CardTheme): Promise<RenderedCard> {
  const { createCanvas } = await loadCardFonts();
  const palette = PALETTES[theme];
  // One canvas per thread, reused: its 3 MB pixel buffer is native memory V8 does not see, so a new
  // canvas per card piles up (≈3 MB a card) until a GC happens to run. Everything below is
  // synchronous, so two cards never share it at once.
  cardCanvas ??= createCanvas(CARD_WIDTH, CARD_HEIGHT);
  const canvas = cardCanvas;
  const ctx = canvas.getContext('2d');
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.globalAlpha = 1;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  const measurer = measuringContext!;
  const measureAt = (weight: number): MeasureText => (text) => measureMixed(measurer, text, REFERENCE_SIZE, weight);

  // Background and a hairline frame (flat fills: a full-card gradient doubles the PNG encoding time).
  ctx.fillStyle = palette.background;
  ctx.fillRect(0, 0, CARD_WIDTH, CARD_HEIGHT);
  ctx.strokeStyle = palette.frame;
  ctx.lineWidth = 2;
  ctx.strokeRect(28, 28, CARD_WIDTH - 56, CARD_HEIGHT - 56);

  // The big opening quotation mark, as ornament (not part of the quote's text).
  ctx.fillStyle = palette.quoteMark;
  setFont(ctx, textFont(700, 150));
  // Noto's “ sits at the right of its em box: align its ink, not its box, with the text's left edge.
  const markInk = ctx.measureText('“').actualBoundingBoxLeft;
  ctx.fillText('“', PAD_X + markInk - 2, 178);

  // The quote: balanced lines, the largest size that fits, vertically centred in its box.
  const layout = layoutQuote(content.quote, measureAt(400), {
    maxWidth: QUOTE_BOX.width,
    maxHeight: QUOTE_BOX.height,
    maxFontSize: 52,
    minFontSize: 24,
    lineHeight: 1.6,
    referenceSize: REFERENCE_SIZE,
  });
  const blockHeight = layout.lines.length * layout.lineHeight;
  // Baseline of the first line: the line box's top plus the ascent share of the line height.
  let baseline = QUOTE_BOX.top + (QUOTE_BOX.height - blockHeight) / 2 + layout.lineHeight / 2 + layout.fontSize * 0.36;
  ctx.fillStyle = palette.text;
  for (const line of layout.lines) {
    drawMixed(ctx, line.text, QUOTE_BOX.x, baseline, layout.fontSize, 400);
    baseline += layout.lineHeight;
  }

  // An accent rule, then who said it, then where.
  const ruleY = 470;
  ctx.fillStyle = palette.accent;
  ctx.fillRect(PAD_X, ruleY, 56, 4);
  if (layout.truncated) {
    ctx.fillStyle = palette.muted;
    setFont(ctx, textFont(400, 18));
    ctx.fillText('节选 · excerpt', PAD_X + 72, ruleY + 7);
  }

  const sealSize = 46;
  const sealX = CARD_WIDTH - PAD_X - sealSize + 8;
  const textRight = sealX - 40;
  const nameSize = 32;
  const nameY = 522;
  const name = content.speakerName ?? '旁白 · narration';
  const nameFit = fitLine(name, measureAt(700), textRight - PAD_X, nameSize, REFERENCE_SIZE);
  ctx.fillStyle = palette.text;
  const nameWidth = drawMixed(ctx, nameFit.text, PAD_X, nameY, nameSize, 700);
  if (content.speakerDetail) {
    const detailX = PAD_X + nameWidth + 18;
    const detail = fitLine(content.speakerDetail, measureAt(400), Math.max(0, textRight - detailX), 22, REFERENCE_SIZE);
    ctx.fillStyle = palette.muted;
    if (detail.text !== '…') drawMixed(ctx, detail.text, detailX, nameY, 22, 400);
  }

  const source = [content.title, content.publication].filter(Boolean).join('  ·  ');
  const sourceFit = fitLine(source, measureAt(400), textRight - PAD_X, 20, REFERENCE_SIZE);
  ctx.fillStyle = palette.muted;
  drawMixed(ctx, sourceFit.text, PAD_X, 566, 20, 400);

  // The bot's mark: a small red seal with 箴言, bottom right.
  const sealY = 516;
  ctx.fillStyle = palette.seal;
  roundedRect(ctx, sealX, sealY, sealSize, sealSize, 6);
  ctx.fill();
  ctx.fillStyle = palette.sealText;
  setFont(ctx, textFont(700, 17));
  ctx.textAlign = 'center';
  ctx.fillText('箴', sealX + sealSize / 2, sealY + 21);
  ctx.fillText('言', sealX + sealSize / 2, sealY + 40);
  ctx.textAlign = 'left';

  return { png: canvas.toBuffer('image/png'), layout };
}

function roundedRect(ctx: SKRSContext2D, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}
