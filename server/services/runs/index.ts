export {
  collectAndStore,
  collectionProgress,
  ingestSnapshot,
  recoverInterruptedRuns,
  startCollection,
  STALE_AFTER_MS,
  storeSnapshot,
  type AgentDelivery,
  type CollectRequest,
} from './collect-run';
export { createDbHashCache } from './db-hash-cache';
export { exportFromCollect } from './export-from-collect';
export { loadRunExport } from './run-export';
export { agentSnapshotSchema, snapshotProblem, snapshotSchema, type AgentSnapshot, type Snapshot } from './snapshot';
export { loadFleetIocs } from './fleet-iocs';
