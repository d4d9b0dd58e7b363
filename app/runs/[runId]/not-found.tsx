import { RunNotFound } from './run-not-found';

export default function RunNotFoundPage() {
  return <RunNotFound />;
}
