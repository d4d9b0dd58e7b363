// Types for system-deps.mjs (plain JS so `npm test` runs before any TypeScript tooling).
export interface SystemDep {
  name: string;
  debianPackage: string;
  present(): boolean;
}

export const DEFAULT_CHROMIUM_PATH: string;
export function chromiumPath(): string;
export function findPostgresBinDir(): string | null;
export const SYSTEM_DEPS: readonly SystemDep[];
export function missingSystemDeps(): SystemDep[];
export function missingDepsMessage(missing: readonly SystemDep[]): string;
export function ensureSystemDeps(options?: {
  log?: (line: string) => void;
}): Promise<{ ok: true; installed: string[] } | { ok: false; message: string }>;
