import { describe, expect, it } from 'vitest';
import { createTokenizer, foldLatinTerm, normalizeText, readUserWords } from '../src/core/text/tokenizer.ts';
import { DATA_DIR } from '../src/core/corpus/load.ts';
import { join } from 'node:path';

const tokenizer = createTokenizer({ userWords: readUserWords(join(DATA_DIR, 'dict.txt')) });

describe('tokenizer (golden)', () => {
  it.each([
    ['我卖房创业', ['卖房', '创业']],
    ['TiDB 和 OpenStack', ['tidb', 'openstack']],
    ['K8s 3.0 IM', ['k8s', '3.0', 'im']],
    ['美信拓扑的云备胎', ['美信拓扑', '云备胎']],
    ['孙琦和黄东旭', ['孙琦', '黄东旭']],
    ['优刻得', ['优刻得']],
    ['ＴｉＤＢ', ['tidb']],
    ['賣房創業', ['卖房', '创业']],
    ['the investors and the company', ['investor', 'compani']], // Porter2 stems: companies and company meet at compani
    ['用TiDB做HTAP', ['tidb', 'htap']],
  ])('query %s → %j', (text, expected) => {
    expect(tokenizer.tokenizeQuery(text)).toEqual(expected);
  });

  it('keeps Latin words whole and case-folded in mixed text', () => {
    expect(tokenizer.tokenizeForIndex('PingCAP的TiDB是NewSQL数据库')).toEqual(expect.arrayContaining(['pingcap', 'tidb', 'newsql', '数据库']));
  });

  it('indexes compounds and their parts (search mode) but queries the compound', () => {
    const indexTerms = tokenizer.tokenizeForIndex('基础架构软件');
    expect(indexTerms).toEqual(expect.arrayContaining(['基础', '架构', '基础架构', '软件']));
    expect(tokenizer.tokenizeQuery('基础架构软件')).toEqual(['基础架构', '软件']);
  });

  it('converts Taiwanese vocabulary with the phrase table and keeps the character form too', () => {
    const terms = tokenizer.tokenizeQuery('資料庫軟體');
    expect(terms).toEqual(expect.arrayContaining(['数据库', '软件']));
  });

  it('drops stop words, punctuation, whitespace and emoji', () => {
    expect(tokenizer.tokenizeQuery('的 是 我 the and ，。！？ 🎉🎉 \u200b')).toEqual([]);
    expect(tokenizer.tokenizeQuery('')).toEqual([]);
  });

  it('normalises full width, case and Traditional characters before segmentation', () => {
    expect(normalizeText('ＴｉＤＢ 創業')).toBe('tidb 创业');
  });

  it('folds English word forms to one term, and leaves names, short words and Chinese alone', () => {
    const same = (a: string, b: string) => expect(foldLatinTerm(a)).toBe(foldLatinTerm(b));
    same('investors', 'investor');
    same('companies', 'company');
    same('containerize', 'containerization');
    same('hiring', 'hire');
    expect(foldLatinTerm('container')).not.toBe(foldLatinTerm('containerization'));
    expect(foldLatinTerm('news')).not.toBe(foldLatinTerm('new'));
    expect(foldLatinTerm('k8s')).toBe('k8s');
    expect(foldLatinTerm('c++')).toBe('c++');
    expect(foldLatinTerm('node.js')).toBe('node.js');
    expect(foldLatinTerm('ai')).toBe('ai');
    expect(foldLatinTerm('创业')).toBe('创业');
  });

  it('indexes and queries English through the same folding', () => {
    expect(tokenizer.tokenizeQuery('Containerize')).toEqual(tokenizer.tokenizeForIndex('containerization'));
  });
});

describe('user words', () => {
  it('leaves a word the dictionary already holds as jieba cuts it (re-inserting one made it cut worse)', () => {
    // 命名 is in jieba's own dictionary; inserting it again lowered its frequency and 来命名 fell apart.
    const withKnownWord = createTokenizer({ userWords: ['命名'] });
    expect(withKnownWord.tokenizeForIndex('索性用英文最后一个字母来命名')).toContain('命名');
    expect(withKnownWord.tokenizeQuery('来命名')).toContain('命名');
  });
});

describe('separable verbs (离合词)', () => {
  it.each([
    ['我喝了1000多杯咖啡都没融到资', '融资'],
    ['我们见过面', '见面'],
    ['周末又加了班', '加班'],
    ['他辞了职', '辞职'],
  ])('%s is indexed and queried with %s', (text, word) => {
    expect(tokenizer.tokenizeForIndex(text)).toContain(word);
    expect(tokenizer.tokenizeQuery(text)).toContain(word);
  });

  it('adds nothing where the halves belong to other words', () => {
    expect(tokenizer.tokenizeForIndex('出了差错')).not.toContain('出差');
    expect(tokenizer.tokenizeForIndex('见了面试官')).not.toContain('见面');
    expect(tokenizer.tokenizeForIndex('早上了班车')).not.toContain('上班');
    expect(tokenizer.tokenizeQuery('融到资金')).not.toContain('融资');
    expect(tokenizer.tokenizeForIndex('融资')).toEqual(['融资']);
  });
});
