import 'server-only';
import fs from 'node:fs/promises';
import os from 'node:os';
import type { HostFacts } from './types';
import { processSingleton } from '@/lib/singleton';

/**
 * Facts about this machine. On Linux they come from /etc/os-release and /proc/cpuinfo; elsewhere
 * from systeminformation, imported only there (it is slow to load and spawns helpers). None of these
 * facts change while the process runs, so they are gathered once; only total memory is re-read
 * (cheap, and it can change on VMs with ballooning or hot-plug).
 */

type StableFacts = Omit<HostFacts, 'totalMemoryBytes'>;

// One per process, so a module loaded twice by the bundler still asks the OS only once.
const stableSlot = processSingleton<Promise<StableFacts>>('host-facts');

/** /etc/machine-id survives hostname changes; a hostname is the best identity left without it. */
async function readHostKey(hostname: string): Promise<string> {
  try {
    const id = (await fs.readFile('/etc/machine-id', 'utf8')).trim();
    return id === '' ? hostname : id;
  } catch {
    return hostname;
  }
}

async function readText(file: string): Promise<string> {
  return fs.readFile(file, 'utf8').catch(() => '');
}

/** `KEY=value` lines of os-release(5); values may be quoted. */
function osReleaseField(text: string, key: string): string {
  const m = new RegExp(`^${key}=(.*)$`, 'm').exec(text);
  return m ? m[1]!.trim().replace(/^(["'])(.*)\1$/, '$2') : '';
}

async function gatherLinuxFacts(): Promise<StableFacts> {
  const [osRelease, cpuinfo] = await Promise.all([
    readText('/etc/os-release').then((t) => t || readText('/usr/lib/os-release')),
    readText('/proc/cpuinfo'),
  ]);
  const hostname = os.hostname();
  const cpuModel = /^(?:model name|Hardware|Processor|cpu model)\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim();
  return {
    hostKey: await readHostKey(hostname),
    hostname,
    platform: 'linux',
    distro: osReleaseField(osRelease, 'NAME') || osReleaseField(osRelease, 'ID'),
    release: osReleaseField(osRelease, 'VERSION_ID'),
    kernel: os.release(),
    arch: os.arch(),
    cpuModel: cpuModel || os.cpus()[0]?.model || '',
    cpuCores: os.availableParallelism(),
  };
}

async function gatherStableFacts(): Promise<StableFacts> {
  if (process.platform === 'linux') return gatherLinuxFacts();
  const { default: si } = await import('systeminformation');
  const [osInfo, cpu] = await Promise.all([si.osInfo().catch(() => null), si.cpu().catch(() => null)]);
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
  // A transient failure must not stick for the life of the server: a rejected promise is forgotten.
  const stable = await stableSlot.oncePromise(gatherStableFacts);
  return { ...stable, totalMemoryBytes: os.totalmem() };
}
