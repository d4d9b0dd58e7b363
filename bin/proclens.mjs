#!/usr/bin/env node
// The CLI runs as plain JavaScript compiled ahead of time (scripts/build-cli.mjs, run by `npm install`)
// in this one process. When a source the build was made from is newer than it, rebuild first: the
// check stats only the build's own inputs (listed in its manifest), a millisecond or two.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifestFile = path.join(root, 'dist', 'cli', 'manifest.json');

function currentBuild() {
  let m;
  try {
    m = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
  } catch {
    return null;
  }
  for (const rel of m.inputs) {
    const st = fs.statSync(path.join(root, rel), { throwIfNoEntry: false });
    if (!st || st.mtimeMs > m.builtAt) return null;
  }
  return m;
}

let build = currentBuild();
if (!build) {
  try {
    const { buildCli } = await import(pathToFileURL(path.join(root, 'scripts', 'build-cli.mjs')).href);
    build = await buildCli();
  } catch (e) {
    process.stderr.write(
      `proclens: building the CLI failed (run "npm install" first): ${e instanceof Error ? e.message : e}\n`,
    );
    process.exit(1);
  }
}
process.env.PROCLENS_ROOT ||= root;
const { run } = await import(pathToFileURL(path.join(root, 'dist', 'cli', build.entry)).href);
process.exitCode = await run(process.argv.slice(2));
