import type { Benchmark } from './context';
import { line } from './report';

/** Hosted mode (agents sending snapshots, fleet prevalence) does not exist yet: say so, do not fail. */
export const hostedBench: Benchmark = {
  name: 'hosted',
  about: 'hosted ingest/prevalence (not built yet: reported as SKIP)',
  async run() {
    return [
      line({
        bench: 'hosted',
        name: 'hosted ingest/prevalence — not measured: hosted mode (agents, prevalence) has not been built yet',
        figure: null,
        baseline: null,
        target: null,
        status: 'SKIP',
      }),
    ];
  },
};
