// Runs one oracle case through zc.buildout (zc_oracle.py) or through our CLI,
// each in a fresh copy of the case folder (zc.buildout creates folders such as
// eggs/ where it runs), and returns the JSON with the copy's path replaced by
// CASE_ROOT so results from different folders and machines compare equal.
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ORACLE_DIR = dirname(fileURLToPath(import.meta.url));
export const CASES_DIR = join(ORACLE_DIR, 'cases');
export const REPO_ROOT = join(ORACLE_DIR, '..', '..');
export const CLI_BIN = join(REPO_ROOT, 'packages', 'cli', 'bin.js');
export const ORACLE_SCRIPT = join(ORACLE_DIR, 'zc_oracle.py');
// Debian's python3-zc.buildout installs for the system Python; override for other setups.
export const SYSTEM_PYTHON = process.env.BUILDOUT_ORACLE_PYTHON ?? '/usr/bin/python3';
export const CASE_ROOT = '<CASE>';

/** Every case folder, sorted. */
export function listCases() {
  return readdirSync(CASES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

export function caseDir(name) {
  return join(CASES_DIR, name);
}

/** Command-line assignments of a case: the lines of its `args` file. */
export function caseArgs(name) {
  const file = join(caseDir(name), 'args');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The platform a case's expected.json holds for (its `platform` file), or undefined when portable. */
export function casePlatform(name) {
  const file = join(caseDir(name), 'platform');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
}

export function expectedFile(name) {
  return join(caseDir(name), 'expected.json');
}

/** Why the oracle cannot run here, or undefined when it can. */
export function oracleUnavailableReason() {
  if (!existsSync(SYSTEM_PYTHON)) return `${SYSTEM_PYTHON} does not exist`;
  const probe = spawnSync(SYSTEM_PYTHON, ['-c', 'import zc.buildout'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    return `${SYSTEM_PYTHON} cannot import zc.buildout (install Debian's python3-zc.buildout): ${probe.stderr.trim().split('\n').pop()}`;
  }
  return undefined;
}

/** Replaces `root` in every string of a JSON value. */
export function withCaseRoot(value, root) {
  if (typeof value === 'string') return value.split(root).join(CASE_ROOT);
  if (Array.isArray(value)) return value.map((item) => withCaseRoot(item, root));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withCaseRoot(item, root)]));
  }
  return value;
}

function run(command, args, cwd, env) {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

async function inCopy(name, action) {
  const copy = realpathSync(mkdtempSync(join(tmpdir(), `oracle-${name}-`)));
  try {
    cpSync(caseDir(name), copy, { recursive: true, filter: (source) => !source.endsWith('expected.json') });
    return await action(copy);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

function parseResult(result, copy, what) {
  if (result.status !== 0) {
    return { ok: false, status: result.status, message: `${what} exited ${result.status}: ${withCaseRoot(result.stderr, copy).trim()}` };
  }
  try {
    return { ok: true, json: withCaseRoot(JSON.parse(result.stdout), copy) };
  } catch (error) {
    return { ok: false, status: result.status, message: `${what} printed no JSON (${error.message}): ${result.stdout.slice(0, 500)}` };
  }
}

/** A case through the real zc.buildout. */
export function runOracle(name) {
  return inCopy(name, async (copy) => {
    const result = await run(SYSTEM_PYTHON, [ORACLE_SCRIPT, '-c', 'buildout.cfg', ...caseArgs(name)], copy, {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: copy,
      LANG: 'C.UTF-8',
    });
    return parseResult(result, copy, 'zc_oracle.py');
  });
}

/** A case through our CLI: `buildout -U --show-secrets -c FILE [args] annotate --json` (values as they are, like zc.buildout's), run in the case folder. */
export function runCli(name) {
  return inCopy(name, async (copy) => {
    const result = await run(
      process.execPath,
      [CLI_BIN, '-U', '--show-secrets', '-c', join(copy, 'buildout.cfg'), ...caseArgs(name), 'annotate', '--json'],
      copy,
      { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: copy },
    );
    return parseResult(result, copy, 'buildout annotate --json');
  });
}
