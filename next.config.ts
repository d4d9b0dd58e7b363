import type { NextConfig } from 'next';
import { PROXY_BODY_BUFFER_BYTES } from './server/gate/body-limits';

const nextConfig: NextConfig = {
  // PGlite loads its WASM and data files relative to its own package; bundling breaks that.
  // esbuild: only a run from TypeScript sources calls it (hash-worker-from-source.ts), never the build.
  serverExternalPackages: ['@electric-sql/pglite', 'pg', 'pino', 'systeminformation', 'esbuild'],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // Next's own trailing-slash redirect answers before proxy.ts runs (no Host check, no security
  // headers); the proxy redirects after the gate instead.
  skipTrailingSlashRedirect: true,
  experimental: {
    // Bodies through the proxy are small; the upload routes skip it (server/gate/body-limits.ts).
    proxyClientMaxBodySize: PROXY_BODY_BUFFER_BYTES,
  },
};

export default nextConfig;
