import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from './fixtures';
import { baseUrl, e2eDataDir } from './helpers';
import { trpc } from './server-process';
import * as XLSX from 'xlsx';
import { makeSnapshot } from '../tests/fixtures';

/**
 * Process names and executable paths are attacker-controlled: anyone who can start a process
 * chooses them. They must reach the dashboard as text and every export as inert, one-line data.
 */
const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '=HYPERLINK("http:x","y")',
  "+cmd|' C calc'!A0",
  'rtl\u202Eexe.txt',
  'line\r\nbreak',
  'sp ace "quo\'te"',
];
const MARK = 'proclens-hostile-';

const children: ChildProcess[] = [];
let dir: string;

test.beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), MARK));
  const start = (exe: string) => children.push(spawn(exe, ['600'], { stdio: 'ignore' }));
  const place = (target: string | Buffer) => {
    fs.copyFileSync('/bin/sleep', target);
    fs.chmodSync(target, 0o755);
  };
  for (const name of HOSTILE) {
    place(path.join(dir, name));
    start(path.join(dir, name));
  }
  // A ~4 KB executable path (a file name is at most 255 bytes, so a deep directory makes it long).
  let deep = dir;
  while (deep.length < 3900) deep = path.join(deep, 'd'.repeat(200));
  fs.mkdirSync(deep, { recursive: true });
  place(path.join(deep, 'longpath'));
  start(path.join(deep, 'longpath'));
  // Invalid UTF-8 in the file name: made with a byte path, started through a symlink with a clean
  // name (/proc/PID/exe still resolves to the raw bytes).
  const raw = Buffer.concat([Buffer.from(`${dir}/bad`), Buffer.from([0xff, 0xfe, 0x80]), Buffer.from('utf8')]);
  place(raw);
  fs.symlinkSync(raw, path.join(dir, 'badlink'));
  start(path.join(dir, 'badlink'));
});
test.afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('hostile process names and paths: text on the page, inert in every export, one line each in the txt', async ({
  page,
}) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto('/');
  await page.getByRole('button', { name: 'Collect processes' }).click();
  await expect(page).toHaveURL(/\/runs\/\d+/, { timeout: 30_000 }); // the run page renders on the server before the URL changes
  const runId = page.url().match(/\/runs\/(\d+)/)![1];
  await page.getByLabel('Filter').fill(MARK);
  await expect(page.getByText(`${HOSTILE.length + 2} of`, { exact: false })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('<img src=x onerror=alert(1)>', { exact: false }).first()).toBeVisible();
  expect(await page.locator('main img').count()).toBe(0);
  fs.mkdirSync(path.join('.test-artifacts', 'screenshots'), { recursive: true });
  await page.screenshot({ path: path.join('.test-artifacts', 'screenshots', 'hostile.png'), fullPage: false });
  expect(dialogs).toEqual([]);

  // Workbook: the exact names, as typed text cells (never an added apostrophe), no formula anywhere.
  const wb = XLSX.read(await (await page.request.get(`/api/runs/${runId}/workbook`)).body());
  const rows = XLSX.utils.sheet_to_json<Record<string, string>>(wb.Sheets.Processes!);
  const mine = rows.filter((r) => String(r.Executable ?? '').includes(MARK));
  expect(mine).toHaveLength(HOSTILE.length + 2);
  expect(mine.map((r) => String(r.Process)).filter((n) => /^'[=+]/.test(n))).toHaveLength(0);
  expect(mine.map((r) => String(r.Process)).filter((n) => /^[=+]/.test(n))).toHaveLength(2);
  const processes = wb.Sheets.Processes!;
  for (const [ref, cell] of Object.entries(processes)) {
    if (!ref.startsWith('!') && /^[=+]/.test(String((cell as XLSX.CellObject).v)))
      expect((cell as XLSX.CellObject).t).toBe('s');
  }
  for (const ws of Object.values(wb.Sheets)) {
    for (const [ref, cell] of Object.entries(ws))
      if (!ref.startsWith('!')) expect((cell as XLSX.CellObject).f).toBeUndefined();
  }
  expect(mine.some((r) => String(r.Executable).length > 3900)).toBe(true);

  // CSV: parses to the same number of records; formula-looking cells start with an apostrophe.
  const csv = await (await page.request.get(`/api/runs/${runId}/processes.csv`)).text();
  const parsed = XLSX.read(csv, { type: 'string', raw: true });
  const csvRows = XLSX.utils.sheet_to_json<Record<string, string>>(parsed.Sheets[parsed.SheetNames[0]!]!);
  expect(csvRows).toHaveLength(rows.length);
  for (const r of csvRows) expect(String(r.Process ?? '')).not.toMatch(/^[=+\-@]/);

  // JSON: valid, and the strings come back exactly.
  const json = JSON.parse(await (await page.request.get(`/api/runs/${runId}/run.json`)).text()) as {
    processes: Array<{ exe: string | null }>;
  };
  const exes = json.processes.map((p) => p.exe ?? '');
  for (const name of HOSTILE) expect(exes).toContain(path.join(dir, name));

  // vt_results.txt: one line per process (checked or listed as not checked), none split.
  const txt = await (await page.request.get(`/api/runs/${runId}/vt-results.txt`)).text();
  const lines = txt.split('\n').filter((l) => l !== '' && !l.startsWith('# Not checked'));
  expect(lines).toHaveLength(rows.length);
  expect(txt).not.toMatch(/[\r\u2028\u2029\u202E]/);
});

test('a NUL or a number PostgreSQL cannot hold is a 400 with a sentence naming the field, and nothing is stored', async ({
  request,
}) => {
  const runs = async () => (await trpc<unknown[]>(baseUrl(), 'runs.list', { limit: 500 })).length;
  const before = await runs();
  const { token } = JSON.parse(fs.readFileSync(path.join(e2eDataDir(), 'proclens.lock'), 'utf8')) as { token: string };
  const snapshot = makeSnapshot({ n: 3, distinct: 2, hostKey: 'hostile-input', hostname: 'hostile-input' });
  const ingest = (processes: unknown[], raw?: string) =>
    request.post('/api/ingest', {
      headers: { 'content-type': 'application/json', 'x-proclens-local-token': token },
      data: raw ?? JSON.stringify({ ...snapshot, processes }),
    });
  const cases: Array<[Promise<{ status(): number; text(): Promise<string> }>, RegExp]> = [
    [
      ingest(snapshot.processes.map((p, i) => (i === 2 ? { ...p, name: 'evil\u0000name' } : p))),
      /^The snapshot is invalid: processes\[2\]\.name: must not contain a NUL character\.$/,
    ],
    [
      ingest(snapshot.processes.map((p, i) => (i === 1 ? { ...p, rssBytes: 1e308 } : p))),
      /^The snapshot is invalid: processes\[1\]\.rssBytes: /,
    ],
    [
      ingest(snapshot.processes.map((p, i) => (i === 0 ? { ...p, pid: 2 ** 31 } : p))),
      /^The snapshot is invalid: processes\[0\]\.pid: /,
    ],
    [
      ingest([], JSON.stringify({ ...snapshot, host: { ...snapshot.host, hostname: 'h\u0000' } })),
      /^The snapshot is invalid: host\.hostname: must not contain a NUL character\.$/,
    ],
    [
      request.get(`/api/trpc/runs.list?input=${encodeURIComponent(JSON.stringify({ json: { host: 'a\u0000b' } }))}`),
      /input\.host must not contain a NUL character/,
    ],
    [
      request.post('/api/trpc/triage.set', {
        headers: { 'content-type': 'application/json' },
        data: JSON.stringify({ json: { sha256: 'a'.repeat(64), decision: 'benign', note: 'x\u0000', basedOn: 1e308 } }),
      }),
      /must not contain a NUL character|must be a finite number/,
    ],
  ];
  for (const [answer, sentence] of cases) {
    const res = await answer;
    const text = await res.text();
    expect(res.status(), text).toBe(400);
    const body = JSON.parse(text) as { error: { message?: string; json?: { message: string } } };
    expect(body.error.message ?? body.error.json?.message).toMatch(sentence);
  }
  expect(await runs()).toBe(before);
});
