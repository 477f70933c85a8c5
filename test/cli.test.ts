/** The CLI contract: output shapes, exit codes, and friendly answers to bad input. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliIo } from '../src/cli/main.ts';
import { testLibrary } from './support/bot-harness.ts';

async function cli(argv: string[], stdin: string[] = []): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (line) => out.push(line),
    stderr: (line) => err.push(line),
    stdinLines: async function* () {
      yield* stdin;
    },
    color: false,
  };
  const code = await runCli(argv, io, testLibrary);
  return { code, out, err };
}

describe('search', () => {
  it('finds 季昕华’s 卖房创业 passage with its source (README promise)', async () => {
    const { code, out } = await cli(['search', '卖房创业']);
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text.split('\n')[0]).toContain('季昕华');
    expect(text).toContain('A计划:基础架构软件创业之道分享实录');
  });

  it('prints the JSON contract', async () => {
    const { code, out } = await cli(['search', 'TiDB', '--json', '--limit', '3']);
    expect(code).toBe(0);
    expect(out).toHaveLength(1);
    const parsed = JSON.parse(out[0]!);
    expect(parsed.query).toBe('TiDB');
    expect(parsed.results).toHaveLength(3);
    const first = parsed.results[0];
    expect(Object.keys(first).sort()).toEqual(['context', 'date', 'id', 'narration', 'publication', 'question', 'quote', 'score', 'source', 'speaker', 'title', 'url', 'words'].sort());
    expect(first.quote).toContain(first.words);
    expect(typeof first.score).toBe('number');
    expect(first.quote).toContain('TiDB');
    expect(first.date === null || /^\d{4}-\d{2}-\d{2}$/u.test(first.date)).toBe(true);
  });

  it('gives the speaker’s own words apart from narration, and the question an answer follows', async () => {
    const { library } = await import('./support/bot-harness.ts').then((m) => ({ library: m.testLibrary() }));
    const mixed = library.passages.find((p) => p.quoteSpans !== null && p.speakerId !== null)!;
    const words = mixed.text.slice(mixed.quoteSpans![0]!.start, mixed.quoteSpans![mixed.quoteSpans!.length - 1]!.end);
    const found = JSON.parse((await cli(['search', words, '--json', '--limit', '50'])).out[0]!).results.find((r: { id: string }) => r.id === mixed.id);
    expect(found.words).toBe(words);
    expect(found.narration.before ?? found.narration.after).toBeTruthy();
    const answer = library.passages.find((p) => p.answersTo !== null)!;
    const record = JSON.parse((await cli(['search', answer.text, '--json', '--limit', '50'])).out[0]!).results.find((r: { id: string }) => r.id === answer.id);
    expect(record.question.id).toBe(answer.answersTo);
    expect(record.question.text.length).toBeLessThanOrEqual(60);
  });

  it('returns the best hit per speaker with --per-speaker', async () => {
    const parsed = JSON.parse((await cli(['search', '开源', '--per-speaker', '--json', '--limit', '4'])).out[0]!);
    const speakers = parsed.results.map((r: { speaker: string | null }) => r.speaker);
    expect(speakers.length).toBeGreaterThan(1);
    expect(speakers.length).toBeLessThanOrEqual(4);
    expect(new Set(speakers).size).toBe(speakers.length);
    expect(speakers).not.toContain(null);
  });

  it('filters by speaker alias and by source', async () => {
    const bySpeaker = JSON.parse((await cli(['search', '创业', '--speaker', '老季', '--json'])).out[0]!);
    expect(bySpeaker.results.length).toBeGreaterThan(0);
    expect(bySpeaker.results.every((r: { speaker: string }) => r.speaker === '季昕华')).toBe(true);
    const bySource = JSON.parse((await cli(['search', '云', '--source', 'zstack-productized-cloud', '--json'])).out[0]!);
    expect(bySource.results.every((r: { source: string }) => r.source === 'zstack-productized-cloud')).toBe(true);
  });

  it('answers one JSON line per stdin query', async () => {
    const { code, out } = await cli(['search', '--stdin', '--json'], ['云备胎', '', 'Docker']);
    expect(code).toBe(0);
    expect(out).toHaveLength(3);
    expect(JSON.parse(out[1]!).problem).toBe('empty');
    expect(JSON.parse(out[2]!).results[0].speaker).toBe('Qi Jun');
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['？！。，', 'no-terms'],
    ['🎉🚀😀', 'no-terms'],
  ])('explains the query %j instead of failing', async (query, problem) => {
    const { code, out } = await cli(['search', query, '--json']);
    expect(code).toBe(0);
    const parsed = JSON.parse(out[0]!);
    expect(parsed.results).toEqual([]);
    expect(parsed.problem).toBe(problem);
    expect(parsed.message.length).toBeGreaterThan(10);
  });

  it('handles a 10,000-character query', async () => {
    const { code, out } = await cli(['search', '云计算'.repeat(3334), '--json']);
    expect(code).toBe(0);
    const parsed = JSON.parse(out[0]!);
    expect(parsed.truncated).toBe(true);
    expect(parsed.results.length).toBeGreaterThan(0);
  });

  it('forgives a typo in a long Latin word (fuzzy)', async () => {
    const parsed = JSON.parse((await cli(['search', 'kubernetse', '--json'])).out[0]!);
    expect(parsed.results.length).toBeGreaterThan(0);
  });

  it('suggests a correction when nothing matches', async () => {
    const parsed = JSON.parse((await cli(['search', 'dockr', '--json'])).out[0]!);
    expect(parsed.results).toEqual([]);
    expect(parsed.suggestions).toContain('docker');
    const human = (await cli(['search', 'dockr'])).out.join('\n');
    expect(human).toContain('Did you mean: docker');
  });

  it.each([
    [['search'], /one query/u],
    [['search', 'a', 'b'], /one query/u],
    [['search', 'x', '--limit', '0'], /--limit/u],
    [['search', 'x', '--bogus'], /bogus/u],
    [['search', '--stdin'], /--json/u],
    [['frobnicate'], /unknown command/u],
    [['passages'], /--json/u],
    [['import'], /one file/u],
    [['import', '/nonexistent/raw.txt'], /cannot read/u],
    [['tip', '--date', '2026-02-30'], /YYYY-MM-DD/u],
  ])('exits 2 with one line on stderr for %j', async (argv, message) => {
    const { code, err, out } = await cli(argv);
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
    expect(out).toEqual([]);
  });
});

describe('sources, passages, tip, import', () => {
  it('lists the interviews with speakers and passage counts', async () => {
    const parsed = JSON.parse((await cli(['sources', '--json'])).out[0]!);
    expect(parsed.sources).toHaveLength(5);
    for (const source of parsed.sources) {
      expect(source.passages).toBeGreaterThan(0);
      expect(source.speakers.length).toBeGreaterThan(0);
    }
  });

  it('prints every passage as JSON Lines', async () => {
    const { out } = await cli(['passages', '--json']);
    expect(out.length).toBe(testLibrary().passages.length);
    expect(Object.keys(JSON.parse(out[0]!))).toEqual(['id', 'text', 'speaker', 'source', 'title']);
  });

  it('gives the same tip for the same channel and day, in the documented shape', async () => {
    const a = JSON.parse((await cli(['tip', '--date', '2026-11-22', '--channel', '123456789012345678', '--json'])).out[0]!);
    const b = JSON.parse((await cli(['tip', '--date', '2026-11-22', '--channel', '123456789012345678', '--json'])).out[0]!);
    expect(a).toEqual(b);
    expect(a.day).toBe('2026-11-22');
    expect(a.channel).toBe('123456789012345678');
    expect(a.tip).not.toHaveProperty('score');
    expect(a.tip.speaker).not.toBeNull();
  });

  it('drafts a data file from a raw text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhenyan-import-'));
    const raw = join(dir, 'raw.txt');
    writeFileSync(raw, '一次访谈\n\nimage.png\n\n张三:\n\n我们做数据库已经十年了。\n\n相关文章\n|\n广告\n');
    const { code, out, err } = await cli(['import', raw]);
    expect(code).toBe(0);
    const draft = out.join('\n');
    expect(draft).toContain('我们做数据库已经十年了。');
    expect(draft).not.toContain('image.png');
    expect(draft).not.toContain('相关文章');
    expect(err[0]).toMatch(/draft written/u);
  });
});
