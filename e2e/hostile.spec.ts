import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test } from '@playwright/test';
import * as XLSX from 'xlsx';

// File names a process can carry into the dashboard and the workbook (its exe path is untrusted).
const HOSTILE = ['<img src=x onerror=alert(1)>', '=HYPERLINK("http:x","y")', "+cmd|' C calc'!A0", 'rtl\u202Eexe.txt'];

const children: ChildProcess[] = [];
let dir: string;
test.beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proclens-hostile-'));
  for (const name of HOSTILE) {
    const exe = path.join(dir, name);
    fs.copyFileSync('/bin/sleep', exe);
    fs.chmodSync(exe, 0o755);
    children.push(spawn(exe, ['600'], { stdio: 'ignore' }));
  }
});
test.afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('hostile process names render as text and are neutralised in the workbook', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto('/');
  await page.getByRole('button', { name: 'Collect processes' }).click();
  await expect(page).toHaveURL(/\/runs\/\d+/);
  await page.getByLabel('Filter').fill('proclens-hostile-');
  await expect(page.getByText('4 of', { exact: false })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('<img src=x onerror=alert(1)>', { exact: false }).first()).toBeVisible();
  expect(await page.locator('main img').count()).toBe(0);
  expect(dialogs).toEqual([]);

  const res = await page.request.get(`${page.url().replace(/\?.*$/, '')}`.replace('/runs/', '/api/runs/') + '/workbook');
  const wb = XLSX.read(await res.body());
  const rows = XLSX.utils.sheet_to_json<Record<string, string>>(wb.Sheets.Processes!);
  const mine = rows.filter((r) => typeof r.Executable === 'string' && r.Executable.includes('proclens-hostile-'));
  expect(mine).toHaveLength(4);
  for (const r of mine) expect(String(r.Executable).startsWith('/')).toBe(true);
  // Names (comm) start with the hostile characters: each is neutralised with a leading apostrophe.
  const names = mine.map((r) => String(r.Process));
  expect(names.filter((n) => /^'[=+]/.test(n))).toHaveLength(2);
  for (const ws of Object.values(wb.Sheets)) {
    for (const [ref, cell] of Object.entries(ws)) if (!ref.startsWith('!')) expect((cell as XLSX.CellObject).f).toBeUndefined();
  }
});
