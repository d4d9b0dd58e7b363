import 'server-only';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { mapLimit } from './concurrency';
import {
  candidatePaths,
  DPKG_INFO_DIR,
  type PackageOwner,
  type PackageVerdict,
  type PackageVerifier,
  verdictFor,
} from './package-index';

/**
 * The dpkg check for short-lived processes (the CLI, the agent). Building the whole index of
 * /var/lib/dpkg/info (~100,000 paths) costs a new process about 0.6 s, most of it parsing and
 * garbage; a run needs the owners of a few dozen executables. So this keeps, in a small file, the
 * owner of each executable seen so far, valid for one state of the dpkg database: a fingerprint of
 * every `*.md5sums` file's name, mtime and size. An unchanged host costs a readdir, a stat per list
 * and one small read; a new executable, or any change to the lists, costs one scan of the lists
 * for just the paths needed (no full map). Verdicts are the same as PackageIndex's.
 */

export const PACKAGE_CACHE_FILE = 'package-owners.json';
const VERSION = 1;
/** Executables remembered; the oldest are dropped first. */
const MAX_ENTRIES = 20_000;
const MD5_LINE = /^([0-9a-f]{32}) [ *]?(.+)$/;

interface CacheFile {
  version: typeof VERSION;
  fingerprint: string;
  /** Executable path → [package, md5] as shipped, or null when no package lists it. */
  owners: Record<string, [string, string] | null>;
}

function isOwnerEntry(v: unknown): v is [string, string] | null {
  return (
    v === null ||
    (Array.isArray(v) &&
      v.length === 2 &&
      typeof v[0] === 'string' &&
      v[0] !== '' &&
      typeof v[1] === 'string' &&
      /^[0-9a-f]{32}$/.test(v[1]))
  );
}

/** The stored owners when the file is ours, private, well-formed and for this dpkg state; else null. */
function loadCache(file: string, fingerprint: string): Map<string, [string, string] | null> | null {
  let text: string;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const st = fs.fstatSync(fd);
      // Verdicts decide what is flagged: a file others could have written is not trusted.
      if (!st.isFile() || st.mode & 0o022 || (process.getuid && st.uid !== process.getuid())) return null;
      text = fs.readFileSync(fd, 'utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
  try {
    const parsed = JSON.parse(text) as Partial<CacheFile> | null;
    if (!parsed || parsed.version !== VERSION || parsed.fingerprint !== fingerprint) return null;
    const owners = parsed.owners;
    if (!owners || typeof owners !== 'object' || Array.isArray(owners)) return null;
    const out = new Map<string, [string, string] | null>();
    for (const [exe, v] of Object.entries(owners)) {
      if (!isOwnerEntry(v)) return null;
      out.set(exe, v);
    }
    return out;
  } catch {
    return null;
  }
}

/**
 * Looks for `wanted` paths in one md5sums file without parsing the rest: a line's path is decoded
 * only when its byte length is one a wanted path has. Later lines win within a file, like parseMd5sums.
 */
export function scanMd5sums(
  buf: Buffer,
  wanted: ReadonlySet<string>,
  lengths: ReadonlySet<number>,
): Map<string, string> {
  const hits = new Map<string, string>();
  let start = 0;
  while (start < buf.length) {
    let end = buf.indexOf(10, start);
    if (end < 0) end = buf.length;
    // `<32 hex md5> [ *]?<path>`, the path with or without its leading slash.
    let p = start + 33;
    if (buf[p] === 32 || buf[p] === 42) p++;
    if (p < end) {
      const slash = buf[p] === 47;
      if (lengths.has(end - p + (slash ? 0 : 1))) {
        const line = buf.toString('utf8', start, end);
        const match = MD5_LINE.exec(line);
        if (match?.[1] && match[2]) {
          const file = match[2].startsWith('/') ? match[2] : `/${match[2]}`;
          if (wanted.has(file)) hits.set(file, match[1]);
        }
      }
    }
    start = end + 1;
  }
  return hits;
}

export class CachedPackageIndex implements PackageVerifier {
  private owners = new Map<string, [string, string] | null>();
  /** md5sums files read in the last prepare (0 when every owner came from the cache file). */
  scannedFiles = 0;

  /** `cacheFile` null: nothing is read or written, every run scans (a CLI told to leave no trace). */
  constructor(
    readonly cacheFile: string | null,
    readonly infoDir: string = DPKG_INFO_DIR,
  ) {}

  /** Sorted md5sums names and the fingerprint of their names, mtimes and sizes; null without dpkg. */
  private async listState(): Promise<{ names: string[]; fingerprint: string } | null> {
    let names: string[];
    try {
      names = (await fs.promises.readdir(this.infoDir)).filter((n) => n.endsWith('.md5sums')).sort();
    } catch {
      return null;
    }
    const stats = await mapLimit(names, 64, (name) =>
      fs.promises.stat(path.join(this.infoDir, name)).then(
        (st) => `${name}\0${st.mtimeMs}\0${st.size}`,
        // Removed between readdir and stat (a package being purged): it owns nothing now.
        () => null,
      ),
    );
    const present = names.filter((_, i) => stats[i] !== null);
    const fingerprint = createHash('sha256')
      .update(`${this.infoDir}\n`)
      .update(stats.filter((s) => s !== null).join('\n'))
      .digest('hex');
    return { names: present, fingerprint };
  }

  /** Reads every list once for the candidate paths of `exes`; the first package (by name) wins. */
  private scan(names: readonly string[], exes: readonly string[]): void {
    const wanted = new Set(exes.flatMap(candidatePaths));
    const lengths = new Set([...wanted].map((p) => Buffer.byteLength(p)));
    const found = new Map<string, PackageOwner>();
    this.scannedFiles = 0;
    for (const name of names) {
      let buf: Buffer;
      try {
        buf = fs.readFileSync(path.join(this.infoDir, name));
      } catch {
        continue;
      }
      this.scannedFiles += 1;
      const pkg = name.slice(0, -'.md5sums'.length);
      for (const [file, md5] of scanMd5sums(buf, wanted, lengths)) {
        if (!found.has(file)) found.set(file, { package: pkg, md5 });
      }
    }
    for (const exe of exes) {
      let owner: PackageOwner | null = null;
      for (const p of candidatePaths(exe)) {
        owner = found.get(p) ?? null;
        if (owner) break;
      }
      this.owners.set(exe, owner ? [owner.package, owner.md5] : null);
    }
  }

  private save(fingerprint: string): void {
    if (this.cacheFile === null) return;
    const entries = [...this.owners].slice(-MAX_ENTRIES);
    const body: CacheFile = { version: VERSION, fingerprint, owners: Object.fromEntries(entries) };
    const tmp = `${this.cacheFile}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.cacheFile), { recursive: true, mode: 0o700 });
      fs.writeFileSync(tmp, JSON.stringify(body), { mode: 0o600 });
      fs.renameSync(tmp, this.cacheFile);
    } catch {
      // Only a cache: an unwritable folder costs the next run a scan, never the collection.
      try {
        fs.rmSync(tmp, { force: true });
      } catch {
        // Nothing was written.
      }
    }
  }

  async prepare(executables: Promise<readonly string[]>): Promise<boolean> {
    const [state, exes] = await Promise.all([this.listState(), executables]);
    this.scannedFiles = 0;
    if (!state) {
      this.owners.clear();
      return false;
    }
    const stored = this.cacheFile === null ? null : loadCache(this.cacheFile, state.fingerprint);
    this.owners = stored ?? new Map();
    const missing = [...new Set(exes)].filter((exe) => !this.owners.has(exe));
    if (missing.length > 0) this.scan(state.names, missing);
    if (missing.length > 0 || !stored) this.save(state.fingerprint);
    return true;
  }

  owner(exe: string): PackageOwner | null {
    const hit = this.owners.get(exe);
    return hit ? { package: hit[0], md5: hit[1] } : null;
  }

  verify(exe: string, md5: string): PackageVerdict {
    return verdictFor(this.owner(exe), md5);
  }
}
