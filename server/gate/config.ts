import { parsePublicUrl } from '@/domain/public-url';
/**
 * The gate's configuration: which Host headers and which origins this server answers to. Pure (no
 * 'server-only', no env module) because proxy.ts runs it on every request and lib/env.ts
 * validates PROCLENS_PUBLIC_URL with the same function.
 */
export interface GateConfig {
  /** Lower-case `host[:port]` values accepted in the Host header. */
  allowedHosts: string[];
  /** Origins (`scheme://host[:port]`) whose pages may send state-changing requests. */
  servedOrigins: string[];
  /** Most calls accepted in one tRPC batch. */
  maxBatch: number;
  /** `next dev` needs 'unsafe-eval' for its tooling; production never gets it. */
  dev: boolean;
}

export const MAX_TRPC_BATCH = 20;

export { parsePublicUrl };

function hostPort(host: string, port: number): string {
  const h = host.toLowerCase();
  return `${h.includes(':') && !h.startsWith('[') ? `[${h}]` : h}:${port}`;
}

export function gateConfig(opts: { host: string; port: number; publicUrl?: string | null; dev?: boolean }): GateConfig {
  const hosts = new Set([
    hostPort('127.0.0.1', opts.port),
    hostPort('localhost', opts.port),
    hostPort('::1', opts.port),
    hostPort(opts.host, opts.port),
  ]);
  const origins = new Set([...hosts].map((h) => `http://${h}`));
  if (opts.publicUrl) {
    const url = parsePublicUrl(opts.publicUrl);
    // URL.host drops a default port, exactly as browsers do in Host and Origin.
    hosts.add(url.host.toLowerCase());
    origins.add(url.origin.toLowerCase());
  }
  return { allowedHosts: [...hosts], servedOrigins: [...origins], maxBatch: MAX_TRPC_BATCH, dev: !!opts.dev };
}

/**
 * Reads HOST, PORT and PROCLENS_PUBLIC_URL from an environment. lib/env.ts has validated them at
 * boot (a bad value stops the server), so this only applies the same defaults.
 */
export function gateConfigFromEnv(source: Record<string, string | undefined>): GateConfig {
  const host = source.HOST?.trim() || '127.0.0.1';
  const port = Number(source.PORT?.trim() || '3000');
  const publicUrl = source.PROCLENS_PUBLIC_URL?.trim() || null;
  return gateConfig({ host, port, publicUrl, dev: source.NODE_ENV === 'development' });
}
