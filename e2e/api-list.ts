import { execFileSync } from 'node:child_process';

/**
 * Every tRPC procedure, route handler and page of the app, read from the router and the app folder
 * (scripts/test/list-api.ts), so the request matrices cover a new one without being edited.
 */
export interface ApiList {
  procedures: Array<{ path: string; type: 'query' | 'mutation' | 'subscription' }>;
  routes: Array<{ pattern: string; methods: string[] }>;
  pages: string[];
}

let cached: ApiList | null = null;

export function apiList(): ApiList {
  cached ??= JSON.parse(
    execFileSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', 'scripts/test/list-api.ts'], {
      encoding: 'utf8',
    }),
  ) as ApiList;
  return cached;
}

/** A concrete address for a route or page pattern (run 999999 does not exist). */
export function concretePath(pattern: string): string {
  return pattern.replace('[runId]', '999999').replace('[trpc]', 'runs.list');
}
