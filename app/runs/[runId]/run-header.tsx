import type { ReactNode } from 'react';
import { formatDateTime, formatDuration, formatRelative } from '@/app/_components/format';
import { DownloadButton } from '@/app/_components/download-button';
import { RunStatusBadge } from '@/app/_components/run-status';
import { UntrustedText } from '@/app/_components/tables/untrusted-text';
import { Card, CardBody, CardHeader } from '@/app/_components/ui/card';
import type { RunSummary } from '@/app/_trpc/types';
import { RunProgress } from './run-progress';

function Fact({ label, children, title }: { label: string; children: ReactNode; title?: string }) {
  return (
    <div className="max-w-full min-w-0">
      <dt className="text-xs text-muted">{label}</dt>
      <dd className="truncate text-sm font-medium tabular-nums" title={title}>
        {children}
      </dd>
    </div>
  );
}

const SOURCE: Record<string, string> = {
  dashboard: 'Dashboard',
  cli: 'Command line',
  agent: 'Agent',
  import: 'Workbook import',
};

export function RunHeader({ run }: { run: RunSummary }) {
  const running = run.status === 'running';
  const counted = (v: ReactNode) => (run.status === 'completed' ? v : '—');
  const facts = run.hostFacts;
  const platform = facts ? [facts.distro, facts.release, facts.arch].filter(Boolean).join(' ') : '';
  return (
    <Card>
      <CardHeader className="flex-wrap">
        <div className="flex min-w-0 flex-wrap items-center gap-x-3 gap-y-1">
          <h1 className="text-base font-semibold tracking-tight">Run {run.id}</h1>
          <RunStatusBadge status={run.status} />
          {platform && (
            <span className="truncate text-xs text-muted">
              <UntrustedText value={platform} />
            </span>
          )}
        </div>
        {run.status === 'completed' && (
          <div className="flex flex-wrap items-center gap-2">
            <DownloadButton href={`/api/runs/${run.id}/vt-results.txt`}>Download results (.txt)</DownloadButton>
            <DownloadButton
              href={`/api/runs/${run.id}/iocs.txt`}
              title="SHA-256s VirusTotal calls malicious, one per line"
            >
              IOCs (.txt)
            </DownloadButton>
            <DownloadButton
              href={`/api/runs/${run.id}/iocs.csv`}
              title="Malicious hashes with MD5, SHA-1, score, label and names"
            >
              IOCs (.csv)
            </DownloadButton>
            <DownloadButton href={`/api/runs/${run.id}/workbook`} primary>
              Download workbook
            </DownloadButton>
          </div>
        )}
      </CardHeader>
      <CardBody className="space-y-4">
        {run.status === 'failed' && (
          <div role="alert" className="rounded-md border border-danger/30 bg-danger-bg px-3 py-2 text-sm text-danger">
            <span className="font-medium">This run failed: </span>
            <UntrustedText value={run.error ?? 'no reason was recorded.'} />
          </div>
        )}
        {running && (
          <>
            <RunProgress progress={run.progress} />
            <p className="text-xs text-muted">The process and executable tables appear when the collection finishes.</p>
          </>
        )}
        <dl className="flex flex-wrap gap-x-8 gap-y-3">
          <Fact label="Host">
            <UntrustedText value={run.hostname} />
          </Fact>
          <Fact label="Started" title={run.startedAt.toISOString()}>
            <time dateTime={run.startedAt.toISOString()}>{formatDateTime(run.startedAt)}</time>{' '}
            <span className="font-normal text-muted">({formatRelative(run.startedAt)})</span>
          </Fact>
          <Fact label="Source">{SOURCE[run.source] ?? run.source}</Fact>
          <Fact label="Duration">{running ? 'In progress' : formatDuration(run.durationMs, { precise: true })}</Fact>
          <Fact label="Processes kept / seen">{counted(`${run.processCount} / ${run.totalProcesses}`)}</Fact>
          <Fact label="Distinct executables">{counted(run.distinctExecutables)}</Fact>
          <Fact label="Files hashed / cache hits">{counted(`${run.hashedFiles} / ${run.cacheHits}`)}</Fact>
          <Fact label="Minimum memory %">{run.options.minMemoryPercent}%</Fact>
        </dl>
      </CardBody>
    </Card>
  );
}
