import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { eocdTrickWorkbook, overlappingWorkbook, trailingDataWorkbook } from '@/tests/hostile-workbooks';
import { oldScriptWorkbook } from '@/tests/import-fixtures';
import {
  centralDirectory,
  endRecord,
  localRecords,
  zipArchive,
  type FixturePart,
  type RawEntry,
} from '@/tests/zip-fixtures';
import { inflateEntry, readZipDirectory, ZipRejectedError } from './zip-guard';

const LIMITS = { maxEntries: 100 };
const part = (name: string, text: string, method: 0 | 8 = 8): FixturePart => ({
  name,
  data: Buffer.from(text),
  method,
});
const read = (zip: Buffer) => readZipDirectory(zip, LIMITS);
const message = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ZipRejectedError);
    return (e as Error).message;
  }
  throw new Error('expected a refusal');
};

/** An archive assembled from records and a directory the test chose. */
function assemble(records: Buffer, entries: RawEntry[], after = Buffer.alloc(0)): Buffer {
  const cd = centralDirectory(entries);
  return Buffer.concat([records, cd, endRecord(entries.length, cd.length, records.length), after]);
}

describe('readZipDirectory: well-formed archives', () => {
  it('reads every entry, and inflates each to exactly its declared bytes', () => {
    const tenMb = Buffer.alloc(10 * 2 ** 20, 0x41);
    const zip = zipArchive([{ name: 'xl/workbook.xml', data: tenMb }, part('a.txt', 'stored', 0)]);
    expect(zip.length).toBeLessThan(64 * 1024);
    const entries = read(zip);
    expect(entries.map((e) => [e.name, e.method, e.uncompressedSize])).toEqual([
      ['xl/workbook.xml', 8, tenMb.length],
      ['a.txt', 0, 6],
    ]);
    expect(inflateEntry(zip, entries[0]!).equals(tenMb)).toBe(true);
    expect(inflateEntry(zip, entries[1]!).toString()).toBe('stored');
  });

  it('reads a workbook SheetJS wrote, and one with an archive comment', () => {
    expect(read(oldScriptWorkbook()).map((e) => e.name)).toContain('xl/workbook.xml');
    expect(read(zipArchive([part('a', 'x')], { comment: Buffer.from('made by hand') }))).toHaveLength(1);
  });

  it('accepts data descriptors, as streaming zip writers put them after each part', () => {
    const data = Buffer.from('<x/>');
    const body = zlib.deflateRawSync(data);
    const crc = zlib.crc32(data);
    const name = Buffer.from('a.xml');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(0x0008, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(name.length, 26);
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(0x08074b50, 0);
    descriptor.writeUInt32LE(crc, 4);
    descriptor.writeUInt32LE(body.length, 8);
    descriptor.writeUInt32LE(data.length, 12);
    const records = Buffer.concat([local, name, body, descriptor]);
    const entry: RawEntry = {
      name: 'a.xml',
      method: 8,
      flags: 0x0008,
      crc,
      compressedSize: body.length,
      uncompressedSize: data.length,
      offset: 0,
    };
    const [e] = read(assemble(records, [entry]));
    expect(inflateEntry(assemble(records, [entry]), e!).toString()).toBe('<x/>');
  });
});

describe('readZipDirectory: what a second reader could see differently', () => {
  it('refuses the issue #17 file: a second end record in the last 20 bytes', () => {
    const trick = eocdTrickWorkbook({ partBytes: 2 ** 20 });
    expect(message(() => read(trick))).toBe(
      'The workbook is not imported: it has data after the end of its zip directory.',
    );
  });

  it('refuses a second end record hidden in the first one’s comment', () => {
    const trick = eocdTrickWorkbook({ partBytes: 2 ** 20, asComment: true });
    expect(message(() => read(trick))).toBe(
      'The workbook is not imported: it holds a second zip directory end record.',
    );
  });

  it('refuses bytes after the end record', () => {
    expect(message(() => read(trailingDataWorkbook(10)))).toMatch(/data after the end of its zip directory/);
    expect(message(() => read(trailingDataWorkbook(1)))).toMatch(/data after the end of its zip directory/);
  });

  it('refuses entries that share bytes, and bytes no entry accounts for', () => {
    expect(message(() => read(overlappingWorkbook(2, 2 ** 20)))).toBe(
      'The workbook is not imported: its zip parts overlap or leave unexplained bytes between them.',
    );
    const { bytes, entries } = localRecords([part('a', 'one'), part('b', 'two')]);
    // A hidden record between the two: listed by no directory entry.
    const hidden = Buffer.concat([bytes, Buffer.alloc(100)]);
    expect(message(() => read(assemble(hidden, entries)))).toMatch(/overlap or leave unexplained bytes/);
    // Entry b's header moved into entry a's data.
    const inside = entries.map((e, i) => (i === 1 ? { ...e, offset: 10 } : e));
    expect(message(() => read(assemble(bytes, inside)))).toMatch(/overlap or leave unexplained bytes|damaged/);
  });

  it('refuses offsets and sizes that point outside the file or past the directory', () => {
    const { bytes, entries } = localRecords([part('a', 'one')]);
    const far = [{ ...entries[0]!, offset: 1_000_000 }];
    expect(message(() => read(assemble(bytes, far)))).toMatch(/overlap|damaged/);
    const long = [{ ...entries[0]!, compressedSize: 1_000_000 }];
    expect(message(() => read(assemble(bytes, long)))).toMatch(/damaged|overlap/);
    const cd = centralDirectory(entries);
    const badEnd = Buffer.concat([bytes, cd, endRecord(1, cd.length + 5000, bytes.length)]);
    expect(message(() => read(badEnd))).toMatch(/damaged/);
  });

  it('refuses two parts whose names differ only in case (SheetJS finds parts without case)', () => {
    const zip = zipArchive([part('xl/workbook.xml', 'a'), part('XL/Workbook.xml', 'b')]);
    expect(message(() => read(zip))).toBe('The workbook is not imported: two of its zip parts have the same name.');
  });

  it('refuses a local header that disagrees with the directory', () => {
    const { bytes, entries } = localRecords([part('a', 'one')]);
    const renamed = [{ ...entries[0]!, name: 'b' }];
    expect(message(() => read(assemble(bytes, renamed)))).toMatch(/damaged/);
    const bigger = [{ ...entries[0]!, uncompressedSize: 10 }];
    expect(message(() => read(assemble(bytes, bigger)))).toMatch(/damaged/);
  });
});

describe('readZipDirectory: methods, encryption, ZIP64, counts', () => {
  it('refuses a method other than stored or deflate, and an encrypted part', () => {
    const { bytes, entries } = localRecords([part('a', 'one', 0)]);
    const bzip = Buffer.from(bytes);
    bzip.writeUInt16LE(12, 8);
    expect(message(() => read(assemble(bzip, [{ ...entries[0]!, method: 12 }])))).toBe(
      'The workbook uses an unsupported compression method (12).',
    );
    expect(message(() => read(assemble(bytes, [{ ...entries[0]!, flags: 1 }])))).toMatch(/encrypted/);
  });

  it('refuses ZIP64 markers, too many parts, and bytes that are not a zip', () => {
    const { bytes, entries } = localRecords([part('a', 'one')]);
    expect(message(() => read(assemble(bytes, [{ ...entries[0]!, uncompressedSize: 0xffffffff }])))).toMatch(/ZIP64/);
    expect(message(() => readZipDirectory(zipArchive([part('a', 'x')]), { maxEntries: 0 }))).toMatch(/at most 0/);
    expect(message(() => read(Buffer.from('not a zip at all, just text')))).toMatch(/damaged/);
  });
});

describe('inflateEntry', () => {
  it('stops a part that inflates past its declared size at one byte over (no bomb gets inflated)', () => {
    const { bytes, entries } = localRecords([{ name: 'a', data: Buffer.alloc(50 * 2 ** 20) }]);
    const zip = Buffer.from(assemble(bytes, entries));
    // Declare 10 bytes in both headers: consistent, and a lie.
    zip.writeUInt32LE(10, 22);
    const cd = zip.length - 22 - 46 - 1;
    zip.writeUInt32LE(10, cd + 24);
    const [e] = read(zip);
    expect(message(() => inflateEntry(zip, e!))).toBe(
      'The workbook is not imported: a part expands to a different size than its zip directory declares.',
    );
  });

  it('refuses a part whose checksum does not match, and a part that is not deflate data', () => {
    const zip = zipArchive([part('a', 'hello hello hello')]);
    const [e] = read(zip);
    expect(message(() => inflateEntry(zip, { ...e!, crc32: 1 }))).toBe(
      "The file is damaged: a part's checksum does not match.",
    );
    const garbage = Buffer.from(zip);
    garbage.fill(0xff, e!.dataOffset, e!.dataOffset + e!.compressedSize);
    expect(message(() => inflateEntry(garbage, e!))).toMatch(/damaged/);
  });
});
