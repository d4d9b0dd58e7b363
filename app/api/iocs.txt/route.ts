import { fleetIocDownload } from '@/server/api/fleet-download';
import { guarded } from '@/server/api/http';
import { methodNotAllowed } from '@/server/api/methods';
import { buildIocTxt, CONTENT_TYPES, iocFileName } from '@/server/services/artifacts';

export const dynamic = 'force-dynamic';

/** Every malicious SHA-256 seen on any host, one per line. */
export const GET = guarded('viewer', async () =>
  fleetIocDownload((entries) => ({
    body: buildIocTxt(entries),
    contentType: CONTENT_TYPES.txt,
    fileName: iocFileName('fleet', 'txt'),
  })),
);

// Every other method: 405 with a sentence.
const notAllowed = methodNotAllowed('GET');
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
