/**
 * Separable verbs (离合词): Chinese verb–object words that speakers split with an aspect marker or a
 * complement in between: 融资 → 没融到资, 见面 → 见过面, 加班 → 加了班. jieba cuts the split form into
 * pieces that are not the word (没融|到资), so a passage that says 「都没融到资」 was invisible to 融资.
 * The tokenizer adds the whole word as an extra term wherever a split form stands, in passages and
 * queries alike; the text itself is never changed.
 *
 * The list is deliberately short: common words of working life. A split form whose second half starts a
 * longer word is no separable verb (见了面试官, 上了班车, 融到资金) and adds nothing; words whose halves are
 * mostly parts of other words (出差: 出了差错) are not on the list.
 */

/** Separable verbs as [first character, second character]. */
const SEPARABLE_VERBS: ReadonlyArray<readonly [string, string]> = [
  '融资', '见面', '帮忙', '睡觉', '毕业', '结婚', '离婚', '吃饭', '开会', '请假', '加班', '聊天', '打工', '跳槽',
  '上班', '下班', '吃亏', '上当', '发财', '操心', '签约', '辞职',
].map((word) => [word[0]!, word[1]!] as const);

/** What may stand between the two halves: aspect markers and short complements (了, 过, 到, 不到, 完, 个…). */
const INFIX = '(?:了|过|到|完|成|不到|不了|不成|没|个|一个|一次|几次|了一次|过一次)';

const SPLIT_FORM = new RegExp(
  SEPARABLE_VERBS.map(([first, second]) => `${first}${INFIX}${second}`).join('|'),
  'gu',
);

const HAN_CHAR = /\p{Script=Han}/u;

/**
 * The separable verbs standing split in `normalizedText` (once per occurrence), e.g. 没融到资 → ['融资'].
 *
 * @param isWord - whether two characters make a dictionary word: the second half followed by a character
 *   it forms a word with (面 + 试 in 见了面试官) is not the verb's object.
 */
export function separableVerbTerms(normalizedText: string, isWord: (word: string) => boolean): string[] {
  const out: string[] = [];
  for (const match of normalizedText.matchAll(SPLIT_FORM)) {
    const text = match[0];
    const second = text[text.length - 1]!;
    const next = normalizedText[match.index + text.length];
    if (next !== undefined && HAN_CHAR.test(next) && isWord(`${second}${next}`)) continue;
    out.push(`${text[0]}${second}`);
  }
  return out;
}
