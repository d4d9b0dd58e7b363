import crypto from 'node:crypto';
import { inlineCell, MAIN_NS, numberCell, sheetXml, workbookParts, XML_HEAD, xmlText } from './hostile-workbooks';
import { zipArchive } from './zip-fixtures';

/**
 * Test data only: workbooks as large as the import's budgets allow, honest or not, for the memory
 * suite (tests/hostile-upload.test.ts) and the budget tests.
 */
/**
 * The most cells the budgets allow, each as small as a cell can be: 1 MB to upload, tens of MB of
 * XML, millions of cell objects for SheetJS. No header, so it is refused after parsing.
 */
export function tinyCellsWorkbook(cells: number, perRow = 1000): Buffer {
  const row = `<row>${'<c><v>1</v></c>'.repeat(perRow)}</row>`;
  const xml = Buffer.from(sheetXml(row.repeat(Math.ceil(cells / perRow))));
  return zipArchive(workbookParts([{ name: 'Sheet1', xml }]));
}

/** ProcLens' process columns, as a ProcLens export writes them. */
const BIG_HEADER = [
  'Process',
  'PID',
  'User',
  'Memory %',
  'Executable',
  'MD5',
  'SHA-1',
  'SHA-256',
  'Exe status',
  'PPID',
  'CPU %',
];

/**
 * An honest ProcLens-shaped workbook of `rows` processes, text in shared strings as Excel writes
 * it. Random names, paths and hashes make it compress like real data (about 190 bytes a row, and
 * `pathBytes` more for longer executable paths).
 */
export function bigHonestWorkbook(rows: number, pathBytes = 0): Buffer {
  const strings: string[] = [...BIG_HEADER];
  const cols = 'ABCDEFGHIJK';
  const out: string[] = [
    `<row r="1">${BIG_HEADER.map((_, c) => `<c r="${cols[c]}1" t="s"><v>${c}</v></c>`).join('')}</row>`,
  ];
  const str = (ref: string, s: string) => {
    strings.push(s);
    return `<c r="${ref}" t="s"><v>${strings.length - 1}</v></c>`;
  };
  for (let i = 0; i < rows; i++) {
    const r = i + 2;
    const rnd = crypto.randomBytes(48).toString('base64url');
    const long = pathBytes > 0 ? `/${crypto.randomBytes(Math.ceil((pathBytes * 3) / 4)).toString('base64url')}` : '';
    const sha256 = crypto.createHash('sha256').update(rnd).digest('hex');
    const sha1 = crypto.createHash('sha1').update(rnd).digest('hex');
    const md5 = crypto.createHash('md5').update(rnd).digest('hex');
    out.push(
      `<row r="${r}">${str(`A${r}`, `proc-${rnd.slice(0, 10)}`)}${numberCell(`B${r}`, String(1000 + i))}` +
        `${str(`C${r}`, `user${i % 97}`)}${numberCell(`D${r}`, '0.25')}${str(`E${r}`, `/opt/${rnd.slice(10, 40)}${long}/bin/${rnd.slice(40)}`)}` +
        `${str(`F${r}`, md5)}${str(`G${r}`, sha1)}${str(`H${r}`, sha256)}${str(`I${r}`, 'ok')}` +
        `${numberCell(`J${r}`, '1')}${numberCell(`K${r}`, '0.5')}</row>`,
    );
  }
  const sst = Buffer.from(
    `${XML_HEAD}<sst xmlns="${MAIN_NS}" count="${strings.length}" uniqueCount="${strings.length}">` +
      strings.map((s) => `<si><t>${xmlText(s)}</t></si>`).join('') +
      '</sst>',
  );
  return zipArchive(workbookParts([{ name: 'Processes', xml: Buffer.from(sheetXml(out.join(''))) }], sst));
}

/** `count` distinct short shared strings: each one an object for SheetJS, a few bytes in the file. */
export function manyStringsWorkbook(count: number): Buffer {
  const rows = `<row r="1">${inlineCell('A1', 'Process Name')}${inlineCell('B1', 'MD5')}</row>`;
  const items = Array.from({ length: count }, (_, i) => `<si><t>${i.toString(36)}</t></si>`).join('');
  const sst = Buffer.from(`${XML_HEAD}<sst xmlns="${MAIN_NS}">${items}</sst>`);
  return zipArchive(workbookParts([{ name: 'Sheet1', xml: Buffer.from(sheetXml(rows)) }], sst));
}

/**
 * `rows` processes that all point at the same longest texts each field allows (shared strings):
 * a small file whose rows are as large as rows get once stored.
 */
export function widestRowsWorkbook(rows: number): Buffer {
  const header = ['Process', 'User', 'Executable', 'Exe error', 'Effective user', 'Package', 'MD5'];
  const texts = [4096, 256, 4096, 1024, 256, 256].map((n, i) => String.fromCharCode(0x61 + i).repeat(n));
  const strings = [...header, ...texts];
  const cols = 'ABCDEFG';
  const out = [`<row r="1">${header.map((_, c) => `<c r="${cols[c]}1" t="s"><v>${c}</v></c>`).join('')}</row>`];
  for (let r = 2; r < rows + 2; r++) {
    const md5 = crypto.createHash('md5').update(String(r)).digest('hex');
    out.push(
      `<row r="${r}">${texts.map((_, c) => `<c r="${cols[c]}${r}" t="s"><v>${header.length + c}</v></c>`).join('')}` +
        `${inlineCell(`G${r}`, md5)}</row>`,
    );
  }
  const sst = Buffer.from(
    `${XML_HEAD}<sst xmlns="${MAIN_NS}">${strings.map((s) => `<si><t>${s}</t></si>`).join('')}</sst>`,
  );
  return zipArchive(workbookParts([{ name: 'Processes', xml: Buffer.from(sheetXml(out.join(''))) }], sst));
}
