import crypto from 'node:crypto';
import { OLD_MD5, oldScriptWorkbook } from './import-fixtures';
import {
  centralDirectory,
  deflateRepeated,
  endRecord,
  localHeader,
  localRecords,
  partsOf,
  zipArchive,
  type FixturePart,
  type RawEntry,
} from './zip-fixtures';

/**
 * Test data only: the uploads issue #17 was about, built byte by byte, plus the honest extremes
 * (the biggest workbook the limits allow). Sizes are parameters so unit tests can use small
 * versions and the memory suite the real ones.
 */
const MIB = 2 ** 20;
export const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
export const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

/** XML-escapes text the way a spreadsheet program writes cell text. */
export function xmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The parts of a minimal .xlsx: content types, workbook, relationships, the sheets and shared strings. */
export function workbookParts(sheets: { name: string; xml: Buffer }[], sharedStrings?: Buffer): FixturePart[] {
  const overrides = sheets
    .map(
      (_, i) =>
        `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
    )
    .join('');
  const sst = sharedStrings
    ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    : '';
  const types =
    `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
    `${overrides}${sst}</Types>`;
  const workbook =
    `${XML_HEAD}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><sheets>` +
    sheets.map((s, i) => `<sheet name="${xmlText(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('') +
    '</sheets></workbook>';
  const rels =
    `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    sheets
      .map(
        (_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
      )
      .join('') +
    (sharedStrings
      ? `<Relationship Id="rId${sheets.length + 1}" Type="${REL_NS}/sharedStrings" Target="sharedStrings.xml"/>`
      : '') +
    '</Relationships>';
  return [
    { name: '[Content_Types].xml', data: Buffer.from(types) },
    { name: 'xl/workbook.xml', data: Buffer.from(workbook) },
    { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(rels) },
    ...sheets.map((s, i) => ({ name: `xl/worksheets/sheet${i + 1}.xml`, data: s.xml })),
    ...(sharedStrings ? [{ name: 'xl/sharedStrings.xml', data: sharedStrings }] : []),
  ];
}

export const sheetXml = (rows: string): string =>
  `${XML_HEAD}<worksheet xmlns="${MAIN_NS}"><sheetData>${rows}</sheetData></worksheet>`;

/** A cell whose text is written inline (`t="inlineStr"`), `xml` already escaped. */
export const inlineCell = (ref: string, xml: string) => `<c r="${ref}" t="inlineStr"><is><t>${xml}</t></is></c>`;
export const numberCell = (ref: string, v: string) => `<c r="${ref}"><v>${v}</v></c>`;

/** A name + MD5 sheet with one process row whose cells are the given XML. */
export function oneRowWorkbook(cells: { name?: string; md5?: string; extra?: string } = {}): Buffer {
  const rows =
    `<row r="1">${inlineCell('A1', 'Process Name')}${inlineCell('B1', 'MD5')}${inlineCell('C1', 'PID')}</row>` +
    `<row r="2">${cells.name ?? inlineCell('A2', 'sshd')}${cells.md5 ?? inlineCell('B2', OLD_MD5.known)}${cells.extra ?? ''}</row>`;
  return zipArchive(workbookParts([{ name: 'Sheet1', xml: Buffer.from(sheetXml(rows)) }]));
}

/**
 * The attack from the issue: an honest small workbook whose last bytes hold a second end record.
 * A reader scanning from 22 bytes before the end sees the honest directory; SheetJS, scanning from
 * 4 bytes before the end, finds the second one: a hidden directory with the honest parts plus
 * `hiddenParts` entries that all point at one record inflating to `partBytes`. With
 * `asComment` the second record is the honest one's declared comment, so no byte is "trailing".
 */
export function eocdTrickWorkbook(
  opts: { hiddenParts?: number; partBytes?: number; asComment?: boolean } = {},
): Buffer {
  const { hiddenParts = 3, partBytes = 1024 * MIB, asComment = false } = opts;
  const honest = localRecords(partsOf(oldScriptWorkbook()));
  const bomb = deflateRepeated(Buffer.alloc(MIB), partBytes);
  const bombEntry: RawEntry = {
    name: 'xl/media/image1.bin',
    method: 8,
    flags: 0,
    crc: bomb.crc,
    compressedSize: bomb.data.length,
    uncompressedSize: bomb.size,
    offset: honest.bytes.length,
  };
  const bombRecord = Buffer.concat([localHeader(bombEntry), bomb.data]);
  const hidden = [
    ...honest.entries,
    ...Array.from({ length: hiddenParts }, (_, i) => ({ ...bombEntry, name: `xl/media/image${i + 1}.bin` })),
  ];
  const hiddenCdOffset = honest.bytes.length + bombRecord.length;
  const hiddenCd = centralDirectory(hidden);
  const realCd = centralDirectory(honest.entries);
  const second = endRecord(hidden.length, hiddenCd.length, hiddenCdOffset).subarray(0, 20);
  const real = endRecord(
    honest.entries.length,
    realCd.length,
    hiddenCdOffset + hiddenCd.length,
    asComment ? second : undefined,
  );
  return Buffer.concat([honest.bytes, bombRecord, hiddenCd, realCd, real, asComment ? Buffer.alloc(0) : second]);
}

/** A classic bomb whose directory lies: the sheet declares 1 KB and inflates to `partBytes`. */
export function lyingBombWorkbook(partBytes = 1024 * MIB): Buffer {
  const parts = workbookParts([{ name: 'Sheet1', xml: Buffer.from(sheetXml('')) }]);
  const { bytes, entries } = localRecords(parts.slice(0, 3));
  const row = `<row>${numberCell('A1', '1')}</row>`;
  const bomb = deflateRepeated(Buffer.from(row.repeat(Math.floor(MIB / row.length))), partBytes);
  const e: RawEntry = {
    name: 'xl/worksheets/sheet1.xml',
    method: 8,
    flags: 0,
    crc: bomb.crc,
    compressedSize: bomb.data.length,
    uncompressedSize: 1024,
    offset: bytes.length,
  };
  const record = Buffer.concat([localHeader(e), bomb.data]);
  const cd = centralDirectory([...entries, e]);
  return Buffer.concat([bytes, record, cd, endRecord(entries.length + 1, cd.length, bytes.length + record.length)]);
}

/**
 * Entries sharing bytes: every sheet part points at one record (each declares its honest size,
 * `partBytes`), so a reader inflates the same megabyte again and again.
 */
export function overlappingWorkbook(copies = 3, partBytes = 80 * MIB): Buffer {
  const { bytes, entries } = localRecords(partsOf(oldScriptWorkbook()));
  const blob = deflateRepeated(Buffer.alloc(MIB), partBytes);
  const shared: RawEntry = {
    name: 'xl/media/shared1.bin',
    method: 8,
    flags: 0,
    crc: blob.crc,
    compressedSize: blob.data.length,
    uncompressedSize: blob.size,
    offset: bytes.length,
  };
  const record = Buffer.concat([localHeader(shared), blob.data]);
  const all = [
    ...entries,
    ...Array.from({ length: copies }, (_, i) => ({ ...shared, name: `xl/media/shared${i + 1}.bin` })),
  ];
  const cd = centralDirectory(all);
  return Buffer.concat([bytes, record, cd, endRecord(all.length, cd.length, bytes.length + record.length)]);
}

/** An honest workbook with bytes after its end record. */
export function trailingDataWorkbook(bytes = 1024): Buffer {
  return Buffer.concat([oldScriptWorkbook(), crypto.randomBytes(bytes)]);
}

/** An archive of the minimal parts with `name` replaced by an already-deflated stream. */
function withDeflatedPart(
  parts: FixturePart[],
  name: string,
  part: { data: Buffer; crc: number; size: number },
): Buffer {
  const { bytes, entries } = localRecords(parts.filter((p) => p.name !== name));
  const e: RawEntry = {
    name,
    method: 8,
    flags: 0,
    crc: part.crc,
    compressedSize: part.data.length,
    uncompressedSize: part.size,
    offset: bytes.length,
  };
  const record = Buffer.concat([localHeader(e), part.data]);
  const cd = centralDirectory([...entries, e]);
  return Buffer.concat([bytes, record, cd, endRecord(entries.length + 1, cd.length, bytes.length + record.length)]);
}

/**
 * One honest process name of `cellBytes` characters: in the sheet as an inline string (what
 * the upload did), or in the shared strings as Excel would write it.
 */
export function hugeCellWorkbook(cellBytes = 250 * MIB, where: 'inline' | 'shared' = 'inline'): Buffer {
  const filler = Buffer.alloc(MIB, 'A');
  const md5 = inlineCell('B2', OLD_MD5.known);
  if (where === 'inline') {
    const [head, tail] = sheetXml(
      `<row r="1">${inlineCell('A1', 'Process Name')}${inlineCell('B1', 'MD5')}</row>` +
        `<row r="2"><c r="A2" t="inlineStr"><is><t>{{NAME}}</t></is></c>${md5}</row>`,
    ).split('{{NAME}}') as [string, string];
    const sheet = deflateRepeated(filler, cellBytes, Buffer.from(head), Buffer.from(tail));
    const parts = workbookParts([{ name: 'Sheet1', xml: Buffer.alloc(0) }]);
    return withDeflatedPart(parts, 'xl/worksheets/sheet1.xml', sheet);
  }
  const rows =
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>' +
    `<row r="2"><c r="A2" t="s"><v>2</v></c>${md5}</row>`;
  const head = `${XML_HEAD}<sst xmlns="${MAIN_NS}"><si><t>Process Name</t></si><si><t>MD5</t></si><si><t>`;
  const sst = deflateRepeated(filler, cellBytes, Buffer.from(head), Buffer.from('</t></si></sst>'));
  const parts = workbookParts([{ name: 'Sheet1', xml: Buffer.from(sheetXml(rows)) }], Buffer.alloc(0));
  return withDeflatedPart(parts, 'xl/sharedStrings.xml', sst);
}

/** NUL in a process name, written as the `_x0000_` escape spreadsheet programs use (and as `&#0;`). */
export function nulWorkbook(): Buffer {
  return oneRowWorkbook({ name: inlineCell('A2', 'ev_x0000_il&#0;') });
}
