import type { Metadata } from 'next';
import { TokensView } from './tokens-view';

export const metadata: Metadata = { title: 'Agent tokens' };

export default function TokensPage() {
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Agent tokens</h1>
        <p className="text-sm text-muted">
          An agent pushes its host&apos;s snapshots with a token; a token can do nothing else. Admins only.
        </p>
      </div>
      <TokensView />
    </div>
  );
}
