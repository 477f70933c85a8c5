/**
 * Questions and answers as structure (speaker parts), quote spans inside mixed paragraphs, and how search
 * uses them: on small hand-written interviews (so each rule is seen on its own), and as properties of the
 * shipped corpus (so a new interview cannot break them).
 */
import { describe, expect, it } from 'vitest';
import { errorOf } from './support/errors.ts';
import { parseInterview, serializeInterview } from '../src/core/corpus/format.ts';
import { buildPassages } from '../src/core/corpus/passages.ts';
import { speakerPart, type Interview } from '../src/core/corpus/types.ts';
import { QuoteIndex } from '../src/core/search/engine.ts';
import { fillerShare, passagePrior } from '../src/core/search/ranking.ts';
import { testLibrary } from './support/bot-harness.ts';

function file(body: string, speakers = ''): string {
  return `---
id: t
title: T
publication: null
date: null
url: null
language: zh
kind: roundtable
speakers:
  - { id: host, name: 主持人甲, aliases: [], role: null, company: null, part: host }
  - { id: a, name: 嘉宾乙, aliases: [], role: null, company: null }
  - { id: b, name: 嘉宾丙, aliases: [], role: null, company: null, part: guest }
  - { id: crowd, name: 观众, aliases: [], role: null, company: null, part: audience }
${speakers}---

${body}
`;
}

describe('speaker parts in the front matter', () => {
  it('reads part (host, guest, audience), defaults to guest, and round-trips a file with or without it', () => {
    const text = file('::: speaker a\n\n一段话一段话一段话一段话。\n\n:::');
    const interview = parseInterview(text);
    expect(interview.speakers.map((s) => speakerPart(s))).toEqual(['host', 'guest', 'guest', 'audience']);
    expect(interview.speakers[1]!.part).toBeUndefined();
    expect(serializeInterview(interview)).toBe(serializeInterview(parseInterview(serializeInterview(interview))));
    expect(parseInterview(serializeInterview(interview))).toEqual(interview);
  });

  it('rejects an unknown part with its line', () => {
    const text = file('x', '  - { id: c, name: 丁, part: moderator }\n');
    expect(errorOf(() => parseInterview(text, 'f.md'))).toMatch(/^zhenyan: f\.md:\d+: speaker "c": invalid part "moderator"/);
  });
});

describe('quote spans ({{…}})', () => {
  it('removes the markup, keeps the text verbatim and records the spans', () => {
    const interview = parseInterview(file('::: speaker a\n\n他心里有点打鼓:“{{这事能成吗。}}”\n\n“{{好。}}”他说。\n\n:::'));
    const [first, second] = interview.body;
    expect(first).toMatchObject({ text: '他心里有点打鼓:“这事能成吗。”', quoteSpans: [{ start: 9, end: 15 }] });
    expect(second).toMatchObject({ text: '“好。”他说。', quoteSpans: [{ start: 1, end: 3 }] });
    expect(serializeInterview(interview)).toContain('他心里有点打鼓:“{{这事能成吗。}}”');
    expect(parseInterview(serializeInterview(interview))).toEqual(interview);
  });

  it('rejects unclosed, stray, nested or empty spans, and spans outside a speaker block', () => {
    expect(errorOf(() => parseInterview(file('::: speaker a\n\n前{{后\n\n:::')))).toMatch(/unclosed "\{\{"/);
    expect(errorOf(() => parseInterview(file('::: speaker a\n\n前}}后\n\n:::')))).toMatch(/"\}\}" without "\{\{"/);
    expect(errorOf(() => parseInterview(file('::: speaker a\n\n{{前{{中}}后}}\n\n:::')))).toMatch(/nested/);
    expect(errorOf(() => parseInterview(file('::: speaker a\n\n前{{ }}后\n\n:::')))).toMatch(/empty quote span/);
    expect(errorOf(() => parseInterview(file('旁白{{引语}}旁白')))).toMatch(/outside a speaker block/);
  });

  it('gives passages the spans, relative to the passage text', () => {
    const passages = buildPassages([parseInterview(file('::: speaker a\n\n他心里有点打鼓,想了很久:“{{这些年我们一直在网上聊天。}}”\n\n:::'))]);
    const p = passages[0]!;
    expect(p.quoteSpans).toHaveLength(1);
    expect(p.text.slice(p.quoteSpans![0]!.start, p.quoteSpans![0]!.end)).toBe('这些年我们一直在网上聊天。');
  });

  it('marks the shipped narrative: every span is inside its paragraph and leaves narration outside it', () => {
    const { passages } = testLibrary();
    const mixed = passages.filter((p) => p.quoteSpans !== null);
    expect(mixed.length).toBeGreaterThan(0);
    for (const p of mixed) {
      expect(p.speakerId, p.id).not.toBeNull();
      let outside = p.text.slice(0, p.quoteSpans![0]!.start);
      p.quoteSpans!.forEach((span, i) => {
        expect(span.end, p.id).toBeGreaterThan(span.start);
        expect(span.end, p.id).toBeLessThanOrEqual(p.text.length);
        outside += p.text.slice(span.end, p.quoteSpans![i + 1]?.start ?? p.text.length);
      });
      expect(outside, p.id).toMatch(/[\p{L}\p{N}]/u);
    }
  });
});

describe('questions and answers', () => {
  const interview: Interview = parseInterview(
    file(
      [
        '::: speaker host',
        '好的,下一个问题。创业最难的是什么?',
        ':::',
        '::: speaker a',
        '最难的是找到第一批愿意付钱的客户。',
        '其次是把团队凝聚在一起,这需要时间。',
        ':::',
        '::: speaker b',
        '我补充一点,现金流也很难管理好。你们怎么看融资节奏?',
        ':::',
        '::: speaker a',
        '融资节奏要跟着产品的进度走才好。',
        ':::',
        '::: speaker host',
        '谢谢两位嘉宾的精彩回答,掌声送给他们。',
        ':::',
        '他们在台下接着聊天,聊到很晚?',
        '## 另一节',
        '::: speaker a',
        '这一节的话与上面的问题没有关系。',
        ':::',
      ].join('\n\n'),
    ),
  );
  const passages = buildPassages([interview]);
  const byText = (start: string) => passages.find((p) => p.text.startsWith(start))!;

  it('links a host turn to the guests’ paragraphs after it, and a guest asking another guest to that answer', () => {
    const question = byText('好的,下一个问题');
    expect(question.part).toBe('host');
    // Every guest until the next turn of the host: 嘉宾丙's remark too.
    expect(question.answers).toEqual([byText('最难的是').id, byText('其次是').id, byText('我补充一点').id]);
    expect(byText('最难的是').answersTo).toBe(question.id);
    const guestQuestion = byText('我补充一点');
    expect(guestQuestion.answers).toEqual([byText('融资节奏').id]);
    expect(byText('融资节奏').answersTo).toBe(guestQuestion.id);
  });

  it('does not cross narration, another host turn or a heading', () => {
    expect(byText('谢谢两位嘉宾').answers).toEqual([]);
    expect(byText('他们在台下').answers).toEqual([]);
    expect(byText('这一节的话').answersTo).toBeNull();
  });

  it('has, in the shipped corpus, answers that exist, are guests’ words and come after their question', () => {
    const { passages: all } = testLibrary();
    const byId = new Map(all.map((p) => [p.id, p]));
    const questions = all.filter((p) => p.answers.length > 0);
    expect(questions.length).toBeGreaterThan(0);
    for (const q of questions) {
      for (const id of q.answers) {
        const answer = byId.get(id)!;
        expect(answer, id).toBeDefined();
        expect(answer.part, id).toBe('guest');
        expect(answer.interviewId).toBe(q.interviewId);
        expect(answer.paragraphIndex, id).toBeGreaterThan(q.paragraphIndex);
        expect(byId.get(answer.answersTo!)!.paragraphIndex).toBe(q.paragraphIndex);
      }
    }
  });
});

describe('ranking over the structure', () => {
  it('ranks the answer above the question it follows, and finds the question with the host as speaker filter', () => {
    const { index, passages } = testLibrary();
    for (const question of passages.filter((p) => p.answers.length > 0 && (p.part === 'host' || p.part === 'audience'))) {
      // The question's own words as the query: the echo is the best text match, the answer must still win.
      const hits = index.search({ text: question.text, limit: 50 }).hits.map((h) => h.passage.id);
      const at = hits.indexOf(question.id);
      const firstAnswer = hits.findIndex((id) => question.answers.includes(id));
      expect(firstAnswer, question.id).toBeGreaterThanOrEqual(0);
      if (at >= 0) expect(firstAnswer, question.id).toBeLessThan(at);
      const speaker = question.speakerName!;
      expect(index.search({ text: question.text, speaker, limit: 1 }).hits[0]?.passage.speakerName).toBe(speaker);
    }
  });

  it('demotes procedural filler, questions, fragments and the host against the same words from a guest', () => {
    const base = { id: 'x#1', speakerId: 'a', speakerName: '乙', interviewId: 'x', paragraphIndex: 1, section: null, context: { before: null, after: null }, quoteSpans: null, answersTo: null, answers: [] };
    const guest = { ...base, part: 'guest' as const, text: '我们最早的客户都是自己一家一家拜访出来的,没有捷径,也没有什么别的好办法。' };
    expect(passagePrior({ ...guest, part: 'host' })).toBeLessThan(passagePrior(guest));
    expect(passagePrior({ ...guest, text: '好的,谢谢两位嘉宾的回答。下面我们进入下一个问题。' })).toBeLessThan(passagePrior(guest));
    expect(passagePrior({ ...guest, text: '我们最早的客户都是自己一家一家拜访出来的吗,有没有什么别的捷径?' })).toBeLessThan(passagePrior(guest));
    expect(passagePrior({ ...guest, text: '没有捷径。' })).toBeLessThan(passagePrior(guest));
    expect(passagePrior({ ...guest, speakerId: null, speakerName: null, part: null }, undefined, ['嘉宾乙'])).toBeLessThan(passagePrior(guest));
    expect(fillerShare('谢谢刘超。我们最早的客户都是自己一家一家拜访出来的,没有捷径,也没有别的办法。')).toBeLessThan(0.5);
    expect(fillerShare('好的,谢谢两位嘉宾的回答。')).toBe(1);
  });
});

describe('choosing among a question’s answers', () => {
  const { tokenizer } = testLibrary();
  const substantive =
    '找到第一批愿意付钱的客户。我们最早的客户都是自己一家一家拜访出来的,没有捷径,' +
    '团队里每个人都去跑过客户,从写代码的到做财务的,一年下来见了两百多家公司,最后签下来的只有七家,但这七家后来都成了我们最好的推荐人。';

  function indexOf(body: string[]): QuoteIndex {
    const interview = parseInterview(file(body.join('\n\n')));
    return new QuoteIndex([interview], buildPassages([interview]), tokenizer);
  }

  it('gives the substantive answer paragraph the question’s match, not a one-line lead-in before it', () => {
    const index = indexOf(['::: speaker host', '那么请问各位嘉宾,创业最难的是什么?', ':::', '::: speaker a', '我先说一下我自己的一些看法吧。', substantive, ':::']);
    expect(index.search({ text: '创业最难的是什么' }).hits[0]!.passage.text).toBe(substantive);
    // By position alone (substance off), the lead-in right after the question would take it.
    index.setRanking({ answerSubstanceChars: 0 });
    expect(index.search({ text: '创业最难的是什么' }).hits[0]!.passage.text).toBe('我先说一下我自己的一些看法吧。');
  });

  it('gives a lone short answer the whole match, even when it repeats none of the query’s words', () => {
    // (A passage needs 12 characters: shorter paragraphs are no passages.)
    const index = indexOf(['::: speaker crowd', '请问你们的商业模式到底是什么?', ':::', '::: speaker a', '卖产品啊,我们就卖软件产品。', ':::']);
    const hits = index.search({ text: '你们的商业模式是什么' }).hits;
    expect(hits.map((h) => h.passage.text)).toEqual(['卖产品啊,我们就卖软件产品。', '请问你们的商业模式到底是什么?']);
  });

  it('ranks the narration that answers a story’s own question above the question', () => {
    const answer = '他的结论是:主要责任在于自己。之前自己只管技术方向,对整个项目的流程并没有经验,团队需要一个懂管理的人。';
    const index = indexOf([
      '项目最后还是按时上线了,但这次惊险让主角痛定思痛:明明大家都很努力,可究竟是哪里不对了呢?',
      answer,
      '第二年春天,公司搬进了新的办公室,团队也从十几个人变成了三十多个人。',
    ]);
    const hits = index.search({ text: '明明大家都很努力,究竟哪里不对' }).hits;
    expect(hits[0]!.passage.text).toBe(answer);
    // Without answers lending their question's match, the question itself comes first.
    index.setRanking({ answerWeight: 0 });
    expect(index.search({ text: '明明大家都很努力,究竟哪里不对' }).hits[0]!.passage.text).not.toBe(answer);
  });

  it('lends nothing from a question that shares only the interrogative words with the query', () => {
    const index = indexOf([
      '::: speaker host',
      '为什么大家都在做云计算?',
      ':::',
      '::: speaker a',
      '因为这是一个很大的市场,每家公司迟早都要上云,只是时间早晚的问题,这一点我们很早就想清楚了,所以坚持下来。',
      ':::',
      '台下的观众听得很认真,现场的气氛一直很热烈。',
      '::: speaker b',
      '开源能让更多工程师用上我们的数据库,用户多了,商业化自然就有了基础,这是我的理由。',
      ':::',
    ]);
    // No passage holds both words: either will do, and the cloud question holds 为什么.
    const hits = index.search({ text: '为什么开源' }).hits;
    expect(hits[0]!.passage.speakerId).toBe('b');
    // The cloud question shares only 为什么: its answer is not lifted to the top.
    expect(hits.findIndex((h) => h.passage.text.startsWith('因为这是'))).not.toBe(0);
  });
});

describe('synonyms, sub-words and names', () => {
  const { index } = testLibrary();

  it('never ranks a synonym-only match above a match of the word as typed', () => {
    const { tokenizer } = testLibrary();
    // The synonym's passage is short and says it twice (a better BM25 match); the typed word's is long.
    const interview = parseInterview(
      file(
        [
          '::: speaker a',
          '招聘招聘,我们一直在招聘工程师。',
          '我们团队现在还在招人,主要是后端工程师和测试工程师,欢迎大家把简历发过来,我们会认真看每一份。',
          ':::',
        ].join('\n\n'),
      ),
    );
    const synonyms = new Map([
      ['招人', ['招聘']],
      ['招聘', ['招人']],
    ]);
    const index = new QuoteIndex([interview], buildPassages([interview]), tokenizer, { synonyms });
    const hits = index.search({ text: '招人' }).hits.map((h) => h.passage.text);
    expect(hits).toHaveLength(2);
    expect(hits[0]).toContain('招人');
    expect(index.search({ text: '招聘' }).hits[0]!.passage.text).toContain('招聘');
    // Without the synonym file, the other word is not found at all.
    const plain = new QuoteIndex([interview], buildPassages([interview]), tokenizer);
    expect(plain.search({ text: '招人' }).hits).toHaveLength(1);
  });

  it('ranks the passage with every topical word above passages that match only the question around it', () => {
    const { tokenizer } = testLibrary();
    const interview = parseInterview(
      file(
        [
          '::: speaker a',
          '谁都没想到,我投了简历就被录用了,后来又投了一次别的岗位。',
          ':::',
          '::: speaker b',
          '我们的天使投资来自一家小基金,几位合伙人都是多年的老朋友,他们愿意等我们慢慢把产品做出来。',
          ':::',
        ].join('\n\n'),
      ),
    );
    const index = new QuoteIndex([interview], buildPassages([interview]), tokenizer);
    // No passage holds 天使投资, 谁 and 投 together. "Any word" would put a's 谁…投…投 first; the topic
    // word is what the reader asks about, and a passage with only the question's scaffolding is noise.
    const query = '天使投资是谁投的';
    expect(tokenizer.tokenizeQuery(query)).toEqual(expect.arrayContaining(['天使投资', '谁', '投']));
    const hits = index.search({ text: query }).hits;
    expect(hits.map((h) => h.passage.speakerId)).toEqual(['b']);
  });

  it('finds a longer word form through its pieces (卖房子 → 卖房)', () => {
    const hits = index.search({ text: '卖房子' }).hits;
    expect(hits.length).toBeGreaterThan(0);
    expect(hits[0]!.passage.text).toContain('卖房');
  });

  it('stands a Chinese word no passage holds whole for its indexed characters (真有 → 真)', () => {
    const { tokenizer } = testLibrary();
    const interview = parseInterview(file(['::: speaker a', '他们不冷不热:“真有你们说得那么好吗?我们等会儿还有个会,你尽快讲。”', ':::', '::: speaker b', '我们的产品在很多客户那里跑得很好。', ':::'].join('\n\n')));
    const small = new QuoteIndex([interview], buildPassages([interview]), tokenizer);
    // jieba cuts 真 apart in that sentence, but keeps 真有 whole in the query.
    expect(small.search({ text: '真有那么好' }).hits[0]?.passage.speakerId).toBe('a');
  });

  it('counts a speaker’s company as part of who they are (a founder’s 「我们」 is the company)', () => {
    const { tokenizer } = testLibrary();
    const interview = parseInterview(
      file(
        ['::: speaker a', '经过八年的努力,我们终于在去年成功上市了。', ':::', '::: speaker b', '上市?上市这件事我们暂时不考虑上市。', ':::'].join('\n\n'),
      ).replace('{ id: a, name: 嘉宾乙, aliases: [], role: null, company: null }', '{ id: a, name: 嘉宾乙, aliases: [], role: null, company: Acmecloud }'),
    );
    const small = new QuoteIndex([interview], buildPassages([interview]), tokenizer);
    expect(small.search({ text: 'Acmecloud 上市' }).hits[0]?.passage.speakerId).toBe('a');
  });

  it('takes partial and Latin names, and never offers the audience or an investor as a person', () => {
    expect(index.findSpeakers('qi').map((e) => e.speaker.name)).toContain('Qi Jun');
    expect(index.findSpeakers('huang').map((e) => e.speaker.name)).toEqual(['黄东旭']);
    expect(index.findSpeakers('季')[0]?.speaker.name).toBe('季昕华');
    const people = index.people().map((e) => speakerPart(e.speaker));
    expect(people).not.toContain('audience');
    expect(index.findSpeakers('观众')).toEqual([]);
    // One Latin letter is no name (it would match half the corpus).
    expect(index.findSpeakers('h')).toEqual([]);
    expect(index.search({ text: '数据库', speaker: 'huang' }).hits.every((h) => h.speaker?.name === '黄东旭')).toBe(true);
    const unknown = index.search({ text: '数据库', speaker: 'zzz' });
    expect(unknown.problem).toBe('unknown-speaker');
    expect(unknown.suggestions).not.toContain('观众');
    expect(unknown.suggestions).not.toContain('投资人');
  });

  it('returns one best passage per person for a topic', () => {
    const response = index.searchPerSpeaker({ text: '开源', limit: 5 });
    const names = response.hits.map((h) => h.speaker?.name);
    expect(names.length).toBeGreaterThan(1);
    expect(new Set(names).size).toBe(names.length);
    expect(names).not.toContain(undefined);
    for (const hit of response.hits) {
      expect(hit.passage.part).not.toBe('audience');
      expect(hit.passage.answers).toEqual([]);
    }
  });
});

describe('QuoteIndex without the corpus', () => {
  it('works with no questions at all (no parts declared)', () => {
    const { tokenizer } = testLibrary();
    const interview = parseInterview(file('::: speaker a\n\n开源软件的商业模式一直在变化,我们也在摸索。\n\n:::'));
    const index = new QuoteIndex([interview], buildPassages([interview]), tokenizer);
    expect(index.search({ text: '商业模式' }).hits).toHaveLength(1);
  });
});
