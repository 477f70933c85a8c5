/**
 * End to end through the local fake Discord: the /quote "Card" button and `/tip card:true` post a
 * quote card as a multipart upload (a real PNG, its alt text, nobody pinged), deferring when the
 * render may be slow; a full renderer answers "busy" privately.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadImage } from '@napi-rs/canvas';
import { button, slashCommand, type RecordedRequest } from '../support/fake-discord.ts';
import { startHarness, type BotHarness } from '../support/bot-harness.ts';

const EPHEMERAL = 64;
const NO_PINGS = { parse: [], users: [], roles: [], replied_user: false };
/** The first card loads the canvas and fonts in a worker: generous on a shared 2-core machine. */
const CARD_TIMEOUT = 60_000;

let harness: BotHarness;
beforeAll(async () => {
  // One worker and no queue: a second card while one renders is refused (the busy test).
  harness = await startHarness({ bot: { rateLimit: { limit: 1000 }, cards: { workers: 1, maxQueue: 0 } } });
});
afterAll(async () => {
  await harness?.stop();
});

/** The request that carried the card: the interaction callback, or the edit of a deferred placeholder. */
async function cardUpload(token: string, callbackRequest: RecordedRequest): Promise<RecordedRequest> {
  if (callbackRequest.files.length > 0) return callbackRequest;
  return harness.fake.waitForRequest((r) => r.method === 'PATCH' && r.path.includes(token) && r.files.length > 0, CARD_TIMEOUT);
}

/** Checks one card upload: a 1200×630 PNG, its alt text naming the quote and speaker, no pings. */
async function expectCard(upload: RecordedRequest, quote: string, speaker: string): Promise<void> {
  expect(upload.files).toHaveLength(1);
  const file = upload.files[0]!;
  expect(file.filename).toMatch(/^zhenyan-.+\.png$/u);
  expect(file.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const image = await loadImage(file.bytes);
  expect([image.width, image.height]).toEqual([1200, 630]);
  const body = upload.body.data ?? upload.body; // a callback wraps the message in `data`
  expect(body.allowed_mentions).toEqual(NO_PINGS);
  expect((body.flags ?? 0) & EPHEMERAL).toBe(0);
  const description: string = body.attachments[0].description;
  expect(description.length).toBeLessThanOrEqual(1024);
  expect(description).toContain(speaker);
  expect(description).toContain(quote.slice(0, 40));
}

describe('quote cards through Discord', () => {
  it('the Card button posts the card in the channel: deferred when cold, a PNG with alt text, no pings; then from the cache', async () => {
    const result = await harness.fake.sendInteraction(slashCommand('quote', { query: '卖房创业' }, { locale: 'zh-CN' }));
    const cardButton = result.data.components[0].components.find((b: { custom_id: string }) => b.custom_id.startsWith('quote:card:'));
    expect(cardButton.label).toBe('卡片');
    const quote: string = result.data.embeds[0].description.replaceAll('**', '');
    const message = harness.fake.originalMessage(result.token);

    const click = await harness.fake.sendInteraction(button(cardButton.custom_id, { message }), CARD_TIMEOUT);
    // Cold renderer: acknowledged publicly at once ("thinking…"), the card follows.
    expect(click.type).toBe(5);
    expect((click.data?.flags ?? 0) & EPHEMERAL).toBe(0);
    const upload = await cardUpload(click.token, click.request);
    await expectCard(upload, quote, '季昕华');
    // The message Discord holds: the attachment with its alt text.
    const posted = harness.fake.originalMessage(click.token);
    expect(posted.attachments).toHaveLength(1);
    expect(posted.attachments[0].description).toContain('季昕华');

    // Again (anyone may click): cached, so answered directly with the upload in the callback.
    const again = await harness.fake.sendInteraction(button(cardButton.custom_id, { message, user: { id: '200000000000000555', username: 'other' } }), CARD_TIMEOUT);
    expect(again.type).toBe(4);
    await expectCard(again.request, quote, '季昕华');
  });

  it('/tip card:true posts the card with the tip as an embed (text stays searchable)', async () => {
    const plain = await harness.fake.sendInteraction(slashCommand('tip', {}));
    const tipText: string = plain.data.embeds[0].description;
    // An answer's embed shows its question first (「> 季昕华 asked: …」); the card holds the quote itself.
    const quoteText = tipText.replace(/^> .*\n/u, '');
    const speaker: string = plain.data.embeds[0].author.name.split(' · ')[0];
    const asCard = await harness.fake.sendInteraction(slashCommand('tip', { card: true }), CARD_TIMEOUT);
    const upload = await cardUpload(asCard.token, asCard.request);
    await expectCard(upload, quoteText.replaceAll('\\', ''), speaker);
    const body = upload.body.data ?? upload.body;
    expect(body.embeds[0].description).toBe(tipText);
  });

  it('a full renderer answers "busy, try again" privately and posts nothing', async () => {
    const cardOf = async (query: string) => {
      const result = await harness.fake.sendInteraction(slashCommand('quote', { query }));
      return result.data.components[0].components.find((b: { custom_id: string }) => b.custom_id.startsWith('quote:card:')).custom_id as string;
    };
    // Warm the renderer (no defer), then click two cards never rendered at once: the first takes the
    // only worker as soon as its click is handled, the second finds the renderer full.
    const warmUp = await harness.fake.sendInteraction(button(await cardOf('融资')), CARD_TIMEOUT);
    await cardUpload(warmUp.token, warmUp.request);
    const [first, second] = [await cardOf('开源'), await cardOf('云计算')];
    expect(first).not.toBe(second);
    const rendering = harness.fake.dispatchInteraction(button(first));
    const refused = await harness.fake.dispatchInteraction(button(second)).waitForCallback(CARD_TIMEOUT);
    expect(refused.type).toBe(4);
    expect(refused.data.flags).toBe(EPHEMERAL);
    expect(refused.data.content).toContain('Try again');
    expect(refused.request.files).toHaveLength(0);
    // The first click still gets its card.
    const done = await rendering.waitForCallback(CARD_TIMEOUT);
    expect((await cardUpload(rendering.token, done.request)).files).toHaveLength(1);
  });
});
