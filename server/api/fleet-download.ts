import 'server-only';
import { getDb } from '@/db';
import { type IocEntry } from '@/server/services/artifacts';
import { loadFleetIocs } from '@/server/services/runs';
import { fileResponse } from './http';

/** A fleet-wide IOC download (every run of every host). */
export async function fleetIocDownload(
  build: (entries: IocEntry[]) => { body: string; contentType: string; fileName: string },
) {
  return fileResponse(build(await loadFleetIocs(await getDb())));
}
