import type { Metadata } from 'next';
import { toSearchString, type SearchParamsRecord } from '../_components/url/url-params';
import { UrlStateProvider } from '../_components/url/url-state';
import { PrevalenceView } from './prevalence-view';

export const metadata: Metadata = { title: 'Prevalence' };

export default async function PrevalencePage({ searchParams }: { searchParams: Promise<SearchParamsRecord> }) {
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Prevalence</h1>
        <p className="text-sm text-muted">
          One row per executable across every host. The rare ones — on one or two hosts — come first: they are the ones
          to look at.
        </p>
      </div>
      {/* The view's params (prevalence-params.ts) render on the server as the link asks. */}
      <UrlStateProvider search={toSearchString(await searchParams)}>
        <PrevalenceView />
      </UrlStateProvider>
    </div>
  );
}
