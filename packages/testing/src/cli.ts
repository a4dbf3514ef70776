/** Runs the real `buildout` command as a child process. */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

export interface RunResult {
  /** The exit code (a signal's death counts as 128 + its number, as a shell says). */
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** Defaults to the current folder. */
  readonly cwd?: string | undefined;
  /** Added to a clean environment: PATH, and HOME set to `cwd` so that no user defaults leak in. */
  readonly env?: Readonly<Record<string, string>> | undefined;
  /** The CLI's bin script; else `BUILDOUT_CLI`, else the `@buildout/cli` package found from `cwd`. */
  readonly cli?: string | undefined;
}

/**
 * The bin script of the CLI that `from` would use: `BUILDOUT_CLI`, else the
 * `@buildout/cli` package installed for `from` or for this package.
 */
export function findCli(from: string = process.cwd()): string {
  const fromEnv = process.env.BUILDOUT_CLI;
  if (fromEnv) return resolve(fromEnv);
  for (const base of [join(from, 'package.json'), import.meta.url]) {
    try {
      const manifest = createRequire(base).resolve('@buildout/cli/package.json');
      const json = JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: string | Record<string, string> };
      const bin = typeof json.bin === 'string' ? json.bin : json.bin?.buildout;
      if (bin && existsSync(join(dirname(manifest), bin))) return join(dirname(manifest), bin);
    } catch {
      // not installed from there
    }
  }
  throw new Error('cannot find the buildout command: install @buildout/cli next to your tests, or set BUILDOUT_CLI to its bin.js');
}

/** `buildout ARGS`, to its end; it is killed if the test process exits first. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const cwd = resolve(options.cwd ?? process.cwd());
  const child = spawn(process.execPath, [options.cli ?? findCli(cwd), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kill = (): void => void child.kill('SIGKILL');
  process.once('exit', kill);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code, signal) => {
      process.removeListener('exit', kill);
      done({ exitCode: code ?? 128 + signalNumber(signal), stdout, stderr });
    });
  });
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : signal === 'SIGINT' ? 2 : 0;
}
