import { copyFileSync, cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInterview, serializeInterview } from '../src/core/corpus/format.ts';
import { containsJunk, isJunkParagraph, KNOWN_SPAM_PHRASES } from '../src/core/corpus/junk.ts';
import { DATA_DIR, INTERVIEWS_DIR, loadCorpus, readCorpus } from '../src/core/corpus/load.ts';
import type { Interview } from '../src/core/corpus/types.ts';
import shipped from './fixtures/shipped-corpus.json' with { type: 'json' };
import { IMPORT_FIXTURES } from './support/import-eval.ts';
import { buildPassages, charLength, DEFAULT_MAX_CHARS, DEFAULT_MIN_CHARS, splitSentences } from '../src/core/corpus/passages.ts';

const interviews = loadCorpus();
const passages = buildPassages(interviews);
const ENDS_SENTENCE = /(?:[。！？!?；…]|\.)[”’」』）)】"']*$/u;

/**
 * A copy of data/interviews grown by the reviewed results of the import fixtures (six interviews the
 * shipped corpus does not have): every property below must hold for it too, so adding a valid interview
 * breaks no test.
 */
function grownCorpusDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'zhenyan-grown-'));
  cpSync(INTERVIEWS_DIR, dir, { recursive: true });
  for (const name of readdirSync(IMPORT_FIXTURES).filter((n) => n.endsWith('.expected.md'))) {
    copyFileSync(path.join(IMPORT_FIXTURES, name), path.join(dir, name.replace('.expected.md', '.md')));
  }
  return dir;
}

/** Properties of any valid corpus: they describe whatever interviews `dir` holds. */
function corpusProperties(label: string, dir: string): void {
  const interviews = loadCorpus(dir);
  const passages = buildPassages(interviews);
  const paragraphs = interviews.flatMap((iv) =>
    iv.body.flatMap((b) => (b.type === 'paragraph' ? [{ interview: iv, text: b.text, speakerId: b.speakerId }] : [])),
  );

  describe(`corpus properties: ${label}`, () => {
    it('loads every file, sorted by id, ids unique', () => {
      const ids = interviews.map((iv) => iv.id);
      expect(ids).toEqual([...ids].sort());
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toEqual(readdirSync(dir).filter((n) => n.endsWith('.md')).map((n) => n.slice(0, -3)).sort());
    });

    it('stores every file in canonical form (serialize(parse(file)) is the file)', () => {
      for (const iv of interviews) {
        const text = readFileSync(path.join(dir, `${iv.id}.md`), 'utf8');
        expect(serializeInterview(parseInterview(text))).toBe(text);
      }
    });

    it('has a url only when it is a real link (never a placeholder)', () => {
      for (const iv of interviews) if (iv.url !== null) expect(iv.url, iv.id).toMatch(/^https?:\/\/[^\s/]+\.[^\s]+$/);
    });

    it('contains no junk: image names, links, URLs, promo or QR text, footers, timestamps', () => {
      const offenders = [
        ...paragraphs.map((p) => p.text),
        ...interviews.flatMap((iv) => iv.body.filter((b) => b.type === 'heading').map((b) => b.text)),
        ...passages.map((p) => p.text),
      ].filter((t) => containsJunk(t));
      expect(offenders).toEqual([]);
    });

    it('contains no known spam phrase anywhere', () => {
      expect(KNOWN_SPAM_PHRASES.length).toBeGreaterThan(0);
      for (const iv of interviews) {
        const all = [iv.title, ...iv.body.map((b) => b.text)].join('\n');
        for (const phrase of KNOWN_SPAM_PHRASES) expect(all, `${iv.id}: ${phrase}`).not.toContain(phrase);
      }
    });

    it('contains none of the specific junk seen in the raw sources', () => {
      const all = interviews.flatMap((iv) => iv.body.map((b) => b.text)).join('\n');
      for (const junk of ['image.png', '640.webp', '.jpg', '.JPG', '![](', '相关文章', '二维码', 'Copyright', '首页 > 科技', '阅读原文', '戳链接', '💡', '👉', '**']) {
        expect(all).not.toContain(junk);
      }
      expect(paragraphs.filter((p) => isJunkParagraph(p.text) || p.text === '|')).toEqual([]);
    });

    it('attributes only to declared speakers, and every passage to its speaker', () => {
      for (const p of paragraphs) {
        if (p.speakerId !== null) expect(p.interview.speakers.map((s) => s.id)).toContain(p.speakerId);
      }
      for (const p of passages) {
        const iv = interviews.find((x) => x.id === p.interviewId)!;
        expect(p.speakerName).toBe(p.speakerId === null ? null : iv.speakers.find((s) => s.id === p.speakerId)!.name);
      }
    });

    it('cuts passages that belong to existing interviews, with unique ids', () => {
      const ids = new Set(interviews.map((iv) => iv.id));
      for (const p of passages) expect(ids.has(p.interviewId)).toBe(true);
      expect(new Set(passages.map((p) => p.id)).size).toBe(passages.length);
      for (const p of passages) expect(p.id).toMatch(new RegExp(`^${p.interviewId}#${p.paragraphIndex}(\\.[1-9]\\d*)?$`));
      for (const iv of interviews) expect(passages.some((p) => p.interviewId === iv.id), `${iv.id} has passages`).toBe(true);
    });

    it('never cuts a passage inside a sentence', () => {
      const byParagraph = new Map<string, typeof passages>();
      for (const p of passages) {
        const key = `${p.interviewId}#${p.paragraphIndex}`;
        byParagraph.set(key, [...(byParagraph.get(key) ?? []), p]);
      }
      for (const [key, parts] of byParagraph) {
        const iv = interviews.find((x) => x.id === parts[0]!.interviewId)!;
        const paragraph = iv.body.filter((b) => b.type === 'paragraph')[parts[0]!.paragraphIndex]!.text;
        // Each part is verbatim, and the parts put back together are the paragraph (up to the whitespace
        // between sentences); each part is a run of the paragraph's sentences.
        for (const part of parts) expect(paragraph, key).toContain(part.text);
        expect(parts.map((p) => p.text).join('').replace(/\s+/g, ''), key).toBe(paragraph.replace(/\s+/g, ''));
        const sentences = splitSentences(paragraph);
        for (const part of parts.slice(0, -1)) expect(part.text, key).toMatch(ENDS_SENTENCE);
        for (const part of parts) {
          const own = splitSentences(part.text);
          for (const s of own) expect(sentences, key).toContain(s);
          if (charLength(part.text) > DEFAULT_MAX_CHARS) expect(own.length, `${key}: long part must be one sentence`).toBe(1);
        }
      }
    });

    it('skips short paragraphs as passages', () => {
      for (const p of passages) expect(charLength(p.text)).toBeGreaterThanOrEqual(parts(p.id) ? 1 : DEFAULT_MIN_CHARS);
    });
  });
}

corpusProperties('data/ as shipped', INTERVIEWS_DIR);
corpusProperties('data/ grown by six imported interviews', grownCorpusDir());

describe('the shipped corpus (test/fixtures/shipped-corpus.json)', () => {
  const byId = new Map(interviews.map((iv) => [iv.id, iv]));

  it('holds every shipped interview, with the metadata its text states', () => {
    for (const expected of shipped.interviews) {
      expect(byId.get(expected.id), expected.id).toMatchObject(expected as Partial<Interview>);
    }
    expect(path.isAbsolute(DATA_DIR)).toBe(true);
    if (!process.env.ZHENYAN_DATA_DIR) expect(path.basename(DATA_DIR)).toBe('data');
  });

  it('loads from any working directory', () => {
    const cwd = process.cwd();
    try {
      process.chdir(tmpdir());
      expect(loadCorpus().map((iv) => iv.id)).toEqual(interviews.map((iv) => iv.id));
    } finally {
      process.chdir(cwd);
    }
  });

  it('keeps a short paragraph as context of the quote before it', () => {
    const zstack = byId.get('zstack-productized-cloud')!;
    const paras = zstack.body.filter((b) => b.type === 'paragraph');
    const said = paras.findIndex((b) => b.text === '尤永康说。');
    expect(said).toBeGreaterThan(0);
    expect(passages.some((p) => p.text === '尤永康说。')).toBe(false);
    const quote = passages.find((p) => p.interviewId === zstack.id && p.paragraphIndex === said - 1)!;
    expect(quote.context.after).toBe('尤永康说。');
    expect(quote.context.before).toBe(paras[said - 2]!.text);
  });

  it('gives passages their section', () => {
    const p = passages.find((x) => x.text.startsWith('首先我提的一个问题代表我们基金'))!;
    expect(p.section).toBe('问答环节');
    const first = passages.find((x) => x.interviewId === 'a-plan-infra-startups' && x.paragraphIndex === 0)!;
    expect(first.section).toBeNull();
    expect(first.context.before).toBeNull();
  });
});

function parts(id: string): boolean {
  return id.includes('.');
}

describe('loadCorpus checks', () => {
  const valid = (id: string) => `---\nid: ${id}\ntitle: T\nlanguage: zh\nkind: interview\nspeakers: []\n---\n\n一段话。\n`;

  it('rejects a file whose name is not its id', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zhenyan-'));
    writeFileSync(path.join(dir, 'other.md'), valid('some-id'));
    expect(() => loadCorpus(dir)).toThrow(/id "some-id" does not match the file name/);
  });

  it('rejects two files with the same id', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zhenyan-'));
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'a.md'), valid('a'));
    writeFileSync(path.join(dir, 'A.md'), valid('a'));
    expect(() => loadCorpus(dir)).toThrow(/zhenyan: .*(duplicate interview id "a"|does not match the file name)/);
  });

  it('skips a bad or empty file with its problem, and keeps the others (readCorpus)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zhenyan-'));
    writeFileSync(path.join(dir, 'a.md'), valid('a'));
    writeFileSync(path.join(dir, 'empty.md'), '');
    writeFileSync(path.join(dir, 'c.md'), valid('c').replace('kind: interview', 'kind: chat'));
    const { interviews, problems } = readCorpus(dir);
    expect(interviews.map((iv) => iv.id)).toEqual(['a']);
    expect(problems).toEqual([
      { file: path.join(dir, 'c.md'), line: 5, message: 'invalid kind "chat": use roundtable, interview, narrative' },
      { file: path.join(dir, 'empty.md'), line: 1, message: 'missing front matter: the file must start with a "---" line' },
    ]);
  });

  it('reads only *.md files, sorted by id', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zhenyan-'));
    writeFileSync(path.join(dir, 'b.md'), valid('b'));
    writeFileSync(path.join(dir, 'a.md'), valid('a'));
    writeFileSync(path.join(dir, 'notes.txt'), 'ignored');
    expect(loadCorpus(dir).map((iv) => iv.id)).toEqual(['a', 'b']);
  });
});
