import { fleetIocDownload } from '@/server/api/fleet-download';
import { guarded } from '@/server/api/http';
import { methodNotAllowed } from '@/server/api/methods';
import { buildIocCsv, CONTENT_TYPES, iocFileName } from '@/server/services/artifacts';

export const dynamic = 'force-dynamic';

/** Every malicious hash seen on any host, with hosts, names, score and label. */
export const GET = guarded('viewer', async () =>
  fleetIocDownload((entries) => ({
    body: buildIocCsv(entries),
    contentType: CONTENT_TYPES.csv,
    fileName: iocFileName('fleet', 'csv'),
  })),
);

// Every other method: 405 with a sentence.
const notAllowed = methodNotAllowed('GET');
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
