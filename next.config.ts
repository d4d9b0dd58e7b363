import type { NextConfig } from 'next';
import { IMPORT_FORM_OVERHEAD_BYTES, IMPORT_UPLOAD_MAX_BYTES } from './domain/limits';

const nextConfig: NextConfig = {
  // PGlite loads its WASM and data files relative to its own package; bundling breaks that.
  serverExternalPackages: ['@electric-sql/pglite', 'pg', 'pino', 'systeminformation'],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  experimental: {
    // The proxy (the request gate) buffers each body for the route behind it and cuts it at this
    // size (10 MB by default): a 25 MB workbook upload must arrive whole.
    proxyClientMaxBodySize: IMPORT_UPLOAD_MAX_BYTES + IMPORT_FORM_OVERHEAD_BYTES,
  },
};

export default nextConfig;
