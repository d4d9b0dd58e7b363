import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { commandTable, README_BEGIN, README_END, withCommandTable } from './docs';

describe("the README's command table", () => {
  it('is the one the command declarations make (run node scripts/cli-docs.mjs after changing a command)', () => {
    const readme = fs.readFileSync('README.md', 'utf8');
    const begin = readme.indexOf(README_BEGIN);
    const end = readme.indexOf(README_END);
    expect(begin, `README.md has no ${README_BEGIN} marker`).toBeGreaterThanOrEqual(0);
    expect(end, `README.md has no ${README_END} marker after ${README_BEGIN}`).toBeGreaterThan(begin);
    expect(readme.slice(begin + README_BEGIN.length, end).trim()).toBe(commandTable().trim());
  });

  it('lists every command and flag, one row per subcommand', () => {
    const table = commandTable();
    for (const cmd of ['collect', 'check', 'worker', 'agent', 'token create', 'token revoke NAME', 'admin create-user'])
      expect(table).toContain(`\`proclens ${cmd}\``);
    expect(table).toContain('`--role admin\\|analyst\\|viewer` their role (required)');
    expect(table).toContain('at most one of `--run`, `--latest`, `--workbook`');
    // Every row has its three cells: a `|` in a text is escaped.
    for (const line of table.split('\n').filter((l) => l.startsWith('| `')))
      expect(line.replace(/\\\|/g, '').split('|')).toHaveLength(5);
  });

  it('replaces only what is between the markers, and says when they are missing', () => {
    const readme = `# X\n\nbefore\n${README_BEGIN}\nold\n${README_END}\nafter\n`;
    expect(withCommandTable(readme, 'new')).toBe(`# X\n\nbefore\n${README_BEGIN}\nnew\n${README_END}\nafter\n`);
    expect(() => withCommandTable('# X\n', 'new')).toThrow(/needs the markers/);
  });
});
