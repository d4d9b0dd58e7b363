import 'server-only';
import v8 from 'node:v8';

/**
 * PGlite is a ~9 MB WebAssembly module. V8 compiles it with its baseline compiler (Liftoff) and
 * then recompiles hot functions with its optimising compiler (TurboFan) on background threads. A
 * process that lives about a second never earns that back: on two cores the background compiles
 * compete with the main thread, and the process waits for them before it can exit. Measured on
 * a warm stored `collect` (and on a bare PGlite open + close): about 40% less CPU, and the
 * 0.1–1 s tail between the database's close and the process's exit disappears.
 *
 * Call it before PGlite is imported, and only in a short-lived command: a long-running process
 * (the server, `proclens worker`) is better served by the optimised code. V8 reads the flag
 * when it compiles a module, so setting it at run time, before the first compile, takes effect.
 */
export function preferQuickWasmStart(): void {
  v8.setFlagsFromString('--liftoff-only');
}
