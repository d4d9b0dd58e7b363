// Child processes of `npm test` (scripts/test/run.mjs): started from the project root, streamed or
// captured, each remembered until it exits so a signal reaches every one still running.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Children running now (the static checks run side by side). */
const children = new Set();

/** Passes a signal on to every child still running. */
export function signalChildren(signal) {
  for (const child of children) child.kill(signal);
}

export const say = (line) => console.log(line);
export const banner = (title) => say(`\n━━━ ${title} ━━━`);

export function bin(tool) {
  const local = path.join(root, 'node_modules', '.bin', tool);
  return fs.existsSync(local) ? [local] : ['npx', '--no-install', tool];
}

/** Runs a command with inherited stdio; resolves to its exit code (never rejects). */
export function run(argv, env = {}) {
  say(shown(argv));
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    children.add(child);
    child.on('error', (e) => {
      say(`could not start ${argv[0]}: ${e.message}`);
      children.delete(child);
      resolve(127);
    });
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve(code ?? 128 + (os.constants.signals[signal] ?? 0));
    });
  });
}

const shown = (argv) =>
  `$ ${argv.map((a) => (path.relative(root, a).startsWith('node_modules') ? path.basename(a) : a)).join(' ')}`;

/**
 * Runs a command and keeps what it printed instead of streaming it, so checks that run side by side
 * print whole blocks, one after another (see `report`).
 */
export function runCapture(argv, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    children.add(child);
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (e) => {
      children.delete(child);
      resolve({ code: 127, output: `${output}could not start ${argv[0]}: ${e.message}\n` });
    });
    child.on('close', (code, signal) => {
      children.delete(child);
      resolve({ code: code ?? 128 + (os.constants.signals[signal] ?? 0), output });
    });
  });
}

/** Prints one captured check as a block: its banner, its command, what it printed. */
export function report(title, argv, output) {
  banner(title);
  say(shown(argv));
  if (output) process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
}
