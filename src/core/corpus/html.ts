/**
 * HTML input for the importer, read with htmlparser2 (a well-kept, forgiving parser), never with regexes:
 * a page becomes plain text with one paragraph per block element, and everything that is not the article's
 * words (scripts, navigation, images, captions, link targets, forms) is dropped and listed.
 */
import { parseDocument } from 'htmlparser2';
import type { ChildNode, Element } from 'domhandler';

/** Elements whose content is never the article's words. */
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'nav', 'footer', 'aside', 'form', 'iframe', 'svg', 'button', 'select', 'canvas', 'video', 'audio', 'head']);
/** Elements that end a paragraph. */
const BLOCKS = new Set([
  'p', 'div', 'section', 'article', 'main', 'header', 'blockquote', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'table', 'tr', 'td', 'th',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'pre', 'figure', 'hr', 'body', 'html',
]);

/** What {@link htmlToText} produced. */
export interface HtmlText {
  /** Plain text: paragraphs separated by blank lines, `# ` before the first `h1`, `## ` before other headings. */
  text: string;
  /** The page's `<title>`, if any. */
  title: string | null;
  /** What was dropped: `image …`, `caption …`, `link target …`, `script`, `navigation`, … */
  removed: string[];
}

function isElement(node: ChildNode): node is Element {
  return node.type === 'tag' || node.type === 'script' || node.type === 'style';
}

/** Collapses HTML whitespace (any run of spaces, tabs and newlines is one space), keeping `\n` markers. */
function collapse(text: string): string {
  return text.replace(/[ \t\r\f\v]+/g, ' ').replace(/ *\n */g, '\n');
}

/**
 * Converts an HTML page to the importer's plain-text input.
 *
 * @param html - the decoded HTML.
 */
export function htmlToText(html: string): HtmlText {
  const document = parseDocument(html, { decodeEntities: true });
  const removed: string[] = [];
  const out: string[] = [];
  let title: string | null = null;
  let sawH1 = false;
  let buffer = '';
  const flush = (prefix = ''): void => {
    const paragraph = collapse(buffer).split('\n').map((l) => l.trim()).filter((l) => l !== '');
    buffer = '';
    for (const line of paragraph) out.push(`${prefix}${line}`, '');
  };
  const walk = (nodes: ChildNode[]): void => {
    for (const node of nodes) {
      if (node.type === 'text') {
        buffer += (node as unknown as { data: string }).data;
        continue;
      }
      if (!isElement(node)) continue;
      const name = node.name.toLowerCase();
      if (name === 'title') {
        title ??= collapse(textOf(node)).trim() || null;
        continue;
      }
      if (SKIPPED.has(name)) {
        if (name !== 'head') removed.push(name === 'nav' ? 'navigation' : name);
        continue;
      }
      if (name === 'img') {
        removed.push(`image ${node.attribs['src'] ?? ''}`.trim());
        continue;
      }
      if (name === 'figcaption' || /\bcaption\b/i.test(node.attribs['class'] ?? '')) {
        removed.push(`caption ${collapse(textOf(node)).trim()}`);
        continue;
      }
      if (name === 'br') {
        buffer += '\n';
        continue;
      }
      if (name === 'a' && node.attribs['href']) removed.push(`link target ${node.attribs['href']}`);
      if (BLOCKS.has(name)) {
        flush();
        walk(node.children);
        const heading = /^h([1-6])$/.exec(name);
        if (heading) {
          const level = heading[1] === '1' && !sawH1 ? '# ' : '## ';
          if (heading[1] === '1') sawH1 = true;
          flush(level);
        } else {
          flush();
        }
        continue;
      }
      walk(node.children);
    }
  };
  walk(document.children);
  flush();
  const text = out.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return { text: title !== null && !sawH1 ? `# ${title}\n\n${text}` : text, title, removed };
}

/** The text of a node and its descendants. */
function textOf(node: ChildNode): string {
  if (node.type === 'text') return (node as unknown as { data: string }).data;
  return isElement(node) ? node.children.map(textOf).join('') : '';
}

/**
 * The text of an HTML fragment inside a line of Markdown or plain text (`<span>…</span>`, `<br/>`):
 * tags removed through the parser, entities decoded; images and captions dropped.
 */
export function htmlFragmentText(fragment: string): { text: string; removed: string[] } {
  const document = parseDocument(fragment, { decodeEntities: true });
  const removed: string[] = [];
  const parts: string[] = [];
  const walk = (nodes: ChildNode[]): void => {
    for (const node of nodes) {
      if (node.type === 'text') parts.push((node as unknown as { data: string }).data);
      else if (isElement(node)) {
        const name = node.name.toLowerCase();
        if (SKIPPED.has(name)) removed.push(`<${name}>`);
        else if (name === 'img') removed.push(`<img src="${node.attribs['src'] ?? ''}">`);
        else if (name === 'figcaption') removed.push(`<figcaption>${textOf(node)}</figcaption>`);
        else {
          removed.push(`<${name}>`);
          walk(node.children);
        }
      }
    }
  };
  walk(document.children);
  return { text: parts.join('').replace(/\s+/g, ' ').trim(), removed };
}
