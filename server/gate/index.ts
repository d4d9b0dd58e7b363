export { gateConfig, gateConfigFromEnv, MAX_TRPC_BATCH, parsePublicUrl, type GateConfig } from './config';
export {
  batchTooLargeMessage,
  contentSecurityPolicy,
  decide,
  refusalBody,
  securityHeaders,
  trpcCallCount,
  type GateDecision,
  type RequestFacts,
} from './decide';
export { newNonce, refusalResponse, trailingSlashRedirect, withHeaders } from './respond';
export { passGate, type GatePass } from './pass';
export { gateRoute } from './route';
