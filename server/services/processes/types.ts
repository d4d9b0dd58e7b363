import type { CollectStats, HostDescription } from '@/domain/host';
import type { FileHashes, ProcessRecord } from '@/domain/process';
import type { PackageVerifier } from './package-index';

/**
 * What a collection produces. Shared by the /proc fast path, the systeminformation fallback, the
 * store, the exports and the CLI's JSON (whose field names are a public contract). One process is
 * domain/process.ts's record.
 */
export type { ExeStatus, FileHashes, ProcessRecord } from '@/domain/process';

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
