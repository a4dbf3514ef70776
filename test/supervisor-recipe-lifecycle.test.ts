/**
 * The supervisor recipe against real supervisord, at the recipe level (the
 * lifecycle engine calls the same hooks): install, start supervisord, see
 * the programs RUNNING, change them, reinstall (which updates the running
 * supervisord), see the change, shut down, uninstall, see the files gone and the logs kept.
 */
import { cpSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import recipe from '../packages/recipe-supervisor/src/recipe.js';
import { installPart, runningPartSpec, uninstallPart, type PartSpec } from '../packages/recipe-supervisor/test-support/part-runs.js';
import { expectSupervisorAccepts } from '../packages/recipe-supervisor/test-support/supervisor-check.js';
import {
  needsSupervisor,
  skipWithoutSupervisor,
  supervisorAvailable,
  supervisorMissingReason,
  supervisorRequired,
  SUPERVISOR_PYTHON,
} from '../packages/recipe-supervisor/test-support/supervisor-python.js';
import {
  freePort,
  isAlive,
  startForeground,
  startDaemon,
  supervisorctl,
  waitFor,
  waitUntilRunning,
} from '../packages/recipe-supervisor/test-support/supervisord-process.js';
import { useTempDirectories } from '../packages/recipe-supervisor/test-support/temp-directory.js';

const tempDirectory = useTempDirectories();
const STAND_IN_SUPERLANCE = fileURLToPath(new URL('../examples/supervisor/superlance', import.meta.url));
const asRoot = process.getuid?.() === 0;
const SLOW = 90_000;

/** A running sleep with exactly these arguments, found in /proc. */
function sleepRunning(seconds: string): boolean {
  return readdirSync('/proc').some((entry) => {
    try {
      return /^\d+$/.test(entry) && readFileSync(`/proc/${entry}/cmdline`, 'utf8') === `/bin/sleep\0${seconds}\0`;
    } catch {
      return false;
    }
  });
}

function spec(directory: string, port: number, programs: string, extra: Record<string, string> = {}): PartSpec {
  return runningPartSpec(directory, port, { user: 'admin', password: 'secret', childlogdir: 'var/log', programs, ...extra });
}

describe.runIf(supervisorRequired && !supervisorAvailable)('supervisor is required', () => {
  it('is importable by /usr/bin/python3', () => {
    throw new Error(`BUILDOUT_TEST_REQUIRE_SUPERVISOR=1 but ${supervisorMissingReason}`);
  });
});

describe.skipIf(skipWithoutSupervisor)(`the supervisor recipe with real supervisord${needsSupervisor}`, () => {
  it(
    'runs the programs, follows a change of programs, and leaves only logs behind',
    async () => {
      const directory = tempDirectory();
      cpSync(STAND_IN_SUPERLANCE, join(directory, 'superlance'), { recursive: true });
      const port = await freePort();
      const bin = join(directory, 'bin');
      const withListener = {
        plugins: './superlance',
        eventlisteners: `Memmon TICK_5 ${bin}/memmon [-p sleeper=200MB]`,
      };

      await installPart(recipe, spec(directory, port, '10 sleeper /bin/sleep [1000]\n20 napper /bin/sleep [999]', withListener));
      expectSupervisorAccepts(join(directory, 'parts', 'supervisor', 'supervisord.conf'));
      const supervisord = startForeground(bin);
      const status = await waitUntilRunning(bin, ['Memmon', 'napper', 'sleeper']).catch((error: Error) => {
        throw new Error(`${error.message}\nsupervisord said:\n${supervisord.output()}`);
      });
      expect(status).toMatch(/^sleeper\s+RUNNING\s+pid \d+/m);
      expect(sleepRunning('999')).toBe(true);

      // Changing `programs` changes the part's options: the engine uninstalls and installs again. The
      // part is still in parts, so the uninstall hands over instead of stopping supervisord, and the
      // install brings the running supervisord in step (no supervisorctl by hand).
      const second = await installPart(
        recipe,
        spec(directory, port, '10 sleeper /bin/sleep [1000]\n30 dozer /bin/sleep [998]', withListener),
      );
      expect(second.part.logs.filter((record) => record.level === 'warn')).toEqual([]);
      expect(isAlive(supervisord.pid)).toBe(true);
      expectSupervisorAccepts(join(directory, 'parts', 'supervisor', 'supervisord.conf'));
      expect(second.part.logs).toContainEqual({ level: 'info', message: 'started dozer, removed napper' });
      await waitUntilRunning(bin, ['Memmon', 'dozer', 'sleeper']);
      expect(await waitFor(() => !sleepRunning('999'), 5_000)).toBe(true);

      const shutdown = supervisorctl(bin, 'shutdown');
      expect(shutdown.status, shutdown.stderr).toBe(0);
      expect(await waitFor(() => !isAlive(supervisord.pid), 15_000)).toBe(true);
      expect(sleepRunning('1000') || sleepRunning('998')).toBe(false);

      await uninstallPart(recipe, spec(directory, port, '', withListener));
      expect(readdirSync(bin)).toEqual([]);
      expect(existsSync(join(directory, 'parts', 'supervisor'))).toBe(false);
      const logs = readdirSync(join(directory, 'var', 'log'));
      expect(logs).toContain('supervisord.log');
      expect(logs.some((name) => name.startsWith('sleeper-stdout'))).toBe(true);
      expect(statSync(join(directory, 'var', 'log', 'supervisord.log')).size).toBeGreaterThan(0);
    },
    SLOW,
  );

  it(
    'runs as a daemon on a unix socket, as bin/supervisord does by default',
    async () => {
      const directory = tempDirectory();
      const bin = join(directory, 'bin');
      const unixSpec = (programs: string): PartSpec => ({
        directory,
        options: { python: SUPERVISOR_PYTHON, 'http-socket': 'unix', ...(asRoot ? { 'supervisord-user': 'root' } : {}), programs },
      });
      await installPart(recipe, unixSpec('10 sleeper /bin/sleep [997]'));
      expectSupervisorAccepts(join(directory, 'parts', 'supervisor', 'supervisord.conf'));
      const pid = await startDaemon(directory);

      expect(await waitUntilRunning(bin, ['sleeper'])).toMatch(/^sleeper\s+RUNNING/m);
      expect(existsSync(join(directory, 'var', 'supervisord.sock'))).toBe(true);

      // A change reaches supervisord over its unix socket too (the engine reinstalls the part).
      const installed = await installPart(recipe, unixSpec('10 sleeper /bin/sleep [997]\n20 second /bin/sleep [996]'));
      expect(installed.part.logs).toContainEqual({ level: 'info', message: 'started second' });
      await waitUntilRunning(bin, ['second', 'sleeper']);

      expect(supervisorctl(bin, 'shutdown').status).toBe(0);
      expect(await waitFor(() => !isAlive(pid), 15_000)).toBe(true);

      await uninstallPart(recipe, { directory, options: {} });
      expect(readdirSync(bin)).toEqual([]);
    },
    SLOW,
  );
});
