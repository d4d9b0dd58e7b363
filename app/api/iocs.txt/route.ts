import { fleetIocDownload } from '@/server/api/fleet-download';
import { buildIocTxt, CONTENT_TYPES, iocFileName } from '@/server/services/artifacts';

export const dynamic = 'force-dynamic';

/** Every malicious SHA-256 seen on any host, one per line. */
export async function GET() {
  return fleetIocDownload((entries) => ({
    body: buildIocTxt(entries),
    contentType: CONTENT_TYPES.txt,
    fileName: iocFileName('fleet', 'txt'),
  }));
}
