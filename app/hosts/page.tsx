import type { Metadata } from 'next';
import { HostsTable } from './hosts-table';
import { NewKnownSection } from './new-known-section';

export const metadata: Metadata = { title: 'Hosts' };

export default function HostsPage() {
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Hosts</h1>
        <p className="text-sm text-muted">Every host that sent a snapshot, with its newest run&apos;s counts.</p>
      </div>
      <NewKnownSection />
      <HostsTable />
    </div>
  );
}
