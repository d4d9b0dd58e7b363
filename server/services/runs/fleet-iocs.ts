import 'server-only';
import type { Db } from '@/db';
import { fleetMaliciousHashes } from '@/db/queries/iocs';
import type { IocEntry } from '../artifacts/iocs';
import { getVtSettings } from '../virustotal/settings';

/** Malicious hashes across every run of every host, with the threshold in force. */
export async function loadFleetIocs(db: Db): Promise<IocEntry[]> {
  const { maliciousThreshold } = await getVtSettings(db);
  const rows = await fleetMaliciousHashes(db, maliciousThreshold);
  return rows.map((r) => ({ ...r, reason: 'virustotal-malicious' as const }));
}
