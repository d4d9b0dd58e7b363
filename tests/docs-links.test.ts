import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The README and docs/ are read on GitHub and in editors: a moved file or a renamed heading breaks a
 * link silently, so every relative link, image and anchor is checked here against the tree.
 */
const root = path.resolve(import.meta.dirname, '..');
const README = path.join(root, 'README.md');
const docsDir = path.join(root, 'docs');
const markdownFiles = [
  README,
  ...fs
    .readdirSync(docsDir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join(docsDir, f)),
];

/** The text outside fenced code blocks and inline code spans, where links are links. */
function proseOf(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const withoutCode = markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '');
  for (const [, text] of withoutCode.matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const slug = text!
      .replace(/`/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    anchors.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return anchors;
}

interface Link {
  file: string;
  target: string;
}

function linksIn(file: string): Link[] {
  const prose = proseOf(fs.readFileSync(file, 'utf8'));
  const targets = [
    ...[...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!),
    ...[...prose.matchAll(/<img\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]!),
  ];
  return targets.map((target) => ({ file, target }));
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

/** Why a relative link does not resolve, or null when it does. */
function problemWith({ file, target }: Link): string | null {
  const [pathPart = '', anchor] = target.split('#', 2);
  const resolved = pathPart === '' ? file : path.resolve(path.dirname(file), decodeURI(pathPart.split('?')[0]!));
  if (!resolved.startsWith(root + path.sep)) return `${target} points outside the repository`;
  if (!fs.existsSync(resolved)) return `${target}: no such file`;
  if (anchor !== undefined && resolved.endsWith('.md')) {
    if (!headingAnchors(fs.readFileSync(resolved, 'utf8')).has(anchor)) return `${target}: no such heading`;
  }
  return null;
}

describe('README and docs/ links', () => {
  it('finds the links it checks', () => {
    const all = markdownFiles.flatMap(linksIn);
    expect(all.filter((l) => l.target.endsWith('.png')).length).toBeGreaterThanOrEqual(13);
    expect(all.some((l) => l.target.startsWith('#'))).toBe(true);
  });

  it('every relative link, image and anchor resolves', () => {
    const broken = markdownFiles
      .flatMap(linksIn)
      .filter((l) => !isExternal(l.target))
      .map((l) => ({ l, problem: problemWith(l) }))
      .filter((x) => x.problem !== null)
      .map(({ l, problem }) => `${path.relative(root, l.file)}: ${problem}`);
    expect(broken).toEqual([]);
  });

  it('every screenshot in docs/ is shown somewhere, and every docs page is linked from the README', () => {
    const targets = new Set(
      markdownFiles.flatMap(linksIn).map((l) => path.resolve(path.dirname(l.file), l.target.split('#')[0]!)),
    );
    const unused = fs
      .readdirSync(docsDir)
      .filter((f) => f.endsWith('.png') || f.endsWith('.md'))
      .map((f) => path.join(docsDir, f))
      .filter((f) => !targets.has(f));
    expect(unused.map((f) => path.relative(root, f))).toEqual([]);
    const fromReadme = new Set(linksIn(README).map((l) => path.resolve(root, l.target.split('#')[0]!)));
    const orphans = markdownFiles.filter((f) => f !== README && !fromReadme.has(f));
    expect(orphans.map((f) => path.relative(root, f))).toEqual([]);
  });

  it('reads GitHub heading anchors the way GitHub writes them', () => {
    const anchors = headingAnchors(
      "## Is this the distro's binary? Package integrity\n## Hosted: a team (hosted)\n## `npm test`\n## Tests\n## Tests\n```\n# not a heading\n```\n",
    );
    expect([...anchors]).toEqual([
      'is-this-the-distros-binary-package-integrity',
      'hosted-a-team-hosted',
      'npm-test',
      'tests',
      'tests-1',
    ]);
  });
});

describe('README as a users’ document', () => {
  it('stays within 500 lines (deep dives belong in docs/)', () => {
    expect(fs.readFileSync(README, 'utf8').trimEnd().split('\n').length).toBeLessThanOrEqual(500);
  });

  it('keeps the markers the CLI command table is generated between, in "The CLI"', () => {
    const readme = fs.readFileSync(README, 'utf8');
    const section = readme.slice(
      readme.indexOf('\n## The CLI\n'),
      readme.indexOf('\n## ', readme.indexOf('\n## The CLI\n') + 1),
    );
    expect(section.split('<!-- cli-commands:start -->').length).toBe(2);
    expect(section.split('<!-- cli-commands:end -->').length).toBe(2);
    expect(section.indexOf('<!-- cli-commands:start -->')).toBeLessThan(section.indexOf('<!-- cli-commands:end -->'));
  });

  it('names every environment variable the configuration reads', () => {
    const envSource = fs.readFileSync(path.join(root, 'lib/env.ts'), 'utf8');
    const schema = envSource.slice(envSource.indexOf('const schema = z.object({'), envSource.indexOf('\n});'));
    const names = [...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(25);
    // PROCLENS_ROOT is set by the CLI itself (where the migrations live), not by a user.
    const internal = new Set(['PROCLENS_ROOT']);
    const readme = fs.readFileSync(README, 'utf8');
    const missing = names.filter((n) => !internal.has(n) && !new RegExp(`\\b${n}\\b`).test(readme));
    expect(missing).toEqual([]);
  });
});
