import fs from 'node:fs';
import os from 'node:os';
import si from 'systeminformation';
import { describe, expect, it, vi } from 'vitest';
import { getHostFacts } from './host-facts';

function machineId(): string | null {
  try {
    return fs.readFileSync('/etc/machine-id', 'utf8').trim() || null;
  } catch {
    return null;
  }
}

describe('getHostFacts', () => {
  it('identifies the machine by machine-id (else hostname) and reports its memory', async () => {
    const facts = await getHostFacts();
    expect(facts.hostKey).toBe(machineId() ?? facts.hostname);
    expect(facts.hostname).not.toBe('');
    expect(facts.platform).toBe(process.platform);
    expect(facts.arch).not.toBe('');
    expect(facts.cpuCores).toBeGreaterThan(0);
    expect(facts.totalMemoryBytes).toBe(os.totalmem());
  });

  it('answers later calls from memory with the same facts', async () => {
    const first = await getHostFacts();
    const osInfo = vi.spyOn(si, 'osInfo');
    const cpu = vi.spyOn(si, 'cpu');
    expect(await getHostFacts()).toEqual(first);
    expect(osInfo).not.toHaveBeenCalled();
    expect(cpu).not.toHaveBeenCalled();
    vi.restoreAllMocks();
  });
});
