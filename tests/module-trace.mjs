// `node --import ./tests/module-trace.mjs …` appends the URL of every ES module the process loads
// to the file named by PROCLENS_TRACE_MODULES (tests check which modules a CLI command loads).
import { register } from 'node:module';

register('./module-trace-hooks.mjs', import.meta.url, { data: { file: process.env.PROCLENS_TRACE_MODULES } });
