import zlib from 'node:zlib';
import * as XLSX from 'xlsx';

/**
 * Test data only: zip archives written byte by byte, so a test can build exactly the malformed or
 * hostile layout it means (a second end record, entries sharing bytes, data after the end…)
 * instead of whatever a zip library would write.
 */
export interface FixturePart {
  name: string;
  /** The part's bytes before compression. */
  data: Buffer;
  /** 8 (deflate, the default) or 0 (stored). */
  method?: 0 | 8;
}

/** One central-directory entry, as written. */
export interface RawEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  uncompressedSize: number;
  offset: number;
}

const LFH = 0x04034b50;
const CDH = 0x02014b50;
const EOCD = 0x06054b50;

export function localHeader(e: Omit<RawEntry, 'offset'>): Buffer {
  const name = Buffer.from(e.name);
  const h = Buffer.alloc(30);
  h.writeUInt32LE(LFH, 0);
  h.writeUInt16LE(20, 4);
  h.writeUInt16LE(e.flags, 6);
  h.writeUInt16LE(e.method, 8);
  h.writeUInt32LE(e.crc >>> 0, 14);
  h.writeUInt32LE(e.compressedSize, 18);
  h.writeUInt32LE(e.uncompressedSize, 22);
  h.writeUInt16LE(name.length, 26);
  return Buffer.concat([h, name]);
}

export function centralDirectory(entries: readonly RawEntry[]): Buffer {
  return Buffer.concat(
    entries.map((e) => {
      const name = Buffer.from(e.name);
      const h = Buffer.alloc(46);
      h.writeUInt32LE(CDH, 0);
      h.writeUInt16LE(20, 4);
      h.writeUInt16LE(20, 6);
      h.writeUInt16LE(e.flags, 8);
      h.writeUInt16LE(e.method, 10);
      h.writeUInt32LE(e.crc >>> 0, 16);
      h.writeUInt32LE(e.compressedSize, 20);
      h.writeUInt32LE(e.uncompressedSize, 24);
      h.writeUInt16LE(name.length, 28);
      h.writeUInt32LE(e.offset, 42);
      return Buffer.concat([h, name]);
    }),
  );
}

export function endRecord(count: number, cdSize: number, cdOffset: number, comment: Buffer = Buffer.alloc(0)): Buffer {
  const h = Buffer.alloc(22);
  h.writeUInt32LE(EOCD, 0);
  h.writeUInt16LE(count, 8);
  h.writeUInt16LE(count, 10);
  h.writeUInt32LE(cdSize, 12);
  h.writeUInt32LE(cdOffset, 16);
  h.writeUInt16LE(comment.length, 20);
  return Buffer.concat([h, comment]);
}

/** Local records for `parts`, laid out from `start`, and their directory entries. */
export function localRecords(parts: readonly FixturePart[], start = 0): { bytes: Buffer; entries: RawEntry[] } {
  const chunks: Buffer[] = [];
  const entries: RawEntry[] = [];
  let offset = start;
  for (const p of parts) {
    const method = p.method ?? 8;
    const body = method === 8 ? zlib.deflateRawSync(p.data) : p.data;
    const e: RawEntry = {
      name: p.name,
      method,
      flags: 0,
      crc: zlib.crc32(p.data),
      compressedSize: body.length,
      uncompressedSize: p.data.length,
      offset,
    };
    const header = localHeader(e);
    chunks.push(header, body);
    entries.push(e);
    offset += header.length + body.length;
  }
  return { bytes: Buffer.concat(chunks), entries };
}

/** A well-formed archive of `parts`, optionally with a comment or bytes after the end record. */
export function zipArchive(parts: readonly FixturePart[], opts: { comment?: Buffer; trailing?: Buffer } = {}): Buffer {
  const { bytes, entries } = localRecords(parts);
  const cd = centralDirectory(entries);
  return Buffer.concat([
    bytes,
    cd,
    endRecord(entries.length, cd.length, bytes.length, opts.comment),
    opts.trailing ?? Buffer.alloc(0),
  ]);
}

/** The parts of an .xlsx written by SheetJS, in archive order (read with SheetJS' own zip code). */
export function partsOf(xlsx: Buffer): FixturePart[] {
  const cfb = XLSX.CFB as {
    read(d: Buffer, o: { type: 'buffer' }): { FullPaths: string[]; FileIndex: { type: number; content: Buffer }[] };
  };
  const zip = cfb.read(xlsx, { type: 'buffer' });
  const out: FixturePart[] = [];
  zip.FileIndex.forEach((f, i) => {
    const name = zip.FullPaths[i]!.replace(/^Root Entry\//, '');
    if (f.type === 2 && !name.startsWith('\u0001')) out.push({ name, data: Buffer.from(f.content) });
  });
  return out;
}

/**
 * Raw-deflates `head`, then `total` bytes made by repeating `chunk`, then `tail`, without ever
 * holding the repeated bytes: `chunk` is compressed once, ending in a full flush (so the next
 * piece needs nothing before it), and that piece is repeated. A megabyte can so inflate to a
 * gigabyte (deflate's best ratio is about 1,000:1).
 */
export function deflateRepeated(
  chunk: Buffer,
  total: number,
  head: Buffer = Buffer.alloc(0),
  tail: Buffer = Buffer.alloc(0),
): { data: Buffer; crc: number; size: number } {
  const flushed = (b: Buffer) => zlib.deflateRawSync(b, { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  const whole = Math.floor(total / chunk.length);
  const rest = chunk.subarray(0, total - whole * chunk.length);
  const piece = flushed(chunk);
  let crc = zlib.crc32(head);
  for (let i = 0; i < whole; i++) crc = zlib.crc32(chunk, crc);
  crc = zlib.crc32(tail, zlib.crc32(rest, crc));
  const data = Buffer.concat([
    flushed(head),
    ...Array.from({ length: whole }, () => piece),
    flushed(rest),
    zlib.deflateRawSync(tail, { level: 9 }),
  ]);
  return { data, crc, size: head.length + total + tail.length };
}
