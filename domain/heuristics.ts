/**
 * Suspicious-executable heuristics and package integrity: the codes a collector stores with each
 * process, and the words every layer shows for them (table badges, workbook, JSON, CLI). Pure and
 * layer-neutral: no imports, so the collector, the exports and the browser share one definition.
 */

export const HEURISTIC_CODES = [
  'deleted',
  'memfd',
  'temp-dir',
  'home-dir',
  'world-writable',
  'kthread-mimic',
  'name-mismatch',
  'setuid',
] as const;

export type HeuristicCode = (typeof HEURISTIC_CODES)[number];

export const PACKAGE_INTEGRITIES = ['matches', 'modified', 'not-packaged'] as const;
/** `matches` the package's shipped MD5, `modified` (differs), or `not-packaged` (no package lists it). */
export type PackageIntegrity = (typeof PACKAGE_INTEGRITIES)[number];

export const INTEGRITY_LABELS: Record<PackageIntegrity, string> = {
  matches: 'matches',
  modified: 'modified',
  'not-packaged': 'not packaged',
};

/** What a heuristic needs to know about a process; every field is untrusted text from the host. */
export interface HeuristicSubject {
  name: string;
  cmdline: string;
  exe: string | null;
  /** The status from the exe link, before hashing (`deleted`, `memfd`, `kernel-thread`, `ok`…). */
  exeStatus: string;
  user: string;
  effectiveUser: string | null;
  realUid?: number | null;
  effectiveUid?: number | null;
  /** The executable's mode has the other-write bit (only known where the file could be stat'ed). */
  worldWritable?: boolean;
}

const TEMP_DIRS = ['/tmp/', '/dev/shm/', '/var/tmp/'];
const HOME_DIRS = ['/home/', '/root/'];
/** The kernel keeps 15 bytes of a process's name (TASK_COMM_LEN 16 with the NUL). */
const COMM_MAX = 15;
const KTHREAD_LIKE = /^\[[^\]\s]{1,64}\]/;

const basename = (p: string) => p.slice(p.lastIndexOf('/') + 1);

function argvBasenames(cmdline: string): string[] {
  return cmdline
    .split(' ')
    .filter((a) => a !== '' && !a.startsWith('-'))
    .slice(0, 4)
    .map((a) => basename(a).slice(0, COMM_MAX));
}

/**
 * The process's name differs from its executable's file name. Interpreters (python3 running
 * `networkd-dispatcher`) name the process after the script: a name that is one of the first
 * arguments' file names is that case, not a disguise.
 */
function nameMismatch(s: HeuristicSubject): boolean {
  if (!s.exe || s.exeStatus === 'memfd') return false;
  const exeName = basename(s.exe).slice(0, COMM_MAX);
  if (exeName === '' || s.name === exeName) return false;
  return !argvBasenames(s.cmdline).includes(s.name.slice(0, COMM_MAX));
}

export function detectHeuristics(s: HeuristicSubject): HeuristicCode[] {
  const out: HeuristicCode[] = [];
  if (s.exeStatus === 'kernel-thread') return out;
  if (s.exeStatus === 'deleted') out.push('deleted');
  if (s.exeStatus === 'memfd') out.push('memfd');
  if (s.exe && s.exeStatus !== 'memfd') {
    if (TEMP_DIRS.some((d) => s.exe!.startsWith(d))) out.push('temp-dir');
    else if (HOME_DIRS.some((d) => s.exe!.startsWith(d))) out.push('home-dir');
  }
  if (s.worldWritable) out.push('world-writable');
  if (s.exe && (KTHREAD_LIKE.test(s.name) || KTHREAD_LIKE.test(s.cmdline))) out.push('kthread-mimic');
  if (nameMismatch(s)) out.push('name-mismatch');
  const uidsDiffer =
    s.realUid != null && s.effectiveUid != null
      ? s.realUid !== s.effectiveUid
      : s.effectiveUser != null && s.effectiveUser !== s.user;
  if (uidsDiffer) out.push('setuid');
  return out;
}

export interface HeuristicText {
  /** Short badge text. */
  label: string;
  /** One sentence: why the badge is there, naming the facts. */
  reason: string;
}

const folderOf = (exe: string, dirs: string[]) => dirs.find((d) => exe.startsWith(d))?.slice(0, -1) ?? exe;

/** What a badge's words name of a process. */
export type DescribedProcess = Pick<HeuristicSubject, 'name' | 'exe' | 'user' | 'effectiveUser'>;

/** No process in particular: a badge's generic words (filter menus, legends). */
export const ANY_PROCESS: DescribedProcess = { name: '', exe: null, user: '', effectiveUser: null };

/** A stored row (its executable is `exePath`) with the badges it carries. */
export type DescribedRow = Omit<DescribedProcess, 'exe'> & { exePath: string | null; heuristics: readonly string[] };

/** A stored row's badges, each with its words. */
export function describeRowHeuristics(r: DescribedRow): HeuristicText[] {
  const p: DescribedProcess = { ...r, exe: r.exePath };
  return r.heuristics.map((code) => describeHeuristic(code, p));
}

/** Badge text and reason for a stored code; unknown codes (a newer collector) still get words. */
export function describeHeuristic(code: string, p: DescribedProcess): HeuristicText {
  const exe = p.exe ?? '';
  switch (code) {
    case 'deleted':
      return { label: 'deleted', reason: 'The executable was deleted or replaced while the process runs.' };
    case 'memfd':
      return { label: 'memfd', reason: 'Runs from an anonymous memory file (memfd), not from a file on disk.' };
    case 'temp-dir': {
      const dir = folderOf(exe, TEMP_DIRS);
      return { label: `runs from ${dir}`, reason: `The executable lives in ${dir}, a folder anyone can write to.` };
    }
    case 'home-dir':
      return { label: 'runs from home', reason: `The executable lives in a home folder (${exe}).` };
    case 'world-writable':
      return { label: 'world-writable', reason: 'Any user can overwrite the executable file (mode o+w).' };
    case 'kthread-mimic':
      return {
        label: 'kernel-thread name',
        reason: `Named like a kernel thread (${p.name}) but runs an executable (${exe}); kernel threads have none.`,
      };
    case 'name-mismatch':
      return {
        label: 'name ≠ exe',
        reason: `The process calls itself "${p.name}" but runs ${basename(exe) || exe}.`,
      };
    case 'setuid':
      return {
        label: 'setuid',
        reason: `Effective user ${p.effectiveUser ?? '?'} differs from real user ${p.user} (setuid or changed credentials).`,
      };
    default:
      return { label: code, reason: code };
  }
}
