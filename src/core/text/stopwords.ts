/**
 * Stop words for Chinese and English. They are dropped at index and query time so that 的/是/我 or
 * the/and neither dominate BM25 scores nor create huge posting lists.
 *
 * Kept deliberately short: a word that carries meaning in this corpus (云, 钱, 人才) must not be here.
 */
const CHINESE_STOP_WORDS = `
的 地 得 了 着 过 是 在 有 和 与 及 或 而 就 都 也 还 又 再 才 只 很 太 更 最 非常
我 你 他 她 它 我们 你们 他们 她们 它们 咱们 自己 大家 人家
这 那 这个 那个 这些 那些 这样 那样 这种 那种 这里 那里 这么 那么 什么 怎么 怎样 哪 哪个 哪里
一 一个 一些 一下 一点 一种 一样 一直 一定 个 些 种 位 次
上 下 中 里 内 外 前 后 之 之后 之前 以 以及 以后 以前 对 对于 把 被 让 给 从 向 往 到 为 为了
因为 所以 但是 但 可是 然后 而且 并且 如果 虽然 因此 于是 不过 只是 还是 或者 就是 也是 都是
不 没 没有 不是 会 能 能够 可以 要 想 应该 可能 已经 正在 将 曾 曾经
说 讲 去 来 看 做 用 让 叫 吗 呢 吧 啊 呀 嘛 哦 哈 啦 么 呗 嗯
其实 当然 所谓 比如 例如 包括 等 等等 其 其中 此 该 各 每 某 另 另外 其他 其它
`;

const ENGLISH_STOP_WORDS = `
a an the and or but if then else of to in on at by for with from as into onto about over under
is am are was were be been being do does did done have has had having will would shall should can could may might must
i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
this that these those there here what which who whom whose when where why how
not no nor so than too very just also only own same such both each few more most other some any all
s t d ll m re ve up out off again once
`;

function wordsOf(list: string): string[] {
  return list.split(/\s+/u).filter((word) => word.length > 0);
}

/** The default stop-word set (Chinese and English, lowercase). */
export const DEFAULT_STOP_WORDS: ReadonlySet<string> = new Set([
  ...wordsOf(CHINESE_STOP_WORDS),
  ...wordsOf(ENGLISH_STOP_WORDS),
]);
