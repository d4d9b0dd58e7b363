import zlib from 'node:zlib';

/**
 * Checks an uploaded .xlsx (a zip archive) before any spreadsheet code inflates it: the central
 * directory must be readable, list a workbook, stay within an entry count and a total uncompressed
 * size, and every entry must really inflate to no more than the size the directory declares (a
 * zip bomb can declare small sizes and still expand without bound). Pure: bytes in, facts out.
 */
export interface ZipLimits {
  maxEntries: number;
  /** Sum of the entries' uncompressed sizes, in bytes. */
  maxUncompressedBytes: number;
}

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

/** A file that is not a readable zip, or one that would expand beyond the limits. */
export class ZipRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipRejectedError';
  }
}

const EOCD_SIG = 0x06054b50;
const CDH_SIG = 0x02014b50;
const LFH_SIG = 0x04034b50;
const ZIP64_MARK = 0xffffffff;

function findEndOfCentralDirectory(buf: Buffer): number {
  // The record is 22 bytes plus a comment of up to 65,535 bytes, at the very end.
  const stop = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= stop; i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG) return i;
  }
  return -1;
}

const corrupt = () => new ZipRejectedError('The file is damaged: its zip directory cannot be read.');

/** Reads the central directory and enforces the limits on what it declares. */
export function readCentralDirectory(buf: Buffer, limits: ZipLimits): ZipEntry[] {
  const eocd = buf.length >= 22 ? findEndOfCentralDirectory(buf) : -1;
  if (eocd < 0) throw corrupt();
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === ZIP64_MARK) {
    throw new ZipRejectedError('The workbook is too large to import (a ZIP64 archive).');
  }
  if (count > limits.maxEntries) {
    throw new ZipRejectedError(`The workbook holds ${count} parts; at most ${limits.maxEntries} are accepted.`);
  }
  if (cdOffset + cdSize > eocd) throw corrupt();
  const entries: ZipEntry[] = [];
  let total = 0;
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== CDH_SIG) throw corrupt();
    const method = buf.readUInt16LE(p + 10);
    const compressedSize = buf.readUInt32LE(p + 20);
    const uncompressedSize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const localHeaderOffset = buf.readUInt32LE(p + 42);
    if (p + 46 + nameLen > eocd) throw corrupt();
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    if (compressedSize === ZIP64_MARK || uncompressedSize === ZIP64_MARK || localHeaderOffset === ZIP64_MARK) {
      throw new ZipRejectedError('The workbook is too large to import (a ZIP64 archive).');
    }
    total += uncompressedSize;
    if (total > limits.maxUncompressedBytes) {
      throw new ZipRejectedError(
        `The workbook would expand to more than ${Math.round(limits.maxUncompressedBytes / 2 ** 20)} MB; it is not imported.`,
      );
    }
    entries.push({ name, method, compressedSize, uncompressedSize, localHeaderOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/**
 * Inflates each entry with its declared size as a hard ceiling, so a directory that lies about
 * sizes is caught here (zlib stops at the ceiling) rather than inside the spreadsheet parser.
 */
export function verifyDeclaredSizes(buf: Buffer, entries: readonly ZipEntry[]): void {
  for (const e of entries) {
    const h = e.localHeaderOffset;
    if (h + 30 > buf.length || buf.readUInt32LE(h) !== LFH_SIG) throw corrupt();
    const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
    const end = start + e.compressedSize;
    if (end > buf.length) throw corrupt();
    const data = buf.subarray(start, end);
    let size: number;
    if (e.method === 0) size = data.length;
    else if (e.method === 8) {
      try {
        // One byte over the declared size is enough to prove the directory lied.
        size = zlib.inflateRawSync(data, { maxOutputLength: Math.max(1, e.uncompressedSize + 1) }).length;
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') size = Infinity;
        else throw corrupt();
      }
    } else throw new ZipRejectedError(`The workbook uses an unsupported compression method (${e.method}).`);
    if (size !== e.uncompressedSize) {
      throw new ZipRejectedError(
        'The workbook is not imported: a part expands to a different size than its zip directory declares.',
      );
    }
  }
}
