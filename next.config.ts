import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // PGlite loads its WASM and data files relative to its own package; bundling breaks that.
  serverExternalPackages: ['@electric-sql/pglite', 'pg', 'pino', 'systeminformation'],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
};

export default nextConfig;
