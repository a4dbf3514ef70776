import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { failure } from '../test-support/errors.js';
import { needsSupervisor, skipWithoutSupervisor, SUPERVISOR_PYTHON } from '../test-support/supervisor-python.js';
import { useTempDirectories } from '../test-support/temp-directory.js';
import { SupervisorErrorCodes } from './errors.js';
import { preparePythonEnvironment, type PythonEnvironmentRequest } from './python-env.js';

const tempDirectory = useTempDirectories();
const STAND_IN_SUPERLANCE = fileURLToPath(new URL('../../../examples/supervisor/superlance', import.meta.url));
const SUPERLANCE_SCRIPTS = [
  { name: 'crashmail', entryPoint: 'superlance.crashmail:main' },
  { name: 'httpok', entryPoint: 'superlance.httpok:main' },
  { name: 'memmon', entryPoint: 'superlance.memmon:main' },
];
// Creating a virtualenv and running pip takes a few seconds.
const SLOW = 60_000;

function request(
  overrides: Partial<PythonEnvironmentRequest> & { buildoutDirectory: string },
): PythonEnvironmentRequest & { created: string[] } {
  const created: string[] = [];
  return {
    part: 'supervisor',
    python: SUPERVISOR_PYTHON,
    plugins: [],
    virtualenvDirectory: join(overrides.buildoutDirectory, 'parts', 'supervisor', 'venv'),
    offline: true,
    index: undefined,
    findLinks: [],
    reuseVirtualenv: false,
    log: { info: () => {}, warn: () => {}, debug: () => {} },
    creating: (path) => created.push(path),
    created,
    ...overrides,
  };
}

/** Builds the stand-in superlance into a wheel in a find-links folder and a file:// simple index. */
function wheelhouse(): { findLinks: string; index: string } {
  const directory = tempDirectory();
  const source = join(directory, 'source');
  cpSync(STAND_IN_SUPERLANCE, source, { recursive: true });
  const wheels = join(directory, 'wheels');
  // The PEP 517 hook itself: needs setuptools and wheel, not pip, in the interpreter.
  const built = spawnSync(
    SUPERVISOR_PYTHON,
    ['-c', 'import sys; from setuptools import build_meta; build_meta.build_wheel(sys.argv[1])', wheels],
    {
      cwd: source,
      encoding: 'utf8',
    },
  );
  if (built.status !== 0) throw new Error(built.stderr);
  const [wheel] = readdirSync(wheels).filter((name) => name.endsWith('.whl'));
  const project = join(directory, 'simple', 'superlance');
  mkdirSync(project, { recursive: true });
  cpSync(join(wheels, wheel!), join(project, wheel!));
  writeFileSync(join(project, 'index.html'), `<html><body><a href="${wheel}">${wheel}</a></body></html>\n`);
  return { findLinks: wheels, index: `file://${join(directory, 'simple')}` };
}

describe.skipIf(skipWithoutSupervisor)(`the Python environment${needsSupervisor}`, () => {
  it('is the configured interpreter when it has supervisor and every plugin', async () => {
    const buildout = tempDirectory();
    const wanted = request({ buildoutDirectory: buildout, plugins: ['supervisor>=4'] });
    const environment = await preparePythonEnvironment(wanted);
    expect(environment.interpreter).toBe(SUPERVISOR_PYTHON);
    expect(environment.virtualenv).toBeUndefined();
    expect(environment.consoleScripts.map((script) => script.name)).toEqual([
      'echo_supervisord_conf',
      'pidproxy',
      'supervisorctl',
      'supervisord',
    ]);
    expect(wanted.created).toEqual([]);
    expect(existsSync(join(buildout, 'parts'))).toBe(false);
  });

  it(
    'installs a local package into a virtualenv from a copy, and reuses that virtualenv on update',
    async () => {
      const buildout = tempDirectory();
      const source = join(buildout, 'superlance');
      cpSync(STAND_IN_SUPERLANCE, source, { recursive: true });
      const first = request({ buildoutDirectory: buildout, plugins: ['./superlance'] });
      const environment = await preparePythonEnvironment(first);
      const venv = join(buildout, 'parts', 'supervisor', 'venv');
      expect(environment).toEqual({ interpreter: join(venv, 'bin', 'python'), virtualenv: venv, consoleScripts: SUPERLANCE_SCRIPTS });
      expect(first.created).toEqual([venv]);
      expect(readdirSync(source).sort()).toEqual(['pyproject.toml', 'superlance']);

      writeFileSync(join(venv, 'marker'), '');
      const update = request({ buildoutDirectory: buildout, plugins: ['./superlance'], reuseVirtualenv: true });
      expect(await preparePythonEnvironment(update)).toEqual(environment);
      expect(update.created).toEqual([]);
      expect(existsSync(join(venv, 'marker'))).toBe(true);

      const reinstall = request({ buildoutDirectory: buildout, plugins: ['./superlance'] });
      expect(await preparePythonEnvironment(reinstall)).toEqual(environment);
      expect(existsSync(join(venv, 'marker'))).toBe(false);
    },
    SLOW,
  );

  it(
    'installs a requirement from buildout find-links when offline',
    async () => {
      const { findLinks } = wheelhouse();
      const buildout = tempDirectory();
      const environment = await preparePythonEnvironment(
        request({ buildoutDirectory: buildout, plugins: ['superlance'], findLinks: [findLinks] }),
      );
      expect(environment.virtualenv).toBe(join(buildout, 'parts', 'supervisor', 'venv'));
      expect(environment.consoleScripts).toEqual(SUPERLANCE_SCRIPTS);
    },
    SLOW,
  );

  it(
    'installs a requirement from buildout:index when online',
    async () => {
      const { index } = wheelhouse();
      const buildout = tempDirectory();
      const environment = await preparePythonEnvironment(
        request({ buildoutDirectory: buildout, plugins: ['superlance'], offline: false, index }),
      );
      expect(environment.consoleScripts).toEqual(SUPERLANCE_SCRIPTS);
    },
    SLOW,
  );

  it(
    'says what to do when pip cannot find a plugin offline',
    async () => {
      const buildout = tempDirectory();
      const error = await failure(preparePythonEnvironment(request({ buildoutDirectory: buildout, plugins: ['superlance-not-here'] })));
      expect(error.code).toBe(SupervisorErrorCodes.INSTALL_FAILED);
      expect(error.message).toContain('part supervisor, option plugins: pip could not install superlance-not-here:\n');
      expect(error.message).toContain('No matching distribution found for superlance-not-here');
      expect(error.hint).toContain('buildout is offline, so pip only looks in find-links');
      expect(error.hint).toContain('apt-get install supervisor');
    },
    SLOW,
  );
});

describe('the Python environment, refused', () => {
  it('names an interpreter that does not exist, and what to do', async () => {
    const error = await failure(preparePythonEnvironment(request({ buildoutDirectory: tempDirectory(), python: '/nonexistent/python3' })));
    expect(error.code).toBe(SupervisorErrorCodes.NO_PYTHON);
    expect(error.message).toMatch(/^part supervisor, option python: cannot run "\/nonexistent\/python3": /);
    expect(error.hint).toContain('python = /usr/bin/python3');
  });

  it('resolves a relative interpreter path against the buildout directory', async () => {
    const error = await failure(preparePythonEnvironment(request({ buildoutDirectory: '/somewhere', python: 'bin/python' })));
    expect(error.message).toContain('cannot run "/somewhere/bin/python"');
  });

  it('refuses a local plugin folder that does not exist', async () => {
    const buildout = tempDirectory();
    const error = await failure(preparePythonEnvironment(request({ buildoutDirectory: buildout, plugins: ['./missing-plugin'] })));
    expect(error.code).toBe(SupervisorErrorCodes.BAD_OPTION);
    expect(error.message).toBe(`part supervisor, option plugins: the local package ${buildout}/missing-plugin is not a folder`);
  });
});
