/**
 * Localised names and descriptions of commands and options, for Discord's `*_localizations`.
 * Canonical (English) names are what handlers see: Discord always sends those.
 */
import type { LocalizationMap } from 'discord-api-types/v10';

interface Entry {
  /** Localised names (lowercase, no spaces; Discord's rules). Optional: English is used otherwise. */
  name?: { 'zh-CN': string; 'zh-TW': string };
  description: { en: string; 'zh-CN': string; 'zh-TW': string };
}

const ENTRIES: Record<string, Entry> = {
  quote: {
    name: { 'zh-CN': '语录', 'zh-TW': '語錄' },
    description: { en: 'Find the best passage for a topic, verbatim, with its source', 'zh-CN': '搜索最相关的原文段落，附讲者和出处', 'zh-TW': '搜尋最相關的原文段落，附講者和出處' },
  },
  'quote.query': {
    name: { 'zh-CN': '关键词', 'zh-TW': '關鍵詞' },
    description: { en: 'What to search for (Chinese or English)', 'zh-CN': '要搜索的内容（中文或英文）', 'zh-TW': '要搜尋的內容（中文或英文）' },
  },
  'quote.speaker': {
    name: { 'zh-CN': '讲者', 'zh-TW': '講者' },
    description: { en: 'Only passages by this person', 'zh-CN': '只看这位讲者的段落', 'zh-TW': '只看這位講者的段落' },
  },
  'quote.source': {
    name: { 'zh-CN': '访谈', 'zh-TW': '訪談' },
    description: { en: 'Only passages from this interview', 'zh-CN': '只看这篇访谈', 'zh-TW': '只看這篇訪談' },
  },
  random: {
    name: { 'zh-CN': '随机', 'zh-TW': '隨機' },
    description: { en: 'A random passage worth quoting', 'zh-CN': '随机一段值得分享的原话', 'zh-TW': '隨機一段值得分享的原話' },
  },
  'random.speaker': {
    name: { 'zh-CN': '讲者', 'zh-TW': '講者' },
    description: { en: 'Only passages by this person', 'zh-CN': '只看这位讲者', 'zh-TW': '只看這位講者' },
  },
  perspectives: {
    name: { 'zh-CN': '各家观点', 'zh-TW': '各家觀點' },
    description: { en: 'Each speaker’s best passage on a topic, side by side', 'zh-CN': '每位讲者对同一话题最相关的一段话，并排展示', 'zh-TW': '每位講者對同一話題最相關的一段話，並排展示' },
  },
  'perspectives.topic': {
    name: { 'zh-CN': '话题', 'zh-TW': '話題' },
    description: { en: 'The topic, e.g. 开源, 融资, open source', 'zh-CN': '话题，例如 开源、融资', 'zh-TW': '話題，例如 開源、融資' },
  },
  speaker: {
    name: { 'zh-CN': '讲者', 'zh-TW': '講者' },
    description: { en: 'Who is this person, and one of their best quotes', 'zh-CN': '这位讲者是谁，以及一句代表性的话', 'zh-TW': '這位講者是誰，以及一句代表性的話' },
  },
  'speaker.name': {
    name: { 'zh-CN': '名字', 'zh-TW': '名字' },
    description: { en: 'Name or alias, e.g. 季昕华, 一乐, Qi Jun', 'zh-CN': '名字或别名，例如 季昕华、一乐、Qi Jun', 'zh-TW': '名字或別名，例如 季昕華、一樂、Qi Jun' },
  },
  sources: {
    name: { 'zh-CN': '来源', 'zh-TW': '來源' },
    description: { en: 'The interviews in the corpus, with speakers and links', 'zh-CN': '收录的访谈、讲者和链接', 'zh-TW': '收錄的訪談、講者和連結' },
  },
  tip: {
    name: { 'zh-CN': '今日箴言', 'zh-TW': '今日箴言' },
    description: { en: 'Today’s tip for this channel (the one the daily post shows)', 'zh-CN': '本频道今天的箴言（与每日推送相同）', 'zh-TW': '本頻道今天的箴言（與每日推送相同）' },
  },
  'tip.card': {
    name: { 'zh-CN': '卡片', 'zh-TW': '卡片' },
    description: { en: 'Post it as a picture card (with the text too)', 'zh-CN': '以图片卡片发布（同时附文字）', 'zh-TW': '以圖片卡片發佈（同時附文字）' },
  },
  daily: {
    name: { 'zh-CN': '每日箴言', 'zh-TW': '每日箴言' },
    description: { en: 'Post one tip a day in a channel', 'zh-CN': '每天在频道里发一条箴言', 'zh-TW': '每天在頻道裡發一則箴言' },
  },
  'daily.set': {
    name: { 'zh-CN': '设置', 'zh-TW': '設定' },
    description: { en: 'Subscribe a channel at a time of day', 'zh-CN': '为频道设置每天的发送时间', 'zh-TW': '為頻道設定每天的發送時間' },
  },
  'daily.set.channel': {
    name: { 'zh-CN': '频道', 'zh-TW': '頻道' },
    description: { en: 'Where to post', 'zh-CN': '发到哪个频道', 'zh-TW': '發到哪個頻道' },
  },
  'daily.set.time': {
    name: { 'zh-CN': '时间', 'zh-TW': '時間' },
    description: { en: 'Time of day, 24-hour HH:MM (e.g. 09:00)', 'zh-CN': '每天的时间，24 小时制 HH:MM（如 09:00）', 'zh-TW': '每天的時間，24 小時制 HH:MM（如 09:00）' },
  },
  'daily.set.timezone': {
    name: { 'zh-CN': '时区', 'zh-TW': '時區' },
    description: {
      en: 'Time zone: a city or region (Asia/Shanghai), EST, PST, UTC+8… (default: the bot’s default)',
      'zh-CN': '时区：城市或地区（Asia/Shanghai）、北京时间、EST、UTC+8 等（默认为机器人的默认时区）',
      'zh-TW': '時區：城市或地區（Asia/Taipei）、台北時間、EST、UTC+8 等（預設為機器人的預設時區）',
    },
  },
  'daily.set.role': {
    name: { 'zh-CN': '提及身份组', 'zh-TW': '提及身分組' },
    description: { en: 'A role to mention in each post (optional)', 'zh-CN': '每次发帖时提及的身份组（可选）', 'zh-TW': '每次發文時提及的身分組（可選）' },
  },
  'daily.set.style': {
    name: { 'zh-CN': '样式', 'zh-TW': '樣式' },
    description: { en: 'Text (default) or a picture card with the text', 'zh-CN': '文字（默认）或图片卡片加文字', 'zh-TW': '文字（預設）或圖片卡片加文字' },
  },
  'daily.off': {
    name: { 'zh-CN': '关闭', 'zh-TW': '關閉' },
    description: { en: 'Stop the daily tip of a channel (default: this one)', 'zh-CN': '停止某个频道的每日箴言（默认当前频道）', 'zh-TW': '停止某個頻道的每日箴言（預設目前頻道）' },
  },
  'daily.off.channel': {
    name: { 'zh-CN': '频道', 'zh-TW': '頻道' },
    description: { en: 'The channel (default: this one)', 'zh-CN': '频道（默认当前频道）', 'zh-TW': '頻道（預設目前頻道）' },
  },
  'daily.status': {
    name: { 'zh-CN': '状态', 'zh-TW': '狀態' },
    description: { en: 'Each subscription, its next post and its last result', 'zh-CN': '每个订阅、下一次发帖时间和上次结果', 'zh-TW': '每個訂閱、下一次發文時間和上次結果' },
  },
  'daily.preview': {
    name: { 'zh-CN': '预览', 'zh-TW': '預覽' },
    description: { en: 'Show today’s post for this channel, only to you', 'zh-CN': '预览本频道今天的帖子（仅自己可见）', 'zh-TW': '預覽本頻道今天的貼文（僅自己可見）' },
  },
  help: {
    name: { 'zh-CN': '帮助', 'zh-TW': '說明' },
    description: { en: 'What Zhenyan does and how to use each command', 'zh-CN': '箴言能做什么，以及每个命令的用法', 'zh-TW': '箴言能做什麼，以及每個指令的用法' },
  },
};

/** The English description and the zh-CN/zh-TW localisations of a command or option (`command.option`). */
export function localized(key: string): {
  description: string;
  description_localizations: LocalizationMap;
  name_localizations?: LocalizationMap;
} {
  const entry = ENTRIES[key];
  if (!entry) throw new Error(`zhenyan: no localisation for "${key}"`);
  return {
    description: entry.description.en,
    description_localizations: { 'zh-CN': entry.description['zh-CN'], 'zh-TW': entry.description['zh-TW'] },
    ...(entry.name ? { name_localizations: { 'zh-CN': entry.name['zh-CN'], 'zh-TW': entry.name['zh-TW'] } } : {}),
  };
}

/** The English description of a command (for `/help` and the console). */
export function describeCommand(key: string, locale: 'en' | 'zh-CN' | 'zh-TW'): string {
  return ENTRIES[key]?.description[locale] ?? '';
}
