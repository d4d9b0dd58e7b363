import { parseArgs } from 'node:util';
import { createFakeVt } from './server';

/**
 * CLI: `node --import tsx e2e/fake-vt/main.ts --port N [--key K] [--per-minute N] [--per-day N]`.
 * Flags win over FAKE_VT_PORT / FAKE_VT_KEY / FAKE_VT_PER_MINUTE / FAKE_VT_PER_DAY. Prints
 * `fake-vt listening on <url>` once it accepts connections (callers wait for that line), serves until
 * SIGTERM/SIGINT.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    key: { type: 'string' },
    'per-minute': { type: 'string' },
    'per-day': { type: 'string' },
  },
  strict: true,
});

function intOption(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`fake-vt: ${name} must be a whole number >= 0`);
    process.exit(2);
  }
  return n;
}

const fake = await createFakeVt({
  port: intOption('--port', values.port ?? process.env.FAKE_VT_PORT),
  apiKey: values.key ?? (process.env.FAKE_VT_KEY || undefined),
  perMinute: intOption('--per-minute', values['per-minute'] ?? process.env.FAKE_VT_PER_MINUTE),
  perDay: intOption('--per-day', values['per-day'] ?? process.env.FAKE_VT_PER_DAY),
});
console.log(`fake-vt listening on ${fake.url}`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await fake.close();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
