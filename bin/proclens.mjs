#!/usr/bin/env node
// The CLI is TypeScript that shares the server's modules. It runs under tsx with the react-server
// condition, which turns `import 'server-only'` into the no-op it is on the server.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsx = import.meta.resolve('tsx');
const child = spawn(
  process.execPath,
  ['--conditions=react-server', '--import', tsx, path.join(root, 'server/cli/entry.ts'), ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    env: { ...process.env, PROCLENS_ROOT: process.env.PROCLENS_ROOT || root, TSX_TSCONFIG_PATH: path.join(root, 'tsconfig.json') },
  },
);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
