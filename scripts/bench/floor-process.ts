/**
 * The whole-process floor for a warm stored `proclens collect`: a bare Node process that opens the
 * same PGlite data folder, closes it, and enumerates /proc the bare way (floors.ts). The CLI bench
 * compiles this file with esbuild before timing, so no transpiler is part of what is measured.
 *
 *   node floor-process.mjs <pglite-dir>   (PGlite open + close, then the bare enumeration)
 *   node floor-process.mjs --bare         (the bare enumeration alone: the agent's floor)
 */
import { bareEnumerate } from './floors';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: floor-process <pglite-dir> | --bare\n');
  process.exit(2);
}
if (dir !== '--bare') {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create(dir);
  await db.close();
}
const { processes } = await bareEnumerate();
if (processes === 0) process.exit(1);
