import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, type Browser, type Page } from '@playwright/test';
import { E2E_VT_KEY } from '../playwright.config';

export interface KnownProcess {
  child: ChildProcess;
  name: string;
  exe: string;
  md5: string;
  sha1: string;
  sha256: string;
}

const sum = (tool: string, file: string) => execFileSync(tool, [file], { encoding: 'utf8' }).split(/\s+/)[0]!;

/** Runs a private copy of `sleep` under a unique name, with its hashes from coreutils. */
export function startKnownProcess(prefix = 'plsleep', alter?: (file: string) => void): KnownProcess {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'proclens-e2e-bin-'));
  // comm is cut at 15 characters: keep the name short and unique.
  const name = `${prefix}${crypto.randomBytes(3).toString('hex')}`.slice(0, 15);
  const exe = path.join(dir, name);
  fs.copyFileSync('/bin/sleep', exe);
  alter?.(exe);
  fs.chmodSync(exe, 0o755);
  const child = spawn(exe, ['600'], { stdio: 'ignore', detached: false });
  return { child, name, exe, md5: sum('md5sum', exe), sha1: sum('sha1sum', exe), sha256: sum('sha256sum', exe) };
}

export function stopKnownProcess(p: KnownProcess | undefined): void {
  if (!p) return;
  p.child.kill('SIGKILL');
  fs.rmSync(path.dirname(p.exe), { recursive: true, force: true });
}

export function baseUrl(): string {
  const url = process.env.PROCLENS_E2E_BASE_URL;
  if (!url) throw new Error('PROCLENS_E2E_BASE_URL is not set: run the specs through playwright.config.ts');
  return url;
}

export function e2eDataDir(): string {
  const dir = process.env.PROCLENS_E2E_DATA_DIR;
  if (!dir) throw new Error('PROCLENS_E2E_DATA_DIR is not set: run the specs through playwright.config.ts');
  return dir;
}

/** Saves the fake VirusTotal's key on Settings, as a user would, and waits for its hint (last four). */
export async function saveVtKey(page: Page): Promise<void> {
  await page.goto('/settings');
  await page.getByLabel('VirusTotal API key').fill(E2E_VT_KEY);
  await page.getByRole('button', { name: 'Save key' }).click();
  await expect(page.getByText(`••••${E2E_VT_KEY.slice(-4)}`).first()).toBeVisible();
}

/**
 * Removes the VirusTotal key on Settings if one is saved. Specs that save a key call it when they
 * finish: later specs start from "no key", as a fresh server does.
 */
export async function removeVtKey(browser: Browser): Promise<void> {
  const page = await browser.newPage();
  try {
    await page.goto('/settings');
    const remove = page.getByRole('button', { name: 'Remove key' });
    // The card says which it is once the settings have loaded: a key in use, or none yet.
    await expect(remove.or(page.getByText(/^No key yet\./))).toBeVisible({ timeout: 30_000 });
    if (await remove.isVisible()) {
      await remove.click();
      await expect(page.getByRole('button', { name: 'Remove key' })).toHaveCount(0);
    }
  } finally {
    await page.close();
  }
}
