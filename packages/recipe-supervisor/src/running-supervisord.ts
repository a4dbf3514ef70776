/**
 * The supervisord of a part, when it runs: the pid file names a live
 * supervisord process, and that process answers XML-RPC on the part's socket
 * or port with the part's credentials. Stopping it, cleanly, and only when it
 * is known to be the part's: a pid file may outlive its supervisord, and its
 * pid then be another process's (a "supervisord" in a command line proves
 * nothing).
 */
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { DeployedConf } from './deployed-conf.js';
import { callSupervisor, describeEndpoint, type Connection } from './supervisor-rpc.js';

export type SupervisordState =
  | { readonly kind: 'not-running' }
  /**
   * A supervisord of this pid file runs but cannot be talked to (no HTTP server, wrong credentials, busy).
   * `evidence` says what shows it is the part's all the same (undefined: nothing does, it may be another process).
   */
  | { readonly kind: 'silent'; readonly pid: number; readonly reason: string; readonly evidence: string | undefined }
  | { readonly kind: 'running'; readonly pid: number; readonly connection: Connection; readonly interpreter: string | undefined };

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, under another user.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // A zombie (exited, not yet reaped) is gone.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** The command line of a process (arguments), or undefined when it is gone or hidden. */
export function commandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
  } catch {
    return undefined;
  }
}

/** The pid in `pidfile` when that process is alive and a supervisord. */
export function supervisordOfPidfile(pidfile: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(pidfile, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  const args = commandLine(pid);
  // Without /proc the command line is unknown; a live pid of the pid file is taken at its word.
  return args === undefined || args.some((arg) => arg.includes('supervisord')) ? pid : undefined;
}

export async function supervisordState(deployed: DeployedConf): Promise<SupervisordState> {
  if (deployed.pidfile === undefined) return { kind: 'not-running' };
  const pid = supervisordOfPidfile(deployed.pidfile);
  if (pid === undefined) return { kind: 'not-running' };
  const { connection } = deployed;
  if (connection === undefined || !deployed.hasRpc) {
    return {
      kind: 'silent',
      pid,
      reason: `${deployed.path} gives it no HTTP server with the XML-RPC interface`,
      evidence: evidenceOfOwnership(pid, deployed),
    };
  }
  try {
    const answering = await callSupervisor<number>(connection, 'supervisor.getPID');
    if (answering !== pid) {
      return {
        kind: 'silent',
        pid,
        reason: `${describeEndpoint(connection.endpoint)} is answered by another supervisord (pid ${answering})`,
        evidence: undefined,
      };
    }
  } catch (error) {
    return { kind: 'silent', pid, reason: (error as Error).message, evidence: evidenceOfOwnership(pid, deployed) };
  }
  // The interpreter the script started it with (`python .../bin/supervisord`), to see whether it runs from a given environment.
  return { kind: 'running', pid, connection, interpreter: commandLine(pid)?.[0] };
}

function samePath(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    return realpathSync.native(a) === realpathSync.native(b);
  } catch {
    return false;
  }
}

/** The configuration files a supervisord command line names (`-c FILE`, `-cFILE`, `--configuration[=]FILE`), when absolute. */
function configurationsOf(args: readonly string[]): string[] {
  const files: string[] = [];
  args.forEach((arg, index) => {
    const next = args[index + 1];
    if ((arg === '-c' || arg === '--configuration') && next !== undefined) files.push(next);
    else if (arg.startsWith('--configuration=')) files.push(arg.slice('--configuration='.length));
    else if (arg.startsWith('-c') && arg.length > 2 && !arg.startsWith('--')) files.push(arg.slice(2));
  });
  return files.filter((file) => isAbsolute(file));
}

/** Whether `pid` has `file` open (from /proc; false when that cannot be seen). */
function holdsOpen(pid: number, file: string): boolean {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false;
  }
  return fds.some((fd) => {
    try {
      return samePath(readlinkSync(`/proc/${pid}/fd/${fd}`), file);
    } catch {
      return false; // closed meanwhile
    }
  });
}

/**
 * When the process of the pid file does not answer as the part's supervisord:
 * what still shows that it is, or undefined. Its command line naming the
 * part's configuration, or the part's supervisord log file among its open
 * files (supervisord holds it open while it runs, however it was started;
 * bin/supervisord passes `-c` inside Python, where the command line does not show it).
 */
export function evidenceOfOwnership(pid: number, deployed: Pick<DeployedConf, 'path' | 'logfile'>): string | undefined {
  const args = commandLine(pid);
  if (args !== undefined && configurationsOf(args).some((file) => samePath(file, deployed.path))) {
    return `its command line names ${deployed.path}`;
  }
  if (deployed.logfile !== undefined && holdsOpen(pid, deployed.logfile)) return `it holds ${deployed.logfile} open`;
  return undefined;
}

/** Waits until `pid` is gone; says whether it went in time. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/**
 * Stops supervisord and its programs: `supervisor.shutdown` when it answers,
 * else SIGTERM (which supervisord also takes as a clean shutdown), only to a
 * process known to be the part's (it answered getPID with its pid, or has
 * `evidence`). Resolves to an error text when it is still running afterwards.
 */
export async function stopSupervisord(state: Exclude<SupervisordState, { kind: 'not-running' }>): Promise<string | undefined> {
  if (state.kind === 'silent' && state.evidence === undefined) return "nothing shows that it is this part's supervisord";
  let asked = false;
  if (state.kind === 'running') {
    try {
      await callSupervisor(state.connection, 'supervisor.shutdown');
      asked = true;
    } catch {
      // fall back to the signal
    }
  }
  if (!asked) {
    try {
      process.kill(state.pid, 'SIGTERM');
    } catch (error) {
      return `cannot signal it: ${(error as Error).message}`;
    }
  }
  // Programs get stopwaitsecs (10 s by default) each to stop.
  if (await waitForExit(state.pid, 60_000)) return undefined;
  return 'it is still running a minute later';
}
