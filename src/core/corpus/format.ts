/**
 * The on-disk format of a curated interview (`data/interviews/<id>.md`): YAML front matter between `---`
 * lines, then a Markdown-like body. See `data/README.md` for the full description.
 *
 * Body rules:
 * - one paragraph per line; paragraphs are separated by blank lines (two text lines in a row are an error);
 * - `## text` is a section heading;
 * - `::: speaker <speaker-id>` opens an attribution block and `:::` closes it; paragraphs inside carry the
 *   speaker id, paragraphs outside carry `null`. Blocks do not nest and hold no headings.
 *
 * Errors are plain `Error`s whose message starts with `zhenyan: <origin>:<line>: `.
 */
import { Document, LineCounter, parseDocument, isMap, isSeq, type Node } from 'yaml';
import { SPEAKER_PARTS, type BodyBlock, type Interview, type InterviewMeta, type Speaker, type SpeakerPart, type TextSpan } from './types.ts';

/** Ids of interviews and speakers: lowercase ASCII words joined by single dashes. */
export const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Longest interview (and speaker) id, in characters. Interview ids travel inside Discord button
 * `custom_id`s (100 characters at most) as part of a passage id; the cap lets `src/bot/custom-id.ts`
 * prove every button id fits. The longest id in the corpus today has 38 characters.
 */
export const MAX_ID_LENGTH = 48;

/** Whether `id` is a valid interview or speaker id: {@link ID_PATTERN} and at most {@link MAX_ID_LENGTH}. */
export function isValidId(id: string): boolean {
  return id.length <= MAX_ID_LENGTH && ID_PATTERN.test(id);
}

/** A publication date: `YYYY-MM-DD`. */
export const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

const LANGUAGES = ['zh', 'en'] as const;
const KINDS = ['roundtable', 'interview', 'narrative'] as const;
const META_KEYS = ['id', 'title', 'publication', 'date', 'url', 'language', 'kind', 'speakers'] as const;
const SPEAKER_KEYS = ['id', 'name', 'aliases', 'role', 'company', 'part'] as const;

/** Opens and closes a speaker's own words inside a paragraph that also holds narration. */
export const QUOTE_OPEN = '{{';
export const QUOTE_CLOSE = '}}';

/** Every speaker part, re-exported for the importer (defined with the data model in `types.ts`). */
export { SPEAKER_PARTS };

const HEADING = /^##[ \t]+(.*)$/;
const OPEN_BLOCK = /^:::[ \t]*speaker[ \t]+(\S+)[ \t]*$/;
const CLOSE_BLOCK = /^:::[ \t]*$/;

/** Builds the error every parser failure throws: `zhenyan: <origin>:<line>: <message>`. */
function fail(origin: string, line: number, message: string): never {
  throw new Error(`zhenyan: ${origin}:${line}: ${message}`);
}

/** True when `value` is a real calendar date written `YYYY-MM-DD`. */
export function isValidDate(value: string): boolean {
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/** Reads the YAML front matter and validates it; `firstLine` is the file line of the first YAML line. */
function parseMeta(yamlText: string, origin: string, firstLine: number): InterviewMeta {
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, uniqueKeys: true });
  const lineOf = (node: Node | null | undefined, fallback = 0): number => {
    const offset = node?.range?.[0];
    return offset === undefined ? firstLine + fallback : firstLine + lineCounter.linePos(offset).line - 1;
  };
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const line = err.linePos?.[0]?.line ?? 1;
    fail(origin, firstLine + line - 1, `invalid YAML front matter: ${err.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (!isMap(root)) fail(origin, firstLine, 'front matter must be a YAML mapping');
  const nodeAt = (path: (string | number)[]): Node | undefined =>
    doc.getIn(path, true) as Node | undefined;
  const at = (path: (string | number)[]): number => lineOf(nodeAt(path) ?? nodeAt(path.slice(0, -1)));

  for (const pair of root.items) {
    const key = (pair.key as { value?: unknown } | null)?.value;
    if (typeof key !== 'string' || !(META_KEYS as readonly string[]).includes(key)) {
      fail(origin, lineOf(pair.key as Node), `unknown front matter field ${JSON.stringify(key)}`);
    }
  }
  const data = root.toJSON() as Record<string, unknown>;

  const requireString = (key: string): string => {
    if (!(key in data)) fail(origin, firstLine, `missing field "${key}"`);
    const v = data[key];
    if (typeof v !== 'string' || v.trim() === '') fail(origin, at([key]), `field "${key}" must be a non-empty string`);
    return v;
  };
  const optionalString = (key: string): string | null => {
    const v = data[key];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string' || v.trim() === '') fail(origin, at([key]), `field "${key}" must be a non-empty string or null`);
    return v;
  };

  const id = requireString('id');
  if (!isValidId(id)) fail(origin, at(['id']), `invalid id "${id}": use lowercase a-z, 0-9 and single dashes, at most ${MAX_ID_LENGTH} characters`);
  const title = requireString('title');
  const publication = optionalString('publication');
  const date = optionalString('date');
  if (date !== null && !isValidDate(date)) fail(origin, at(['date']), `invalid date "${date}": use YYYY-MM-DD or null`);
  const url = optionalString('url');
  if (url !== null && !/^https?:\/\/\S+$/.test(url)) fail(origin, at(['url']), `invalid url "${url}"`);
  const language = requireString('language');
  if (!(LANGUAGES as readonly string[]).includes(language)) {
    fail(origin, at(['language']), `invalid language "${language}": use ${LANGUAGES.join(' or ')}`);
  }
  const kind = requireString('kind');
  if (!(KINDS as readonly string[]).includes(kind)) fail(origin, at(['kind']), `invalid kind "${kind}": use ${KINDS.join(', ')}`);

  if (!('speakers' in data)) fail(origin, firstLine, 'missing field "speakers"');
  const speakersNode = nodeAt(['speakers']);
  if (!isSeq(speakersNode)) fail(origin, at(['speakers']), 'field "speakers" must be a list');
  const speakers: Speaker[] = [];
  const seen = new Set<string>();
  speakersNode.items.forEach((item, i) => {
    const line = lineOf(item as Node, 0);
    if (!isMap(item)) fail(origin, line, `speaker #${i + 1} must be a mapping`);
    for (const pair of item.items) {
      const key = (pair.key as { value?: unknown } | null)?.value;
      if (typeof key !== 'string' || !(SPEAKER_KEYS as readonly string[]).includes(key)) {
        fail(origin, lineOf(pair.key as Node), `unknown speaker field ${JSON.stringify(key)}`);
      }
    }
    const s = item.toJSON() as Record<string, unknown>;
    const fieldLine = (key: string): number => at(['speakers', i, key]);
    const str = (key: string, optional: boolean): string | null => {
      const v = s[key];
      if (optional && (v === undefined || v === null)) return null;
      if (v === undefined) fail(origin, line, `speaker #${i + 1}: missing field "${key}"`);
      if (typeof v !== 'string' || v.trim() === '') fail(origin, fieldLine(key), `speaker #${i + 1}: field "${key}" must be a non-empty string`);
      return v;
    };
    const sid = str('id', false)!;
    if (!isValidId(sid)) fail(origin, fieldLine('id'), `invalid speaker id "${sid}": use lowercase a-z, 0-9 and single dashes, at most ${MAX_ID_LENGTH} characters`);
    if (seen.has(sid)) fail(origin, fieldLine('id'), `duplicate speaker id "${sid}"`);
    seen.add(sid);
    const name = str('name', false)!;
    const rawAliases = s['aliases'];
    let aliases: string[] = [];
    if (rawAliases !== undefined && rawAliases !== null) {
      if (!Array.isArray(rawAliases) || rawAliases.some((a) => typeof a !== 'string' || a.trim() === '')) {
        fail(origin, fieldLine('aliases'), `speaker "${sid}": aliases must be a list of non-empty strings`);
      }
      aliases = rawAliases as string[];
    }
    const part = str('part', true);
    if (part !== null && !(SPEAKER_PARTS as readonly string[]).includes(part)) {
      fail(origin, fieldLine('part'), `speaker "${sid}": invalid part "${part}": use ${SPEAKER_PARTS.join(', ')}`);
    }
    const speaker: Speaker = { id: sid, name, aliases, role: str('role', true), company: str('company', true) };
    if (part !== null) speaker.part = part as SpeakerPart;
    speakers.push(speaker);
  });

  return {
    id,
    title,
    publication,
    date,
    url,
    language: language as InterviewMeta['language'],
    kind: kind as InterviewMeta['kind'],
    speakers,
  };
}

/**
 * Reads the quote markup of one paragraph line: `{{` and `}}` enclose the speaker's own words, the rest is
 * narration. Returns the text without the markup (verbatim) and the spans as offsets into it.
 */
export function parseQuoteSpans(line: string, reject: (message: string) => never): { text: string; spans: TextSpan[] } {
  if (!line.includes(QUOTE_OPEN) && !line.includes(QUOTE_CLOSE)) return { text: line, spans: [] };
  const spans: TextSpan[] = [];
  let text = '';
  let at = 0;
  while (at < line.length) {
    const open = line.indexOf(QUOTE_OPEN, at);
    const stray = line.indexOf(QUOTE_CLOSE, at);
    if (stray >= 0 && (open < 0 || stray < open)) reject(`"${QUOTE_CLOSE}" without "${QUOTE_OPEN}"`);
    if (open < 0) {
      text += line.slice(at);
      break;
    }
    const close = line.indexOf(QUOTE_CLOSE, open + QUOTE_OPEN.length);
    if (close < 0) reject(`unclosed "${QUOTE_OPEN}"`);
    const inner = line.slice(open + QUOTE_OPEN.length, close);
    if (inner.includes(QUOTE_OPEN)) reject(`nested "${QUOTE_OPEN}"`);
    if (inner.trim() === '') reject(`empty quote span "${QUOTE_OPEN}${QUOTE_CLOSE}"`);
    text += line.slice(at, open);
    spans.push({ start: text.length, end: text.length + inner.length });
    text += inner;
    at = close + QUOTE_CLOSE.length;
  }
  return { text, spans };
}

/** The paragraph line with its quote spans marked again (the inverse of {@link parseQuoteSpans}). */
function markQuoteSpans(text: string, spans: readonly TextSpan[] | undefined): string {
  if (!spans || spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += `${text.slice(at, span.start)}${QUOTE_OPEN}${text.slice(span.start, span.end)}${QUOTE_CLOSE}`;
    at = span.end;
  }
  return out + text.slice(at);
}

/** Parses the body lines; `firstLine` is the file line number of `lines[0]`. */
function parseBody(lines: string[], speakers: Speaker[], origin: string, firstLine: number): BodyBlock[] {
  const known = new Set(speakers.map((s) => s.id));
  const body: BodyBlock[] = [];
  let open: { id: string; line: number; count: number } | null = null;
  let previousWasText = false;

  lines.forEach((raw, i) => {
    const lineNo = firstLine + i;
    const line = raw.trim();
    if (line === '') {
      previousWasText = false;
      return;
    }
    const opening = OPEN_BLOCK.exec(line);
    if (opening) {
      const id = opening[1]!;
      if (open) fail(origin, lineNo, `nested speaker block: block "${open.id}" opened on line ${open.line} is not closed`);
      if (!known.has(id)) fail(origin, lineNo, `unknown speaker id "${id}" (declare it under speakers)`);
      open = { id, line: lineNo, count: 0 };
      previousWasText = false;
      return;
    }
    if (CLOSE_BLOCK.test(line)) {
      if (!open) fail(origin, lineNo, 'closing ":::" without an open speaker block');
      if (open.count === 0) fail(origin, lineNo, `empty speaker block "${open.id}"`);
      open = null;
      previousWasText = false;
      return;
    }
    if (line.startsWith(':::')) fail(origin, lineNo, `unknown directive "${line}": use "::: speaker <id>" or ":::"`);
    const heading = HEADING.exec(line);
    if (heading) {
      const text = heading[1]!.trim();
      if (text === '') fail(origin, lineNo, 'empty heading');
      if (open) fail(origin, lineNo, `heading inside speaker block "${open.id}" opened on line ${open.line}`);
      body.push({ type: 'heading', text });
      previousWasText = false;
      return;
    }
    if (previousWasText) fail(origin, lineNo, 'a paragraph may not span lines: separate paragraphs with a blank line');
    const { text, spans } = parseQuoteSpans(line, (message) => fail(origin, lineNo, message));
    if (spans.length > 0 && !open) fail(origin, lineNo, `quote markup ${QUOTE_OPEN}…${QUOTE_CLOSE} outside a speaker block`);
    const block: BodyBlock = { type: 'paragraph', text, speakerId: open ? open.id : null };
    if (spans.length > 0) block.quoteSpans = spans;
    body.push(block);
    if (open) open.count++;
    previousWasText = true;
  });
  if (open) {
    const o: { id: string; line: number } = open;
    fail(origin, o.line, `unclosed speaker block "${o.id}"`);
  }
  return body;
}

/**
 * Parses a curated interview file.
 *
 * @param source - the whole file text (LF or CRLF line endings).
 * @param origin - a name for error messages, usually the file path; defaults to `<string>`.
 * @returns the interview: validated metadata plus body blocks in reading order.
 * @throws Error `zhenyan: <origin>:<line>: ...` on a missing or invalid field, a bad id or date, an unknown or
 *   duplicate speaker id, an unclosed or nested speaker block, or a paragraph spanning lines.
 */
export function parseInterview(source: string, origin = '<string>'): Interview {
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== '---') fail(origin, 1, 'missing front matter: the file must start with a "---" line');
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === '---');
  if (end < 0) fail(origin, 1, 'unclosed front matter: no closing "---" line');
  const meta = parseMeta(lines.slice(1, end).join('\n'), origin, 2);
  const body = parseBody(lines.slice(end + 1), meta.speakers, origin, end + 2);
  return { ...meta, body };
}

/** Throws when a block's text could not survive a round trip through the body format. */
function checkSerializable(block: BodyBlock, interviewId: string): void {
  const text = block.text;
  const where = `zhenyan: cannot serialize ${interviewId}: ${block.type} ${JSON.stringify(text.slice(0, 40))}`;
  if (/[\r\n]/.test(text)) throw new Error(`${where} contains a line break`);
  if (text.trim() !== text || text === '') throw new Error(`${where} is empty or has surrounding whitespace`);
  if (block.type === 'paragraph' && (HEADING.test(text) || text.startsWith(':::'))) {
    throw new Error(`${where} would read as a heading or a directive`);
  }
  if (block.type === 'paragraph' && (text.includes(QUOTE_OPEN) || text.includes(QUOTE_CLOSE))) throw new Error(`${where} contains quote markup characters`);
  if (block.type === 'paragraph' && block.quoteSpans) {
    let at = 0;
    for (const span of block.quoteSpans) {
      if (!(span.start >= at && span.end > span.start && span.end <= text.length)) throw new Error(`${where} has overlapping or empty quote spans`);
      at = span.end;
    }
    if (block.speakerId === null) throw new Error(`${where} has quote spans outside a speaker block`);
  }
}

/**
 * Writes an interview in the curated file format. Consecutive paragraphs of one speaker share a block.
 * The output is stable: `parseInterview(serializeInterview(x))` deep-equals `x` for any valid `x`.
 *
 * @throws Error when a block's text contains a line break, is empty, has surrounding whitespace, or a
 *   paragraph starts like a heading (`## `) or a directive (`:::`).
 */
export function serializeInterview(interview: Interview): string {
  const meta: Record<string, unknown> = {
    id: interview.id,
    title: interview.title,
    publication: interview.publication,
    date: interview.date,
    url: interview.url,
    language: interview.language,
    kind: interview.kind,
    speakers: interview.speakers.map((s) => ({
      id: s.id,
      name: s.name,
      aliases: [...s.aliases],
      role: s.role,
      company: s.company,
      ...(s.part !== undefined ? { part: s.part } : {}),
    })),
  };
  const doc = new Document(meta);
  interview.speakers.forEach((_, i) => {
    const aliases = doc.getIn(['speakers', i, 'aliases'], true);
    if (isSeq(aliases)) aliases.flow = true;
  });
  const out: string[] = ['---', doc.toString({ lineWidth: 0 }).trimEnd(), '---', ''];
  let open: string | null = null;
  const close = (): void => {
    if (open !== null) out.push(':::', '');
    open = null;
  };
  for (const block of interview.body) {
    checkSerializable(block, interview.id);
    if (block.type === 'heading') {
      close();
      out.push(`## ${block.text}`, '');
      continue;
    }
    if (block.speakerId !== open) {
      close();
      if (block.speakerId !== null) {
        out.push(`::: speaker ${block.speakerId}`, '');
        open = block.speakerId;
      }
    }
    out.push(markQuoteSpans(block.text, block.quoteSpans), '');
  }
  close();
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return `${out.join('\n')}\n`;
}
