/**
 * Runs one shell command, handing its output on line by line and keeping the
 * last lines for error messages. The command runs in a process group of its
 * own, so stopping it stops whatever it started too: an abort forwards its
 * signal to the whole group, then SIGKILL if the group is still there after
 * a grace period; and the group is killed if buildout exits meanwhile, or
 * dies (orphan-watch.ts).
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { watchGroup } from './orphan-watch.js';

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
  /** Aborting it stops the command: its reason (a signal name, SIGTERM if not) goes to the command's process group. */
  readonly signal?: AbortSignal | undefined;
  /** How long a stopped command may take to exit before SIGKILL (default 5 s). */
  readonly killAfterMs?: number | undefined;
}

/** Longest line kept in the tail; a minified bundle printed to stdout should not become the error message. */
const MAX_LINE = 400;
const KILL_AFTER_MS = 5000;

/** Resolves when the command ends, whatever its exit code; rejects when it cannot be started. */
export function runShell(command: string, options: ShellOptions): Promise<ShellResult> {
  return new Promise((resolve, reject) => {
    const { signal } = options;
    if (signal?.aborted) {
      resolve({ exitCode: null, signal: signalOf(signal), tail: [] });
      return;
    }
    // detached: the command leads a process group of its own (and the terminal's Ctrl-C reaches buildout only).
    const child = spawn(command, { cwd: options.cwd, env: options.env, shell: true, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const group = child.pid;
    if (group !== undefined) watchGroup(group, true);
    const killGroup = (name: NodeJS.Signals): void => {
      if (group === undefined) return;
      try {
        process.kill(-group, name);
      } catch {
        // The group is gone already.
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (): void => {
      killGroup(signalOf(signal!));
      killTimer = setTimeout(() => killGroup('SIGKILL'), options.killAfterMs ?? KILL_AFTER_MS);
    };
    const killOnExit = (): void => killGroup('SIGKILL');
    signal?.addEventListener('abort', stop, { once: true });
    process.on('exit', killOnExit);
    const tail: string[] = [];
    const emit = (line: string): void => {
      options.onLine(line);
      tail.push(line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line);
      if (tail.length > options.tailLines) tail.shift();
    };
    const flushers = [splitLines(child.stdout, emit), splitLines(child.stderr, emit)];
    const settle = (): void => {
      if (group !== undefined) watchGroup(group, false);
      signal?.removeEventListener('abort', stop);
      process.removeListener('exit', killOnExit);
      clearTimeout(killTimer);
    };
    child.once('error', (error) => {
      settle();
      reject(error);
    });
    // Once a stopped command's shell is gone, what it left running in its group goes at once
    // (a background job of a script ignores SIGINT, and holds the output pipes open).
    child.once('exit', () => {
      if (signal?.aborted) killGroup('SIGKILL');
    });
    child.once('close', (exitCode, exitSignal) => {
      settle();
      for (const flush of flushers) flush();
      resolve({ exitCode, signal: exitSignal, tail });
    });
  });
}

function signalOf(signal: AbortSignal): NodeJS.Signals {
  const reason: unknown = signal.reason;
  return typeof reason === 'string' && /^SIG[A-Z0-9]+$/.test(reason) ? (reason as NodeJS.Signals) : 'SIGTERM';
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
