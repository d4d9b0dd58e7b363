import { IMPORT_MAX_ROWS, IMPORT_UPLOAD_MAX_BYTES } from '@/domain/import-limits';
import { ImportWorkbookButton } from './import-workbook';
import { Card, CardBody, CardHeader, CardTitle } from './ui/card';

/** The dashboard's card for bringing in a workbook made elsewhere (an offline host, the older script). */
export function ImportPanel() {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Import a workbook</CardTitle>
      </CardHeader>
      <CardBody className="space-y-3">
        <p className="text-sm text-muted">
          An <span className="font-mono text-xs">All_process_hash_real_time_*.xlsx</span> from ProcLens on another (even
          offline) host, or the older script&apos;s sheet of process names and MD5s, becomes a run you can check on
          VirusTotal. Only .xlsx, up to {IMPORT_UPLOAD_MAX_BYTES / 2 ** 20} MB and{' '}
          {IMPORT_MAX_ROWS.toLocaleString('en-US')} rows.
        </p>
        <ImportWorkbookButton variant="primary" />
      </CardBody>
    </Card>
  );
}
