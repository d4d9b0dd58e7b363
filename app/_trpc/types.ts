import type { RowOf } from '@/domain/row-table';
import type { AppRouter, RouterOutputs } from '@/server/api/root';

/** The one door from React code to the server's types (type-only; nothing of the server is bundled). */
export type { AppRouter };

/** Row types for the UI come from the router, never hand-written copies. */
export type RunSummary = NonNullable<RouterOutputs['runs']['byId']>;
export type RunListItem = RouterOutputs['runs']['list'][number];
/** A whole run's processes travel as a RowTable; the UI works with its decoded rows. */
export type ProcessRow = RowOf<RouterOutputs['runs']['processes']>;
export type ExecutableRow = RouterOutputs['runs']['executables'][number];

/** VirusTotal, as the UI receives it. `RowVt` is null for a hash never submitted for a check. */
export type RowVt = ProcessRow['vt'];
export type VtCheckStatus = RouterOutputs['vt']['status'];
export type VtQuota = RouterOutputs['vt']['quota'];
export type VtSettingsView = RouterOutputs['vt']['settings'];
export type VtEngineRow = RouterOutputs['vt']['engines'][number];
export type FleetHost = RouterOutputs['fleet']['hosts'][number];
export type PrevalenceRow = RouterOutputs['fleet']['prevalence'][number];
/** Where one executable runs: its hosts and their processes. */
export type FleetHashUsage = RouterOutputs['fleet']['hash'];
export type AgentTokenRow = RouterOutputs['tokens']['list'][number];
export type RunDiff = RouterOutputs['diff']['compare'];
export type DiffRow = RunDiff['entries'][number];
export type DiffCandidate = RouterOutputs['diff']['candidates'][number];
