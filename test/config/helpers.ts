// Shared helpers of the black-box config tests: temporary buildout trees,
// loading them through the public API, running the compiled CLI, and
// asserting on BuildoutErrors by code, location and key words.
import { spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, onTestFinished } from 'vitest';
import { isBuildoutError, loadBuildout, type Buildout, type BuildoutError, type LoadOptions } from './api.js';
import { tree } from '@buildout/testing';
export { tree };

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI_BIN = join(REPO_ROOT, 'packages', 'cli', 'bin.js');

/** A fresh folder (real path) removed when the current test finishes. */
export function tempDir(prefix = 'config-test-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Joins lines with '\n' and a final newline, so configs read as written. */
export function cfg(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}

/**
 * Loads `buildout.cfg` of a fresh tree without user defaults (unless the
 * options say otherwise) and with a HOME that has no .buildout folder.
 */
export async function loadTree(files: Record<string, string>, options: LoadOptions = {}): Promise<{ dir: string; buildout: Buildout }> {
  const dir = tree(files);
  const buildout = await loadBuildout({
    configFile: join(dir, 'buildout.cfg'),
    cwd: dir,
    userDefaults: false,
    env: { HOME: dir },
    ...options,
  });
  return { dir, buildout };
}

export interface ExpectedError {
  code: string;
  /** Absolute path (or URL) of the file the location must name. */
  file?: string;
  line?: number;
  column?: number;
  /** Each must match the message (case-insensitive when a string). */
  words?: (string | RegExp)[];
}

function checkError(error: unknown, expected: ExpectedError): BuildoutError {
  if (!isBuildoutError(error)) {
    throw new Error(`expected a BuildoutError ${expected.code}, got: ${error instanceof Error ? error.stack : String(error)}`);
  }
  expect(error.code, error.message).toBe(expected.code);
  if (expected.file !== undefined) expect(error.location?.file, error.message).toBe(expected.file);
  if (expected.line !== undefined) expect(error.location?.line, error.message).toBe(expected.line);
  if (expected.column !== undefined) expect(error.location?.column, error.message).toBe(expected.column);
  for (const word of expected.words ?? []) {
    if (typeof word === 'string') expect(error.message.toLowerCase()).toContain(word.toLowerCase());
    else expect(error.message).toMatch(word);
  }
  return error;
}

/** Runs `action` and checks it fails with the expected BuildoutError. */
export async function expectBuildoutError(action: () => unknown, expected: ExpectedError): Promise<BuildoutError> {
  let failure: unknown;
  try {
    await action();
  } catch (error) {
    failure = error;
  }
  if (failure === undefined) throw new Error(`expected ${expected.code}, but nothing was thrown`);
  return checkError(failure, expected);
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled CLI (`corepack pnpm build` first) with a HOME that has no user defaults. */
export function runCli(args: string[], options: { cwd: string; env?: Record<string, string | undefined> }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH, HOME: options.cwd, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A stack-trace line as Node prints them. */
export const STACK_LINE = /^\s+at .+/m;

/**
 * The CLI's error output: first line `file:line:col: message` (or
 * `buildout: message` without a location), optional `  hint: ...` lines,
 * nothing else and never a stack trace.
 */
export function parseErrorOutput(stderr: string): {
  file?: string;
  line?: number;
  column?: number;
  message: string;
  hints: string[];
} {
  expect(stderr).not.toMatch(STACK_LINE);
  const lines = stderr.replace(/\n$/, '').split('\n');
  const [first, ...rest] = lines;
  for (const line of rest) expect(line, stderr).toMatch(/^ {2}hint: /);
  const hints = rest.map((line) => line.replace(/^ {2}hint: /, ''));
  const located = /^(.+):(\d+):(\d+): (.+)$/.exec(first ?? '');
  if (located) {
    return { file: located[1]!, line: Number(located[2]), column: Number(located[3]), message: located[4]!, hints };
  }
  const unlocated = /^buildout: (.+)$/.exec(first ?? '');
  expect(unlocated, `unexpected error output: ${stderr}`).not.toBeNull();
  return { message: unlocated![1]!, hints };
}
