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
  help: {
    name: { 'zh-CN': '帮助', 'zh-TW': '說明' },
    description: { en: 'What Zhenyan does and how to use each command', 'zh-CN': '箴言能做什么，以及每个命令的用法', 'zh-TW': '箴言能做什麼，以及每個指令的用法' },
  },
};

/** Registers more entries (commands defined elsewhere, e.g. daily tips). */
export function defineLocalizations(entries: Record<string, Entry>): void {
  Object.assign(ENTRIES, entries);
}

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
