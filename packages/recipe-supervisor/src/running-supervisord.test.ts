/**
 * Removing the part stops its supervisord, and only its supervisord: the pid
 * file may name a process that merely has "supervisord" in its command line
 * (the pid of a supervisord long gone, reused), or one that another
 * supervisord's endpoint answers for. Such a process is left running, with a
 * warning; one that does not answer but holds the part's log file open is
 * stopped. Every process started here is stopped by pid after the test.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installPart, runningPartSpec, uninstallPart, type PartSpec } from '../test-support/part-runs.js';
import { needsSupervisor, skipWithoutSupervisor, SUPERVISOR_PYTHON } from '../test-support/supervisor-python.js';
import {
  freePort,
  isAlive,
  startDaemon,
  startForeground,
  stopAfterTest,
  waitFor,
  waitUntilRunning,
} from '../test-support/supervisord-process.js';
import { useTempDirectories } from '../test-support/temp-directory.js';
import recipe from './recipe.js';
import { evidenceOfOwnership } from './running-supervisord.js';

const tempDirectory = useTempDirectories();
const SLOW = 90_000;

function spec(directory: string, port: number, extra: Record<string, string> = {}): PartSpec {
  return runningPartSpec(directory, port, { programs: '10 sleeper /bin/sleep [3650]', ...extra });
}

/** A process that is no supervisord but says "supervisord -c x" in its command line; stopped after the test. */
function impostor(): number {
  const child = spawn(SUPERVISOR_PYTHON, ['-c', 'import time; time.sleep(300)', 'supervisord', '-c', 'x'], {
    detached: true,
    stdio: 'ignore',
  });
  if (child.pid === undefined) throw new Error('the stand-in process did not start');
  stopAfterTest(child.pid);
  child.unref();
  return child.pid;
}

/** The command lines (NUL-separated, as /proc has them) of the children of `pid`. */
function childCommands(pid: number): string[] {
  const commands: string[] = [];
  for (const entry of readdirSync('/proc')) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (/^\d+$/.test(entry) && Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) {
        commands.push(readFileSync(`/proc/${entry}/cmdline`, 'utf8'));
      }
    } catch {
      // not a process, or it ended while we looked
    }
  }
  return commands;
}

function claimPidfile(directory: string, pid: number): void {
  mkdirSync(join(directory, 'var'), { recursive: true });
  writeFileSync(join(directory, 'var', 'supervisord.pid'), `${pid}\n`);
}

describe('evidenceOfOwnership', () => {
  it("is the part's configuration in the command line, not any configuration", () => {
    const conf = join(tempDirectory(), 'supervisord.conf');
    writeFileSync(conf, '');
    const started = (...args: string[]): number => {
      const child = spawn(SUPERVISOR_PYTHON, ['-c', 'import time; time.sleep(300)', ...args], { detached: true, stdio: 'ignore' });
      stopAfterTest(child.pid!);
      child.unref();
      return child.pid!;
    };
    const deployed = { path: conf, logfile: undefined };
    expect(evidenceOfOwnership(started('supervisord', '--configuration', conf), deployed)).toBe(`its command line names ${conf}`);
    expect(evidenceOfOwnership(started(`-c${conf}`), deployed)).toBe(`its command line names ${conf}`);
    expect(evidenceOfOwnership(started('supervisord', '-c', '/etc/supervisor/supervisord.conf'), deployed)).toBeUndefined();
    expect(evidenceOfOwnership(impostor(), { path: conf, logfile: conf })).toBeUndefined();
  });
});

describe.skipIf(skipWithoutSupervisor)(`uninstall and a process in the part's pid file${needsSupervisor}`, () => {
  it(
    "leaves a process alone that nothing shows to be the part's supervisord: nothing answers, or another supervisord does",
    async () => {
      const directory = tempDirectory();
      const port = await freePort();
      await installPart(recipe, spec(directory, port));
      const pid = impostor();
      claimPidfile(directory, pid);
      const { logs } = await uninstallPart(recipe, spec(directory, port));
      expect(logs).toContainEqual({
        level: 'warn',
        message: `not stopping pid ${pid} of ${join(directory, 'var', 'supervisord.pid')}: it does not answer as this part's supervisord (nothing listens on http://127.0.0.1:${port}) and nothing else shows it to be; if it is, stop it with: kill ${pid}`,
      });
      expect(logs.some((record) => record.message.startsWith('stopped supervisord'))).toBe(false);
      expect(isAlive(pid)).toBe(true);

      // Another buildout's supervisord answers on the port: its pid is not the pid file's.
      const other = tempDirectory();
      await installPart(recipe, spec(other, port));
      const supervisord = startForeground(join(other, 'bin'));
      await waitUntilRunning(join(other, 'bin'), ['sleeper']);
      await installPart(recipe, spec(directory, port));
      claimPidfile(directory, pid);
      const second = await uninstallPart(recipe, spec(directory, port));
      expect(second.logs).toContainEqual({
        level: 'warn',
        message: `not stopping pid ${pid} of ${join(directory, 'var', 'supervisord.pid')}: it does not answer as this part's supervisord (http://127.0.0.1:${port} is answered by another supervisord (pid ${supervisord.pid})) and nothing else shows it to be; if it is, stop it with: kill ${pid}`,
      });
      expect(isAlive(pid)).toBe(true);
      expect(isAlive(supervisord.pid)).toBe(true);
    },
    SLOW,
  );

  it(
    "stops the part's supervisord that has no HTTP server: it holds the part's log file open",
    async () => {
      const directory = tempDirectory();
      const port = await freePort();
      const options = { sections: 'global services' };
      await installPart(recipe, spec(directory, port, options));
      const pid = await startDaemon(directory);
      // Without an HTTP server supervisorctl cannot tell; the program's process shows it runs.
      expect(await waitFor(() => childCommands(pid).includes('/bin/sleep\u00003650\u0000'), 10_000)).toBe(true);
      const { logs } = await uninstallPart(recipe, spec(directory, port, options));
      expect(logs).toContainEqual({ level: 'info', message: `stopped supervisord (pid ${pid}) and its programs` });
      expect(await waitFor(() => !isAlive(pid), 5_000)).toBe(true);
    },
    SLOW,
  );
});
