/**
 * The importer: turns a raw interview or talk transcript (scraped text, Markdown, or text extracted from
 * HTML by `html.ts`) into a draft curated file that loads with no hand edit
 * (`npm run --silent cli -- import raw.txt`). It only deletes what it recognises as junk (see `junk.ts`)
 * and never rewrites a sentence; what still needs a person is returned as a checklist, not left in the file.
 *
 * The steps, in order:
 * 1. the raw file's own YAML front matter (title, date, author, url) is read and removed;
 * 2. fenced code, images and their captions, page chrome, promotion, "related articles" tails, timestamps,
 *    transcription notes, ad and break markers, slide lines, URLs and link targets are removed, each listed;
 * 3. title, date and publication are read from the text (never from a question or a speaker label);
 * 4. speaker turns are detected: `Name:` lines and prefixes (also `**Name:**`, full-width colons), role
 *    labels (`问`/`答`, `Q`/`A`, `记者`, `主持人`, `Host`, `观众`/`提问`); a roster such as
 *    `主持人:` followed by a job title and a name is narration, not a turn;
 * 5. for a text without labels, `speakers` (the CLI's `--speaker`) names the person whose words the body
 *    is; the editor's introduction and closing notes stay narration.
 */
import { pinyin } from 'pinyin-pro';
import { isValidDate, isValidId, MAX_ID_LENGTH, serializeInterview } from './format.ts';
import { parse as parseYaml } from 'yaml';
import {
  CODE_FENCE,
  HTML_CAPTION,
  isImageFileName,
  isJunkParagraph,
  isOnlyImages,
  isTailMarker,
  junkLineKind,
  MARKDOWN_IMAGE,
  stripInlineJunk,
  stripMarkup,
} from './junk.ts';
import type { BodyBlock, Interview, Speaker } from './types.ts';


/** Options of {@link importRawText}. */
export interface ImportOptions {
  /** The interview id. Default: derived from the title (Latin words or pinyin), else from `sourceName`. */
  id?: string;
  /**
   * The interviewee(s). A text without speaker labels is attributed to the first of them (except the
   * editor's introduction and closing notes); with labels, a label with this name is a guest. Default: none.
   */
  speakers?: string[];
  /** The title, verbatim. Default: the raw file's front matter, its `# heading` or its first short line. */
  title?: string;
  /** The publication date `YYYY-MM-DD`. Default: the front matter's or a date line of the text. */
  date?: string;
  /** The raw file's name without extension, the last resort for an id and a title. Default: `interview`. */
  sourceName?: string;
}

/** One thing the importer deleted, for the reviewer to double-check. */
export interface Removal {
  /** What kind of junk: `image`, `url`, `timestamp`, `front matter`, `page chrome`, … */
  kind: string;
  /** The deleted text (a whole line, or the part cut out of a line). */
  text: string;
}

/** What {@link importRawText} produced. */
export interface ImportResult {
  /** The draft in the curated file format (canonical: `serializeInterview` output). */
  markdown: string;
  /** The same draft, parsed. */
  interview: Interview;
  /** Every deletion, in order. */
  removed: Removal[];
  /** How many speaker turns (labels) were detected. */
  turns: number;
  /** What a person still has to check or fill in (role, company, publication, url, …). */
  checklist: string[];
}

/** Raised when a text has nothing left to import: the CLI turns it into exit code 2. */
export class ImportError extends Error {}

type Part = NonNullable<Speaker['part']>;

/** Labels that name a part, not a person. Keys are compared case-insensitively for Latin labels. */
const ROLE_LABELS: ReadonlyMap<string, { part: Part; id: string }> = new Map([
  ['问', { part: 'host', id: 'host' }],
  ['q', { part: 'host', id: 'host' }],
  ['记者', { part: 'host', id: 'reporter' }],
  ['主持人', { part: 'host', id: 'host' }],
  ['主持', { part: 'host', id: 'host' }],
  ['host', { part: 'host', id: 'host' }],
  ['interviewer', { part: 'host', id: 'host' }],
  ['答', { part: 'guest', id: 'guest' }],
  ['a', { part: 'guest', id: 'guest' }],
  ['观众', { part: 'audience', id: 'audience' }],
  ['提问', { part: 'audience', id: 'audience' }],
  ['观众提问', { part: 'audience', id: 'audience' }],
  ['audience', { part: 'audience', id: 'audience' }],
]);

function roleOf(label: string): { part: Part; id: string } | undefined {
  return ROLE_LABELS.get(/^[A-Za-z]+$/.test(label) ? label.toLowerCase() : label);
}

/** Words that look like a `Name:` turn but are labels of the page: the paragraph stays narration. */
const LABELS = new Set([
  '分享人', '嘉宾', '嘉宾简介', '简介', '导语', '编者按', '作者', '来源', '注', '备注', '问答环节', '主题', '策划', '出品',
  '主持人简介', '嘉宾介绍', '讲师', '讲师简介', '演讲嘉宾', '时间', '地点', '摘要', '导读', '前言', '正文', '按',
  'Introduction', 'Note', 'Source', 'Author', 'Summary', 'Guest', 'Guests', 'Transcript', 'Episode', 'Show Notes', 'Editor',
]);

/** A Latin name: one to three capitalised words (`Q`, `Gabriel Engel`, `Qi Jun`). */
const LATIN_NAME = String.raw`Speaker \d{1,2}|[A-Z][A-Za-z.'-]*(?: [A-Z][A-Za-z.'-]*){0,2}`;
/** A name alone on a line, without colon (a turn when a timestamp line follows it: `Speaker 1` / `00:06`). */
const BARE_NAME = new RegExp(String.raw`^(?:[\p{Script=Han}·]{2,6}|${LATIN_NAME})$`, 'u');
/** A short line that is only a name and a colon: `季昕华:`, `刘超：`, `Qi Jun:`, `问:`. */
const TURN_LINE = new RegExp(String.raw`^([\p{Script=Han}·]{1,6}|${LATIN_NAME})[ \t]*[:：]$`, 'u');
/** A paragraph that starts with a name and a colon: `刘超:外包的过程…`, `Q: Why …?` (Han names of 1–4 characters). */
const TURN_PREFIX = new RegExp(String.raw`^([\p{Script=Han}·]{1,4}|${LATIN_NAME})[ \t]*[:：][ \t]*(\S.*)$`, 'u');

/** A date in a short line: `2020-05-19`, `2016/3/28`, `2009年1月15日`. */
const DATE_IN_LINE = /(\d{4})(?:-(\d{1,2})-(\d{1,2})|\/(\d{1,2})\/(\d{1,2})|年(\d{1,2})月(\d{1,2})日)/;
/** `Posted Jun 16, 2020…` */
const POSTED_LINE = /^Posted\s+([A-Z][a-z]{2})[a-z]*\.?\s+(\d{1,2}),\s*(\d{4})/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Where the text says where it comes from: `转载自公众号: 浅黑科技`, `以下文章来源于CTO训练营 ，作者…`. */
const SOURCE_LINE = /^(?:转载自(?:公众号)?|来源|以下文章来源于|文章来源)[:：]?\s*([^，,\s]+)/;
/** An author or credit line of the page: `作者: 某某`, `编辑:hardy | 发布时间:…`, `By Jane Doe`. */
const CREDIT_LINE = /^(?:作者|编辑|责编|责任编辑|撰文|文|摄影|校对|整理|采访|记者|By)\s*[:：|丨]\s*\S.{0,40}$|^By [A-Z][a-z]+(?: [A-Z][a-z]+){0,2}$/u;

/** A photo caption left without its photo: `图为…`, `（图：…）`, `盖国强先生现场演讲`, `嘉宾合影`. */
const CAPTION_LINE = /^(?:图[:：为]|[(（]图|Photo[:：]|Image[:：])|(?:现场演讲|发表演讲|主题演讲|演讲中|发言中|现场致辞|在现场|合影|摄影?[:：].{1,10})$/i;

/** A link to the original: `原文来源:https://…`, `原文链接: …`, `Source: https://…`. */
const ORIGINAL_URL = /(?:原文(?:来源|链接|地址)?|来源|Source|Originally published (?:at|on))\s*[:：]?\s*(https?:\/\/[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]+)/i;

/** Sentence-final punctuation: a line ending with it is a paragraph, not a heading. */
const TERMINAL = /[。！？!?；;…：:，,.、][”"’')）」』]*$/;
/** A question. */
const QUESTION = /[?？][”"’')）」』]*$/;

/** Where the editor hands over to the speaker: `以下为演讲实录:`, `以下为正文:`, `Here is the transcript`. */
const HANDOVER = /^(?:以下(?:为|是)(?:演讲|访谈|分享|对话|发言|采访)?(?:实录|正文|全文|内容|原文|整理)|(?:演讲|发言|分享)全文如下|以下内容根据|(?:Here is|What follows is|Below is) (?:the|an edited) (?:transcript|conversation))/i;
/** A paragraph of the editor's voice: an introduction, a note, a summary about the speaker. */
const EDITORIAL = /^(?:[(（【\[]?(?:本文|全文|导读|编者按|编者注|编辑|注[:：]|小编|笔者|记者|按[:：])|.{0,4}导读[:：]|(?:在|据)?[他她](?:看来|认为|表示|说|指出|介绍)|In this (?:episode|talk|interview)|Editor'?s note)/iu;
/** A closing note of the editor: `(本文根据演讲整理)`, `— END —`, `责任编辑:…`. */
const OUTRO = /^(?:[(（【\[]\s*(?:本文|全文|注|完)|本文(?:根据|整理|来源|转载|由|系)|责任编辑|—+\s*END|-+\s*完|\(完\)|（完）|This (?:transcript|interview) (?:has been|was) edited)/iu;

interface Line {
  /** 1-based line number in the raw text. */
  no: number;
  /** The raw line. */
  raw: string;
  /** After markup removal and trimming. */
  text: string;
  /** Raw leading whitespace width (`&#x20;` counts 1). */
  indent: number;
  /** Was a Markdown block quote line. */
  quoted: boolean;
  /** Was a Markdown `#` heading. */
  hashHeading: boolean;
}

function toLine(raw: string, no: number): Line {
  const expanded = raw.replace(/&#x20;/g, ' ');
  const indent = /^[ \t\u3000]*/.exec(expanded)![0].length;
  return {
    no,
    raw,
    text: stripMarkup(raw).replace(/^[•·▪●◦]\s*/, ''),
    indent,
    quoted: /^\s*>/.test(raw),
    hashHeading: /^\s*#{1,6}\s/.test(raw),
  };
}

function isImageLine(text: string): boolean {
  return text !== '' && (isImageFileName(text) || isOnlyImages(text));
}

const hanCount = (s: string): number => (s.match(/\p{Script=Han}/gu) ?? []).length;
const charCount = (s: string): number => [...s].length;

/** True for a plausible section heading: short, no sentence punctuation, on its own. */
function looksLikeHeading(line: Line, prevBlank: boolean, nextBlank: boolean): boolean {
  const t = line.text;
  if (line.quoted || !prevBlank || !nextBlank || TERMINAL.test(t)) return false;
  return hanCount(t) > 0 ? charCount(t) <= 30 : t.split(/\s+/).length <= 14 && t.length <= 100;
}

/** Reads a date in a short line, or null. */
function dateIn(text: string): string | null {
  const m = DATE_IN_LINE.exec(text);
  if (!m) return null;
  const [month, day] = m[2] ? [m[2], m[3]] : m[4] ? [m[4], m[5]] : [m[6], m[7]];
  const date = `${m[1]}-${month!.padStart(2, '0')}-${day!.padStart(2, '0')}`;
  return isValidDate(date) ? date : null;
}

/** A YAML value of a raw file's front matter as a date string, or null. */
function yamlDate(value: unknown): string | null {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
  if (typeof value === 'string') return dateIn(value);
  return null;
}

/** Lowercase ASCII words joined by dashes, at most `max` characters cut at a dash; '' when none. */
export function slugify(text: string, max = MAX_ID_LENGTH): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max + 1);
  const dash = cut.lastIndexOf('-');
  return (dash > 0 ? cut.slice(0, dash) : slug.slice(0, max)).replace(/-+$/, '');
}

/** An id for a person's name: `Gabriel Engel` → `gabriel-engel`, `盖国强` → `gai-guoqiang` (surname, given name). */
export function personId(name: string): string {
  if (hanCount(name) === 0) return slugify(name);
  const syllables = pinyin(name.replace(/·/g, ''), { toneType: 'none', type: 'array', surname: 'head', nonZh: 'consecutive' })
    .map((s) => s.replace(/ü/g, 'v'))
    .filter((s) => /[a-z0-9]/i.test(s));
  if (syllables.length === 0) return '';
  return slugify(syllables.length <= 2 ? syllables.join('-') : `${syllables[0]}-${syllables.slice(1).join('')}`);
}

/** An interview id from a title: its Latin words, else the pinyin of its first Han characters. */
function idFromTitle(title: string): string {
  const latin = slugify(title);
  if (latin.split('-').filter((w) => /[a-z]/.test(w)).length >= 2) return latin;
  const han = title.replace(/[^\p{Script=Han}A-Za-z0-9]+/gu, ' ').trim();
  if (han === '') return '';
  return slugify(pinyin(han.slice(0, 16), { toneType: 'none', nonZh: 'consecutive' }));
}

/**
 * Makes a draft curated interview from a raw transcript.
 *
 * @param raw - the text (already decoded: see `decode.ts`; HTML already reduced to text: see `html.ts`).
 * @param options - see {@link ImportOptions}.
 * @returns the draft, what was removed, the turns found and the reviewer's checklist.
 * @throws ImportError when nothing worth importing is left (empty input, only junk), or when `options.id`
 *   or `options.date` is invalid.
 */
export function importRawText(raw: string, options: ImportOptions = {}): ImportResult {
  if (options.id !== undefined && !isValidId(options.id)) {
    throw new ImportError(`invalid id "${options.id}": use lowercase a-z, 0-9 and single dashes, at most ${MAX_ID_LENGTH} characters`);
  }
  if (options.date !== undefined && !isValidDate(options.date)) throw new ImportError(`invalid date "${options.date}": use YYYY-MM-DD`);
  const removed: Removal[] = [];
  const remove = (kind: string, text: string): void => {
    if (text.trim() !== '') removed.push({ kind, text: text.trim() });
  };
  let rawLines = raw.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);

  // Step 1: the raw file's own front matter.
  let meta: { title?: string; date?: string; url?: string; author?: string; publication?: string } = {};
  const firstContent = rawLines.findIndex((l) => l.trim() !== '');
  if (firstContent >= 0 && rawLines[firstContent]!.trim() === '---') {
    const end = rawLines.findIndex((l, i) => i > firstContent && /^(?:---|\.\.\.)\s*$/.test(l));
    if (end > 0 && end - firstContent <= 60) {
      const block = rawLines.slice(firstContent + 1, end);
      try {
        const data = parseYaml(block.join('\n')) as Record<string, unknown> | null;
        if (data && typeof data === 'object') {
          const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : Array.isArray(v) && typeof v[0] === 'string' ? v.join(', ') : undefined);
          const url = str(data['url']) ?? str(data['link']) ?? str(data['source_url']) ?? str(data['original_url']) ?? str(data['canonical_url']);
          meta = {
            title: str(data['title']),
            date: yamlDate(data['date']) ?? yamlDate(data['published']) ?? undefined,
            url: url && /^https?:\/\/\S+$/.test(url) ? url : undefined,
            author: str(data['author']) ?? str(data['authors']),
            publication: str(data['publication']) ?? str(data['site']),
          };
        }
      } catch {
        // Not YAML after all: the lines are removed as front matter all the same, and listed.
      }
      for (const line of rawLines.slice(firstContent, end + 1)) remove('front matter', line);
      // Blank the block rather than cut it, so line numbers keep matching the raw file.
      rawLines = rawLines.map((l, i) => (i <= end ? '' : l));
    }
  }

  // Step 2a: whole lines: code fences, the tail, images and their captions, centred banners.
  const lines: (Line | null)[] = []; // null = blank
  let skipCaption = false;
  let inCode = false;
  for (let i = 0; i < rawLines.length; i++) {
    const line = toLine(rawLines[i]!, i + 1);
    if (CODE_FENCE.test(line.raw.trim())) {
      inCode = !inCode;
      remove('code', line.raw);
      continue;
    }
    if (inCode) {
      remove('code', line.raw);
      continue;
    }
    if (line.text === '') {
      lines.push(null);
      continue;
    }
    if (isTailMarker(line.text)) {
      const link = /^阅读原文[:：]\s*《(.+)》$/.exec(line.text)?.[1];
      if (link && meta.title === undefined) meta.title = link;
      for (const rest of rawLines.slice(i)) remove('tail', rest);
      break;
    }
    if (HTML_CAPTION.test(line.raw)) {
      remove('caption', line.raw);
      continue;
    }
    if (isImageLine(line.text)) {
      remove('image', line.text);
      // A caption is the line right under the image, or the next line indented by exactly one (often
      // non-breaking) space, where body text is indented by two.
      const next = rawLines[i + 1];
      if (next !== undefined && next.trim() !== '' && !isImageLine(toLine(next, i + 2).text) && toLine(next, i + 2).text.length <= 60 && !TERMINAL.test(next.trim())) {
        remove('caption', toLine(next, i + 2).text);
        i++;
      } else {
        skipCaption = true;
      }
      continue;
    }
    if (skipCaption) {
      skipCaption = false;
      if (/^(?:\u00a0| (?! ))/.test(line.raw)) {
        remove('caption', line.text);
        continue;
      }
    }
    // Centred lines (deep indentation with spaces) are captions and banners.
    if (line.indent >= 6 && !/^\s*\u3000/.test(line.raw)) {
      remove('banner', line.text);
      continue;
    }
    lines.push(line);
  }

  // `Speaker 1` over a timestamp line `00:06`: the name line is a turn line.
  lines.forEach((line, i) => {
    const next = lines[i + 1];
    if (line && next && BARE_NAME.test(line.text) && !LABELS.has(line.text) && junkLineKind(next.text) === 'timestamp') line.text = `${line.text}:`;
  });

  // Step 2b: junk inside lines and junk lines; step 3: metadata.
  let title: string | null = options.title ?? meta.title ?? null;
  let date: string | null = options.date ?? meta.date ?? null;
  let publication: string | null = meta.publication ?? null;
  let titleTaken = title !== null;
  let previousWasDate = false;
  const kept: (Line | null)[] = [];
  const prefixNames = new Map<string, number>();
  for (const line of lines) {
    if (line !== null) {
      const name = TURN_PREFIX.exec(line.text)?.[1];
      if (name !== undefined) prefixNames.set(name, (prefixNames.get(name) ?? 0) + 1);
    }
  }
  for (const line of lines) {
    if (line === null) {
      kept.push(null);
      previousWasDate = false;
      continue;
    }
    const sourceUrl = ORIGINAL_URL.exec(line.text)?.[1];
    if (sourceUrl !== undefined) meta.url ??= sourceUrl;
    const inline = stripInlineJunk(line.text);
    for (const r of inline.removed) remove(r.kind, r.text);
    let text = inline.text;
    if (text === '') continue;
    const source = SOURCE_LINE.exec(text);
    if (source && charCount(text) <= 60) {
      publication ??= source[1]!;
      remove('source line', text);
      continue;
    }
    const lineKind = junkLineKind(text);
    if (lineKind !== null) {
      remove(lineKind, text);
      continue;
    }
    if (isJunkParagraph(text)) {
      remove('junk', text);
      continue;
    }
    const short = charCount(text) <= 40;
    const posted = POSTED_LINE.exec(text);
    if (posted) {
      const month = MONTHS.indexOf(posted[1]!) + 1;
      if (date === null && month > 0) date = `${posted[3]}-${String(month).padStart(2, '0')}-${posted[2]!.padStart(2, '0')}`;
      remove('date line', text);
      previousWasDate = true;
      continue;
    }
    const lineDate = short && !TERMINAL.test(text.replace(/_$/, '')) ? dateIn(text) : null;
    if (lineDate !== null && (titleTaken || kept.some((l) => l !== null))) {
      date ??= lineDate;
      remove('date line', text);
      previousWasDate = true;
      continue;
    }
    if (CREDIT_LINE.test(text) && !roleOf(text.split(/[:：]/)[0]!.trim())) {
      const credit = /发布时间[:：]\s*(.*)$/.exec(text)?.[1];
      if (credit) date ??= dateIn(credit);
      remove('credit line', text);
      previousWasDate = credit !== undefined;
      continue;
    }
    if (charCount(text) <= 40 && !TERMINAL.test(text) && CAPTION_LINE.test(text)) {
      remove('caption', text);
      continue;
    }
    // The place of a dateline (`北京` under `2023-02-03`).
    if (previousWasDate && charCount(text) <= 6 && !TERMINAL.test(text)) {
      remove('dateline', text);
      continue;
    }
    previousWasDate = false;
    if (!titleTaken) {
      titleTaken = true;
      const prefixName = TURN_PREFIX.exec(text)?.[1];
      const isTurn = TURN_LINE.test(text) || (prefixName !== undefined && (roleOf(prefixName) !== undefined || (prefixNames.get(prefixName) ?? 0) >= 2));
      if (!isTurn && !QUESTION.test(text) && charCount(text) <= 100 && !/[。!！]$/.test(text)) {
        title = text.replace(/^#+\s*/, '').replace(/_[^_\s]{1,6}$/, '');
        remove('title', text);
        continue;
      }
    }
    if (MARKDOWN_IMAGE.test(text)) {
      for (const image of text.match(new RegExp(MARKDOWN_IMAGE.source, 'g')) ?? []) remove('image', image);
      text = text.replace(new RegExp(MARKDOWN_IMAGE.source, 'g'), '').trim();
      if (text === '') continue;
    }
    kept.push({ ...line, text });
  }

  // Step 4: headings, turns, paragraphs.
  const guestNames = (options.speakers ?? []).map((s) => s.trim()).filter((s) => s !== '');
  const speakers: Speaker[] = [];
  const speakerFor = (label: string): string => {
    const role = roleOf(label);
    const name = role?.part === 'guest' && guestNames[0] !== undefined ? guestNames[0] : label;
    let s = speakers.find((x) => x.name === name);
    if (!s) {
      const part: Part = role?.part ?? 'guest';
      let id = role && !(role.part === 'guest' && guestNames[0] !== undefined) ? role.id : personId(name) || `speaker-${speakers.length + 1}`;
      while (speakers.some((x) => x.id === id)) id = `${id}-${speakers.length + 1}`;
      s = { id, name, aliases: [], role: null, company: null, part };
      speakers.push(s);
    }
    return s.id;
  };
  const turnLineCounts = new Map<string, number>();
  for (const l of kept) {
    const name = l === null ? undefined : TURN_LINE.exec(l.text)?.[1];
    if (name !== undefined) turnLineCounts.set(name, (turnLineCounts.get(name) ?? 0) + 1);
  }
  // With --speaker, the text is known to be someone's talk: a one-off `以下为正文:` is not a speaker.
  const minimumTurns = guestNames.length > 0 ? 2 : 1;
  const turnLineNames = new Set([...turnLineCounts].filter(([name, n]) => n + (prefixNames.get(name) ?? 0) >= minimumTurns && !HANDOVER.test(name)).map(([name]) => name));
  const isTurnName = (name: string): boolean =>
    !LABELS.has(name) &&
    // A one-character label is a turn only when it names a part (问, 答, Q, A).
    (charCount(name) > 1 || roleOf(name) !== undefined) && (roleOf(name) !== undefined || guestNames.includes(name) || turnLineNames.has(name) || (prefixNames.get(name) ?? 0) >= 2);
  const nextText = (i: number): string | null => {
    for (let j = i + 1; j < kept.length; j++) if (kept[j] !== null) return kept[j]!.text;
    return null;
  };
  const body: BodyBlock[] = [];
  let current: string | null = null;
  let turns = 0;
  kept.forEach((line, i) => {
    if (line === null) return;
    const text = line.text;
    const prevBlank = i === 0 || kept[i - 1] === null;
    const nextBlank = i === kept.length - 1 || kept[i + 1] === null;
    const turn = TURN_LINE.exec(text);
    if (turn && isTurnName(turn[1]!)) {
      // A roster (`主持人:` over a job title and a name) is narration, not a turn.
      const next = nextText(i);
      const rosterEntry = next !== null && (hanCount(next) > 0 || BARE_NAME.test(next) || /^[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)*, /.test(next));
      if (next !== null && rosterEntry && !TERMINAL.test(next) && charCount(next) <= 40 && !TURN_PREFIX.test(next)) {
        current = null;
        body.push({ type: 'paragraph', text, speakerId: null });
        return;
      }
      current = speakerFor(turn[1]!);
      turns++;
      return;
    }
    const labelName = /^(\S{1,12}?)[ \t]*[:：]?$/u.exec(text)?.[1];
    if (labelName !== undefined && LABELS.has(labelName)) {
      current = null;
      if (labelName === '问答环节') body.push({ type: 'heading', text });
      else body.push({ type: 'paragraph', text, speakerId: null });
      return;
    }
    if (line.hashHeading || looksLikeHeading(line, prevBlank, nextBlank)) {
      current = null;
      body.push({ type: 'heading', text: text.replace(/^#+\s*/, '') });
      return;
    }
    const prefix = TURN_PREFIX.exec(text);
    if (prefix && isTurnName(prefix[1]!)) {
      current = speakerFor(prefix[1]!);
      turns++;
      body.push({ type: 'paragraph', text: prefix[2]!.trim(), speakerId: current });
      return;
    }
    body.push({ type: 'paragraph', text, speakerId: current });
  });

  // Step 5: a text without labels is the named speaker's, except the editor's introduction and notes.
  if (turns === 0 && guestNames.length > 0) attributeMonologue(body, speakerFor(guestNames[0]!), guestNames);

  const paragraphs = body.filter((b) => b.type === 'paragraph' && b.text !== '');
  if (paragraphs.length === 0) throw new ImportError('nothing to import: no paragraph is left once the junk is removed');

  // Parts of named speakers: a guest when named with --speaker or in the title; else the one who asks.
  inferParts(speakers, body, title, guestNames);

  const bodyText = paragraphs.map((b) => b.text).join('');
  const language: Interview['language'] = hanCount(bodyText) > charCount(bodyText) * 0.2 ? 'zh' : 'en';
  const titleFallback = title === null;
  const finalTitle = title ?? options.sourceName ?? 'interview';
  const id =
    options.id ??
    (idFromTitle(finalTitle) ||
      slugify(options.sourceName ?? '') ||
      (guestNames[0] ? personId(guestNames[0]) : '') ||
      'interview');
  const interview: Interview = {
    id,
    title: finalTitle,
    publication,
    date,
    url: meta.url ?? null,
    language,
    kind: speakers.length >= 2 ? 'roundtable' : 'interview',
    speakers,
    body: body.filter((b) => b.text !== ''),
  };

  const checklist: string[] = [];
  if (titleFallback) checklist.push(`title: no title found; "${finalTitle}" is the file name: copy the original title verbatim`);
  if (options.id === undefined) checklist.push(`id: "${id}" was derived; rename it (and the file) if a clearer one fits`);
  if (meta.author !== undefined) checklist.push(`author: the raw front matter names "${meta.author}": the speaker (then import with --speaker) or the editor?`);
  if (publication === null) checklist.push('publication: where it was published (only if known)');
  if (date === null) checklist.push('date: YYYY-MM-DD (only if the text gives it)');
  if (interview.url === null) checklist.push('url: the original link (only if known; never invent one)');
  for (const s of speakers) {
    const role = roleOf(s.name);
    if (role) checklist.push(`speaker ${s.id}: "${s.name}" is a label (${role.part}); give the person's name if the text says it`);
    checklist.push(`speaker ${s.id} (${s.name}, ${s.part}): role and company as the text states them; aliases`);
  }
  if (speakers.length === 0) checklist.push('speakers: none found; for a talk or a monologue, import again with --speaker "NAME"');
  checklist.push('body: read it against the raw text: verbatim, no junk left, every quoted paragraph in the right speaker block');

  return { markdown: serializeInterview(interview), interview, removed, turns, checklist };
}

/**
 * Attributes the paragraphs of an unlabeled text to `speakerId`: the editor's introduction (paragraphs
 * before a hand-over line such as `以下为正文:`, or leading paragraphs about the speaker in the third
 * person) and closing notes stay narration.
 */
function attributeMonologue(body: BodyBlock[], speakerId: string, names: string[]): void {
  const paragraphIndexes = body.flatMap((b, i) => (b.type === 'paragraph' ? [i] : []));
  const handover = paragraphIndexes.find((i) => HANDOVER.test(body[i]!.text));
  const mentionsSpeaker = (text: string): boolean =>
    names.some((n) => text.includes(n) || (hanCount(n) >= 2 && text.includes(`${[...n][0]}老师`)) || (hanCount(n) >= 2 && text.includes(`${[...n][0]}总`)));
  let introOver = false;
  for (const i of paragraphIndexes) {
    const block = body[i] as Extract<BodyBlock, { type: 'paragraph' }>;
    if (handover !== undefined && i <= handover) continue;
    if (!introOver && handover === undefined) {
      // The introduction: editorial paragraphs, or paragraphs naming the speaker in the third person.
      const thirdPerson = mentionsSpeaker(block.text) && !/^(?:我|我们|I\b|I'm|We\b)/.test(block.text) && !/我(?!们)/.test(block.text.slice(0, 12));
      if (EDITORIAL.test(block.text) || thirdPerson) continue;
      introOver = true;
    }
    if (OUTRO.test(block.text)) continue;
    block.speakerId = speakerId;
  }
}

/** Fills in `part` for named speakers: guests named with --speaker or in the title; else the asker is the host. */
function inferParts(speakers: Speaker[], body: BodyBlock[], title: string | null, guestNames: string[]): void {
  const named = speakers.filter((s) => roleOf(s.name) === undefined);
  const inTitle = (s: Speaker): boolean => title !== null && title.includes(s.name);
  for (const s of named) s.part = 'guest';
  const known = named.filter((s) => guestNames.includes(s.name) || inTitle(s));
  if (named.length >= 2 && known.length > 0 && known.length < named.length) {
    // The others interview them: hosts, unless a role label already names the host.
    if (!speakers.some((s) => s.part === 'host')) for (const s of named) if (!known.includes(s)) s.part = 'host';
    return;
  }
  if (named.length === 2 && known.length === 0 && !speakers.some((s) => s.part === 'host')) {
    // Two people, nobody named: the one whose turns are mostly questions is the host.
    const questionShare = (s: Speaker): number => {
      const own = body.filter((b) => b.type === 'paragraph' && b.speakerId === s.id);
      return own.length === 0 ? 0 : own.filter((b) => /[?？]/.test(b.text)).length / own.length;
    };
    const [a, b] = named as [Speaker, Speaker];
    if (questionShare(a) > questionShare(b)) a.part = 'host';
    else if (questionShare(b) > questionShare(a)) b.part = 'host';
  }
}
