import type { Metadata } from 'next';
import { ImportWorkbookButton } from '../_components/import-workbook';
import { toSearchString, type SearchParamsRecord } from '../_components/url/url-params';
import { UrlStateProvider } from '../_components/url/url-state';
import { RunHistory } from './run-history';

export const metadata: Metadata = { title: 'Runs' };

export default async function RunsPage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">Runs</h1>
          <p className="text-sm text-muted">Every snapshot taken, newest first.</p>
        </div>
        <ImportWorkbookButton />
        <p className="flex items-center gap-3 text-sm">
          <span className="text-muted">Malicious hashes of every host:</span>
          <a href="/api/iocs.txt" download className="font-medium text-accent hover:underline">
            All-hosts IOCs (.txt)
          </a>
          <a href="/api/iocs.csv" download className="font-medium text-accent hover:underline">
            All-hosts IOCs (.csv)
          </a>
        </p>
      </div>
      {/* `host` (runs-params.ts) renders on the server as the link asks. */}
      <UrlStateProvider search={toSearchString(await searchParams)}>
        <RunHistory />
      </UrlStateProvider>
    </div>
  );
}
