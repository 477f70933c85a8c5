/**
 * Turns the bytes of a raw file into text for the importer, or refuses it with a clear reason.
 *
 * Encodings: UTF-8 (with or without BOM) and UTF-16 with a BOM are read as such (conversion by
 * iconv-lite). Without a BOM, text that is not valid UTF-8 is tried as GB18030 (a superset of GBK and
 * GB2312) and accepted only when the result is clearly Chinese: no replacement character and at least 80%
 * of the non-ASCII characters Han or CJK punctuation. Anything else is refused rather than garbled.
 * (A statistical detector such as chardet was not used: on a few kilobytes of Chinese it confuses GB18030
 * with Big5 and EUC-KR, where this rule is exact about what it accepts and refuses the rest.)
 */
import iconv from 'iconv-lite';

/** A raw file that cannot be imported: the message is one friendly line. */
export class RawInputError extends Error {}

/** What {@link decodeRawBytes} produced. */
export interface DecodedText {
  text: string;
  /** `utf-8`, `utf-16le`, `utf-16be` or `gb18030`. */
  encoding: string;
  /** A note for the user when the file was converted, else null. */
  note: string | null;
}

/** Share of control characters (other than tab, newline, carriage return, form feed) above which a file is binary. */
const MAX_CONTROL_SHARE = 0.01;

function controlShare(text: string): number {
  if (text.length === 0) return 0;
  const controls = (text.match(/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/g) ?? []).length;
  return controls / text.length;
}

function cjkShareOfNonAscii(text: string): number {
  const nonAscii = [...text].filter((c) => c.codePointAt(0)! > 0x7f);
  if (nonAscii.length === 0) return 0;
  const cjk = nonAscii.filter((c) => /[\p{Script=Han}\u3000-\u303f\uff00-\uffef\u2014\u2018\u2019\u201c\u201d\u2026\u00b7]/u.test(c)).length;
  return cjk / nonAscii.length;
}

/**
 * Decodes a raw file.
 *
 * @throws RawInputError for an empty file, a binary file, or an encoding that cannot be told for sure.
 */
export function decodeRawBytes(bytes: Uint8Array): DecodedText {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let decoded: DecodedText;
  if (buffer.length >= 2 && buffer[0] === 0xff && buffer[1] === 0xfe) {
    decoded = { text: iconv.decode(buffer.subarray(2), 'utf-16le'), encoding: 'utf-16le', note: 'converted from UTF-16 (little-endian, with BOM) to UTF-8' };
  } else if (buffer.length >= 2 && buffer[0] === 0xfe && buffer[1] === 0xff) {
    decoded = { text: iconv.decode(buffer.subarray(2), 'utf-16be'), encoding: 'utf-16be', note: 'converted from UTF-16 (big-endian, with BOM) to UTF-8' };
  } else {
    if (buffer.includes(0)) throw new RawInputError('this looks like a binary file (it contains NUL bytes), not a text transcript');
    const start = buffer.length >= 3 && buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
    try {
      decoded = { text: new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(start)), encoding: 'utf-8', note: null };
    } catch {
      const text = iconv.decode(buffer, 'gb18030');
      if (text.includes('\ufffd') || cjkShareOfNonAscii(text) < 0.8 || controlShare(text) > MAX_CONTROL_SHARE) {
        throw new RawInputError('cannot tell the text encoding (not UTF-8, and not clearly GBK/GB18030): convert the file to UTF-8 first, e.g. iconv -f <encoding> -t UTF-8');
      }
      decoded = { text, encoding: 'gb18030', note: 'converted from GBK/GB18030 to UTF-8' };
    }
  }
  if (controlShare(decoded.text) > MAX_CONTROL_SHARE) throw new RawInputError('this looks like a binary file (control characters), not a text transcript');
  if (decoded.text.replace(/^\uFEFF/, '').trim() === '') throw new RawInputError('the file is empty: nothing to import');
  return decoded;
}
