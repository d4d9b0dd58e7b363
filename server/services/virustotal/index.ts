export {
  cancelCheck,
  changeVtSettings,
  retryFailed,
  runCheckStatus,
  startAgentSnapshotCheck,
  startRunCheck,
  VtNotConfiguredError,
  type RunCheckStatus,
} from './queue';
export { clearAuthPause, DAILY_MESSAGE, quotaStatus, spacingMs, type QuotaStatus } from './rate-limiter';
export {
  freshnessFor,
  getVtSettings,
  keyHint,
  publicVtSettings,
  storeApiKey,
  updateVtSettings,
  type PublicVtSettings,
  type VtSettings,
} from './settings';
export { ensureServerWorker, startVtWorker, stopServerWorker, type WorkerHandle } from './worker';
export { loadCheckPlan, planCheck, type CheckPlan } from './plan';
