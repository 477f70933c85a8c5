import { describe, expect, it } from 'vitest';
import { parseInterview } from '../src/core/corpus/format.ts';
import { ImportError, importRawText } from '../src/core/corpus/import.ts';
import { containsJunk, isJunkParagraph, KNOWN_SPAM_PHRASES, stripInlineSpam } from '../src/core/corpus/junk.ts';

/** Paragraph texts of a draft. */
function paragraphsOf(markdown: string): { text: string; speaker: string | null }[] {
  const iv = parseInterview(markdown, 'draft');
  return iv.body.flatMap((b) =>
    b.type === 'paragraph' ? [{ text: b.text, speaker: b.speakerId === null ? null : iv.speakers.find((s) => s.id === b.speakerId)!.name }] : [],
  );
}
const texts = (markdown: string) => paragraphsOf(markdown).map((p) => p.text);
/** The texts an import removed. */
const removedTexts = (draft: { removed: { text: string }[] }) => draft.removed.map((r) => r.text);

describe('junk predicates', () => {
  it('recognise image names, images, promo, QR prompts, footers, breadcrumbs and page chrome', () => {
    for (const junk of [
      'image.png',
      '孙琦.png',
      '640.webp (1).jpg',
      '640 (12).JPG',
      'TB1HLKARVXXXXcKXpXXXXXXXXXX-586-338.jpg',
      'segmentfault 思否公众号.png',
      '![](../../assets/articles/autogen-5b3c.webp)',
      '> ![](http://wx.qlogo.cn/mmhead/Q3au/0)',
      '长按上方二维码',
      '扫码关注我们',
      '▲戳链接了解👉[美信拓扑](../x.md)',
      '👉一群**有经验的伙伴**与你探讨管理难题',
      'Copyright (c)SYSTEM All Rights Reserved',
      '如涉及版权问题,请与我们联系!',
      '首页 > 科技',
      '|',
      '8',
      '139 0',
      'END',
      '相关文章',
    ]) {
      expect(isJunkParagraph(junk), junk).toBe(true);
    }
  });

  it('leave real sentences alone', () => {
    for (const text of ['尤永康说。', '1.新的人群。比如快手。', '2005年,上海。', '分享人:', 'ZStack 2.0 的研发,把这种矛盾彻底推向高潮。', '问答环节']) {
      expect(isJunkParagraph(text), text).toBe(false);
      expect(containsJunk(text), text).toBe(false);
    }
  });

  it('cut spam phrases out of a sentence and nothing else', () => {
    expect(KNOWN_SPAM_PHRASES).toEqual(expect.arrayContaining(['熊猫侠打码网页版', '新手网赚', '小鱼赚钱是真的吗']));
    expect(stripInlineSpam('这可熊猫侠打码网页版能出乎一些人的意料,仔细想想却在情理之中。')).toEqual({
      text: '这可能出乎一些人的意料,仔细想想却在情理之中。',
      removed: ['熊猫侠打码网页版'],
    });
    expect(stripInlineSpam('小鱼赚钱是真的吗最先感觉到出问题的,是何爽。').text).toBe('最先感觉到出问题的,是何爽。');
    expect(stripInlineSpam('恨不得新手网赚公司马上要进世界五百强').text).toBe('恨不得公司马上要进世界五百强');
    expect(stripInlineSpam('干净的句子。')).toEqual({ text: '干净的句子。', removed: [] });
  });
});

describe('importRawText', () => {
  it('strips images, captions, links and the related-articles tail; keeps the rest verbatim', () => {
    const raw = [
      '一名创业者浴火涅磐的自白——对话阿里云 MVP孙琦',
      '',
      '简介: 孙琦喜欢调侃自己为“一个失败的创业者”。',
      '',
      '我有很多标签,万博智云CTO,但我最喜欢做的角色还是布道师。',
      '',
      '孙琦.png',
      '',
      '![](../../assets/articles/autogen-1.webp)',
      '',
      '640.webp (1).jpg',
      '',
      '\u00a0张鑫',
      '',
      '  关于这段故事,张鑫是这样回忆的:',
      '',
      'TB1HLKARVXXXXcKXpXXXXXXXXXX-586-338.jpg',
      '我要成为阿里云 MVP',
      '',
      '相关文章',
      '|',
      '4月前',
      '【CAP评测有奖】邀您共探 AI 应用开发新趋势,赢取多重好礼!',
    ].join('\n');
    const draft = importRawText(raw, { id: 'sun-qi' });
    expect(texts(draft.markdown)).toEqual([
      '简介: 孙琦喜欢调侃自己为“一个失败的创业者”。',
      '我有很多标签,万博智云CTO,但我最喜欢做的角色还是布道师。',
      '关于这段故事,张鑫是这样回忆的:',
    ]);
    const iv = parseInterview(draft.markdown);
    expect(iv).toMatchObject({ id: 'sun-qi', title: '一名创业者浴火涅磐的自白——对话阿里云 MVP孙琦', date: null, url: null, language: 'zh' });
    expect(removedTexts(draft)).toEqual(
      expect.arrayContaining(['孙琦.png', '640.webp (1).jpg', '张鑫', '我要成为阿里云 MVP', '相关文章', '【CAP评测有奖】邀您共探 AI 应用开发新趋势,赢取多重好礼!']),
    );
    expect(draft.markdown).not.toContain('TODO');
    expect(draft.markdown).not.toMatch(/\.png|\.jpg|\.webp|相关文章|CAP评测/);
  });

  it('strips promo blocks, QR prompts, footers, breadcrumbs and metadata lines, and reads date and source', () => {
    const raw = [
      '首页 > 科技',
      '',
      'ZStack:新基建为什么需要产品化的云计算?_科技',
      '2020-05-19 21:27:01',
      '',
      '  转载自公众号: 浅黑科技',
      '',
      '  这可熊猫侠打码网页版能出乎一些人的意料,仔细想想却在情理之中。',
      '',
      '↓↓↓投资人说的卖光盘↓↓↓',
      '',
      '&#x20;                     一键启用多云架构的即时通讯云服务',
      '',
      '  “不,明天你自己去杭州培训代理商。”尤永康说。',
      '',
      '长按上方二维码',
      '',
      'Copyright (c)SYSTEM All Rights Reserved',
      '声明:依据国家《互联网管理规定》,本网站禁止发布任何违反中华人民共和国法律、法规的内容',
    ].join('\n');
    const draft = importRawText(raw);
    const iv = parseInterview(draft.markdown);
    expect(iv).toMatchObject({ id: 'zstack-xin-ji-jian-wei-shen-me-xu-yao-chan', title: 'ZStack:新基建为什么需要产品化的云计算?', date: '2020-05-19', publication: '浅黑科技' });
    expect(texts(draft.markdown)).toEqual(['这可能出乎一些人的意料,仔细想想却在情理之中。', '“不,明天你自己去杭州培训代理商。”尤永康说。']);
    expect(removedTexts(draft)).toEqual(expect.arrayContaining(['首页 > 科技', '熊猫侠打码网页版', '长按上方二维码', '↓↓↓投资人说的卖光盘↓↓↓']));
    expect(draft.turns).toBe(0);
  });

  it('drops a promotional tail starting with 💡 and emoji calls to action', () => {
    const raw = [
      '# 标题',
      '',
      '> 以下文章来源于CTO训练营 ，作者CTO训练营',
      '',
      '我在技术社区一直很比较活跃，也一直跟技术人员说要学会**分享**。',
      '',
      'END',
      '',
      '**💡我们可以为作为技术管理者的你提供：**',
      '',
      '👉一群**有经验的伙伴**与你探讨管理难题',
    ].join('\n');
    const draft = importRawText(raw);
    expect(parseInterview(draft.markdown)).toMatchObject({ title: '标题', publication: 'CTO训练营' });
    expect(texts(draft.markdown)).toEqual(['我在技术社区一直很比较活跃，也一直跟技术人员说要学会分享。']);
  });

  it('detects `Name:` turn lines and `Name:` paragraph prefixes', () => {
    const raw = [
      '刘超:',
      '',
      'A计划是Atypical Ventures为创业者们举办的系列圆桌活动。',
      '',
      'image.png',
      '',
      '分享人:',
      '',
      '季昕华,UCloud创始人。',
      '',
      '季昕华:',
      '',
      '谢谢Ruby,谢谢刘超。',
      '',
      '其实我也是一样。',
      '',
      '问答环节',
      '',
      '刘超:基本告诉我,就是说首先第一个投资人你不要在乎我现在挣多少钱。',
      '',
      '季昕华：',
      '',
      '我觉得这个问题非常好。',
      '',
      '刘超:外包的过程当中或许是能够发现机会的。',
      '',
      '下一个问题是直接提问 PingCAP。',
      '',
      '阅读原文:《A计划:基础架构软件创业之道分享实录》',
      '',
      'segmentfault 思否公众号.png',
    ].join('\n');
    const draft = importRawText(raw);
    expect(draft.turns).toBe(5);
    const iv = parseInterview(draft.markdown);
    expect(iv.title).toBe('A计划:基础架构软件创业之道分享实录');
    expect(iv.kind).toBe('roundtable');
    expect(iv.speakers.map((s) => s.name)).toEqual(['刘超', '季昕华']);
    expect(iv.body.filter((b) => b.type === 'heading').map((b) => b.text)).toEqual(['问答环节']);
    expect(paragraphsOf(draft.markdown)).toEqual([
      { text: 'A计划是Atypical Ventures为创业者们举办的系列圆桌活动。', speaker: '刘超' },
      { text: '分享人:', speaker: null },
      { text: '季昕华,UCloud创始人。', speaker: null },
      { text: '谢谢Ruby,谢谢刘超。', speaker: '季昕华' },
      { text: '其实我也是一样。', speaker: '季昕华' },
      { text: '基本告诉我,就是说首先第一个投资人你不要在乎我现在挣多少钱。', speaker: '刘超' },
      { text: '我觉得这个问题非常好。', speaker: '季昕华' },
      { text: '外包的过程当中或许是能够发现机会的。', speaker: '刘超' },
      { text: '下一个问题是直接提问 PingCAP。', speaker: '刘超' },
    ]);
  });

  it('does not take a one-off 「第一件:」 or a label for a speaker', () => {
    const raw = ['标题', '', '第一件:CloudStack 被巨头思杰收购后,战略地位发生变化。', '', '简介: 孙琦喜欢调侃自己。'].join('\n');
    const draft = importRawText(raw);
    expect(draft.turns).toBe(0);
    expect(parseInterview(draft.markdown).speakers).toEqual([]);
    expect(texts(draft.markdown)).toEqual(['第一件:CloudStack 被巨头思杰收购后,战略地位发生变化。', '简介: 孙琦喜欢调侃自己。']);
  });

  it('reads an English post: title, Posted date, headings', () => {
    const raw = [
      'Qi Jun: Probably the best investor who understands architecture',
      '',
      'Posted Jun 16, 20206 min read',
      '',
      'The night before is hard to bear, the dawn is rare',
      '',
      'I am a person who is very active in embracing new things. I am passionate about learning.',
    ].join('\n');
    const iv = parseInterview(importRawText(raw).markdown);
    expect(iv).toMatchObject({ title: 'Qi Jun: Probably the best investor who understands architecture', date: '2020-06-16', language: 'en' });
    expect(iv.body).toEqual([
      { type: 'heading', text: 'The night before is hard to bear, the dawn is rare' },
      { type: 'paragraph', text: 'I am a person who is very active in embracing new things. I am passionate about learning.', speakerId: null },
    ]);
  });
});

describe('importRawText: the forms real transcripts use', () => {
  it('reads **Name:** turns and removes [mm:ss] timestamps, transcription notes, break markers and stray marks', () => {
    const raw = [
      '---',
      'title: "Building a database company"',
      'date: 2021-03-04',
      'author: Show Notes Team',
      'url: https://podcast.example/ep/12',
      '---',
      '',
      '**Jane Host:** [00:00] Welcome back. Why did you start the company? [00:04]',
      '',
      '**Ed Guest:** [00:05] We needed a database that scales [unintelligible 00:07] without sharding.',
      '',
      'Break:',
      '',
      '+',
      '',
      '**Jane Host:** [12:30] What would you tell a new founder?',
      '',
      '**Ed Guest:** Hire people [inaudible] who are better than you.',
      '',
      '[Slide 3]',
      '',
      '```',
      'SELECT * FROM users;',
      '```',
    ].join('\n');
    const draft = importRawText(raw);
    const iv = parseInterview(draft.markdown);
    expect(iv).toMatchObject({ id: 'building-a-database-company', title: 'Building a database company', date: '2021-03-04', url: 'https://podcast.example/ep/12', language: 'en' });
    expect(iv.speakers.map((s) => [s.id, s.name, s.part])).toEqual([
      ['jane-host', 'Jane Host', 'host'],
      ['ed-guest', 'Ed Guest', 'guest'],
    ]);
    expect(paragraphsOf(draft.markdown)).toEqual([
      { text: 'Welcome back. Why did you start the company?', speaker: 'Jane Host' },
      { text: 'We needed a database that scales without sharding.', speaker: 'Ed Guest' },
      { text: 'What would you tell a new founder?', speaker: 'Jane Host' },
      { text: 'Hire people who are better than you.', speaker: 'Ed Guest' },
    ]);
    const kinds = new Set(draft.removed.map((r) => r.kind));
    for (const kind of ['front matter', 'timestamp', 'transcription note', 'ad or break marker', 'page chrome', 'slide', 'code']) expect(kinds, kind).toContain(kind);
    expect(draft.markdown).not.toMatch(/\[\d|unintelligible|inaudible|Break|SELECT|^\+$/mu);
  });

  it('never takes a question for the title; reads 记者 and 主持人; a bio heading is no speaker', () => {
    const raw = ['记者:你们为什么做数据库?', '', '张三:因为我们相信数据库。', '', '主持人简介:', '', '李四,资深记者。', '', '记者:那以后呢?', '', '张三:继续做。'].join('\n');
    const draft = importRawText(raw, { sourceName: 'zhang-san-qa' });
    const iv = parseInterview(draft.markdown);
    expect(iv.title).toBe('zhang-san-qa');
    expect(draft.checklist[0]).toMatch(/^title: no title found/u);
    expect(iv.speakers.map((s) => [s.id, s.name, s.part])).toEqual([
      ['reporter', '记者', 'host'],
      ['zhang-san', '张三', 'guest'],
    ]);
    expect(paragraphsOf(draft.markdown)[0]).toEqual({ text: '你们为什么做数据库?', speaker: '记者' });
    expect(paragraphsOf(draft.markdown).filter((p) => p.speaker === null).map((p) => p.text)).toEqual(['主持人简介:', '李四,资深记者。']);
  });

  it('marks 观众 and 提问 turns as audience', () => {
    const raw = ['分享实录', '', '王五:', '', '我们先讲产品。', '', '王五:', '', '再讲市场。', '', '观众:请问怎么定价?', '', '王五:按用量。'].join('\n');
    const iv = parseInterview(importRawText(raw).markdown);
    expect(iv.speakers.map((s) => [s.name, s.part])).toEqual([
      ['王五', 'guest'],
      ['观众', 'audience'],
    ]);
  });

  it('refuses an input that is only junk', () => {
    expect(() => importRawText('image.png\n\nhttps://example.com\n')).toThrow(ImportError);
  });
});
