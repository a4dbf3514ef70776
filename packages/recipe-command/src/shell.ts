/** Runs one shell command, handing its output on line by line and keeping the last lines for error messages. */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

export interface ShellResult {
  /** The exit code, or null when a signal ended the command. */
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last lines of stdout and stderr, in the order they arrived. */
  readonly tail: readonly string[];
}

export interface ShellOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Every line of output (stdout and stderr), as it arrives. */
  readonly onLine: (line: string) => void;
  /** How many lines `tail` keeps. */
  readonly tailLines: number;
}

/** Longest line kept in the tail; a minified bundle printed to stdout should not become the error message. */
const MAX_LINE = 400;

/** Resolves when the command ends, whatever its exit code; rejects when it cannot be started. */
export function runShell(command: string, options: ShellOptions): Promise<ShellResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, { cwd: options.cwd, env: options.env, shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const tail: string[] = [];
    const emit = (line: string): void => {
      options.onLine(line);
      tail.push(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line);
      if (tail.length > options.tailLines) tail.shift();
    };
    const flushers = [splitLines(child.stdout, emit), splitLines(child.stderr, emit)];
    child.once('error', reject);
    child.once('close', (exitCode, signal) => {
      for (const flush of flushers) flush();
      resolve({ exitCode, signal, tail });
    });
  });
}

/** Calls `emit` for each complete line; the returned function emits a last unterminated line. */
function splitLines(stream: Readable, emit: (line: string) => void): () => void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (pending + chunk).split(/\r?\n/);
    pending = lines.pop() ?? '';
    for (const line of lines) emit(line);
  });
  return () => {
    if (pending !== '') emit(pending);
    pending = '';
  };
}
