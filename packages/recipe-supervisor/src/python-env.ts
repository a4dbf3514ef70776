/**
 * A Python environment with supervisor and the plugins: the configured
 * interpreter when it has them all, else a virtualenv in the part's folder
 * (seeing the interpreter's packages) into which pip installs what is
 * missing, honouring buildout's offline, index and find-links.
 *
 * A virtualenv is a cached piece of its own: its folder is named by a key of
 * what goes into it (python, plugins, the content of local plugin folders,
 * index, find-links) and nothing else, so a change of programs or any other
 * option reuses it as it is. A finished one holds a record of what it has,
 * written last; a folder without it is half-built and made again.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
// fs-extra's copy: node's fs.cp is still experimental on Node 20.
import fsExtra from 'fs-extra';
import { basename, isAbsolute, join, resolve } from 'node:path';
import type { Logger } from '@buildout/engine';
import { supervisorError, SupervisorErrorCodes, type Origin } from './errors.js';
import { probePython, PythonNotFound, type ProbeRequest, type ProbeResult } from './python-probe.js';
import { failureSummary, runProcess } from './run-process.js';
import type { ConsoleScript } from './scripts.js';

export interface PythonEnvironmentRequest {
  readonly part: string;
  /** The `python` option: a command on PATH or a path (relative to the buildout directory). */
  readonly python: string;
  readonly plugins: readonly string[];
  readonly buildoutDirectory: string;
  /** The folder virtualenvs go in (as `venv-KEY`), when one is needed. */
  readonly virtualenvParent: string;
  readonly offline: boolean;
  readonly index: string | undefined;
  readonly findLinks: readonly string[];
  readonly log: Logger;
}

export interface PythonEnvironment {
  /** The interpreter scripts run with (sys.executable). */
  readonly interpreter: string;
  /** The virtualenv in use, when the configured interpreter was not enough. */
  readonly virtualenv: string | undefined;
  /** Console scripts of the plugin distributions. */
  readonly consoleScripts: readonly ConsoleScript[];
}

const SUPERVISOR_HINT =
  'install supervisor for that interpreter (Debian: apt-get install supervisor) or point the option at one that has it: python = /usr/bin/python3';

interface Plugins {
  readonly requirements: readonly string[];
  /** Local folders, absolute. */
  readonly folders: readonly string[];
}

/** Folder names of a part's virtualenvs: this, then the key. */
export const VIRTUALENV_PREFIX = 'venv-';
const RECORD = '.buildout-environment.json';

export async function preparePythonEnvironment(request: PythonEnvironmentRequest): Promise<PythonEnvironment> {
  const plugins = classifyPlugins(request);
  const python = looksLikePath(request.python) ? resolve(request.buildoutDirectory, request.python) : request.python;
  const venv = join(request.virtualenvParent, `${VIRTUALENV_PREFIX}${environmentKey(python, plugins, request)}`);
  const cached = await readRecord(venv);
  if (cached !== undefined) return cached;

  const configured = await probe(python, { requirements: plugins.requirements, localDirectories: [] }, request);
  if (plugins.folders.length === 0 && configured.supervisorProblem === undefined && configured.missing.length === 0) {
    return environment(configured, undefined);
  }

  const venvPython = join(venv, 'bin', 'python');
  const copies = plugins.folders.map((folder, index) => join(venv, 'src', `${index + 1}-${basename(folder)}`));
  const wanted: ProbeRequest = { requirements: plugins.requirements, localDirectories: copies };

  request.log.info(`Creating a virtualenv for supervisor in ${venv} (${describeLack(configured, plugins)})`);
  await rm(venv, { recursive: true, force: true });
  await run(
    python,
    ['-m', 'venv', '--system-site-packages', venv],
    request,
    'python',
    `cannot create a virtualenv with ${python}`,
    'install the venv module (Debian: apt-get install python3-venv)',
  );

  const requirements = [...(configured.supervisorProblem === undefined ? [] : ['supervisor']), ...plugins.requirements];
  if (requirements.length > 0) {
    request.log.info(`Installing ${requirements.join(', ')}${request.offline ? ' (offline)' : ''}`);
    await run(
      venvPython,
      ['-m', 'pip', 'install', ...pipQuietly, ...indexArguments(request), ...requirements],
      request,
      'plugins',
      `pip could not install ${requirements.join(', ')}`,
      installHint(request),
    );
  }
  for (const [index, folder] of plugins.folders.entries()) {
    const copy = copies[index]!;
    // pip builds inside the folder it installs; build in a copy, not in the user's sources.
    await fsExtra.copy(folder, copy, { filter: (source) => !isBuildLeftover(source.slice(folder.length)) });
    request.log.info(`Installing ${folder}`);
    await run(
      venvPython,
      ['-m', 'pip', 'install', ...pipQuietly, '--no-index', '--no-build-isolation', copy],
      request,
      'plugins',
      `pip could not install the local package ${folder}`,
      "a local package is built offline with the interpreter's setuptools and wheel (Debian: apt-get install python3-setuptools python3-wheel) and needs its dependencies installed already",
    );
  }

  const result = await probe(venvPython, wanted, request);
  if (result.supervisorProblem !== undefined || result.missing.length > 0) {
    throw supervisorError(
      SupervisorErrorCodes.INSTALL_FAILED,
      origin(request, 'plugins'),
      `after installing, the virtualenv ${venv} still lacks ${describeLack(result, plugins)}`,
      SUPERVISOR_HINT,
    );
  }
  const prepared = environment(result, venv);
  await writeFile(join(venv, RECORD), `${JSON.stringify(prepared)}\n`);
  return prepared;
}

/** The environment a finished virtualenv recorded; undefined for none, or a half-built one. */
async function readRecord(venv: string): Promise<PythonEnvironment | undefined> {
  try {
    const record = JSON.parse(await readFile(join(venv, RECORD), 'utf8')) as PythonEnvironment;
    return record.virtualenv === venv && existsSync(record.interpreter) ? record : undefined;
  } catch {
    return undefined;
  }
}

/** What decides a virtualenv's content: the interpreter, the plugins (local ones by content), index and find-links. */
function environmentKey(python: string, plugins: Plugins, request: PythonEnvironmentRequest): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ python, requirements: plugins.requirements, index: request.index ?? '', findLinks: request.findLinks }));
  for (const folder of plugins.folders) {
    hash.update(`\0folder\0${folder}`);
    for (const file of sourceFiles(folder, '')) hash.update(`\0${file}\0`).update(readFileSync(join(folder, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

/** The files of a local package, relative and sorted, without what a build left in it. */
function sourceFiles(folder: string, relative: string): string[] {
  const files: string[] = [];
  const entries = readdirSync(join(folder, relative), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const path = `${relative}/${entry.name}`;
    if (isBuildLeftover(path)) continue;
    if (entry.isDirectory()) files.push(...sourceFiles(folder, path));
    else if (entry.isFile()) files.push(path);
  }
  return files;
}

// What an earlier build left in a package folder; copying it could install stale files.
function isBuildLeftover(relativePath: string): boolean {
  return /^\/(build|dist|[^/]*\.egg-info)$/.test(relativePath) || /\/(__pycache__|\.git)$/.test(relativePath);
}

// --isolated: pip follows buildout's index, find-links and offline, not the
// user's or machine's pip configuration (as zc.buildout does).
const pipQuietly = ['--isolated', '--disable-pip-version-check', '--no-input', '--quiet'];

function origin(request: PythonEnvironmentRequest, option: string): Origin {
  return { part: request.part, option };
}

function looksLikePath(text: string): boolean {
  return text.includes('/');
}

// Like pip: an entry is a folder when it looks like a path; URLs and
// `name @ url` stay requirement strings for pip.
function classifyPlugins(request: PythonEnvironmentRequest): Plugins {
  const requirements: string[] = [];
  const folders: string[] = [];
  for (const plugin of request.plugins) {
    const isPath = (plugin.startsWith('.') || plugin.includes('/')) && !plugin.includes('://') && !plugin.includes('@');
    if (!isPath) {
      requirements.push(plugin);
      continue;
    }
    const folder = isAbsolute(plugin) ? plugin : resolve(request.buildoutDirectory, plugin);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      throw supervisorError(
        SupervisorErrorCodes.BAD_OPTION,
        origin(request, 'plugins'),
        `the local package ${folder} is not a folder`,
        'give a pip requirement (superlance) or the folder of a Python package (./src/my-plugin)',
      );
    }
    folders.push(folder);
  }
  return { requirements, folders };
}

async function probe(python: string, wanted: ProbeRequest, request: PythonEnvironmentRequest): Promise<ProbeResult> {
  try {
    return await probePython(python, wanted);
  } catch (error) {
    const hint =
      error instanceof PythonNotFound
        ? `install Python 3, or set python to an interpreter that exists; ${SUPERVISOR_HINT}`
        : SUPERVISOR_HINT;
    throw supervisorError(SupervisorErrorCodes.NO_PYTHON, origin(request, 'python'), (error as Error).message, hint, error);
  }
}

function environment(result: ProbeResult, virtualenv: string | undefined): PythonEnvironment {
  const consoleScripts = result.distributions.flatMap((distribution) =>
    distribution.consoleScripts.map(([name, entryPoint]) => ({ name, entryPoint })),
  );
  return { interpreter: result.executable, virtualenv, consoleScripts };
}

function describeLack(result: ProbeResult, plugins: Plugins): string {
  const lacking = [...(result.supervisorProblem === undefined ? [] : [`supervisor (${result.supervisorProblem})`]), ...result.missing];
  if (lacking.length === 0 && plugins.folders.length > 0) return 'local plugins are installed into it';
  return `${result.executable} lacks ${lacking.join(', ')}`;
}

function indexArguments(request: PythonEnvironmentRequest): string[] {
  const links = request.findLinks
    .filter((link) => !(request.offline && /^[a-z][a-z0-9+.-]*:\/\//i.test(link) && !link.startsWith('file:')))
    .map((link) => (/^[a-z][a-z0-9+.-]*:/i.test(link) || isAbsolute(link) ? link : resolve(request.buildoutDirectory, link)));
  const index = request.offline ? ['--no-index'] : request.index === undefined ? [] : ['--index-url', request.index];
  return [...index, ...links.flatMap((link) => ['--find-links', link])];
}

function installHint(request: PythonEnvironmentRequest): string {
  return request.offline
    ? `buildout is offline, so pip only looks in find-links; ${SUPERVISOR_HINT}`
    : `check buildout:index and buildout:find-links; ${SUPERVISOR_HINT}`;
}

async function run(
  command: string,
  args: string[],
  request: PythonEnvironmentRequest,
  option: string,
  failure: string,
  hint: string,
): Promise<void> {
  const result = await runProcess(command, args, { cwd: request.buildoutDirectory });
  if (result.stdout.trim() !== '') request.log.debug(result.stdout.trimEnd());
  if (result.exitCode !== 0) {
    throw supervisorError(
      SupervisorErrorCodes.INSTALL_FAILED,
      origin(request, option),
      `${failure}:\n${failureSummary(result.stderr || result.stdout)}`,
      hint,
    );
  }
}
