import 'server-only';
import fs from 'node:fs/promises';
import path from 'node:path';
import { mapLimit } from './concurrency';
import type { PackageIntegrity } from '@/domain/heuristics';
import { processSingleton } from '@/lib/singleton';

/**
 * Which Debian/Ubuntu package owns an executable, and whether its MD5 is the one the package
 * shipped. The dpkg database lists every file of every installed package with its MD5 in
 * /var/lib/dpkg/info/<package>.md5sums; reading those files once per collection replaces a
 * `dpkg -S` per executable. Each file is parsed again only when its mtime or size changed, so the
 * index of a long-running server costs a readdir and a stat per package after the first run.
 */

export const DPKG_INFO_DIR = '/var/lib/dpkg/info';

interface PackageFile {
  mtimeMs: number;
  size: number;
  /** Absolute path → MD5, as the package shipped it. */
  entries: Map<string, string>;
}

export interface PackageOwner {
  /** As dpkg names it: `bash`, or `libc6:amd64` for multi-arch packages. */
  package: string;
  md5: string;
}

export interface PackageVerdict {
  package: string | null;
  integrity: PackageIntegrity;
}

/**
 * What a collection checks executables against. `prepare` may start before enumeration ends: it
 * gets the run's executables as a promise (PackageIndex does not need them, the cached index does).
 */
export interface PackageVerifier {
  /** False when this host has no dpkg database; every verdict is then skipped. */
  prepare(executables: Promise<readonly string[]>): Promise<boolean>;
  verify(exe: string, md5: string): PackageVerdict;
}

/** The one rule: the package's MD5 against the bytes' MD5. */
export function verdictFor(owner: PackageOwner | null, md5: string): PackageVerdict {
  if (!owner) return { package: null, integrity: 'not-packaged' };
  return { package: owner.package, integrity: owner.md5 === md5.toLowerCase() ? 'matches' : 'modified' };
}

/** Parses one `<package>.md5sums` file: `<md5>  <path without leading slash>` per line. */
export function parseMd5sums(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]{32}) [ *]?(.+)$/.exec(line);
    if (!match?.[1] || !match[2]) continue;
    const file = match[2].startsWith('/') ? match[2] : `/${match[2]}`;
    entries.set(file, match[1]);
  }
  return entries;
}

// Merged-/usr systems: /bin is a link to /usr/bin, so /proc/PID/exe says /usr/bin/bash while older
// packages still list bin/bash (and the other way round once a package moves its files).
const MERGED_DIRS = ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32'];

/** The paths under which dpkg may list the file at `exe`, the exact path first. */
export function candidatePaths(exe: string): string[] {
  const out = [exe];
  for (const dir of MERGED_DIRS) {
    if (exe.startsWith(`/usr/${dir}/`)) out.push(exe.slice(4));
    else if (exe.startsWith(`/${dir}/`)) out.push(`/usr${exe}`);
  }
  return out;
}

export class PackageIndex implements PackageVerifier {
  private files = new Map<string, PackageFile>();
  private byPath = new Map<string, PackageOwner>();
  /** Parsed md5sums files in the last refresh (0 when every file came from the cache). */
  parsedFiles = 0;

  constructor(readonly infoDir: string = DPKG_INFO_DIR) {}

  /**
   * Brings the index up to date with the dpkg database. Returns false when there is none (not a
   * Debian-family system, or unreadable), in which case every lookup answers null.
   */
  async refresh(): Promise<boolean> {
    let names: string[];
    try {
      names = (await fs.readdir(this.infoDir)).filter((n) => n.endsWith('.md5sums'));
    } catch {
      this.files.clear();
      this.byPath.clear();
      return false;
    }
    let changed = false;
    this.parsedFiles = 0;
    const seen = new Set<string>();
    await mapLimit(names, 32, async (name) => {
      const file = path.join(this.infoDir, name);
      seen.add(name);
      try {
        const st = await fs.stat(file);
        const known = this.files.get(name);
        if (known && known.mtimeMs === st.mtimeMs && known.size === st.size) return;
        const entries = parseMd5sums(await fs.readFile(file, 'utf8'));
        this.files.set(name, { mtimeMs: st.mtimeMs, size: st.size, entries });
        this.parsedFiles += 1;
        changed = true;
      } catch {
        // Removed between readdir and read (a package being purged): it owns nothing now.
        if (this.files.delete(name)) changed = true;
      }
    });
    for (const name of [...this.files.keys()]) {
      if (!seen.has(name) && this.files.delete(name)) changed = true;
    }
    if (changed || this.byPath.size === 0) this.rebuild();
    return true;
  }

  private rebuild(): void {
    this.byPath.clear();
    // Sorted so that when two packages list one path (a diverted or replaced file) the pick is stable.
    for (const name of [...this.files.keys()].sort()) {
      const pkg = name.slice(0, -'.md5sums'.length);
      for (const [file, md5] of this.files.get(name)!.entries) {
        if (!this.byPath.has(file)) this.byPath.set(file, { package: pkg, md5 });
      }
    }
  }

  get size(): number {
    return this.byPath.size;
  }

  owner(exe: string): PackageOwner | null {
    for (const p of candidatePaths(exe)) {
      const hit = this.byPath.get(p);
      if (hit) return hit;
    }
    return null;
  }

  /** The whole index is kept up to date, so the executables are not needed. */
  prepare(): Promise<boolean> {
    return this.refresh();
  }

  /** The verdict for an executable whose bytes hashed to `md5`. */
  verify(exe: string, md5: string): PackageVerdict {
    return verdictFor(this.owner(exe), md5);
  }
}

const indexSlot = processSingleton<PackageIndex>('package-index');

/** The process-wide index of the real dpkg database (kept between collections). */
export function systemPackageIndex(): PackageIndex {
  return indexSlot.once(() => new PackageIndex());
}
