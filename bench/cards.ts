/**
 * Quote card benchmark: `npm run bench:cards` (prints numbers; targets from issue 13).
 *
 * 1. First card, through the bot's path (worker start, canvas and font loading, render): ≤ 1.5 s.
 * 2. Warm cards through the pool, distinct passages and themes, cache off: p50 ≤ 80 ms, p99 ≤ 200 ms.
 *    Also the CPU time of an in-process render (what a card costs when the machine is shared).
 * 3. `/quote` (the real command handler) every 10 ms while 50 card requests burst: p99 ≤ 20 ms. The
 *    latency counts from the moment the request was due, so a blocked event loop shows.
 * 4. RSS added by cards (after the library is loaded → after the warm run): ≤ 180 MB.
 * 5. Soak: 1,000 cards; RSS sampled every 100 after a 200-card warm-up must stay within 5%.
 *
 * Options: `--soak N` (default 1000), `--warm N` (default 200).
 */
import { parseArgs } from 'node:util';
import quote from '../commands/quote.ts';
import { cardContent, type CardContent, type CardTheme } from '../src/core/card/content.ts';
import { loadLibrary } from '../src/core/library.ts';
import { CardService } from '../src/card/service.ts';
import { commandContext, testServices } from '../test/support/contexts.ts';

const { values } = parseArgs({ options: { soak: { type: 'string' }, warm: { type: 'string' } }, strict: true });
const SOAK = Number(values.soak ?? 1000);
const WARM = Number(values.warm ?? 200);

const log = (line: string) => process.stdout.write(`${line}\n`);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
const sleep = (delay: number) => new Promise((resolve) => setTimeout(resolve, delay));

const library = loadLibrary({ indexCacheDir: 'var/index-cache' });
const services = testServices({ library });
const contents: CardContent[] = library.passages.map((passage) => {
  const view = library.index.describe(passage);
  return cardContent(passage, view.interview, view.speaker);
});
/** The i-th distinct (passage, theme) pair, cycling. */
const job = (i: number): [CardContent, CardTheme] => [contents[i % contents.length]!, Math.floor(i / contents.length) % 2 === 0 ? 'dark' : 'light'];

// Let start-up garbage settle before the baseline.
await sleep(200);
const rssBefore = process.memoryUsage().rss;
log(`machine: ${(await import('node:os')).cpus().length} cores, load average ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
log(`library loaded, RSS ${mb(rssBefore)}`);

// 1. First card (cold): worker thread, canvas, fonts, render.
const cards = new CardService({ workers: 1, maxQueue: 64, cacheEntries: 0 });
let started = performance.now();
await cards.card(...job(0));
const firstMs = performance.now() - started;
log(`first card (worker start + fonts + render): ${ms(firstMs)}   target ≤ 1500 ms`);

// 2. Warm cards, one at a time, no cache.
const warm: number[] = [];
for (let i = 1; i <= WARM; i++) {
  started = performance.now();
  await cards.card(...job(i));
  warm.push(performance.now() - started);
}
log(`warm card (${WARM}, via pool): p50 ${ms(percentile(warm, 50))}   p99 ${ms(percentile(warm, 99))}   targets ≤ 80 / ≤ 200 ms`);
const rssWarm = process.memoryUsage().rss;
log(`RSS added by cards after ${WARM + 1} cards: ${mb(rssWarm - rssBefore)}   target ≤ 180 MB`);

// 3. /quote while 50 cards burst.
const queries = ['卖房创业', 'TiDB', '融资', '云计算', '开源', '创业', '客户', '架构', 'investor', '团队'];
async function quoteLatencies(count: number, intervalMs: number): Promise<number[]> {
  const latencies: number[] = [];
  const origin = performance.now();
  for (let i = 0; i < count; i++) {
    const due = origin + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const { context } = commandContext('quote', { query: queries[i % queries.length]! }, { services });
    await quote.execute(context, { query: queries[i % queries.length]!, speaker: null, source: null });
    latencies.push(performance.now() - due);
  }
  return latencies;
}
const idle = await quoteLatencies(200, 10);
log(`/quote alone: p50 ${ms(percentile(idle, 50))}   p99 ${ms(percentile(idle, 99))}`);
const burst = Array.from({ length: 50 }, (_, i) => cards.card(...job(2000 + i)).then(() => 'ok', (error: Error) => error.name));
const during = await quoteLatencies(200, 10);
const outcomes = await Promise.all(burst);
log(`/quote during a burst of 50 cards: p50 ${ms(percentile(during, 50))}   p99 ${ms(percentile(during, 99))}   target ≤ 20 ms (${outcomes.filter((o) => o === 'ok').length} cards rendered, ${outcomes.filter((o) => o !== 'ok').length} refused)`);

// 5. Soak.
const samples: number[] = [];
for (let i = 0; i < SOAK; i++) {
  await cards.card(...job(3000 + i));
  if ((i + 1) % 100 === 0) {
    samples.push(process.memoryUsage().rss);
    log(`  soak ${i + 1}: RSS ${mb(samples.at(-1)!)}`);
  }
}
const settled = samples.slice(2); // after 200 cards of warm-up
if (settled.length > 1) {
  const spread = (Math.max(...settled) - Math.min(...settled)) / Math.min(...settled);
  log(`soak ${SOAK} cards: RSS after warm-up ${mb(Math.min(...settled))} .. ${mb(Math.max(...settled))} (spread ${(spread * 100).toFixed(1)}%)   target within 5%`);
}
log(`RSS added by cards at the end: ${mb(process.memoryUsage().rss - rssBefore)}`);
await cards.close();

// In-process CPU time of a render (independent of other processes on a shared machine). Last, so
// the main thread's canvas does not count in the RSS figures above.
{
  const { renderCard } = await import('../src/card/render.ts');
  for (let i = 0; i < 5; i++) await renderCard(...job(i));
  const cpu: number[] = [];
  for (let i = 0; i < 60; i++) {
    const before = process.cpuUsage();
    await renderCard(...job(1000 + i));
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
  }
  log(`render CPU time (in-process, 60 cards): p50 ${ms(percentile(cpu, 50))}   p99 ${ms(percentile(cpu, 99))}`);
}

