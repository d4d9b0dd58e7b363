import zlib from 'node:zlib';
import { ProcLensError } from '@/domain/errors';

/**
 * A strict reader for an uploaded .xlsx (a zip archive). Zip readers disagree on where an archive
 * ends — SheetJS scans for the end record from 4 bytes before the end, others from 22 — so a file
 * can show one reader a small honest directory and another a hidden one full of gigabyte parts.
 * This reader accepts only archives every reader sees the same way: exactly one end record, at the
 * very end (nothing after it but its declared comment), a central directory right before it, and
 * local records that tile the bytes before that with nothing overlapping, hidden or left over.
 * The parts it reads are inflated here with a hard cap, so the spreadsheet code only ever sees
 * bytes that passed these checks. Pure: bytes in, facts out.
 */
export interface ZipLimits {
  maxEntries: number;
}

export interface ZipEntry {
  name: string;
  method: 0 | 8;
  flags: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /** Where the entry's compressed bytes start. */
  dataOffset: number;
}

/** A file that is not a readable zip, or one that would expand beyond the limits. */
export class ZipRejectedError extends ProcLensError {
  constructor(message: string) {
    super('bad-input', message);
  }
}

const EOCD_SIG = 0x06054b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const CDH_SIG = 0x02014b50;
const LFH_SIG = 0x04034b50;
const DESCRIPTOR_SIG = 0x08074b50;
const EOCD_LEN = 22;
const MAX_COMMENT = 0xffff;
const ZIP64_EXTRA = 0x0001;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const FLAG_MASKED_DIRECTORY = 0x2000;

const corrupt = () => new ZipRejectedError('The file is damaged: its zip directory cannot be read.');
const zip64 = () => new ZipRejectedError('The workbook is too large to import (a ZIP64 archive).');
const sizeLie = () =>
  new ZipRejectedError(
    'The workbook is not imported: a part expands to a different size than its zip directory declares.',
  );
const overlapping = () =>
  new ZipRejectedError('The workbook is not imported: its zip parts overlap or leave unexplained bytes between them.');

function findEndRecord(buf: Buffer): number {
  if (buf.length < EOCD_LEN) throw corrupt();
  const stop = Math.max(0, buf.length - EOCD_LEN - MAX_COMMENT);
  for (let i = buf.length - EOCD_LEN; i >= stop; i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG) return i;
  }
  throw corrupt();
}

/** Any signature of an end record (plain or ZIP64) in buf[from, to). */
function holdsEndSignature(buf: Buffer, from: number, to: number): boolean {
  for (let i = from; i + 4 <= to; i++) {
    const sig = buf.readUInt32LE(i);
    if (sig === EOCD_SIG || sig === ZIP64_EOCD_SIG || sig === ZIP64_LOCATOR_SIG) return true;
  }
  return false;
}

/** Extra fields must tile their space exactly; a ZIP64 field would let sizes say something else. */
function checkExtra(buf: Buffer, start: number, len: number): void {
  let p = start;
  const end = start + len;
  while (p < end) {
    if (p + 4 > end) throw corrupt();
    const id = buf.readUInt16LE(p);
    const size = buf.readUInt16LE(p + 2);
    if (id === ZIP64_EXTRA) throw zip64();
    p += 4 + size;
  }
  if (p !== end) throw corrupt();
}

/** SheetJS looks parts up without case and with either slash; two names it could confuse are one. */
export function partKey(name: string): string {
  return name.toLowerCase().replace(/\\/g, '/');
}

function readName(buf: Buffer, start: number, len: number): string {
  if (len === 0) throw corrupt();
  const name = buf.toString('utf8', start, start + len);
  // A name that does not survive decoding, or holds control characters, is not a workbook part.
  if (name.includes('\uFFFD') || /[\u0000-\u001f\u007f]/.test(name)) throw corrupt();
  return name;
}

interface DirectoryEntry extends Omit<ZipEntry, 'dataOffset'> {
  rawName: Buffer;
}

function readDirectory(buf: Buffer, start: number, end: number, count: number): DirectoryEntry[] {
  const entries: DirectoryEntry[] = [];
  const keys = new Set<string>();
  let p = start;
  for (let i = 0; i < count; i++) {
    if (p + 46 > end || buf.readUInt32LE(p) !== CDH_SIG) throw corrupt();
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    const crc32 = buf.readUInt32LE(p + 16);
    const compressedSize = buf.readUInt32LE(p + 20);
    const uncompressedSize = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const disk = buf.readUInt16LE(p + 34);
    const localHeaderOffset = buf.readUInt32LE(p + 42);
    const next = p + 46 + nameLen + extraLen + commentLen;
    if (next > end || disk !== 0) throw corrupt();
    if (compressedSize === 0xffffffff || uncompressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) {
      throw zip64();
    }
    if (flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_DIRECTORY)) {
      throw new ZipRejectedError('The workbook is encrypted (password-protected); save it without a password first.');
    }
    if (method !== 0 && method !== 8) {
      throw new ZipRejectedError(`The workbook uses an unsupported compression method (${method}).`);
    }
    if (method === 0 && compressedSize !== uncompressedSize) throw corrupt();
    checkExtra(buf, p + 46 + nameLen, extraLen);
    const rawName = buf.subarray(p + 46, p + 46 + nameLen);
    const name = readName(buf, p + 46, nameLen);
    const key = partKey(name);
    if (keys.has(key)) {
      throw new ZipRejectedError('The workbook is not imported: two of its zip parts have the same name.');
    }
    keys.add(key);
    entries.push({ name, rawName, method, flags, crc32, compressedSize, uncompressedSize, localHeaderOffset });
    p = next;
  }
  // The directory's declared size must be exactly what its entries take.
  if (p !== end) throw corrupt();
  return entries;
}

/**
 * Checks one local record against its directory entry and returns where its data starts and
 * where the record (data and any data descriptor) ends.
 */
function readLocalRecord(buf: Buffer, e: DirectoryEntry, limit: number): { dataOffset: number; end: number } {
  const h = e.localHeaderOffset;
  if (h + 30 > limit || buf.readUInt32LE(h) !== LFH_SIG) throw overlapping();
  const flags = buf.readUInt16LE(h + 6);
  const method = buf.readUInt16LE(h + 8);
  const nameLen = buf.readUInt16LE(h + 26);
  const extraLen = buf.readUInt16LE(h + 28);
  const dataOffset = h + 30 + nameLen + extraLen;
  if (dataOffset > limit) throw overlapping();
  if (method !== e.method || (flags & FLAG_DESCRIPTOR) !== (e.flags & FLAG_DESCRIPTOR)) throw corrupt();
  if (!buf.subarray(h + 30, h + 30 + nameLen).equals(e.rawName)) throw corrupt();
  checkExtra(buf, h + 30 + nameLen, extraLen);
  const local = { crc: buf.readUInt32LE(h + 14), csize: buf.readUInt32LE(h + 18), usize: buf.readUInt32LE(h + 22) };
  const agrees = local.crc === e.crc32 && local.csize === e.compressedSize && local.usize === e.uncompressedSize;
  // With a data descriptor the local header may leave the three at zero; otherwise they must agree.
  const deferred = (flags & FLAG_DESCRIPTOR) !== 0 && local.crc === 0 && local.csize === 0 && local.usize === 0;
  if (!agrees && !deferred) throw corrupt();
  let end = dataOffset + e.compressedSize;
  if (end > limit) throw overlapping();
  if (flags & FLAG_DESCRIPTOR) {
    const signed = end + 4 <= limit && buf.readUInt32LE(end) === DESCRIPTOR_SIG ? 4 : 0;
    const d = end + signed;
    if (d + 12 > limit) throw overlapping();
    if (
      buf.readUInt32LE(d) !== e.crc32 ||
      buf.readUInt32LE(d + 4) !== e.compressedSize ||
      buf.readUInt32LE(d + 8) !== e.uncompressedSize
    ) {
      throw corrupt();
    }
    end = d + 12;
  }
  return { dataOffset, end };
}

/**
 * Reads the archive's one directory and checks that the file is exactly: local records back to
 * back from byte 0, then the central directory, then the end record and its comment.
 */
export function readZipDirectory(buf: Buffer, limits: ZipLimits): ZipEntry[] {
  const eocd = findEndRecord(buf);
  const commentLen = buf.readUInt16LE(eocd + 20);
  if (eocd + EOCD_LEN + commentLen < buf.length) {
    throw new ZipRejectedError('The workbook is not imported: it has data after the end of its zip directory.');
  }
  if (eocd + EOCD_LEN + commentLen > buf.length) throw corrupt();
  // A reader that scans from the very end must find this record too, not one hidden after it.
  if (holdsEndSignature(buf, eocd + 1, buf.length)) {
    throw new ZipRejectedError('The workbook is not imported: it holds a second zip directory end record.');
  }
  const disk = buf.readUInt16LE(eocd + 4);
  const cdDisk = buf.readUInt16LE(eocd + 6);
  const onDisk = buf.readUInt16LE(eocd + 8);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw zip64();
  if (disk !== 0 || cdDisk !== 0 || onDisk !== count) throw corrupt();
  if (count > limits.maxEntries) {
    throw new ZipRejectedError(`The workbook holds ${count} parts; at most ${limits.maxEntries} are accepted.`);
  }
  if (cdOffset + cdSize !== eocd) {
    if (cdOffset + cdSize > eocd) throw corrupt();
    throw overlapping();
  }
  const dir = readDirectory(buf, cdOffset, eocd, count);
  const byOffset = [...dir].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  const out: ZipEntry[] = [];
  let at = 0;
  for (const e of byOffset) {
    if (e.localHeaderOffset !== at) throw overlapping();
    const { dataOffset, end } = readLocalRecord(buf, e, cdOffset);
    at = end;
    out.push({
      name: e.name,
      method: e.method as 0 | 8,
      flags: e.flags,
      crc32: e.crc32,
      compressedSize: e.compressedSize,
      uncompressedSize: e.uncompressedSize,
      localHeaderOffset: e.localHeaderOffset,
      dataOffset,
    });
  }
  if (at !== cdOffset) throw overlapping();
  return out;
}

/**
 * The entry's bytes, inflated with its declared size as a hard ceiling (zlib stops one byte past
 * it), and checked against the declared size and checksum.
 */
export function inflateEntry(buf: Buffer, e: ZipEntry): Buffer {
  const data = buf.subarray(e.dataOffset, e.dataOffset + e.compressedSize);
  let out = data;
  if (e.method === 8) {
    try {
      out = zlib.inflateRawSync(data, { maxOutputLength: e.uncompressedSize + 1 });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw sizeLie();
      throw new ZipRejectedError('The file is damaged: a part of it cannot be decompressed.');
    }
  }
  if (out.length !== e.uncompressedSize) throw sizeLie();
  if (zlib.crc32(out) !== e.crc32) throw new ZipRejectedError("The file is damaged: a part's checksum does not match.");
  return out;
}
