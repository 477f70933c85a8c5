/**
 * The mechanical importer: turns a raw scraped interview into a draft curated file for a person to review
 * (`npm run --silent cli -- import raw.txt > data/interviews/<id>.md`). It only deletes what it recognises
 * as junk (see `junk.ts`) and never rewrites a sentence; everything it is unsure of is left in place and
 * the front matter carries TODO comments.
 */
import { serializeInterview } from './format.ts';
import {
  isImageFileName,
  isJunkParagraph,
  isOnlyImages,
  isTailMarker,
  MARKDOWN_IMAGE,
  stripInlineSpam,
  stripMarkup,
} from './junk.ts';
import type { BodyBlock, Interview, Speaker } from './types.ts';

/** Options of {@link importRawText}. */
export interface ImportOptions {
  /** The interview id to write; default `draft` (the reviewer picks the real one). */
  id?: string;
}

/** What {@link importRawText} produced. */
export interface ImportResult {
  /** The draft in the curated file format; it parses with `parseInterview`. */
  markdown: string;
  /** Every junk line and spam phrase that was deleted, in order, for the reviewer to double-check. */
  removed: string[];
  /** How many speaker turns (`Name:` lines or prefixes) were detected. */
  turns: number;
}

/** Words that look like a `Name:` turn but are labels of the page. */
const LABELS = new Set([
  '分享人', '嘉宾', '嘉宾简介', '简介', '导语', '编者按', '作者', '来源', '注', '备注', '问答环节', '主题',
  'Introduction', 'Note', 'Source', 'Author', 'Summary',
]);

/** A short line that is only a name and a colon: `季昕华:`, `刘超：`, `Qi Jun:`. */
const TURN_LINE = /^([\p{Script=Han}·]{2,6}|[A-Z][A-Za-z.'-]*(?: [A-Z][A-Za-z.'-]*){0,2})[ \t]*[:：]$/u;
/** A paragraph that starts with a name and a colon: `刘超:外包的过程…`. */
const TURN_PREFIX = /^([\p{Script=Han}·]{2,4}|[A-Z][A-Za-z.'-]*(?: [A-Z][A-Za-z.'-]*){0,2})[ \t]*[:：][ \t]*(\S.*)$/u;
/** A label line (kept as narration) that ends the current turn. */
const LABEL_LINE = /^(\S{1,12}?)[ \t]*[:：]?$/u;

/** A short line carrying the publication date: `2020-05-19 21:27:01`, `美信拓扑 _2020-08-01 14:26_`. */
const DATE_LINE = /(\d{4})-(\d{2})-(\d{2})/;
/** `Posted Jun 16, 2020…` */
const POSTED_LINE = /^Posted\s+([A-Z][a-z]{2})[a-z]*\.?\s+(\d{1,2}),\s*(\d{4})/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Where the text says where it comes from: `转载自公众号: 浅黑科技`, `以下文章来源于CTO训练营 ，作者…`. */
const SOURCE_LINE = /^(?:转载自(?:公众号)?|来源|以下文章来源于|文章来源)[:：]?\s*([^，,\s]+)/;

/** Sentence-final punctuation: a line ending with it is a paragraph, not a heading. */
const TERMINAL = /[。！？!?；;…：:，,.、][”"’')）」』]*$/;

interface Line {
  /** The raw line. */
  raw: string;
  /** After markup removal and trimming. */
  text: string;
  /** Raw leading whitespace width (`&#x20;` counts 1). */
  indent: number;
  /** Was a Markdown block quote line. */
  quoted: boolean;
}

function toLine(raw: string): Line {
  const expanded = raw.replace(/&#x20;/g, ' ');
  const indent = /^[ \t\u3000]*/.exec(expanded)![0].length;
  return { raw, text: stripMarkup(raw).replace(/^•\s*/, ''), indent, quoted: /^\s*>/.test(raw) };
}

function isImageLine(text: string): boolean {
  return text !== '' && (isImageFileName(text) || isOnlyImages(text));
}

/** True for a plausible section heading: short, no sentence punctuation, alone between blank lines. */
function looksLikeHeading(line: Line, prevBlank: boolean, nextBlank: boolean): boolean {
  const t = line.text;
  if (line.quoted || !prevBlank || !nextBlank || TERMINAL.test(t)) return false;
  const han = (t.match(/\p{Script=Han}/gu) ?? []).length;
  return han > 0 ? [...t].length <= 30 : t.split(/\s+/).length <= 14 && t.length <= 100;
}

/**
 * Makes a draft curated interview from raw scraped text.
 *
 * Deletes the junk it recognises (image file names and Markdown images, the captions right under them,
 * "相关文章" lists and everything after them, promotional and QR-code blocks, footers, breadcrumbs, lone `|`
 * lines, and every known spam phrase inside sentences), keeps each remaining line as one verbatim
 * paragraph, turns short unpunctuated lines and `#` lines into headings, and detects speaker turns: a short
 * line `Name:` starts a turn, a paragraph `Name: text` is a one-paragraph turn whose prefix is removed.
 * Turns end at the next turn, heading or label line (`分享人:`). Title, date and publication are taken from
 * the text when it states them.
 *
 * @param raw - the scraped text.
 * @param options - see {@link ImportOptions}.
 * @returns the draft, the removed junk, and the number of turns found.
 */
export function importRawText(raw: string, options: ImportOptions = {}): ImportResult {
  const rawLines = raw.replace(/^\uFEFF/, '').split(/\r?\n/);
  const removed: string[] = [];
  const lines: (Line | null)[] = []; // null = blank

  // Pass 1: cut the tail, drop images and the captions right under them.
  let titleFromLink: string | null = null;
  let skipCaption = false;
  for (let i = 0; i < rawLines.length; i++) {
    const line = toLine(rawLines[i]!);
    if (line.text === '') {
      lines.push(null);
      continue;
    }
    if (isTailMarker(line.text)) {
      titleFromLink = /^阅读原文[:：]\s*《(.+)》$/.exec(line.text)?.[1] ?? null;
      removed.push(...rawLines.slice(i).map((l) => l.trim()).filter((l) => l !== ''));
      break;
    }
    if (isImageLine(line.text)) {
      removed.push(line.text);
      // A caption is the line right under the image, or the next line indented by exactly one (often
      // non-breaking) space, where body text is indented by two.
      const next = rawLines[i + 1];
      if (next !== undefined && next.trim() !== '' && !isImageLine(toLine(next).text) && toLine(next).text.length <= 60) {
        removed.push(toLine(next).text);
        i++;
      } else {
        skipCaption = true;
      }
      continue;
    }
    if (skipCaption) {
      skipCaption = false;
      if (/^(?:\u00a0| (?! ))/.test(line.raw)) {
        removed.push(line.text);
        continue;
      }
    }
    // Centred lines (deep indentation) are captions and banners.
    if (line.indent >= 6) {
      removed.push(line.text);
      continue;
    }
    lines.push(line);
  }

  // Pass 2: metadata, junk, inline spam.
  let title: string | null = null;
  let date: string | null = null;
  let publication: string | null = null;
  const kept: (Line | null)[] = [];
  for (const line of lines) {
    if (line === null) {
      kept.push(null);
      continue;
    }
    let text = line.text;
    const source = SOURCE_LINE.exec(text);
    if (source && [...text].length <= 60) {
      publication ??= source[1]!;
      removed.push(`(source) ${text}`);
      continue;
    }
    if (isJunkParagraph(text)) {
      removed.push(text);
      continue;
    }
    if (title === null) {
      title = titleFromLink;
      if (title === null && !TURN_LINE.test(text) && [...text].length <= 100 && !/[。!！]$/.test(text)) {
        title = text.replace(/^#+\s*/, '').replace(/_[^_\s]{1,6}$/, '');
        removed.push(`(title) ${text}`);
        continue;
      }
      title ??= 'TODO';
    }
    const posted = POSTED_LINE.exec(text);
    const dated = DATE_LINE.exec(text);
    if (date === null && posted) {
      const month = MONTHS.indexOf(posted[1]!) + 1;
      if (month > 0) date = `${posted[3]}-${String(month).padStart(2, '0')}-${posted[2]!.padStart(2, '0')}`;
      removed.push(`(date) ${text}`);
      continue;
    }
    if (date === null && dated && [...text].length <= 40 && !TERMINAL.test(text.replace(/_$/, ''))) {
      date = `${dated[1]}-${dated[2]}-${dated[3]}`;
      removed.push(`(date) ${text}`);
      continue;
    }
    if (MARKDOWN_IMAGE.test(text)) {
      const cleaned = text.replace(new RegExp(MARKDOWN_IMAGE.source, 'g'), '').trim();
      removed.push(...(text.match(new RegExp(MARKDOWN_IMAGE.source, 'g')) ?? []));
      text = cleaned;
    }
    const spam = stripInlineSpam(text);
    removed.push(...spam.removed);
    kept.push({ ...line, text: spam.text });
  }

  // Pass 3: headings, turns, paragraphs.
  const speakers: Speaker[] = [];
  const speakerFor = (name: string): string => {
    let s = speakers.find((x) => x.name === name);
    if (!s) {
      s = { id: `speaker-${speakers.length + 1}`, name, aliases: [], role: null, company: null };
      speakers.push(s);
    }
    return s.id;
  };
  // A `Name:` prefix inside a paragraph counts as a turn when the name also has a turn line of its own,
  // or starts at least two paragraphs (so 「第一件:…」 or 「领导:…」 said once stays narration).
  const prefixCounts = new Map<string, number>();
  for (const line of kept) {
    const name = line === null ? undefined : TURN_PREFIX.exec(line.text)?.[1];
    if (name !== undefined) prefixCounts.set(name, (prefixCounts.get(name) ?? 0) + 1);
  }
  const turnLineNames = new Set(kept.map((l) => (l === null ? undefined : TURN_LINE.exec(l.text)?.[1])).filter((n) => n !== undefined));
  const body: BodyBlock[] = [];
  let current: string | null = null;
  let turns = 0;
  kept.forEach((line, i) => {
    if (line === null) return;
    const text = line.text;
    const prevBlank = i === 0 || kept[i - 1] === null;
    const nextBlank = i === kept.length - 1 || kept[i + 1] === null;
    const turn = TURN_LINE.exec(text);
    if (turn && !LABELS.has(turn[1]!)) {
      current = speakerFor(turn[1]!);
      turns++;
      return;
    }
    const label = LABEL_LINE.exec(text);
    if (label && LABELS.has(label[1]!)) {
      current = null;
      if (label[1] === '问答环节') body.push({ type: 'heading', text });
      else body.push({ type: 'paragraph', text, speakerId: null });
      return;
    }
    if (/^#{1,6}\s/.test(line.raw.trim()) || looksLikeHeading(line, prevBlank, nextBlank)) {
      current = null;
      body.push({ type: 'heading', text: text.replace(/^#+\s*/, '') });
      return;
    }
    const prefix = TURN_PREFIX.exec(text);
    if (prefix && !LABELS.has(prefix[1]!) && (turnLineNames.has(prefix[1]!) || (prefixCounts.get(prefix[1]!) ?? 0) >= 2)) {
      current = speakerFor(prefix[1]!);
      turns++;
      body.push({ type: 'paragraph', text: prefix[2]!.trim(), speakerId: current });
      return;
    }
    body.push({ type: 'paragraph', text, speakerId: current });
  });

  const hanCount = (raw.match(/\p{Script=Han}/gu) ?? []).length;
  const interview: Interview = {
    id: options.id ?? 'draft',
    title: title ?? 'TODO',
    publication,
    date,
    url: null,
    language: hanCount > raw.length * 0.2 ? 'zh' : 'en',
    kind: speakers.length >= 2 ? 'roundtable' : 'interview',
    speakers,
    body: body.filter((b) => b.text !== ''),
  };
  const todo = [
    '# TODO (reviewer), see data/README.md:',
    '# - id, title (verbatim), publication, date (YYYY-MM-DD, only if the text gives it), url (never invent), language, kind;',
    '# - speakers: real ids (e.g. ji-xinhua), aliases, role and company as the text states them;',
    '# - body: every sentence verbatim, no junk left, every quoted paragraph inside the right ::: speaker block.',
  ].join('\n');
  const markdown = serializeInterview(interview).replace(/^---\n/, `---\n${todo}\n`);
  return { markdown, removed, turns };
}
