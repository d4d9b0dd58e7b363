import { RunPageSkeleton } from './run-skeleton';

export default function RunLoading() {
  return <RunPageSkeleton />;
}
