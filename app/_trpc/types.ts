import type { RouterOutputs } from '@/server/api/root';

/** Row types for the UI come from the router, never hand-written copies. */
export type RunSummary = NonNullable<RouterOutputs['runs']['byId']>;
export type RunListItem = RouterOutputs['runs']['list'][number];
export type ProcessRow = RouterOutputs['runs']['processes'][number];
export type ExecutableRow = RouterOutputs['runs']['executables'][number];
