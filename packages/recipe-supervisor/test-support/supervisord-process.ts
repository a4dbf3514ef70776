/**
 * Starting and, above all, stopping real supervisord processes in tests.
 * Every supervisord started here is stopped after the test even when it
 * fails: politely (SIGTERM, which stops its programs), then by force, with
 * its programs (each in its own process group) found through /proc.
 */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { freePort, isAlive } from '@buildout/testing';
import { afterEach } from 'vitest';

const started = new Set<number>();
const pidfiles = new Set<string>();

export { freePort, isAlive };

async function waitFor(condition: () => boolean, timeoutMs: number, intervalMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  return condition();
}

interface ProcessInfo {
  readonly pid: number;
  readonly parent: number;
  readonly group: number;
}

function processes(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [, parent, group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      found.push({ pid: Number(entry), parent: Number(parent), group: Number(group) });
    } catch {
      // the process ended while we looked
    }
  }
  return found;
}

function kill(target: number, signal: NodeJS.Signals): void {
  try {
    process.kill(target, signal);
  } catch {
    // already gone
  }
}

/**
 * Stops supervisord `pid` and whatever it runs; resolves when it is gone.
 * supervisord puts each program in a process group of its own; those groups
 * are killed afterwards too, for programs that leave children behind.
 */
export async function stopSupervisord(pid: number): Promise<void> {
  if (isAlive(pid)) {
    const ownGroup = processes().find((info) => info.pid === process.pid)?.group;
    const programGroups = new Set(
      processes()
        .filter((info) => info.parent === pid)
        .map((info) => info.group),
    );
    programGroups.delete(ownGroup ?? -1);
    kill(pid, 'SIGTERM');
    if (!(await waitFor(() => !isAlive(pid), 15_000))) {
      kill(-pid, 'SIGKILL');
      kill(pid, 'SIGKILL');
      await waitFor(() => !isAlive(pid), 5_000);
    }
    for (const group of programGroups) kill(-group, 'SIGKILL');
  }
  started.delete(pid);
}

/**
 * Makes sure the supervisord whose pid file is `pidfile` (a daemon: its pid
 * is known only once it has written the file) is stopped after the test.
 * Register it before starting the daemon.
 */
export function stopDaemonAfterTest(pidfile: string): void {
  pidfiles.add(pidfile);
}

/** Makes sure supervisord `pid` (and its programs) is stopped after the test. */
export function stopAfterTest(pid: number): void {
  started.add(pid);
}

afterEach(async () => {
  for (const pidfile of pidfiles) {
    const pid = pidIn(pidfile);
    if (pid !== undefined) started.add(pid);
  }
  pidfiles.clear();
  for (const pid of [...started]) await stopSupervisord(pid);
});

export interface ForegroundSupervisord {
  readonly pid: number;
  /** What supervisord printed, for failure messages. */
  output(): string;
}

/**
 * The environment to start a test's supervisord in: programs' AUTO logs go to Python's temporary folder
 * when childlogdir is not set (as in the seed's examples), so it is the buildout's own folder, removed
 * with it, not /tmp.
 */
export function supervisordEnvironment(buildoutDirectory: string): NodeJS.ProcessEnv {
  return { ...process.env, TMPDIR: buildoutDirectory };
}

/** The pid a pid file holds, or undefined while it is missing or not yet written (supervisord creates it, then writes it). */
function pidIn(pidfile: string): number | undefined {
  try {
    const text = readFileSync(pidfile, 'utf8').trim();
    const pid = Number(text);
    return text !== '' && Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts `bin/supervisord` of `buildoutDirectory` as the daemon it is and returns its pid once its pid file
 * holds one. It is stopped after the test, by pid file and by pid (the test's folder may be gone by then).
 */
export async function startDaemon(buildoutDirectory: string, pidfile = join(buildoutDirectory, 'var', 'supervisord.pid')): Promise<number> {
  stopDaemonAfterTest(pidfile);
  const daemonized = spawnSync(join(buildoutDirectory, 'bin', 'supervisord'), [], {
    encoding: 'utf8',
    timeout: 20_000,
    env: supervisordEnvironment(buildoutDirectory),
  });
  if (daemonized.status !== 0) throw new Error(`bin/supervisord exited ${daemonized.status}:\n${daemonized.stdout}${daemonized.stderr}`);
  if (!(await waitFor(() => pidIn(pidfile) !== undefined, 10_000))) throw new Error(`supervisord wrote no pid to ${pidfile}`);
  const pid = pidIn(pidfile)!;
  stopAfterTest(pid);
  return pid;
}

/** Runs `bin/supervisord -n` in the background (its own process group), stopped after the test. */
export function startForeground(binDirectory: string): ForegroundSupervisord {
  const child = spawn(join(binDirectory, 'supervisord'), ['-n'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: supervisordEnvironment(dirname(binDirectory)),
  });
  if (child.pid === undefined) throw new Error('supervisord did not start');
  started.add(child.pid);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.unref();
  return { pid: child.pid, output: () => output };
}

export function supervisorctl(binDirectory: string, ...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(join(binDirectory, 'supervisorctl'), args, { encoding: 'utf8', timeout: 20_000 });
}

/**
 * Polls `supervisorctl status` until it lists exactly `names`, each RUNNING
 * (it exits 0 for STARTING too, so the states are read); returns that
 * output. Throws with the last output when it does not happen in time.
 */
export async function waitUntilRunning(binDirectory: string, names: readonly string[], timeoutMs = 20_000): Promise<string> {
  let last: SpawnSyncReturns<string> | undefined;
  const states = (stdout: string): string[] =>
    stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => line.split(/\s+/).slice(0, 2).join(' '))
      .sort();
  const wanted = JSON.stringify(names.map((name) => `${name} RUNNING`).sort());
  const ok = await waitFor(
    () => {
      last = supervisorctl(binDirectory, 'status');
      return last.status === 0 && JSON.stringify(states(last.stdout)) === wanted;
    },
    timeoutMs,
    200,
  );
  if (!ok)
    throw new Error(`not all of ${names.join(', ')} RUNNING; supervisorctl status exited ${last?.status}:\n${last?.stdout}${last?.stderr}`);
  return last!.stdout;
}

export { waitFor };
