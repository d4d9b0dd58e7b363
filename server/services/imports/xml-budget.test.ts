import { describe, expect, it } from 'vitest';
import { inlineCell, numberCell, sheetXml } from '@/tests/hostile-workbooks';
import { ImportRejectedError } from './import-error';
import { boundOtherXml, boundSharedStringsXml, boundSheetXml, XML_PIECE_MAX_BYTES } from './xml-budget';

const big = 'A'.repeat(XML_PIECE_MAX_BYTES + 1);
const sst = (items: string) => Buffer.from(`<?xml version="1.0"?><sst xmlns="x">${items}</sst>`);

describe('boundSheetXml', () => {
  it('hands an honest sheet over unchanged and counts its cells', () => {
    const xml = Buffer.from(sheetXml(`<row r="1">${inlineCell('A1', 'sshd')}${numberCell('B1', '7')}</row>`));
    const out = boundSheetXml(xml, 'sheet1.xml');
    expect(out.xml).toBe(xml);
    expect(out.cells).toBe(2);
  });

  it('replaces an over-long cell with the marker, keeping its reference, and leaves the rest', () => {
    const xml = Buffer.from(
      sheetXml(
        `<row r="2">${inlineCell('A2', big)}${numberCell('B2', '7')}</row><row r="3">${numberCell('A3', '1')}</row>`,
      ),
    );
    const out = boundSheetXml(xml, 'sheet1.xml').xml.toString();
    expect(out.length).toBeLessThan(1000);
    expect(out).toContain('<c r="A2" t="inlineStr"><is><t>_xFFFF_</t></is></c><c r="B2"><v>7</v></c></row>');
    expect(out).toContain(numberCell('A3', '1'));
  });

  it('bounds a value made of many short texts (SheetJS reads <v> up to </v>, tags and all)', () => {
    const sliced = `<c r="A1" t="str"><v>${'AAAA<b/>'.repeat(XML_PIECE_MAX_BYTES / 4)}</v></c>`;
    const out = boundSheetXml(Buffer.from(sheetXml(`<row r="1">${sliced}</row>`)), 's').xml.toString();
    expect(out).toContain('<c r="A1" t="inlineStr"><is><t>_xFFFF_</t></is></c>');
  });

  it('reads cells and rows with a namespace prefix as SheetJS does', () => {
    const xml = `<x:worksheet><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>${big}</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>`;
    const out = boundSheetXml(Buffer.from(xml), 's');
    expect(out.cells).toBe(1);
    expect(out.xml.toString()).toContain('_xFFFF_');
  });

  it('refuses a long run of markup outside any cell', () => {
    const between = Buffer.from(sheetXml(`<row r="1">${'<x/>'.repeat(XML_PIECE_MAX_BYTES / 2)}</row>`));
    expect(() => boundSheetXml(between, 'xl/worksheets/sheet1.xml')).toThrow(ImportRejectedError);
    const outside = Buffer.from(`<worksheet><headerFooter><oddHeader>${big}</oddHeader></headerFooter></worksheet>`);
    expect(() => boundSheetXml(outside, 'xl/worksheets/sheet1.xml')).toThrow(
      /part xl\/worksheets\/sheet1\.xml holds a run of markup longer than 65,536 bytes/,
    );
  });
});

describe('boundSharedStringsXml', () => {
  it('hands honest strings over unchanged and counts them', () => {
    const xml = sst('<si><t>sshd</t></si><si><r><t>a</t></r><r><t>b</t></r></si>');
    const out = boundSharedStringsXml(xml, 'sst');
    expect(out.xml).toBe(xml);
    expect(out.strings).toBe(2);
  });

  it('replaces an over-long string, plain or in rich-text runs, keeping every index', () => {
    const runs = '<r><t>aaaaaaaaaa</t></r>'.repeat(XML_PIECE_MAX_BYTES / 10);
    const xml = sst(`<si><t>first</t></si><si><t>${big}</t></si><si>${runs}</si><si><t>last</t></si>`);
    const out = boundSharedStringsXml(xml, 'sst');
    expect(out.strings).toBe(4);
    expect(out.xml.toString()).toBe(
      sst('<si><t>first</t></si><si><t>_xFFFF_</t></si><si><t>_xFFFF_</t></si><si><t>last</t></si>').toString(),
    );
  });

  it('bounds what lies between two strings, which SheetJS reads as part of the next one', () => {
    const xml = sst(`<si><t>a</t></si>${'<junk/>'.repeat(XML_PIECE_MAX_BYTES / 6)}<si><t>b</t></si>`);
    expect(boundSharedStringsXml(xml, 'sst').xml.toString()).toContain('<si><t>_xFFFF_</t></si>');
  });
});

describe('boundOtherXml', () => {
  it('refuses a long text or tag, and passes short ones', () => {
    const ok = Buffer.from('<workbook><sheets><sheet name="a"/></sheets></workbook>');
    expect(boundOtherXml(ok, 'xl/workbook.xml').xml).toBe(ok);
    expect(() => boundOtherXml(Buffer.from(`<workbook><definedName>${big}</definedName></workbook>`), 'w')).toThrow(
      ImportRejectedError,
    );
  });
});
