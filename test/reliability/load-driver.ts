/**
 * Load generation against the local fake Discord, shared by `scripts/load.ts` (full size, with a report) and
 * `test/reliability/load.test.ts` (small size, assertions only).
 *
 * Traffic is a mix of slash commands, autocomplete and button clicks. The bot's per-user rate limit (8 per
 * 10 s by default) is left as it is: the traffic is spread over fresh user ids instead, at most
 * {@link ACTIONS_PER_USER} rate-limited actions (commands and clicks) per user id, so no legitimate interaction
 * is refused, and per-user state (rate limiter, discord.js user/member caches) sees many distinct users.
 */
import type { Library } from '../../src/core/library.ts';
import { mulberry32 } from '../../src/core/tips/order.ts';
import {
  autocomplete,
  button,
  slashCommand,
  type FakeDiscord,
  type InteractionCallback,
  type InteractionSpec,
  type Json,
} from '../support/fake-discord.ts';

/** What the traffic generator needs to know about the corpus (sent over IPC by the script's bot process). */
export interface LoadWorld {
  queries: string[];
  speakers: string[];
  sources: string[];
  passageIds: string[];
}

/** The world of a loaded library. */
export function worldOf(library: Library): LoadWorld {
  const passageIds = library.passages.filter((_, i) => i % 7 === 0).map((p) => p.id).slice(0, 200);
  return {
    queries: ['卖房创业', '融资', '创业', 'TiDB', '开源', '云计算', '资料库', '团队', '产品', '客户', 'AI', '数据库', 'focus', '招聘', '商业化'],
    speakers: library.index.speakers().map((entry) => entry.speaker.name),
    sources: library.interviews.map((interview) => interview.id),
    passageIds,
  };
}

/** Kinds of generated interactions, with the callback types each may legitimately get. */
export const EXPECTED_TYPES = {
  quote: [4],
  'quote-speaker': [4],
  random: [4],
  speaker: [4],
  sources: [4],
  help: [4],
  'ac-quote-speaker': [8],
  'ac-quote-source': [8],
  'ac-random': [8],
  'ac-speaker': [8],
  'btn-context': [4],
  'btn-page': [7],
  'btn-page-stranger': [4],
  'btn-expired': [4],
} as const satisfies Record<string, readonly number[]>;

export type LoadKind = keyof typeof EXPECTED_TYPES;

/** A generated interaction and what it is. */
export interface LoadItem {
  kind: LoadKind;
  spec: InteractionSpec;
}

/** A paging button of a `/quote` answer that its owner can click ("next"), and the message it is on. */
export interface PageSeed {
  ownerId: string;
  customId: string;
  /** The answer's embeds and components: paging is stateless, the button re-runs the search the message records. */
  message: Json;
  clicksLeft: number;
}

/**
 * Rate-limited actions (commands, clicks) a generated user id performs at most. A `/quote` answer's owner may
 * also click its "next" button twice: 6 actions at most, under the default limit of 8 per 10 s.
 */
export const ACTIONS_PER_USER = 4;

const MAX_SEEDS = 200;

const LOCALES = ['en-US', 'zh-CN', 'zh-TW'];

/** Deterministic PRNG (mulberry32, shared with the tip order). */
export const rng = mulberry32;

/** Generates the traffic mix. */
export class LoadMix {
  private userCounter = 0;
  private userActions = 0;
  private readonly seeds: PageSeed[] = [];
  private readonly seededOwners = new Set<string>();
  private readonly random: () => number;

  constructor(
    private readonly world: LoadWorld,
    seed = 1,
    /** First user id; ids count up from it. */
    private readonly userBase = 210_000_000_000_000_000n,
  ) {
    this.random = rng(seed);
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }

  /** A user id with room for one more rate-limited action. */
  private actor(): { id: string; username: string } {
    if (this.userActions >= ACTIONS_PER_USER) {
      this.userCounter++;
      this.userActions = 0;
    }
    this.userActions++;
    return this.userFor(this.userCounter);
  }

  /** A fresh user id for a lone action (autocomplete is not rate limited, but spread anyway). */
  private freshUser(): { id: string; username: string } {
    this.userCounter++;
    this.userActions = 1;
    return this.userFor(this.userCounter);
  }

  private userFor(n: number): { id: string; username: string } {
    return { id: (this.userBase + BigInt(n)).toString(), username: `load${n}` };
  }

  /** Remembers the "next" button of a `/quote` answer so its owner can click it later. */
  addSeedFrom(callback: InteractionCallback): void {
    const ownerId: string | undefined = callback.interaction.member?.user?.id ?? callback.interaction.user?.id;
    const buttons: Array<{ custom_id?: string; disabled?: boolean }> = callback.data?.components?.[0]?.components ?? [];
    const next = buttons.find((b) => b.custom_id?.startsWith('quote:page:') && !b.disabled && b.custom_id.endsWith(':1'));
    // One seed per owner, ever: an owner clicks at most twice on top of its own ≤ 4 actions.
    if (!ownerId || !next?.custom_id || this.seededOwners.has(ownerId)) return;
    this.seededOwners.add(ownerId);
    if (this.seededOwners.size > 10_000) this.seededOwners.delete(this.seededOwners.values().next().value as string);
    this.seeds.push({ ownerId, customId: next.custom_id, clicksLeft: 2, message: { embeds: callback.data.embeds, components: callback.data.components } });
    // Keep only recent seeds, so memory stays bounded on long runs.
    if (this.seeds.length > MAX_SEEDS) this.seeds.splice(0, this.seeds.length - MAX_SEEDS);
  }

  /** `count` `/quote` commands whose answers become page seeds (send them first, then {@link addSeedFrom}). */
  seedQuotes(count: number): LoadItem[] {
    const items: LoadItem[] = [];
    for (let i = 0; i < count; i++) {
      // An owner gets 1 quote + up to 2 clicks, well within the limit.
      const user = this.freshUser();
      this.userActions = ACTIONS_PER_USER;
      items.push({ kind: 'quote', spec: slashCommand('quote', { query: this.pick(['融资', '创业', '团队', '产品']) }, { user }) });
    }
    return items;
  }

  /** The next interaction of the mix. */
  next(): LoadItem {
    const r = this.random();
    const locale = this.pick(LOCALES);
    const w = this.world;
    if (r < 0.22) return { kind: 'quote', spec: slashCommand('quote', { query: this.pick(w.queries) }, { user: this.actor(), locale }) };
    if (r < 0.27) {
      return { kind: 'quote-speaker', spec: slashCommand('quote', { query: this.pick(['创业', '融资', '团队']), speaker: this.pick(w.speakers) }, { user: this.actor(), locale }) };
    }
    if (r < 0.37) return { kind: 'random', spec: slashCommand('random', this.random() < 0.5 ? { speaker: this.pick(w.speakers) } : undefined, { user: this.actor(), locale }) };
    if (r < 0.44) return { kind: 'speaker', spec: slashCommand('speaker', { name: this.pick(w.speakers) }, { user: this.actor(), locale }) };
    if (r < 0.47) return { kind: 'sources', spec: slashCommand('sources', undefined, { user: this.actor(), locale }) };
    if (r < 0.50) return { kind: 'help', spec: slashCommand('help', undefined, { user: this.actor(), locale }) };
    if (r < 0.58) {
      const typed = this.pick(w.speakers).slice(0, 1 + Math.floor(this.random() * 2));
      return { kind: 'ac-quote-speaker', spec: autocomplete('quote', 'speaker', { query: 'x', speaker: typed }, { user: this.freshUser(), locale }) };
    }
    if (r < 0.63) return { kind: 'ac-quote-source', spec: autocomplete('quote', 'source', { query: 'x', source: this.pick(['', 'Z', 'Ping', '云', 'A']) }, { user: this.freshUser(), locale }) };
    if (r < 0.67) return { kind: 'ac-random', spec: autocomplete('random', 'speaker', { speaker: this.pick(['', 'q', '黄', 'li']) }, { user: this.freshUser(), locale }) };
    if (r < 0.70) return { kind: 'ac-speaker', spec: autocomplete('speaker', 'name', { name: this.pick(['', 'j', '季', 'x']) }, { user: this.freshUser(), locale }) };
    if (r < 0.80) return { kind: 'btn-context', spec: button(`quote:ctx:${this.pick(w.passageIds)}`, { user: this.actor(), locale }) };
    if (r < 0.92) {
      const seed = this.seeds.find((s) => s.clicksLeft > 0);
      if (seed) {
        seed.clicksLeft--;
        if (seed.clicksLeft === 0) this.seeds.splice(this.seeds.indexOf(seed), 1);
        if (this.random() < 0.75) {
          return { kind: 'btn-page', spec: button(seed.customId, { user: { id: seed.ownerId, username: 'owner' }, locale, message: { ...seed.message } }) };
        }
        return { kind: 'btn-page-stranger', spec: button(seed.customId, { user: this.actor(), locale, message: { ...seed.message } }) };
      }
    }
    return { kind: 'btn-expired', spec: button(`quote:page:${'Zz09'.repeat(2)}xy:1`, { user: this.actor(), locale }) };
  }

  /** Page seeds still available. */
  get seedCount(): number {
    return this.seeds.length;
  }
}

/** The outcome of sending a batch of interactions. */
export interface BatchResult {
  sent: number;
  /** Dispatch (frame written) → callback request received, ms, one per interaction that got a callback. */
  latencies: number[];
  /** Every item that got a callback, with it. */
  answered: Array<{ item: LoadItem; callback: InteractionCallback }>;
  /** Human-readable problems: missing or duplicate callbacks, non-2xx callbacks, unexpected types. */
  problems: string[];
  wallMs: number;
}

/**
 * Dispatches every item at once (as fast as the fake gateway writes frames), waits for every callback, then
 * checks that each interaction got exactly one callback request, answered 2xx, of an expected type.
 */
export async function fireBatch(fake: FakeDiscord, items: readonly LoadItem[], timeoutMs = 60_000): Promise<BatchResult> {
  const started = performance.now();
  const dispatched = items.map((item) => fake.dispatchInteraction(item.spec));
  const problems: string[] = [];
  const settled = await Promise.allSettled(dispatched.map((d) => d.waitForCallback(timeoutMs)));
  const wallMs = performance.now() - started;
  // Give a stray second callback (a retry, a double reply) a moment to arrive before counting.
  await new Promise((resolve) => setTimeout(resolve, 50));
  const requestsById = new Map<string, number[]>();
  for (const r of fake.requests) {
    const m = /^\/interactions\/(\d+)\/[^/]+\/callback$/u.exec(r.path);
    if (!m) continue;
    const list = requestsById.get(m[1]!) ?? [];
    list.push(r.status ?? -1);
    requestsById.set(m[1]!, list);
  }
  const answered: BatchResult['answered'] = [];
  const latencies: number[] = [];
  settled.forEach((result, i) => {
    const item = items[i]!;
    const id = dispatched[i]!.id;
    if (result.status === 'rejected') {
      problems.push(`${item.kind} ${id}: no callback (${String(result.reason)})`);
      return;
    }
    const callback = result.value;
    answered.push({ item, callback });
    latencies.push(callback.latencyMs);
    const statuses = requestsById.get(id) ?? [];
    if (statuses.length !== 1) problems.push(`${item.kind} ${id}: ${statuses.length} callback requests (${statuses.join(',')})`);
    if (statuses.some((s) => s < 200 || s >= 300)) problems.push(`${item.kind} ${id}: callback status ${statuses.join(',')}`);
    if (!(EXPECTED_TYPES[item.kind] as readonly number[]).includes(callback.type)) {
      problems.push(`${item.kind} ${id}: callback type ${callback.type}, content ${JSON.stringify(callback.data?.content ?? '').slice(0, 120)}`);
    }
    if (/going a bit fast|操作太快/u.test(String(callback.data?.content ?? ''))) problems.push(`${item.kind} ${id}: rate limited`);
  });
  return { sent: items.length, latencies, answered, problems, wallMs };
}

/** Feeds the `/quote` answers of a batch back to `mix` as page seeds. */
export function reseed(mix: LoadMix, result: BatchResult): void {
  for (const { item, callback } of result.answered) if (item.kind === 'quote' && callback.type === 4) mix.addSeedFrom(callback);
}

/** The q-quantile (0..1) of `values` (nearest rank). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Memory after forced garbage collection. */
export interface MemorySample {
  heapUsed: number;
  rss: number;
}

/** `global.gc`, exposing it at run time when node was not started with `--expose-gc`. */
export async function exposeGc(): Promise<() => void> {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Collects garbage thoroughly (a few passes, letting finalizers and timers run) and samples memory. */
export async function measureAfterGc(gc: () => void): Promise<MemorySample> {
  for (let i = 0; i < 4; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const usage = process.memoryUsage();
  return { heapUsed: usage.heapUsed, rss: usage.rss };
}

/** Percentage change from `before` to `after`. */
export function percentChange(before: number, after: number): number {
  return ((after - before) / before) * 100;
}
