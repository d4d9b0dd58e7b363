import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { jsonReply, type Reply } from './replies';
import {
  fakeLimitsSchema,
  fakeReportSeedSchema,
  faultSchema,
  type FakeLimits,
  type FakeReportSeed,
  type FakeVtStats,
  type Fault,
} from './types';

/**
 * `/__fake/*`: how a test in another process (Playwright) drives the fake. No VirusTotal key is asked:
 * the fake only listens on 127.0.0.1 and holds nothing secret.
 */
export interface ControlTarget {
  stats(): FakeVtStats;
  addReport(seed: FakeReportSeed): void;
  setFault(f: Fault | null): void;
  setLimits(l: FakeLimits): void;
  reset(): void;
}

const MAX_BODY_BYTES = 1_000_000;

class BadControlRequest extends Error {}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadControlRequest('body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadControlRequest('body is not JSON');
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new BadControlRequest(z.prettifyError(r.error));
  return r.data;
}

const ok = jsonReply(200, { ok: true });

export async function handleControl(req: IncomingMessage, pathname: string, target: ControlTarget): Promise<Reply> {
  const route = `${req.method ?? 'GET'} ${pathname}`;
  try {
    switch (route) {
      case 'GET /__fake/stats':
        return jsonReply(200, target.stats());
      case 'POST /__fake/reports': {
        const seeds = parse(z.union([fakeReportSeedSchema, z.array(fakeReportSeedSchema)]), await readJson(req));
        for (const s of Array.isArray(seeds) ? seeds : [seeds]) target.addReport(s);
        return ok;
      }
      case 'POST /__fake/fault':
        target.setFault(parse(faultSchema.nullable(), (await readJson(req)) ?? null));
        return ok;
      case 'POST /__fake/limits':
        target.setLimits(parse(fakeLimitsSchema, await readJson(req)));
        return ok;
      case 'POST /__fake/reset':
        target.reset();
        return ok;
      default:
        return jsonReply(404, { error: { code: 'NotFoundError', message: `no control route ${route}` } });
    }
  } catch (err) {
    if (err instanceof BadControlRequest)
      return jsonReply(400, { error: { code: 'BadRequest', message: err.message } });
    throw err;
  }
}
