import type { Metadata } from 'next';
import { TokensView } from './tokens-view';

export const metadata: Metadata = { title: 'Agent tokens' };

export default function TokensPage() {
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Agent tokens</h1>
        <p className="text-sm text-muted">
          An agent pushes its host&apos;s snapshots with a token; a token can do nothing else. Admins only. A token
          belongs to the admin who made it and stops working when they are removed, banned or no longer an admin;
          another admin can take it over with Re-assign.
        </p>
      </div>
      <TokensView />
    </div>
  );
}
