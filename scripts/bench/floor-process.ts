/**
 * The whole-process floor for a warm stored `proclens collect`: a bare Node process that opens the
 * same PGlite data folder, closes it, and enumerates /proc the bare way (floors.ts). The CLI bench
 * compiles this file with esbuild before timing, so no transpiler is part of what is measured.
 *
 *   node floor-process.mjs <pglite-dir>
 */
import { PGlite } from '@electric-sql/pglite';
import { bareEnumerate } from './floors';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: floor-process <pglite-dir>\n');
  process.exit(2);
}
const db = await PGlite.create(dir);
await db.close();
const { processes } = await bareEnumerate();
if (processes === 0) process.exit(1);
