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
  card: { en: 'Card', 'zh-CN': '卡片', 'zh-TW': '卡片' } satisfies Text,
  cardBusy: {
    en: 'Many cards are being drawn right now. Try again in a few seconds.',
    'zh-CN': '正在生成的卡片太多了，请几秒后再试。',
    'zh-TW': '正在產生的卡片太多了，請幾秒後再試。',
  } satisfies Text,
  cardsOff: {
    en: 'Quote cards are not available here.',
    'zh-CN': '这里无法使用语录卡片。',
    'zh-TW': '這裡無法使用語錄卡片。',
  } satisfies Text,
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
  asked: {
    en: (who: string | null, question: string) => `${who ? `${who} asked` : 'Asked'}: ${question}`,
    'zh-CN': (who: string | null, question: string) => `${who ?? ''}问：${question}`,
    'zh-TW': (who: string | null, question: string) => `${who ?? ''}問：${question}`,
  } satisfies Template<[string | null, string]>,
  perspectivesTitle: {
    en: (topic: string) => `Perspectives: ${topic}`,
    'zh-CN': (topic: string) => `各家观点：${topic}`,
    'zh-TW': (topic: string) => `各家觀點：${topic}`,
  } satisfies Template<[string]>,
  perspectivesNone: {
    en: 'Nobody in the corpus speaks about that. Try another topic, like `开源` or `融资`.',
    'zh-CN': '没有讲者谈到这个话题。试试别的话题，比如 `开源` 或 `融资`。',
    'zh-TW': '沒有講者談到這個話題。試試別的話題，例如 `開源` 或 `融資`。',
  } satisfies Text,
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
  searchLabel: { en: 'Search', 'zh-CN': '搜索', 'zh-TW': '搜尋' } satisfies Text,
  missingOption: {
    en: (name: string) => `The option \`${name}\` is missing. Try \`/help\`.`,
    'zh-CN': (name: string) => `缺少选项 \`${name}\`，试试 \`/help\`。`,
    'zh-TW': (name: string) => `缺少選項 \`${name}\`，試試 \`/help\`。`,
  } satisfies Template<[string]>,
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
  dailyTitle: { en: 'Daily tip · 每日箴言', 'zh-CN': '每日箴言', 'zh-TW': '每日箴言' } satisfies Text,
  tipTitle: {
    en: (day: string) => `Tip for ${day}`,
    'zh-CN': (day: string) => `${day} 的箴言`,
    'zh-TW': (day: string) => `${day} 的箴言`,
  } satisfies Template<[string]>,
  noTips: { en: 'There are no tips in the corpus yet.', 'zh-CN': '语料里还没有可用的箴言。', 'zh-TW': '語料裡還沒有可用的箴言。' } satisfies Text,
  needManageServer: {
    en: 'You need the **Manage Server** permission to change daily tips.',
    'zh-CN': '需要 **管理服务器** 权限才能修改每日箴言。',
    'zh-TW': '需要 **管理伺服器** 權限才能修改每日箴言。',
  } satisfies Text,
  badTime: {
    en: (value: string) => `"${value}" is not a time of day. Use 24-hour HH:MM, for example 09:00 or 21:30.`,
    'zh-CN': (value: string) => `"${value}" 不是有效的时间。请用 24 小时制 HH:MM，例如 09:00 或 21:30。`,
    'zh-TW': (value: string) => `"${value}" 不是有效的時間。請用 24 小時制 HH:MM，例如 09:00 或 21:30。`,
  } satisfies Template<[string]>,
  badZone: {
    en: (value: string) => `"${value}" is not a time zone I know. Pick one from the list, for example Asia/Shanghai or Europe/London.`,
    'zh-CN': (value: string) => `不认识时区 "${value}"。请从列表中选择，例如 Asia/Shanghai 或 Europe/London。`,
    'zh-TW': (value: string) => `不認識時區 "${value}"。請從清單中選擇，例如 Asia/Taipei 或 Europe/London。`,
  } satisfies Template<[string]>,
  badZoneDidYouMean: {
    en: (value: string, zones: string) => `"${value}" is not a time zone I know. Did you mean ${zones}?`,
    'zh-CN': (value: string, zones: string) => `不认识时区 "${value}"。你是不是想选 ${zones}？`,
    'zh-TW': (value: string, zones: string) => `不認識時區 "${value}"。你是不是想選 ${zones}？`,
  } satisfies Template<[string, string]>,
  ambiguousZone: {
    en: (value: string, zones: string) => `"${value}" can mean more than one time zone: ${zones}. Run the command again with the one you mean.`,
    'zh-CN': (value: string, zones: string) => `"${value}" 可以指不同的时区：${zones}。请选定其中一个后重新运行命令。`,
    'zh-TW': (value: string, zones: string) => `"${value}" 可以指不同的時區：${zones}。請選定其中一個後重新執行指令。`,
  } satisfies Template<[string, string]>,
  fixedOffsetZone: {
    en: (value: string, zones: string) =>
      `"${value}" is a fixed UTC offset; it does not follow daylight saving time, so the post would drift by an hour. Pick a place instead${zones ? `, for example ${zones}` : ''}.`,
    'zh-CN': (value: string, zones: string) => `"${value}" 是固定的 UTC 偏移，不会随夏令时调整。请改选一个地区时区${zones ? `，例如 ${zones}` : ''}。`,
    'zh-TW': (value: string, zones: string) => `"${value}" 是固定的 UTC 偏移，不會隨夏令時間調整。請改選一個地區時區${zones ? `，例如 ${zones}` : ''}。`,
  } satisfies Template<[string, string]>,
  badChannel: {
    en: 'Pick a text or announcement channel of this server.',
    'zh-CN': '请选择本服务器的文字频道或公告频道。',
    'zh-TW': '請選擇本伺服器的文字頻道或公告頻道。',
  } satisfies Text,
  missingPermissions: {
    en: (channel: string, missing: string) => `I can't post in ${channel}: I'm missing **${missing}** there. Give me that permission and try again.`,
    'zh-CN': (channel: string, missing: string) => `我无法在 ${channel} 发帖：缺少 **${missing}** 权限。请授予后再试。`,
    'zh-TW': (channel: string, missing: string) => `我無法在 ${channel} 發文：缺少 **${missing}** 權限。請授予後再試。`,
  } satisfies Template<[string, string]>,
  subscribed: {
    en: (channel: string, time: string, zone: string, next: string) => `Daily tips go to ${channel} every day at **${time}** (${zone}). Next: ${next}.`,
    'zh-CN': (channel: string, time: string, zone: string, next: string) => `每日箴言将在每天 **${time}**（${zone}）发到 ${channel}。下一次：${next}。`,
    'zh-TW': (channel: string, time: string, zone: string, next: string) => `每日箴言將在每天 **${time}**（${zone}）發到 ${channel}。下一次：${next}。`,
  } satisfies Template<[string, string, string, string]>,
  mentionNote: {
    en: (role: string) => ` Each post mentions ${role}.`,
    'zh-CN': (role: string) => ` 每次发帖会提及 ${role}。`,
    'zh-TW': (role: string) => ` 每次發文會提及 ${role}。`,
  } satisfies Template<[string]>,
  unsubscribed: {
    en: (n: number) => (n === 0 ? 'There was no daily tip to turn off.' : `Daily tips turned off (${n}).`),
    'zh-CN': (n: number) => (n === 0 ? '没有需要关闭的每日箴言。' : `已关闭每日箴言（${n} 个）。`),
    'zh-TW': (n: number) => (n === 0 ? '沒有需要關閉的每日箴言。' : `已關閉每日箴言（${n} 個）。`),
  } satisfies Template<[number]>,
  noSubscriptions: {
    en: 'No daily tips in this server yet. Use `/daily set` to add one.',
    'zh-CN': '本服务器还没有订阅每日箴言。用 `/daily set` 添加。',
    'zh-TW': '本伺服器還沒有訂閱每日箴言。用 `/daily set` 新增。',
  } satisfies Text,
  statusTitle: { en: 'Daily tips in this server', 'zh-CN': '本服务器的每日箴言', 'zh-TW': '本伺服器的每日箴言' } satisfies Text,
  statusNext: { en: 'Next post', 'zh-CN': '下一次', 'zh-TW': '下一次' } satisfies Text,
  badStyle: {
    en: 'The style is `text` or `card`.',
    'zh-CN': '样式只能是 `text`（文字）或 `card`（卡片）。',
    'zh-TW': '樣式只能是 `text`（文字）或 `card`（卡片）。',
  } satisfies Text,
  styleText: { en: 'text', 'zh-CN': '文字', 'zh-TW': '文字' } satisfies Text,
  styleCard: { en: 'card', 'zh-CN': '卡片', 'zh-TW': '卡片' } satisfies Text,
  statusLast: { en: 'Last post', 'zh-CN': '上一次', 'zh-TW': '上一次' } satisfies Text,
  statusNever: { en: 'none yet', 'zh-CN': '还没有', 'zh-TW': '還沒有' } satisfies Text,
  statusPaused: {
    en: (reason: string) => `⏸ Paused: ${reason}`,
    'zh-CN': (reason: string) => `⏸ 已暂停：${reason}`,
    'zh-TW': (reason: string) => `⏸ 已暫停：${reason}`,
  } satisfies Template<[string]>,
  pauseGuildLeft: { en: 'the bot left the server', 'zh-CN': '机器人已离开服务器', 'zh-TW': '機器人已離開伺服器' } satisfies Text,
  pauseFailures: {
    en: 'several days in a row failed (fix the permission or channel, then `/daily set` again)',
    'zh-CN': '连续多天发送失败（修好权限或频道后重新 `/daily set`）',
    'zh-TW': '連續多天發送失敗（修好權限或頻道後重新 `/daily set`）',
  } satisfies Text,
  pauseManual: { en: 'paused by an admin', 'zh-CN': '管理员已暂停', 'zh-TW': '管理員已暫停' } satisfies Text,
  lastError: { en: 'Last error', 'zh-CN': '最近的错误', 'zh-TW': '最近的錯誤' } satisfies Text,
  storageUnavailable: {
    en: 'Daily tips are unavailable right now (no database). Searching still works.',
    'zh-CN': '每日箴言暂时不可用（数据库不可用），搜索仍然正常。',
    'zh-TW': '每日箴言暫時不可用（資料庫不可用），搜尋仍然正常。',
  } satisfies Text,
} as const;

/** Picks the string for `locale`. */
export function t(text: Text, locale: Locale): string {
  return text[locale];
}
