/**
 * The bot's own words in English, Simplified and Traditional Chinese. Quotes are never translated:
 * only the interface around them is.
 */

/** The languages the bot answers in. */
export type Locale = 'en' | 'zh-CN' | 'zh-TW';

/** Maps a Discord locale (`zh-CN`, `zh-TW`, `en-US`, `fr`...) to one we answer in; English by default. */
export function toLocale(discordLocale: string | null | undefined): Locale {
  if (discordLocale === 'zh-CN') return 'zh-CN';
  if (discordLocale === 'zh-TW') return 'zh-TW';
  return 'en';
}

type Text = Record<Locale, string>;
type Template<A extends unknown[]> = Record<Locale, (...args: A) => string>;

/** Every interface string. Keys are stable; add a key in all three languages at once. */
export const messages = {
  narration: { en: 'Narration', 'zh-CN': '旁白', 'zh-TW': '旁白' } satisfies Text,
  result: {
    en: (i: number, n: number) => `Result ${i} of ${n}`,
    'zh-CN': (i: number, n: number) => `第 ${i} 条，共 ${n} 条`,
    'zh-TW': (i: number, n: number) => `第 ${i} 則，共 ${n} 則`,
  } satisfies Template<[number, number]>,
  previous: { en: 'Previous', 'zh-CN': '上一条', 'zh-TW': '上一則' } satisfies Text,
  next: { en: 'Next', 'zh-CN': '下一条', 'zh-TW': '下一則' } satisfies Text,
  context: { en: 'Context', 'zh-CN': '上下文', 'zh-TW': '上下文' } satisfies Text,
  source: { en: 'Source', 'zh-CN': '出处', 'zh-TW': '出處' } satisfies Text,
  before: { en: 'Before', 'zh-CN': '前文', 'zh-TW': '前文' } satisfies Text,
  after: { en: 'After', 'zh-CN': '后文', 'zh-TW': '後文' } satisfies Text,
  noContext: { en: '(start or end of the interview)', 'zh-CN': '（访谈的开头或结尾）', 'zh-TW': '（訪談的開頭或結尾）' } satisfies Text,
  emptyQuery: {
    en: 'Type something to search for, for example `卖房创业`, `TiDB` or `融资`.',
    'zh-CN': '请输入要搜索的内容，例如 `卖房创业`、`TiDB` 或 `融资`。',
    'zh-TW': '請輸入要搜尋的內容，例如 `賣房創業`、`TiDB` 或 `融資`。',
  } satisfies Text,
  noTerms: {
    en: 'That query has nothing to search for (only punctuation, emoji or very common words). Try a name or a topic, like `云计算` or `TiDB`.',
    'zh-CN': '这个查询里没有可搜索的词（只有标点、表情或太常见的词）。试试人名或话题，比如 `云计算` 或 `TiDB`。',
    'zh-TW': '這個查詢裡沒有可搜尋的詞（只有標點、表情或太常見的詞）。試試人名或話題，例如 `雲端運算` 或 `TiDB`。',
  } satisfies Text,
  unknownSpeaker: {
    en: (list: string) => `I don't know that speaker. Try one of: ${list}.`,
    'zh-CN': (list: string) => `没有找到这位讲者。可以试试：${list}。`,
    'zh-TW': (list: string) => `沒有找到這位講者。可以試試：${list}。`,
  } satisfies Template<[string]>,
  unknownSource: {
    en: (list: string) => `I don't know that interview. Use \`/sources\` to list them: ${list}.`,
    'zh-CN': (list: string) => `没有找到这篇访谈。用 \`/sources\` 查看全部：${list}。`,
    'zh-TW': (list: string) => `沒有找到這篇訪談。用 \`/sources\` 查看全部：${list}。`,
  } satisfies Template<[string]>,
  noResults: {
    en: (suggestions: string) => (suggestions ? `Nothing matches. Did you mean: ${suggestions}?` : 'Nothing matches. Try fewer or other words.'),
    'zh-CN': (suggestions: string) => (suggestions ? `没有找到匹配的段落。你是不是想找：${suggestions}？` : '没有找到匹配的段落。试试更少或别的词。'),
    'zh-TW': (suggestions: string) => (suggestions ? `沒有找到符合的段落。你是不是想找：${suggestions}？` : '沒有找到符合的段落。試試更少或別的詞。'),
  } satisfies Template<[string]>,
  queryCut: {
    en: (n: number) => `Your query was long: I searched its first ${n} characters.`,
    'zh-CN': (n: number) => `查询太长，只搜索了前 ${n} 个字符。`,
    'zh-TW': (n: number) => `查詢太長，只搜尋了前 ${n} 個字元。`,
  } satisfies Template<[number]>,
  expired: {
    en: 'These buttons have expired. Run the command again.',
    'zh-CN': '这些按钮已过期，请重新运行命令。',
    'zh-TW': '這些按鈕已過期，請重新執行指令。',
  } satisfies Text,
  notYours: {
    en: 'Only the person who ran this search can page through it. Run `/quote` yourself to get your own.',
    'zh-CN': '只有发起这次搜索的人可以翻页。你可以自己运行 `/quote`。',
    'zh-TW': '只有發起這次搜尋的人可以翻頁。你可以自己執行 `/quote`。',
  } satisfies Text,
  unknownButton: {
    en: "I don't recognise that button. Run the command again.",
    'zh-CN': '无法识别这个按钮，请重新运行命令。',
    'zh-TW': '無法識別這個按鈕，請重新執行指令。',
  } satisfies Text,
  rateLimited: {
    en: (seconds: number) => `You're going a bit fast. Try again in ${seconds} s.`,
    'zh-CN': (seconds: number) => `操作太快了，请 ${seconds} 秒后再试。`,
    'zh-TW': (seconds: number) => `操作太快了，請 ${seconds} 秒後再試。`,
  } satisfies Template<[number]>,
  internalError: {
    en: (id: string) => `Something went wrong on my side. It has been logged as \`${id}\`; please try again.`,
    'zh-CN': (id: string) => `出了点问题，已记录为 \`${id}\`，请稍后再试。`,
    'zh-TW': (id: string) => `出了點問題，已記錄為 \`${id}\`，請稍後再試。`,
  } satisfies Template<[string]>,
  unknownCommand: {
    en: "I don't know that command. Try `/help`.",
    'zh-CN': '没有这个命令，试试 `/help`。',
    'zh-TW': '沒有這個指令，試試 `/help`。',
  } satisfies Text,
  randomEmpty: {
    en: 'No passage to show for that speaker.',
    'zh-CN': '这位讲者没有可展示的段落。',
    'zh-TW': '這位講者沒有可展示的段落。',
  } satisfies Text,
  speakerInterviews: { en: 'Interviews', 'zh-CN': '访谈', 'zh-TW': '訪談' } satisfies Text,
  speakerQuote: { en: 'A quote', 'zh-CN': '代表语录', 'zh-TW': '代表語錄' } satisfies Text,
  aliases: { en: 'Also known as', 'zh-CN': '别名', 'zh-TW': '別名' } satisfies Text,
  sourcesTitle: { en: 'Interviews in Zhenyan', 'zh-CN': '箴言收录的访谈', 'zh-TW': '箴言收錄的訪談' } satisfies Text,
  passages: {
    en: (n: number) => `${n} passages`,
    'zh-CN': (n: number) => `${n} 段`,
    'zh-TW': (n: number) => `${n} 段`,
  } satisfies Template<[number]>,
  helpTitle: { en: 'Zhenyan 箴言: quotes from technology founders', 'zh-CN': '箴言：科技创业者的原话', 'zh-TW': '箴言：科技創業者的原話' } satisfies Text,
  helpIntro: {
    en: 'Search long interviews with founders (UCloud, PingCAP, OneFlow, Alluxio, ZStack, 美信拓扑...) and get the passage verbatim, with who said it and where.',
    'zh-CN': '搜索科技创业者（UCloud、PingCAP、OneFlow、Alluxio、ZStack、美信拓扑……）的长篇访谈，原文返回最相关的段落，并注明讲者和出处。',
    'zh-TW': '搜尋科技創業者（UCloud、PingCAP、OneFlow、Alluxio、ZStack、美信拓撲……）的長篇訪談，原文回傳最相關的段落，並註明講者和出處。',
  } satisfies Text,
  guildOnly: {
    en: 'This command works in a server, not in direct messages.',
    'zh-CN': '这个命令只能在服务器里使用，不能在私信中使用。',
    'zh-TW': '這個指令只能在伺服器裡使用，不能在私訊中使用。',
  } satisfies Text,
} as const;

/** Picks the string for `locale`. */
export function t(text: Text, locale: Locale): string {
  return text[locale];
}
