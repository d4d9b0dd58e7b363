import 'server-only';
import { getDb } from '@/db';
import { contentDisposition, type IocEntry } from '@/server/services/artifacts';
import { loadFleetIocs } from '@/server/services/runs';

/** A fleet-wide IOC download (every run of every host). */
export async function fleetIocDownload(
  build: (entries: IocEntry[]) => { body: string; contentType: string; fileName: string },
) {
  const { body, contentType, fileName } = build(await loadFleetIocs(await getDb()));
  const bytes = new TextEncoder().encode(body);
  return new Response(bytes, {
    headers: {
      'content-type': contentType,
      'content-disposition': contentDisposition(fileName),
      'content-length': String(bytes.byteLength),
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
