/**
 * What the importer recognises as junk in scraped interview text: nobody's words, only the scraping site's
 * or the page template's. The same definitions back the tests that check the curated corpus is clean.
 *
 * Cleaning only deletes: a paragraph that is junk is dropped whole, and a spam phrase injected into a
 * sentence is cut out exactly, leaving the sentence around it untouched.
 */

import { htmlFragmentText } from './html.ts';

/**
 * Phrases the scraping site injected into the middle of sentences (SEO and "make money" spam). They are
 * cut out exactly wherever they appear. Found by reading every raw interview; extend when a new source
 * shows new ones.
 */
export const KNOWN_SPAM_PHRASES: readonly string[] = ['熊猫侠打码网页版', '新手网赚', '小鱼赚钱是真的吗'];

/** Image file extensions seen in scraped pages. */
const IMAGE_EXT = '(?:png|jpe?g|gif|webp|bmp|svg)';

/**
 * A line that is just an image file name: `image.png`, `孙琦.png`, `640.webp (1).jpg`, `640 (2).JPG`,
 * `TB1HLKARVXXXXcKXpXXXXXXXXXX-586-338.jpg`, `segmentfault 思否公众号.png`.
 */
export const IMAGE_FILE_NAME = new RegExp(`^[^\\s。，,！？!?：:]{1,80}(?: [^\\s。，,！？!?]{1,20}){0,2}\\.${IMAGE_EXT}$`, 'i');

/** A Markdown image `![alt](target)`. */
export const MARKDOWN_IMAGE = /!\[[^\]]*\]\([^)]*\)/;

/** A Markdown link `[text](target)` (not an image). */
export const MARKDOWN_LINK = /(?<!!)\[[^\]]*\]\([^)]*\)/;

/** An absolute URL. */
export const URL_PATTERN = /\bhttps?:\/\/\S+/i;

/** QR-code and "scan me" prompts. */
export const QR_PROMPT = /扫码|扫一扫|二维码|长按识别|长按上方|识别图中/;

/** A site breadcrumb such as `首页 > 科技`. */
export const BREADCRUMB = /^首页\s*[>＞»/]\s*\S{1,10}(?:\s*[>＞»/]\s*\S{1,10})*$/;

/** Copyright and site footers. */
export const FOOTER = /^(?:Copyright\b|©|版权所有|All Rights Reserved|声明[:：].*本网站|如涉及版权问题|内容仅代表作者个人观点)/i;

/**
 * Lines after which everything is junk: a "相关文章" (related articles) list, a "阅读原文" (read the
 * original) link, a copyright footer, or a promotional block opening with 💡.
 */
export const TAIL_MARKERS: readonly RegExp[] = [
  /^相关(?:文章|阅读|推荐)[:：]?$/,
  /^(?:推荐阅读|延伸阅读|猜你喜欢|热门文章)[:：]?$/,
  /^阅读原文[:：]/,
  /^Copyright\b/i,
  /^💡/,
  /^(?:Related (?:articles|posts|stories|reading|episodes)|You (?:may|might) also (?:like|enjoy)|More (?:from|episodes)\b.{0,40})[:：]?$/i,
];

/**
 * Promotional one-liners: links "戳链接了解", "立即了解", emoji-led calls to action (👉👇👆▲), arrow captions
 * (↓↓↓ … ↓↓↓), "关注/欢迎长期关注" account plugs.
 */
export const PROMO = /戳链接|立即了解|一键帮你|^[👉👇👆▲💡]|^[↓↑]{2,}|本公众号|欢迎长期关注|欢迎私信投稿|^以下文章来源于/u;

/** Page chrome: a lone `|`, a bare number or counter (`8`, `139 0`), `END`, reading-time and like counts. */
export const PAGE_CHROME = /^(?:\||\d+(?:\s+\d+)*|END|[\d.]+k? 声望.*粉丝|\d+\s*(?:分钟|小时|天|月|年)前)$/i;

/** A Markdown code fence. */
export const CODE_FENCE = /^(?:```|~~~)/;

/** A line holding an HTML caption (`<figcaption>…`, `<p class="caption">…`): the caption of an image. */
export const HTML_CAPTION = /<figcaption\b|<(?:p|div|span)\b[^>]*class="[^"]*caption/i;

/** An absolute URL without swallowing the Chinese text glued after it. */
const URL_INLINE = /(?:\bhttps?:\/\/|\bwww\.)[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+(?:\([A-Za-z0-9\-._~/%]*\))?/gi;
/** A Markdown link `[text](target)`: the text is kept, the target removed. */
const MARKDOWN_LINK_GLOBAL = /(?<!!)\[([^\]]*)\]\(([^)]*)\)/g;
/** `[12:03]`, `[01:02:03]`, `(12:03)`, `[00:00:00.240 --> 00:00:03.440]`, and a timestamp opening a line. */
const TIMESTAMP_INLINE = /[\[(]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?:\s*-->\s*\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?)?[\])]|^\d{1,2}:\d{2}(?::\d{2})?(?=\s)/g;
/** Transcription notes: `[unintelligible 00:12:03]`, `[inaudible]`, `[crosstalk]`, `(laughter)`, `[听不清]`. */
const TRANSCRIPTION_NOTE =
  /[\[(（【](?:unintelligible|inaudible|indiscernible|crosstalk|cross-talk|laughter|laughs|applause|music|silence|pause|background noise|audio (?:cuts out|glitch)|听不清|笑声|掌声|音乐|杂音)[^\])）】]*[\])）】]/gi;

/** Line kinds {@link junkLineKind} recognises, with their patterns. */
const LINE_JUNK: ReadonlyArray<[kind: string, pattern: RegExp]> = [
  ['timestamp', /^[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]?(?:\s*-->\s*\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?)?$/],
  [
    'ad or break marker',
    /^[\[(【（-]*\s*(?:ad|ads|advert(?:isement)?|sponsor(?:ed)?(?: (?:message|segment|break|read))?|(?:ad |commercial |mid-?roll |short )?break|mid-?roll|commercial|广告|插播广告|中场休息|休息一下)\s*[\])】）-]*\s*[:：]?$/i,
  ],
  ['ad or break marker', /^(?:this (?:episode|interview|podcast|show) is (?:sponsored|brought to you) by|today'?s sponsor\b|(?:本期|本节目)(?:节目)?由.{1,30}(?:赞助|冠名))/i],
  ['slide', /^[\[(【（]?\s*(?:slides?|ppt|幻灯片?|演示文稿)\s*(?:\d+|[一二三四五六七八九十]+)?\s*[\])】）]?[:：]?$/i],
  ['slide', /^[\[(【（]\s*(?:slides?|ppt|幻灯片|图|图片|视频|video|见下图|如图)[^\])】）]{0,40}[\])】）]$/i],
  [
    'code',
    /^(?:\$ \S|>>> |#include\b|import \S.* from ['"]|(?:SELECT|INSERT|UPDATE|DELETE|CREATE TABLE)\b[^。]*[;]?$|def \w+\(|function \w+\(|(?:const|let|var) \w+ ?=|public (?:static )?\w|class \w+ ?[{(:]|<\?php|\}$|\{$)/,
  ],
  [
    'page chrome',
    /^(?:站内搜索|写点什么|分享到|分享|收藏|点赞|评论|打印|关闭窗口|返回顶部|上一篇|下一篇|字体[:：]?\s*大\s*中\s*小|Share|Tweet|Subscribe|Sign in|Log in|Advertisement|Listen now|Play episode|Download)[:：]?$/i,
  ],
  ['page chrome', /^\d+ hours? \d+ minutes?(?: \d+ seconds?)?$|^\d+ minutes? \d+ seconds?$|^\p{Regional_Indicator}{2}\s*[A-Za-z\p{Script=Han}]+$/u],
  ['page chrome', /^您(?:现在)?的位置(?:是)?[:：]|^当前位置[:：]|本文字数[:：]|^阅读(?:完)?(?:需|时间)[:：]?|^预计阅读|^\d+\s*min(?:ute)?s?\s*read$|^[+\-*•·=_~]{1,}$/i],
];

/** The kind of junk a whole line is (`timestamp`, `ad or break marker`, `slide`, `code`, `page chrome`), or null. */
export function junkLineKind(text: string): string | null {
  const t = text.trim();
  for (const [kind, pattern] of LINE_JUNK) if (pattern.test(t)) return kind;
  // A line of code: mostly code punctuation and no Han character.
  const symbols = (t.match(/[{}();=<>[\]]/g) ?? []).length;
  if (!/\p{Script=Han}/u.test(t) && t.length >= 8 && symbols / t.length >= 0.15 && /[;{}]$|=>|\(\)/.test(t)) return 'code';
  return null;
}

/**
 * Cuts the junk out of a line and keeps the rest exactly: Markdown images, link targets (the link text
 * stays), URLs, HTML tags (through the HTML parser), timestamps, transcription notes and spam phrases.
 * Where a cut leaves a space on both sides, one space remains.
 */
export function stripInlineJunk(text: string): { text: string; removed: { kind: string; text: string }[] } {
  const removed: { kind: string; text: string }[] = [];
  let out = text;
  if (/<\/?[a-z][^>]*>/i.test(out)) {
    const html = htmlFragmentText(out);
    for (const tag of html.removed) removed.push({ kind: 'html', text: tag });
    out = html.text;
  }
  const cut = (kind: string, pattern: RegExp): void => {
    out = out.replace(new RegExp(`(\\s?)(?:${pattern.source})(\\s?)`, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`), (match, before: string, after: string) => {
      removed.push({ kind, text: match.trim() });
      return before && after ? ' ' : '';
    });
  };
  cut('image', /!\[[^\]]*\]\([^)]*\)/);
  out = out.replace(MARKDOWN_LINK_GLOBAL, (_, label: string, target: string) => {
    removed.push({ kind: 'link target', text: target });
    return label;
  });
  cut('url', URL_INLINE);
  cut('timestamp', TIMESTAMP_INLINE);
  cut('transcription note', TRANSCRIPTION_NOTE);
  const spam = stripInlineSpam(out);
  for (const phrase of spam.removed) removed.push({ kind: 'spam phrase', text: phrase });
  return { text: spam.text.trim(), removed };
}

/** Removes Markdown emphasis and quote markers that are formatting, not words: `**bold**`, `> quote`, `&#x20;`. */
export function stripMarkup(text: string): string {
  return text
    .replace(/&#x20;|&nbsp;/g, ' ')
    .replace(/^(?:>\s?)+/, '')
    .replace(/\*\*/g, '')
    .trim();
}

/**
 * Cuts every {@link KNOWN_SPAM_PHRASES} phrase out of `text`, leaving everything else exactly as it is.
 *
 * @returns the cleaned text and the phrases that were found (once per occurrence).
 */
export function stripInlineSpam(text: string): { text: string; removed: string[] } {
  const removed: string[] = [];
  let out = text;
  for (const phrase of KNOWN_SPAM_PHRASES) {
    while (out.includes(phrase)) {
      out = out.replace(phrase, '');
      removed.push(phrase);
    }
  }
  return { text: out, removed };
}

/** True when `text` is only Markdown images (and whitespace). */
export function isOnlyImages(text: string): boolean {
  return MARKDOWN_IMAGE.test(text) && text.replace(new RegExp(MARKDOWN_IMAGE.source, 'g'), '').trim() === '';
}

/** True when `text` is a bare image file name such as `640.webp (1).jpg`. */
export function isImageFileName(text: string): boolean {
  return IMAGE_FILE_NAME.test(text.trim());
}

/** True when everything from this paragraph on is junk (see {@link TAIL_MARKERS}). */
export function isTailMarker(text: string): boolean {
  const t = stripMarkup(text);
  return TAIL_MARKERS.some((re) => re.test(t));
}

/**
 * True when a whole paragraph is junk: an image file name, only Markdown images, a QR-code prompt, a
 * promotional line, a footer, a breadcrumb, or page chrome. Spam phrases inside a sentence are not
 * paragraph junk: see {@link stripInlineSpam}.
 */
export function isJunkParagraph(text: string): boolean {
  const t = stripMarkup(text);
  if (t === '') return true;
  return (
    isImageFileName(t) ||
    isOnlyImages(t) ||
    QR_PROMPT.test(t) ||
    PROMO.test(t) ||
    FOOTER.test(t) ||
    BREADCRUMB.test(t) ||
    PAGE_CHROME.test(t) ||
    isTailMarker(t)
  );
}

/**
 * True when `text` contains anything the curated corpus must never hold: a junk paragraph, a Markdown
 * image or link, a URL, or a known spam phrase. Used by the corpus tests.
 */
export function containsJunk(text: string): boolean {
  return (
    isJunkParagraph(text) ||
    MARKDOWN_IMAGE.test(text) ||
    MARKDOWN_LINK.test(text) ||
    URL_PATTERN.test(text) ||
    new RegExp(TIMESTAMP_INLINE.source).test(text) ||
    new RegExp(TRANSCRIPTION_NOTE.source, 'i').test(text) ||
    junkLineKind(text) !== null ||
    QR_PROMPT.test(text) ||
    /\.(?:png|jpe?g|gif|webp)\b/i.test(text) ||
    KNOWN_SPAM_PHRASES.some((p) => text.includes(p))
  );
}
