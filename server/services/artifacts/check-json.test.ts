import { describe, expect, it } from 'vitest';
import { vtGuiLink } from '@/domain/verdict';
import { buildCheckJson, type CheckJsonDocument } from './check-json';
import { buildRunJson } from './run-json';
import { checked, HOSTILE, hashesOf, makeRunExport, proc, SHA } from '@/tests/export-fixture';

const data = makeRunExport();
// Through stringify/parse, as the CLI's consumers see it.
const doc = JSON.parse(JSON.stringify(buildCheckJson(data))) as CheckJsonDocument;

const HASH_KEYS = ['sha256', 'md5', 'sha1', 'vtScore', 'verdict', 'engines', 'threatLabel', 'vtLink', 'processes'];

describe('buildCheckJson', () => {
  it('has exactly the documented keys, in order', () => {
    expect(Object.keys(doc)).toEqual(['run', 'hashes']);
    for (const h of doc.hashes) {
      expect(Object.keys(h)).toEqual(HASH_KEYS);
      for (const p of h.processes) expect(Object.keys(p)).toEqual(['pid', 'name', 'exe']);
    }
  });

  it('carries the same run object as the run JSON', () => {
    expect(doc.run).toEqual(JSON.parse(JSON.stringify(buildRunJson(data).run)));
  });

  it('lists each hash once, VTScore descending, then not found, failed, pending', () => {
    expect(doc.hashes.map((h) => [h.sha256, h.vtScore, h.verdict])).toEqual([
      [SHA.malicious, 7, 'malicious'],
      [SHA.research, 1, 'needs-research'],
      [SHA.empty, 0, 'not-malicious'],
      [SHA.notFound, null, 'not-found'],
      [SHA.failed, null, 'failed'],
      [SHA.pending, null, 'pending'],
    ]);
  });

  it('describes a detected hash fully, with its processes in run order', () => {
    const { md5, sha1 } = hashesOf(SHA.malicious);
    expect(doc.hashes[0]).toEqual({
      sha256: SHA.malicious,
      md5,
      sha1,
      vtScore: 7,
      verdict: 'malicious',
      engines: 72,
      threatLabel: 'trojan.mirai/gafgyt',
      vtLink: vtGuiLink(SHA.malicious),
      processes: [
        { pid: 2001, name: HOSTILE.formula, exe: '/usr/bin/true' },
        { pid: 2006, name: HOSTILE.ooxmlEscape, exe: '/usr/bin/true' },
      ],
    });
  });

  it('writes null, never omits, for what is unknown', () => {
    const notFound = doc.hashes.find((h) => h.sha256 === SHA.notFound);
    expect(notFound).toMatchObject({
      vtScore: null,
      engines: null,
      threatLabel: null,
      vtLink: null,
    });
    const pending = doc.hashes.find((h) => h.sha256 === SHA.pending);
    expect(pending).toMatchObject({ vtScore: null, engines: null, threatLabel: null, vtLink: null });
  });

  it('leaves out processes that have no hash', () => {
    const pids = doc.hashes.flatMap((h) => h.processes.map((p) => p.pid));
    expect(pids).not.toContain(2);
    expect(pids.sort((a, b) => a - b)).toEqual([1234, 2001, 2002, 2003, 2004, 2005, 2006, 2007]);
  });

  it('reports a hash nobody has looked up as pending', () => {
    const fresh = makeRunExport();
    fresh.processes = [proc({ pid: 1, name: 'fresh' })];
    expect(buildCheckJson(fresh).hashes).toEqual([
      {
        sha256: SHA.empty,
        md5: 'd41d8cd98f00b204e9800998ecf8427e',
        sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
        vtScore: null,
        verdict: 'pending',
        engines: null,
        threatLabel: null,
        vtLink: null,
        processes: [{ pid: 1, name: 'fresh', exe: '/usr/bin/true' }],
      },
    ]);
  });

  it('keeps first-appearance order among equal scores', () => {
    const tied = makeRunExport();
    tied.processes = ['1', '2', '3'].map((c, i) =>
      proc({ pid: i + 1, name: c, ...hashesOf(c.repeat(64)), vt: checked(3) }),
    );
    expect(buildCheckJson(tied).hashes.map((h) => h.sha256)).toEqual(['1', '2', '3'].map((c) => c.repeat(64)));
  });

  it('has no hashes for an empty run', () => {
    const empty = makeRunExport();
    empty.processes = [];
    expect(buildCheckJson(empty).hashes).toEqual([]);
  });
});
