import 'server-only';
import type { Db } from '@/db';
import { fleetMaliciousHashes } from '@/db/queries/iocs';
import type { IocEntry } from '../artifacts/iocs';
import { getVtSettings } from '../virustotal/settings';

/** The IOC list across every run of every host, with the threshold in force and triage applied. */
export async function loadFleetIocs(db: Db): Promise<IocEntry[]> {
  const { maliciousThreshold } = await getVtSettings(db);
  const rows = await fleetMaliciousHashes(db, maliciousThreshold);
  return rows.map((r) => ({
    ...r,
    reason: r.triage === 'malicious' ? ('confirmed-malicious' as const) : ('virustotal-malicious' as const),
  }));
}
