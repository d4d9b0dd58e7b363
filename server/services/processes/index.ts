import 'server-only';

/** The processes service: collect, hash (one pass, cached), and describe the host. */
export { collectProcesses, CollectAbortedError } from './collect';
export { getHostFacts } from './host-facts';
export { shutdownHashPool } from './hash-pool';
export { hashFile } from './hash-file';
export { createMemoryHashCache } from './memory-hash-cache';
export * from './types';
