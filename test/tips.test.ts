/** Tip selection: scoring rules, curation, and the shipped selection. */
import { describe, expect, it } from 'vitest';
import type { Passage } from '../src/core/corpus/types.ts';
import { readTipCuration, scoreTip, selectTips } from '../src/core/tips/select.ts';
import { dailyTip } from '../src/core/tips/daily.ts';
import { DATA_DIR } from '../src/core/corpus/load.ts';
import { join } from 'node:path';
import { testLibrary } from './support/bot-harness.ts';

function passage(text: string, speakerId: string | null = 'x', id = 'i#1'): Passage {
  return { id, text, speakerId, speakerName: speakerId, interviewId: 'i', paragraphIndex: 1, section: null, context: { before: null, after: null }, part: speakerId === null ? null : 'guest', quoteSpans: null, answersTo: null, answers: [] };
}

describe('scoreTip', () => {
  it('rejects narration, questions, fragments and passages that lean on their neighbours', () => {
    expect(scoreTip(passage('创业最重要的是坚持，一定要找到真正的用户价值。', null))).toBeLessThan(0);
    expect(scoreTip(passage('你觉得创业最重要的是什么？一定要回答这个关键问题吗？'))).toBeLessThan(0);
    expect(scoreTip(passage('创业最重要的是坚持，一定要找到真正的用户价值，然后'))).toBeLessThan(0);
    expect(scoreTip(passage('所以创业最重要的是坚持，一定要找到真正的用户价值。'))).toBeLessThan(0);
    expect(scoreTip(passage('有了这个图，我们就知道创业一定要找到真正的用户价值。'))).toBeLessThan(0);
    expect(scoreTip(passage('短。'))).toBeLessThan(0);
  });

  it('prefers self-contained advice', () => {
    const advice = scoreTip(passage('创业最重要的是坚持，一定要找到真正的用户价值，学会放弃不需要的东西。'));
    const story = scoreTip(passage('2013年我们在北京租了一间办公室，十几个人挤在一起写代码。'));
    expect(advice).toBeGreaterThanOrEqual(3);
    expect(advice).toBeGreaterThan(story);
  });
});

describe('selectTips', () => {
  it('applies curated includes and excludes on top of the score', () => {
    const good = passage('创业最重要的是坚持，一定要找到真正的用户价值，学会放弃。', 'x', 'a#1');
    const plain = passage('那天下午我们去了一趟公司楼下的咖啡馆，坐了很久。', 'x', 'a#2');
    expect(selectTips([good, plain])).toEqual(['a#1']);
    expect(selectTips([good, plain], { curation: { include: ['a#2'], exclude: ['a#1'] } })).toEqual(['a#2']);
  });

  it('ships a curated list whose every id exists, and tips that are speakers’ words', () => {
    const library = testLibrary();
    const curation = readTipCuration(join(DATA_DIR, 'tips.yaml'));
    for (const id of [...curation.include, ...curation.exclude]) expect(library.index.passage(id), id).toBeDefined();
    expect(library.tipIds.length).toBeGreaterThanOrEqual(30);
    for (const id of library.tipIds) expect(library.index.passage(id)!.speakerId).not.toBeNull();
  });

  it('gives a deterministic tip per channel and day', () => {
    const library = testLibrary();
    const a = dailyTip(library, '111111111111111111', '2026-11-22');
    expect(dailyTip(library, '111111111111111111', '2026-11-22')!.passage.id).toBe(a!.passage.id);
    const days = Array.from({ length: library.tipIds.length }, (_, i) => dailyTip(library, '111111111111111111', `2027-01-${String((i % 28) + 1).padStart(2, '0')}`));
    expect(days.every((d) => d !== null)).toBe(true);
  });
});
