/**
 * The card renderer end to end: PNGs decoded back to pixels (size, ink in the quote area, themes),
 * through the worker pool (the bot's path), with its busy answer and its cache.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createCanvas, loadImage } from '@napi-rs/canvas';
import { cardContent, type CardContent } from '../src/core/card/content.ts';
import { loadCorpus } from '../src/core/corpus/load.ts';
import { buildPassages } from '../src/core/corpus/passages.ts';
import { CARD_HEIGHT, CARD_WIDTH, renderCard } from '../src/card/render.ts';
import { CardBusyError, CardService } from '../src/card/service.ts';

const interviews = loadCorpus();
const passages = buildPassages(interviews);
function contentOf(index: number): CardContent {
  const passage = passages.filter((p) => p.speakerId)[index]!;
  const interview = interviews.find((i) => i.id === passage.interviewId)!;
  return cardContent(passage, interview, interview.speakers.find((s) => s.id === passage.speakerId) ?? null);
}

/** Decodes a PNG and returns its size and a function counting pixels unlike the corner's colour in a box. */
async function decode(png: Buffer) {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const data = ctx.getImageData(0, 0, image.width, image.height).data;
  const at = (x: number, y: number) => Array.from(data.slice((y * image.width + x) * 4, (y * image.width + x) * 4 + 3));
  const background = at(5, 5);
  const inkIn = (x0: number, y0: number, x1: number, y1: number) => {
    let ink = 0;
    for (let y = y0; y < y1; y++) {
      for (let x = x0; x < x1; x++) {
        const [r, g, b] = at(x, y);
        if (Math.abs(r! - background[0]!) + Math.abs(g! - background[1]!) + Math.abs(b! - background[2]!) > 96) ink++;
      }
    }
    return ink;
  };
  return { width: image.width, height: image.height, background, inkIn };
}

describe('renderCard', () => {
  it('draws a 1200×630 PNG with the quote in its text area, in both themes', async () => {
    const content = contentOf(0);
    const dark = await renderCard(content, 'dark');
    const light = await renderCard(content, 'light');
    expect(dark.png.subarray(1, 4).toString('latin1')).toBe('PNG');
    for (const card of [dark, light]) {
      const image = await decode(card.png);
      expect([image.width, image.height]).toEqual([CARD_WIDTH, CARD_HEIGHT]);
      // The quote area (below the ornament, above the rule) has text ink; an empty card would not.
      expect(image.inkIn(96, 110, 1104, 450)).toBeGreaterThan(2_000);
      // The speaker row too.
      expect(image.inkIn(96, 490, 700, 530)).toBeGreaterThan(200);
    }
    const [darkBg, lightBg] = [(await decode(dark.png)).background, (await decode(light.png)).background];
    expect(darkBg[0]!).toBeLessThan(64);
    expect(lightBg[0]!).toBeGreaterThan(192);
  });

  it('sets the longest passage without cutting it, and a short one larger than a long one', async () => {
    const quoted = passages.filter((p) => p.speakerId);
    const byLength = quoted.map((_, i) => contentOf(i)).sort((a, b) => a.quote.length - b.quote.length);
    const short = await renderCard(byLength[0]!, 'dark');
    const long = await renderCard(byLength.at(-1)!, 'dark');
    expect(long.layout.truncated).toBe(false);
    expect(short.layout.fontSize).toBeGreaterThan(long.layout.fontSize);
  });

  it('cuts a quote too long for the card and says so, still a valid card', async () => {
    const content = contentOf(0);
    const long = { ...content, quote: Array.from({ length: 12 }, (_, i) => passages[i]!.text).join('') };
    const card = await renderCard(long, 'light');
    expect(card.layout.truncated).toBe(true);
    expect(card.layout.text.endsWith('…')).toBe(true);
    expect(long.quote.startsWith(card.layout.text.slice(0, -1))).toBe(true);
    expect((await decode(card.png)).width).toBe(CARD_WIDTH);
  });
});

describe('CardService (worker pool and cache)', () => {
  const service = new CardService({ workers: 1, maxQueue: 1 });
  afterAll(() => service.close());

  it('renders in a worker, then answers the same card from the cache', async () => {
    const content = contentOf(1);
    expect(service.mayBeSlow(content.passageId, 'dark')).toBe(true); // cold: fonts not loaded yet
    const first = await service.card(content, 'dark');
    expect((await decode(first.png)).width).toBe(CARD_WIDTH);
    expect(first.altText).toContain(content.quote);
    expect(first.altText).toContain(content.speakerName!);
    expect(service.mayBeSlow(content.passageId, 'dark')).toBe(false);
    const again = await service.card(content, 'dark');
    expect(again.png).toBe(first.png);
    expect(service.cacheStats.entries).toBe(1);
  });

  it('refuses at once with CardBusyError when the worker and the queue are full', async () => {
    const jobs = [2, 3, 4].map((i) => service.card(contentOf(i), 'light'));
    const results = await Promise.allSettled(jobs);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect((results[2] as PromiseRejectedResult).reason).toBeInstanceOf(CardBusyError);
    // Once the queue drains, cards render again.
    await expect(service.card(contentOf(4), 'light')).resolves.toMatchObject({ truncated: false });
  });
});
