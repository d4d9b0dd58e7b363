import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readCentralDirectory, verifyDeclaredSizes, ZipRejectedError } from './zip-guard';

/** A one-entry deflated zip, written by hand (the layout is small and fixed). */
function zipOf(name: string, content: Buffer): Buffer {
  const data = zlib.deflateRawSync(content);
  const n = Buffer.from(name);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(n.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(n.length, 28);
  central.writeUInt32LE(0, 42);
  const cdOffset = local.length + n.length + data.length;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(1, 8);
  eocd.writeUInt16LE(1, 10);
  eocd.writeUInt32LE(central.length + n.length, 12);
  eocd.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([local, n, data, central, n, eocd]);
}

describe('zip guard', () => {
  const tenMb = Buffer.alloc(10 * 2 ** 20, 0x41);

  it('reads entries and verifies their inflated sizes', () => {
    const zip = zipOf('xl/workbook.xml', tenMb);
    expect(zip.length).toBeLessThan(64 * 1024); // a small file that expands 160 times over
    const entries = readCentralDirectory(zip, { maxEntries: 10, maxUncompressedBytes: 20 * 2 ** 20 });
    expect(entries).toMatchObject([{ name: 'xl/workbook.xml', uncompressedSize: tenMb.length }]);
    expect(() => verifyDeclaredSizes(zip, entries)).not.toThrow();
  });

  it('refuses an archive whose declared sizes pass the limit, without inflating it', () => {
    const zip = zipOf('xl/workbook.xml', tenMb);
    expect(() => readCentralDirectory(zip, { maxEntries: 10, maxUncompressedBytes: 2 ** 20 })).toThrow(
      ZipRejectedError,
    );
  });

  it('refuses too many entries and bytes that are not a zip', () => {
    const zip = zipOf('a', Buffer.from('x'));
    expect(() => readCentralDirectory(zip, { maxEntries: 0, maxUncompressedBytes: 100 })).toThrow(/at most 0/);
    expect(() =>
      readCentralDirectory(Buffer.from('not a zip at all, just text'), { maxEntries: 9, maxUncompressedBytes: 9 }),
    ).toThrow(/damaged/);
  });
});
