/**
 * The body of a card render worker thread: renders the cards the pool sends, one at a time, and
 * transfers each PNG back without copying. The canvas library and fonts load on the first job.
 */
import { parentPort } from 'node:worker_threads';
import type { CardContent, CardTheme } from '../core/card/content.ts';
import { renderCard } from './render.ts';

/** A job sent by the pool. */
export interface RenderJob {
  id: number;
  content: CardContent;
  theme: CardTheme;
}

/** The worker's answer to a job. */
export type RenderAnswer =
  | { id: number; ok: true; png: ArrayBuffer; truncated: boolean; renderMs: number }
  | { id: number; ok: false; message: string };

const port = parentPort;
if (!port) throw new Error('worker.ts runs only as a worker thread (see pool.ts)');

port.on('message', async (job: RenderJob) => {
  const started = performance.now();
  try {
    const { png, layout } = await renderCard(job.content, job.theme);
    // Copy into a standalone ArrayBuffer (the Buffer may be a view of a larger one) and transfer it.
    const buffer = png.buffer.slice(png.byteOffset, png.byteOffset + png.byteLength) as ArrayBuffer;
    const answer: RenderAnswer = { id: job.id, ok: true, png: buffer, truncated: layout.truncated, renderMs: performance.now() - started };
    port.postMessage(answer, [buffer]);
  } catch (error) {
    const answer: RenderAnswer = { id: job.id, ok: false, message: (error as Error).message };
    port.postMessage(answer);
  }
});
