import { describe, expect, it } from 'vitest';
import { errorOf } from './support/errors.ts';
import fc from 'fast-check';
import { MAX_ID_LENGTH, parseInterview, serializeInterview } from '../src/core/corpus/format.ts';
import type { BodyBlock, Interview } from '../src/core/corpus/types.ts';

const sample: Interview = {
  id: 'sample-talk',
  title: 'A计划:基础架构软件创业之道分享实录',
  publication: '思否',
  date: '2020-06-16',
  url: null,
  language: 'zh',
  kind: 'roundtable',
  speakers: [
    { id: 'ji-xinhua', name: '季昕华', aliases: ['老季', 'Ji Xinhua'], role: '创始人', company: 'UCloud' },
    { id: 'liu-chao', name: '刘超', aliases: [], role: null, company: null },
  ],
  body: [
    { type: 'paragraph', text: '分享人:', speakerId: null },
    { type: 'paragraph', text: '谢谢Ruby,谢谢刘超。非常开心有机会能和大家交流。', speakerId: 'ji-xinhua' },
    { type: 'paragraph', text: '其实我也是一样。', speakerId: 'ji-xinhua' },
    { type: 'heading', text: '问答环节' },
    { type: 'paragraph', text: '外包的过程当中或许是能够发现机会的。', speakerId: 'liu-chao' },
    { type: 'paragraph', text: '“不,明天你自己去杭州培训代理商。”尤永康说。', speakerId: null },
  ],
};

/** A minimal valid file with `body` after the front matter (front matter is lines 1-12). */
function file(body: string, front = ''): string {
  return `---
id: t
title: T
publication: null
date: null
url: null
language: zh
kind: narrative
speakers:
  - { id: a, name: 甲, aliases: [], role: null, company: null }
  - { id: b, name: 乙 }
${front}---

${body}
`;
}

describe('serializeInterview / parseInterview', () => {
  it('round-trips an interview', () => {
    const text = serializeInterview(sample);
    expect(parseInterview(text)).toEqual(sample);
    expect(serializeInterview(parseInterview(text))).toBe(text);
  });

  it('writes speaker blocks, headings and blank-line separated paragraphs', () => {
    const text = serializeInterview(sample);
    expect(text.startsWith('---\nid: sample-talk\n')).toBe(true);
    expect(text).toContain('::: speaker ji-xinhua\n\n谢谢Ruby,谢谢刘超。非常开心有机会能和大家交流。\n\n其实我也是一样。\n\n:::\n\n## 问答环节\n');
    expect(text).toContain('aliases: [ 老季, Ji Xinhua ]');
    expect(text.endsWith('尤永康说。\n')).toBe(true);
  });

  it('parses blocks, headings, narration and optional fields', () => {
    const parsed = parseInterview(file('narration\n\n::: speaker a\n\n  one  \n\ntwo\n:::\n\n## Section\n\n::: speaker b\nthree\n:::'));
    expect(parsed.speakers[1]).toEqual({ id: 'b', name: '乙', aliases: [], role: null, company: null });
    expect(parsed.body).toEqual<BodyBlock[]>([
      { type: 'paragraph', text: 'narration', speakerId: null },
      { type: 'paragraph', text: 'one', speakerId: 'a' },
      { type: 'paragraph', text: 'two', speakerId: 'a' },
      { type: 'heading', text: 'Section' },
      { type: 'paragraph', text: 'three', speakerId: 'b' },
    ]);
  });

  it('accepts CRLF line endings', () => {
    expect(parseInterview(serializeInterview(sample).replace(/\n/g, '\r\n'))).toEqual(sample);
  });

  it('round-trips arbitrary bodies (property)', () => {
    const text = fc
      .string({ minLength: 1, maxLength: 30 })
      .map((s) => s.replace(/[\r\n\u2028\u2029\u0085]/g, ' ').trim())
      .filter((s) => s !== '' && !s.startsWith('#') && !s.startsWith(':::') && s.trim() === s && !s.includes('{{') && !s.includes('}}'));
    const block: fc.Arbitrary<BodyBlock> = fc.oneof(
      text.map((t) => ({ type: 'heading' as const, text: t })),
      fc.record({ type: fc.constant('paragraph' as const), text, speakerId: fc.constantFrom(null, 'ji-xinhua', 'liu-chao') }),
    );
    fc.assert(
      fc.property(fc.array(block, { maxLength: 12 }), (body) => {
        const x = { ...sample, body };
        expect(parseInterview(serializeInterview(x))).toEqual(x);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses to serialize text that cannot round-trip', () => {
    const bad = (text: string) => ({ ...sample, body: [{ type: 'paragraph' as const, text, speakerId: null }] });
    expect(() => serializeInterview(bad('two\nlines'))).toThrow(/line break/);
    expect(() => serializeInterview(bad('## looks like a heading'))).toThrow(/heading/);
    expect(() => serializeInterview(bad(' padded'))).toThrow(/whitespace/);
    // `{{` and `}}` in a paragraph are quote-span markup (data/README.md): plain text cannot hold them.
    expect(() => serializeInterview(bad('a {{ b'))).toThrow(/quote markup/);
  });
});

describe('parseInterview validation', () => {
  it('prefixes every error with zhenyan: <origin>:<line>:', () => {
    expect(errorOf(() => parseInterview('no front matter', 'x.md'))).toBe(
      'zhenyan: x.md:1: missing front matter: the file must start with a "---" line',
    );
    expect(errorOf(() => parseInterview('---\nid: t\n'))).toMatch(/^zhenyan: <string>:1: unclosed front matter/);
  });

  it('rejects missing fields', () => {
    const src = file('x').replace('title: T\n', '');
    expect(errorOf(() => parseInterview(src, 'f.md'))).toMatch(/^zhenyan: f\.md:\d+: missing field "title"$/);
    expect(errorOf(() => parseInterview(file('x').replace(/speakers:[\s\S]*?---/, '---'), 'f.md'))).toMatch(/missing field "speakers"/);
  });

  it('rejects invalid fields, with the line of the field', () => {
    expect(errorOf(() => parseInterview(file('x').replace('language: zh', 'language: fr'), 'f.md'))).toBe(
      'zhenyan: f.md:7: invalid language "fr": use zh or en',
    );
    expect(errorOf(() => parseInterview(file('x').replace('kind: narrative', 'kind: essay'), 'f.md'))).toMatch(/^zhenyan: f\.md:8: invalid kind/);
    expect(errorOf(() => parseInterview(file('x').replace('title: T', 'title: ""'), 'f.md'))).toMatch(/^zhenyan: f\.md:3: field "title"/);
    expect(errorOf(() => parseInterview(file('x', 'titel: oops\n'), 'f.md'))).toBe('zhenyan: f.md:12: unknown front matter field "titel"');
    expect(errorOf(() => parseInterview(file('x').replace('{ id: b, name: 乙 }', '{ id: b }'), 'f.md'))).toMatch(/^zhenyan: f\.md:11: speaker #2: missing field "name"/);
    expect(errorOf(() => parseInterview(file('x').replace('url: null', 'url: not a link'), 'f.md'))).toMatch(/^zhenyan: f\.md:6: invalid url/);
  });

  it('rejects ids that are not lowercase-dashed or longer than MAX_ID_LENGTH', () => {
    expect(errorOf(() => parseInterview(file('x').replace('id: t', 'id: Bad_Id'), 'f.md'))).toBe(
      `zhenyan: f.md:2: invalid id "Bad_Id": use lowercase a-z, 0-9 and single dashes, at most ${MAX_ID_LENGTH} characters`,
    );
    const longest = `${'a'.repeat(MAX_ID_LENGTH - 2)}-b`;
    expect(parseInterview(file('x').replace('id: t', `id: ${longest}`), 'f.md').id).toBe(longest);
    expect(errorOf(() => parseInterview(file('x').replace('id: t', `id: ${longest}c`), 'f.md'))).toMatch(/invalid id "a+-bc"/);
    expect(errorOf(() => parseInterview(file('x').replace('{ id: b,', `{ id: ${'b'.repeat(MAX_ID_LENGTH + 1)},`), 'f.md'))).toMatch(/invalid speaker id "b+"/);
    expect(errorOf(() => parseInterview(file('x').replace('id: t', 'id: a--b'), 'f.md'))).toMatch(/invalid id "a--b"/);
    expect(errorOf(() => parseInterview(file('x').replace('{ id: b,', '{ id: B b,'), 'f.md'))).toMatch(/^zhenyan: f\.md:11: invalid speaker id "B b"/);
  });

  it('rejects dates that are not YYYY-MM-DD or null', () => {
    expect(errorOf(() => parseInterview(file('x').replace('date: null', 'date: 2020-8-1'), 'f.md'))).toBe(
      'zhenyan: f.md:5: invalid date "2020-8-1": use YYYY-MM-DD or null',
    );
    expect(errorOf(() => parseInterview(file('x').replace('date: null', 'date: 2020-02-30'), 'f.md'))).toMatch(/invalid date "2020-02-30"/);
    expect(parseInterview(file('x').replace('date: null', 'date: 2020-02-29')).date).toBe('2020-02-29');
  });

  it('rejects duplicate speaker ids', () => {
    expect(errorOf(() => parseInterview(file('x').replace('{ id: b,', '{ id: a,'), 'f.md'))).toBe('zhenyan: f.md:11: duplicate speaker id "a"');
  });

  it('rejects an unknown speaker id in a block, with its line', () => {
    // Body starts on line 14.
    expect(errorOf(() => parseInterview(file('intro\n\n::: speaker c\n\nx\n\n:::'), 'f.md'))).toBe(
      'zhenyan: f.md:16: unknown speaker id "c" (declare it under speakers)',
    );
  });

  it('rejects unclosed, nested and stray blocks', () => {
    expect(errorOf(() => parseInterview(file('::: speaker a\n\nx'), 'f.md'))).toBe('zhenyan: f.md:14: unclosed speaker block "a"');
    expect(errorOf(() => parseInterview(file('::: speaker a\n\nx\n\n::: speaker b\n\ny\n\n:::\n\n:::'), 'f.md'))).toBe(
      'zhenyan: f.md:18: nested speaker block: block "a" opened on line 14 is not closed',
    );
    expect(errorOf(() => parseInterview(file('x\n\n:::'), 'f.md'))).toBe('zhenyan: f.md:16: closing ":::" without an open speaker block');
    expect(errorOf(() => parseInterview(file('::: speaker a\n:::'), 'f.md'))).toMatch(/empty speaker block "a"/);
    expect(errorOf(() => parseInterview(file('::: quote a'), 'f.md'))).toMatch(/unknown directive/);
    expect(errorOf(() => parseInterview(file('::: speaker a\n\n## h\n\nx\n\n:::'), 'f.md'))).toMatch(/^zhenyan: f\.md:16: heading inside speaker block/);
  });

  it('rejects a paragraph spanning two lines', () => {
    expect(errorOf(() => parseInterview(file('first line\nsecond line'), 'f.md'))).toBe(
      'zhenyan: f.md:15: a paragraph may not span lines: separate paragraphs with a blank line',
    );
  });

  it('reports YAML syntax errors', () => {
    expect(errorOf(() => parseInterview(file('x').replace('title: T', 'title: [unclosed'), 'f.md'))).toMatch(/^zhenyan: f\.md:\d+: invalid YAML front matter/);
  });
});
