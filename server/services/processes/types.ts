import type { CollectStats, HostDescription } from '@/domain/host';
import type { HeuristicCode, PackageIntegrity } from '@/domain/heuristics';
import type { PackageVerifier } from './package-index';

/**
 * What a collection produces. Shared by the /proc fast path, the systeminformation fallback, the
 * store, the exports and the CLI's JSON (whose field names are a public contract).
 */

/**
 * - `ok`: hashed from the real executable.
 * - `deleted`: the file was deleted or replaced while running; hashed through /proc/PID/exe.
 * - `memfd`: runs from an anonymous memory file; hashed through /proc/PID/exe.
 * - `kernel-thread`: no executable (listed, never hashed).
 * - `permission-denied`: the executable link could not be read by this user.
 * - `too-large`: bigger than HASH_MAX_FILE_MB; not hashed.
 * - `unreadable`: the link resolved but the file could not be read (error in `exeError`).
 * - `unknown`: the platform gives no trustworthy executable path (fallback collectors).
 */
export type ExeStatus =
  'ok' | 'deleted' | 'memfd' | 'kernel-thread' | 'permission-denied' | 'too-large' | 'unreadable' | 'unknown';

export interface FileHashes {
  md5: string;
  sha1: string;
  sha256: string;
  size: number;
}

export interface ProcessRecord {
  pid: number;
  ppid: number;
  /** Kernel's short name (comm), untrusted text. */
  name: string;
  /** Real user (who started it). */
  user: string;
  /** Effective user (whose rights it has; what `ps` shows); null where the platform does not say. */
  effectiveUser: string | null;
  /** One-letter kernel state (R, S, D, Z, T, I...), or '?' when unknown. */
  state: string;
  startedAt: Date | null;
  rssBytes: number;
  /** RSS as a percentage of total RAM. */
  memoryPercent: number;
  /** Lifetime average CPU % (like ps): CPU time / time since start. */
  cpuPercent: number;
  cmdline: string;
  /** The true executable (readlink /proc/PID/exe), never argv. */
  exe: string | null;
  exeStatus: ExeStatus;
  exeError: string | null;
  hashes: FileHashes | null;
  /** Owning dpkg package, when one lists the executable. */
  package: string | null;
  /** The executable's MD5 against its package's; null when not checked (no dpkg database, not hashed). */
  integrity: PackageIntegrity | null;
  /** Suspicious-executable heuristics that fired (see domain/heuristics). */
  heuristics: HeuristicCode[];
}

export interface HostFacts extends HostDescription {
  /** Stable identity of the machine: /etc/machine-id when readable, else the hostname. */
  hostKey: string;
}

export interface CollectResult {
  host: HostFacts;
  startedAt: Date;
  processes: ProcessRecord[];
  stats: CollectStats;
}

/** Identity of a file on one host; an unchanged identity means unchanged content. */
export interface FileIdentity {
  dev: string;
  ino: string;
  size: number;
  mtimeNs: string;
  ctimeNs: string;
}

/** Persistent memory of file hashes (the database in the app; a Map in tests). */
export interface HashCacheStore {
  /** Returns the known entries among `ids`, keyed by `fileIdentityKey(id)`; unknown ids are absent. */
  getMany(hostKey: string, ids: FileIdentity[]): Promise<Map<string, FileHashes>>;
  putMany(hostKey: string, entries: Array<{ id: FileIdentity; hashes: FileHashes }>): Promise<void>;
  /**
   * True when the store holds nothing, so every lookup would miss (the CLI's `--no-store`): the
   * collection then starts hashing big executables while the scan still runs.
   */
  isEmpty?(): boolean;
}

export function fileIdentityKey(id: FileIdentity): string {
  return `${id.dev}:${id.ino}:${id.size}:${id.mtimeNs}:${id.ctimeNs}`;
}

export interface CollectProgress {
  phase: 'enumerating' | 'hashing' | 'done';
  done: number;
  total: number;
}

export interface CollectOptions {
  /** Keep processes whose memory % is at least this (0 keeps all). */
  minMemoryPercent: number;
  hashCache: HashCacheStore;
  maxFileBytes: number;
  workers: number;
  onProgress?: (p: CollectProgress) => void;
  signal?: AbortSignal;
  /**
   * What to verify executables against: default the process-wide dpkg index (a server keeps it);
   * a short-lived process passes a CachedPackageIndex; null skips the check.
   */
  packageIndex?: PackageVerifier | null;
}
