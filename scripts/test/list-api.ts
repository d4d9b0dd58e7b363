// Prints every tRPC procedure (path + query/mutation) and every route handler found on disk, as
// JSON, for the request matrix (e2e/gate-matrix.spec.ts). Run with
//   node --conditions=react-server --import tsx scripts/test/list-api.ts
import fs from 'node:fs';
import path from 'node:path';
import { appRouter } from '@/server/api/root';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

interface RouteInfo {
  /** URL pattern with dynamic segments as `[name]`. */
  pattern: string;
  /** Methods the file handles for real (not through methodNotAllowed). */
  methods: string[];
}

function urlPattern(root: string, dir: string): string {
  // Route groups `(name)` are not part of the URL; private folders `_name` hold no routes.
  const rel = path
    .relative(root, dir)
    .split(path.sep)
    .filter((s) => s && !/^\(.*\)$/.test(s));
  return `/${rel.join('/')}`;
}

function findPages(dir: string, root: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory() && !e.name.startsWith('_')) out.push(...findPages(path.join(dir, e.name), root));
    else if (/^page\.(tsx|ts|jsx|js|mdx)$/.test(e.name)) out.push(urlPattern(root, dir));
  }
  return out;
}

function findRoutes(dir: string, root: string): RouteInfo[] {
  const out: RouteInfo[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!e.name.startsWith('_')) out.push(...findRoutes(p, root));
    } else if (/^route\.(ts|tsx|js|mjs)$/.test(e.name)) {
      const src = fs.readFileSync(p, 'utf8');
      const methods = METHODS.filter(
        (m) =>
          new RegExp(`export\\s+(async\\s+)?function\\s+${m}\\b`).test(src) ||
          new RegExp(`export\\s*\\{[^}]*\\bas\\s+${m}\\b`).test(src) ||
          new RegExp(`export\\s+const\\s+${m}\\s*=\\s*(?!\\s|notAllowed\\b|methodNotAllowed\\b)`).test(src),
      );
      out.push({ pattern: urlPattern(root, dir), methods });
    }
  }
  return out;
}

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
).map(([p, proc]) => ({ path: p, type: proc._def.type }));
const appDir = path.join(process.cwd(), 'app');
process.stdout.write(
  JSON.stringify({ procedures, routes: findRoutes(appDir, appDir), pages: findPages(appDir, appDir) }),
);
