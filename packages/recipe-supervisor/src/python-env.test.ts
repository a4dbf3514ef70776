import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

function request(overrides: Partial<PythonEnvironmentRequest> & { buildoutDirectory: string }): PythonEnvironmentRequest {
  return {
    part: 'supervisor',
    python: SUPERVISOR_PYTHON,
    plugins: [],
    virtualenvParent: join(overrides.buildoutDirectory, 'parts', 'supervisor'),
    offline: true,
    index: undefined,
    findLinks: [],
    log: { info: () => {}, warn: () => {}, debug: () => {} },
    ...overrides,
  };
}

/** The part's virtualenv folders. */
function virtualenvs(buildout: string): string[] {
  const parent = join(buildout, 'parts', 'supervisor');
  return existsSync(parent) ? readdirSync(parent).filter((name) => name.startsWith('venv-')) : [];
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
    expect(existsSync(join(buildout, 'parts'))).toBe(false);
  });

  it(
    'installs a local package into a virtualenv keyed by what goes in it, reused until that changes',
    async () => {
      const buildout = tempDirectory();
      const source = join(buildout, 'superlance');
      cpSync(STAND_IN_SUPERLANCE, source, { recursive: true });
      const wanted = request({ buildoutDirectory: buildout, plugins: ['./superlance'] });
      const environment = await preparePythonEnvironment(wanted);
      const [name] = virtualenvs(buildout);
      const venv = join(buildout, 'parts', 'supervisor', name!);
      expect(name).toMatch(/^venv-[0-9a-f]{16}$/);
      expect(environment).toEqual({ interpreter: join(venv, 'bin', 'python'), virtualenv: venv, consoleScripts: SUPERLANCE_SCRIPTS });
      expect(readdirSync(source).sort()).toEqual(['pyproject.toml', 'superlance']);

      // Same inputs: the same folder, untouched (no pip, no probe).
      writeFileSync(join(venv, 'marker'), '');
      expect(await preparePythonEnvironment(wanted)).toEqual(environment);
      expect(existsSync(join(venv, 'marker'))).toBe(true);

      // A half-built one (no record) is made again.
      rmSync(join(venv, '.buildout-environment.json'));
      expect(await preparePythonEnvironment(wanted)).toEqual(environment);
      expect(existsSync(join(venv, 'marker'))).toBe(false);

      // A change of the local package's content is another environment.
      writeFileSync(join(source, 'superlance', 'extra.py'), 'X = 1\n');
      const changed = await preparePythonEnvironment(wanted);
      expect(changed.virtualenv).not.toBe(venv);
      expect(virtualenvs(buildout)).toHaveLength(2);
    },
    // Three virtualenvs are built.
    3 * SLOW,
  );

  it(
    'installs a requirement from buildout find-links when offline',
    async () => {
      const { findLinks } = wheelhouse();
      const buildout = tempDirectory();
      const environment = await preparePythonEnvironment(
        request({ buildoutDirectory: buildout, plugins: ['superlance'], findLinks: [findLinks] }),
      );
      expect(environment.virtualenv).toBe(join(buildout, 'parts', 'supervisor', virtualenvs(buildout)[0]!));
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
