/**
 * What the importer recognises as junk in scraped interview text: nobody's words, only the scraping site's
 * or the page template's. The same definitions back the tests that check the curated corpus is clean.
 *
 * Cleaning only deletes: a paragraph that is junk is dropped whole, and a spam phrase injected into a
 * sentence is cut out exactly, leaving the sentence around it untouched.
 */

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
export const TAIL_MARKERS: readonly RegExp[] = [/^相关(?:文章|阅读|推荐)$/, /^阅读原文[:：]/, /^Copyright\b/i, /^💡/];

/**
 * Promotional one-liners: links "戳链接了解", "立即了解", emoji-led calls to action (👉👇👆▲), arrow captions
 * (↓↓↓ … ↓↓↓), "关注/欢迎长期关注" account plugs.
 */
export const PROMO = /戳链接|立即了解|一键帮你|^[👉👇👆▲💡]|^[↓↑]{2,}|本公众号|欢迎长期关注|欢迎私信投稿|^以下文章来源于/u;

/** Page chrome: a lone `|`, a bare number or counter (`8`, `139 0`), `END`, reading-time and like counts. */
export const PAGE_CHROME = /^(?:\||\d+(?:\s+\d+)*|END|[\d.]+k? 声望.*粉丝|\d+\s*(?:分钟|小时|天|月|年)前)$/i;

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
    QR_PROMPT.test(text) ||
    /\.(?:png|jpe?g|gif|webp)\b/i.test(text) ||
    KNOWN_SPAM_PHRASES.some((p) => text.includes(p))
  );
}
