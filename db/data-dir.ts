import 'server-only';
import fs from 'node:fs';
import path from 'node:path';

/**
 * DATA_DIR holds the database and the lock file's hand-over token. PGlite creates its files 0666
 * whatever the umask, so the folders are what keep other local users out: DATA_DIR and every
 * folder below it are 0700 (owner only), its files 0600. Files a user asks for elsewhere (`--out`,
 * downloads) are not touched and keep the user's umask.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export interface PrivateDirResult {
  /** The folder existed with modes that let other users in; it was tightened. */
  tightened: boolean;
}

/** Creates DATA_DIR 0700, or tightens an existing one (the caller logs one warning line). */
export function ensurePrivateDataDir(dataDir: string): PrivateDirResult {
  fs.mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const mode = fs.statSync(dataDir).mode & 0o777;
  if (mode === PRIVATE_DIR_MODE) return { tightened: false };
  fs.chmodSync(dataDir, PRIVATE_DIR_MODE);
  return { tightened: (mode & 0o077) !== 0 };
}

/** Creates a folder below DATA_DIR (and any missing parents) 0700. */
export function mkdirPrivate(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  fs.chmodSync(dir, PRIVATE_DIR_MODE);
}

/**
 * Sets every folder under `root` to 0700 and every file to 0600. Run after PGlite opened (it makes
 * folders with the umask and files 0666); files it creates later stay behind the 0700 folders.
 */
export function tightenTree(root: string): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(root, { withFileTypes: true });
  } catch {
    return;
  }
  for (const e of entries) {
    const p = path.join(root, e.name);
    try {
      if (e.isDirectory()) {
        fs.chmodSync(p, PRIVATE_DIR_MODE);
        tightenTree(p);
      } else if (e.isFile()) {
        fs.chmodSync(p, PRIVATE_FILE_MODE);
      }
    } catch {
      /* a file removed while we walk (WAL segments come and go) */
    }
  }
}
