import { fleetIocDownload } from '@/server/api/fleet-download';
import { buildIocCsv, CONTENT_TYPES, iocFileName } from '@/server/services/artifacts';

export const dynamic = 'force-dynamic';

/** Every malicious hash seen on any host, with hosts, names, score and label. */
export async function GET() {
  return fleetIocDownload((entries) => ({
    body: buildIocCsv(entries),
    contentType: CONTENT_TYPES.csv,
    fileName: iocFileName('fleet', 'csv'),
  }));
}
