import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/core/corpus/load.ts';
import { buildPassages } from '../src/core/corpus/passages.ts';

const interviews = loadCorpus();
const passages = buildPassages(interviews);

/** The speaker ids of every paragraph of `interviewId` whose text is exactly `text`. */
function speakersOfExact(interviewId: string, text: string): (string | null)[] {
  const iv = interviews.find((x) => x.id === interviewId)!;
  return iv.body.flatMap((b) => (b.type === 'paragraph' && b.text === text ? [b.speakerId] : []));
}

/** The speaker id of the one paragraph of `interviewId` that starts with `start`. */
function speakerOf(interviewId: string, start: string): string | null {
  const iv = interviews.find((x) => x.id === interviewId)!;
  const found = iv.body.filter((b) => b.type === 'paragraph' && b.text.startsWith(start));
  expect(found, `${interviewId}: paragraph starting with ${start}`).toHaveLength(1);
  const block = found[0]!;
  return block.type === 'paragraph' ? block.speakerId : null;
}

describe('roundtable attribution (A计划)', () => {
  const id = 'a-plan-infra-startups';

  it('gives each guest talk to its speaker', () => {
    expect(speakerOf(id, 'A计划是Atypical Ventures为创业者们举办的系列圆桌活动')).toBe('liu-chao');
    expect(speakerOf(id, '谢谢Ruby,谢谢刘超。')).toBe('ji-xinhua');
    expect(speakerOf(id, '最后,我们是怎么做的呢?一个我们坚持中立')).toBe('ji-xinhua');
    expect(speakerOf(id, '听完老季的分享真是感触颇多。')).toBe('huang-dongxu');
    expect(speakerOf(id, '第五点我更想强调的就是说TiDB')).toBe('huang-dongxu');
    expect(speakerOf(id, '大家晚上好,很高兴有机会来和大家分享')).toBe('yuan-jinhui');
    expect(speakerOf(id, '我来打个比方,就像爬山。')).toBe('yuan-jinhui');
    // 李浩源's talk follows his bio without a `李浩源:` line; it is still his.
    expect(speakerOf(id, '大家好!很高兴和大家分享。')).toBe('li-haoyuan');
    expect(speakerOf(id, '在历史上有很多种公司都尝试解决这个问题。')).toBe('li-haoyuan');
  });

  it('keeps the bios under 分享人: as narration', () => {
    expect(speakersOfExact(id, '分享人:')).toEqual([null, null, null]);
    expect(speakersOfExact(id, '分享人')).toEqual([null]);
    expect(speakerOf(id, '季昕华,UCloud创始人。')).toBeNull();
    expect(speakerOf(id, 'PingCAP联合创始人黄东旭。')).toBeNull();
    expect(speakerOf(id, 'OneFlow创始人袁进辉。')).toBeNull();
    expect(speakerOf(id, '李浩源博士是Alluxio公司的创始人兼CEO。')).toBeNull();
  });

  it('follows the Q&A turns, including inline `Name:` prefixes (removed from the text)', () => {
    expect(speakerOf(id, '首先我提的一个问题代表我们基金。')).toBe('liu-chao');
    expect(speakerOf(id, '基本告诉我,就是说首先第一个投资人')).toBe('liu-chao');
    expect(speakerOf(id, '我昨天在彩排的时候我虽然没来')).toBe('huang-dongxu');
    expect(speakerOf(id, '我觉得这个问题非常好,也是我们云厂商一直非常关注的问题')).toBe('ji-xinhua');
    expect(speakerOf(id, '相反,其实我们融资总共现在才3000多万人民币')).toBe('yuan-jinhui');
    expect(speakerOf(id, '一点是这和闭源公司做头部客户也没有什么本质区别')).toBe('li-haoyuan');
    expect(speakerOf(id, '创业的环境是不太好的。')).toBe('ji-xinhua');
    expect(speakerOf(id, '我觉得可能创业这种事儿在全世界各地')).toBe('li-haoyuan');
    expect(speakerOf(id, '(观众:是因为融到很多钱吧?)')).toBe('audience');
    const iv = interviews.find((x) => x.id === id)!;
    expect(iv.body.some((b) => /^(刘超|黄东旭|季昕华|袁进辉|李浩源)[:：]/.test(b.text))).toBe(false);
  });

  it('names the speaker on passages', () => {
    const p = passages.find((x) => x.text.startsWith('谢谢Ruby,谢谢刘超。'))!;
    expect(p).toMatchObject({ speakerId: 'ji-xinhua', speakerName: '季昕华', interviewId: id });
  });
});

describe('first-person interviews', () => {
  it('attributes the interviewee and keeps the editor as narration', () => {
    expect(speakerOf('sun-qi-aliyun-mvp', '我有很多标签,万博智云CTO')).toBe('sun-qi');
    expect(speakerOf('sun-qi-aliyun-mvp', '简介: 孙琦喜欢调侃自己')).toBeNull();
    expect(speakerOf('sun-qi-aliyun-mvp', '创业过程让孙琦完成了自我突破')).toBeNull();
    expect(speakerOf('meixin-topology-yile', '我们做企业服务的人经常说自己做 2B')).toBe('yi-le');
    expect(speakerOf('meixin-topology-yile', '一乐是 CTO训练营的老朋友了')).toBeNull();
    expect(speakerOf('meixin-topology-yile', '就像一乐说的,分享其实也是学习的过程。'.replace(',', '，'))).toBeNull();
    expect(speakerOf('qi-jun-investor', 'I am a person who is very active in embracing new things.')).toBe('qi-jun');
    expect(speakerOf('qi-jun-investor', "The following is Qi Jun's personal interview")).toBeNull();
    expect(speakerOf('qi-jun-investor', 'Talking about the reason for being trusted')).toBeNull();
  });
});

describe('narrative attribution (ZStack)', () => {
  const id = 'zstack-productized-cloud';

  it('attributes a quote followed by 「尤永康说。」', () => {
    expect(speakerOf(id, '我最多算是个勤能补拙的人。')).toBe('you-yongkang');
    expect(speakerOf(id, '他们都是我的兄弟。')).toBe('you-yongkang');
    expect(speakerOf(id, '如果你只需要一个钟点工')).toBe('you-yongkang');
  });

  it('attributes a quote followed by 「何爽笑。」 / 「张鑫笑。」 / 「大树笑。」', () => {
    expect(speakerOf(id, '“还好,至今我们还没让胖子跳下去。。。”何爽笑。')).toBe('he-shuang');
    expect(speakerOf(id, '我们做的产品从来没有变')).toBe('zhang-xin');
    expect(speakerOf(id, '虽然没有占用工作时间,但毕竟我还没辞职')).toBe('da-shu');
  });

  it('resolves 「他说。」 from context (宁波, introduced by 「宁波用“等电梯”来比喻项目开发:」)', () => {
    expect(speakerOf(id, '宁波用“等电梯”来比喻项目开发:')).toBeNull();
    expect(speakerOf(id, '如果没有楼层显示,你等的电梯总也不来')).toBe('ning-bo');
    expect(speakerOf(id, '他说。')).toBeNull();
  });

  it('attributes a quote introduced by 「张鑫是这样回忆的:」', () => {
    expect(speakerOf(id, '关于这段故事,张鑫是这样回忆的:')).toBeNull();
    expect(speakerOf(id, '虽然我的专业是“做雷达”')).toBe('zhang-xin');
  });

  it('attributes a whole paragraph with an inline tag', () => {
    expect(speakerOf(id, '“不,明天你自己去杭州培训代理商。”尤永康说。')).toBe('you-yongkang');
    expect(speakerOf(id, '“跟着你吗?”梅磊问。')).toBe('mei-lei');
    expect(speakerOf(id, '“你放心,你们的云放在阿里云的商务渠道卖')).toBe('ma-jin');
  });

  it('leaves plain narration and the attribution lines themselves as null', () => {
    expect(speakerOf(id, '2005年,上海。')).toBeNull();
    expect(speakerOf(id, '历史是个老司机,总是一脚油把你带上秋名山。')).toBeNull();
    expect(speakerOf(id, '我们的家啊啊乡,在希望的田野上昂昂昂。')).toBeNull();
    expect(speakersOfExact(id, '尤永康说。')).toEqual([null, null, null]);
    expect(speakersOfExact(id, '张鑫说。')).toEqual([null]);
    // A quote of an unnamed person inside narration is not guessed.
    expect(speakerOf(id, '“你这不就是卖光盘吗?”')).toBeNull();
  });
});
