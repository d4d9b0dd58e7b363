import { ImportRejectedError } from './import-error';

/**
 * Bounds the text SheetJS can build from a part, on the part's bytes, before SheetJS sees them.
 * SheetJS reads XML with regular expressions: it splits shared strings on `</si>` and a sheet's
 * rows on `</row>` and cells on `<c `, and builds each string from one such piece. So no piece may
 * be longer than XML_PIECE_MAX_BYTES. A longer piece that is a cell or a shared string is replaced
 * by a marker text (its cell then reads as over budget for whatever field it is in, so the refusal
 * can name the row and column); any other long run of markup refuses the workbook.
 *
 * 64 KiB is far above any honest field: the largest field takes 4,096 characters, at most 8 bytes
 * each however the XML escapes them (`&#65535;`).
 */
export const XML_PIECE_MAX_BYTES = 64 * 1024;

/** What an over-long cell or shared string reads as once SheetJS has decoded the marker. */
export const OVERSIZED_TEXT = '\uFFFF';
const OVERSIZED_XML = '_xFFFF_'; // SheetJS decodes _xHHHH_ escapes in cell text

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const COLON = 0x3a;
const SPACE = 0x20;

const isWord = (b: number | undefined) =>
  b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f);

interface Tag {
  closing: boolean;
  nameStart: number;
  nameEnd: number;
}

/** The tag at `lt` read like SheetJS' `<(?:\w+:)?name` patterns: the name after an optional prefix. */
function tagAt(buf: Buffer, lt: number): Tag {
  let p = lt + 1;
  const closing = buf[p] === SLASH;
  if (closing) p++;
  let start = p;
  while (isWord(buf[p])) p++;
  if (buf[p] === COLON && p > start) {
    p++;
    start = p;
    while (isWord(buf[p])) p++;
  }
  return { closing, nameStart: start, nameEnd: p };
}

function nameIs(buf: Buffer, t: Tag, name: Buffer): boolean {
  return t.nameEnd - t.nameStart === name.length && buf.compare(name, 0, name.length, t.nameStart, t.nameEnd) === 0;
}

const NAMES = {
  c: Buffer.from('c'),
  row: Buffer.from('row'),
  si: Buffer.from('si'),
  sstItem: Buffer.from('sstItem'),
  sheetData: Buffer.from('sheetData'),
  sst: Buffer.from('sst'),
};

/**
 * Where SheetJS' `str_match_xml_ns(xml, name)` finds its content: after the first opening tag
 * `<(?:\w+:)?name\b[^<>]*>`, up to the first closing tag after it (null without both).
 */
function regionOf(buf: Buffer, name: Buffer): { start: number; end: number } | null {
  let start = -1;
  for (let lt = buf.indexOf(LT); lt !== -1; lt = buf.indexOf(LT, lt + 1)) {
    const t = tagAt(buf, lt);
    if (start < 0) {
      if (t.closing || !nameIs(buf, t, name) || isWord(buf[t.nameEnd])) continue;
      const gt = buf.indexOf(GT, t.nameEnd);
      if (gt === -1) return null;
      const nextLt = buf.indexOf(LT, t.nameEnd);
      if (nextLt !== -1 && nextLt < gt) continue;
      start = gt + 1;
      lt = gt;
    } else if (t.closing && nameIs(buf, t, name) && buf[t.nameEnd] === GT) return { start, end: lt };
  }
  return null;
}

function tooMuchMarkup(part: string): ImportRejectedError {
  return new ImportRejectedError(
    `The workbook is not imported: its part ${part} holds a run of markup longer than ` +
      `${XML_PIECE_MAX_BYTES.toLocaleString('en-US')} bytes outside any cell, which no spreadsheet program writes.`,
  );
}

/** Outside the split regions every tag and every text between tags must be short. */
function checkGaps(buf: Buffer, from: number, to: number, part: string): void {
  let prev = from;
  for (let lt = buf.indexOf(LT, from); lt !== -1 && lt < to; lt = buf.indexOf(LT, lt + 1)) {
    if (lt - prev > XML_PIECE_MAX_BYTES) throw tooMuchMarkup(part);
    prev = lt;
  }
  if (to - prev > XML_PIECE_MAX_BYTES) throw tooMuchMarkup(part);
}

interface Splice {
  start: number;
  end: number;
  text: string;
}

function applySplices(buf: Buffer, splices: readonly Splice[]): Buffer {
  if (splices.length === 0) return buf;
  const out: Buffer[] = [];
  let at = 0;
  for (const s of splices) {
    out.push(buf.subarray(at, s.start), Buffer.from(s.text, 'latin1'));
    at = s.end;
  }
  out.push(buf.subarray(at));
  return Buffer.concat(out);
}

/** A cell's `r="B5"` reference from its opening tag, if it has a plain one. */
function cellRef(buf: Buffer, lt: number): string {
  const gt = buf.indexOf(GT, lt);
  const tag = buf.toString('latin1', lt, gt === -1 ? lt : Math.min(gt, lt + XML_PIECE_MAX_BYTES));
  const m = /\sr\s*=\s*["']([A-Z]{1,3}[0-9]{1,7})["']/.exec(tag);
  return m ? ` r="${m[1]}"` : '';
}

export interface BoundedPart {
  xml: Buffer;
  /** Cells in a sheet's data: each becomes an object in SheetJS. */
  cells: number;
  /** Strings in the shared strings: each becomes an object and two strings in SheetJS. */
  strings: number;
}

/**
 * The element's region, with the markup around it within the gap budget; null (the whole part
 * checked) when the part has no such element.
 */
function checkedRegion(buf: Buffer, name: Buffer, part: string): { start: number; end: number } | null {
  const region = regionOf(buf, name);
  if (!region) {
    checkGaps(buf, 0, buf.length, part);
    return null;
  }
  checkGaps(buf, 0, region.start, part);
  checkGaps(buf, region.end, buf.length, part);
  return region;
}

/** A worksheet: each cell (from `<c` to the next `<c` or `</row>`) within the piece budget. */
export function boundSheetXml(buf: Buffer, part: string): BoundedPart {
  const region = checkedRegion(buf, NAMES.sheetData, part);
  if (!region) return { xml: buf, cells: 0, strings: 0 };
  const splices: Splice[] = [];
  let cells = 0;
  let start = region.start;
  let startIsCell = false;
  const finish = (end: number) => {
    if (end - start <= XML_PIECE_MAX_BYTES) return;
    if (!startIsCell) throw tooMuchMarkup(part);
    splices.push({ start, end, text: `<c${cellRef(buf, start)} t="inlineStr"><is><t>${OVERSIZED_XML}</t></is></c>` });
  };
  for (let lt = buf.indexOf(LT, region.start); lt !== -1 && lt < region.end; lt = buf.indexOf(LT, lt + 1)) {
    const t = tagAt(buf, lt);
    const after = buf[t.nameEnd];
    const isCell = !t.closing && nameIs(buf, t, NAMES.c) && (after === SPACE || after === SLASH || after === GT);
    const isRowEnd = t.closing && nameIs(buf, t, NAMES.row) && after === GT;
    if (!isCell && !isRowEnd) continue;
    finish(lt);
    start = lt;
    startIsCell = isCell;
    if (isCell) cells++;
  }
  finish(region.end);
  return { xml: applySplices(buf, splices), cells, strings: 0 };
}

/** The shared strings: each string (between two `</si>`) within the piece budget. */
export function boundSharedStringsXml(buf: Buffer, part: string): BoundedPart {
  const region = checkedRegion(buf, NAMES.sst, part);
  if (!region) return { xml: buf, cells: 0, strings: 0 };
  const splices: Splice[] = [];
  let start = region.start;
  let strings = 0;
  for (let lt = buf.indexOf(LT, region.start); lt !== -1 && lt < region.end; lt = buf.indexOf(LT, lt + 1)) {
    const t = tagAt(buf, lt);
    if (!t.closing || buf[t.nameEnd] !== GT || !(nameIs(buf, t, NAMES.si) || nameIs(buf, t, NAMES.sstItem))) continue;
    if (lt - start > XML_PIECE_MAX_BYTES) splices.push({ start, end: lt, text: `<si><t>${OVERSIZED_XML}</t>` });
    start = t.nameEnd + 1;
    strings++;
  }
  // After the last string SheetJS still reads what is left as one more (normally empty) string.
  if (region.end - start > XML_PIECE_MAX_BYTES) splices.push({ start, end: region.end, text: '' });
  return { xml: applySplices(buf, splices), cells: 0, strings };
}

/** Any other part SheetJS reads (content types, workbook, relationships): short tags and texts. */
export function boundOtherXml(buf: Buffer, part: string): BoundedPart {
  checkGaps(buf, 0, buf.length, part);
  return { xml: buf, cells: 0, strings: 0 };
}
