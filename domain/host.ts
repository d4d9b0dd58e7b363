/**
 * Facts about a machine and a collection that the store, the exports and the UI all carry.
 * Layer-neutral: imports nothing of app/, server/ or db/.
 */

/** What a run records about its machine (stored with the run, shown, exported). */
export interface HostDescription {
  hostname: string;
  platform: string;
  distro: string;
  release: string;
  kernel: string;
  arch: string;
  totalMemoryBytes: number;
  cpuModel: string;
  cpuCores: number;
}

/** A machine nothing is known about but its name (an imported sheet, a run stored without facts). */
export function unknownHost(hostname: string): HostDescription {
  return {
    hostname,
    platform: '',
    distro: '',
    release: '',
    kernel: '',
    arch: '',
    totalMemoryBytes: 0,
    cpuModel: '',
    cpuCores: 0,
  };
}

export interface CollectStats {
  /** Processes seen before the memory filter. */
  totalProcesses: number;
  /** Processes kept. */
  processCount: number;
  distinctExecutables: number;
  /** Files read and hashed in this collection. */
  hashedFiles: number;
  /** Files whose hashes came from the cache. */
  cacheHits: number;
  bytesRead: number;
  durationMs: number;
}
