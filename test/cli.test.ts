/** The CLI contract: output shapes, exit codes, and friendly answers to bad input. */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { parseInterview, serializeInterview } from '../src/core/corpus/format.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliIo } from '../src/cli/main.ts';
import { daysBetween, localDate } from '../src/core/schedule/time.ts';
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
    [['import', '/nonexistent/raw.txt'], /no such file: \/nonexistent\/raw\.txt/u],
    [['tip', '--date', '2026-02-30'], /YYYY-MM-DD/u],
    [['tip', '--timezone', 'CST'], /--timezone: "CST" is ambiguous: use Asia\/Shanghai or America\/Chicago/u],
    [['tip', '--timezone', '+08:00'], /--timezone: "\+08:00" is a fixed UTC offset/u],
    [['tip', '--timezone', 'Mars/Base'], /--timezone: "Mars\/Base" is not an IANA time zone/u],
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
    expect(parsed.sources.map((s: { id: string }) => s.id)).toEqual(testLibrary().interviews.map((iv) => iv.id));
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

  it('takes today in --timezone when no --date is given, reading zones as people type them', async () => {
    const east = JSON.parse((await cli(['tip', '--timezone', 'Pacific/Kiritimati', '--json'])).out[0]!); // UTC+14
    const west = JSON.parse((await cli(['tip', '--timezone', 'Pacific/Pago_Pago', '--json'])).out[0]!); // UTC-11
    expect(daysBetween(west.day, east.day)).toBeGreaterThanOrEqual(1);
    const before = localDate(new Date(), 'America/New_York');
    const est = JSON.parse((await cli(['tip', '--timezone', 'EST', '--json'])).out[0]!);
    const after = localDate(new Date(), 'America/New_York');
    expect([before, after]).toContain(est.day);
  });

  it('keeps the import command listed in the usage', async () => {
    expect((await cli(['help'])).out.join('\n')).toMatch(/import <raw-file> .*--speaker NAME/u);
  });
});

describe('import', () => {
  const tmp = (): string => mkdtempSync(join(tmpdir(), 'zhenyan-import-'));
  const rawFile = (dir: string, name: string, content: string | Buffer): string => {
    const file = join(dir, name);
    writeFileSync(file, content);
    return file;
  };

  it('writes a canonical draft atomically to --out, lists each removal and a checklist on stderr', async () => {
    const dir = tmp();
    const raw = rawFile(dir, 'raw.txt', '一次访谈\n\nimage.png\n\n张三:\n\n我们做数据库已经十年了。[00:12]\n\n张三:\n\n详见 https://example.com/a 的说明。\n\n相关文章\n|\n广告\n');
    const out = join(dir, 'interviews', 'yi-ci-fang-tan.md');
    const { code, err } = await cli(['import', raw, '--out', out]);
    expect(code).toBe(0);
    const text = readFileSync(out, 'utf8');
    const iv = parseInterview(text);
    expect(serializeInterview(iv)).toBe(text);
    expect(iv).toMatchObject({ id: 'yi-ci-fang-tan', title: '一次访谈', speakers: [{ id: 'zhang-san', name: '张三', part: 'guest' }] });
    expect(iv.body).toEqual([
      { type: 'paragraph', text: '我们做数据库已经十年了。', speakerId: 'zhang-san' },
      { type: 'paragraph', text: '详见 的说明。', speakerId: 'zhang-san' },
    ]);
    expect(text).not.toMatch(/TODO|#/u);
    expect(err).toEqual(expect.arrayContaining(['  - image: image.png', '  - timestamp: [00:12]', '  - url: https://example.com/a', '  - tail: 相关文章']));
    expect(err.some((l) => /\[ \] url:/u.test(l))).toBe(true);
    expect(err.some((l) => /\[ \] speaker zhang-san .*role and company/u.test(l))).toBe(true);
    expect(readdirSync(join(dir, 'interviews'))).toEqual(['yi-ci-fang-tan.md']);
  });

  it('refuses to overwrite without --force, and overwrites with it', async () => {
    const dir = tmp();
    const raw = rawFile(dir, 'raw.txt', '我们做数据库已经十年了。\n');
    const out = join(dir, 'talk.md');
    writeFileSync(out, 'keep me');
    const refused = await cli(['import', raw, '--out', out]);
    expect(refused.code).toBe(2);
    expect(refused.err.at(-1)).toMatch(/already exists: use --force/u);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    expect((await cli(['import', raw, '--out', out, '--force'])).code).toBe(0);
    expect(parseInterview(readFileSync(out, 'utf8')).id).toBe('talk');
  });

  it('attributes an unlabeled talk to --speaker, the editor\'s introduction stays narration', async () => {
    const dir = tmp();
    const raw = rawFile(dir, 'talk.txt', '---\ntitle: 一场演讲\ndate: 2023-02-03\nauthor: 编辑部\n---\n\n编者按:本文根据王五的演讲整理。\n\n我先讲一个故事,我们当年只有三个人。\n\n后来我们做成了。\n');
    const { code, out } = await cli(['import', raw, '--speaker', '王五', '--out', '-']);
    expect(code).toBe(0);
    const iv = parseInterview(out.join('\n'));
    expect(iv).toMatchObject({ id: 'yi-chang-yan-jiang', title: '一场演讲', date: '2023-02-03', speakers: [{ id: 'wang-wu', name: '王五', part: 'guest' }] });
    expect(iv.body.map((b) => (b.type === 'paragraph' ? b.speakerId : 'heading'))).toEqual([null, 'wang-wu', 'wang-wu']);
  });

  it('recognises 问/答 and Q/A, never takes the opening question for the title', async () => {
    const dir = tmp();
    const raw = rawFile(dir, 'qa.txt', '问:你为什么创业?\n\n答:因为我们想做一个好数据库。\n\n问:后来呢?\n\n答:后来我们做成了。\n');
    const { code, out } = await cli(['import', raw, '--speaker', '赵六', '--title', '赵六访谈', '--out', '-']);
    expect(code).toBe(0);
    const iv = parseInterview(out.join('\n'));
    expect(iv.title).toBe('赵六访谈');
    expect(iv.speakers.map((s) => [s.id, s.name, s.part])).toEqual([['host', '问', 'host'], ['zhao-liu', '赵六', 'guest']]);
    expect(iv.body[0]).toEqual({ type: 'paragraph', text: '你为什么创业?', speakerId: 'host' });
  });

  it('reads HTML through the parser: tags, scripts, images and captions go, link text stays', async () => {
    const dir = tmp();
    const raw = rawFile(
      dir,
      'page.html',
      '<html><head><title>站点</title><script>var x = 1;</script></head><body><nav>首页 | 关于</nav><h1>一次对话</h1>' +
        '<p>张三:我们做数据库已经十年了。<img src="a.png"></p><figure><img src="b.jpg"><figcaption>图:合影</figcaption></figure>' +
        '<p>张三:<a href="https://x.example/y">这篇文章</a>讲了&nbsp;细节。</p></body></html>',
    );
    const { code, out, err } = await cli(['import', raw, '--out', '-']);
    expect(code).toBe(0);
    const iv = parseInterview(out.join('\n'));
    expect(iv.title).toBe('一次对话');
    expect(iv.body.map((b) => b.text)).toEqual(['我们做数据库已经十年了。', '这篇文章讲了\u00a0细节。']);
    expect(err.join('\n')).toMatch(/caption 图:合影/u);
    expect(err.join('\n')).toMatch(/link target https:\/\/x\.example\/y/u);
  });

  it('converts GBK and UTF-16 (BOM) with a note', async () => {
    const dir = tmp();
    const text = '张三:\n\n我们做数据库已经十年了,这是第二句。\n\n张三:\n\n第三句。\n';
    const gbk = rawFile(dir, 'gbk.txt', iconv.encode(text, 'gbk'));
    const utf16 = rawFile(dir, 'utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    for (const [file, note] of [[gbk, /GBK\/GB18030/u], [utf16, /UTF-16/u]] as const) {
      const { code, out, err } = await cli(['import', file, '--out', '-']);
      expect(code).toBe(0);
      expect(err[0]).toMatch(note);
      expect(parseInterview(out.join('\n')).body[0]!.text).toBe('我们做数据库已经十年了,这是第二句。');
    }
  });

  it.each([
    ['missing', (dir: string) => join(dir, 'nope.txt'), /no such file/u],
    ['a directory', (dir: string) => dir, /is a directory/u],
    ['empty', (dir: string) => rawFile(dir, 'empty.txt', ''), /empty/u],
    ['blank', (dir: string) => rawFile(dir, 'blank.txt', ' \n\n\t\n'), /empty/u],
    ['binary', (dir: string) => rawFile(dir, 'bin', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x00, 0x00, 0xff])), /binary/u],
    ['Latin-1 (ambiguous)', (dir: string) => rawFile(dir, 'latin1.txt', Buffer.from('Caf\xe9 r\xe9sum\xe9 na\xefve, d\xe9j\xe0 vu.', 'latin1')), /cannot tell the text encoding/u],
    ['only junk', (dir: string) => rawFile(dir, 'junk.txt', 'image.png\n\nhttps://example.com\n\n[00:12]\n'), /nothing to import/u],
  ])('refuses %s input with exit 2, one line, and writes nothing', async (_name, input, message) => {
    const dir = tmp();
    const source = input(dir);
    const outDir = join(dir, 'out');
    const { code, out, err } = await cli(['import', source, '--out', join(outDir, 'x.md')]);
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(message);
    expect(err[0]).not.toMatch(/[\u0000-\u0008\ufffd]/u);
    expect(out).toEqual([]);
    expect(() => readdirSync(outDir)).toThrow();
  });

  it('refuses an --id that breaks the id rule, or one that differs from the --out file name', async () => {
    const dir = tmp();
    const raw = rawFile(dir, 'raw.txt', '我们做数据库已经十年了。\n');
    expect((await cli(['import', raw, '--id', 'Bad_Id', '--out', '-'])).err[0]).toMatch(/invalid id "Bad_Id"/u);
    expect((await cli(['import', raw, '--id', 'one', '--out', join(dir, 'two.md')])).err[0]).toMatch(/must match the file name two\.md/u);
  });
});

describe('check', () => {
  it('passes on the data as it is', async () => {
    const { code, err } = await cli(['check']);
    expect(code).toBe(0);
    expect(err.at(-1)).toMatch(/0 problem/u);
  });

  it('prints every problem of every file at once as file:line: message, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhenyan-check-'));
    mkdirSync(join(dir, 'interviews'));
    const valid = (id: string): string => `---\nid: ${id}\ntitle: T\nlanguage: zh\nkind: interview\nspeakers: []\n---\n\n一段话。\n`;
    writeFileSync(join(dir, 'interviews', 'good.md'), valid('good'));
    writeFileSync(join(dir, 'interviews', 'bad-kind.md'), valid('bad-kind').replace('kind: interview', 'kind: chat'));
    writeFileSync(join(dir, 'interviews', 'wrong-name.md'), valid('other'));
    writeFileSync(join(dir, 'interviews', 'empty.md'), '');
    const { code, out } = await cli(['check', '--data-dir', dir]);
    expect(code).toBe(1);
    const problems = out.filter((l) => !l.includes('warning:'));
    expect(problems).toEqual([
      `${join(dir, 'interviews', 'bad-kind.md')}:5: invalid kind "chat": use roundtable, interview, narrative`,
      `${join(dir, 'interviews', 'empty.md')}:1: missing front matter: the file must start with a "---" line`,
      `${join(dir, 'interviews', 'wrong-name.md')}:2: id "other" does not match the file name (expected "wrong-name")`,
    ]);
    // Relevance coverage is a warning, not a failure.
    expect(out.some((l) => /good\.md:1: warning: no relevance case/u.test(l))).toBe(true);
  });
});

describe('card', () => {
  it('writes the PNG card of a passage, atomically, in the theme asked for', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhenyan-card-'));
    const id = testLibrary().passages.find((p) => p.speakerId)!.id;
    const out = join(dir, 'card.png');
    const { code, err } = await cli(['card', id, '--out', out, '--theme', 'light']);
    expect(code).toBe(0);
    expect(err.join('\n')).toMatch(/wrote .*card\.png/u);
    const png = readFileSync(out);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(1200); // IHDR width
    expect(png.readUInt32BE(20)).toBe(630); // IHDR height
  });

  it('exits 2 with one line for an unknown id, a bad theme or a missing --out, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zhenyan-card-'));
    const out = join(dir, 'x.png');
    const id = testLibrary().passages[0]!.id;
    for (const args of [['card', 'no-such#1', '--out', out], ['card', id, '--out', out, '--theme', 'blue'], ['card', id]]) {
      const { code, err } = await cli(args);
      expect(code, args.join(' ')).toBe(2);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/^zhenyan: /u);
    }
    expect(() => readFileSync(out)).toThrow();
  });
});
