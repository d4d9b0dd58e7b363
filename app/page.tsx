import { CollectPanel } from './_components/collect-panel';
import { ImportPanel } from './_components/import-panel';
import { LatestRun } from './_components/latest-run';
import { QuotaWidget } from './_components/quota-widget';

export default function DashboardPage() {
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Dashboard</h1>
        <p className="text-sm text-muted">
          Snapshot the processes running on this host and the hashes of their executables.
        </p>
      </div>
      <div className="grid gap-6 lg:grid-cols-2 2xl:grid-cols-3">
        <CollectPanel />
        <LatestRun />
        <QuotaWidget />
        <ImportPanel />
      </div>
    </div>
  );
}
