import * as XLSX from 'xlsx';
import { ImportRejectedError } from './import-error';
import { boundOtherXml, boundSharedStringsXml, boundSheetXml, type BoundedPart } from './xml-budget';
import { inflateEntry, partKey, readZipDirectory, ZipRejectedError, type ZipEntry } from './zip-guard';

/**
 * Opens an uploaded .xlsx for SheetJS without letting SheetJS read the zip: the strict reader
 * checks the archive, only the parts the import needs are inflated (each with a hard cap, all
 * within one budget), their text is bounded, and SheetJS gets those verified bytes as
 * already-extracted files. Nothing SheetJS parses is something these checks did not see.
 */

/**
 * SheetJS' memory is what these bound (measured by tests/hostile-upload.test.ts): about 5 bytes
 * per inflated byte (each part as a string, and copies of it), about 110 bytes per cell and about
 * 250 per shared string, however little they hold. An honest ProcLens workbook of 50,000
 * processes inflates to about 36 MB, with 550,000 cells and 250,000 shared strings; its export
 * with VirusTotal columns and a Hashes sheet has up to 1.55 million cells.
 */
export const IMPORT_MAX_UNCOMPRESSED_BYTES = 48 * 1024 * 1024;
export const IMPORT_MAX_CELLS = 2_000_000;
export const IMPORT_MAX_SHARED_STRINGS = 500_000;
const MAX_ZIP_ENTRIES = 1_000;
/** Content types, the workbook and its relationships are a few kilobytes in any real workbook. */
const SMALL_PART_MAX_BYTES = 1024 * 1024;

type PartKind = 'sheet' | 'sharedStrings' | 'other';

/** The parts the import reads, by their case-folded names (SheetJS looks names up without case). */
function kindOf(key: string): PartKind | null {
  if (key === '[content_types].xml' || key === 'xl/workbook.xml' || key === 'xl/_rels/workbook.xml.rels') {
    return 'other';
  }
  if (key === 'xl/sharedstrings.xml') return 'sharedStrings';
  if (/^xl\/worksheets\/[^/]+\.xml$/.test(key)) return 'sheet';
  return null;
}

/** SheetJS' bundled container library and its reader for already-extracted parts (typed `any` upstream). */
interface Container {
  FullPaths: string[];
}
interface ContainerApi {
  utils: {
    cfb_new(): Container;
    cfb_add(c: Container, name: string, content: Buffer, opts: { unsafe: true }): unknown;
  };
}
const containerApi = XLSX.CFB as ContainerApi;
const parseExtracted = (XLSX as unknown as { parse_zip(c: Container, o: XLSX.ParsingOptions): XLSX.WorkBook })
  .parse_zip;

const mb = (bytes: number) => Math.round(bytes / 2 ** 20);

function checkDeclared(read: readonly ZipEntry[]): void {
  let total = 0;
  for (const e of read) {
    if (kindOf(partKey(e.name)) === 'other' && e.uncompressedSize > SMALL_PART_MAX_BYTES) {
      throw new ImportRejectedError(
        `The workbook is not imported: its part ${e.name} would expand to more than ${mb(SMALL_PART_MAX_BYTES)} MB.`,
      );
    }
    total += e.uncompressedSize;
  }
  if (total > IMPORT_MAX_UNCOMPRESSED_BYTES) {
    throw new ImportRejectedError(
      `The workbook would expand to more than ${mb(IMPORT_MAX_UNCOMPRESSED_BYTES)} MB; it is not imported.`,
    );
  }
}

const tooMany = (max: number, what: string) =>
  new ImportRejectedError(
    `The workbook has more than ${max.toLocaleString('en-US')} ${what}; split it and import the parts.`,
  );

function bound(kind: PartKind, xml: Buffer, name: string): BoundedPart {
  if (kind === 'sheet') return boundSheetXml(xml, name);
  if (kind === 'sharedStrings') return boundSharedStringsXml(xml, name);
  return boundOtherXml(xml, name);
}

function verifiedContainer(bytes: Buffer): Container {
  const entries = readZipDirectory(bytes, { maxEntries: MAX_ZIP_ENTRIES });
  const keys = new Set(entries.map((e) => partKey(e.name)));
  if (keys.has('xl/workbook.bin')) {
    throw new ImportRejectedError('This is a binary .xlsb workbook. Only .xlsx workbooks can be imported.');
  }
  if (!keys.has('xl/workbook.xml')) {
    throw new ImportRejectedError('This zip archive is not an .xlsx workbook (it has no workbook part).');
  }
  const read = entries.filter((e) => kindOf(partKey(e.name)) !== null);
  checkDeclared(read);
  const container = containerApi.utils.cfb_new();
  let cells = 0;
  let strings = 0;
  for (const e of entries) {
    const key = partKey(e.name);
    const kind = kindOf(key);
    if (kind) {
      const part = bound(kind, inflateEntry(bytes, e), e.name);
      cells += part.cells;
      strings += part.strings;
      if (cells > IMPORT_MAX_CELLS) throw tooMany(IMPORT_MAX_CELLS, 'cells');
      if (strings > IMPORT_MAX_SHARED_STRINGS) throw tooMany(IMPORT_MAX_SHARED_STRINGS, 'shared texts');
      containerApi.utils.cfb_add(container, e.name, part.xml, { unsafe: true });
    } else if (key.startsWith('xl/') && !key.endsWith('/')) {
      // Never inflated. SheetJS looks some of these up by name (styles, metadata) and fails when
      // one is missing, so each is there, empty.
      containerApi.utils.cfb_add(container, e.name, Buffer.alloc(0), { unsafe: true });
    }
  }
  return container;
}

/** The workbook SheetJS reads from the verified parts; throws ImportRejectedError with a sentence. */
export function openWorkbook(bytes: Buffer, options: XLSX.ParsingOptions): XLSX.WorkBook {
  let container: Container;
  try {
    container = verifiedContainer(bytes);
  } catch (e) {
    if (e instanceof ZipRejectedError) throw new ImportRejectedError(e.message);
    throw e;
  }
  try {
    // A fresh options object: SheetJS fills in defaults on the one it is given.
    return parseExtracted(container, { ...options });
  } catch {
    throw new ImportRejectedError('The workbook is damaged and cannot be read.');
  }
}
