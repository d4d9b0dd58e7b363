// Writes the CLI's command table into README.md between its markers, from the commands' own
// declarations (server/cli/commands.ts and hosted-commands.ts). `--check` only says whether the
// README is current (exit 1 when not); server/cli/docs.test.ts checks the same in the test suite.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const readmeFile = path.join(root, 'README.md');
const { withCommandTable } = await tsImport('../server/cli/docs.ts', import.meta.url);

const before = fs.readFileSync(readmeFile, 'utf8');
const after = withCommandTable(before);
if (process.argv.includes('--check')) {
  console.error(
    after === before
      ? 'README.md: the command table is current'
      : 'README.md: the command table is stale; run node scripts/cli-docs.mjs',
  );
  process.exit(after === before ? 0 : 1);
}
if (after !== before) fs.writeFileSync(readmeFile, after);
console.error(`README.md: command table ${after === before ? 'already current' : 'written'}`);
