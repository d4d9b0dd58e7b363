import { describe, expect, it } from 'vitest';
import { expectRoundTrip } from '@/tests/url-round-trip';
import { readParam } from '@/app/_components/url/url-params';
import { runParams } from './run-params';

describe('the run page URL', () => {
  it('keeps the names shared links use', () => {
    expect({
      view: runParams.view.key,
      filter: runParams.filter.key,
      flag: runParams.flag.key,
      triage: runParams.triage.key,
      against: runParams.against.key,
      diffKind: runParams.diffKind.key,
    }).toEqual({ view: 'view', filter: 'q', flag: 'flag', triage: 'triage', against: 'against', diffKind: 'dkind' });
    expect([runParams.processesTable, runParams.executablesTable, runParams.diffTable]).toEqual([
      { sort: 'sort', cols: 'cols', filter: 'q' },
      { sort: 'xsort', cols: 'xcols', filter: 'q' },
      { sort: 'dsort', cols: 'dcols', filter: 'q' },
    ]);
  });

  it('round-trips every value it writes', () => {
    expectRoundTrip(runParams.view, ['processes', 'executables', 'diff'], 'processes');
    expectRoundTrip(runParams.filter, ['nginx', '/usr/bin'], '');
    expectRoundTrip(runParams.flag, ['any', 'modified', 'not-packaged', 'temp-dir'], '');
    expectRoundTrip(runParams.triage, [true, false], false);
    expectRoundTrip(runParams.against, ['previous', 'baseline', 12], 'previous');
    expectRoundTrip(runParams.diffKind, ['new', 'gone', 'changed', null], null);
  });

  it('opens links written before as they were written', () => {
    const link = 'view=executables&q=ssh&flag=modified&triage=untriaged&against=baseline&dkind=gone&xsort=vtScore.asc';
    expect(readParam(runParams.view, link)).toBe('executables');
    expect(readParam(runParams.filter, link)).toBe('ssh');
    expect(readParam(runParams.flag, link)).toBe('modified');
    expect(readParam(runParams.triage, link)).toBe(true);
    expect(readParam(runParams.against, link)).toBe('baseline');
    expect(readParam(runParams.diffKind, link)).toBe('gone');
    expect(readParam(runParams.against, 'against=7')).toBe(7);
    // Unreadable values: the page's defaults, except `against`, which the Diff view reports.
    expect(readParam(runParams.view, 'view=charts')).toBe('processes');
    expect(readParam(runParams.flag, 'flag=evil')).toBe('');
    expect(readParam(runParams.against, 'against=-3')).toBeNull();
    expect(runParams.against.format(null)).toBeNull();
  });
});
