export { gateConfig, gateConfigFromEnv, MAX_TRPC_BATCH, parsePublicUrl, type GateConfig } from './config';
export {
  contentSecurityPolicy,
  decide,
  refusalBody,
  securityHeaders,
  trpcCallCount,
  type GateDecision,
  type RequestFacts,
} from './decide';
