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
export { gateRoute, newNonce, refusalResponse, trailingSlashRedirect, withHeaders } from './respond';
