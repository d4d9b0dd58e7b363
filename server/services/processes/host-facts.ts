import 'server-only';
import fs from 'node:fs/promises';
import os from 'node:os';
import si from 'systeminformation';
import type { HostFacts } from './types';

/**
 * Facts about this machine. systeminformation spawns helpers on some platforms, and none of these
 * facts change while the process runs, so they are gathered once; only total memory is re-read
 * (cheap, and it can change on VMs with ballooning or hot-plug).
 */

type StableFacts = Omit<HostFacts, 'totalMemoryBytes'>;

// On globalThis so a module loaded twice by the bundler still asks the OS only once.
const g = globalThis as unknown as { __proclensHostFacts?: Promise<StableFacts> };

/** /etc/machine-id survives hostname changes; a hostname is the best identity left without it. */
async function readHostKey(hostname: string): Promise<string> {
  try {
    const id = (await fs.readFile('/etc/machine-id', 'utf8')).trim();
    return id === '' ? hostname : id;
  } catch {
    return hostname;
  }
}

async function gatherStableFacts(): Promise<StableFacts> {
  const [osInfo, cpu] = await Promise.all([
    si.osInfo().catch(() => null),
    si.cpu().catch(() => null),
  ]);
  const hostname = osInfo?.hostname || os.hostname();
  const cpuModel = cpu ? `${cpu.manufacturer} ${cpu.brand}`.trim() : '';
  return {
    hostKey: await readHostKey(hostname),
    hostname,
    platform: osInfo?.platform || process.platform,
    distro: osInfo?.distro || '',
    release: osInfo?.release || os.release(),
    kernel: osInfo?.kernel || os.release(),
    arch: osInfo?.arch || os.arch(),
    cpuModel: cpuModel || os.cpus()[0]?.model || '',
    cpuCores: cpu?.cores || os.availableParallelism(),
  };
}

export async function getHostFacts(): Promise<HostFacts> {
  g.__proclensHostFacts ??= gatherStableFacts().catch((error: unknown) => {
    delete g.__proclensHostFacts; // a transient failure must not stick for the life of the server
    throw error;
  });
  const stable = await g.__proclensHostFacts;
  return { ...stable, totalMemoryBytes: os.totalmem() };
}
