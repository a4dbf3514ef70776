/**
 * The supervisord of a part, when it runs: the pid file names a live
 * supervisord process, and that process answers XML-RPC on the part's socket
 * or port with the part's credentials. Stopping it, cleanly.
 */
import { readFileSync } from 'node:fs';
import type { DeployedConf } from './deployed-conf.js';
import { callSupervisor, describeEndpoint, type Connection } from './supervisor-rpc.js';

export type SupervisordState =
  | { readonly kind: 'not-running' }
  /** A supervisord of this pid file runs but cannot be talked to (no HTTP server, wrong credentials, busy). */
  | { readonly kind: 'silent'; readonly pid: number; readonly reason: string }
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
    return { kind: 'silent', pid, reason: `${deployed.path} gives it no HTTP server with the XML-RPC interface` };
  }
  try {
    const answering = await callSupervisor<number>(connection, 'supervisor.getPID');
    if (answering !== pid) {
      return {
        kind: 'silent',
        pid,
        reason: `${describeEndpoint(connection.endpoint)} is answered by another supervisord (pid ${answering})`,
      };
    }
  } catch (error) {
    return { kind: 'silent', pid, reason: (error as Error).message };
  }
  // The interpreter the script started it with (`python .../bin/supervisord`), to see whether it runs from a given environment.
  return { kind: 'running', pid, connection, interpreter: commandLine(pid)?.[0] };
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
 * else SIGTERM (which supervisord also takes as a clean shutdown). Resolves
 * to an error text when it is still running afterwards.
 */
export async function stopSupervisord(state: Exclude<SupervisordState, { kind: 'not-running' }>): Promise<string | undefined> {
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
